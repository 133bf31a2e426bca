//! The serde access types that walk a [`Value`]'s contents: sequences
//! (arrays, sets, sparse arrays, typed-array elements), maps (objects and
//! `Map`s) and enums.

use std::vec;

use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};

use super::key::KeyDeserializer;
use super::{expected, view_bytes};
use crate::error::Error;
use crate::key::Key;
use crate::value::{BigInt, Value, ViewKind};

/// Holes a sparse array may have beyond its element count and still become
/// a sequence, so that a few bytes cannot ask for billions of elements.
const MAX_EXTRA_HOLES: usize = 1024;

/// The elements of an array or set.
pub(super) struct Items(pub(super) vec::IntoIter<Value>);

impl<'de> SeqAccess<'de> for Items {
  type Error = Error;

  fn next_element_seed<T: DeserializeSeed<'de>>(
    &mut self,
    seed: T,
  ) -> Result<Option<T::Value>, Error> {
    self.0.next().map(|item| seed.deserialize(item)).transpose()
  }

  fn size_hint(&self) -> Option<usize> {
    Some(self.0.len())
  }
}

/// A sparse array's elements in index order, holes as `Undefined`; named
/// properties are left out.
pub(super) struct SparseItems {
  elements: std::iter::Peekable<vec::IntoIter<(u32, Value)>>,
  next: u32,
  length: u32,
}

impl SparseItems {
  pub(super) fn new(length: u32, properties: Vec<(Key, Value)>) -> Result<Self, Error> {
    let mut elements: Vec<(u32, Value)> = properties
      .into_iter()
      .filter_map(|(key, value)| match key {
        Key::Index(index) if index < length => Some((index, value)),
        _ => None,
      })
      .collect();
    elements.sort_by_key(|&(index, _)| index);
    elements.dedup_by_key(|&mut (index, _)| index);
    let holes = length as usize - elements.len();
    if holes > elements.len() + MAX_EXTRA_HOLES {
      return Err(Error::Message(format!(
        "sparse array of length {length} has {holes} holes, too many to become a sequence"
      )));
    }
    Ok(SparseItems {
      elements: elements.into_iter().peekable(),
      next: 0,
      length,
    })
  }
}

impl<'de> SeqAccess<'de> for SparseItems {
  type Error = Error;

  fn next_element_seed<T: DeserializeSeed<'de>>(
    &mut self,
    seed: T,
  ) -> Result<Option<T::Value>, Error> {
    if self.next == self.length {
      return Ok(None);
    }
    let element = match self.elements.next_if(|&(index, _)| index == self.next) {
      Some((_, element)) => element,
      None => Value::Undefined,
    };
    self.next += 1;
    seed.deserialize(element).map(Some)
  }

  fn size_hint(&self) -> Option<usize> {
    Some((self.length - self.next) as usize)
  }
}

/// The elements of a typed array (or the bytes of a buffer or `DataView`).
pub(super) struct Elements {
  kind: ViewKind,
  bytes: Vec<u8>,
  at: usize,
}

impl Elements {
  /// The elements of a view, or the bytes of a buffer.
  pub(super) fn new(value: Value) -> Result<Self, Error> {
    Ok(match value {
      Value::View(view) => Elements {
        kind: view.kind,
        bytes: view_bytes(view)?,
        at: 0,
      },
      Value::ArrayBuffer(bytes) | Value::ResizableArrayBuffer { bytes, .. } => Elements {
        kind: ViewKind::Uint8Array,
        bytes,
        at: 0,
      },
      other => return Err(expected("a typed array or ArrayBuffer", &other)),
    })
  }

  fn element(&self, bytes: &[u8]) -> Value {
    let mut raw = [0; 8];
    raw[..bytes.len()].copy_from_slice(bytes);
    let word = u64::from_le_bytes(raw);
    match self.kind {
      ViewKind::Int8Array => Value::Int((word as i8).into()),
      ViewKind::Uint8Array | ViewKind::Uint8ClampedArray | ViewKind::DataView => {
        Value::Int((word as u8).into())
      }
      ViewKind::Int16Array => Value::Int((word as i16).into()),
      ViewKind::Uint16Array => Value::Int((word as u16).into()),
      ViewKind::Int32Array => Value::Int(word as i32),
      ViewKind::Uint32Array => Value::Number((word as u32).into()),
      ViewKind::Float16Array => Value::Number(f16_to_f64(word as u16)),
      ViewKind::Float32Array => Value::Number(f32::from_bits(word as u32).into()),
      ViewKind::Float64Array => Value::Number(f64::from_bits(word)),
      ViewKind::BigInt64Array => Value::BigInt(BigInt::from(i128::from(word as i64))),
      ViewKind::BigUint64Array => Value::BigInt(BigInt::from(u128::from(word))),
    }
  }
}

impl<'de> SeqAccess<'de> for Elements {
  type Error = Error;

