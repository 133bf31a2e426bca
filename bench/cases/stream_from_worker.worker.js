// Worker of the stream_from_worker case: on request, makes a ReadableStream
// of `chunks` chunks of `size` bytes (chunk i starts with i % 256) and
// transfers it to the main thread.

// --- runtime shim: a web worker scope, or Node's parentPort ------------------
const scope = typeof globalThis.postMessage === "function"
  ? globalThis
  : (await import("node:worker_threads")).parentPort;
// --- end of shim -------------------------------------------------------------

scope.onmessage = (e) => {
  const { chunks, size } = e.data;
  let i = 0;
  const stream = new ReadableStream({
    pull(controller) {
      if (i === chunks) return controller.close();
      const chunk = new Uint8Array(size);
      chunk[0] = i++ % 256;
      controller.enqueue(chunk);
    },
  });
  try {
    scope.postMessage({ stream }, [stream]);
  } catch (error) {
    // A runtime without transferable streams (Bun 1.4) says so, rather
    // than leaving the main thread waiting.
    scope.postMessage({ error: `${error.name}: ${error.message}` });
  }
};
