// Case 6b: main -> worker burst, the mirror of worker_burst: the main thread
// posts 1M small messages (numbers) through worker.postMessage; the worker
// checks their order and, after the last one, reports back. Timed from the
// first post until that report arrives. Metric: M msgs/s.
import { report, scaled } from "../lib/harness.js";

// --- runtime shim: Node's Worker lives in node:worker_threads and is an ------
// --- EventEmitter (worker.on("message", data)), not an EventTarget -----------
const WorkerImpl = typeof Worker === "undefined" ? (await import("node:worker_threads")).Worker : Worker;
const onWorkerMessage = (worker, fn) =>
  typeof worker.on === "function" ? worker.on("message", fn) : (worker.onmessage = (e) => fn(e.data));
// --- end of shim -------------------------------------------------------------

const worker = new WorkerImpl(new URL("./worker_burst_to_worker.worker.js", import.meta.url), {
  type: "module",
});

let handler = null;
onWorkerMessage(worker, (data) => handler(data));

function burst(n) {
  return new Promise((resolve, reject) => {
    let t0 = 0;
    handler = (data) => {
      if (data.error) reject(new Error(`in the worker: ${data.error}`));
      else if (data.got !== n) reject(new Error(`the worker reported ${data.got} of ${n} messages`));
      else resolve(performance.now() - t0);
    };
    t0 = performance.now();
    worker.postMessage({ n });
    for (let i = 0; i < n; i++) worker.postMessage(i);
  });
}

await burst(scaled(100_000)); // warm-up (includes the worker's start)
const n = scaled(1_000_000);
const ms = await burst(n);
report("worker_burst_to_worker", "M_msgs_per_s", n / ms / 1000, { n });

worker.terminate();
