// Case 6: worker -> main burst: on request the worker posts 1M small messages
// (numbers) to the main thread through its own channel (self.postMessage),
// timed from the request until the last one arrives. Metric: M msgs/s.
import { report, scaled } from "../lib/harness.js";

// --- runtime shim: Node's Worker lives in node:worker_threads and is an ------
// --- EventEmitter (worker.on("message", data)), not an EventTarget -----------
const WorkerImpl = typeof Worker === "undefined" ? (await import("node:worker_threads")).Worker : Worker;
const onWorkerMessage = (worker, fn) =>
  typeof worker.on === "function" ? worker.on("message", fn) : (worker.onmessage = (e) => fn(e.data));
// --- end of shim -------------------------------------------------------------

const worker = new WorkerImpl(new URL("./worker_burst.worker.js", import.meta.url), {
  type: "module",
});

let handler = null;
onWorkerMessage(worker, (data) => handler(data));

function burst(n) {
  return new Promise((resolve, reject) => {
    let got = 0;
    let t0 = 0;
    handler = (data) => {
      if (data !== got) reject(new Error(`message ${got} arrived as ${data}`));
      if (++got === n) resolve(performance.now() - t0);
    };
    t0 = performance.now();
    worker.postMessage({ n });
  });
}

await burst(scaled(100_000)); // warm-up (includes the worker's start)
const n = scaled(1_000_000);
const ms = await burst(n);
report("worker_burst", "M_msgs_per_s", n / ms / 1000, { n });

worker.terminate();
