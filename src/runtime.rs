//! The runtime: one V8 isolate with Entangle's global scope, its module
//! loader, and an event loop that knows about message ports.

use std::future::poll_fn;
use std::future::Future;
use std::rc::Rc;
use std::sync::Arc;
use std::task::Context;
use std::task::Poll;
use std::time::Duration;

use deno_core::error::JsError;
use deno_core::v8;
use deno_core::JsRuntime;
use deno_core::ModuleSpecifier;
use deno_core::PollEventLoopOptions;
use entangle_messaging::Agent;
use entangle_web::process::ScriptArgs;
use entangle_web::worker::BaseUrl;
use entangle_web::worker::Closing;
use entangle_web::worker::Scripts;
use entangle_web::worker::WorkerHostHandle;
use entangle_web::worker::WorkerRequest;

use crate::builder;
use crate::builder::Config;
use crate::heap::HeapGuard;
use crate::loader::Loader;
use crate::worker::ThreadWorkerHost;
use crate::BroadcastChannel;
use crate::Cluster;
use crate::Error;
use crate::Port;
use crate::RuntimeBuilder;
use crate::Worker;

static SNAPSHOT: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/ENTANGLE_SNAPSHOT.bin"));

/// One JavaScript isolate and its event loop.
///
/// Made by [`Runtime::builder`] (or [`Runtime::new`] for the defaults). It
/// is not `Send`: it lives on the thread that built it, and its futures run
/// on a current-thread tokio runtime there.
pub struct Runtime {
  js: JsRuntime,
  /// This isolate's messaging agent: busy or idle in its cluster.
  agent: Agent,
  /// The runtimes this one can message and share blobs with.
  cluster: Cluster,
  /// Where its modules and worker scripts come from.
  scripts: Loader,
  /// Whether this is a worker (its loop may end while the cluster is busy).
  is_worker: bool,
  /// Whether the last collection at quiescence has been made.
  collected: bool,
  /// Terminates the isolate when its heap is full. Declared after `js`, so
  /// it outlives the isolate that calls it.
  heap: Box<HeapGuard>,
  /// Starts this isolate's workers (also from Rust).
  workers: Rc<ThreadWorkerHost>,
}

impl Runtime {
  /// A runtime with the default settings.
  pub fn new() -> Runtime {
    Runtime::builder()
      .build()
      .expect("the default runtime builds")
  }

  /// Configures a runtime: extensions, heap limit, V8 flags, testing hooks.
  pub fn builder() -> RuntimeBuilder {
    RuntimeBuilder::default()
  }

  /// Builds an isolate: the main one (`worker` is `None`) or a worker's.
  pub(crate) fn build(
    config: Config,
    cluster: Cluster,
    worker: Option<WorkerRequest>,
  ) -> Result<Runtime, Error> {
    let mut extensions = entangle_web::extensions(cluster.blobs.clone());
    if let Some(make) = &config.extensions {
      extensions.extend(make());
    }
    builder::note_v8_started();
    // V8 schedules its delayed tasks (GC heuristics) on the tokio runtime
    // current when the isolate is made; without one, deno_core would abort.
    let _tokio = tokio::runtime::Handle::try_current()
      .is_err()
      .then(|| background_tokio().enter());
    let loader = Loader {
      sources: config.script_sources.clone(),
      blobs: cluster.blobs.clone(),
    };
    let mut js = JsRuntime::try_new(deno_core::RuntimeOptions {
      startup_snapshot: Some(SNAPSHOT),
      extensions,
      module_loader: Some(Rc::new(loader.clone())),
      create_params: config
        .heap_limit
        .map(|limit| v8::CreateParams::default().heap_limits(0, limit)),
      ..Default::default()
    })
    .map_err(Error::Isolate)?;
    let heap_limit = config
      .heap_limit
      .unwrap_or_else(|| js.v8_isolate().get_heap_statistics().heap_size_limit());
    let heap = HeapGuard::install(js.v8_isolate(), heap_limit);
    let is_worker = worker.is_some();
    let workers = Rc::new(ThreadWorkerHost::new(config.clone(), cluster.clone()));
    {
      let state = js.op_state();
      let mut state = state.borrow_mut();
      state.put(WorkerHostHandle(workers.clone()));
      state.put(cluster.agents.clone());
      state.put(Scripts(Arc::new(loader.clone())));
      state.put(ScriptArgs(config.args.clone()));
      if let Some(request) = worker {
        state.put(request);
      }
    }
    let bootstrap = format!(
      "globalThis[Symbol.for('entangle.bootstrap')]({{ colors: {} }})",
      config.colors
    );
    js.execute_script("ext:entangle/bootstrap", bootstrap)?;
    let agent = entangle_web::messaging::agent(&js.op_state().borrow())
      .ok_or_else(|| Error::Config("the bootstrap did not initialize messaging".into()))?;
    Ok(Runtime {
      js,
      agent,
      cluster,
      scripts: loader,
      is_worker,
      collected: false,
      heap,
      workers,
    })
  }

