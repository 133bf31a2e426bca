// A port closed while its partner (in a worker) keeps posting: the worker
// sees a `close` event and no error; nothing more arrives here.
const source = `
  onmessage = ({ ports: [port] }) => {
    let closed = false;
    port.onclose = () => { closed = true; };
    let i = 0;
    const burst = () => {
      for (let n = 0; n < 500; n++) port.postMessage(i++); // no throw after close
      if (closed) postMessage("partner closed, posted " + (i > 0));
      else setTimeout(burst, 0);
    };
    burst();
  };`;
const worker = new Worker(URL.createObjectURL(new Blob([source])));
const { port1, port2 } = new MessageChannel();
let received = 0;
port1.onmessage = () => {
  if (++received === 2000) port1.close();
};
worker.postMessage(null, [port2]);
worker.onmessage = ({ data }) => {
  console.log(data, "; received here:", received);
  worker.terminate();
};
