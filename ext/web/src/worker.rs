//! Dedicated workers: the op layer.
//!
//! Threads and isolates are the runtime's business: it puts a
//! [`WorkerHost`] in the `OpState`. This file makes the two entangled pairs
//! a worker talks through (its implicit port, and a control port for error
//! reports), hands the far ends to the host, and gives the worker's own
//! isolate its ends back at start-up.
//!
//! Spec: <https://html.spec.whatwg.org/multipage/workers.html#dedicated-workers-and-the-worker-interface>

use std::rc::Rc;
use std::sync::Arc;

use deno_core::op2;
use deno_core::v8;
use deno_core::ModuleSpecifier;
use deno_core::OpState;
use entangle_messaging::Endpoint;
use serde::Deserialize;
use serde::Serialize;

use crate::messaging;
use crate::serialize::Payload;

/// How a worker's script is run.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ScriptKind {
  Classic,
  Module,
}

/// Everything a new worker needs: what to run, and its ends of the ports.
/// The host puts it in the worker isolate's `OpState`, where the bootstrap
/// takes it.
pub struct WorkerRequest {
  pub url: ModuleSpecifier,
  pub kind: ScriptKind,
  pub name: String,
  /// The inside end of the worker's implicit port.
  pub port: Endpoint<Payload>,
  /// The inside end of the control port (error reports to the parent).
  pub control: Endpoint<Payload>,
}

/// Runs workers: one thread, isolate and event loop each.
pub trait WorkerHost {
  /// Starts a worker; returns its id.
  fn spawn(&self, request: WorkerRequest) -> u32;
  /// Stops a worker, even inside an infinite loop.
  fn terminate(&self, id: u32);
}

/// The host of this isolate's workers, if it may create any.
pub struct WorkerHostHandle(pub Rc<dyn WorkerHost>);

/// The worker called `close()`: its event loop ends after this task.
pub struct Closing;

/// The URL relative worker URLs resolve against (the main module's).
pub struct BaseUrl(pub ModuleSpecifier);

/// Why a script could not be read, as the reader says it.
pub type ReadError = Box<dyn std::error::Error + Send + Sync>;

/// Reads the scripts workers run and `importScripts()` loads: the
/// runtime's module-loading policy (`entangle`'s module loader), which the
/// runtime puts in the `OpState` as [`Scripts`].
pub trait ScriptReader {
  /// The source of the script at `url`, or why it cannot be read.
  fn read(&self, url: &ModuleSpecifier) -> Result<String, ReadError>;
}

/// This isolate's [`ScriptReader`].
pub struct Scripts(pub Arc<dyn ScriptReader>);

fn read_script(state: &OpState, url: &ModuleSpecifier) -> Result<String, WorkerError> {
  let scripts = state.try_borrow::<Scripts>().ok_or(WorkerError::NoHost)?;
  scripts.0.read(url).map_err(|reason| WorkerError::Load {
    url: url.to_string(),
    reason,
  })
}

#[derive(Debug, thiserror::Error, deno_error::JsError)]
pub enum WorkerError {
  #[class(type)]
  #[error("Workers cannot be created here")]
  NoHost,
  #[class(type)]
  #[error("Invalid worker script URL \"{0}\"")]
  InvalidUrl(String),
  #[class(type)]
  #[error("Failed to load script \"{url}\": {reason}")]
  Load {
    url: String,
    #[source]
    reason: ReadError,
  },
}

/// `new Worker(url, options)` after the JS checks. Writes
/// `[workerId, portId, controlId]` into `out`, or returns why the script
/// cannot be loaded (the JS glue then fires `error` at the Worker).
#[op2]
#[string]
pub fn op_worker_spawn(
  state: &mut OpState,
  #[string] url: &str,
  module: bool,
  #[string] name: String,
  #[buffer] out: &mut [u32],
) -> Result<Option<String>, WorkerError> {
  let host = state
    .try_borrow::<WorkerHostHandle>()
    .ok_or(WorkerError::NoHost)?
    .0
    .clone();
  let url = ModuleSpecifier::parse(url).map_err(|_| WorkerError::InvalidUrl(url.into()))?;
  if let Err(error) = read_script(state, &url) {
    return Ok(Some(error.to_string()));
  }
  let (port_id, port) = messaging::entangled_with_remote(state);
  let (control_id, control) = messaging::entangled_with_remote(state);
  let kind = if module {
    ScriptKind::Module
  } else {
    ScriptKind::Classic
  };
  out[0] = host.spawn(WorkerRequest {
    url,
    kind,
    name,
    port,
    control,
  });
  out[1] = port_id;
  out[2] = control_id;
  Ok(None)
}

