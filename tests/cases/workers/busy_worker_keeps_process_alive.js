// A worker with a pending timer keeps the process alive, with no listener in main.
new Worker(new URL("./_timer_logger.js", import.meta.url), { type: "module" });
console.log("main done");
