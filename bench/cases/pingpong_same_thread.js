// Case 1: same-thread ping-pong of a small object through a MessageChannel.
// Metric: microseconds per round trip (port1 -> port2 -> port1).
import { report, scaled } from "../lib/harness.js";

const { port1, port2 } = new MessageChannel();
port2.onmessage = (e) => port2.postMessage(e.data);

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

await roundTrips(scaled(20_000)); // warm-up
const n = scaled(200_000);
const ms = await roundTrips(n);
report("pingpong_same_thread", "us_per_roundtrip", (ms * 1000) / n, { n });

port1.close();
port2.close();
