// exit: 1
// An error a classic worker does not handle is printed with the frames of
// the worker's scripts, not the runtime's.
new Worker(new URL("./_classic_imports_thrower.js", import.meta.url));
