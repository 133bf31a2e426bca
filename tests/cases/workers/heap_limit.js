// args: run --heap-limit 64 $FILE
// exit: 1
// A worker that exceeds its heap limit is terminated with an error event
// at its Worker; the parent goes on. The main isolate over its own limit
// ends the process with exit code 1 and a clear message.
const worker = new Worker(new URL("./_heap_hog.js", import.meta.url), { type: "module" });
worker.onerror = (event) => {
  console.log(`worker error event: ${event.message}`);
  event.preventDefault();
  setTimeout(() => {
    console.log("parent alive; now the main isolate grows");
    const hoard = [];
    for (;;) hoard.push({ at: hoard.length });
  }, 10);
};
worker.postMessage("eat");
