//! The one error type of the runtime's public API.

use deno_core::error::CoreError;
use deno_core::error::CoreErrorKind;
use deno_core::error::JsError;

/// What can go wrong running JavaScript or talking to it.
#[derive(Debug, thiserror::Error)]
pub enum Error {
  /// An uncaught exception or unhandled rejection; keeps the JS message and
  /// stack (`Display` prints both, as the CLI does).
  #[error("{}", format_js_error(.0, false))]
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

impl Error {
  /// The error as `Display` prints it; with `colors`, the source line's
  /// caret and the message are in ANSI colors (for a terminal).
  pub fn format(&self, colors: bool) -> String {
    match self {
      Error::Js(error) => format_js_error(error, colors),
      error => error.to_string(),
    }
  }
}

/// The line of source where the error was thrown and a caret under its
/// column, as Deno, Node and Bun print them: from the stack's first frame
/// in a `file:` script (the runtime's own frames are skipped; a `blob:`
/// script's source is gone with its runtime's blob store).
/// `None` when there is no such frame or the script cannot be read.
fn source_frame(error: &JsError, colors: bool) -> Option<String> {
  let stack = error.stack.as_deref()?;
  let (url, line, column) = stack.lines().find_map(frame_location)?;
  let source = match url.split(':').next()? {
    "file" => {
      std::fs::read_to_string(deno_core::url::Url::parse(url).ok()?.to_file_path().ok()?).ok()?
    }
    _ => return None,
  };
  let text = source.lines().nth(line.checked_sub(1)?)?;
  let trimmed = text.trim_start();
  let caret_at = column.checked_sub(1 + text.len() - trimmed.len())?;
  let pad: String = trimmed
    .chars()
    .take(caret_at)
    .map(|c| if c == '\t' { '\t' } else { ' ' })
    .collect();
  let caret = if colors { "\x1b[1;31m^\x1b[0m" } else { "^" };
  Some(format!("    {trimmed}\n    {pad}{caret}"))
}

/// `(url, line, column)` of a stack line `    at f (url:line:col)` or
/// `    at url:line:col`, for `file:` and `blob:` URLs.
fn frame_location(line: &str) -> Option<(&str, usize, usize)> {
  let frame = line.trim_start().strip_prefix("at ")?;
  let location = match frame.rsplit_once(" (") {
    Some((_, rest)) => rest.strip_suffix(')')?,
    None => frame,
  };
  if !(location.starts_with("file:") || location.starts_with("blob:")) {
    return None;
  }
  let (rest, column) = location.rsplit_once(':')?;
  let (url, line) = rest.rsplit_once(':')?;
  Some((url, line.parse().ok()?, column.parse().ok()?))
}

/// "Uncaught Error: message", the source line with a caret, then the
/// stack's frames, as Deno prints it.
fn format_js_error(error: &JsError, colors: bool) -> String {
  let mut text = error.exception_message.clone();
  if colors {
    text = format!("\x1b[1;31m{text}\x1b[0m");
  }
  if let Some(frame) = source_frame(error, colors) {
    text.push('\n');
    text.push_str(&frame);
  }
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
