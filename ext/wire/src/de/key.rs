//! [`KeyDeserializer`]: object keys for serde, as strings or, for numeric
//! types, as the numbers they spell.

use serde::de::{Deserializer, Visitor};
use serde::forward_to_deserialize_any;

use super::access::Enum;
use super::visit_integer;
use crate::error::Error;
use crate::key::Key;
use crate::value::Value;

/// Deserializes object keys: as strings, or as numbers for numeric types.
pub(super) struct KeyDeserializer(pub(super) Key);

macro_rules! deserialize_numeric_key {
  ($($method:ident)*) => {$(
    fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
      match self.0 {
        Key::Index(index) => visitor.visit_u32(index),
        Key::String(s) => match (s.parse::<i128>(), s.parse::<f64>()) {
          (Ok(n), _) => visit_integer(n, visitor),
          (_, Ok(n)) => visitor.visit_f64(n),
          _ => visitor.visit_string(s),
        },
      }
    }
  )*};
}

impl<'de> Deserializer<'de> for KeyDeserializer {
  type Error = Error;

  fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
    visitor.visit_string(self.0.into_string())
  }

  deserialize_numeric_key! {
    deserialize_i8 deserialize_i16 deserialize_i32 deserialize_i64 deserialize_i128
    deserialize_u8 deserialize_u16 deserialize_u32 deserialize_u64 deserialize_u128
    deserialize_f32 deserialize_f64
  }

  fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
    visitor.visit_some(self)
  }

  fn deserialize_newtype_struct<V: Visitor<'de>>(
    self,
    _name: &'static str,
    visitor: V,
  ) -> Result<V::Value, Error> {
    visitor.visit_newtype_struct(self)
  }

  fn deserialize_enum<V: Visitor<'de>>(
    self,
    _name: &'static str,
    _variants: &'static [&'static str],
    visitor: V,
  ) -> Result<V::Value, Error> {
    visitor.visit_enum(Enum {
      variant: Value::String(self.0.into_string()),
      value: None,
    })
  }

  fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
    visitor.visit_unit()
  }

  forward_to_deserialize_any! {
    bool char str string bytes byte_buf unit unit_struct seq tuple tuple_struct map struct
    identifier
  }
}
