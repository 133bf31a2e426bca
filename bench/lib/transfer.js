// Shared body of the transfer cases: an ArrayBuffer bounced between the two
// ports of a MessageChannel, transferred (not copied) each way.
// Metric: microseconds per transfer (one postMessage + its delivery).
// A transfer must not copy, so the time should be flat in the buffer's size.
import { report, scaled } from "./harness.js";

export async function transferCase(caseName, bytes) {
  let buffer = new ArrayBuffer(bytes);
  const view = new Uint8Array(buffer);
  view[0] = 17;
  view[bytes - 1] = 42;

  const { port1, port2 } = new MessageChannel();
  port2.onmessage = (e) => port2.postMessage(e.data, [e.data]);

  // At most `max` transfers, or as many as fit in `budgetMs` (a runtime that
  // copies would take seconds per hundred transfers at these sizes).
  const bounce = (max, budgetMs) =>
    new Promise((resolve, reject) => {
      let transfers = 0;
      let t0 = 0;
      const post = () => {
        port1.postMessage(buffer, [buffer]);
        if (buffer.byteLength !== 0) reject(new Error("the sent ArrayBuffer was not detached"));
      };
      port1.onmessage = (e) => {
        buffer = e.data;
        transfers += 2;
        const ms = performance.now() - t0;
        if (transfers >= max || ms > budgetMs) resolve({ transfers, ms });
        else post();
      };
      t0 = performance.now();
      post();
    });

  await bounce(20, 1_000); // warm-up
  const { transfers, ms } = await bounce(scaled(20_000), 3_000);

  const back = new Uint8Array(buffer);
  if (buffer.byteLength !== bytes || back[0] !== 17 || back[bytes - 1] !== 42) {
    throw new Error(`the buffer came back wrong: ${buffer.byteLength} bytes`);
  }
  report(caseName, "us_per_transfer", (ms * 1000) / transfers, { transfers, bytes });
  port1.close();
  port2.close();
}
