//! The runtime: one V8 isolate with Entangle's global scope, its module
//! loader, and an event loop that knows about message ports.

use std::future::poll_fn;
use std::future::Future;
use std::rc::Rc;
use std::sync::Arc;
use std::task::Context;
use std::task::Poll;

use deno_core::error::JsError;
use deno_core::v8;
use deno_core::JsRuntime;
use deno_core::ModuleSpecifier;
use deno_core::PollEventLoopOptions;
use entangle_messaging::Agent;
use entangle_messaging::Cluster;
use entangle_web::worker::BaseUrl;
use entangle_web::worker::Closing;
use entangle_web::worker::ScriptSources;
use entangle_web::worker::Sources;
use entangle_web::worker::WorkerHostHandle;
use entangle_web::worker::WorkerRequest;

use crate::loader::Loader;
use crate::worker::ThreadWorkerHost;
use crate::Error;

static SNAPSHOT: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/ENTANGLE_SNAPSHOT.bin"));

/// How a [`Runtime`] is set up.
#[derive(Clone, Debug, Default)]
pub struct RuntimeOptions {
  /// Whether `console` output uses ANSI colors.
  pub colors: bool,
  /// Testing hook, empty by default: scripts served beyond `file:` and
  /// `blob:` URLs (the WPT runner serves its suite from an http origin).
  pub script_sources: Arc<ScriptSources>,
}

/// One JavaScript isolate and its event loop.
pub struct Runtime {
  js: JsRuntime,
  /// This isolate's messaging agent: busy or idle in its cluster.
  agent: Agent,
  /// Whether this is a worker (its loop may end while the cluster is busy).
  is_worker: bool,
  /// Whether the last collection at quiescence has been made.
  collected: bool,
}

impl Runtime {
  /// Creates a runtime from the startup snapshot and bootstraps its global
  /// scope.
  pub fn new(options: RuntimeOptions) -> Runtime {
    Runtime::build(options, Cluster::new(), None)
  }

  /// The runtime of a worker thread: same cluster as its parent.
  pub(crate) fn for_worker(
    options: RuntimeOptions,
    cluster: Cluster,
    request: WorkerRequest,
  ) -> Runtime {
    Runtime::build(options, cluster, Some(request))
  }

  fn build(options: RuntimeOptions, cluster: Cluster, worker: Option<WorkerRequest>) -> Runtime {
    let mut js = JsRuntime::new(deno_core::RuntimeOptions {
      startup_snapshot: Some(SNAPSHOT),
      extensions: vec![entangle_web::entangle::init()],
      module_loader: Some(Rc::new(Loader {
        sources: options.script_sources.clone(),
      })),
      ..Default::default()
    });
    let is_worker = worker.is_some();
    {
      let state = js.op_state();
      let mut state = state.borrow_mut();
      let host = ThreadWorkerHost::new(options.clone(), cluster.clone());
      state.put(WorkerHostHandle(Rc::new(host)));
      state.put(cluster);
      state.put(Sources(options.script_sources.clone()));
      if let Some(request) = worker {
        state.put(request);
      }
    }
    let bootstrap = format!(
      "globalThis[Symbol.for('entangle.bootstrap')]({{ colors: {} }})",
      options.colors
    );
    js.execute_script("ext:entangle/bootstrap", bootstrap)
      .expect("bootstrapping the global scope failed");
    let agent = entangle_web::messaging::agent(&js.op_state().borrow())
      .expect("the bootstrap initializes messaging");
    Runtime {
      js,
      agent,
      is_worker,
      collected: false,
    }
  }

  /// A handle that can terminate this isolate's JavaScript from any thread.
  pub(crate) fn isolate_handle(&mut self) -> v8::IsolateHandle {
    self.js.v8_isolate().thread_safe_handle()
  }

  /// Runs a classic script in the global scope.
  pub fn execute_script(
    &mut self,
    name: &'static str,
    code: impl Into<String>,
  ) -> Result<(), Error> {
    self.js.execute_script(name, code.into())?;
    Ok(())
  }

  /// Evaluates a classic script and returns its completion value, converted
  /// with serde.
  pub fn eval<T: serde::de::DeserializeOwned>(
    &mut self,
    name: &'static str,
    code: impl Into<String>,
  ) -> Result<T, Error> {
    let value = self.js.execute_script(name, code.into())?;
    entangle_web::main_scope!(let scope, self.js);
    let value = v8::Local::new(scope, value);
    deno_core::serde_v8::from_v8(scope, value).map_err(|e| Error::Module(format!("{name}: {e}")))
  }

  /// Creates a channel between this runtime and Rust: the JS end becomes
  /// `globalThis[name]` (a `MessagePort`), the Rust end is returned.
  pub fn create_port(&mut self, name: &str) -> Result<crate::Port, Error> {
    let remote = entangle_web::messaging::expose_port(&mut self.js, name).map_err(Error::Module)?;
    Ok(crate::Port::adopt(remote, self.agent.cluster()))
  }

  /// Sets the URL that relative worker URLs resolve against (by default the
  /// main module's).
  pub fn set_base_url(&mut self, url: ModuleSpecifier) {
    self.js.op_state().borrow_mut().put(BaseUrl(url));
  }

  /// Loads and evaluates `specifier` as the main ES module, then runs the
  /// event loop until no referenced work remains.
  pub async fn run_main_module(&mut self, specifier: &ModuleSpecifier) -> Result<(), Error> {
    self
      .js
      .op_state()
      .borrow_mut()
      .put(BaseUrl(specifier.clone()));
    let id = self.js.load_main_es_module(specifier).await?;
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
  }

  /// Evaluates `code` as the main ES module named `specifier`, then runs
  /// the event loop until no referenced work remains.
  pub async fn run_side_module(
    &mut self,
    specifier: &ModuleSpecifier,
    code: String,
  ) -> Result<(), Error> {
    let id = self
      .js
      .load_main_es_module_from_code(specifier, code)
      .await?;
    self.evaluate(id).await
  }

  /// Runs the event loop until no referenced work remains: no timers, no
  /// pending ops, no started port with a listener that can still receive.
  pub async fn run_event_loop(&mut self) -> Result<(), Error> {
    poll_fn(|cx| self.poll_event_loop(cx)).await
  }

  fn poll_event_loop(&mut self, cx: &mut Context) -> Poll<Result<(), Error>> {
    loop {
      // deno_core reports a pending top-level await as stalled when it has
      // nothing left to do; live ports may still resolve it.
      entangle_web::messaging::register_loop_waker(&self.js.op_state().borrow(), cx.waker());
      let polled = self.js.poll_event_loop(cx, PollEventLoopOptions::default());
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
        entangle_web::messaging::drain_now(&mut self.js);
        continue;
      }
      let cluster = self.agent.cluster().clone();
      if !cluster.is_quiescent() {
        if self.is_worker {
          return Poll::Pending;
        }
        cluster.watch(cx.waker());
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
