// A module worker that echoes messages (with their ports) and reports its name.
self.onmessage = (e) => {
  if (e.data === "name") return postMessage(self.name);
  if (e.data === "close") {
    postMessage("closing");
    close();
    // Still this task: delivered. Later tasks never run.
    postMessage("after close, same task");
    setTimeout(() => postMessage("from a later task"), 0);
    return;
  }
  postMessage(e.data, e.data instanceof ArrayBuffer ? [e.data] : []);
};
