// A module worker for transfer_streams.js: reads, makes and relays
// transferred streams, as its parent asks.
async function readAll(stream) {
  const chunks = [];
  for await (const chunk of stream) chunks.push(chunk);
  return chunks;
}

self.onmessage = async ({ data }) => {
  switch (data.cmd) {
    case "read":
      postMessage({ chunks: await readAll(data.stream) });
      break;
    case "produce": {
      // A readable stream of `count` numbered chunks, sent to the parent.
      let i = 0;
      const stream = new ReadableStream({
        pull(controller) {
          if (i === data.count) controller.close();
          else controller.enqueue({ i: i++ });
        },
      });
      postMessage({ stream }, [stream]);
      break;
    }
    case "relay": {
      // Passes the stream on to a nested worker, which reads it.
      const inner = new Worker(import.meta.url, { type: "module", name: "inner" });
      inner.postMessage({ cmd: "read", stream: data.stream }, [data.stream]);
      inner.onmessage = (e) => {
        postMessage({ ...e.data, from: self.name, via: "inner" });
        inner.terminate();
      };
      break;
    }
    case "slowSink": {
      // A writable stream whose sink holds the first write until the parent
      // says "go"; every chunk written is reported.
      let go;
      const gate = new Promise((resolve) => (go = resolve));
      self.addEventListener("message", (e) => e.data.cmd === "go" && go());
      const written = [];
      const stream = new WritableStream({
        async write(chunk) {
          await gate;
          written.push(chunk);
        },
        close() {
          postMessage({ written: written.length, last: written.at(-1) });
        },
      });
      postMessage({ stream }, [stream]);
      break;
    }
    case "transform": {
      // Writes `input` into a transferred TransformStream and reads what its
      // transformer, back in the parent, makes of it.
      const { readable, writable } = data.transform;
      const writer = writable.getWriter();
      for (const chunk of data.input) writer.write(chunk);
      writer.close();
      postMessage({ chunks: await readAll(readable) });
      break;
    }
    case "cancel": {
      const reader = data.stream.getReader();
      await reader.read();
      await reader.cancel(data.reason);
      postMessage({ cancelled: true });
      break;
    }
  }
};
