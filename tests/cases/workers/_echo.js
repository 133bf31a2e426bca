// A module worker that echoes messages (with their ports) and reports its name.
self.onmessage = (e) => {
  if (e.data === "name") return postMessage(self.name);
  if (e.data === "close") {
    postMessage("closing");
    close();
    postMessage("after close");
    return;
  }
  postMessage(e.data, e.data instanceof ArrayBuffer ? [e.data] : []);
};
