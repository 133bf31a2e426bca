// A started port that is closed does not keep the process alive.
const { port1 } = new MessageChannel();
globalThis.keep = port1;
port1.onmessage = () => {};
port1.close();
console.log("closed");
