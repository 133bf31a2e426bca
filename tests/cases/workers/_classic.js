// A classic script: `var` makes a global, and `libValue` is one _classic_lib.js made.
// deno-lint-ignore-file no-var
importScripts("_classic_lib.js");
var declared = "globals from a classic script";
onmessage = function () {
  postMessage(libValue + " / " + declared + " / " + typeof importScripts);
};
