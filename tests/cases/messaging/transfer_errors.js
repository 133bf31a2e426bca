// Transfer-list and serialization errors: DataCloneError, nothing sent.
import { assert, assertEquals, assertThrows, run, sleep, test } from "../_assert.js";

function channel() {
  const { port1, port2 } = new MessageChannel();
  const got = [];
  port2.onmessage = (e) => got.push(e.data);
  return { port1, port2, got };
}

test("the source port in the transfer list", async () => {
  const { port1, port2, got } = channel();
  assertThrows(() => port1.postMessage("x", [port1]), "DataCloneError");
  await sleep(5);
  assertEquals(got.length, 0);
  port2.close();
});

test("duplicate transfer entries", async () => {
  const { port1, port2, got } = channel();
  const buffer = new ArrayBuffer(8);
  assertThrows(() => port1.postMessage(buffer, [buffer, buffer]), "DataCloneError");
  assertEquals(buffer.byteLength, 8, "nothing detached");
  const other = new MessageChannel();
  assertThrows(() => port1.postMessage(1, [other.port1, other.port1]), "DataCloneError");
  await sleep(5);
  assertEquals(got.length, 0);
  port2.close();
});

test("a detached ArrayBuffer", async () => {
  const { port1, port2, got } = channel();
  const buffer = new ArrayBuffer(8);
  buffer.transfer();
  assertThrows(() => port1.postMessage(1, [buffer]), "DataCloneError");
  await sleep(5);
  assertEquals(got.length, 0);
  port2.close();
});

test("non-transferable objects in the list", async () => {
  const { port1, port2, got } = channel();
  for (const item of [{}, [], new Uint8Array(4), new SharedArrayBuffer(4), () => 1]) {
    assertThrows(() => port1.postMessage(1, [item]), "DataCloneError", String(item));
  }
  // sequence<object>: primitives fail the WebIDL conversion first.
  for (const item of [5, "s", null, undefined]) {
    assertThrows(() => port1.postMessage(1, [item]), TypeError, String(item));
  }
  await sleep(5);
  assertEquals(got.length, 0);
  port2.close();
});

test("non-serializable values anywhere in the graph", async () => {
  const { port1, port2, got } = channel();
  const values = [
    () => 1,
    Symbol("s"),
    new WeakMap(),
    new WeakSet(),
    { deep: { deeper: [1, 2, { fn() {} }] } },
    [Symbol.iterator],
    new Map([[1, () => 2]]),
    new Proxy({}, {}),
    new MessageChannel().port1,
    // Platform objects that are not serializable.
    new URL("file:///x"),
    { nested: new URLSearchParams("a=1") },
    new Event("e"),
    new ReadableStream(),
    new TextEncoder(),
    new MessageChannel(),
  ];
  for (const value of values) {
    assertThrows(() => port1.postMessage(value), "DataCloneError", String(typeof value));
  }
  await sleep(5);
  assertEquals(got.length, 0, "nothing was sent");
  port2.close();
});

test("a failed serialization transfers nothing", async () => {
  const { port1, port2 } = channel();
  const buffer = new ArrayBuffer(16);
  const other = new MessageChannel();
  assertThrows(() => port1.postMessage({ buffer, f() {} }, [buffer, other.port1]), "DataCloneError");
  assertEquals(buffer.byteLength, 16, "buffer still attached");
  other.port2.postMessage("still entangled");
  const event = await new Promise((resolve) => (other.port1.onmessage = resolve));
  assertEquals(event.data, "still entangled");
  other.port1.close();
  port2.close();
});

test("the same errors from structuredClone", () => {
  const buffer = new ArrayBuffer(4);
  assertThrows(() => structuredClone(buffer, { transfer: [buffer, buffer] }), "DataCloneError");
  assertThrows(() => structuredClone(() => 1), "DataCloneError");
  assertThrows(() => structuredClone(1, { transfer: [{}] }), "DataCloneError");
  assertThrows(() => structuredClone(), TypeError);
  const { port1 } = new MessageChannel();
  assertThrows(() => structuredClone(port1), "DataCloneError");
  assert(buffer.byteLength === 4);
  port1.close();
});

await run();
