//! The runtime: one V8 isolate with Entangle's global scope, its module
//! loader, and an event loop that knows about message ports.

use std::future::poll_fn;
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;
use std::task::Context;
use std::task::Poll;
use std::time::Duration;

use deno_core::error::JsError;
use deno_core::JsRuntime;
use deno_core::ModuleSpecifier;
use deno_core::PollEventLoopOptions;
use tokio::time::Sleep;

use crate::loader::Loader;
use crate::Error;

static SNAPSHOT: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/ENTANGLE_SNAPSHOT.bin"));

/// How long the loop waits, idle but for live ports, before it asks the
/// garbage collector whether their partners are still reachable. Doubles
/// after every fruitless collection, up to [`MAX_IDLE_GC_DELAY`].
const IDLE_GC_DELAY: Duration = Duration::from_millis(20);
const MAX_IDLE_GC_DELAY: Duration = Duration::from_secs(5);

/// How a [`Runtime`] is set up.
#[derive(Clone, Debug, Default)]
pub struct RuntimeOptions {
  /// Whether `console` output uses ANSI colors.
  pub colors: bool,
}

/// One JavaScript isolate and its event loop.
pub struct Runtime {
  js: JsRuntime,
  idle: IdleCollector,
}

impl Runtime {
  /// Creates a runtime from the startup snapshot and bootstraps its global
  /// scope.
  pub fn new(options: RuntimeOptions) -> Runtime {
    let js = JsRuntime::new(deno_core::RuntimeOptions {
      startup_snapshot: Some(SNAPSHOT),
      extensions: vec![entangle_web::entangle::init()],
      module_loader: Some(Rc::new(Loader)),
      ..Default::default()
    });
    let mut runtime = Runtime {
      js,
      idle: IdleCollector::default(),
    };
    let bootstrap = format!(
      "globalThis[Symbol.for('entangle.bootstrap')]({{ colors: {} }})",
      options.colors
    );
    runtime
      .js
      .execute_script("ext:entangle/bootstrap", bootstrap)
      .expect("bootstrapping the global scope failed");
    runtime
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

  /// Loads and evaluates `specifier` as the main ES module, then runs the
  /// event loop until no referenced work remains.
  pub async fn run_main_module(&mut self, specifier: &ModuleSpecifier) -> Result<(), Error> {
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
      let stalled = match self.js.poll_event_loop(cx, PollEventLoopOptions::default()) {
        Poll::Ready(Ok(())) => None,
        Poll::Ready(Err(error)) => match Error::from(error) {
          Error::Js(error) if is_stalled_top_level_await(&error) => Some(error),
          error => return Poll::Ready(Err(error)),
        },
        Poll::Pending => {
          self.idle.activity();
          return Poll::Pending;
        }
      };
      // deno_core has nothing left; live ports may still receive.
      if !entangle_web::keeps_alive(&mut self.js) {
        return Poll::Ready(stalled.map_or(Ok(()), |error| Err(Error::Js(error))));
      }
      let batches = entangle_web::batches(&self.js.op_state().borrow());
      if batches != self.idle.batches {
        self.idle.batches = batches;
        self.idle.activity();
      }
      // Wait for a message. If none comes for a while, the ports' partners
      // may be unreachable: a collection closes them and ends the wait.
      if !self.idle.poll_due(cx) {
        return Poll::Pending;
      }
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

/// Paces the garbage collections made while the loop is idle but for ports.
#[derive(Default)]
struct IdleCollector {
  timer: Option<Pin<Box<Sleep>>>,
  delay: Option<Duration>,
  /// Delivery batches seen so far: new ones count as activity.
  batches: u64,
}

impl IdleCollector {
  /// Something happened: the next idle period starts from a short delay.
  fn activity(&mut self) {
    self.timer = None;
    self.delay = None;
  }

  /// Whether a collection is due now; otherwise the waker is registered.
  fn poll_due(&mut self, cx: &mut Context) -> bool {
    let delay = *self.delay.get_or_insert(IDLE_GC_DELAY);
    let timer = self
      .timer
      .get_or_insert_with(|| Box::pin(tokio::time::sleep(delay)));
    if timer.as_mut().poll(cx).is_pending() {
      return false;
    }
    self.timer = None;
    self.delay = Some((delay * 2).min(MAX_IDLE_GC_DELAY));
    true
  }
}
