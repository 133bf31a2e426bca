//! The fast path of structured serialization for the most common messages,
//! without V8's `ValueSerializer` and `ValueDeserializer`, whose setup costs
//! more than such a message:
//! * written: primitives, strings of any length, and a cloned `ArrayBuffer`
//!   (copied once, into a backing store the receiver adopts);
//! * read: the same, and plain objects and dense arrays of them a few levels
//!   deep, as V8 writes them.
//!
//! Only the V8 side lives here; the bytes, tags and version come from
//! `entangle_wire`'s [`Writer`] and [`Reader`], the one codec of the format,
//! so any reader of it (V8's deserializer, or `entangle_wire::decode`)
//! accepts them, and what does not fit the fast path is left to V8.
//!
//! Objects and arrays are written by V8 alone: telling, through V8's public
//! API, whether a property is a getter (which must run once, in V8's order)
//! or an object an ordinary one takes more calls than V8's serializer takes
//! to write it (measured in the closing note of the performance issue).

use deno_core::v8;
use entangle_wire::format::{ARRAY_BUFFER_TRANSFER, BEGIN_DENSE_ARRAY, BEGIN_OBJECT, DOUBLE};
use entangle_wire::format::{END_DENSE_ARRAY, END_OBJECT, FALSE, INT32, NULL, ONE_BYTE_STRING};
use entangle_wire::format::{TRUE, TWO_BYTE_STRING, UINT32, UNDEFINED, VERSION_TAG};
use entangle_wire::{Reader, Writer, LATEST_READ_VERSION, OLDEST_READ_VERSION};

use crate::large_copy;
use crate::serialize::Attached;
use crate::serialize::Payload;

/// How deep objects and arrays may nest on the fast path of reading.
const MAX_DEPTH: usize = 4;
/// How many elements an array may have on the fast path of reading.
const MAX_ELEMENTS: usize = 64;

/// The payload of `value` if the fast path can write it. `copy_buffers`:
/// whether an `ArrayBuffer` may be cloned into a backing store of its own
/// that moves with the payload (not for a payload that several receivers
/// share).
pub fn encode(
  scope: &mut v8::PinScope<'_, '_>,
  value: v8::Local<v8::Value>,
  copy_buffers: bool,
) -> Option<Payload> {
  let mut out = Writer::with_capacity(16);
  let mut buffers = Vec::new();
  if value.is_undefined() {
    out.tag(UNDEFINED);
  } else if value.is_null() {
    out.tag(NULL);
  } else if value.is_true() {
    out.tag(TRUE);
  } else if value.is_false() {
    out.tag(FALSE);
  } else if value.is_int32() {
    out.int32(value.int32_value(scope)?);
  } else if value.is_number() {
    out.double(DOUBLE, value.number_value(scope)?);
  } else if let Ok(string) = value.try_cast::<v8::String>() {
    write_string(scope, &mut out, string)?;
  } else if let Ok(buffer) = value.try_cast::<v8::ArrayBuffer>() {
    if !copy_buffers {
      return None;
    }
    buffers.push(copy_array_buffer(buffer)?);
    large_copy::collect_if_due(scope);
    out.tag(ARRAY_BUFFER_TRANSFER);
    out.varint(0);
  } else {
    return None;
  }
  Some(Payload::new(
    out.into_bytes(),
    Attached {
      buffers,
      ..Attached::default()
    },
  ))
}

/// The payload of a number: a small integer as V8 writes a Smi, anything
/// else (`-0` too) as a double; either reads back as the same number.
pub fn encode_number(number: f64) -> Payload {
  let mut out = Writer::with_capacity(16);
  let small = number as i32;
  if f64::from(small) == number && !(number == 0.0 && number.is_sign_negative()) {
    out.int32(small);
  } else {
    out.double(DOUBLE, number);
  }
  Payload::from_bytes(out.into_bytes())
}

fn write_string(
  scope: &mut v8::PinScope<'_, '_>,
  out: &mut Writer,
  string: v8::Local<v8::String>,
) -> Option<()> {
  /// Strings up to this long are copied out of V8 on the stack.
  const SHORT: usize = 64;
  let length = string.length();
  // As V8 writes them: one byte per code unit when the string is stored so.
  if string.is_onebyte() {
    let mut short = [0u8; SHORT];
    let mut long = Vec::new();
    let latin1 = if length <= SHORT {
      &mut short[..length]
    } else {
      long.resize(length, 0);
      &mut long[..]
    };
    string.write_one_byte_v2(scope, 0, latin1, v8::WriteFlags::empty());
    out.one_byte_string(latin1).ok()
  } else {
    let mut units = vec![0u16; length];
    string.write_v2(scope, 0, &mut units, v8::WriteFlags::empty());
    out.two_byte_string(&units).ok()
  }
}