  /// The underlying deno_core runtime, for what this API does not cover
  /// (calling into ops of your own extensions, inspecting the isolate).
  pub fn js_runtime(&mut self) -> &mut JsRuntime {
    &mut self.js
  }

  /// A handle that can terminate this isolate's JavaScript from any thread.
  pub(crate) fn isolate_handle(&mut self) -> v8::IsolateHandle {
    self.js.v8_isolate().thread_safe_handle()
  }

  /// Runs a classic script in the global scope. `name` shows in stack
  /// traces.
  pub fn execute_script(
    &mut self,
    name: impl Into<String>,
    code: impl Into<String>,
  ) -> Result<(), Error> {
    let result = self.js.execute_script(name.into(), code.into());
    result.map_err(|error| self.error(error.into()))?;
    Ok(())
  }

  /// Evaluates a classic script and returns its completion value, converted
  /// with serde (`serde_v8`).
  pub fn eval<T: serde::de::DeserializeOwned>(
    &mut self,
    name: &'static str,
    code: impl Into<String>,
  ) -> Result<T, Error> {
    let result = self.js.execute_script(name, code.into());
    let value = result.map_err(|error| self.error(error.into()))?;
    entangle_web::main_scope!(let scope, self.js);
    let value = v8::Local::new(scope, value);
    deno_core::serde_v8::from_v8(scope, value)
      .map_err(|e| Error::Conversion(format!("{name}: {e}")))
  }

  /// Creates a channel between this runtime and Rust: the JS end becomes
  /// the started `MessagePort` `globalThis[name]`; the Rust end is returned.
  ///
  /// ```
  /// # async fn demo() -> Result<(), entangle::Error> {
  /// let mut runtime = entangle::Runtime::new();
  /// let mut port = runtime.create_port("host")?;
  /// runtime.execute_script("echo.js", "host.onmessage = (e) => host.postMessage(e.data * 2)")?;
  /// port.post(&21)?;
  /// let reply = runtime.run_until(port.recv::<u32>()).await??;
  /// assert_eq!(reply, Some(42));
  /// # Ok(()) }
  /// # tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(demo()).unwrap();
  /// ```
  pub fn create_port(&mut self, name: &str) -> Result<Port, Error> {
    let (js_end, rust_end) = self.channel();
    self.expose_port(name, js_end)?;
    Ok(rust_end)
  }

  /// A channel whose two ends are Rust ports of this runtime's cluster, to
  /// hand to JavaScript ([`Message::with_ports`](crate::Message::with_ports),
  /// [`Runtime::expose_port`]) or to another runtime of the cluster.
  pub fn channel(&self) -> (Port, Port) {
    let (one, other) = entangle_messaging::Endpoint::entangled_pair(&self.agent);
    one.ship();
    other.ship();
    let cluster = self.agent.cluster();
    (Port::adopt(one, cluster), Port::adopt(other, cluster))
  }

  /// Hands a Rust-held port to this runtime: it becomes the started
  /// `MessagePort` `globalThis[name]`. The port must come from a runtime of
  /// the same [`Cluster`] (see [`RuntimeBuilder::cluster`]), so that each
  /// event loop knows whether the other can still post to it.
  pub fn expose_port(&mut self, name: &str, port: Port) -> Result<(), Error> {
    if !port.cluster().same_as(self.agent.cluster()) {
      return Err(Error::Config(
        "the port belongs to another cluster: build this runtime with RuntimeBuilder::cluster"
          .into(),
      ));
    }
    entangle_web::messaging::expose_port(&mut self.js, name, port.into_inner())
      .map_err(Error::Expose)
  }

