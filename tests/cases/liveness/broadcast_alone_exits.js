// A channel with a listener does not keep the process alive once no other
// channel of its name is open: the late message arrives, then it exits.
const listener = new BroadcastChannel("alone");
listener.onmessage = (e) => console.log("got", e.data);
const other = new BroadcastChannel("alone");
setTimeout(() => {
  other.postMessage("late");
  other.close();
  console.log("other closed");
}, 20);
console.log("end of script");
