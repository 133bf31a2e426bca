// The fast path of structured clone (primitives, strings of any length and
// cloned ArrayBuffers written without V8's serializer; plain objects and
// dense arrays read without its deserializer) is observably the general
// path: each value is cloned both ways and the results compared, hostile
// values included.
import { assert, assertEquals, assertThrows, next, run, test } from "../_assert.js";

/** A clone through the general path: any transfer list takes it. */
function general(value) {
  return structuredClone(value, { transfer: [new ArrayBuffer(1)] });
}

const { port1, port2 } = new MessageChannel();
port2.start();

async function viaPort(value) {
  port1.postMessage(value);
  return (await next(port2)).data;
}

/** Everything a script can observe of a clone made of plain data. */
function describe(value, seen = new Map()) {
  if (typeof value === "number") return Object.is(value, -0) ? "-0" : String(value);
  if (typeof value === "string") return JSON.stringify(value);
  if (typeof value !== "object" || value === null) return String(value);
  if (seen.has(value)) return `#${seen.get(value)}`;
  seen.set(value, seen.size);
  if (value instanceof ArrayBuffer) return `ArrayBuffer(${[...new Uint8Array(value)]})`;
  const proto = Object.getPrototypeOf(value);
  const kind = proto === Array.prototype ? `Array(${value.length})` : proto === Object.prototype ? "Object" : "?";
  const props = Reflect.ownKeys(value).map((key) => {
    const d = Object.getOwnPropertyDescriptor(value, key);
    const flags = `${d.writable ? "w" : ""}${d.enumerable ? "e" : ""}${d.configurable ? "c" : ""}`;
    return `${String(key)}:${flags}=${"value" in d ? describe(d.value, seen) : "accessor"}`;
  });
  return `${kind}{${props.join(",")}}`;
}

async function sameBothWays(value, what) {
  const expected = describe(general(value));
  assertEquals(describe(structuredClone(value)), expected, `${what} (structuredClone):`);
  assertEquals(describe(await viaPort(value)), expected, `${what} (port):`);
}

const longLatin1 = "é".repeat(100_000);
const longUtf16 = "😀".repeat(100_000);

test("primitives and strings of any length", async () => {
  const values = [
    undefined,
    null,
    true,
    false,
    0,
    -0,
    1,
    -1,
    2 ** 31,
    -(2 ** 31),
    1.5,
    NaN,
    -Infinity,
    Number.MAX_VALUE,
    2 ** 30 + 1,
    -(2 ** 31) - 1,
    5e-324,
  ];
  values.push("", "ascii", "é", "\u{10FFFF}", "\uD800 lone", longLatin1, longUtf16, "x".repeat(1 << 20));
  for (const value of values) {
    await sameBothWays(value, typeof value === "string" ? `string of ${value.length}` : String(value));
  }
  assertEquals(structuredClone(longUtf16), longUtf16);
});

test("plain objects and dense arrays, as V8 writes them", async () => {
  const values = [
    { a: 1, b: "x" },
    { z: 1, a: 2, m: 3 },
    { "": 0, "__proto__": 1, "😀": [1, 2, 3] },
    Object.assign(Object.create(null), { a: 1 }),
    JSON.parse('{"__proto__": {"a": 1}}'),
    { 1: "index", a: "name", 0: "first" },
    [],
    [1, "two", null, undefined, -0, [3, [4, [5, [6, [7]]]]]],
    Array.from({ length: 100 }, (_, i) => i),
    Array.from({ length: 20 }, (_, i) => ({ id: i, name: `n${i}`, ok: i % 2 === 0 })),
    [1, , 3],
    Object.assign([1, 2], { extra: true }),
    { nested: { deeper: { deepest: { bottom: { floor: 1 } } } } },
  ];
  for (const value of values) await sameBothWays(value, describe(value).slice(0, 60));
});

test("shared references and cycles keep their shape", async () => {
  const shared = { s: 1 };
  const cyclic = { name: "c" };
  cyclic.self = cyclic;
  const list = [shared, shared];
  for (const value of [{ a: shared, b: shared }, cyclic, list]) await sameBothWays(value, "graph");
  const clone = structuredClone({ a: shared, b: shared });
  assert(clone.a === clone.b, "one object, twice");
  const c = structuredClone(cyclic);
  assert(c.self === c, "the cycle survives");
});

test("getters run once each, in order, and their throws propagate", () => {
  for (const clone of [structuredClone, general]) {
    const log = [];
    const value = {
      a: 1,
      get b() {
        log.push("b");
        delete this.c;
        this.late = "added";
        return "from b";
      },
      c: "deleted by b",
      get d() {
        log.push("d");
        return ["x"];
      },
    };
    const result = clone(value);
    assertEquals(log.join(), "b,d", `${clone.name}: getters`);
    assertEquals(
      describe(result),
      'Object{a:wec=1,b:wec="from b",d:wec=Array(1){0:wec="x",length:w=1}}',
      `${clone.name}:`,
    );
    const failing = {
      ok: 1,
      get boom() {
        throw new RangeError("from a getter");
      },
    };
    assertThrows(() => clone(failing), "RangeError", `${clone.name}:`);
  }
});

test("proxies, functions, symbols and class instances fail or lose their class alike", () => {
  for (const value of [new Proxy({}, {}), () => 1, Symbol("s"), { f() {} }, [Symbol.iterator]]) {
    const fast = assertThrows(() => structuredClone(value), "DataCloneError");
    const slow = assertThrows(() => general(value), "DataCloneError");
    assertEquals(fast.message, slow.message);
  }
  class Point {
    constructor() {
      this.x = 1;
    }
  }
  assertEquals(describe(structuredClone(new Point())), describe(general(new Point())));
  const reparented = Object.setPrototypeOf(new Map([[1, 2]]), Object.prototype);
  assertEquals(describe(structuredClone(reparented)), describe(general(reparented)));
});

test("a cloned ArrayBuffer is a copy of its own, once", async () => {
  const bytes = new Uint8Array(3 << 20).map((_, i) => i % 251);
  for (const buffer of [new ArrayBuffer(0), new Uint8Array([1, 2, 3]).buffer, bytes.buffer]) {
    const fast = structuredClone(buffer);
    assert(fast !== buffer && !buffer.detached, "the original stays");
    assertEquals(describe(fast), describe(general(buffer)));
    new Uint8Array(fast)[0] = 255;
    assert(buffer.byteLength === 0 || new Uint8Array(buffer)[0] !== 255, "the copy is not shared");
    const received = await viaPort(buffer);
    assertEquals(received.byteLength, buffer.byteLength);
    assertEquals(new Uint8Array(received).at(-1), new Uint8Array(buffer).at(-1));
  }
  const resizable = new ArrayBuffer(4, { maxByteLength: 16 });
  assertEquals(structuredClone(resizable).maxByteLength, 16, "a resizable buffer keeps its maximum:");
  const detached = new ArrayBuffer(8);
  structuredClone(detached, { transfer: [detached] });
  assertThrows(() => structuredClone(detached), "DataCloneError");
});

await run();
port1.close();
port2.close();
