// Case 5: main <-> worker ping-pong through a MessagePort that was transferred
// to the worker. Metric: microseconds per round trip.
import { report, scaled } from "../lib/harness.js";

// --- runtime shim: Node's Worker lives in node:worker_threads ----------------
const WorkerImpl = typeof Worker === "undefined" ? (await import("node:worker_threads")).Worker : Worker;
// --- end of shim -------------------------------------------------------------

const worker = new WorkerImpl(new URL("./worker_pingpong.worker.js", import.meta.url), {
  type: "module",
});
const { port1, port2 } = new MessageChannel();
// The port travels inside the message too: Node only hands over ports that
// the message itself references.
worker.postMessage({ port: port2 }, [port2]);

function roundTrips(n) {
  return new Promise((resolve) => {
    const msg = { a: 1, b: "x" };
    let left = n;
    let t0 = 0;
    port1.onmessage = () => {
      if (--left === 0) resolve(performance.now() - t0);
      else port1.postMessage(msg);
    };
    t0 = performance.now();
    port1.postMessage(msg);
  });
}

await roundTrips(scaled(5_000)); // warm-up (includes the worker's start)
const n = scaled(50_000);
const ms = await roundTrips(n);
report("worker_pingpong", "us_per_roundtrip", (ms * 1000) / n, { n });

port1.close();
worker.terminate();
