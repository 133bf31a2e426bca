//! [`Error`], the one error type of decoding, encoding and serde conversion.

use std::fmt::Display;

/// Why a message could not be decoded or encoded, or a value converted.
///
/// Decoding errors name the byte offset where the problem was found.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
  /// The message ends in the middle of a value.
  #[error("unexpected end of data at byte {at}")]
  UnexpectedEnd {
    /// Where the read that ran out started.
    at: usize,
  },
  /// A byte that is no tag of the format where a tag was expected.
  #[error("unknown tag {tag:#04x} at byte {at}")]
  UnknownTag {
    /// The byte.
    tag: u8,
    /// Its offset.
    at: usize,
  },
  /// The message is not well-formed: V8 would reject it too.
  #[error("invalid data at byte {at}: {reason}")]
  Invalid {
    /// Where the problem was found.
    at: usize,
    /// What is wrong.
    reason: String,
  },
  /// The header names a format version this crate does not read.
  #[error(
    "unsupported format version {0} (this codec reads versions {oldest} to {latest})",
    oldest = crate::OLDEST_READ_VERSION,
    latest = crate::LATEST_READ_VERSION
  )]
  UnsupportedVersion(u32),
  /// Containers nest deeper than [`MAX_DEPTH`](crate::MAX_DEPTH).
  #[error("nesting deeper than {0}")]
  TooDeep(usize),
  /// A back-reference to an object that contains it: fine in JavaScript,
  /// impossible in a tree of Rust values.
  #[error("cyclic reference at byte {at} cannot become a Rust value")]
  Cycle {
    /// Offset of the back-reference.
    at: usize,
  },
  /// Something only a JavaScript engine or its embedder can recreate.
  #[error("{what} cannot become Rust values (byte {at})")]
  NotRepresentable {
    /// What it is, such as "host objects (MessagePort, Blob, ...)".
    what: &'static str,
    /// Its offset.
    at: usize,
  },
  /// A Rust integer a JavaScript number cannot hold exactly.
  #[error("integer {0} is outside JavaScript's safe range (±(2^53 - 1))")]
  UnsafeInteger(String),
  /// A [`Value`](crate::Value) V8 would refuse to read.
  #[error("cannot encode: {0}")]
  Unencodable(String),
  /// A serde conversion failed.
  #[error("{0}")]
  Message(String),
}

impl Error {
  /// An [`Error::Invalid`] at `at`.
  pub(crate) fn invalid(at: usize, reason: impl Display) -> Error {
    Error::Invalid {
      at,
      reason: reason.to_string(),
    }
  }
}

impl serde::ser::Error for Error {
  fn custom<T: Display>(msg: T) -> Self {
    Error::Message(msg.to_string())
  }
}

impl serde::de::Error for Error {
  fn custom<T: Display>(msg: T) -> Self {
    Error::Message(msg.to_string())
  }
}
