// A 256 MiB Blob posted to four workers, each reading one byte of it. Run
// by the `messaging/blob_bytes_are_shared` test, which checks the peak RSS:
// the workers share the Blob's bytes instead of copying them.
const SIZE = 256 << 20;
const bytes = new Uint8Array(SIZE);
bytes[SIZE - 1] = 42;
const blob = new Blob([bytes]);

const source = `onmessage = async (e) => {
  const last = new Uint8Array(await e.data.slice(-1).arrayBuffer())[0];
  postMessage([e.data.size, last]);
};`;
const url = URL.createObjectURL(new Blob([source], { type: "text/javascript" }));
const replies = [];
for (let i = 0; i < 4; i++) {
  const worker = new Worker(url);
  worker.postMessage(blob);
  replies.push(
    new Promise((resolve) => {
      worker.onmessage = (e) => {
        worker.terminate();
        resolve(e.data.join());
      };
    }),
  );
}
const answers = await Promise.all(replies);
if (answers.some((a) => a !== `${SIZE},42`)) {
  throw new Error(`unexpected replies ${answers}`);
}
console.log("done");
