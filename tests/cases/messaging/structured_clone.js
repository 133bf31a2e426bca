// Structured clone of every type the spec lists, through structuredClone and a port.
import { assert, assertEquals, next, run, test } from "../_assert.js";

const { port1, port2 } = new MessageChannel();
port2.start();

async function viaPort(value) {
  port1.postMessage(value);
  return (await next(port2)).data;
}

async function both(value, check) {
  await check(structuredClone(value), "structuredClone");
  await check(await viaPort(value), "port");
}

test("primitives", async () => {
  for (
    const value of [
      undefined,
      null,
      true,
      false,
      0,
      -0,
      1.5,
      NaN,
      Infinity,
      "",
      "text ✓ 😀",
      12345678901234567890n,
      -1n,
    ]
  ) {
    await both(value, (clone, how) => assert(Object.is(clone, value), `${how}: ${String(value)}`));
  }
});

test("primitive wrappers", async () => {
  await both(Object(5), (c) => assert(c instanceof Number && c.valueOf() === 5));
  await both(Object("s"), (c) => assert(c instanceof String && c.valueOf() === "s"));
  await both(Object(false), (c) => assert(c instanceof Boolean && c.valueOf() === false));
  await both(Object(3n), (c) => assert(typeof c === "object" && c.valueOf() === 3n));
});

test("Date and RegExp", async () => {
  const date = new Date(2020, 1, 29, 12, 30);
  await both(date, (c) => assert(c instanceof Date && c.getTime() === date.getTime()));
  await both(new Date(NaN), (c) => assert(Number.isNaN(c.getTime())));
  await both(/a+b/giu, (c) => assert(c instanceof RegExp && c.source === "a+b" && c.flags === "giu"));
});

test("Map and Set keep order and nested values", async () => {
  const map = new Map([[1, "one"], ["k", { v: [1] }], [{ o: 1 }, new Set([1])]]);
  await both(map, (c) => {
    assert(c instanceof Map && c.size === 3);
    assertEquals([...c.keys()][1], "k");
    assertEquals(c.get("k").v[0], 1);
    assert([...c.values()][2] instanceof Set);
  });
  await both(new Set(["b", "a", 3]), (c) => assertEquals([...c].join(), "b,a,3"));
});

test("arrays keep holes, length and extra properties", async () => {
  const array = [1, , 3];
  array.length = 5;
  array.extra = "x";
  await both(array, (c) => {
    assertEquals(c.length, 5);
    assert(!(1 in c), "hole");
    assertEquals(c[2], 3);
    assertEquals(c.extra, "x");
  });
});

test("Error types keep name, message, stack and cause", async () => {
  for (const Ctor of [Error, EvalError, RangeError, ReferenceError, SyntaxError, TypeError, URIError]) {
    const error = new Ctor("boom", { cause: "why" });
    await both(error, (c, how) => {
      assert(c instanceof Ctor, `${how} ${Ctor.name}`);
      assertEquals(c.name, Ctor.name);
      assertEquals(c.message, "boom");
      assertEquals(typeof c.stack, "string");
      assert(c.stack.includes("boom"));
      assertEquals(c.cause, "why");
    });
  }
});

test("typed arrays, DataView and ArrayBuffer", async () => {
  const types = [
    Int8Array,
    Uint8Array,
    Uint8ClampedArray,
    Int16Array,
    Uint16Array,
    Int32Array,
    Uint32Array,
    Float32Array,
    Float64Array,
    BigInt64Array,
    BigUint64Array,
  ];
  for (const Type of types) {
    const array = Type.name.startsWith("Big") ? new Type([1n, 2n]) : new Type([1, 2]);
    await both(array, (c) => assert(c instanceof Type && c.length === 2 && c[1] == 2, Type.name));
  }
  const buffer = new ArrayBuffer(8);
  const view = new DataView(buffer, 2, 4);
  view.setUint16(0, 513);
  await both({ buffer, view }, (c) => {
    assert(c.view instanceof DataView);
    assertEquals(c.view.byteOffset, 2);
    assertEquals(c.view.getUint16(0), 513);
    assertEquals(c.view.buffer, c.buffer, "shared buffer stays shared");
  });
});

test("cycles and shared references survive", async () => {
  const shared = { name: "shared" };
  const root = { a: shared, b: shared, list: [shared] };
  root.self = root;
  root.list.push(root.list);
  await both(root, (c) => {
    assertEquals(c.self, c);
    assertEquals(c.a, c.b);
    assertEquals(c.list[0], c.a);
    assertEquals(c.list[1], c.list);
  });
});

test("DOMException", async () => {
  const exception = new DOMException("no clone", "DataCloneError");
  await both(exception, (c, how) => {
    assert(c instanceof DOMException, how);
    assertEquals(c.name, "DataCloneError");
    assertEquals(c.message, "no clone");
    assertEquals(c.code, 25);
    assert(c !== exception);
  });
});

test("Blob", async () => {
  const blob = new Blob(["hello ", "blob"], { type: "text/plain" });
  await both(blob, async (c, how) => {
    assert(c instanceof Blob, how);
    assertEquals(c.size, 10);
    assertEquals(c.type, "text/plain");
    assertEquals(await c.text(), "hello blob");
  });
});

test("plain objects lose prototypes, getters run once, symbols are skipped", () => {
  class Point {
    constructor() {
      this.x = 1;
    }
  }
  let reads = 0;
  const value = {
    point: new Point(),
    get g() {
      reads++;
      return 2;
    },
    [Symbol("s")]: 1,
  };
  const clone = structuredClone(value);
  assertEquals(Object.getPrototypeOf(clone.point), Object.prototype);
  assertEquals(clone.g, 2);
  assertEquals(reads, 1);
  assertEquals(Object.getOwnPropertySymbols(clone).length, 0);
});

test("SharedArrayBuffer is shared, not copied", () => {
  const sab = new SharedArrayBuffer(4);
  const clone = structuredClone(sab);
  new Uint8Array(clone)[0] = 42;
  assertEquals(new Uint8Array(sab)[0], 42);
});

await run();
port1.close();
