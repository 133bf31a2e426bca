// A worker that throws in onmessage keeps handling later messages; each
// error reaches the Worker object.
const source = `onmessage = ({ data }) => { if (data % 2) throw new Error("odd " + data); postMessage(data); };`;
const worker = new Worker(URL.createObjectURL(new Blob([source])));
// Errors and messages come through different ports: their relative order is
// not specified, so the check waits for both.
const got = [];
let errors = 0;
const check = () => {
  if (got.length === 5 && errors === 4) {
    console.log("delivered:", got.join(","), "errors:", errors);
    worker.terminate();
  }
};
worker.onerror = (e) => {
  errors++;
  e.preventDefault();
  check();
};
worker.onmessage = ({ data }) => {
  got.push(data);
  check();
};
for (let i = 0; i <= 8; i++) worker.postMessage(i);
