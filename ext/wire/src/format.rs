//! The vocabulary of the wire format: tag bytes, sub-tags and bit layouts,
//! as defined in V8's `src/objects/value-serializer.cc` (format versions 13 to 16).
//! The decoder and the encoder, and the runtime's fast path for primitives
//! (`entangle_web`), all take their constants from here.

use crate::value::{ErrorKind, ViewKind};

/// First byte of a message; the format version follows as a varint.
pub const VERSION_TAG: u8 = 0xFF;
/// Ignored wherever a tag is read; V8 writes it to align two-byte strings.
pub const PADDING: u8 = 0x00;
/// A varint object count to skip (written by old versions of Blink).
pub const VERIFY_OBJECT_COUNT: u8 = b'?';

/// An absent element of a dense array.
pub const THE_HOLE: u8 = b'-';
/// `undefined`.
pub const UNDEFINED: u8 = b'_';
/// `null`.
pub const NULL: u8 = b'0';
/// `true`.
pub const TRUE: u8 = b'T';
/// `false`.
pub const FALSE: u8 = b'F';
/// A ZigZag varint.
pub const INT32: u8 = b'I';
/// A plain varint.
pub const UINT32: u8 = b'U';
/// A little-endian `f64`.
pub const DOUBLE: u8 = b'N';
/// Bitfield varint (bit 0: sign; bits 1 to 30: byte length), then the
/// magnitude's bytes, least significant first.
pub const BIGINT: u8 = b'Z';
/// Byte length varint, then UTF-8 (read only; V8 no longer writes it).
pub const UTF8_STRING: u8 = b'S';
/// Latin-1: one byte per code point U+0000..=U+00FF.
pub const ONE_BYTE_STRING: u8 = b'"';
/// UTF-16LE; the byte length varint precedes the data.
pub const TWO_BYTE_STRING: u8 = b'c';
/// Back-reference: varint id of an object read earlier.
pub const OBJECT_REFERENCE: u8 = b'^';
/// A plain object: key/value pairs up to [`END_OBJECT`].
pub const BEGIN_OBJECT: u8 = b'o';
/// Followed by the varint property count.
pub const END_OBJECT: u8 = b'{';
/// Followed by the varint length; properties are key/value pairs.
pub const BEGIN_SPARSE_ARRAY: u8 = b'a';
/// Followed by the varint property count and length.
pub const END_SPARSE_ARRAY: u8 = b'@';
/// Followed by the varint length and that many elements, then properties.
pub const BEGIN_DENSE_ARRAY: u8 = b'A';
/// Followed by the varint property count and length.
pub const END_DENSE_ARRAY: u8 = b'$';
/// A `Date`: a double, milliseconds since the epoch.
pub const DATE: u8 = b'D';
/// `new Boolean(true)`.
pub const TRUE_OBJECT: u8 = b'y';
/// `new Boolean(false)`.
pub const FALSE_OBJECT: u8 = b'x';
/// A `Number` object: a double.
pub const NUMBER_OBJECT: u8 = b'n';
/// A BigInt object: a BigInt's bitfield and digits.
pub const BIGINT_OBJECT: u8 = b'z';
/// A `String` object: a string, tag included.
pub const STRING_OBJECT: u8 = b's';
/// A string (the source), then the flag bits as a varint.
pub const REGEXP: u8 = b'R';
/// A `Map`: keys and values alternating up to [`END_MAP`].
pub const BEGIN_MAP: u8 = b';';
/// Followed by the varint count of keys plus values.
pub const END_MAP: u8 = b':';
/// A `Set`: elements up to [`END_SET`].
pub const BEGIN_SET: u8 = b'\'';
/// Followed by the varint element count.
pub const END_SET: u8 = b',';
/// Byte length varint, then the bytes.
pub const ARRAY_BUFFER: u8 = b'B';
/// Byte length varint, max byte length varint, then the bytes.
pub const RESIZABLE_ARRAY_BUFFER: u8 = b'~';
/// Varint transfer index.
pub const ARRAY_BUFFER_TRANSFER: u8 = b't';
/// Follows its buffer: sub-tag, byte offset, byte length and flags, all varints.
pub const ARRAY_BUFFER_VIEW: u8 = b'V';
/// Varint id the embedder assigned.
pub const SHARED_ARRAY_BUFFER: u8 = b'u';
/// A shared-heap object (shared struct, array or mutex): an embedder id.
pub const SHARED_OBJECT: u8 = b'p';
/// A `WebAssembly.Module`: an embedder id.
pub const WASM_MODULE_TRANSFER: u8 = b'w';
/// A `WebAssembly.Memory`: maximum pages, then its `SharedArrayBuffer`.
pub const WASM_MEMORY_TRANSFER: u8 = b'm';
/// The embedder's own format follows.
pub const HOST_OBJECT: u8 = b'\\';
/// A list of error sub-tags ending with [`ERROR_END`].
pub const ERROR: u8 = b'r';

/// Error sub-tag followed by the message string.
pub const ERROR_MESSAGE: u8 = b'm';
/// Error sub-tag followed by the stack string.
pub const ERROR_STACK: u8 = b's';
/// Error sub-tag followed by the cause, any value.
pub const ERROR_CAUSE: u8 = b'c';
/// Last error sub-tag.
pub const ERROR_END: u8 = b'.';

/// View flag bit: the view tracks the length of a resizable buffer.
pub const VIEW_LENGTH_TRACKING: u32 = 1;
/// View flag bit: the view's buffer is a resizable (non-shared) ArrayBuffer.
pub const VIEW_BACKED_BY_RAB: u32 = 2;

