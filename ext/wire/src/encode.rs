//! The encoder: [`Value`] to the bytes V8's `ValueSerializer` would write
//! for the same JavaScript value, checked so that V8's `ValueDeserializer`
//! accepts them.

use crate::error::Error;
use crate::format::*;
use crate::key::{self, Key};
use crate::value::{BigInt, JsError, Value, View};
use crate::writer::{len32, Writer};
use crate::MAX_DEPTH;

/// Encodes `value` as a message of format version [`VERSION`](crate::VERSION).
///
/// Fails, rather than write bytes V8 would reject, for: nesting deeper than
/// [`MAX_DEPTH`]; a property key twice in one object or array, or an array
/// key `"length"`; a view whose buffer is not a buffer, or that reaches past
/// its buffer's end, is misaligned for its element size, or has flags that
/// do not fit its buffer; a resizable buffer longer than its maximum; unknown
/// RegExp flags; a BigInt over V8's size limit; and lengths over `u32::MAX`.
pub fn encode(value: &Value) -> Result<Vec<u8>, Error> {
  let mut encoder = Encoder {
    out: Writer::default(),
    depth: 0,
  };
  encoder.value(value)?;
  Ok(encoder.out.into_bytes())
}

struct Encoder {
  out: Writer,
  /// Containers currently open.
  depth: usize,
}

impl Encoder {
  /// One value. Containers are dispatched here and everything else in
  /// [`scalar`](Self::scalar), which keeps the frames of this recursion
  /// small (debug builds give every temporary its own slot).
  fn value(&mut self, value: &Value) -> Result<(), Error> {
    match value {
      Value::Array(items) => self.array(items),
      Value::SparseArray { length, properties } => self.sparse_array(*length, properties),
      Value::Object(properties) => self.object(properties),
      Value::Map(entries) => self.map(entries),
      Value::Set(items) => self.set(items),
      Value::Error(error) => self.error(error),
      _ => self.scalar(value),
    }
  }

  /// Opens a container; callers close it with `self.depth -= 1`. After an
  /// error the encoder is discarded, so there is no need then.
  fn enter(&mut self) -> Result<(), Error> {
    if self.depth >= MAX_DEPTH {
      return Err(Error::TooDeep(MAX_DEPTH));
    }
    self.depth += 1;
    Ok(())
  }

  fn array(&mut self, items: &[Value]) -> Result<(), Error> {
    self.enter()?;
    let length = len32(items.len(), "array")?;
    self.out.tag(BEGIN_DENSE_ARRAY);
    self.out.varint(length);
    for item in items {
      self.value(item)?;
    }
    self.out.tag(END_DENSE_ARRAY);
    self.out.varint(0);
    self.out.varint(length);
    self.depth -= 1;
    Ok(())
  }

  fn sparse_array(&mut self, length: u32, properties: &[(Key, Value)]) -> Result<(), Error> {
    self.enter()?;
    self.out.tag(BEGIN_SPARSE_ARRAY);
    self.out.varint(length);
    self.properties(properties, true)?;
    self.out.tag(END_SPARSE_ARRAY);
    self.out.varint(len32(properties.len(), "array")?);
    self.out.varint(length);
    self.depth -= 1;
    Ok(())
  }

  fn object(&mut self, properties: &[(Key, Value)]) -> Result<(), Error> {
    self.enter()?;
    self.out.tag(BEGIN_OBJECT);
    self.properties(properties, false)?;
    self.out.tag(END_OBJECT);
    self.out.varint(len32(properties.len(), "object")?);
    self.depth -= 1;
    Ok(())
  }

  fn map(&mut self, entries: &[(Value, Value)]) -> Result<(), Error> {
    self.enter()?;
    let count = len32(entries.len().saturating_mul(2), "map")?;
    self.out.tag(BEGIN_MAP);
    for (key, item) in entries {
      self.value(key)?;
      self.value(item)?;
    }
    self.out.tag(END_MAP);
    self.out.varint(count);
    self.depth -= 1;
    Ok(())
  }

  fn set(&mut self, items: &[Value]) -> Result<(), Error> {
    self.enter()?;
    let count = len32(items.len(), "set")?;
    self.out.tag(BEGIN_SET);
    for item in items {
      self.value(item)?;
    }
    self.out.tag(END_SET);
    self.out.varint(count);
    self.depth -= 1;
    Ok(())
  }

  /// A value with no values inside, except a view's buffer.
  fn scalar(&mut self, value: &Value) -> Result<(), Error> {
    match value {
      Value::Undefined => self.out.tag(UNDEFINED),
      Value::Null => self.out.tag(NULL),
      Value::Bool(b) => self.out.tag(if *b { TRUE } else { FALSE }),
      Value::Int(n) => self.out.int32(*n),
      Value::Number(n) => self.out.double(DOUBLE, *n),
      Value::BigInt(n) => {
        self.out.tag(BIGINT);
        self.bigint(n)?;
      }
      Value::String(s) => self.string(s)?,
      Value::Date(time) => self.out.double(DATE, *time),
      Value::BooleanObject(b) => self.out.tag(if *b { TRUE_OBJECT } else { FALSE_OBJECT }),
      Value::NumberObject(n) => self.out.double(NUMBER_OBJECT, *n),
      Value::BigIntObject(n) => {
        self.out.tag(BIGINT_OBJECT);
        self.bigint(n)?;
      }
      Value::StringObject(s) => {
        self.out.tag(STRING_OBJECT);
        self.string(s)?;
      }
      Value::RegExp { source, flags } => {
        let bits = regexp_bits(flags)
          .ok_or_else(|| Error::Unencodable(format!("RegExp flags {flags:?} are not valid")))?;
        self.out.tag(REGEXP);
        self.string(source)?;
        self.out.varint(bits);
      }
      Value::ArrayBuffer(bytes) => {
        self.out.tag(ARRAY_BUFFER);
        self.out.bytes(bytes, "ArrayBuffer")?;
      }
      Value::ResizableArrayBuffer {
        bytes,
        max_byte_length,
      } => {
        if bytes.len() > *max_byte_length as usize {
          return Err(Error::Unencodable(
            "resizable ArrayBuffer longer than its maximum".into(),
          ));
        }
        self.out.tag(RESIZABLE_ARRAY_BUFFER);
        self.out.varint(len32(bytes.len(), "ArrayBuffer")?);
        self.out.varint(*max_byte_length);
        self.out.raw(bytes);
      }
      Value::Transferred(index) => {
        self.out.tag(ARRAY_BUFFER_TRANSFER);
        self.out.varint(*index);
      }
      Value::SharedArrayBuffer(id) => {
        self.out.tag(SHARED_ARRAY_BUFFER);
        self.out.varint(*id);
      }
      Value::View(view) => self.view(view)?,
      Value::Array(_)
      | Value::SparseArray { .. }
      | Value::Object(_)
      | Value::Map(_)
      | Value::Set(_)
      | Value::Error(_) => self.value(value)?,
    }
    Ok(())
  }

