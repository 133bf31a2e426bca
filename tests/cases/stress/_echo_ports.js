// Answers on every port it is given, then closes it.
onmessage = ({ ports }) => {
  for (const port of ports) {
    port.onmessage = ({ data }) => {
      port.postMessage(data * 2);
      port.close();
    };
  }
};
