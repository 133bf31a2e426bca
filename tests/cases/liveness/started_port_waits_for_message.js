// A started port with a listener keeps the process alive while entangled:
// the message sent from a timer arrives, then closing lets the process exit.
const { port1, port2 } = new MessageChannel();
port1.onmessage = (e) => {
  console.log("got", e.data);
  port1.close();
};
setTimeout(() => port2.postMessage("late"), 50);
console.log("end of script");
