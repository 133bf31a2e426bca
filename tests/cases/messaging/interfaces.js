// MessageChannel / MessagePort / MessageEvent as WebIDL interfaces.
import { assert, assertEquals, assertThrows, run, test } from "../_assert.js";

test("new MessageChannel() gives two distinct MessagePorts", () => {
  const channel = new MessageChannel();
  assert(channel.port1 instanceof MessagePort);
  assert(channel.port2 instanceof MessagePort);
  assert(channel.port1 !== channel.port2);
  assertEquals(channel.port1, channel.port1, "port1 getter is stable");
  assert(channel.port1 instanceof EventTarget);
});

test("MessageChannel requires new", () => {
  assertThrows(() => MessageChannel(), TypeError);
});

test("new MessagePort() throws TypeError", () => {
  assertThrows(() => new MessagePort(), TypeError);
});

test("brand checks on every method and accessor", () => {
  const fake = Object.create(MessagePort.prototype);
  for (const name of ["postMessage", "start", "close"]) {
    assertThrows(() => MessagePort.prototype[name].call(fake, 1), TypeError, name);
    assertThrows(() => MessagePort.prototype[name].call({}, 1), TypeError, name);
  }
  for (const name of ["port1", "port2"]) {
    const getter = Object.getOwnPropertyDescriptor(MessageChannel.prototype, name).get;
    assertThrows(() => getter.call({}), TypeError, name);
  }
  for (const name of ["onmessage", "onmessageerror", "onclose"]) {
    const { get } = Object.getOwnPropertyDescriptor(MessagePort.prototype, name);
    assertThrows(() => get.call({}), TypeError, name);
  }
});

test("property descriptors follow WebIDL", () => {
  for (const name of ["postMessage", "start", "close"]) {
    const d = Object.getOwnPropertyDescriptor(MessagePort.prototype, name);
    assert(d.enumerable && d.configurable && d.writable, name);
  }
  for (const name of ["onmessage", "onmessageerror", "onclose"]) {
    const d = Object.getOwnPropertyDescriptor(MessagePort.prototype, name);
    assert(d.enumerable && d.configurable && d.get && d.set, name);
  }
  const port1 = Object.getOwnPropertyDescriptor(MessageChannel.prototype, "port1");
  assert(port1.enumerable && port1.configurable && port1.get && !port1.set);
  const global = Object.getOwnPropertyDescriptor(globalThis, "MessageChannel");
  assert(global.writable && global.configurable && !global.enumerable);
  assertEquals(MessagePort.prototype.postMessage.length, 1);
});

test("Symbol.toStringTag", () => {
  const { port1 } = new MessageChannel();
  assertEquals(Object.prototype.toString.call(port1), "[object MessagePort]");
  assertEquals(Object.prototype.toString.call(new MessageChannel()), "[object MessageChannel]");
  assertEquals(Object.prototype.toString.call(new MessageEvent("message")), "[object MessageEvent]");
  const d = Object.getOwnPropertyDescriptor(MessagePort.prototype, Symbol.toStringTag);
  assert(!d.writable && !d.enumerable && d.configurable);
});

test("internal state is not reachable", () => {
  const { port1 } = new MessageChannel();
  assertEquals(Object.getOwnPropertyNames(port1).length, 0);
  // deno_web brands every EventTarget with one symbol; the port id is not there.
  assertEquals(Object.getOwnPropertySymbols(port1).map(String).join(), "Symbol([[webidl.brand]])");
  assertEquals(JSON.stringify(port1), "{}");
});

test("MessageEvent constructed from JS", () => {
  const { port1 } = new MessageChannel();
  const e = new MessageEvent("message", { data: 42, origin: "o", lastEventId: "7", source: port1, ports: [port1] });
  assertEquals(e.data, 42);
  assertEquals(e.origin, "o");
  assertEquals(e.lastEventId, "7");
  assertEquals(e.source, port1);
  assert(Object.isFrozen(e.ports));
  assertEquals(e.ports, e.ports, "same array each time");
  assertEquals(e.ports[0], port1);
  assertEquals(e.isTrusted, false);
  const d = new MessageEvent("message");
  assertEquals(d.data, null);
  assertEquals(d.origin, "");
  assertEquals(d.source, null);
  assertEquals(d.ports.length, 0);
});

test("event handlers: one listener each, in the place of the first handler, called with the target", () => {
  const { port1, port2 } = new MessageChannel();
  const log = [];
  port1.addEventListener("message", () => log.push("before"));
  port1.onmessage = function (e) {
    log.push(`first ${this === port1} ${e.type}`);
  };
  port1.addEventListener("message", () => log.push("after"));
  port1.onmessage = () => log.push("second");
  port1.dispatchEvent(new MessageEvent("message"));
  port1.onmessage = null;
  assertEquals(port1.onmessage, null);
  port1.dispatchEvent(new MessageEvent("message"));
  port1.onmessage = { handleEvent() {} };
  assertEquals(port1.onmessage, null, "a non-function handler is null:");
  port1.onmessage = () => log.push("third");
  port1.dispatchEvent(new MessageEvent("message"));
  assertEquals(log.join(), "before,second,after,before,after,before,third,after");
  const other = new MessageChannel().port1;
  assertEquals(other.onmessage, null, "handlers belong to their object:");
  assertEquals(Object.getOwnPropertyNames(port1).length, 0, "no own string-keyed state:");
  for (const port of [port1, port2, other]) port.close();
});

await run();