  /// Joins the broadcast channels named `name` of this runtime's cluster:
  /// every JS `BroadcastChannel` of that name, in this runtime and its
  /// workers, hears what it posts, and it hears what they post.
  ///
  /// ```
  /// # async fn demo() -> Result<(), entangle::Error> {
  /// let mut runtime = entangle::Runtime::new();
  /// let mut news = runtime.broadcast_channel("news");
  /// runtime.execute_script("news.js", "new BroadcastChannel('news').postMessage({ headline: 'hi' })")?;
  /// let message: serde_json::Value = runtime.run_until(news.recv()).await??;
  /// assert_eq!(message["headline"], "hi");
  /// # Ok(()) }
  /// # tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(demo()).unwrap();
  /// ```
  pub fn broadcast_channel(&self, name: &str) -> BroadcastChannel {
    self.cluster.broadcast_channel(name)
  }

  /// The cluster of this runtime: itself, its workers, and every runtime
  /// built to join it.
  pub fn cluster(&self) -> Cluster {
    self.cluster.clone()
  }

  /// Starts a dedicated worker running the module at `url`, as
  /// `new Worker(url, { type: "module" })` would from JS; its implicit port
  /// is the returned [`Worker`]'s [`port`](Worker::port).
  pub fn spawn_worker(&mut self, url: &ModuleSpecifier) -> Result<Worker, Error> {
    crate::worker::spawn_from_rust(self, url)
  }

  /// This isolate's worker host and script sources (for
  /// [`Runtime::spawn_worker`]).
  pub(crate) fn worker_parts(&self) -> (&ThreadWorkerHost, &Loader) {
    (&self.workers, &self.scripts)
  }

  /// Sets the URL that relative worker URLs resolve against (by default the
  /// main module's).
  pub fn set_base_url(&mut self, url: ModuleSpecifier) {
    self.js.op_state().borrow_mut().put(BaseUrl(url));
  }

  /// Loads and evaluates `specifier` (a `file:` URL, or one the testing
  /// hook serves) as the main ES module, then runs the event loop until no
  /// referenced work remains.
  pub async fn run_module(&mut self, specifier: &ModuleSpecifier) -> Result<(), Error> {
    self
      .js
      .op_state()
      .borrow_mut()
      .put(BaseUrl(specifier.clone()));
    let loaded = self.js.load_main_es_module(specifier).await;
    let id = loaded.map_err(|error| self.error(error.into()))?;
    self.evaluate(id).await
  }

  /// Evaluates `code` as the main ES module named `specifier` (its imports
  /// resolve against that URL), then runs the event loop until no
  /// referenced work remains.
  pub async fn run_module_code(
    &mut self,
    specifier: &ModuleSpecifier,
    code: String,
  ) -> Result<(), Error> {
    let loaded = self.js.load_main_es_module_from_code(specifier, code).await;
    let id = loaded.map_err(|error| self.error(error.into()))?;
    self.evaluate(id).await
  }

  /// Evaluates a loaded module and runs the event loop to completion.
  async fn evaluate(&mut self, id: deno_core::ModuleId) -> Result<(), Error> {
    let mut evaluation = Box::pin(self.js.mod_evaluate(id));
    let mut evaluated = false;
    poll_fn(|cx| {
      if !evaluated {
        if let Poll::Ready(result) = evaluation.as_mut().poll(cx) {
          result.map_err(module_evaluation_error)?;
          evaluated = true;
        }
      }
      match self.poll_event_loop(cx) {
        Poll::Ready(Ok(())) if evaluated => Poll::Ready(Ok(())),
        Poll::Ready(Ok(())) => match evaluation.as_mut().poll(cx) {
          Poll::Ready(result) => Poll::Ready(result.map_err(module_evaluation_error)),
          Poll::Pending => Poll::Ready(Err(Error::TopLevelAwaitStalled)),
        },
        Poll::Ready(Err(error)) => Poll::Ready(Err(error)),
        Poll::Pending => Poll::Pending,
      }
    })
    .await
    .map_err(|error| self.error(error))
  }

