// A worker for broadcast_channel.js: its parent says what to do.
//   { role: "echo", name }: answers each message on channel `name` with
//     "<worker name> got <data>"; "bye" closes the channel, "quit" the
//     worker (close()).
//   { role: "nested", name }: starts an inner echo worker and relays its
//     "ready".
//   { role: "burst", name, count }: posts 0..count-1 on `name`, then closes.
onmessage = ({ data: { role, name, count } }) => {
  if (role === "echo") {
    const channel = new BroadcastChannel(name);
    channel.onmessage = ({ data }) => {
      if (data === "quit") {
        close();
        return;
      }
      if (data === "bye") {
        channel.close();
        postMessage("closed");
        return;
      }
      if (!String(data).includes(" got ")) {
        channel.postMessage(`${self.name} got ${data}`);
      }
    };
    postMessage("ready");
  } else if (role === "nested") {
    const inner = new Worker(import.meta.url, { type: "module", name: "inner" });
    inner.onmessage = ({ data }) => postMessage(data);
    inner.postMessage({ role: "echo", name });
  } else if (role === "burst") {
    const channel = new BroadcastChannel(name);
    for (let i = 0; i < count; i++) {
      channel.postMessage(i);
    }
    channel.close();
    postMessage("sent");
  }
};
