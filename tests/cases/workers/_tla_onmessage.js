// A module worker that awaits its first message through `onmessage`, then
// awaits a timer, and only then answers: top-level await pending twice.
const first = await new Promise((r) => {
  self.onmessage = (e) => r(e.data);
});
await new Promise((r) => setTimeout(r, 10));
self.onmessage = (e) => postMessage(`echo ${e.data}`);
postMessage(`first was ${first}`);
