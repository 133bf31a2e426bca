// Transferable streams: a ReadableStream, WritableStream or TransformStream
// in a transfer list arrives as a working stream wired through a port pair.
import { assert, assertEquals, assertRejects, assertThrows, next, run, sleep, test } from "../_assert.js";

const workerURL = new URL("./_stream_worker.js", import.meta.url);

function numbers(count, pulled = { n: 0 }) {
  let i = 0;
  return new ReadableStream({
    pull(controller) {
      pulled.n++;
      if (i === count) controller.close();
      else controller.enqueue(i++);
    },
  });
}

async function readAll(stream) {
  const chunks = [];
  for await (const chunk of stream) chunks.push(chunk);
  return chunks;
}

test("structuredClone transfers a ReadableStream on one thread", async () => {
  const stream = numbers(5);
  const clone = structuredClone(stream, { transfer: [stream] });
  assert(stream.locked, "the original is locked");
  assert(clone instanceof ReadableStream && clone !== stream);
  assertEquals((await readAll(clone)).join(), "0,1,2,3,4");
});

test("chunks are structured-cloned", async () => {
  const date = new Date(0);
  const chunk = { date, bytes: new Uint8Array([1, 2]), map: new Map([[1, "a"]]) };
  const stream = new ReadableStream({
    start(c) {
      c.enqueue(chunk);
      c.close();
    },
  });
  const [got] = await readAll(structuredClone(stream, { transfer: [stream] }));
  assert(got !== chunk && got.date !== date);
  assertEquals(got.date.getTime(), 0);
  assertEquals(got.bytes.join(), "1,2");
  assertEquals(got.map.get(1), "a");
});

test("a WritableStream and a TransformStream are transferred", async () => {
  const written = [];
  const writable = new WritableStream({ write: (chunk) => void written.push(chunk) });
  const far = structuredClone(writable, { transfer: [writable] });
  assert(writable.locked && far instanceof WritableStream);
  const writer = far.getWriter();
  await writer.write("x");
  await writer.write("y");
  await writer.close();
  await sleep(10);
  assertEquals(written.join(), "x,y");

  const transform = new TransformStream({ transform: (c, controller) => controller.enqueue(c * 2) });
  const moved = structuredClone(transform, { transfer: [transform] });
  assert(transform.readable.locked && transform.writable.locked);
  assert(moved instanceof TransformStream);
  const w = moved.writable.getWriter();
  w.write(1);
  w.write(2);
  w.close();
  assertEquals((await readAll(moved.readable)).join(), "2,4");
});

test("a subclass instance arrives as its transferable superclass", () => {
  class Sub extends ReadableStream {}
  const stream = new Sub();
  const clone = structuredClone(stream, { transfer: [stream] });
  assertEquals(Object.getPrototypeOf(clone), ReadableStream.prototype);
});

test("main to worker: the worker reads a transferred ReadableStream", async () => {
  const worker = new Worker(workerURL, { type: "module" });
  const stream = numbers(100);
  worker.postMessage({ cmd: "read", stream }, [stream]);
  assert(stream.locked);
  const { data } = await next(worker);
  assertEquals(data.chunks.length, 100);
  assertEquals(data.chunks[99], 99);
  worker.terminate();
});

test("worker to main: a ReadableStream made in a worker is read here", async () => {
  const worker = new Worker(workerURL, { type: "module" });
  worker.postMessage({ cmd: "produce", count: 50 });
  const { data, ports } = await next(worker);
  assertEquals(ports.length, 0, "the stream's port is not one of the message's");
  const chunks = await readAll(data.stream);
  assertEquals(chunks.length, 50);
  assertEquals(chunks[49].i, 49);
  worker.terminate();
});

test("worker to worker: a stream passes through a worker to its nested worker", async () => {
  const worker = new Worker(workerURL, { type: "module", name: "outer" });
  const stream = numbers(20);
  worker.postMessage({ cmd: "relay", stream }, [stream]);
  const { data } = await next(worker);
  assertEquals(data.via, "inner");
  assertEquals(data.chunks.join(), [...Array(20).keys()].join());
  worker.terminate();
});

