// Dedicated workers: messaging, names, errors, classic scripts, termination.
import { assert, assertEquals, assertThrows, next, run, sleep, test } from "../_assert.js";

const echoURL = new URL("./_echo.js", import.meta.url);

test("a module worker echoes; name is passed", async () => {
  const worker = new Worker(echoURL, { type: "module", name: "echo" });
  worker.postMessage({ hello: [1, 2] });
  const event = await next(worker);
  assert(event instanceof MessageEvent);
  assertEquals(event.data.hello[1], 2);
  worker.postMessage("name");
  assertEquals((await next(worker)).data, "echo");
  worker.terminate();
});

test("relative URL strings resolve against the main module", async () => {
  const worker = new Worker("./_echo.js", { type: "module" });
  worker.postMessage("relative");
  assertEquals((await next(worker)).data, "relative");
  worker.terminate();
});

test("postMessage(message, { transfer }) moves a buffer to the worker and back", async () => {
  const worker = new Worker(echoURL, { type: "module" });
  const buffer = new Uint8Array([1, 2, 3]).buffer;
  worker.postMessage(buffer, { transfer: [buffer] });
  assertEquals(buffer.byteLength, 0);
  const { data } = await next(worker);
  assertEquals([...new Uint8Array(data)].join(), "1,2,3");
  worker.terminate();
});

test("an uncaught exception in a worker fires an ErrorEvent at the Worker", async () => {
  const worker = new Worker(new URL("./_throws.js", import.meta.url), { type: "module" });
  const errored = new Promise((resolve) => {
    worker.onerror = (event) => {
      event.preventDefault();
      resolve(event);
    };
  });
  worker.postMessage("go");
  const event = await errored;
  assert(event instanceof ErrorEvent);
  assertEquals(event.message, "Uncaught RangeError: thrown in worker");
  assert(event.filename.endsWith("/_throws.js"), event.filename);
  assertEquals(event.lineno, 2);
  assertEquals(event.colno, 9);
  worker.terminate();
});

test("bad URLs throw SyntaxError; missing scripts fire error", async () => {
  assertThrows(() => new Worker("http://[invalid"), "SyntaxError");
  assertThrows(() => new Worker(echoURL, { type: "wasm" }), TypeError);
  const worker = new Worker("./_missing_script.js", { type: "module" });
  const event = await new Promise((resolve) => {
    worker.onerror = (e) => {
      e.preventDefault();
      resolve(e);
    };
  });
  assertEquals(event.type, "error");
  // The reason: the file's URL and the operating system's word for it.
  assert(
    /^Failed to load script "file:.*\/_missing_script\.js": No such file/.test(event.message),
    event.message,
  );
});

test("a classic worker has importScripts and global declarations", async () => {
  const worker = new Worker(new URL("./_classic.js", import.meta.url));
  worker.postMessage("go");
  assertEquals((await next(worker)).data, "from importScripts / globals from a classic script / function");
  worker.terminate();
});

test("a worker from a blob: URL", async () => {
  const source = "onmessage = (e) => postMessage(e.data * 2);";
  const url = URL.createObjectURL(new Blob([source], { type: "text/javascript" }));
  const worker = new Worker(url);
  worker.postMessage(21);
  assertEquals((await next(worker)).data, 42);
  worker.terminate();
  URL.revokeObjectURL(url);
});

test("terminate() stops a worker inside an infinite loop", async () => {
  const worker = new Worker(new URL("./_spin.js", import.meta.url), { type: "module" });
  assertEquals((await next(worker)).data, "spinning");
  worker.terminate();
  let after = 0;
  worker.onmessage = () => after++;
  worker.postMessage("ignored");
  await sleep(20);
  assertEquals(after, 0);
});

test("close(): the current task finishes, no later task runs", async () => {
  const worker = new Worker(echoURL, { type: "module" });
  const got = [];
  worker.onmessage = (e) => got.push(e.data);
  worker.postMessage("close");
  worker.postMessage("never handled");
  await sleep(50);
  assertEquals(got.join(" | "), "closing | after close, same task");
});

test("a transferred port talks to the worker directly", async () => {
  const worker = new Worker(new URL("./_port_user.js", import.meta.url), { type: "module" });
  const { port1, port2 } = new MessageChannel();
  port1.postMessage("queued before transfer");
  worker.postMessage(null, [port2]);
  assertEquals((await next(worker)).data, "port ready");
  port1.start();
  assertEquals((await next(port1)).data, "worker saw queued before transfer");
  port1.postMessage("direct");
  assertEquals((await next(port1)).data, "worker saw direct");
  worker.terminate();
  port1.close();
});

test("SharedArrayBuffer is shared; Atomics.wait/notify work across threads", async () => {
  const worker = new Worker(new URL("./_atomics.js", import.meta.url), { type: "module" });
  const sab = new SharedArrayBuffer(4);
  const view = new Int32Array(sab);
  worker.postMessage(sab);
  assertEquals((await next(worker)).data, "waiting");
  await sleep(10);
  Atomics.store(view, 0, 7);
  Atomics.notify(view, 0);
  assertEquals((await next(worker)).data, "ok 7");
  worker.terminate();
});

test("nested workers", async () => {
  const worker = new Worker(new URL("./_nested.js", import.meta.url), { type: "module" });
  assertEquals((await next(worker)).data, "inner says inner");
  worker.terminate();
});

test("brand checks and interface shape", () => {
  assertThrows(() => Worker.prototype.postMessage.call({}, 1), TypeError);
  assertThrows(() => Worker.prototype.terminate.call({}), TypeError);
  assertThrows(() => Worker(echoURL), TypeError);
  assertEquals(Object.prototype.toString.call(Worker.prototype), "[object Worker]");
});

await run();
