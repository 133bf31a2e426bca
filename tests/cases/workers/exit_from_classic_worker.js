// exit: 6
// Entangle.exit in a classic worker ends the process while the main
// script awaits forever; Entangle.args is the same in the worker.
const url = URL.createObjectURL(
  new Blob([`postMessage(JSON.stringify(Entangle.args)); onmessage = (e) => Entangle.exit(e.data);`]),
);
const worker = new Worker(url);
console.log("args in the worker:", await new Promise((r) => (worker.onmessage = (e) => r(e.data))));
worker.postMessage(6);
setInterval(() => {}, 1000);
await new Promise(() => {});
