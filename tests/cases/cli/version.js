// args: --version
