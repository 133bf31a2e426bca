// A MessageChannel with a transfer: the buffer moves to the other port
// without a copy, and a second port travels along to carry the reply.
const { port1, port2 } = new MessageChannel();
const replies = new MessageChannel();

port2.onmessage = ({ data, ports: [replyPort] }) => {
  const bytes = new Uint8Array(data.buffer);
  const sum = bytes.reduce((a, b) => a + b, 0);
  replyPort.postMessage(`received ${bytes.length} bytes (sum ${sum}) from ${data.from}`);
  port2.close();
};

replies.port1.onmessage = ({ data }) => {
  console.log(data);
  replies.port1.close();
};

const buffer = new Uint8Array([1, 2, 3, 4, 5]).buffer;
port1.postMessage({ from: "port1", buffer }, [buffer, replies.port2]);
console.log(`after postMessage the sender's buffer has ${buffer.byteLength} bytes (detached)`);
