// BroadcastChannel: every other open channel of the name hears a post, in
// this isolate and in workers (nested too); the sender does not.
import { assert, assertEquals, assertThrows, next, run, sleep, test } from "../_assert.js";

const WORKER = new URL("./_broadcast_worker.js", import.meta.url);

function worker(name, task) {
  const w = new Worker(WORKER, { type: "module", name });
  const ready = next(w);
  w.postMessage(task);
  return { worker: w, ready };
}

/** The next `count` messages of `channel`'s `message` events. */
function collect(channel, count) {
  return new Promise((resolve) => {
    const got = [];
    channel.onmessage = (event) => {
      got.push(event.data);
      if (got.length === count) {
        resolve(got);
      }
    };
  });
}

test("the interface", () => {
  const channel = new BroadcastChannel(42);
  assertEquals(channel.name, "42");
  assertEquals(Object.prototype.toString.call(channel), "[object BroadcastChannel]");
  assert(channel instanceof EventTarget);
  assertEquals(channel.onmessage, null);
  assertEquals(channel.onmessageerror, null);
  assertThrows(() => new BroadcastChannel(), TypeError);
  assertThrows(() => BroadcastChannel("x"), TypeError);
  assertThrows(() => channel.postMessage(), TypeError);
  assertThrows(() => BroadcastChannel.prototype.postMessage.call({}, 1), TypeError);
  channel.close();
});

test("same thread: every other channel of the name, not the sender, not other names", async () => {
  const sender = new BroadcastChannel("same");
  const a = new BroadcastChannel("same");
  const b = new BroadcastChannel("same");
  const other = new BroadcastChannel("other");
  let heard = 0;
  sender.onmessage = () => heard++;
  other.onmessage = () => heard++;
  const gotA = next(a);
  const gotB = next(b);
  const message = { list: [1, 2, 3] };
  sender.postMessage(message);
  const [eventA, eventB] = await Promise.all([gotA, gotB]);
  assertEquals(eventA.isTrusted, true);
  assertEquals(eventA.target, a);
  assertEquals(eventB.target, b);
  assertEquals(typeof eventA.origin, "string");
  assertEquals(eventA.ports.length, 0);
  assertEquals(JSON.stringify(eventA.data), JSON.stringify(message));
  assert(eventA.data !== message && eventA.data !== eventB.data, "each receiver gets its own clone");
  eventA.data.list.push(4);
  assertEquals(eventB.data.list.length, 3);
  await sleep(5);
  assertEquals(heard, 0);
  for (const channel of [sender, a, b, other]) {
    channel.close();
  }
});

test("messages from one sender arrive in order", async () => {
  const sender = new BroadcastChannel("order");
  const receiver = new BroadcastChannel("order");
  const got = collect(receiver, 1000);
  for (let i = 0; i < 1000; i++) {
    sender.postMessage(i);
  }
  const received = await got;
  assert(received.every((value, i) => value === i), "in order");
  sender.close();
  receiver.close();
});

test("main and worker hear each other", async () => {
  const channel = new BroadcastChannel("main-worker");
  const { worker: w, ready } = worker("w1", { role: "echo", name: "main-worker" });
  assertEquals((await ready).data, "ready");
  const reply = next(channel);
  channel.postMessage("ping");
  assertEquals((await reply).data, "w1 got ping");
  const closed = next(w);
  channel.postMessage("bye");
  assertEquals((await closed).data, "closed");
  channel.close();
  w.terminate();
});

test("worker to worker, nested too, in order from each sender", async () => {
  const name = "workers";
  const echo = worker("echo", { role: "echo", name });
  const nested = worker("outer", { role: "nested", name });
  assertEquals((await echo.ready).data, "ready");
  assertEquals((await nested.ready).data, "ready");
  // Main listens; the burst worker's messages reach both echo workers,
  // whose answers reach main (and each other).
  const listener = new BroadcastChannel(name);
  const got = collect(listener, 3 + 3 + 3);
  const burst = worker("burst", { role: "burst", name, count: 3 });
  assertEquals((await burst.ready).data, "sent");
  const messages = await got;
  assertEquals(messages.filter((m) => typeof m === "number").join(), "0,1,2");
  assertEquals(messages.filter((m) => String(m).startsWith("echo")).join(), "echo got 0,echo got 1,echo got 2");
  assertEquals(messages.filter((m) => String(m).startsWith("inner")).join(), "inner got 0,inner got 1,inner got 2");
  listener.close();
  for (const w of [echo, nested, burst]) {
    w.worker.terminate();
  }
});

test("a MessagePort in the message is a DataCloneError; nothing is sent", async () => {
  const sender = new BroadcastChannel("ports");
  const receiver = new BroadcastChannel("ports");
  let heard = 0;
  receiver.onmessage = () => heard++;
  const { port1 } = new MessageChannel();
  assertThrows(() => sender.postMessage({ port1 }), "DataCloneError");
  assertThrows(() => sender.postMessage(() => {}), "DataCloneError");
  await sleep(5);
  assertEquals(heard, 0);
  sender.close();
  receiver.close();
});

test("postMessage after close() is an InvalidStateError; close() twice is fine", () => {
  const channel = new BroadcastChannel("closed");
  channel.close();
  channel.close();
  const error = assertThrows(() => channel.postMessage(1), "InvalidStateError");
  assert(error instanceof DOMException);
});

test("a closed receiver gets nothing more, even what was already queued", async () => {
  const sender = new BroadcastChannel("close-receiver");
  const closing = new BroadcastChannel("close-receiver");
  const open = new BroadcastChannel("close-receiver");
  let heard = 0;
  closing.onmessage = () => heard++;
  const got = next(open);
  sender.postMessage("queued");
  closing.close();
  await got;
  sender.postMessage("after");
  await sleep(5);
  assertEquals(heard, 0);
  sender.close();
  open.close();
});

test("a worker that calls close() gets nothing more, even what was already queued", async () => {
  const channel = new BroadcastChannel("quitting");
  const { worker: w, ready } = worker("quitter", { role: "echo", name: "quitting" });
  await ready;
  let replies = 0;
  channel.onmessage = () => replies++;
  channel.postMessage("quit");
  channel.postMessage("after");
  await sleep(50);
  assertEquals(replies, 0);
  channel.close();
  w.terminate();
});

await run();
