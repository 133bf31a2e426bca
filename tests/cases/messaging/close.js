// close(): disentangles; `close` fires at the other port; doomed messages.
import { assertEquals, next, run, sleep, test } from "../_assert.js";

test("close fires close at the other port, not at the closed one", async () => {
  const { port1, port2 } = new MessageChannel();
  let own = 0;
  port1.onclose = () => own++;
  const closed = new Promise((resolve) => (port2.onclose = resolve));
  port1.close();
  const event = await closed;
  assertEquals(event.type, "close");
  assertEquals(event.isTrusted, true);
  assertEquals(event.target, port2);
  await sleep(5);
  assertEquals(own, 0);
});

test("close events fire with addEventListener and without start()", async () => {
  const { port1, port2 } = new MessageChannel();
  const closed = next(port2, "close");
  port1.close();
  await closed;
});

test("posting to or from a closed port does nothing and throws nothing", async () => {
  const { port1, port2 } = new MessageChannel();
  let got = 0;
  port2.onmessage = () => got++;
  port1.onmessage = () => got++;
  port1.close();
  port1.postMessage("from closed");
  port2.postMessage("to closed");
  port1.close();
  await sleep(10);
  assertEquals(got, 0);
});

test("messages posted before close are still delivered", async () => {
  const { port1, port2 } = new MessageChannel();
  port1.postMessage("before");
  port1.close();
  const got = [];
  port2.onmessage = (e) => got.push(e.data);
  await next(port2, "close").catch(() => {});
  await sleep(10);
  assertEquals(got.join(), "before");
});

test("a doomed message is dropped and the channel lost", async () => {
  const { port1, port2 } = new MessageChannel();
  let got = 0;
  port2.onmessage = () => got++;
  const closed = next(port1, "close");
  port1.postMessage("doomed", [port2]);
  await closed;
  await sleep(5);
  assertEquals(got, 0);
});

test("ports shipped inside each other are dropped: both channels close", async () => {
  const one = new MessageChannel();
  const two = new MessageChannel();
  const closed = Promise.all([next(one.port1, "close"), next(two.port1, "close")]);
  one.port1.postMessage("two.port2 waits in one.port2", [two.port2]);
  // one.port2 would wait inside two.port2, inside one.port2: unreachable.
  two.port1.postMessage("one.port2 waits in two.port2", [one.port2]);
  await closed;
});

test("close event when the other port is garbage-collected", async () => {
  const { port1 } = new MessageChannel(); // port2 is unreachable from here on
  port1.onmessage = () => {};
  await next(port1, "close");
});

await run();
