// Worker of case 6: on {n}, posts the numbers 0..n-1 to its parent.

// --- runtime shim: a web worker scope, or Node's parentPort ------------------
const scope = typeof globalThis.postMessage === "function"
  ? globalThis
  : (await import("node:worker_threads")).parentPort;
// --- end of shim -------------------------------------------------------------

scope.onmessage = (e) => {
  const n = e.data.n;
  for (let i = 0; i < n; i++) scope.postMessage(i);
};
