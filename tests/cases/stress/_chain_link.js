// One link of a chain of workers. It gets its index, how many messages to
// take, an inbox (from the previous link) and an outbox (to the next). The
// streamed port arrives in the inbox; the link reads `take` messages from it,
// then transfers it, with whatever is queued on it, to the next link.
onmessage = ({ data: { index, take }, ports: [inbox, outbox] }) => {
  inbox.onmessage = ({ ports: [stream] }) => {
    let first;
    let last;
    let count = 0;
    let ordered = true;
    const report = () => postMessage({ index, first, last, count, ordered });
    stream.onmessage = ({ data }) => {
      if (data === "end") return report();
      if (count > 0 && data !== last + 1) ordered = false;
      if (count === 0) first = data;
      last = data;
      count++;
      if (outbox !== undefined && count === take) {
        outbox.postMessage(null, [stream]);
        report();
      }
    };
  };
};
