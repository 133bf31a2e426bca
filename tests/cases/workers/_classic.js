importScripts("_classic_lib.js");
var declared = "globals from a classic script";
onmessage = function (e) {
  postMessage(libValue + " / " + declared + " / " + typeof importScripts);
};
