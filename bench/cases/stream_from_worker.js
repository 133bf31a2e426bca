// Case: a worker makes a ReadableStream of 64 KiB Uint8Array chunks and
// transfers it to the main thread, which reads it to the end. Every chunk
// crosses the thread boundary through the stream's port (structured-cloned,
// with the Streams standard's pull messages for backpressure).
// Metric: MB/s read (10^6 bytes per second).
import { report, scaled } from "../lib/harness.js";

// --- runtime shim: Node's Worker lives in node:worker_threads and is an ------
// --- EventEmitter (worker.on("message", data)), not an EventTarget -----------
const WorkerImpl = typeof Worker === "undefined" ? (await import("node:worker_threads")).Worker : Worker;
const onWorkerMessage = (worker, fn) =>
  typeof worker.on === "function" ? worker.on("message", fn) : (worker.onmessage = (e) => fn(e.data));
// --- end of shim -------------------------------------------------------------

const CHUNK = 64 * 1024;
const worker = new WorkerImpl(new URL("./stream_from_worker.worker.js", import.meta.url), {
  type: "module",
});
let handler = null;
onWorkerMessage(worker, (data) => handler(data));
const nextReply = () => new Promise((resolve) => (handler = resolve));

/** Asks for a stream of `chunks` chunks and reads it; returns [bytes, ms]. */
async function readStream(chunks) {
  const t0 = performance.now();
  const reply = nextReply();
  worker.postMessage({ chunks, size: CHUNK });
  const { stream, error } = await reply;
  if (error) throw new Error(`the worker could not transfer a ReadableStream: ${error}`);
  const reader = stream.getReader();
  let bytes = 0;
  let last = -1;
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    bytes += value.byteLength;
    last = value[0];
  }
  const ms = performance.now() - t0;
  if (bytes !== chunks * CHUNK || last !== (chunks - 1) % 256) {
    throw new Error(`read ${bytes} bytes, last chunk ${last}: the stream lost chunks`);
  }
  return [bytes, ms];
}

await readStream(scaled(200)); // warm-up (includes the worker's start)
const chunks = scaled(4_000); // 4000 x 64 KiB = 262 MB
const [bytes, ms] = await readStream(chunks);
report("stream_from_worker", "MB_per_s", bytes / 1e3 / ms, { chunks, chunk_bytes: CHUNK });
worker.terminate();
