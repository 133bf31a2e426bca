// args: run _syntax_error.txt
// exit: 1
