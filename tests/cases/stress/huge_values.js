// args: run --heap-limit 4096 $FILE
// Hostile sizes: 1 GiB buffers and the longest strings V8 allows clone,
// transfer or fail with a clear RangeError / DataCloneError — never an
// abort, and a failed post sends nothing. The heap limit is raised: three
// 512 MiB strings (original, clone, posted copy) do not fit V8's default
// heap of about 1.5 GiB on this machine, which ends the run cleanly
// ("the JavaScript heap reached its limit") but is not what this tests.
import { assert, assertEquals, next, run, test } from "../_assert.js";

const GiB = 1024 ** 3;

test("a 1 GiB ArrayBuffer is transferred without a copy", async () => {
  const buffer = new ArrayBuffer(GiB);
  new Uint8Array(buffer)[GiB - 1] = 42;
  const { port1, port2 } = new MessageChannel();
  port2.start();
  port1.postMessage(buffer, [buffer]);
  assertEquals(buffer.byteLength, 0, "detached");
  const { data } = await next(port2);
  assertEquals(data.byteLength, GiB);
  assertEquals(new Uint8Array(data)[GiB - 1], 42);
  port1.close();
});

test("a 1 GiB ArrayBuffer is cloned", () => {
  const buffer = new ArrayBuffer(GiB);
  new Uint8Array(buffer)[7] = 7;
  const copy = structuredClone(buffer);
  assertEquals(copy.byteLength, GiB);
  assertEquals(new Uint8Array(copy)[7], 7);
  assertEquals(buffer.byteLength, GiB, "the original stays");
});

test("a 1 GiB string cannot even be made: RangeError", () => {
  let error;
  try {
    "x".repeat(GiB);
  } catch (e) {
    error = e;
  }
  assert(error instanceof RangeError, String(error));
  assertEquals(error.message, "Invalid string length");
});

test("the longest string V8 allows is cloned and posted", async () => {
  // 2^29 - 24 characters, V8's limit on 64-bit (512 MiB of one-byte data).
  const text = "x".repeat(2 ** 29 - 24);
  const clone = structuredClone(text);
  assertEquals(clone.length, text.length);
  assert(clone === text, "same contents");
  const { port1, port2 } = new MessageChannel();
  port2.start();
  port1.postMessage(text);
  const { data } = await next(port2);
  assertEquals(data.length, text.length);
  port1.close();
});
await run();
