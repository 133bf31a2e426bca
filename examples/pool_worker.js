// A worker of examples/worker_pool_service.rs: counts the primes below a
// limit, for each job it is sent.
function countPrimes(limit) {
  const composite = new Uint8Array(limit);
  let count = 0;
  for (let n = 2; n < limit; n++) {
    if (composite[n]) continue;
    count++;
    for (let m = n * n; m < limit; m += n) composite[m] = 1;
  }
  return count;
}

onmessage = ({ data: job }) => postMessage({ id: job.id, limit: job.limit, primes: countPrimes(job.limit) });
