//! A Rust service that feeds work to a pool of JavaScript workers through
//! ports and collects the results.
//!
//! The service owns the jobs; each worker (`pool_worker.js`, started from
//! Rust) gets the next job as soon as it returns a result, so faster workers
//! take more. `cargo run --example worker_pool_service`

use std::collections::VecDeque;

use futures::stream::FuturesUnordered;
use futures::StreamExt;
use serde::Deserialize;
use serde::Serialize;

const WORKERS: usize = 4;
const JOBS: u32 = 40;

#[derive(Serialize)]
struct Job {
  id: u32,
  limit: u32,
}

#[derive(Deserialize)]
struct Done {
  id: u32,
  limit: u32,
  primes: u32,
}

/// Runs one worker: hands it jobs from the shared queue until none is left.
async fn serve(
  mut worker: entangle::Worker,
  queue: &std::cell::RefCell<VecDeque<Job>>,
) -> Result<Vec<Done>, entangle::Error> {
  let mut results = Vec::new();
  loop {
    let Some(job) = queue.borrow_mut().pop_front() else {
      break;
    };
    worker.port().post(&job)?;
    let done = worker.port().recv::<Done>().await?;
    results.push(done.ok_or(entangle::Error::PortClosed)?);
  }
  worker.terminate();
  Ok(results)
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), entangle::Error> {
  let mut runtime = entangle::Runtime::new();
  let script = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/pool_worker.js");
  let url = entangle::ModuleSpecifier::from_file_path(&script)
    .map_err(|()| entangle::Error::Config(format!("bad path {}", script.display())))?;
  let queue = std::cell::RefCell::new(
    (1..=JOBS)
      .map(|id| Job {
        id,
        limit: id * 25_000,
      })
      .collect::<VecDeque<_>>(),
  );
  let mut pool = FuturesUnordered::new();
  for _ in 0..WORKERS {
    pool.push(serve(runtime.spawn_worker(&url)?, &queue));
  }
  let service = async {
    let mut all = Vec::new();
    let mut per_worker = Vec::new();
    while let Some(results) = pool.next().await {
      let results = results?;
      per_worker.push(results.len());
      all.extend(results);
    }
    Ok::<_, entangle::Error>((all, per_worker))
  };
  let (results, done) = tokio::join!(service, runtime.run_event_loop());
  done?;
  let (mut results, per_worker) = results?;
  results.sort_by_key(|done| done.id);
  for done in results.iter().step_by(10) {
    println!(
      "job {:>2}: {:>9} -> {:>6} primes",
      done.id, done.limit, done.primes
    );
  }
  let total: u64 = results.iter().map(|done| done.primes as u64).sum();
  println!(
    "{} jobs by {WORKERS} workers, {total} primes in all",
    results.len()
  );
  eprintln!("jobs per worker: {per_worker:?}");
  Ok(())
}
