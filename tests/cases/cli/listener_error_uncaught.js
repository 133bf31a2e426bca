// exit: 1
// An exception in a listener that nothing cancels ends the process.
const { port1, port2 } = new MessageChannel();
port2.onmessage = () => {
  throw new Error("unhandled in listener");
};
port1.postMessage(1);
