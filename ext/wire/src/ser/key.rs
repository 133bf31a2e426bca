//! [`KeySerializer`]: map keys for serde, which JavaScript objects need as
//! strings or numbers.

use serde::ser::{self, Impossible, Serialize};

use crate::error::Error;
use crate::key::Key;

/// Serializes map keys: strings, numbers, and unit variants (as their names).
pub(super) struct KeySerializer;

fn bad_key(what: &str) -> Error {
  Error::Message(format!("map key must be a string or a number, not {what}"))
}

impl ser::Serializer for KeySerializer {
  type Ok = Key;
  type Error = Error;
  type SerializeSeq = Impossible<Key, Error>;
  type SerializeTuple = Impossible<Key, Error>;
  type SerializeTupleStruct = Impossible<Key, Error>;
  type SerializeTupleVariant = Impossible<Key, Error>;
  type SerializeMap = Impossible<Key, Error>;
  type SerializeStruct = Impossible<Key, Error>;
  type SerializeStructVariant = Impossible<Key, Error>;

  fn serialize_bool(self, _v: bool) -> Result<Key, Error> {
    Err(bad_key("a bool"))
  }

  fn serialize_i8(self, v: i8) -> Result<Key, Error> {
    Ok(Key::from_integer(v.into()))
  }

  fn serialize_i16(self, v: i16) -> Result<Key, Error> {
    Ok(Key::from_integer(v.into()))
  }

  fn serialize_i32(self, v: i32) -> Result<Key, Error> {
    Ok(Key::from_integer(v.into()))
  }

  fn serialize_i64(self, v: i64) -> Result<Key, Error> {
    Ok(Key::from_integer(v.into()))
  }

  fn serialize_i128(self, v: i128) -> Result<Key, Error> {
    Ok(Key::from_integer(v))
  }

  fn serialize_u8(self, v: u8) -> Result<Key, Error> {
    Ok(Key::from_integer(v.into()))
  }

  fn serialize_u16(self, v: u16) -> Result<Key, Error> {
    Ok(Key::from_integer(v.into()))
  }

  fn serialize_u32(self, v: u32) -> Result<Key, Error> {
    Ok(Key::from_integer(v.into()))
  }

  fn serialize_u64(self, v: u64) -> Result<Key, Error> {
    Ok(Key::from_integer(v.into()))
  }

  fn serialize_u128(self, v: u128) -> Result<Key, Error> {
    Ok(i128::try_from(v).map_or_else(|_| Key::String(v.to_string()), Key::from_integer))
  }

  fn serialize_f32(self, v: f32) -> Result<Key, Error> {
    Ok(Key::from_number(v.into()))
  }

  fn serialize_f64(self, v: f64) -> Result<Key, Error> {
    Ok(Key::from_number(v))
  }

  fn serialize_char(self, v: char) -> Result<Key, Error> {
    Ok(Key::from(String::from(v)))
  }

  fn serialize_str(self, v: &str) -> Result<Key, Error> {
    Ok(Key::from(v))
  }

  fn serialize_bytes(self, _v: &[u8]) -> Result<Key, Error> {
    Err(bad_key("bytes"))
  }

  fn serialize_none(self) -> Result<Key, Error> {
    Err(bad_key("None"))
  }

  fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<Key, Error> {
    value.serialize(self)
  }

  fn serialize_unit(self) -> Result<Key, Error> {
    Err(bad_key("()"))
  }

  fn serialize_unit_struct(self, name: &'static str) -> Result<Key, Error> {
    Err(bad_key(name))
  }

  fn serialize_unit_variant(
    self,
    _name: &'static str,
    _index: u32,
    variant: &'static str,
  ) -> Result<Key, Error> {
    Ok(Key::from(variant))
  }

  fn serialize_newtype_struct<T: Serialize + ?Sized>(
    self,
    _name: &'static str,
    value: &T,
  ) -> Result<Key, Error> {
    value.serialize(self)
  }

  fn serialize_newtype_variant<T: Serialize + ?Sized>(
    self,
    _name: &'static str,
    _index: u32,
    variant: &'static str,
    _value: &T,
  ) -> Result<Key, Error> {
    Err(bad_key(variant))
  }

  fn serialize_seq(self, _len: Option<usize>) -> Result<Self::SerializeSeq, Error> {
    Err(bad_key("a sequence"))
  }

  fn serialize_tuple(self, _len: usize) -> Result<Self::SerializeTuple, Error> {
    Err(bad_key("a tuple"))
  }

  fn serialize_tuple_struct(
    self,
    name: &'static str,
    _len: usize,
  ) -> Result<Self::SerializeTupleStruct, Error> {
    Err(bad_key(name))
  }

  fn serialize_tuple_variant(
    self,
    _name: &'static str,
    _index: u32,
    variant: &'static str,
    _len: usize,
  ) -> Result<Self::SerializeTupleVariant, Error> {
    Err(bad_key(variant))
  }

  fn serialize_map(self, _len: Option<usize>) -> Result<Self::SerializeMap, Error> {
    Err(bad_key("a map"))
  }

  fn serialize_struct(
    self,
    name: &'static str,
    _len: usize,
  ) -> Result<Self::SerializeStruct, Error> {
    Err(bad_key(name))
  }

  fn serialize_struct_variant(
    self,
    _name: &'static str,
    _index: u32,
    variant: &'static str,
    _len: usize,
  ) -> Result<Self::SerializeStructVariant, Error> {
    Err(bad_key(variant))
  }
}
