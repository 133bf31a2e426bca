//! serde serialization into a [`Value`] ([`to_value`]); the mapping is
//! tabled in the crate docs.

mod key;

use serde::ser::{self, Serialize};

use self::key::KeySerializer;
use crate::error::Error;
use crate::key::Key;
use crate::value::{Value, View};
use crate::TRANSFER;

/// Converts any serde value to a [`Value`].
pub fn to_value<T: Serialize + ?Sized>(value: &T) -> Result<Value, Error> {
  value.serialize(ValueSerializer)
}

/// JavaScript's `Number.MAX_SAFE_INTEGER`: 2^53 - 1.
const MAX_SAFE_INTEGER: u64 = (1 << 53) - 1;

/// The number value for an integer, or an error outside JavaScript's safe
/// range, where integers and doubles stop corresponding one to one.
fn integer(n: i128) -> Result<Value, Error> {
  if let Ok(n) = i32::try_from(n) {
    Ok(Value::Int(n))
  } else if n.unsigned_abs() <= u128::from(MAX_SAFE_INTEGER) {
    Ok(Value::Number(n as f64))
  } else {
    Err(Error::UnsafeInteger(n.to_string()))
  }
}

/// A one-entry object: how enum variants with data appear.
fn variant(name: &str, value: Value) -> Value {
  Value::Object(vec![(Key::from(name), value)])
}

/// The serializer behind [`to_value`].
struct ValueSerializer;

impl ser::Serializer for ValueSerializer {
  type Ok = Value;
  type Error = Error;
  type SerializeSeq = SerializeArray;
  type SerializeTuple = SerializeArray;
  type SerializeTupleStruct = SerializeArray;
  type SerializeTupleVariant = SerializeArray;
  type SerializeMap = SerializeObject;
  type SerializeStruct = SerializeObject;
  type SerializeStructVariant = SerializeObject;

  fn serialize_bool(self, v: bool) -> Result<Value, Error> {
    Ok(Value::Bool(v))
  }

  fn serialize_i8(self, v: i8) -> Result<Value, Error> {
    integer(v.into())
  }

  fn serialize_i16(self, v: i16) -> Result<Value, Error> {
    integer(v.into())
  }

  fn serialize_i32(self, v: i32) -> Result<Value, Error> {
    integer(v.into())
  }

  fn serialize_i64(self, v: i64) -> Result<Value, Error> {
    integer(v.into())
  }

  fn serialize_i128(self, v: i128) -> Result<Value, Error> {
    integer(v)
  }

  fn serialize_u8(self, v: u8) -> Result<Value, Error> {
    integer(v.into())
  }

  fn serialize_u16(self, v: u16) -> Result<Value, Error> {
    integer(v.into())
  }

  fn serialize_u32(self, v: u32) -> Result<Value, Error> {
    integer(v.into())
  }

  fn serialize_u64(self, v: u64) -> Result<Value, Error> {
    integer(v.into())
  }

  fn serialize_u128(self, v: u128) -> Result<Value, Error> {
    i128::try_from(v).map_or_else(|_| Err(Error::UnsafeInteger(v.to_string())), integer)
  }

  fn serialize_f32(self, v: f32) -> Result<Value, Error> {
    Ok(Value::Number(v.into()))
  }

  fn serialize_f64(self, v: f64) -> Result<Value, Error> {
    Ok(Value::Number(v))
  }

  fn serialize_char(self, v: char) -> Result<Value, Error> {
    Ok(Value::String(v.into()))
  }

  fn serialize_str(self, v: &str) -> Result<Value, Error> {
    Ok(Value::String(v.into()))
  }

  fn serialize_bytes(self, v: &[u8]) -> Result<Value, Error> {
    Ok(Value::View(View::uint8_array(v.to_vec())))
  }

  fn serialize_none(self) -> Result<Value, Error> {
    Ok(Value::Null)
  }

  fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<Value, Error> {
    value.serialize(self)
  }

  fn serialize_unit(self) -> Result<Value, Error> {
    Ok(Value::Null)
  }

  fn serialize_unit_struct(self, _name: &'static str) -> Result<Value, Error> {
    Ok(Value::Null)
  }

  fn serialize_unit_variant(
    self,
    _name: &'static str,
    _index: u32,
    variant: &'static str,
  ) -> Result<Value, Error> {
    Ok(Value::String(variant.into()))
  }

  fn serialize_newtype_struct<T: Serialize + ?Sized>(
    self,
    name: &'static str,
    value: &T,
  ) -> Result<Value, Error> {
    let inner = value.serialize(self)?;
    if name != TRANSFER {
      return Ok(inner);
    }
    match inner {
      Value::Int(index) if index >= 0 => Ok(Value::Transferred(index as u32)),
      Value::Number(index)
        if index.fract() == 0.0 && (0.0..=f64::from(u32::MAX)).contains(&index) =>
      {
        Ok(Value::Transferred(index as u32))
      }
      _ => Err(Error::Message(format!(
        "{TRANSFER} must wrap a u32 transfer index"
      ))),
    }
  }

