// Both sides keep message listeners and nobody terminates: once both are
// idle with nothing in flight, the process exits by itself.
const worker = new Worker(new URL("./_pinger.js", import.meta.url));
let last = 0;
worker.onmessage = (e) => {
  last = e.data;
  if (e.data < 1000) worker.postMessage(e.data);
  else console.log("reached", last);
};
worker.postMessage(0);
