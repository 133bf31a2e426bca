// args: run --help
