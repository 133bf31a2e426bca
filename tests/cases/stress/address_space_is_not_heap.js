// args: run --heap-limit 64 $FILE
// exit: 1
// Memory outside the JavaScript heap that cannot be had is a RangeError, not
// "the heap reached its limit": V8 collects garbage as a last resort before
// it gives up on address space, and the runtime must tell that apart from a
// full heap (found by fuzz/fuzz_targets/v8_message.rs). The heap limit here
// is small, so each failure would end the run if it were taken for one.
// At the end the heap does fill up: the limit must be back at 64 MiB, with
// room to unwind, so the run ends cleanly (exit 1) rather than in V8's abort.
import { assert, assertEquals, assertThrows, next, run, test } from "../_assert.js";

const huge = 2 ** 47; // more address space than a process gets

test("a resizable ArrayBuffer too large to reserve is a RangeError", () => {
  for (let i = 0; i < 10; i++) {
    assertThrows(() => new ArrayBuffer(0, { maxByteLength: huge }), "RangeError");
  }
});

test("resizable buffers of a possible size are cloned and posted", async () => {
  const buffer = new ArrayBuffer(8, { maxByteLength: 2 ** 32 });
  const { port1, port2 } = new MessageChannel();
  port2.start();
  port1.postMessage(buffer);
  const { data } = await next(port2);
  assert(data.resizable, "still resizable");
  assertEquals(data.maxByteLength, 2 ** 32);
  port1.close();
});

await run();
console.log("now the heap grows");
const hoard = [];
for (;;) hoard.push({ at: hoard.length });
