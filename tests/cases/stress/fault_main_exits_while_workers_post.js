// exit: 1
// The main script dies while workers post: the process reports the error and
// exits, without a panic or a hang.
for (let i = 0; i < 4; i++) {
  const worker = new Worker(new URL("./_endless_sender.js", import.meta.url));
  const { port1, port2 } = new MessageChannel();
  port1.onmessage = () => {};
  worker.postMessage(null, [port2]);
}
setTimeout(() => {
  throw new Error("main script fails while workers post");
}, 50);