  fn bigint(&mut self, n: &BigInt) -> Result<(), Error> {
    let digits = n.significant_digits();
    let byte_length = digits.len() * 8;
    if byte_length > MAX_BIGINT_BYTES {
      return Err(Error::Unencodable(format!(
        "BigInt of {byte_length} bytes is over V8's limit"
      )));
    }
    let negative = n.negative && !digits.is_empty();
    self
      .out
      .varint(u32::from(negative) | (byte_length as u32) << 1);
    for digit in digits {
      self.out.raw(&digit.to_le_bytes());
    }
    Ok(())
  }

  /// A string, tagged: Latin-1 if every character fits a byte, else UTF-16
  /// aligned to an even offset as V8 aligns it.
  fn string(&mut self, s: &str) -> Result<(), Error> {
    if s.is_ascii() {
      return self.out.one_byte_string(s.as_bytes());
    }
    if s.chars().all(|c| u32::from(c) <= 0xFF) {
      let latin1: Vec<u8> = s.chars().map(|c| u32::from(c) as u8).collect();
      return self.out.one_byte_string(&latin1);
    }
    let units: Vec<u16> = s.encode_utf16().collect();
    self.out.two_byte_string(&units)
  }

  /// Key/value pairs; index keys as numbers, others as strings.
  fn properties(&mut self, properties: &[(Key, Value)], is_array: bool) -> Result<(), Error> {
    key::check_keys(properties.iter().map(|(key, _)| key), is_array).map_err(Error::Unencodable)?;
    for (key, item) in properties {
      match key {
        Key::Index(index) => match i32::try_from(*index) {
          Ok(index) => self.out.int32(index),
          Err(_) => self.out.double(DOUBLE, f64::from(*index)),
        },
        Key::String(s) => self.string(s)?,
      }
      self.value(item)?;
    }
    Ok(())
  }

  /// The buffer, then the view, as V8 writes a typed array or `DataView`.
  fn view(&mut self, view: &View) -> Result<(), Error> {
    let (buffer_length, flags_fit) = match &*view.buffer {
      Value::ArrayBuffer(bytes) => (
        Some(bytes.len()),
        !view.length_tracking && !view.backed_by_resizable,
      ),
      Value::ResizableArrayBuffer { bytes, .. } => (Some(bytes.len()), view.backed_by_resizable),
      Value::SharedArrayBuffer(_) => (None, !view.backed_by_resizable),
      Value::Transferred(_) => (None, true),
      _ => {
        return Err(Error::Unencodable(
          "a view's buffer must be an ArrayBuffer".into(),
        ))
      }
    };
    if !flags_fit {
      return Err(Error::Unencodable(
        "view flags do not fit its buffer".into(),
      ));
    }
    let end = view.end().unwrap_or(usize::MAX);
    if buffer_length.is_some_and(|length| end > length) {
      return Err(Error::Unencodable(
        "view reaches past the end of its buffer".into(),
      ));
    }
    let size = view.kind.element_size();
    if !view.byte_offset.is_multiple_of(size) || !view.byte_length.is_multiple_of(size) {
      return Err(Error::Unencodable(format!(
        "view not aligned to its {size}-byte elements"
      )));
    }
    self.value(&view.buffer)?;
    self.out.tag(ARRAY_BUFFER_VIEW);
    self.out.varint(view_tag(view.kind).into());
    self.out.varint(view.byte_offset);
    self.out.varint(view.byte_length);
    let mut flags = 0;
    if view.length_tracking {
      flags |= VIEW_LENGTH_TRACKING;
    }
    if view.backed_by_resizable {
      flags |= VIEW_BACKED_BY_RAB;
    }
    self.out.varint(flags);
    Ok(())
  }

  /// Sub-tags in the order current V8 writes and every V8 reads: prototype,
  /// message, stack, cause, end.
  fn error(&mut self, error: &JsError) -> Result<(), Error> {
    self.enter()?;
    self.out.tag(ERROR);
    if let Some(tag) = error_prototype_tag(error.kind) {
      self.out.tag(tag);
    }
    if let Some(message) = &error.message {
      self.out.tag(ERROR_MESSAGE);
      self.string(message)?;
    }
    if let Some(stack) = &error.stack {
      self.out.tag(ERROR_STACK);
      self.string(stack)?;
    }
    if let Some(cause) = &error.cause {
      self.out.tag(ERROR_CAUSE);
      self.value(cause)?;
    }
    self.out.tag(ERROR_END);
    self.depth -= 1;
    Ok(())
  }
}
