// exit: 1
// HTML's "run a worker" enables the ports right after the module body has
// run, not after its top-level await: a worker can await its first message,
// and the main module can await a worker's message at its top level.
const first = new Worker(new URL("./_tla_first_message.js", import.meta.url), { type: "module" });
const { port1, port2 } = new MessageChannel();
first.postMessage({ port: port2 }, [port2]);
const ready = await new Promise((r) => {
  port1.onmessage = (e) => r(e.data);
});
console.log("port:", ready);
port1.postMessage("ping");
console.log("port:", await new Promise((r) => (port1.onmessage = (e) => r(e.data))));
port1.close();
first.terminate();

const second = new Worker(new URL("./_tla_onmessage.js", import.meta.url), { type: "module" });
second.postMessage("one");
console.log("onmessage:", await new Promise((r) => (second.onmessage = (e) => r(e.data))));
second.postMessage("two");
console.log("onmessage:", await new Promise((r) => (second.onmessage = (e) => r(e.data))));
second.terminate();

const classic = new Worker(new URL("./_classic_ready.js", import.meta.url));
console.log("classic:", await new Promise((r) => (classic.onmessage = (e) => r(e.data))));
classic.postMessage("x");
console.log("classic:", await new Promise((r) => (classic.onmessage = (e) => r(e.data))));
classic.terminate();

// Nothing left that can answer: the stall is still reported.
await new Promise(() => {});
