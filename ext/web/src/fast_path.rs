//! The fast path of structured serialization for the most common messages:
//! numbers, booleans, `null`, `undefined` and short strings, written and
//! read without a `ValueSerializer`.
//!
//! Only the V8 side lives here; the bytes, tags and version come from
//! `entangle_wire`'s [`Writer`] and [`Reader`], the one codec of the format,
//! so any reader of it (V8's deserializer, or `entangle_wire::decode`)
//! accepts them.

use deno_core::v8;
use entangle_wire::format::{DOUBLE, FALSE, INT32, NULL, ONE_BYTE_STRING, TRUE};
use entangle_wire::format::{TWO_BYTE_STRING, UNDEFINED, VERSION_TAG};
use entangle_wire::{Reader, Writer, LATEST_READ_VERSION, OLDEST_READ_VERSION};

use crate::serialize::Payload;

/// Longer strings go through V8's serializer, which is fast enough for them.
const MAX_FAST_STRING: usize = 4096;

/// The payload of `value` if it is a primitive the fast path handles.
pub fn encode(scope: &mut v8::PinScope<'_, '_>, value: v8::Local<v8::Value>) -> Option<Payload> {
  let mut out = Writer::default();
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
  } else if value.is_string() {
    let string = value.to_string(scope)?;
    let length = string.length();
    if length > MAX_FAST_STRING {
      return None;
    }
    if string.contains_only_onebyte() {
      let mut latin1 = vec![0u8; length];
      string.write_one_byte_v2(scope, 0, &mut latin1, v8::WriteFlags::empty());
      out.one_byte_string(&latin1).ok()?;
    } else {
      let mut units = vec![0u16; length];
      string.write_v2(scope, 0, &mut units, v8::WriteFlags::empty());
      out.two_byte_string(&units).ok()?;
    }
  } else {
    return None;
  }
  Some(Payload::from_bytes(out.into_bytes()))
}

/// The value of `bytes` if they hold one primitive the fast path handles.
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
  let value: v8::Local<v8::Value> = match reader.tag().ok()? {
    UNDEFINED => v8::undefined(scope).into(),
    NULL => v8::null(scope).into(),
    TRUE => v8::Boolean::new(scope, true).into(),
    FALSE => v8::Boolean::new(scope, false).into(),
    INT32 => v8::Integer::new(scope, reader.zigzag().ok()?).into(),
    DOUBLE => v8::Number::new(scope, reader.double().ok()?).into(),
    ONE_BYTE_STRING => {
      let length = reader.varint().ok()? as usize;
      let data = reader.take(length).ok()?;
      v8::String::new_from_one_byte(scope, data, v8::NewStringType::Normal)?.into()
    }
    TWO_BYTE_STRING => {
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
      v8::String::new_from_two_byte(scope, &units, v8::NewStringType::Normal)?.into()
    }
    _ => return None,
  };
  // Only a message that is exactly one primitive takes this path.
  (reader.remaining() == 0).then_some(value)
}
