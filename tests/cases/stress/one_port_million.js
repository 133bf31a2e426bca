// args: run file://$FILE?scale=$STRESS_SCALE
// 1,000,000 messages through one port, from a worker thread: each arrives
// exactly once, in order.
import { scaled } from "./_scale.js";

const N = scaled(import.meta.url, 1_000_000);
const worker = new Worker(new URL("./_sequence_sender.js", import.meta.url));
const { port1, port2 } = new MessageChannel();
let expected = 0;
let errors = 0;
port1.onmessage = ({ data }) => {
  if (data === "end") {
    console.log(
      errors === 0 && expected === N ? "all in order, exactly once" : `FAIL: ${errors} errors, ${expected}/${N}`,
    );
    port1.close();
    worker.terminate();
    return;
  }
  if (data !== expected) errors++;
  expected = data + 1;
};
worker.postMessage({ from: 0, count: N }, [port2]);
