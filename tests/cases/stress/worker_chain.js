// args: run file://$FILE?scale=$STRESS_SCALE
// A port passed along a chain of 8 workers while messages stream into it:
// each link takes its share and hands the port on, queued messages and all.
// Every message arrives exactly once, in order.
import { scaled } from "./_scale.js";

const LINKS = 8;
const N = scaled(import.meta.url, 400_000);
const take = Math.floor(N / LINKS);
const { port1: source, port2: stream } = new MessageChannel();
const { port1: start, port2: firstInbox } = new MessageChannel();
const workers = [];
let inbox = firstInbox;
for (let index = 0; index < LINKS; index++) {
  const worker = new Worker(new URL("./_chain_link.js", import.meta.url));
  const links = index < LINKS - 1 ? new MessageChannel() : null;
  const ports = links ? [inbox, links.port1] : [inbox];
  worker.postMessage({ index, take }, ports);
  inbox = links?.port2;
  workers.push(worker);
}
const reports = await new Promise((resolve) => {
  const got = [];
  for (const worker of workers) {
    worker.onmessage = ({ data }) => {
      got.push(data);
      if (got.length === LINKS) resolve(got.sort((a, b) => a.index - b.index));
    };
  }
  start.postMessage(null, [stream]);
  for (let i = 0; i < N; i++) source.postMessage(i);
  source.postMessage("end");
});
let next = 0;
let ok = true;
for (const r of reports) {
  ok &&= r.ordered && r.first === next && r.last === next + r.count - 1;
  next += r.count;
}
console.log(ok && next === N ? "8 links, every message once, in order" : `FAIL ${JSON.stringify(reports)}`);
for (const worker of workers) worker.terminate();
source.close();
