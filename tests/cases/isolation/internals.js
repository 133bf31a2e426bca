// Scripts cannot reach the runtime's internals, forge a MessagePort, or load
// anything but file: and blob: modules.
import { assert, assertEquals, assertRejects, assertThrows, run, test } from "../_assert.js";

test("no runtime internals on the global object", () => {
  for (const name of ["Deno", "__bootstrap", "core", "ops", "primordials", "require", "process", "fetch"]) {
    assertEquals(typeof globalThis[name], "undefined", name);
  }
  assertEquals(globalThis[Symbol.for("entangle.bootstrap")], undefined);
  const symbols = Object.getOwnPropertySymbols(globalThis).map(String);
  assert(!symbols.some((s) => s.includes("entangle")), symbols.join());
});

test("deno_web's internals are out of reach", async () => {
  for (const specifier of ["ext:core/mod.js", "ext:deno_web/02_event.js", "ext:entangle/10_message_port.js"]) {
    await assertRejects(() => import(specifier), TypeError);
  }
  // What the web platform objects carry leads nowhere: no core, no ops.
  for (
    const value of [new Blob([]), new URL("file:///"), new ReadableStream(), crypto, navigator, performance, console]
  ) {
    for (const key of Reflect.ownKeys(value)) {
      const inner = value[key];
      assert(inner?.ops === undefined && inner?.core === undefined, String(key));
    }
  }
  // deno_web's own MessageChannel, MessagePort and structuredClone are not reachable:
  // a stream's internal channel is Entangle's, and MessageEvent checks ports against it.
  assertThrows(() => new MessageEvent("message", { ports: [{}] }), TypeError);
  new MessageEvent("message", { ports: [new MessageChannel().port1] });
  // BroadcastChannel is Entangle's: deno_web's keeps its state in symbol-keyed
  // properties of each channel; Entangle's has no more of them than any
  // EventTarget.
  const channel = new BroadcastChannel("internals");
  assertEquals(Reflect.ownKeys(channel).length, Reflect.ownKeys(new EventTarget()).length);
  assert(channel instanceof EventTarget && Object.getPrototypeOf(channel) === BroadcastChannel.prototype);
  channel.close();
});

test("the Entangle namespace gives no file, network or environment access", () => {
  const members = [...Object.getOwnPropertyNames(Entangle), ...Object.getOwnPropertySymbols(Entangle).map(String)];
  assertEquals(members.sort().join(), "args,exit,exitCode,memoryUsage,version");
  assertEquals(Object.getPrototypeOf(Entangle), Object.prototype);
  assert(Object.isFrozen(Entangle) && Object.isFrozen(Entangle.args) && Object.isFrozen(Entangle.version));
  // Its functions hold no way back to the runtime.
  for (const name of ["exit", "memoryUsage"]) {
    assertEquals(Object.getOwnPropertyNames(Entangle[name]).sort().join(), "length,name");
    assertEquals(Entangle[name].prototype, undefined);
  }
  const { get, set } = Object.getOwnPropertyDescriptor(Entangle, "exitCode");
  assertEquals(Object.getOwnPropertyNames(get).sort().join(), "length,name");
  assertEquals(Object.getOwnPropertyNames(set).sort().join(), "length,name");
});

test("a MessagePort cannot be forged", () => {
  const fake = Object.create(MessagePort.prototype);
  assertThrows(() => fake.postMessage(1), TypeError);
  assertThrows(() => new MessageChannel().port1.postMessage(1, [fake]), "DataCloneError");
  // A forged object is not a port: cloning it is refused like any object of
  // an interface that is not serializable.
  assertThrows(() => structuredClone(fake), "DataCloneError");
  const { port1 } = new MessageChannel();
  assertEquals(Object.getOwnPropertyNames(port1).length, 0);
  // deno_web's WebIDL brand is the only own symbol: the port id is not reachable.
  assertEquals(Object.getOwnPropertySymbols(port1).map(String).join(), "Symbol([[webidl.brand]])");
  port1.close();
});

test("no ambient network access", async () => {
  await assertRejects(() => import("http://127.0.0.1:9/x.js"), TypeError);
  await assertRejects(() => import("data:text/javascript,export default 1"), TypeError);
  // A worker script that cannot be fetched fires `error` at the Worker.
  const worker = new Worker("http://127.0.0.1:9/w.js");
  const event = await new Promise((resolve) => {
    worker.onerror = (e) => {
      e.preventDefault();
      resolve(e);
    };
  });
  assertEquals(event.type, "error");
});

await run();