/// A clone of `buffer`'s bytes in a backing store of its own, which the
/// message refers to as V8 refers to a transferred buffer: the bytes are
/// copied once, and the receiver's `ArrayBuffer` is made over the copy.
/// `None` for a detached buffer (a "DataCloneError") or a resizable one
/// (which keeps its maximum length): V8's to write.
fn copy_array_buffer(
  buffer: v8::Local<v8::ArrayBuffer>,
) -> Option<v8::SharedRef<v8::BackingStore>> {
  let store = buffer.get_backing_store();
  if buffer.was_detached() || store.is_resizable_by_user_javascript() {
    return None;
  }
  let length = buffer.byte_length();
  let bytes = match buffer.data() {
    // SAFETY: an attached buffer's data is `length` readable bytes, and no
    // script runs while they are copied.
    Some(data) if length > 0 => unsafe {
      std::slice::from_raw_parts(data.as_ptr().cast::<u8>(), length)
    },
    _ => &[],
  };
  Some(large_copy::backing_store_with(bytes).make_shared())
}

/// The value of `bytes` if they hold a message the fast path reads: what
/// [`encode`] writes, without cloned buffers. Anything else (including bytes
/// that are not a valid message) is left to V8's deserializer.
pub fn decode<'s>(
  scope: &mut v8::PinScope<'s, '_>,
  bytes: &[u8],
) -> Option<v8::Local<'s, v8::Value>> {
  let mut reader = Reader::new(bytes);
  if reader.byte().ok()? != VERSION_TAG {
    return None;
  }
  let version = reader.varint().ok()?;
  if !(OLDEST_READ_VERSION..=LATEST_READ_VERSION).contains(&version) {
    return None;
  }
  let value = read_value(scope, &mut reader, 0)?;
  // The message must be exactly one value.
  (reader.remaining() == 0).then_some(value)
}

fn read_value<'s>(
  scope: &mut v8::PinScope<'s, '_>,
  reader: &mut Reader,
  depth: usize,
) -> Option<v8::Local<'s, v8::Value>> {
  let value: v8::Local<v8::Value> = match reader.tag().ok()? {
    UNDEFINED => v8::undefined(scope).into(),
    NULL => v8::null(scope).into(),
    TRUE => v8::Boolean::new(scope, true).into(),
    FALSE => v8::Boolean::new(scope, false).into(),
    INT32 => v8::Integer::new(scope, reader.zigzag().ok()?).into(),
    UINT32 => v8::Integer::new_from_unsigned(scope, reader.varint().ok()?).into(),
    DOUBLE => v8::Number::new(scope, reader.double().ok()?).into(),
    ONE_BYTE_STRING => read_one_byte_string(scope, reader)?.into(),
    TWO_BYTE_STRING => read_two_byte_string(scope, reader)?.into(),
    BEGIN_OBJECT if depth < MAX_DEPTH => read_object(scope, reader, depth)?.into(),
    BEGIN_DENSE_ARRAY if depth < MAX_DEPTH => read_array(scope, reader, depth)?.into(),
    _ => return None,
  };
  Some(value)
}

fn read_one_byte_string<'s>(
  scope: &mut v8::PinScope<'s, '_>,
  reader: &mut Reader,
) -> Option<v8::Local<'s, v8::String>> {
  let length = reader.varint().ok()? as usize;
  let data = reader.take(length).ok()?;
  v8::String::new_from_one_byte(scope, data, v8::NewStringType::Normal)
}

fn read_two_byte_string<'s>(
  scope: &mut v8::PinScope<'s, '_>,
  reader: &mut Reader,
) -> Option<v8::Local<'s, v8::String>> {
  let length = reader.varint().ok()? as usize;
  if length % 2 == 1 {
    return None;
  }
  let units: Vec<u16> = reader
    .take(length)
    .ok()?
    .chunks_exact(2)
    .map(|c| u16::from_le_bytes([c[0], c[1]]))
    .collect();
  v8::String::new_from_two_byte(scope, &units, v8::NewStringType::Normal)
}

/// The properties of an object up to its end tag, whose count must match,
/// as V8's deserializer checks. Keys are strings here (V8 writes index keys
/// of objects as numbers, which the fast path leaves to it).
fn read_object<'s>(
  scope: &mut v8::PinScope<'s, '_>,
  reader: &mut Reader,
  depth: usize,
) -> Option<v8::Local<'s, v8::Object>> {
  let object = v8::Object::new(scope);
  let mut count = 0u32;
  loop {
    let key = match reader.tag().ok()? {
      END_OBJECT => break,
      ONE_BYTE_STRING => read_one_byte_string(scope, reader)?,
      TWO_BYTE_STRING => read_two_byte_string(scope, reader)?,
      _ => return None,
    };
    let value = read_value(scope, reader, depth + 1)?;
    object.create_data_property(scope, key.into(), value)?;
    count += 1;
  }
  (reader.varint().ok()? == count).then_some(object)
}

/// A dense array of exactly its elements: no hole, no other property.
fn read_array<'s>(
  scope: &mut v8::PinScope<'s, '_>,
  reader: &mut Reader,
  depth: usize,
) -> Option<v8::Local<'s, v8::Array>> {
  // Each element takes at least a byte: a length beyond what is left is a
  // corrupt message, for V8 to refuse.
  let length = reader.length(1).ok()?;
  if length as usize > MAX_ELEMENTS {
    return None;
  }
  let mut elements = Vec::with_capacity(length as usize);
  for _ in 0..length {
    elements.push(read_value(scope, reader, depth + 1)?);
  }
  if reader.tag().ok()? != END_DENSE_ARRAY
    || reader.varint().ok()? != 0
    || reader.varint().ok()? != length
  {
    return None;
  }
  Some(v8::Array::new_with_elements(scope, &elements))
}
