//! [`Value`], the decoded form of a message, and the types it is built from.
//!
//! A `Value` is a tree: where a message refers to one object twice, decoding
//! copies it, and encoding writes each copy separately.

use crate::key::Key;

/// One JavaScript value as V8's serializer sees it.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
  /// `undefined`.
  Undefined,
  /// `null`.
  Null,
  /// `true` or `false`.
  Bool(bool),
  /// A number V8 wrote as a 32-bit integer.
  Int(i32),
  /// Any other number (V8 writes non-integers and numbers outside the
  /// 32-bit range as doubles).
  Number(f64),
  /// A BigInt primitive.
  BigInt(BigInt),
  /// A string primitive. JavaScript strings may hold lone surrogates, which
  /// a Rust string cannot: decoding turns each into U+FFFD.
  String(String),
  /// A dense array. Holes (absent elements) read as `Undefined`.
  Array(Vec<Value>),
  /// An array V8 wrote element by element: a holey array, or any array
  /// with named properties. Index keys are elements; absent indices below
  /// `length` are holes.
  SparseArray {
    /// The array's `length`.
    length: u32,
    /// Elements and named properties, as written.
    properties: Vec<(Key, Value)>,
  },
  /// A plain object: its own enumerable string-keyed properties, in order.
  Object(Vec<(Key, Value)>),
  /// A `Map`'s entries, in order.
  Map(Vec<(Value, Value)>),
  /// A `Set`'s elements, in order.
  Set(Vec<Value>),
  /// A `Date`: milliseconds since the Unix epoch (NaN for an invalid date).
  Date(f64),
  /// A `Boolean` object (`new Boolean(b)`).
  BooleanObject(bool),
  /// A `Number` object (`new Number(n)`).
  NumberObject(f64),
  /// A BigInt object (`Object(1n)`).
  BigIntObject(BigInt),
  /// A `String` object (`new String(s)`).
  StringObject(String),
  /// A `RegExp`. V8 compiles the source when it reads the message; an
  /// invalid pattern makes the whole message fail there, not here.
  RegExp {
    /// The pattern, as `RegExp.prototype.source` gives it.
    source: String,
    /// Flag letters in the order `RegExp.prototype.flags` gives them
    /// (a subset of `dgimsuvy`).
    flags: String,
  },
  /// A fixed-length `ArrayBuffer` and its contents.
  ArrayBuffer(Vec<u8>),
  /// A resizable `ArrayBuffer` (`new ArrayBuffer(n, { maxByteLength })`).
  ResizableArrayBuffer {
    /// The current contents.
    bytes: Vec<u8>,
    /// The most the buffer may grow to.
    max_byte_length: u32,
  },
  /// An `ArrayBuffer` whose contents travel outside the message: the index
  /// the host gave it when it transferred the buffer (its position in the
  /// transfer list).
  Transferred(u32),
  /// A `SharedArrayBuffer`: the id the host's serializer delegate gave it.
  SharedArrayBuffer(u32),
  /// A typed array or `DataView`.
  View(View),
  /// An `Error` object.
  Error(Box<JsError>),
}

/// A BigInt as sign and magnitude. Equality compares the numbers, so high
/// zero digits and the sign of zero do not matter.
#[derive(Debug, Clone, Default)]
pub struct BigInt {
  /// Whether the BigInt is below zero.
  pub negative: bool,
  /// The magnitude in 64-bit digits, least significant first. The encoder
  /// ignores high zero digits, and the sign of zero.
  pub digits: Vec<u64>,
}

impl BigInt {
  /// The magnitude's digits without high zero digits.
  pub(crate) fn significant_digits(&self) -> &[u64] {
    significant(&self.digits)
  }

  /// Whether the number is below zero (zero never is).
  pub(crate) fn is_negative(&self) -> bool {
    self.negative && !self.significant_digits().is_empty()
  }

  /// The magnitude, if it fits 128 bits.
  fn magnitude(&self) -> Option<u128> {
    match *self.significant_digits() {
      [] => Some(0),
      [low] => Some(u128::from(low)),
      [low, high] => Some(u128::from(high) << 64 | u128::from(low)),
      _ => None,
    }
  }

  /// The value as an `i128`, if it fits.
  pub fn to_i128(&self) -> Option<i128> {
    let magnitude = self.magnitude()?;
    if self.negative {
      0i128.checked_sub_unsigned(magnitude)
    } else {
      i128::try_from(magnitude).ok()
    }
  }

  /// The value as a `u128`, if it fits.
  pub fn to_u128(&self) -> Option<u128> {
    let magnitude = self.magnitude()?;
    (!self.is_negative()).then_some(magnitude)
  }
}

impl PartialEq for BigInt {
  fn eq(&self, other: &Self) -> bool {
    self.is_negative() == other.is_negative()
      && self.significant_digits() == other.significant_digits()
  }
}

