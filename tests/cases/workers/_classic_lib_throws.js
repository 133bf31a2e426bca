// Loaded by importScripts: throws from a function on line 3.
function fail() {
  throw new TypeError("from the imported script");
}
