//! Reading containers: objects, arrays, maps, sets and errors, the values
//! that hold other values and so recurse through [`Decoder::value`].
//!
//! Each reader reads the contents and leaves the rest to a `close_*`
//! method, keeping the frames on the recursion small (debug builds give
//! every temporary its own slot).

use super::Decoder;
use crate::error::Error;
use crate::format::*;
use crate::key::{self, Key};
use crate::value::{ErrorKind, JsError, Value};

impl Decoder<'_> {
  /// Key/value pairs up to `end`.
  fn properties(&mut self, end: u8) -> Result<Vec<(Key, Value)>, Error> {
    let mut properties = Vec::new();
    while !self.reader.eat_tag(end) {
      let key = self.key()?;
      properties.push((key, self.value()?));
    }
    Ok(properties)
  }

  /// Reads a count after an end tag and checks it against `actual`.
  fn count(&mut self, what: &str, actual: usize) -> Result<(), Error> {
    let at = self.reader.at();
    let declared = self.reader.varint()?;
    if declared as usize != actual {
      return Err(Error::invalid(
        at,
        format!("{what} {declared} where there are {actual}"),
      ));
    }
    Ok(())
  }

  pub(super) fn object(&mut self, at: usize) -> Result<Value, Error> {
    let id = self.begin();
    self.enter()?;
    let properties = self.properties(END_OBJECT)?;
    self.close_object(id, at, properties)
  }

  fn close_object(
    &mut self,
    id: usize,
    at: usize,
    properties: Vec<(Key, Value)>,
  ) -> Result<Value, Error> {
    self.depth -= 1;
    self.count("object property count", properties.len())?;
    key::check_keys(properties.iter().map(|(key, _)| key), false)
      .map_err(|reason| Error::invalid(at, reason))?;
    self.close(id, Value::Object(properties))
  }

  pub(super) fn dense_array(&mut self, at: usize) -> Result<Value, Error> {
    let length = self.reader.length(1)?;
    let id = self.begin();
    self.enter()?;
    let mut elements = Vec::with_capacity(length as usize);
    for _ in 0..length {
      let hole = self.reader.eat_tag(THE_HOLE);
      elements.push(if hole { None } else { Some(self.value()?) });
    }
    let properties = self.properties(END_DENSE_ARRAY)?;
    self.close_dense_array(id, at, elements, properties)
  }

  /// A dense array with holes as `Undefined`, or, if it has named
  /// properties, a sparse array without the holes.
  fn close_dense_array(
    &mut self,
    id: usize,
    at: usize,
    elements: Vec<Option<Value>>,
    properties: Vec<(Key, Value)>,
  ) -> Result<Value, Error> {
    self.depth -= 1;
    let length = elements.len();
    self.count("array property count", properties.len())?;
    self.count("array length", length)?;
    let value = if properties.is_empty() {
      let elements = elements
        .into_iter()
        .map(|element| element.unwrap_or(Value::Undefined));
      Value::Array(elements.collect())
    } else {
      let elements = elements
        .into_iter()
        .enumerate()
        .filter_map(|(index, element)| Some((Key::Index(index as u32), element?)));
      sparse(length as u32, elements.chain(properties).collect(), at)?
    };
    self.close(id, value)
  }

  pub(super) fn sparse_array(&mut self, at: usize) -> Result<Value, Error> {
    let length = self.reader.varint()?;
    let id = self.begin();
    self.enter()?;
    let properties = self.properties(END_SPARSE_ARRAY)?;
    self.close_sparse_array(id, at, length, properties)
  }

  fn close_sparse_array(
    &mut self,
    id: usize,
    at: usize,
    length: u32,
    properties: Vec<(Key, Value)>,
  ) -> Result<Value, Error> {
    self.depth -= 1;
    self.count("array property count", properties.len())?;
    self.count("array length", length as usize)?;
    let value = sparse(length, properties, at)?;
    self.close(id, value)
  }

  pub(super) fn map(&mut self) -> Result<Value, Error> {
    let id = self.begin();
    self.enter()?;
    let mut entries = Vec::new();
    while !self.reader.eat_tag(END_MAP) {
      let key = self.value()?;
      entries.push((key, self.value()?));
    }
    self.depth -= 1;
    self.count("map key and value count", entries.len() * 2)?;
    self.close(id, Value::Map(entries))
  }

  pub(super) fn set(&mut self) -> Result<Value, Error> {
    let id = self.begin();
    self.enter()?;
    let mut elements = Vec::new();
    while !self.reader.eat_tag(END_SET) {
      elements.push(self.value()?);
    }
    self.depth -= 1;
    self.count("set element count", elements.len())?;
    self.close(id, Value::Set(elements))
  }

  /// An error's sub-tags: an optional prototype, then message, stack and
  /// cause in any order (V8 has written cause both before and after
  /// stack), then the end.
  pub(super) fn error(&mut self) -> Result<Value, Error> {
    let id = self.begin();
    let mut error = Box::new(JsError {
      kind: ErrorKind::Error,
      message: None,
      stack: None,
      cause: None,
    });
    let mut tag = self.error_tag()?;
    if let Some(kind) = error_kind(tag.1) {
      error.kind = kind;
      tag = self.error_tag()?;
    }
    while tag.1 != ERROR_END.into() {
      if tag.1 == ERROR_CAUSE.into() && error.cause.is_none() {
        self.enter()?;
        error.cause = Some(self.value()?);
        self.depth -= 1;
      } else {
        self.error_string(tag, &mut error)?;
      }
      tag = self.error_tag()?;
    }
    self.close(id, Value::Error(error))
  }

  /// The next error sub-tag and its offset.
  fn error_tag(&mut self) -> Result<(usize, u32), Error> {
    let at = self.reader.at();
    Ok((at, self.reader.varint()?))
  }

  /// The string after a message or stack sub-tag; any other sub-tag here
  /// is an error.
  fn error_string(&mut self, (at, tag): (usize, u32), error: &mut JsError) -> Result<(), Error> {
    let slot = match u8::try_from(tag) {
      Ok(ERROR_MESSAGE) => &mut error.message,
      Ok(ERROR_STACK) => &mut error.stack,
      _ => {
        return Err(Error::invalid(
          at,
          format!("unexpected error sub-tag {tag:#04x}"),
        ))
      }
    };
    if slot.is_some() {
      return Err(Error::invalid(
        at,
        format!("repeated error sub-tag {tag:#04x}"),
      ));
    }
    *slot = Some(self.string()?);
    Ok(())
  }
}

/// A sparse array, its length grown past its highest index as V8 does.
fn sparse(length: u32, properties: Vec<(Key, Value)>, at: usize) -> Result<Value, Error> {
  key::check_keys(properties.iter().map(|(key, _)| key), true)
    .map_err(|reason| Error::invalid(at, reason))?;
  let length = properties
    .iter()
    .filter_map(|(key, _)| match key {
      Key::Index(index) => Some(index.saturating_add(1)),
      Key::String(_) => None,
    })
    .fold(length, u32::max);
  Ok(Value::SparseArray { length, properties })
}
