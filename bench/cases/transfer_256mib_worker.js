// Case 4c: a 256 MiB ArrayBuffer bounced between the main thread and a worker
// through a transferred MessagePort, transferred (not copied) each way.
// Metric: microseconds per transfer. Copying 256 MiB takes tens of
// milliseconds, so a figure in microseconds shows the memory moved between
// threads without a copy; run.py's peak RSS shows it was never duplicated.
import { report, scaled } from "../lib/harness.js";

// --- runtime shim: Node's Worker lives in node:worker_threads ----------------
const WorkerImpl = typeof Worker === "undefined" ? (await import("node:worker_threads")).Worker : Worker;
// --- end of shim -------------------------------------------------------------

const BYTES = 256 * 1024 * 1024;
const worker = new WorkerImpl(new URL("./transfer_worker.worker.js", import.meta.url), {
  type: "module",
});
const { port1, port2 } = new MessageChannel();
worker.postMessage({ port: port2 }, [port2]);

let buffer = new ArrayBuffer(BYTES);
new Uint8Array(buffer)[BYTES - 1] = 42;

const bounce = (max, budgetMs) =>
  new Promise((resolve) => {
    let transfers = 0;
    const t0 = performance.now();
    port1.onmessage = (e) => {
      buffer = e.data;
      transfers += 2;
      const ms = performance.now() - t0;
      if (transfers >= max || ms > budgetMs) resolve({ transfers, ms });
      else port1.postMessage(buffer, [buffer]);
    };
    port1.postMessage(buffer, [buffer]);
  });

await bounce(20, 1_000); // warm-up (includes the worker's start)
const { transfers, ms } = await bounce(scaled(2_000), 3_000);
if (buffer.byteLength !== BYTES || new Uint8Array(buffer)[BYTES - 1] !== 42) {
  throw new Error("the buffer did not come back intact");
}
report("transfer_256mib_worker", "us_per_transfer", (ms * 1000) / transfers, { transfers });
port1.close();
worker.terminate();
