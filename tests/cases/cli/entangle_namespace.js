// args: run $FILE one "two --flag
// exit: 3
// The `Entangle` namespace: arguments, versions, exit code, memory usage.
import { assert, assertEquals, assertThrows, run, test } from "../_assert.js";

test("Entangle is a non-enumerable global", () => {
  const descriptor = Object.getOwnPropertyDescriptor(globalThis, "Entangle");
  assertEquals(descriptor.enumerable, false);
  assertEquals(Object.keys(globalThis).includes("Entangle"), false);
  assert(Object.isFrozen(Entangle));
});

test("Entangle.args: the arguments after the script, frozen", () => {
  assertEquals(JSON.stringify(Entangle.args), '["one","\\"two","--flag"]');
  assert(Object.isFrozen(Entangle.args));
  assertThrows(() => {
    "use strict";
    Entangle.args.push("x");
  }, TypeError);
});

test("Entangle.version", () => {
  assertEquals(Object.keys(Entangle.version).join(), "entangle,v8");
  assert(/^\d+\.\d+\.\d+/.test(Entangle.version.entangle), Entangle.version.entangle);
  assert(/^\d+\.\d+\.\d+/.test(Entangle.version.v8), Entangle.version.v8);
});

test("Entangle.memoryUsage()", () => {
  const usage = Entangle.memoryUsage();
  assertEquals(Object.keys(usage).join(), "rss,heapTotal,heapUsed,external");
  assert(usage.rss > usage.heapUsed && usage.heapTotal >= usage.heapUsed && usage.heapUsed > 0, JSON.stringify(usage));
  const big = new Array(1e6).fill(1);
  assert(Entangle.memoryUsage().heapUsed > usage.heapUsed + 4e6, "grows with the heap");
  big.length = 0;
});

test("Entangle.exitCode: read/write, an integer in 0..=255", () => {
  assertEquals(Entangle.exitCode, 0);
  assertThrows(() => (Entangle.exitCode = 1.5), TypeError);
  assertThrows(() => (Entangle.exitCode = "2"), TypeError);
  assertThrows(() => (Entangle.exitCode = 256), RangeError);
  assertThrows(() => Entangle.exit(-1), RangeError);
  Entangle.exitCode = 3;
  assertEquals(Entangle.exitCode, 3);
});

await run();
