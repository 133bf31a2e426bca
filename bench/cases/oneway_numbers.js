// Case 2: same-thread one-way burst: 1M numbers posted in a tight loop, timed
// from the first postMessage until the last message has been received.
// Metric: million messages per second. Also checks the messages arrive in order.
import { report, scaled } from "../lib/harness.js";

const { port1, port2 } = new MessageChannel();

function burst(n) {
  return new Promise((resolve, reject) => {
    let got = 0;
    let t0 = 0;
    port2.onmessage = (e) => {
      if (e.data !== got) reject(new Error(`message ${got} arrived as ${e.data}`));
      if (++got === n) resolve(performance.now() - t0);
    };
    t0 = performance.now();
    for (let i = 0; i < n; i++) port1.postMessage(i);
  });
}

await burst(scaled(100_000)); // warm-up
const n = scaled(1_000_000);
const ms = await burst(n);
report("oneway_numbers", "M_msgs_per_s", n / ms / 1000, { n });

port1.close();
port2.close();