/// The largest BigInt V8 creates: 2^30 bits.
pub const MAX_BIGINT_BYTES: usize = 1 << 27;

/// The view sub-tag of each kind.
pub fn view_tag(kind: ViewKind) -> u8 {
  match kind {
    ViewKind::Int8Array => b'b',
    ViewKind::Uint8Array => b'B',
    ViewKind::Uint8ClampedArray => b'C',
    ViewKind::Int16Array => b'w',
    ViewKind::Uint16Array => b'W',
    ViewKind::Int32Array => b'd',
    ViewKind::Uint32Array => b'D',
    ViewKind::Float16Array => b'h',
    ViewKind::Float32Array => b'f',
    ViewKind::Float64Array => b'F',
    ViewKind::BigInt64Array => b'q',
    ViewKind::BigUint64Array => b'Q',
    ViewKind::DataView => b'?',
  }
}

/// The view kind a sub-tag stands for.
pub fn view_kind(tag: u32) -> Option<ViewKind> {
  const KINDS: [ViewKind; 13] = [
    ViewKind::Int8Array,
    ViewKind::Uint8Array,
    ViewKind::Uint8ClampedArray,
    ViewKind::Int16Array,
    ViewKind::Uint16Array,
    ViewKind::Int32Array,
    ViewKind::Uint32Array,
    ViewKind::Float16Array,
    ViewKind::Float32Array,
    ViewKind::Float64Array,
    ViewKind::BigInt64Array,
    ViewKind::BigUint64Array,
    ViewKind::DataView,
  ];
  KINDS
    .into_iter()
    .find(|&kind| u32::from(view_tag(kind)) == tag)
}

/// The error sub-tag that selects a prototype; plain `Error` has none.
pub fn error_prototype_tag(kind: ErrorKind) -> Option<u8> {
  match kind {
    ErrorKind::Error => None,
    ErrorKind::EvalError => Some(b'E'),
    ErrorKind::RangeError => Some(b'R'),
    ErrorKind::ReferenceError => Some(b'F'),
    ErrorKind::SyntaxError => Some(b'S'),
    ErrorKind::TypeError => Some(b'T'),
    ErrorKind::UriError => Some(b'U'),
  }
}

/// The error kind a prototype sub-tag stands for.
pub fn error_kind(tag: u32) -> Option<ErrorKind> {
  const KINDS: [ErrorKind; 6] = [
    ErrorKind::EvalError,
    ErrorKind::RangeError,
    ErrorKind::ReferenceError,
    ErrorKind::SyntaxError,
    ErrorKind::TypeError,
    ErrorKind::UriError,
  ];
  KINDS
    .into_iter()
    .find(|&kind| error_prototype_tag(kind).map(u32::from) == Some(tag))
}

/// RegExp flag letters with V8's bit for each (`JSRegExp::Flag`), in the
/// order `RegExp.prototype.flags` lists them. Bit 6, V8's experimental
/// "linear" flag, is absent: V8 rejects it unless a command-line flag is set.
const REGEXP_FLAGS: [(char, u32); 8] = [
  ('d', 1 << 7),
  ('g', 1 << 0),
  ('i', 1 << 1),
  ('m', 1 << 2),
  ('s', 1 << 5),
  ('u', 1 << 4),
  ('v', 1 << 8),
  ('y', 1 << 3),
];
const UNICODE: u32 = 1 << 4;
const UNICODE_SETS: u32 = 1 << 8;

/// The flag letters for V8's flag bits, or `None` if V8 would reject them.
pub fn regexp_flags(bits: u32) -> Option<String> {
  let known = REGEXP_FLAGS.iter().fold(0, |all, &(_, bit)| all | bit);
  if bits & !known != 0 || bits & (UNICODE | UNICODE_SETS) == UNICODE | UNICODE_SETS {
    return None;
  }
  Some(
    REGEXP_FLAGS
      .iter()
      .filter(|&&(_, bit)| bits & bit != 0)
      .map(|&(c, _)| c)
      .collect(),
  )
}

/// V8's flag bits for flag letters, or `None` for an unknown or repeated
/// letter or for `u` with `v`.
pub fn regexp_bits(flags: &str) -> Option<u32> {
  let mut bits = 0;
  for c in flags.chars() {
    let &(_, bit) = REGEXP_FLAGS.iter().find(|&&(letter, _)| letter == c)?;
    if bits & bit != 0 {
      return None;
    }
    bits |= bit;
  }
  regexp_flags(bits).map(|_| bits)
}

#[cfg(test)]
mod tests {
  use super::*;

  #[test]
  fn regexp_flags_round_trip() {
    // `/a/gimsuyd` and `/a/v` as Node 20 writes them.
    assert_eq!(regexp_flags(0xBF).as_deref(), Some("dgimsuy"));
    assert_eq!(regexp_flags(0x100).as_deref(), Some("v"));
    assert_eq!(regexp_bits("gimsuyd"), Some(0xBF));
    assert_eq!(regexp_bits("uv"), None);
    assert_eq!(regexp_bits("gg"), None);
    assert_eq!(regexp_bits("l"), None);
    assert_eq!(regexp_flags(1 << 6), None);
  }

  #[test]
  fn sub_tags_round_trip() {
    assert_eq!(view_kind(u32::from(b'?')), Some(ViewKind::DataView));
    assert_eq!(view_kind(u32::from(b'x')), None);
    assert_eq!(error_kind(u32::from(b'T')), Some(ErrorKind::TypeError));
    assert_eq!(error_kind(u32::from(b'm')), None);
  }
}
