postMessage("spinning");
for (;;) {
  // Never yields: only terminate() can stop this worker.
}
