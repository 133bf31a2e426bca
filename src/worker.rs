//! The worker host: one OS thread, current-thread tokio runtime, V8 isolate
//! and event loop per dedicated worker.
//!
//! A worker's ports were made by the parent's op layer; the thread adopts
//! their far ends into its own isolate, so after start-up the two sides talk
//! through the same port machinery as any channel, directly between threads.
//! `terminate()` interrupts running JavaScript through V8's thread-safe
//! isolate handle and wakes a waiting loop; dropping the host terminates and
//! joins every worker it started, so no thread or isolate outlives it.

use std::cell::Cell;
use std::cell::RefCell;
use std::collections::HashMap;
use std::sync::atomic::AtomicBool;
use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::sync::Mutex;
use std::thread::JoinHandle;

use deno_core::v8;
use entangle_messaging::Cluster;
use entangle_messaging::Hold;
use entangle_web::worker::WorkerHost;
use entangle_web::worker::WorkerRequest;
use tokio::sync::Notify;

use crate::Runtime;
use crate::RuntimeOptions;

/// How a parent stops one worker.
#[derive(Default)]
struct Termination {
  requested: AtomicBool,
  isolate: Mutex<Option<v8::IsolateHandle>>,
  wake: Notify,
}

impl Termination {
  fn request(&self) {
    self.requested.store(true, Ordering::SeqCst);
    if let Some(isolate) = self.isolate.lock().unwrap().as_ref() {
      isolate.terminate_execution();
    }
    self.wake.notify_one();
  }

  fn is_requested(&self) -> bool {
    self.requested.load(Ordering::SeqCst)
  }
}

struct WorkerThread {
  termination: Arc<Termination>,
  thread: JoinHandle<()>,
}

/// Starts the workers of one isolate (the main one or a worker).
pub struct ThreadWorkerHost {
  options: RuntimeOptions,
  cluster: Cluster,
  next_id: Cell<u32>,
  workers: RefCell<HashMap<u32, WorkerThread>>,
}

impl ThreadWorkerHost {
  pub fn new(options: RuntimeOptions, cluster: Cluster) -> Self {
    ThreadWorkerHost {
      options,
      cluster,
      next_id: Cell::new(1),
      workers: RefCell::new(HashMap::new()),
    }
  }
}

impl WorkerHost for ThreadWorkerHost {
  fn spawn(&self, request: WorkerRequest) -> u32 {
    let id = self.next_id.get();
    self.next_id.set(id + 1);
    let termination = Arc::new(Termination::default());
    let options = self.options.clone();
    let cluster = self.cluster.clone();
    // The worker counts as busy from now on, not only once its thread runs.
    let starting = cluster.hold();
    let thread_termination = termination.clone();
    let thread = std::thread::Builder::new()
      .name(format!("entangle-worker-{id}"))
      .spawn(move || run_worker(options, cluster, request, starting, thread_termination))
      .expect("failed to start a worker thread");
    self.workers.borrow_mut().insert(
      id,
      WorkerThread {
        termination,
        thread,
      },
    );
    id
  }

  fn terminate(&self, id: u32) {
    if let Some(worker) = self.workers.borrow_mut().remove(&id) {
      worker.termination.request();
      // The thread ends by itself; joining here would block this event loop.
      drop(worker.thread);
    }
  }
}

impl Drop for ThreadWorkerHost {
  fn drop(&mut self) {
    let workers: Vec<WorkerThread> = self.workers.get_mut().drain().map(|(_, w)| w).collect();
    for worker in &workers {
      worker.termination.request();
    }
    for worker in workers {
      let _ = worker.thread.join();
    }
  }
}

/// The body of a worker thread.
fn run_worker(
  options: RuntimeOptions,
  cluster: Cluster,
  request: WorkerRequest,
  starting: Hold,
  termination: Arc<Termination>,
) {
  let tokio = tokio::runtime::Builder::new_current_thread()
    .enable_all()
    .build()
    .expect("failed to start a worker's tokio runtime");
  tokio.block_on(async {
    let mut runtime = Runtime::for_worker(options, cluster, request);
    drop(starting);
    *termination.isolate.lock().unwrap() = Some(runtime.isolate_handle());
    if termination.is_requested() {
      return;
    }
    tokio::select! {
      _ = termination.wake.notified() => {}
      result = runtime.run_event_loop() => {
        // Errors that JS could not report itself (the isolate is broken):
        // print them, unless the worker was terminated.
        if let Err(error) = result {
          if !termination.is_requested() {
            eprintln!("error: {error}");
          }
        }
      }
    }
  });
}
