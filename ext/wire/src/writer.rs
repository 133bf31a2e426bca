//! [`Writer`]: the format's primitives (tags, varints, doubles, strings)
//! appended to a message, the counterpart of [`Reader`](crate::Reader).

use crate::error::Error;
use crate::format::{INT32, ONE_BYTE_STRING, PADDING, TWO_BYTE_STRING, VERSION_TAG};
use crate::VERSION;

/// A message being written: starts with the header of format [`VERSION`].
pub struct Writer {
  out: Vec<u8>,
}

impl Default for Writer {
  fn default() -> Self {
    Self::with_capacity(16)
  }
}

impl Writer {
  /// A message holding only the header, with room for `capacity` bytes.
  pub fn with_capacity(capacity: usize) -> Self {
    let mut out = Vec::with_capacity(capacity.max(2));
    out.extend([VERSION_TAG, VERSION]);
    Writer { out }
  }

  /// How many bytes are written, header included.
  pub fn len(&self) -> usize {
    self.out.len()
  }

  /// Always `false`: the header is there from the start.
  pub fn is_empty(&self) -> bool {
    self.out.is_empty()
  }

  /// The message.
  pub fn into_bytes(self) -> Vec<u8> {
    self.out
  }

  /// One byte: a tag or a sub-tag.
  pub fn tag(&mut self, tag: u8) {
    self.out.push(tag);
  }

  /// Bytes as they are (a BigInt's digits, a buffer's contents).
  pub fn raw(&mut self, bytes: &[u8]) {
    self.out.extend_from_slice(bytes);
  }

  /// A base-128 varint.
  pub fn varint(&mut self, mut n: u32) {
    while n >= 0x80 {
      self.out.push(n as u8 | 0x80);
      n >>= 7;
    }
    self.out.push(n as u8);
  }

  /// A 32-bit integer: its tag, then its ZigZag varint.
  pub fn int32(&mut self, n: i32) {
    self.out.push(INT32);
    self.varint(((n << 1) ^ (n >> 31)) as u32);
  }

  /// `tag`, then `n` as a little-endian double.
  pub fn double(&mut self, tag: u8, n: f64) {
    self.out.push(tag);
    self.out.extend_from_slice(&n.to_le_bytes());
  }

  /// A length varint, then the bytes.
  pub fn bytes(&mut self, bytes: &[u8], what: &str) -> Result<(), Error> {
    self.varint(len32(bytes.len(), what)?);
    self.out.extend_from_slice(bytes);
    Ok(())
  }

  /// A one-byte string, tag included: one Latin-1 code unit per byte.
  pub fn one_byte_string(&mut self, latin1: &[u8]) -> Result<(), Error> {
    self.out.push(ONE_BYTE_STRING);
    self.bytes(latin1, "string")
  }

  /// A two-byte (UTF-16LE) string, tag included, aligned to an even offset
  /// with a padding byte as V8 aligns it.
  pub fn two_byte_string(&mut self, units: &[u16]) -> Result<(), Error> {
    let byte_length = len32(units.len().saturating_mul(2), "string")?;
    if (self.out.len() + 1 + varint_length(byte_length)) % 2 == 1 {
      self.out.push(PADDING);
    }
    self.out.push(TWO_BYTE_STRING);
    self.varint(byte_length);
    self.out.reserve(units.len() * 2);
    for unit in units {
      self.out.extend_from_slice(&unit.to_le_bytes());
    }
    Ok(())
  }
}

/// `n` as a 32-bit length, which is all the format has room for.
pub(crate) fn len32(n: usize, what: &str) -> Result<u32, Error> {
  u32::try_from(n).map_err(|_| Error::Unencodable(format!("{what} too long for the format ({n})")))
}

fn varint_length(n: u32) -> usize {
  (32 - n.leading_zeros() as usize).max(1).div_ceil(7)
}

#[cfg(test)]
mod tests {
  use super::*;

  #[test]
  fn varint_lengths() {
    for (n, length) in [
      (0, 1),
      (0x7F, 1),
      (0x80, 2),
      (0x3FFF, 2),
      (0x4000, 3),
      (u32::MAX, 5),
    ] {
      assert_eq!(varint_length(n), length, "{n}");
    }
  }

  #[test]
  fn two_byte_strings_are_aligned() {
    // The start of what V8 writes for "€" alone, and for `[true, "€"]`,
    // where a padding byte puts the UTF-16 data at an even offset.
    let mut writer = Writer::default();
    writer.two_byte_string(&[0x20AC]).unwrap();
    assert_eq!(writer.into_bytes(), [0xFF, VERSION, b'c', 0x02, 0xAC, 0x20]);
    let mut writer = Writer::default();
    writer.tag(b'A');
    writer.varint(2);
    writer.tag(b'T');
    writer.two_byte_string(&[0x20AC]).unwrap();
    assert_eq!(
      writer.into_bytes(),
      [0xFF, VERSION, b'A', 0x02, b'T', 0x00, b'c', 0x02, 0xAC, 0x20]
    );
  }
}
