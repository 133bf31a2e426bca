// exit: 4
// Entangle.exit ends the process at once with its code: output written
// before it is flushed, nothing after it runs (not even pending timers).
console.log("before exit");
console.error("to stderr before exit");
Entangle.exitCode = 9;
setTimeout(() => console.log("a timer that never fires"), 0);
const { port1, port2 } = new MessageChannel();
port1.onmessage = () => console.log("a message never delivered");
port2.postMessage(1);
Entangle.exit(4);
console.log("after exit");
