// The port message queue: disabled until start(), FIFO, one task per message.
import { assert, assertEquals, next, run, sleep, test } from "../_assert.js";

test("messages wait until start()", async () => {
  const { port1, port2 } = new MessageChannel();
  const got = [];
  port2.addEventListener("message", (e) => got.push(e.data));
  port1.postMessage(1);
  port1.postMessage(2);
  await sleep(10);
  assertEquals(got.length, 0, "addEventListener alone does not start the queue:");
  port2.start();
  await sleep(10);
  assertEquals(got.join(), "1,2");
  port2.close();
});

test("assigning onmessage starts the queue", async () => {
  const { port1, port2 } = new MessageChannel();
  port1.postMessage("hello");
  const event = await new Promise((resolve) => (port2.onmessage = resolve));
  assertEquals(event.data, "hello");
  assertEquals(event.type, "message");
  assertEquals(event.isTrusted, true);
  assertEquals(event.origin, "");
  assertEquals(event.lastEventId, "");
  assertEquals(event.source, null);
  assertEquals(event.target, port2);
  assert(Object.isFrozen(event.ports) && event.ports.length === 0);
  port2.close();
});

test("delivery is FIFO in both directions", async () => {
  const { port1, port2 } = new MessageChannel();
  const got1 = [];
  const got2 = [];
  // Resolves once `got` holds all 1000 messages.
  const collect = (port, got) =>
    new Promise((resolve) => {
      port.onmessage = (e) => got.push(e.data) === 1000 && resolve();
    });
  const all = Promise.all([collect(port1, got1), collect(port2, got2)]);
  for (let i = 0; i < 1000; i++) {
    port1.postMessage(i);
    port2.postMessage(-i);
  }
  await all;
  assert(got2.every((v, i) => v === i), "port2 order");
  assert(got1.every((v, i) => v === -i), "port1 order");
  port1.close();
});

test("microtasks run between two messages", async () => {
  const { port1, port2 } = new MessageChannel();
  const log = [];
  port2.onmessage = (e) => {
    log.push(`message ${e.data}`);
    queueMicrotask(() => log.push(`microtask ${e.data}`));
    Promise.resolve().then(() => Promise.resolve()).then(() => log.push(`chain ${e.data}`));
  };
  port1.postMessage(1);
  port1.postMessage(2);
  await sleep(10);
  assertEquals(log.join(" | "), "message 1 | microtask 1 | chain 1 | message 2 | microtask 2 | chain 2");
  port2.close();
});

test("a handler posting to its own queue does not starve timers", async () => {
  const { port1, port2 } = new MessageChannel();
  let count = 0;
  let timerFired = false;
  setTimeout(() => (timerFired = true), 1);
  port2.onmessage = () => {
    count++;
    if (!timerFired) port1.postMessage("again");
  };
  port1.postMessage("start");
  await sleep(30);
  assert(timerFired, "the timer ran");
  assert(count > 1, "messages flowed");
  port2.close();
});

test("the data is a structured clone", async () => {
  const { port1, port2 } = new MessageChannel();
  const original = { nested: { list: [1, 2, 3] } };
  port1.postMessage(original);
  original.nested.list.push(4);
  port2.start();
  const { data } = await next(port2);
  assertEquals(data.nested.list.length, 3);
  assert(data !== original);
  port2.close();
});

test("postMessage(message, { transfer: [] }) and postMessage(message, [])", async () => {
  const { port1, port2 } = new MessageChannel();
  port2.start();
  port1.postMessage("a", []);
  port1.postMessage("b", { transfer: [] });
  port1.postMessage("c", {});
  port1.postMessage("d", undefined);
  port1.postMessage("e", null);
  const got = [];
  for (let i = 0; i < 5; i++) got.push((await next(port2)).data);
  assertEquals(got.join(""), "abcde");
  port2.close();
});

test("postMessage needs an argument and a sequence or dictionary", () => {
  const { port1 } = new MessageChannel();
  let threw = false;
  try {
    port1.postMessage();
  } catch (e) {
    threw = e instanceof TypeError;
  }
  assert(threw, "no argument");
  threw = false;
  try {
    port1.postMessage(1, 5);
  } catch (e) {
    threw = e instanceof TypeError;
  }
  assert(threw, "number is neither");
  port1.close();
});

await run();
