// A classic worker that answers every message.
onmessage = function (e) {
  postMessage("classic got " + e.data);
};
postMessage("classic ready");