  fn serialize_newtype_variant<T: Serialize + ?Sized>(
    self,
    _name: &'static str,
    _index: u32,
    variant: &'static str,
    value: &T,
  ) -> Result<Value, Error> {
    Ok(self::variant(variant, value.serialize(self)?))
  }

  fn serialize_seq(self, len: Option<usize>) -> Result<SerializeArray, Error> {
    Ok(SerializeArray::new(None, len.unwrap_or(0)))
  }

  fn serialize_tuple(self, len: usize) -> Result<SerializeArray, Error> {
    Ok(SerializeArray::new(None, len))
  }

  fn serialize_tuple_struct(
    self,
    _name: &'static str,
    len: usize,
  ) -> Result<SerializeArray, Error> {
    Ok(SerializeArray::new(None, len))
  }

  fn serialize_tuple_variant(
    self,
    _name: &'static str,
    _index: u32,
    variant: &'static str,
    len: usize,
  ) -> Result<SerializeArray, Error> {
    Ok(SerializeArray::new(Some(variant), len))
  }

  fn serialize_map(self, len: Option<usize>) -> Result<SerializeObject, Error> {
    Ok(SerializeObject::new(None, len.unwrap_or(0)))
  }

  fn serialize_struct(self, _name: &'static str, len: usize) -> Result<SerializeObject, Error> {
    Ok(SerializeObject::new(None, len))
  }

  fn serialize_struct_variant(
    self,
    _name: &'static str,
    _index: u32,
    variant: &'static str,
    len: usize,
  ) -> Result<SerializeObject, Error> {
    Ok(SerializeObject::new(Some(variant), len))
  }
}

/// Builds an array, wrapped in `{variant: [...]}` for a tuple variant.
struct SerializeArray {
  variant: Option<&'static str>,
  items: Vec<Value>,
}

impl SerializeArray {
  fn new(variant: Option<&'static str>, len: usize) -> Self {
    // `len` comes from the Rust value being serialized, not from input.
    SerializeArray {
      variant,
      items: Vec::with_capacity(len),
    }
  }

  fn push<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
    self.items.push(to_value(value)?);
    Ok(())
  }

  fn finish(self) -> Result<Value, Error> {
    let array = Value::Array(self.items);
    Ok(match self.variant {
      Some(name) => variant(name, array),
      None => array,
    })
  }
}

impl ser::SerializeSeq for SerializeArray {
  type Ok = Value;
  type Error = Error;

  fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
    self.push(value)
  }

  fn end(self) -> Result<Value, Error> {
    self.finish()
  }
}

impl ser::SerializeTuple for SerializeArray {
  type Ok = Value;
  type Error = Error;

  fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
    self.push(value)
  }

  fn end(self) -> Result<Value, Error> {
    self.finish()
  }
}

impl ser::SerializeTupleStruct for SerializeArray {
  type Ok = Value;
  type Error = Error;

  fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
    self.push(value)
  }

  fn end(self) -> Result<Value, Error> {
    self.finish()
  }
}

impl ser::SerializeTupleVariant for SerializeArray {
  type Ok = Value;
  type Error = Error;

  fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
    self.push(value)
  }

  fn end(self) -> Result<Value, Error> {
    self.finish()
  }
}

/// Builds an object, wrapped in `{variant: {...}}` for a struct variant.
struct SerializeObject {
  variant: Option<&'static str>,
  properties: Vec<(Key, Value)>,
  key: Option<Key>,
}

impl SerializeObject {
  fn new(variant: Option<&'static str>, len: usize) -> Self {
    SerializeObject {
      variant,
      properties: Vec::with_capacity(len),
      key: None,
    }
  }

  fn finish(self) -> Result<Value, Error> {
    let object = Value::Object(self.properties);
    Ok(match self.variant {
      Some(name) => variant(name, object),
      None => object,
    })
  }

  fn field<T: Serialize + ?Sized>(&mut self, key: &'static str, value: &T) -> Result<(), Error> {
    self.properties.push((Key::from(key), to_value(value)?));
    Ok(())
  }
}

impl ser::SerializeMap for SerializeObject {
  type Ok = Value;
  type Error = Error;

  fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<(), Error> {
    self.key = Some(key.serialize(KeySerializer)?);
    Ok(())
  }

  fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
    let key = self
      .key
      .take()
      .ok_or_else(|| Error::Message("map value without a key".into()))?;
    self.properties.push((key, to_value(value)?));
    Ok(())
  }

  fn end(self) -> Result<Value, Error> {
    self.finish()
  }
}

impl ser::SerializeStruct for SerializeObject {
  type Ok = Value;
  type Error = Error;

  fn serialize_field<T: Serialize + ?Sized>(
    &mut self,
    key: &'static str,
    value: &T,
  ) -> Result<(), Error> {
    self.field(key, value)
  }

  fn end(self) -> Result<Value, Error> {
    self.finish()
  }
}

impl ser::SerializeStructVariant for SerializeObject {
  type Ok = Value;
  type Error = Error;

  fn serialize_field<T: Serialize + ?Sized>(
    &mut self,
    key: &'static str,
    value: &T,
  ) -> Result<(), Error> {
    self.field(key, value)
  }

  fn end(self) -> Result<Value, Error> {
    self.finish()
  }
}