test("a TransformStream goes to a worker; its transformer runs here", async () => {
  const worker = new Worker(workerURL, { type: "module" });
  const transform = new TransformStream({ transform: (c, controller) => controller.enqueue(c.toUpperCase()) });
  worker.postMessage({ cmd: "transform", transform, input: ["a", "b"] }, [transform]);
  const { data } = await next(worker);
  assertEquals(data.chunks.join(), "A,B");
  worker.terminate();
});

test("backpressure: a fast producer piping into a slow worker's writable stream is bounded", async () => {
  const worker = new Worker(workerURL, { type: "module" });
  worker.postMessage({ cmd: "slowSink" });
  const { data } = await next(worker);
  const pulled = { n: 0 };
  const count = 1000;
  const done = numbers(count, pulled).pipeTo(data.stream);
  // The sink holds its first write: whatever the producer made meanwhile is
  // queued somewhere between the two threads.
  await sleep(300);
  const queued = pulled.n;
  await sleep(100);
  assertEquals(pulled.n, queued, "the producer stopped");
  // Queues with high-water mark 1 on each side, the message in flight and
  // the write held by the sink: a handful, not a thousand.
  assert(queued <= 8, `at most 8 chunks pulled before the sink took one, got ${queued}`);
  const report = next(worker);
  worker.postMessage({ cmd: "go" });
  await done;
  const result = (await report).data;
  assertEquals(result.written, count);
  assertEquals(result.last, count - 1);
  worker.terminate();
});

test("an error of the source reaches the reader; a cancel reason reaches the source", async () => {
  const failing = new ReadableStream({
    start(c) {
      c.enqueue(1);
      c.error(new RangeError("boom"));
    },
  });
  const clone = structuredClone(failing, { transfer: [failing] });
  const reader = clone.getReader();
  const error = await assertRejects(async () => {
    for (;;) if ((await reader.read()).done) break;
  }, RangeError);
  assertEquals(error.message, "boom");

  let reason;
  const source = new ReadableStream({ pull: (c) => c.enqueue("x"), cancel: (r) => void (reason = r) });
  const worker = new Worker(workerURL, { type: "module" });
  worker.postMessage({ cmd: "cancel", stream: source, reason: { why: "enough" } }, [source]);
  await next(worker);
  await sleep(10);
  assertEquals(reason?.why, "enough");
  worker.terminate();
});

test("a cancel reason that cannot be cloned becomes a DataCloneError", async () => {
  let reason;
  const source = new ReadableStream({ cancel: (r) => void (reason = r) });
  const clone = structuredClone(source, { transfer: [source] });
  await assertRejects(() => clone.cancel(() => "a function"), "DataCloneError");
  await sleep(10);
  assert(reason instanceof DOMException, `the source got ${reason}`);
  assertEquals(reason.name, "DataCloneError");
});

test("a locked stream, a stream listed twice, a stream not in the transfer list: DataCloneError, nothing sent or locked", async () => {
  const { port1, port2 } = new MessageChannel();
  const got = [];
  port2.onmessage = (e) => got.push(e.data);
  const locked = new ReadableStream();
  locked.getReader();
  const free = new ReadableStream();
  const writable = new WritableStream();
  const error = assertThrows(() => port1.postMessage({ locked, free }, [free, locked]), "DataCloneError");
  assertEquals(error.message, "ReadableStream at index 1 is locked.");
  assert(!free.locked, "nothing locked");
  const lockedWritable = new WritableStream();
  lockedWritable.getWriter();
  assertThrows(() => structuredClone(lockedWritable, { transfer: [lockedWritable] }), "DataCloneError");
  const transform = new TransformStream();
  transform.readable.getReader();
  assertThrows(() => structuredClone(transform, { transfer: [transform] }), "DataCloneError");
  assert(!transform.writable.locked, "the other side stays unlocked");
  assertThrows(() => port1.postMessage(free, [free, free]), "DataCloneError");
  assert(!free.locked);
  const buffer = new ArrayBuffer(4);
  assertThrows(() => port1.postMessage({ free, writable, buffer }, [free, buffer]), "DataCloneError");
  assert(!free.locked && !writable.locked, "nothing locked");
  assertEquals(buffer.byteLength, 4, "nothing detached");
  assertThrows(() => structuredClone(free), "DataCloneError");
  await sleep(10);
  assertEquals(got.length, 0, "nothing sent");
  port2.close();
});

await run();
