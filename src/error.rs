//! The one error type of the runtime's public API.

use deno_core::error::CoreError;
use deno_core::error::CoreErrorKind;
use deno_core::error::JsError;

/// What can go wrong running JavaScript.
#[derive(Debug, thiserror::Error)]
pub enum Error {
  /// An uncaught exception or unhandled rejection; keeps the JS message and
  /// stack.
  #[error("{0}")]
  Js(Box<JsError>),
  /// A module could not be resolved, loaded or parsed.
  #[error("{0}")]
  Module(String),
  /// The main module's top-level await can never finish: the event loop has
  /// nothing left to do.
  #[error("Top-level await promise never resolved")]
  TopLevelAwaitStalled,
}

impl From<CoreError> for Error {
  fn from(error: CoreError) -> Self {
    match *error.0 {
      CoreErrorKind::Js(js) => Error::Js(js),
      other => Error::Module(other.to_string()),
    }
  }
}

impl From<Box<JsError>> for Error {
  fn from(error: Box<JsError>) -> Self {
    Error::Js(error)
  }
}
