// Worker of case 4c: sends every ArrayBuffer straight back, transferred.

// --- runtime shim: a web worker scope, or Node's parentPort ------------------
const scope = typeof globalThis.postMessage === "function"
  ? globalThis
  : (await import("node:worker_threads")).parentPort;
// --- end of shim -------------------------------------------------------------

scope.onmessage = (e) => {
  const port = e.data.port;
  port.onmessage = (m) => port.postMessage(m.data, [m.data]);
};