  /// Runs the event loop until no referenced work remains: no timers, no
  /// pending ops, no started port with a listener that can still receive
  /// (from this runtime, a worker, a Rust [`Port`] or another runtime of
  /// the cluster).
  pub async fn run_event_loop(&mut self) -> Result<(), Error> {
    poll_fn(|cx| self.poll_event_loop(cx)).await
  }

  /// Drives the event loop until `future` completes, and returns its
  /// output: the way to wait for something (a reply on a [`Port`], a
  /// worker's error) while JavaScript runs. An error of the loop (an
  /// uncaught exception, the heap limit) ends the wait as `Err`; a loop
  /// with nothing left to do keeps waiting for the future.
  ///
  /// Unlike `tokio::join!(port.recv(), runtime.run_event_loop())`, this
  /// does not wait for the loop to finish, which a port still held by Rust
  /// would prevent. (deno_core's `with_event_loop_future` is the same idea.)
  ///
  /// ```
  /// # async fn demo() -> Result<(), entangle::Error> {
  /// let mut runtime = entangle::Runtime::new();
  /// let mut port = runtime.create_port("host")?;
  /// runtime.execute_script("echo.js", "host.onmessage = (e) => host.postMessage(e.data * 2)")?;
  /// port.post(&21)?;
  /// let reply = runtime.run_until(port.recv::<u32>()).await??;
  /// assert_eq!(reply, Some(42));
  /// # Ok(()) }
  /// # tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(demo()).unwrap();
  /// ```
  pub async fn run_until<F: Future>(&mut self, future: F) -> Result<F::Output, Error> {
    let mut future = std::pin::pin!(future);
    poll_fn(|cx| {
      if let Poll::Ready(output) = future.as_mut().poll(cx) {
        return Poll::Ready(Ok(output));
      }
      match self.poll_event_loop(cx) {
        Poll::Ready(Err(error)) => Poll::Ready(Err(self.error(error))),
        // Finished or not, the loop wakes this task when it has work again.
        Poll::Ready(Ok(())) | Poll::Pending => Poll::Pending,
      }
    })
    .await
  }

  /// [`run_event_loop`](Self::run_event_loop), giving up with
  /// [`Error::Timeout`] after `timeout` (the loop can be run again later).
  /// Needs a tokio runtime with its time driver enabled.
  pub async fn run_event_loop_with_timeout(&mut self, timeout: Duration) -> Result<(), Error> {
    match tokio::time::timeout(timeout, self.run_event_loop()).await {
      Ok(result) => result,
      Err(_) => Err(Error::Timeout(timeout)),
    }
  }

  /// The exit code scripts set with `Entangle.exitCode` (0 unless they
  /// did): what a process should exit with when its event loop ends
  /// without an error. It is shared by every runtime of the process.
  ///
  /// `Entangle.exit(code)` does not return here: it flushes stdout and
  /// stderr and ends the process at once, from any thread, as Deno's
  /// `Deno.exit` does.
  pub fn exit_code(&self) -> i32 {
    entangle_web::process::exit_code()
  }

  /// Inside a worker whose JS cannot run any more: reports an uncaught
  /// error to the parent (its `Worker` gets an `error` event).
  pub(crate) fn report_to_parent(&mut self, message: &str, filename: &str) {
    let state = self.js.op_state();
    entangle_web::worker::report_to_parent(&mut state.borrow_mut(), message, filename);
  }

  /// What an error really was: running out of heap terminates the isolate,
  /// which deno_core reports as a plain termination.
  fn error(&self, error: Error) -> Error {
    self.heap.exceeded().unwrap_or(error)
  }

