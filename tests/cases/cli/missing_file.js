// args: run does-not-exist.js
// exit: 1
