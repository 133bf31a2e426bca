//! serde deserialization out of a [`Value`] ([`from_value`], and
//! `Value` as a [`Deserializer`]); the mapping is tabled in the crate docs.

mod access;
mod key;

use serde::de::{DeserializeOwned, Deserializer, IntoDeserializer, Visitor};
use serde::forward_to_deserialize_any;

use self::access::{Elements, Entries, Enum, Items, SparseItems};
use crate::error::Error;
use crate::key::Key;
use crate::value::{BigInt, JsError, Value, View};
use crate::TRANSFER;

/// Converts a [`Value`] to any serde type.
pub fn from_value<T: DeserializeOwned>(value: Value) -> Result<T, Error> {
  T::deserialize(value)
}

impl<'de> Deserializer<'de> for Value {
  type Error = Error;

  fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
    // The common containers are visited here and everything else in
    // `visit_other`, which keeps the frames of this recursion small (debug
    // builds give every temporary its own slot).
    match self {
      Value::Array(items) | Value::Set(items) => visitor.visit_seq(Items(items.into_iter())),
      Value::Object(properties) => visitor.visit_map(Entries::new(properties)),
      Value::Map(entries) => visitor.visit_map(Entries::new(entries)),
      other => visit_other(other, visitor),
    }
  }

  fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
    match self {
      Value::Undefined | Value::Null => visitor.visit_none(),
      value => visitor.visit_some(value),
    }
  }

  fn deserialize_newtype_struct<V: Visitor<'de>>(
    self,
    name: &'static str,
    visitor: V,
  ) -> Result<V::Value, Error> {
    if name != TRANSFER {
      return visitor.visit_newtype_struct(self);
    }
    // A buffer posted without being transferred has its bytes in the
    // message: the visitor gets those instead of an index.
    match self {
      Value::Transferred(index) => visitor.visit_u32(index),
      Value::ArrayBuffer(_) | Value::ResizableArrayBuffer { .. } | Value::View(_) => {
        self.deserialize_byte_buf(visitor)
      }
      other => Err(expected("an ArrayBuffer", &other)),
    }
  }

  fn deserialize_bytes<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
    self.deserialize_byte_buf(visitor)
  }

  fn deserialize_byte_buf<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
    match self {
      Value::View(view) => visitor.visit_byte_buf(view_bytes(view)?),
      value => value.deserialize_any(visitor),
    }
  }

  fn deserialize_seq<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
    match self {
      Value::View(_) | Value::ArrayBuffer(_) | Value::ResizableArrayBuffer { .. } => {
        visitor.visit_seq(Elements::new(self)?)
      }
      value => value.deserialize_any(visitor),
    }
  }

  fn deserialize_tuple<V: Visitor<'de>>(self, _len: usize, visitor: V) -> Result<V::Value, Error> {
    self.deserialize_seq(visitor)
  }

  fn deserialize_tuple_struct<V: Visitor<'de>>(
    self,
    _name: &'static str,
    _len: usize,
    visitor: V,
  ) -> Result<V::Value, Error> {
    self.deserialize_seq(visitor)
  }

  fn deserialize_enum<V: Visitor<'de>>(
    self,
    _name: &'static str,
    _variants: &'static [&'static str],
    visitor: V,
  ) -> Result<V::Value, Error> {
    let (variant, value) = match self {
      Value::String(name) | Value::StringObject(name) => (Value::String(name), None),
      Value::Object(mut properties) if properties.len() == 1 => {
        let (key, value) = properties.remove(0);
        (Value::String(key.into_string()), Some(value))
      }
      Value::Map(mut entries) if entries.len() == 1 => {
        let (key, value) = entries.remove(0);
        (key, Some(value))
      }
      other => {
        return Err(expected(
          "an enum: a string or an object with one property",
          &other,
        ))
      }
    };
    visitor.visit_enum(Enum { variant, value })
  }

  fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
    visitor.visit_unit()
  }

  forward_to_deserialize_any! {
    bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
    unit unit_struct map struct identifier
  }
}

impl<'de> IntoDeserializer<'de, Error> for Value {
  type Deserializer = Value;

  fn into_deserializer(self) -> Value {
    self
  }
}

/// Everything [`Value::deserialize_any`] does not visit itself.
fn visit_other<'de, V: Visitor<'de>>(value: Value, visitor: V) -> Result<V::Value, Error> {
  match value {
    Value::Undefined | Value::Null => visitor.visit_unit(),
    Value::Bool(b) | Value::BooleanObject(b) => visitor.visit_bool(b),
    Value::Int(n) => visit_integer(n.into(), visitor),
    Value::Number(n) | Value::NumberObject(n) => visit_number(n, visitor),
    Value::BigInt(n) | Value::BigIntObject(n) => visit_bigint(&n, visitor),
    Value::String(s) | Value::StringObject(s) => visitor.visit_string(s),
    Value::SparseArray { length, properties } => {
      visitor.visit_seq(SparseItems::new(length, properties)?)
    }
    Value::Date(time) => visitor.visit_f64(time),
    Value::RegExp { source, flags } => visitor.visit_map(Entries::new(vec![
      (Key::from("source"), Value::String(source)),
      (Key::from("flags"), Value::String(flags)),
    ])),
    Value::ArrayBuffer(bytes) | Value::ResizableArrayBuffer { bytes, .. } => {
      visitor.visit_byte_buf(bytes)
    }
    Value::View(view) => visitor.visit_byte_buf(view_bytes(view)?),
    Value::Transferred(index) => Err(transferred(index)),
    Value::SharedArrayBuffer(_) => Err(Error::Message(
      "a SharedArrayBuffer cannot become a Rust value".into(),
    )),
    Value::Error(error) => visitor.visit_map(Entries::new(error_properties(*error))),
    // Arrays, sets, objects and maps, which `deserialize_any` visits.
    container => container.deserialize_any(visitor),
  }
}

