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
use deno_core::ModuleSpecifier;
use entangle_messaging::Hold;
use entangle_web::worker::ErrorReport;
use entangle_web::worker::ScriptKind;
use entangle_web::worker::WorkerHost;
use entangle_web::worker::WorkerRequest;
use tokio::sync::Notify;

use crate::builder::Config;
use crate::Cluster;
use crate::Error;
use crate::Port;
use crate::Runtime;

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
  config: Config,
  cluster: Cluster,
  next_id: Cell<u32>,
  workers: RefCell<HashMap<u32, WorkerThread>>,
}

impl ThreadWorkerHost {
  /// Where the scripts of this host's workers come from.
  pub fn new(config: Config, cluster: Cluster) -> Self {
    ThreadWorkerHost {
      config,
      cluster,
      next_id: Cell::new(1),
      workers: RefCell::new(HashMap::new()),
    }
  }
}

impl ThreadWorkerHost {
  /// Starts a worker thread; returns its id and what terminates it.
  fn start(&self, request: WorkerRequest) -> (u32, Arc<Termination>) {
    let id = self.next_id.get();
    self.next_id.set(id + 1);
    let termination = Arc::new(Termination::default());
    let config = self.config.clone();
    let cluster = self.cluster.clone();
    // The worker counts as busy from now on, not only once its thread runs.
    let starting = cluster.agents.hold();
    let thread_termination = termination.clone();
    let thread = std::thread::Builder::new()
      .name(format!("entangle-worker-{id}"))
      .spawn(move || run_worker(config, cluster, request, starting, thread_termination))
      .expect("failed to start a worker thread");
    self.workers.borrow_mut().insert(
      id,
      WorkerThread {
        termination: termination.clone(),
        thread,
      },
    );
    (id, termination)
  }
}

impl WorkerHost for ThreadWorkerHost {
  fn spawn(&self, request: WorkerRequest) -> u32 {
    self.start(request).0
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
  config: Config,
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
    let url = request.url.to_string();
    let mut runtime = match Runtime::build(config, cluster, Some(request)) {
      Ok(runtime) => runtime,
      Err(error) => return eprintln!("error: a worker could not start: {error}"),
    };
    drop(starting);
    *termination.isolate.lock().unwrap() = Some(runtime.isolate_handle());
    if termination.is_requested() {
      return;
    }
    tokio::select! {
      _ = termination.wake.notified() => {}
      result = runtime.run_event_loop() => {
        match result {
          // The isolate was stopped at its heap limit: the parent gets an
          // `error` event, as for an uncaught exception.
          Err(error @ Error::HeapLimitExceeded { .. }) => {
            runtime.report_to_parent(&format!("Uncaught RangeError: {error}"), &url);
          }
          // Errors that JS could not report itself (the isolate is broken):
          // print them, unless the worker was terminated.
          Err(error) if !termination.is_requested() => eprintln!("error: {error}"),
          _ => {}
        }
      }
    }
  });
}

/// A dedicated worker started from Rust ([`Runtime::spawn_worker`]): its
/// implicit port, and what its uncaught errors report.
///
/// Dropping a `Worker` does not stop the thread: like a JS worker it runs
/// while it has work. Dropping its [`port`](Worker::port) closes the channel.
pub struct Worker {
  port: Port,
  errors: Port,
  termination: Arc<Termination>,
}

impl Worker {
  /// The worker's implicit port: what Rust posts arrives at the worker's
  /// `onmessage`; what the worker's `postMessage` sends arrives here.
  pub fn port(&mut self) -> &mut Port {
    &mut self.port
  }

  /// Takes the worker's implicit port (see [`Worker::port`]).
  pub fn into_port(self) -> Port {
    self.port
  }

  /// Waits for the worker's next uncaught error; `None` once it has ended.
  pub async fn next_error(&mut self) -> Option<ErrorReport> {
    loop {
      let mut message = self.errors.recv_message().await?;
      if let Ok(report) = message.value() {
        return Some(report);
      }
    }
  }

  /// Stops the worker at once, even inside an infinite loop (JS's
  /// `worker.terminate()`). Messages it had not handled are dropped.
  pub fn terminate(&self) {
    self.termination.request();
  }
}

/// [`Runtime::spawn_worker`].
pub(crate) fn spawn_from_rust(runtime: &Runtime, url: &ModuleSpecifier) -> Result<Worker, Error> {
  let (host, sources) = runtime.worker_parts();
  sources.read(url).map_err(|source| Error::ScriptLoad {
    url: url.to_string(),
    source,
  })?;
  let (port, inside) = runtime.channel();
  let (errors, control) = runtime.channel();
  let (_, termination) = host.start(WorkerRequest {
    url: url.clone(),
    kind: ScriptKind::Module,
    name: String::new(),
    port: inside.into_inner(),
    control: control.into_inner(),
  });
  Ok(Worker {
    port,
    errors,
    termination,
  })
}
