//! The one error type of the runtime's public API.

use deno_core::error::CoreError;
use deno_core::error::CoreErrorKind;
use deno_core::error::JsError;

/// What can go wrong running JavaScript or talking to it.
#[derive(Debug, thiserror::Error)]
pub enum Error {
  /// An uncaught exception or unhandled rejection; keeps the JS message and
  /// stack (`Display` prints both, as the CLI does).
  #[error("{}", format_js_error(.0))]
  Js(Box<JsError>),
  /// A module could not be resolved, loaded or parsed: deno_core's error,
  /// which names the module and keeps the cause.
  #[error(transparent)]
  Module(CoreError),
  /// A module path or URL given to the runtime is not valid.
  #[error("{0}")]
  InvalidModule(String),
  /// A script (a worker's, a WPT page's) could not be loaded.
  #[error("Failed to load script \"{url}\": {source}")]
  ScriptLoad {
    /// The script's URL.
    url: String,
    /// Why.
    source: crate::LoadError,
  },
  /// The V8 isolate could not be created.
  #[error("the JavaScript isolate could not be created: {0}")]
  Isolate(#[source] CoreError),
  /// Reading a file or the environment failed.
  #[error("{context}: {source}")]
  Io {
    /// What was being done.
    context: String,
    /// The I/O error.
    source: std::io::Error,
  },
  /// The main module's top-level await can never finish: the event loop has
  /// nothing left to do.
  #[error("Top-level await promise never resolved")]
  TopLevelAwaitStalled,
  /// The isolate reached its heap limit and was terminated.
  #[error("the JavaScript heap reached its limit ({} MiB): execution was terminated", .limit >> 20)]
  HeapLimitExceeded {
    /// The limit, in bytes.
    limit: usize,
  },
  /// [`Runtime::run_event_loop_with_timeout`](crate::Runtime::run_event_loop_with_timeout)
  /// gave up.
  #[error("the event loop did not finish within {0:?}")]
  Timeout(std::time::Duration),
  /// The runtime cannot be built or used this way (V8 flags set too late,
  /// a port from another cluster, ...).
  #[error("{0}")]
  Config(String),
  /// A value could not be converted between JavaScript and Rust.
  #[error("{0}")]
  Conversion(String),
  /// A message's bytes could not be decoded into the Rust type asked for.
  #[error(transparent)]
  Decode(#[from] entangle_wire::Error),
  /// A port could not be made a global of the isolate.
  #[error(transparent)]
  Expose(#[from] entangle_web::messaging::ExposeError),
  /// The port is closed: its partner is gone and nothing is left to
  /// receive.
  #[error("the port is closed")]
  PortClosed,
  /// A message could not be posted; the error hands it back.
  #[error(transparent)]
  Post(#[from] crate::PostError),
}

impl From<CoreError> for Error {
  fn from(error: CoreError) -> Self {
    match *error.0 {
      CoreErrorKind::Js(js) => Error::Js(js),
      other => Error::Module(CoreError(Box::new(other))),
    }
  }
}

impl From<Box<JsError>> for Error {
  fn from(error: Box<JsError>) -> Self {
    Error::Js(error)
  }
}

/// "Uncaught Error: message", then the stack's frames, as Deno prints it.
fn format_js_error(error: &JsError) -> String {
  let mut text = error.exception_message.clone();
  // The runtime's own frames (`ext:` modules) are noise to the user.
  let frames = error.stack.as_deref().into_iter().flat_map(|stack| {
    stack
      .lines()
      .skip_while(|line| !line.trim_start().starts_with("at "))
      .filter(|line| !line.contains("(ext:") && !line.trim_start().starts_with("at ext:"))
  });
  let mut any = false;
  for frame in frames {
    text.push('\n');
    text.push_str(frame);
    any = true;
  }
  if !any {
    if let Some(location) = error.frames.first().and_then(|f| f.maybe_format_location()) {
      text.push_str(&format!("\n    at {location}"));
    }
  }
  text
}
