// Run by the `workers/churn_leaves_nothing_behind` test in tests/js.rs,
// which reads /proc for this process's threads and RSS at each line printed.
// Twice, `?count=N` workers are started, answer once, and are terminated,
// in batches of 10; 20 go first.
const count = Number(new URL(import.meta.url).searchParams.get("count") ?? 200);
const echo = new URL("./_echo.js", import.meta.url);

async function churn(n) {
  for (let done = 0; done < n; done += 10) {
    const batch = Array.from({ length: Math.min(10, n - done) }, () => new Worker(echo, { type: "module" }));
    await Promise.all(
      batch.map((worker, i) => {
        worker.postMessage(i);
        return new Promise((resolve) => (worker.onmessage = resolve));
      }),
    );
    batch.forEach((worker) => worker.terminate());
  }
}

const pause = () => new Promise((resolve) => setTimeout(resolve, 1500));
await churn(20);
console.log("warm");
await pause();
for (const round of ["first", "second"]) {
  await churn(count);
  console.log(`${round} ${count}`);
  await pause();
}
// Stay alive while the test measures; it ends the process.
setTimeout(() => {}, 60_000);