/// `worker.terminate()`.
#[op2(fast)]
pub fn op_worker_terminate(state: &mut OpState, id: u32) {
  if let Some(host) = state.try_borrow::<WorkerHostHandle>() {
    host.0.terminate(id);
  }
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct WorkerScopeIds {
  url: String,
  module: bool,
  name: String,
  port_id: u32,
  control_id: u32,
}

/// Inside a worker: adopts its implicit and control ports; `null` in the
/// main scope.
#[op2]
#[serde]
pub fn op_worker_scope(state: &mut OpState) -> Option<WorkerScopeIds> {
  let scope = state.try_take::<WorkerRequest>()?;
  let port_id = messaging::adopt_port(state, scope.port);
  let control_id = messaging::adopt_port(state, scope.control);
  state.put(ControlPort(control_id));
  Some(WorkerScopeIds {
    url: scope.url.to_string(),
    module: scope.kind == ScriptKind::Module,
    name: scope.name,
    port_id,
    control_id,
  })
}

/// Inside a worker: the port its error reports go to.
struct ControlPort(u32);

/// An uncaught error of a worker, as its `error` event describes it: what
/// travels on the control port to the parent.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErrorReport {
  /// `"Uncaught Error: message"`.
  pub message: String,
  /// The script's URL.
  pub filename: String,
  /// 1-based line, 0 when unknown.
  pub lineno: u32,
  /// 1-based column, 0 when unknown.
  pub colno: u32,
}

/// Inside a worker whose JS cannot run any more (it was stopped at its heap
/// limit): reports `message` to the parent as an uncaught error of the
/// script at `filename`.
pub fn report_to_parent(state: &mut OpState, message: &str, filename: &str) {
  let Some(&ControlPort(id)) = state.try_borrow::<ControlPort>() else {
    return;
  };
  let report = ErrorReport {
    message: message.into(),
    filename: filename.into(),
    lineno: 0,
    colno: 0,
  };
  if let Ok(bytes) = entangle_wire::to_bytes(&report) {
    messaging::post_bytes(state, id, bytes);
  }
}

/// Inside a worker: `close()` ends its event loop after the current task.
#[op2(fast)]
pub fn op_worker_close(state: &mut OpState) {
  state.put(Closing);
}

/// The URL relative worker URLs resolve against.
#[op2]
#[string]
pub fn op_base_url(state: &mut OpState) -> Option<String> {
  state.try_borrow::<BaseUrl>().map(|b| b.0.to_string())
}

/// The source of a classic script (a classic worker, `importScripts()`).
#[op2]
#[string]
pub fn op_worker_read_script(
  state: &mut OpState,
  #[string] url: &str,
) -> Result<String, WorkerError> {
  let parsed = ModuleSpecifier::parse(url).map_err(|_| WorkerError::InvalidUrl(url.into()))?;
  read_script(state, &parsed)
}

/// Where a classic script fails to compile, as `[line, column]` (1-based);
/// `null` if it compiles. V8 reports the place of a syntax error only to
/// the compiler's caller, not on the `SyntaxError` object.
#[op2]
#[serde]
pub fn op_script_syntax_error_location<'s, 'i>(
  scope: &mut v8::PinScope<'s, 'i>,
  #[string] source: &str,
  #[string] url: &str,
) -> Option<[u32; 2]> {
  v8::tc_scope!(let scope, scope);
  let source = v8::String::new(scope, source)?;
  let name = v8::String::new(scope, url)?;
  let origin = v8::ScriptOrigin::new(
    scope,
    name.into(),
    0,
    0,
    false,
    0,
    None,
    false,
    false,
    false,
    None,
  );
  if v8::Script::compile(scope, source, Some(&origin)).is_some() {
    return None;
  }
  let message = scope.message()?;
  let line = message.get_line_number(scope)?;
  Some([line as u32, message.get_start_column() as u32 + 1])
}
