// args: run $ROOT/examples/channel.js
