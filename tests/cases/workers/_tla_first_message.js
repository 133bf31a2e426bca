// A module worker that waits for its first message with top-level await
// (addEventListener with once), then echoes on the port it was sent.
const first = await new Promise((r) => self.addEventListener("message", (e) => r(e.data), { once: true }));
first.port.onmessage = (e) => first.port.postMessage(e.data);
first.port.postMessage("ready");
