// A worker whose channel has a listener stays alive while another channel
// of its name is open: main's message from a timer reaches it.
const channel = new BroadcastChannel("late");
const source = `const channel = new BroadcastChannel("late");
channel.onmessage = (e) => {
  console.log("worker got", e.data);
  channel.close();
};
postMessage("listening");`;
const url = URL.createObjectURL(new Blob([source], { type: "text/javascript" }));
const worker = new Worker(url, { type: "module" });
worker.onmessage = () =>
  setTimeout(() => {
    channel.postMessage("late");
    channel.close();
  }, 50);
console.log("end of script");
