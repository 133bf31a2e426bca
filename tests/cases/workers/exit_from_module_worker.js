// exit: 5
// Entangle.exit in a module worker ends the process, as Deno.exit does,
// though the main script would run forever.
const worker = new Worker(new URL("./_exits.js", import.meta.url), { type: "module" });
setInterval(() => {}, 1000);
worker.postMessage(5);
console.log("main posted");
