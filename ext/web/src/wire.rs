//! V8's wire format for primitives, written and read without a
//! `ValueSerializer`: the fast path for numbers, booleans, `null`,
//! `undefined` and strings, the most common messages.
//!
//! The bytes are exactly what V8 writes (see `v8/src/objects/value-serializer.cc`),
//! so any reader of the format — V8's deserializer, or the slow path here —
//! accepts them.

use deno_core::v8;

const VERSION_TAG: u8 = 0xFF;
const PADDING: u8 = 0x00;
const UNDEFINED: u8 = b'_';
const NULL: u8 = b'0';
const TRUE: u8 = b'T';
const FALSE: u8 = b'F';
const INT32: u8 = b'I';
const DOUBLE: u8 = b'N';
const ONE_BYTE_STRING: u8 = b'"';
const TWO_BYTE_STRING: u8 = b'c';

/// Longer strings go through V8's serializer, which is fast enough for them.
const MAX_FAST_STRING: usize = 4096;

/// The wire bytes of `value` if it is a primitive the fast path handles.
pub fn encode(
  scope: &mut v8::PinScope<'_, '_>,
  value: v8::Local<v8::Value>,
  version: u8,
) -> Option<Vec<u8>> {
  let mut out = Vec::with_capacity(16);
  out.extend([VERSION_TAG, version]);
  if value.is_undefined() {
    out.push(UNDEFINED);
  } else if value.is_null() {
    out.push(NULL);
  } else if value.is_true() {
    out.push(TRUE);
  } else if value.is_false() {
    out.push(FALSE);
  } else if value.is_int32() {
    out.push(INT32);
    let n = value.int32_value(scope)?;
    write_varint(&mut out, ((n << 1) ^ (n >> 31)) as u32 as u64);
  } else if value.is_number() {
    out.push(DOUBLE);
    out.extend(value.number_value(scope)?.to_le_bytes());
  } else if value.is_string() {
    let string = value.to_string(scope)?;
    let length = string.length();
    if length > MAX_FAST_STRING {
      return None;
    }
    if string.contains_only_onebyte() {
      out.push(ONE_BYTE_STRING);
      write_varint(&mut out, length as u64);
      let start = out.len();
      out.resize(start + length, 0);
      string.write_one_byte_v2(scope, 0, &mut out[start..], v8::WriteFlags::empty());
    } else {
      let byte_length = length * 2;
      // V8 aligns two-byte data to an even offset with a padding tag.
      if (out.len() + 1 + varint_length(byte_length as u64)) % 2 == 1 {
        out.push(PADDING);
      }
      out.push(TWO_BYTE_STRING);
      write_varint(&mut out, byte_length as u64);
      let mut units = vec![0u16; length];
      string.write_v2(scope, 0, &mut units, v8::WriteFlags::empty());
      for unit in units {
        out.extend(unit.to_le_bytes());
      }
    }
  } else {
    return None;
  }
  Some(out)
}

/// The value of `bytes` if they hold one primitive the fast path handles.
pub fn decode<'s>(
  scope: &mut v8::PinScope<'s, '_>,
  bytes: &[u8],
) -> Option<v8::Local<'s, v8::Value>> {
  let mut reader = Reader { bytes, at: 0 };
  if reader.byte()? != VERSION_TAG {
    return None;
  }
  reader.byte()?;
  let mut tag = reader.byte()?;
  while tag == PADDING {
    tag = reader.byte()?;
  }
  let value: v8::Local<v8::Value> = match tag {
    UNDEFINED => v8::undefined(scope).into(),
    NULL => v8::null(scope).into(),
    TRUE => v8::Boolean::new(scope, true).into(),
    FALSE => v8::Boolean::new(scope, false).into(),
    INT32 => {
      let zigzag = reader.varint()? as u32;
      let n = ((zigzag >> 1) as i32) ^ -((zigzag & 1) as i32);
      v8::Integer::new(scope, n).into()
    }
    DOUBLE => {
      let bits = reader.take(8)?;
      v8::Number::new(scope, f64::from_le_bytes(bits.try_into().ok()?)).into()
    }
    ONE_BYTE_STRING => {
      let length = reader.varint()? as usize;
      let data = reader.take(length)?;
      v8::String::new_from_one_byte(scope, data, v8::NewStringType::Normal)?.into()
    }
    TWO_BYTE_STRING => {
      let length = reader.varint()? as usize;
      let data = reader.take(length)?;
      if length % 2 == 1 {
        return None;
      }
      let units: Vec<u16> = data
        .chunks_exact(2)
        .map(|c| u16::from_le_bytes([c[0], c[1]]))
        .collect();
      v8::String::new_from_two_byte(scope, &units, v8::NewStringType::Normal)?.into()
    }
    _ => return None,
  };
  // Only a message that is exactly one primitive takes this path.
  (reader.at == bytes.len()).then_some(value)
}

fn write_varint(out: &mut Vec<u8>, mut n: u64) {
  loop {
    let byte = (n & 0x7F) as u8;
    n >>= 7;
    if n == 0 {
      out.push(byte);
      return;
    }
    out.push(byte | 0x80);
  }
}

fn varint_length(mut n: u64) -> usize {
  let mut length = 1;
  while n >= 0x80 {
    n >>= 7;
    length += 1;
  }
  length
}

struct Reader<'a> {
  bytes: &'a [u8],
  at: usize,
}

impl Reader<'_> {
  fn byte(&mut self) -> Option<u8> {
    let byte = *self.bytes.get(self.at)?;
    self.at += 1;
    Some(byte)
  }

  fn take(&mut self, n: usize) -> Option<&[u8]> {
    let slice = self.bytes.get(self.at..self.at.checked_add(n)?)?;
    self.at += n;
    Some(slice)
  }

  fn varint(&mut self) -> Option<u64> {
    let mut value = 0u64;
    for shift in (0..64).step_by(7) {
      let byte = self.byte()?;
      value |= u64::from(byte & 0x7F) << shift;
      if byte & 0x80 == 0 {
        return Some(value);
      }
    }
    None
  }
}
