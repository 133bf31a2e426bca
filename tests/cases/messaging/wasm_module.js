// WebAssembly.Module is serializable within the process: structuredClone,
// ports and workers hand over the compiled module, which instantiates.
import { assert, assertEquals, next, run, test } from "../_assert.js";
import { ADD_WASM } from "./_wasm_bytes.js";

const workerURL = new URL("./_wasm_worker.js", import.meta.url);

function add(module) {
  return new WebAssembly.Instance(module).exports.add;
}

test("structuredClone(module) gives a new module that instantiates", () => {
  const module = new WebAssembly.Module(ADD_WASM);
  const clone = structuredClone(module);
  assert(clone instanceof WebAssembly.Module && clone !== module);
  assertEquals(add(clone)(40, 2), 42);
  assertEquals(WebAssembly.Module.exports(clone)[0].name, "add");
});

test("a module referenced twice in a message arrives as one object", () => {
  const module = new WebAssembly.Module(ADD_WASM);
  const clone = structuredClone({ a: module, b: [module] });
  assert(clone.a === clone.b[0]);
});

test("a module posted to a port arrives with the message", async () => {
  const { port1, port2 } = new MessageChannel();
  port2.start();
  const module = new WebAssembly.Module(ADD_WASM);
  port1.postMessage({ module, note: "hi" });
  const { data } = await next(port2);
  assertEquals(data.note, "hi");
  assertEquals(add(data.module)(1, 2), 3);
  port2.close();
});

test("main to worker and back: a worker instantiates a posted module, and posts one", async () => {
  const worker = new Worker(workerURL, { type: "module" });
  const module = new WebAssembly.Module(ADD_WASM);
  worker.postMessage({ module, again: module });
  const { data } = await next(worker);
  assertEquals(data.sum, 5);
  assert(data.same, "one module object in the worker");
  worker.postMessage("send one");
  const reply = await next(worker);
  assertEquals(add(reply.data.module)(7, 8), 15);
  worker.terminate();
});

test("worker to worker: a module compiled in one worker instantiates in another", async () => {
  const sender = new Worker(workerURL, { type: "module" });
  const receiver = new Worker(workerURL, { type: "module" });
  const { port1, port2 } = new MessageChannel();
  receiver.postMessage({ receiveOn: port2 }, [port2]);
  assertEquals((await next(receiver)).data, "listening");
  sender.postMessage({ sendOn: port1 }, [port1]);
  assertEquals((await next(receiver)).data.fromWorker, 42);
  sender.terminate();
  receiver.terminate();
});

await run();