/// A short description of a value for error messages.
fn describe(value: &Value) -> &'static str {
  match value {
    Value::Undefined => "undefined",
    Value::Null => "null",
    Value::Bool(_) => "a boolean",
    Value::Int(_) | Value::Number(_) => "a number",
    Value::BigInt(_) => "a BigInt",
    Value::String(_) => "a string",
    Value::Array(_) | Value::SparseArray { .. } => "an array",
    Value::Object(_) => "an object",
    Value::Map(_) => "a Map",
    Value::Set(_) => "a Set",
    Value::Date(_) => "a Date",
    Value::BooleanObject(_) | Value::NumberObject(_) | Value::BigIntObject(_) => "a wrapper object",
    Value::StringObject(_) => "a String object",
    Value::RegExp { .. } => "a RegExp",
    Value::ArrayBuffer(_) | Value::ResizableArrayBuffer { .. } => "an ArrayBuffer",
    Value::Transferred(_) => "a transferred ArrayBuffer",
    Value::SharedArrayBuffer(_) => "a SharedArrayBuffer",
    Value::View(_) => "a typed array or DataView",
    Value::Error(_) => "an Error",
  }
}

fn expected(what: &str, found: &Value) -> Error {
  Error::Message(format!("expected {what}, found {}", describe(found)))
}

fn transferred(index: u32) -> Error {
  Error::Message(format!(
    "transferred ArrayBuffer {index} can only become a Rust value through the {TRANSFER} \
     newtype (entangle_wire::Transfer)"
  ))
}

fn visit_integer<'de, V: Visitor<'de>>(n: i128, visitor: V) -> Result<V::Value, Error> {
  if let Ok(n) = u64::try_from(n) {
    visitor.visit_u64(n)
  } else if let Ok(n) = i64::try_from(n) {
    visitor.visit_i64(n)
  } else if let Ok(n) = u128::try_from(n) {
    visitor.visit_u128(n)
  } else {
    visitor.visit_i128(n)
  }
}

/// An integral double as an integer (so integer types accept it); any
/// other double, and -0, as a float.
fn visit_number<'de, V: Visitor<'de>>(n: f64, visitor: V) -> Result<V::Value, Error> {
  const TWO_POW_64: f64 = 18_446_744_073_709_551_616.0;
  let integral = n.fract() == 0.0 && !(n == 0.0 && n.is_sign_negative());
  if integral && (-TWO_POW_64..TWO_POW_64).contains(&n) {
    visit_integer(n as i128, visitor)
  } else {
    visitor.visit_f64(n)
  }
}

fn visit_bigint<'de, V: Visitor<'de>>(n: &BigInt, visitor: V) -> Result<V::Value, Error> {
  match (n.to_i128(), n.to_u128()) {
    (Some(n), _) => visit_integer(n, visitor),
    (None, Some(n)) => visitor.visit_u128(n),
    (None, None) => Err(Error::Message("BigInt does not fit in 128 bits".into())),
  }
}

/// The bytes a view covers, moved out of its buffer where possible.
fn view_bytes(view: View) -> Result<Vec<u8>, Error> {
  let end = view.end().unwrap_or(usize::MAX);
  match *view.buffer {
    Value::ArrayBuffer(mut bytes) | Value::ResizableArrayBuffer { mut bytes, .. } => {
      if end > bytes.len() {
        return Err(Error::Message(
          "view reaches past the end of its buffer".into(),
        ));
      }
      bytes.truncate(end);
      bytes.drain(..view.byte_offset as usize);
      Ok(bytes)
    }
    Value::Transferred(index) => Err(transferred(index)),
    other => Err(expected("an ArrayBuffer under the view", &other)),
  }
}

/// An error's properties: `name`, and `message`, `stack` and `cause` where
/// present.
fn error_properties(error: JsError) -> Vec<(Key, Value)> {
  let mut properties = vec![(Key::from("name"), Value::String(error.kind.name().into()))];
  let strings = [("message", error.message), ("stack", error.stack)];
  for (name, string) in strings {
    if let Some(string) = string {
      properties.push((Key::from(name), Value::String(string)));
    }
  }
  if let Some(cause) = error.cause {
    properties.push((Key::from("cause"), cause));
  }
  properties
}
