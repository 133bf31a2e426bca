// Loaded by _classic.js through importScripts(): `var` makes a global it reads.
// deno-lint-ignore no-var no-unused-vars
var libValue = "from importScripts";
