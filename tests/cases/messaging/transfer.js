// Transfers: ArrayBuffers move without a copy, ports keep their queue and partner.
import { assert, assertEquals, next, run, sleep, test } from "../_assert.js";

test("an ArrayBuffer is detached on the sender, intact on the receiver", async () => {
  const { port1, port2 } = new MessageChannel();
  port2.start();
  const buffer = new Uint8Array([1, 2, 3, 4]).buffer;
  port1.postMessage({ buffer, view: new Uint8Array(buffer, 1, 2) }, [buffer]);
  assertEquals(buffer.byteLength, 0);
  assert(buffer.detached);
  const { data } = await next(port2);
  assertEquals(data.buffer.byteLength, 4);
  assertEquals([...new Uint8Array(data.buffer)].join(), "1,2,3,4");
  assertEquals(data.view.buffer, data.buffer, "the view shares the moved buffer");
  assertEquals([...data.view].join(), "2,3");
  port2.close();
});

test("a large buffer moves without a copy", async () => {
  const { port1, port2 } = new MessageChannel();
  port2.start();
  const size = 1024 * 1024 * 1024;
  const buffer = new ArrayBuffer(size);
  const bytes = new Uint8Array(buffer);
  bytes[0] = 7;
  bytes[size - 1] = 9;
  const started = performance.now();
  port1.postMessage(buffer, [buffer]);
  const { data } = await next(port2);
  const elapsed = performance.now() - started;
  assertEquals(data.byteLength, size);
  const received = new Uint8Array(data);
  assertEquals(received[0], 7);
  assertEquals(received[size - 1], 9);
  // Copying 1 GiB takes hundreds of milliseconds; moving it, microseconds.
  assert(elapsed < 100, `took ${elapsed} ms`);
  port2.close();
});

test("a resizable ArrayBuffer keeps maxByteLength", async () => {
  const { port1, port2 } = new MessageChannel();
  port2.start();
  const buffer = new ArrayBuffer(4, { maxByteLength: 64 });
  port1.postMessage(buffer, [buffer]);
  const { data } = await next(port2);
  assert(data.resizable);
  assertEquals(data.maxByteLength, 64);
  data.resize(32);
  assertEquals(data.byteLength, 32);
  const cloned = structuredClone(new ArrayBuffer(2, { maxByteLength: 8 }));
  assertEquals(cloned.maxByteLength, 8);
  port2.close();
});

test("structuredClone with transfer moves the buffer", () => {
  const buffer = new Uint8Array([5, 6]).buffer;
  const clone = structuredClone(buffer, { transfer: [buffer] });
  assertEquals(buffer.byteLength, 0);
  assertEquals([...new Uint8Array(clone)].join(), "5,6");
});

test("transfers happen even when the port is not entangled", () => {
  const { port1, port2 } = new MessageChannel();
  port2.close();
  const buffer = new ArrayBuffer(8);
  port1.postMessage(buffer, [buffer]);
  assertEquals(buffer.byteLength, 0);
});

test("a transferred port keeps its partner and its queued messages", async () => {
  const carrier = new MessageChannel();
  const { port1, port2 } = new MessageChannel();
  port1.postMessage("queued 1");
  port1.postMessage("queued 2");
  carrier.port1.postMessage({ port: port2 }, [port2]);
  port1.postMessage("sent while in transit");
  carrier.port2.start();
  const event = await next(carrier.port2);
  const moved = event.data.port;
  assert(moved instanceof MessagePort);
  assert(moved !== port2, "a new object on the receiving side");
  assertEquals(event.ports.length, 1);
  assertEquals(event.ports[0], moved, "ports holds the same objects as data");
  assert(Object.isFrozen(event.ports));
  const got = [];
  moved.onmessage = (e) => got.push(e.data);
  await sleep(10);
  assertEquals(got.join(" / "), "queued 1 / queued 2 / sent while in transit");
  moved.postMessage("reply");
  port1.start();
  assertEquals((await next(port1)).data, "reply");
  carrier.port1.close();
  port1.close();
});

test("a port shipped by its own message handler takes the rest of its queue along", async () => {
  const carrier = new MessageChannel();
  const { port1, port2 } = new MessageChannel();
  for (let i = 1; i <= 5; i++) port1.postMessage(i);
  const here = [];
  port2.onmessage = (e) => {
    here.push(e.data);
    if (e.data === 2) carrier.port1.postMessage(port2, [port2]);
  };
  carrier.port2.start();
  const moved = (await next(carrier.port2)).data;
  port1.postMessage(6);
  const there = [];
  moved.onmessage = (e) => there.push(e.data);
  await sleep(10);
  assertEquals(here.join(), "1,2", "nothing after the shipping message is delivered here:");
  assertEquals(there.join(), "3,4,5,6");
  carrier.port1.close();
  port1.close();
  moved.close();
});

test("a port whose shipping fails in its handler keeps the rest of its queue, in order", async () => {
  const { port1, port2 } = new MessageChannel();
  for (let i = 1; i <= 5; i++) port1.postMessage(i);
  const got = [];
  port2.onmessage = (e) => {
    got.push(e.data);
    if (e.data === 2) {
      let error;
      try {
        structuredClone(() => {}, { transfer: [port2] });
      } catch (e) {
        error = e;
      }
      assertEquals(error?.name, "DataCloneError");
    }
  };
  await sleep(10);
  assertEquals(got.join(), "1,2,3,4,5");
  port1.postMessage(6);
  await sleep(10);
  assertEquals(got.join(), "1,2,3,4,5,6");
  port1.close();
});

test("the original of a transferred port is neutered", async () => {
  const carrier = new MessageChannel();
  const { port1, port2 } = new MessageChannel();
  carrier.port1.postMessage(null, [port2]);
  port2.postMessage("from the old object");
  let got = 0;
  port1.onmessage = () => got++;
  await sleep(10);
  assertEquals(got, 0);
  carrier.port1.postMessage(null, { transfer: [] });
  let threw = false;
  try {
    carrier.port1.postMessage(null, [port2]);
  } catch (e) {
    threw = e.name === "DataCloneError";
  }
  assert(threw, "a shipped port cannot be transferred again");
  carrier.port1.close();
  port1.close();
});

test("structuredClone transfers a port", async () => {
  const { port1, port2 } = new MessageChannel();
  const clone = structuredClone({ port2 }, { transfer: [port2] }).port2;
  assert(clone !== port2);
  clone.start();
  port1.postMessage("through the clone");
  assertEquals((await next(clone)).data, "through the clone");
  port1.close();
});

await run();
