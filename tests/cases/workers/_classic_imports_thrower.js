// A classic worker that calls into a script it imported.
importScripts("_classic_lib_throws.js");
try {
  fail();
} catch (error) {
  postMessage(error.stack);
}
fail();
