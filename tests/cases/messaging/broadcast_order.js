// Several channels of one name in one isolate: each message is its own
// task, in posting order, each message's destinations oldest first (WPT
// broadcastchannel/basics "messages are delivered in port creation order").
const c1 = new BroadcastChannel("order");
const c2 = new BroadcastChannel("order");
const c3 = new BroadcastChannel("order");
const names = new Map([[c1, "c1"], [c2, "c2"], [c3, "c3"]]);
let done = 0;
const handler = (e) => {
  console.log(`${names.get(e.target)} got ${e.data}`);
  if (e.data === "done" && ++done === 2) {
    c1.close();
    c2.close();
    c3.close();
  }
};
c1.onmessage = handler;
c2.onmessage = handler;
c3.onmessage = handler;
c1.postMessage("from c1");
c3.postMessage("from c3");
c2.postMessage("done");
