// Unstarted ports with queued messages neither keep the process alive nor
// leak: 100,000 of them are created and dropped, and the script exits.
for (let i = 0; i < 100_000; i++) {
  const { port1, port2 } = new MessageChannel();
  port1.postMessage(i);
  port2.addEventListener("message", () => {});
}
console.log("created");
