// args: --help
