// Receives a port and talks through it directly.
self.onmessage = (e) => {
  const [port] = e.ports;
  port.onmessage = (m) => port.postMessage(`worker saw ${m.data}`);
  postMessage("port ready");
};
