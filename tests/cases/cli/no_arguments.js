// args: run
// exit: 2