impl Eq for BigInt {}

impl From<u128> for BigInt {
  fn from(n: u128) -> Self {
    let digits = [n as u64, (n >> 64) as u64];
    BigInt {
      negative: false,
      digits: significant(&digits).to_vec(),
    }
  }
}

impl From<i128> for BigInt {
  fn from(n: i128) -> Self {
    BigInt {
      negative: n < 0,
      ..BigInt::from(n.unsigned_abs())
    }
  }
}

/// `digits` without high zero digits.
fn significant(digits: &[u64]) -> &[u64] {
  let length = digits
    .iter()
    .rposition(|&digit| digit != 0)
    .map_or(0, |last| last + 1);
  &digits[..length]
}

/// Which typed array (or `DataView`) a [`View`] is; each variant is named
/// after its JavaScript constructor.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ViewKind {
  Int8Array,
  Uint8Array,
  Uint8ClampedArray,
  Int16Array,
  Uint16Array,
  Int32Array,
  Uint32Array,
  Float16Array,
  Float32Array,
  Float64Array,
  BigInt64Array,
  BigUint64Array,
  DataView,
}

impl ViewKind {
  /// Bytes per element (1 for `DataView`, which has no elements).
  pub fn element_size(self) -> u32 {
    match self {
      ViewKind::Int8Array
      | ViewKind::Uint8Array
      | ViewKind::Uint8ClampedArray
      | ViewKind::DataView => 1,
      ViewKind::Int16Array | ViewKind::Uint16Array | ViewKind::Float16Array => 2,
      ViewKind::Int32Array | ViewKind::Uint32Array | ViewKind::Float32Array => 4,
      ViewKind::Float64Array | ViewKind::BigInt64Array | ViewKind::BigUint64Array => 8,
    }
  }
}

/// A typed array or `DataView` over a buffer.
#[derive(Debug, Clone, PartialEq)]
pub struct View {
  /// Which kind of view.
  pub kind: ViewKind,
  /// The buffer: an `ArrayBuffer`, `ResizableArrayBuffer`, `Transferred`
  /// or `SharedArrayBuffer` value.
  pub buffer: Box<Value>,
  /// Where the view starts in the buffer.
  pub byte_offset: u32,
  /// How many bytes the view covers (a multiple of the element size).
  pub byte_length: u32,
  /// Whether the view follows the length of a resizable buffer.
  pub length_tracking: bool,
  /// Whether the buffer is a resizable (non-shared) `ArrayBuffer`; V8
  /// requires this to match the buffer.
  pub backed_by_resizable: bool,
}

impl View {
  /// A `Uint8Array` over a fresh `ArrayBuffer` holding `bytes`.
  pub fn uint8_array(bytes: Vec<u8>) -> View {
    View {
      kind: ViewKind::Uint8Array,
      byte_offset: 0,
      byte_length: u32::try_from(bytes.len()).unwrap_or(u32::MAX),
      buffer: Box::new(Value::ArrayBuffer(bytes)),
      length_tracking: false,
      backed_by_resizable: false,
    }
  }

  /// The bytes the view covers, if its buffer's contents are in the
  /// message and the view lies within them.
  pub fn bytes(&self) -> Option<&[u8]> {
    let buffer = match &*self.buffer {
      Value::ArrayBuffer(bytes) | Value::ResizableArrayBuffer { bytes, .. } => bytes,
      _ => return None,
    };
    buffer.get(self.byte_offset as usize..self.end()?)
  }

  /// Where the view ends in its buffer (`None` only where `usize` is too
  /// small to say).
  pub(crate) fn end(&self) -> Option<usize> {
    (self.byte_offset as usize).checked_add(self.byte_length as usize)
  }
}

/// An `Error` object, as much of it as V8 serializes.
#[derive(Debug, Clone, PartialEq)]
pub struct JsError {
  /// The constructor V8 recreates it with (from its `name`; other names
  /// become a plain `Error`).
  pub kind: ErrorKind,
  /// Its own `message` property, if it had one.
  pub message: Option<String>,
  /// Its `stack` property, if that was a string.
  pub stack: Option<String>,
  /// Its own `cause` property, if it had one.
  pub cause: Option<Value>,
}

/// The error constructors V8's serializer distinguishes, each variant named
/// after one (`UriError` is `URIError`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ErrorKind {
  Error,
  EvalError,
  RangeError,
  ReferenceError,
  SyntaxError,
  TypeError,
  UriError,
}

impl ErrorKind {
  /// The constructor's name, such as `"TypeError"`.
  pub fn name(self) -> &'static str {
    match self {
      ErrorKind::Error => "Error",
      ErrorKind::EvalError => "EvalError",
      ErrorKind::RangeError => "RangeError",
      ErrorKind::ReferenceError => "ReferenceError",
      ErrorKind::SyntaxError => "SyntaxError",
      ErrorKind::TypeError => "TypeError",
      ErrorKind::UriError => "URIError",
    }
  }
}

