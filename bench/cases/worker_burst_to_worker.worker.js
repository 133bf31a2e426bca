// Worker of case 6b: on {n}, expects the numbers 0..n-1 in order, then posts
// {got: n} to its parent ({error} at the first number out of order).

// --- runtime shim: a web worker scope, or Node's parentPort ------------------
const scope = typeof globalThis.postMessage === "function"
  ? globalThis
  : (await import("node:worker_threads")).parentPort;
// --- end of shim -------------------------------------------------------------

let expected = 0;
let got = 0;
let failed = false;
scope.onmessage = (e) => {
  const data = e.data;
  if (typeof data === "object") {
    expected = data.n;
    got = 0;
    failed = false;
    return;
  }
  if (failed) return;
  if (data !== got) {
    failed = true;
    scope.postMessage({ error: `message ${got} arrived as ${data}` });
    return;
  }
  if (++got === expected) scope.postMessage({ got });
};
