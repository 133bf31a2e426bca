// args: run file://$FILE?scale=$STRESS_SCALE
// 10,000 ports in flight at once: each carries one queued message to a
// worker, which answers on it; every answer arrives exactly once.
import { scaled } from "./_scale.js";

const N = scaled(import.meta.url, 10_000);
const worker = new Worker(new URL("./_echo_ports.js", import.meta.url));
const ours = [];
const theirs = [];
for (let i = 0; i < N; i++) {
  const { port1, port2 } = new MessageChannel();
  port1.postMessage(i); // queued on port2, travels with it
  ours.push(port1);
  theirs.push(port2);
}
worker.postMessage(null, theirs);
let answered = 0;
let wrong = 0;
await Promise.all(ours.map((port, i) =>
  new Promise((resolve) => {
    port.onmessage = ({ data }) => {
      if (data !== i * 2) wrong++;
      answered++;
      port.close();
      resolve();
    };
  })
));
console.log(answered === N && wrong === 0 ? "every port answered once" : `FAIL ${answered}/${N}, ${wrong} wrong`);
worker.terminate();