/// Size of a value, for limiting copies made for back-references.
pub(crate) struct Extent {
  /// Containers on the longest path down, counting the value itself.
  pub height: usize,
  /// Approximate bytes of memory: each value's own size plus what it holds
  /// on the heap.
  pub weight: usize,
}

impl Value {
  /// The value's extent, or `None` as soon as its weight passes `budget`.
  pub(crate) fn extent(&self, budget: usize) -> Option<Extent> {
    let mut extent = Extent {
      height: usize::from(self.is_container()),
      weight: std::mem::size_of::<Value>() + self.heap_bytes(),
    };
    self.for_each_child(&mut |child| {
      let inner = child.extent(budget.checked_sub(extent.weight)?)?;
      extent.weight += inner.weight;
      extent.height = extent.height.max(inner.height + 1);
      Some(())
    })?;
    (extent.weight <= budget).then_some(extent)
  }

  fn is_container(&self) -> bool {
    matches!(
      self,
      Value::Array(_)
        | Value::SparseArray { .. }
        | Value::Object(_)
        | Value::Map(_)
        | Value::Set(_)
        | Value::View(_)
        | Value::Error(_)
    )
  }

  /// Heap bytes held directly, not counting values inside: strings,
  /// buffers, BigInt digits and property keys.
  fn heap_bytes(&self) -> usize {
    match self {
      Value::BigInt(n) | Value::BigIntObject(n) => n.digits.len() * 8,
      Value::String(s) | Value::StringObject(s) => s.len(),
      Value::RegExp { source, flags } => source.len() + flags.len(),
      Value::ArrayBuffer(bytes) | Value::ResizableArrayBuffer { bytes, .. } => bytes.len(),
      Value::SparseArray {
        properties: entries,
        ..
      }
      | Value::Object(entries) => entries
        .iter()
        .map(|(key, _)| std::mem::size_of::<Key>() + key.heap_bytes())
        .sum(),
      Value::Error(error) => {
        let strings = error.message.as_ref().map_or(0, String::len)
          + error.stack.as_ref().map_or(0, String::len);
        std::mem::size_of::<JsError>() + strings
      }
      _ => 0,
    }
  }

  /// Calls `visit` on each value directly inside this one, stopping at the
  /// first `None`.
  fn for_each_child(&self, visit: &mut dyn FnMut(&Value) -> Option<()>) -> Option<()> {
    match self {
      Value::Array(items) | Value::Set(items) => items.iter().try_for_each(visit),
      Value::SparseArray {
        properties: entries,
        ..
      }
      | Value::Object(entries) => entries.iter().try_for_each(|(_, item)| visit(item)),
      Value::Map(entries) => entries.iter().try_for_each(|(key, item)| {
        visit(key)?;
        visit(item)
      }),
      Value::View(view) => visit(&view.buffer),
      Value::Error(error) => error.cause.as_ref().map_or(Some(()), visit),
      _ => Some(()),
    }
  }
}

#[cfg(test)]
mod tests {
  use super::*;

  #[test]
  fn bigint_conversions() {
    assert_eq!(BigInt::from(-5i128).to_i128(), Some(-5));
    assert_eq!(BigInt::from(i128::MIN).to_i128(), Some(i128::MIN));
    assert_eq!(BigInt::from(u128::MAX).to_u128(), Some(u128::MAX));
    assert_eq!(BigInt::from(u128::MAX).to_i128(), None);
    assert_eq!(BigInt::from(-1i128).to_u128(), None);
    let zero = BigInt {
      negative: true,
      digits: vec![0, 0],
    };
    assert_eq!(zero.to_u128(), Some(0));
    assert_eq!(zero.significant_digits(), &[] as &[u64]);
    assert_eq!(zero, BigInt::default());
    assert_eq!(BigInt::from(7u128).digits, [7]);
    assert_ne!(BigInt::from(7i128), BigInt::from(-7i128));
    assert_eq!(
      BigInt {
        negative: false,
        digits: vec![1, 2, 3]
      }
      .to_u128(),
      None
    );
  }

  #[test]
  fn extent_counts_nesting_and_bytes() {
    let value = Value::Array(vec![Value::Array(vec![Value::String("abc".into())])]);
    let extent = value.extent(usize::MAX).unwrap();
    assert_eq!(extent.height, 2);
    assert_eq!(extent.weight, 3 * std::mem::size_of::<Value>() + 3);
    assert_eq!(Value::Null.extent(usize::MAX).unwrap().height, 0);
    assert!(value.extent(100).is_none());
  }
}
