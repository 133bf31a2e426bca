// args: run $ROOT/examples/worker_pool.js
