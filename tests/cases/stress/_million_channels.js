// 1,000,000 channels made and dropped in a loop, each with one queued
// message, never started. Run by the `stress/million_channels_memory` test,
// which checks the process's peak RSS.
import { scaled } from "./_scale.js";

const N = scaled(import.meta.url, 1_000_000);
for (let i = 0; i < N; i++) {
  const { port1 } = new MessageChannel();
  port1.postMessage(i);
}
console.log("done");
