// Case 7: start-up. Sends one message on a channel, receives it, exits.
// run.py times the whole process (wall clock); this script only confirms
// that the message arrived. Deliberately imports nothing.
const { port1, port2 } = new MessageChannel();
port2.onmessage = (e) => {
  console.log(JSON.stringify({ case: "startup", metric: "received", value: e.data }));
  port1.close();
  port2.close();
};
port1.postMessage(1);
