// An exception in a listener becomes an ErrorEvent at globalThis; a handler
// returning true cancels it, and the script goes on.
globalThis.onerror = (message, filename, lineno, colno, error) => {
  console.log("onerror:", message, filename.endsWith("listener_error_canceled.js"), lineno, colno, error.message);
  return true;
};
addEventListener("error", (event) => {
  console.log("listener:", event instanceof ErrorEvent, event.cancelable, event.isTrusted, event.error.message);
});
const { port1, port2 } = new MessageChannel();
let count = 0;
port2.onmessage = (e) => {
  count++;
  if (e.data === 1) throw new TypeError("from listener");
  console.log("second message still delivered:", e.data);
  port2.close();
};
port1.postMessage(1);
port1.postMessage(2);
setTimeout(() => {
  throw new RangeError("from timer");
}, 5);
