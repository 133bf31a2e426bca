// Hostile shapes: 100,000 levels of nesting give a RangeError with a clear
// message, never an abort; nothing is sent; cycles are fine.
import { assert, assertEquals, next, run, test } from "../_assert.js";

function nested(depth, array) {
  const root = array ? [] : {};
  let node = root;
  for (let i = 0; i < depth; i++) {
    const child = array ? [] : {};
    if (array) node.push(child);
    else node.next = child;
    node = child;
  }
  return root;
}

for (const array of [false, true]) {
  const kind = array ? "arrays" : "objects";
  test(`100,000 nested ${kind}: RangeError, nothing sent`, async () => {
    let error;
    try {
      structuredClone(nested(100_000, array));
    } catch (e) {
      error = e;
    }
    assert(error instanceof RangeError, String(error));
    assertEquals(error.message, "Maximum call stack size exceeded");
    const { port1, port2 } = new MessageChannel();
    let got = 0;
    port2.onmessage = () => got++;
    let posted;
    try {
      port1.postMessage(nested(100_000, array));
    } catch (e) {
      posted = e;
    }
    assert(posted instanceof RangeError);
    port1.postMessage("after");
    assertEquals((await next(port2)).data, "after");
    assertEquals(got, 1, "only the second message");
    port1.close();
  });
}

test("cycles survive", () => {
  const a = { name: "a" };
  const b = { a, list: [a] };
  a.b = b;
  a.self = a;
  const clone = structuredClone(a);
  assert(clone.self === clone && clone.b.a === clone && clone.b.list[0] === clone);
});

await run();
