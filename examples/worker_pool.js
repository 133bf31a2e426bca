// A pool of workers fed through transferred MessagePorts.
//
// Each worker gets one end of its own MessageChannel; after that transfer,
// jobs and results go straight between this thread and the worker's thread
// over that port. The pool hands each job to the least busy worker.

const WORKERS = 4;
const JOBS = 40;

const source = `
  // The worker: waits for its port, then answers every job sent through it.
  onmessage = ({ ports: [port] }) => {
    port.onmessage = ({ data: { id, n } }) => {
      let a = 0, b = 1;
      for (let i = 0; i < n; i++) [a, b] = [b, (a + b) % 1000000007];
      port.postMessage({ id, result: a, worker: name });
    };
  };
`;
const url = URL.createObjectURL(new Blob([source], { type: "text/javascript" }));

const pool = [];
for (let i = 0; i < WORKERS; i++) {
  const worker = new Worker(url, { name: `worker-${i}` });
  const { port1, port2 } = new MessageChannel();
  worker.postMessage(null, [port2]);
  pool.push({ worker, port: port1, pending: new Map() });
}

function run(job) {
  const member = pool.reduce((a, b) => (a.pending.size <= b.pending.size ? a : b));
  return new Promise((resolve) => {
    member.pending.set(job.id, resolve);
    member.port.onmessage = ({ data }) => {
      member.pending.get(data.id)(data);
      member.pending.delete(data.id);
    };
    member.port.postMessage(job);
  });
}

const results = await Promise.all(
  Array.from({ length: JOBS }, (_, id) => run({ id, n: 100_000 + id })),
);
const perWorker = {};
for (const { worker } of results) perWorker[worker] = (perWorker[worker] ?? 0) + 1;
console.log(`${results.length} jobs done`);
console.log("jobs per worker:", perWorker);
console.log("first result:", results[0].result);

for (const { worker, port } of pool) {
  port.close();
  worker.terminate();
}
URL.revokeObjectURL(url);
