// Loaded by importScripts: throws from a function on line 4.
// deno-lint-ignore no-unused-vars -- called by the script that imports this one
function fail() {
  throw new TypeError("from the imported script");
}
