// A worker terminated mid-stream: what arrived is an in-order prefix, and
// nothing arrives afterwards.
const worker = new Worker(new URL("./_endless_sender.js", import.meta.url));
const { port1, port2 } = new MessageChannel();
let expected = 0;
let ordered = true;
let terminated = false;
let afterTerminate = 0;
port1.onmessage = ({ data }) => {
  if (terminated) afterTerminate++;
  if (data !== expected) ordered = false;
  expected = data + 1;
  if (expected === 5000) {
    worker.terminate();
    terminated = true;
    port1.close(); // our end: queued messages are dropped with it
  }
};
worker.postMessage(null, [port2]);
await new Promise((resolve) => setTimeout(resolve, 200));
console.log("ordered prefix:", ordered, "received after terminate and close:", afterTerminate);
