// When the partner closes, the started port stops keeping the process alive.
const { port1, port2 } = new MessageChannel();
port1.onmessage = () => console.log("unexpected");
port1.onclose = () => console.log("partner closed");
setTimeout(() => port2.close(), 20);