  fn poll_event_loop(&mut self, cx: &mut Context) -> Poll<Result<(), Error>> {
    loop {
      // deno_core reports a pending top-level await as stalled when it has
      // nothing left to do; live ports may still resolve it.
      entangle_web::messaging::register_loop_waker(&self.js.op_state().borrow(), cx.waker());
      // Messages first: each turn of the loop delivers what ports got.
      entangle_web::messaging::deliver_ready(&mut self.js);
      let polled = self.js.poll_event_loop(cx, PollEventLoopOptions::default());
      // A terminated isolate's loop may look finished: it is not.
      if let Some(error) = self.heap.exceeded() {
        return Poll::Ready(Err(error));
      }
      if self.js.op_state().borrow().has::<Closing>() {
        return Poll::Ready(Ok(()));
      }
      let stalled = match polled {
        Poll::Ready(Ok(())) => None,
        Poll::Ready(Err(error)) => match Error::from(error) {
          Error::Js(error) if is_stalled_top_level_await(&error) => Some(error),
          error => return Poll::Ready(Err(error)),
        },
        Poll::Pending => {
          self.collected = false;
          if self.await_delivery(true) {
            continue;
          }
          self.agent.set_busy();
          return Poll::Pending;
        }
      };
      let finished = Poll::Ready(stalled.map_or(Ok(()), |error| Err(Error::Js(error))));
      // deno_core has nothing left to run here.
      let keepalive = entangle_web::keeps_alive(&mut self.js);
      if self.is_worker && !keepalive {
        return finished;
      }
      // Wait while another agent of the cluster can still post to us: a
      // worker waits for its messages, the root loop for every worker.
      if !self.agent.set_idle() {
        // Deliveries are pending: deliver them, then look again.
        continue;
      }
      let cluster = self.agent.cluster().clone();
      if !cluster.is_quiescent() {
        if self.await_delivery(false) {
          continue;
        }
        if self.is_worker {
          return Poll::Pending;
        }
        cluster.watch(&self.agent, cx.waker());
        if !cluster.is_quiescent() {
          return Poll::Pending;
        }
      }
      // Quiescent: no JS can run anywhere, so nothing can arrive. Ports whose
      // partners are unreachable are still owed a `close` event, which a
      // collection makes happen.
      if !keepalive || self.collected {
        return finished;
      }
      self.collected = true;
      self.agent.set_busy();
      self.js.v8_isolate().low_memory_notification();
    }
  }

  /// Whether something is ready to deliver before the loop parks: either
  /// already (posted during the turn), or within a short spin while another
  /// agent of the cluster is busy and may answer at any moment. Waking a
  /// parked thread costs tens of microseconds, more than a round trip
  /// between two busy threads; a loop whose cluster is otherwise idle parks
  /// at once, so an idle runtime uses no CPU.
  /// `busy`: whether this agent counts itself among the busy ones.
  fn await_delivery(&self, busy: bool) -> bool {
    if self.agent.has_ready() {
      return true;
    }
    if self.agent.cluster().busy_count() <= usize::from(busy) {
      return false;
    }
    let start = std::time::Instant::now();
    while start.elapsed() < SPIN_BEFORE_PARK {
      // A `pause` takes about a hundred cycles on recent x86: look often.
      for _ in 0..8 {
        if self.agent.has_ready() {
          return true;
        }
        std::hint::spin_loop();
      }
    }
    false
  }
}

/// How long an event loop with nothing to run waits, awake, for a message
/// from another busy agent before it parks its thread.
const SPIN_BEFORE_PARK: Duration = Duration::from_micros(50);

/// A tokio runtime for isolates built outside of one: one thread that
/// only sleeps until V8's delayed tasks are due, then queues them.
fn background_tokio() -> &'static tokio::runtime::Runtime {
  static TOKIO: std::sync::OnceLock<tokio::runtime::Runtime> = std::sync::OnceLock::new();
  TOKIO.get_or_init(|| {
    tokio::runtime::Builder::new_multi_thread()
      .worker_threads(1)
      .thread_name("entangle-v8-tasks")
      .enable_time()
      .build()
      .expect("failed to start the background tokio runtime")
  })
}

impl Default for Runtime {
  fn default() -> Self {
    Runtime::new()
  }
}

/// An exception thrown while a module evaluates surfaces as the rejection
/// of its evaluation promise; it is reported as the plain uncaught
/// exception it is.
fn module_evaluation_error(error: deno_core::error::CoreError) -> Error {
  match Error::from(error) {
    Error::Js(mut error) => {
      error.exception_message =
        error
          .exception_message
          .replacen("Uncaught (in promise) ", "Uncaught ", 1);
      Error::Js(error)
    }
    error => error,
  }
}

fn is_stalled_top_level_await(error: &JsError) -> bool {
  error.exception_message == "Top-level await promise never resolved"
}
