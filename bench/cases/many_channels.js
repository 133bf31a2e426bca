// Case 8: 100k live MessageChannels, one message posted on each, timed from
// the first channel's creation until every message has been received.
// Metric: seconds. run.py also records the peak RSS of the process.
import { report, scaled } from "../lib/harness.js";

function manyChannels(n) {
  return new Promise((resolve) => {
    const channels = new Array(n);
    let got = 0;
    const onmessage = () => {
      if (++got === n) resolve({ channels, ms: performance.now() - t0 });
    };
    const t0 = performance.now();
    for (let i = 0; i < n; i++) {
      const channel = new MessageChannel();
      channel.port2.onmessage = onmessage;
      channel.port1.postMessage(i);
      channels[i] = channel;
    }
  });
}

const closeAll = (channels) => {
  for (const { port1, port2 } of channels) {
    port1.close();
    port2.close();
  }
};

closeAll((await manyChannels(scaled(1_000))).channels); // warm-up
const n = scaled(100_000);
const { channels, ms } = await manyChannels(n);
report("many_channels", "s_total", ms / 1000, { n });
closeAll(channels);
