self.onmessage = (e) => {
  const view = new Int32Array(e.data);
  postMessage("waiting");
  const result = Atomics.wait(view, 0, 0, 5000);
  postMessage(`${result} ${view[0]}`);
};