  fn next_element_seed<T: DeserializeSeed<'de>>(
    &mut self,
    seed: T,
  ) -> Result<Option<T::Value>, Error> {
    let size = self.kind.element_size() as usize;
    let Some(bytes) = self.bytes.get(self.at..self.at + size) else {
      return Ok(None);
    };
    let element = self.element(bytes);
    self.at += size;
    seed.deserialize(element).map(Some)
  }

  fn size_hint(&self) -> Option<usize> {
    Some((self.bytes.len() - self.at) / self.kind.element_size() as usize)
  }
}

/// An IEEE 754 half-precision number as a double.
fn f16_to_f64(bits: u16) -> f64 {
  let sign = if bits & 0x8000 != 0 { -1.0 } else { 1.0 };
  let exponent = i32::from((bits >> 10) & 0x1F);
  let fraction = f64::from(bits & 0x3FF);
  sign
    * match exponent {
      0 => fraction * 2f64.powi(-24),
      0x1F if fraction == 0.0 => f64::INFINITY,
      0x1F => f64::NAN,
      _ => (1.0 + fraction / 1024.0) * 2f64.powi(exponent - 15),
    }
}

/// What can key a map: an object's [`Key`] or a `Map`'s [`Value`].
trait MapKey {
  type Deserializer: for<'de> Deserializer<'de, Error = Error>;

  fn into_key_deserializer(self) -> Self::Deserializer;
}

impl MapKey for Key {
  type Deserializer = KeyDeserializer;

  fn into_key_deserializer(self) -> KeyDeserializer {
    KeyDeserializer(self)
  }
}

impl MapKey for Value {
  type Deserializer = Value;

  fn into_key_deserializer(self) -> Value {
    self
  }
}

/// The entries of an object or `Map`.
pub(super) struct Entries<K> {
  entries: vec::IntoIter<(K, Value)>,
  value: Option<Value>,
}

impl<K> Entries<K> {
  pub(super) fn new(entries: Vec<(K, Value)>) -> Self {
    Entries {
      entries: entries.into_iter(),
      value: None,
    }
  }
}

impl<'de, K: MapKey> MapAccess<'de> for Entries<K> {
  type Error = Error;

  fn next_key_seed<S: DeserializeSeed<'de>>(&mut self, seed: S) -> Result<Option<S::Value>, Error> {
    let Some((key, value)) = self.entries.next() else {
      return Ok(None);
    };
    self.value = Some(value);
    seed.deserialize(key.into_key_deserializer()).map(Some)
  }

  fn next_value_seed<S: DeserializeSeed<'de>>(&mut self, seed: S) -> Result<S::Value, Error> {
    let value = self
      .value
      .take()
      .ok_or_else(|| Error::Message("map value without a key".into()))?;
    seed.deserialize(value)
  }

  fn size_hint(&self) -> Option<usize> {
    Some(self.entries.len())
  }
}

/// An enum: a variant name, and its value unless it is a unit variant
/// written as a bare string.
pub(super) struct Enum {
  pub(super) variant: Value,
  pub(super) value: Option<Value>,
}

impl<'de> de::EnumAccess<'de> for Enum {
  type Error = Error;
  type Variant = Variant;

  fn variant_seed<S: DeserializeSeed<'de>>(self, seed: S) -> Result<(S::Value, Variant), Error> {
    Ok((seed.deserialize(self.variant)?, Variant(self.value)))
  }
}

/// The value of an enum variant.
pub(super) struct Variant(Option<Value>);

impl Variant {
  fn value(self, what: &str) -> Result<Value, Error> {
    self
      .0
      .ok_or_else(|| Error::Message(format!("expected {what}, found a unit variant")))
  }
}

impl<'de> de::VariantAccess<'de> for Variant {
  type Error = Error;

  fn unit_variant(self) -> Result<(), Error> {
    match self.0 {
      None | Some(Value::Undefined | Value::Null) => Ok(()),
      Some(other) => Err(expected("a unit variant", &other)),
    }
  }

  fn newtype_variant_seed<S: DeserializeSeed<'de>>(self, seed: S) -> Result<S::Value, Error> {
    seed.deserialize(self.value("a newtype variant")?)
  }

  fn tuple_variant<V: Visitor<'de>>(self, _len: usize, visitor: V) -> Result<V::Value, Error> {
    self.value("a tuple variant")?.deserialize_seq(visitor)
  }

  fn struct_variant<V: Visitor<'de>>(
    self,
    _fields: &'static [&'static str],
    visitor: V,
  ) -> Result<V::Value, Error> {
    self.value("a struct variant")?.deserialize_any(visitor)
  }
}

#[cfg(test)]
mod tests {
  use super::*;

  #[test]
  fn half_floats_convert_exactly() {
    let cases = [
      (0x3C00, 1.0),
      (0xC000, -2.0),
      (0x7BFF, 65504.0),
      (0x0001, 2f64.powi(-24)),
      (0x3555, 0.333251953125),
      (0x7C00, f64::INFINITY),
    ];
    for (bits, expected) in cases {
      assert_eq!(f16_to_f64(bits), expected, "{bits:#06x}");
    }
    assert!(f16_to_f64(0x7E00).is_nan());
  }
}
