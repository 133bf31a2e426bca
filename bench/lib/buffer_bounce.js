// Shared body of the same-thread buffer cases: an ArrayBuffer bounced between
// the two ports of a MessageChannel, either transferred each way
// (`transferCase`: must not copy, so its time should be flat in the size) or
// cloned each way (`cloneCase`: every hop copies the whole buffer).
import { report, scaled } from "./harness.js";

/**
 * Bounces `buffer` port1 -> port2 -> port1 until `max` hops or `budgetMs`
 * have passed (a runtime that copies a transferred buffer would take seconds
 * per hundred hops at these sizes). `transfer` says whether each post lists
 * the buffer in its transfer list; `checkSent(sent)` runs after every post
 * from port1. Resolves to { hops, ms, buffer } with the buffer last received.
 */
function bounce(port1, port2, buffer, { transfer, max, budgetMs, checkSent }) {
  const post = (port, data) => port.postMessage(data, transfer ? [data] : []);
  port2.onmessage = (e) => post(port2, e.data);
  return new Promise((resolve, reject) => {
    let hops = 0;
    let t0 = 0;
    const send = () => {
      post(port1, buffer);
      const problem = checkSent(buffer);
      if (problem) reject(new Error(problem));
    };
    port1.onmessage = (e) => {
      buffer = e.data;
      hops += 2;
      const ms = performance.now() - t0;
      if (hops >= max || ms > budgetMs) resolve({ hops, ms, buffer });
      else send();
    };
    t0 = performance.now();
    send();
  });
}

/** Transferred each way. Metric: microseconds per transfer (one post + its delivery). */
export async function transferCase(caseName, bytes) {
  let buffer = new ArrayBuffer(bytes);
  const view = new Uint8Array(buffer);
  view[0] = 17;
  view[bytes - 1] = 42;

  const { port1, port2 } = new MessageChannel();
  const checkSent = (sent) => sent.byteLength !== 0 && "the sent ArrayBuffer was not detached";
  ({ buffer } = await bounce(port1, port2, buffer, { transfer: true, max: 20, budgetMs: 1_000, checkSent })); // warm-up
  const run = await bounce(port1, port2, buffer, { transfer: true, max: scaled(20_000), budgetMs: 3_000, checkSent });
  buffer = run.buffer;

  const back = new Uint8Array(buffer);
  if (buffer.byteLength !== bytes || back[0] !== 17 || back[bytes - 1] !== 42) {
    throw new Error(`the buffer came back wrong: ${buffer.byteLength} bytes`);
  }
  report(caseName, "us_per_transfer", (run.ms * 1000) / run.hops, { transfers: run.hops, bytes });
  port1.close();
  port2.close();
}

/**
 * Cloned each way (no transfer list). Metric: GB/s (1e9 bytes) of buffer
 * cloned, i.e. hops × bytes over the time. Every word of the buffer carries
 * a pattern that is checked on what comes back; the sender must keep its
 * buffer (not detached, still the same bytes).
 */
export async function cloneCase(caseName, bytes) {
  const pattern = (i) => Math.imul(i, 2654435761) >>> 0;
  const original = new ArrayBuffer(bytes);
  const words = new Uint32Array(original);
  for (let i = 0; i < words.length; i++) words[i] = pattern(i);
  const intact = (buffer) => {
    if (!(buffer instanceof ArrayBuffer) || buffer.byteLength !== bytes) return false;
    const w = new Uint32Array(buffer);
    for (let i = 0; i < w.length; i++) if (w[i] !== pattern(i)) return false;
    return true;
  };

  const { port1, port2 } = new MessageChannel();
  const checkSent = (sent) => sent.byteLength !== bytes && "the sent ArrayBuffer was detached";
  await bounce(port1, port2, original, { transfer: false, max: 4, budgetMs: 1_000, checkSent }); // warm-up
  const run = await bounce(port1, port2, original, { transfer: false, max: scaled(400), budgetMs: 3_000, checkSent });

  if (run.buffer === original) throw new Error("the buffer came back as the same object, not a copy");
  if (!intact(run.buffer)) throw new Error("the cloned buffer came back with other bytes");
  if (!intact(original)) throw new Error("the sender's buffer changed");
  report(caseName, "GB_per_s", (run.hops * bytes) / (run.ms * 1e6), { clones: run.hops, bytes });
  port1.close();
  port2.close();
}
