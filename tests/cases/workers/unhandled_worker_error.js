// exit: 1
// An error nobody cancels, neither in the worker nor at the Worker object,
// is reported like the main script's.
const worker = new Worker(new URL("./_throws.js", import.meta.url), { type: "module" });
worker.postMessage("go");
