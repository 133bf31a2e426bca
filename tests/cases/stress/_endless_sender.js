// Posts sequence numbers on the port it is given, as fast as it can, forever.
onmessage = ({ ports: [port] }) => {
  let i = 0;
  const burst = () => {
    for (let n = 0; n < 1000; n++) port.postMessage(i++);
    setTimeout(burst, 0);
  };
  burst();
};
