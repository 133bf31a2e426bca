// Receives { port, from, count } and sends from..from+count-1 through port.
onmessage = ({ data: { from, count }, ports: [port] }) => {
  for (let i = from; i < from + count; i++) port.postMessage(i);
  port.postMessage("end");
};
