// A worker listening on a channel stays alive while another worker, busy
// broadcasting from a timer, holds a channel of that name open; once that
// one is closed, the listener ends and so does the process.
function start(source) {
  const url = URL.createObjectURL(new Blob([source], { type: "text/javascript" }));
  return new Worker(url, { type: "module" });
}
const ticker = start(`const ticks = new BroadcastChannel("ticks");
onmessage = () => {
  let sent = 0;
  const timer = setInterval(() => {
    if (++sent <= 5) {
      ticks.postMessage(sent);
      return;
    }
    clearInterval(timer);
    ticks.postMessage("done");
    ticks.close();
    close();
  }, 10);
};
postMessage("open");`);
ticker.onmessage = () => {
  const listener = start(`const ticks = new BroadcastChannel("ticks");
let count = 0;
ticks.onmessage = ({ data }) => {
  if (data === "done") {
    console.log("listener heard", count, "ticks");
    ticks.close();
  } else {
    count++;
  }
};
postMessage("listening");`);
  listener.onmessage = () => ticker.postMessage("go");
};
console.log("main done");
