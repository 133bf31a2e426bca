//! [`Reader`]: bounds-checked reads of the format's primitives (bytes,
//! varints, doubles, strings) from a message.

use crate::error::Error;
use crate::format::{PADDING, VERIFY_OBJECT_COUNT};

/// A cursor over a message. Every read checks the remaining length first.
pub struct Reader<'a> {
  bytes: &'a [u8],
  at: usize,
}

impl<'a> Reader<'a> {
  /// A reader at the start of `bytes`.
  pub fn new(bytes: &'a [u8]) -> Self {
    Reader { bytes, at: 0 }
  }

  /// The offset of the next byte.
  pub fn at(&self) -> usize {
    self.at
  }

  /// How many bytes are left.
  pub fn remaining(&self) -> usize {
    self.bytes.len() - self.at
  }

  /// The next byte.
  pub fn byte(&mut self) -> Result<u8, Error> {
    let byte = *self
      .bytes
      .get(self.at)
      .ok_or(Error::UnexpectedEnd { at: self.at })?;
    self.at += 1;
    Ok(byte)
  }

  /// The next `n` bytes.
  pub fn take(&mut self, n: usize) -> Result<&'a [u8], Error> {
    if n > self.remaining() {
      return Err(Error::UnexpectedEnd { at: self.at });
    }
    let slice = &self.bytes[self.at..self.at + n];
    self.at += n;
    Ok(slice)
  }

  /// The next tag, skipping padding.
  pub fn tag(&mut self) -> Result<u8, Error> {
    loop {
      match self.byte()? {
        PADDING => continue,
        tag => return Ok(tag),
      }
    }
  }

  /// The next tag of a value, skipping padding and object-count checks.
  pub fn value_tag(&mut self) -> Result<u8, Error> {
    loop {
      match self.tag()? {
        VERIFY_OBJECT_COUNT => {
          self.varint()?;
        }
        tag => return Ok(tag),
      }
    }
  }

  /// The next tag, skipping padding, without consuming it.
  pub fn peek_tag(&self) -> Option<u8> {
    self.bytes[self.at..]
      .iter()
      .copied()
      .find(|&byte| byte != PADDING)
  }

  /// Consumes the tag [`peek_tag`](Self::peek_tag) returned, if it is `tag`.
  pub fn eat_tag(&mut self, tag: u8) -> bool {
    if self.peek_tag() != Some(tag) {
      return false;
    }
    while self.bytes[self.at] == PADDING {
      self.at += 1;
    }
    self.at += 1;
    true
  }

  /// A base-128 varint that must fit in 32 bits.
  pub fn varint(&mut self) -> Result<u32, Error> {
    let start = self.at;
    let mut value: u32 = 0;
    for shift in (0..35).step_by(7) {
      let byte = self.byte()?;
      let bits = u32::from(byte & 0x7F);
      if shift == 28 && (byte & 0x80 != 0 || bits > 0x0F) {
        return Err(Error::invalid(start, "varint does not fit in 32 bits"));
      }
      value |= bits << shift;
      if byte & 0x80 == 0 {
        break;
      }
    }
    Ok(value)
  }

  /// A varint used as a length or count, checked against what is left: each
  /// counted item takes at least `min_item_size` bytes.
  pub fn length(&mut self, min_item_size: usize) -> Result<u32, Error> {
    let start = self.at;
    let n = self.varint()?;
    if (n as usize).saturating_mul(min_item_size) > self.remaining() {
      return Err(Error::UnexpectedEnd { at: start });
    }
    Ok(n)
  }

  /// A ZigZag-encoded 32-bit integer.
  pub fn zigzag(&mut self) -> Result<i32, Error> {
    let n = self.varint()?;
    Ok((n >> 1) as i32 ^ -((n & 1) as i32))
  }

  /// A little-endian double.
  pub fn double(&mut self) -> Result<f64, Error> {
    let bytes = self.take(8)?;
    Ok(f64::from_le_bytes(bytes.try_into().unwrap_or_default()))
  }

  /// The body of a one-byte (Latin-1) string.
  pub fn one_byte_string(&mut self) -> Result<String, Error> {
    let length = self.varint()? as usize;
    Ok(
      self
        .take(length)?
        .iter()
        .map(|&byte| char::from(byte))
        .collect(),
    )
  }

  /// The body of a two-byte (UTF-16LE) string. Lone surrogates, which a
  /// Rust string cannot hold, become U+FFFD.
  pub fn two_byte_string(&mut self) -> Result<String, Error> {
    let start = self.at;
    let length = self.varint()? as usize;
    if !length.is_multiple_of(2) {
      return Err(Error::invalid(
        start,
        format!("two-byte string of odd byte length {length}"),
      ));
    }
    let units = self
      .take(length)?
      .chunks_exact(2)
      .map(|pair| u16::from_le_bytes([pair[0], pair[1]]));
    Ok(
      char::decode_utf16(units)
        .map(|c| c.unwrap_or(char::REPLACEMENT_CHARACTER))
        .collect(),
    )
  }

  /// The body of a UTF-8 string; invalid sequences become U+FFFD, as in V8.
  pub fn utf8_string(&mut self) -> Result<String, Error> {
    let length = self.varint()? as usize;
    Ok(String::from_utf8_lossy(self.take(length)?).into_owned())
  }
}

#[cfg(test)]
mod tests {
  use super::*;

  #[test]
  fn varints_are_checked() {
    assert_eq!(Reader::new(&[0xAC, 0x02]).varint(), Ok(300));
    assert_eq!(
      Reader::new(&[0xFF, 0xFF, 0xFF, 0xFF, 0x0F]).varint(),
      Ok(u32::MAX)
    );
    assert!(Reader::new(&[0xFF, 0xFF, 0xFF, 0xFF, 0x1F])
      .varint()
      .is_err());
    assert!(Reader::new(&[0x80, 0x80, 0x80, 0x80, 0x80, 0x00])
      .varint()
      .is_err());
    assert_eq!(
      Reader::new(&[0x80]).varint(),
      Err(Error::UnexpectedEnd { at: 1 })
    );
  }

  #[test]
  fn zigzag_decodes_signs() {
    assert_eq!(Reader::new(&[0x03]).zigzag(), Ok(-2));
    assert_eq!(
      Reader::new(&[0xFE, 0xFF, 0xFF, 0xFF, 0x0F]).zigzag(),
      Ok(i32::MAX)
    );
    assert_eq!(
      Reader::new(&[0xFF, 0xFF, 0xFF, 0xFF, 0x0F]).zigzag(),
      Ok(i32::MIN)
    );
  }

  #[test]
  fn lone_surrogates_become_replacement_characters() {
    let mut reader = Reader::new(&[0x04, 0x00, 0xD8, 0x41, 0x00]);
    assert_eq!(reader.two_byte_string().as_deref(), Ok("\u{FFFD}A"));
  }

  #[test]
  fn peeking_skips_padding() {
    let mut reader = Reader::new(&[0x00, 0x00, b'{', b'x']);
    assert_eq!(reader.peek_tag(), Some(b'{'));
    assert!(!reader.eat_tag(b'x'));
    assert!(reader.eat_tag(b'{'));
    assert_eq!(reader.at(), 3);
  }
}
