//! Transferred `ArrayBuffer`s in serde types: [`TRANSFER`] and [`Transfer`].
//!
//! When JavaScript posts a message with a transfer list, the host writes
//! each transferred `ArrayBuffer` as its index (tag `t`) and moves the
//! contents separately. A serde type stands for such a buffer with a
//! newtype struct named [`TRANSFER`] around the `u32` index; [`Transfer`]
//! is that type, ready-made.

use std::fmt;

use serde::de::{self, Deserialize, Deserializer, Visitor};
use serde::ser::{Serialize, Serializer};

/// Newtype-struct name a serde type uses to stand for "the transferred
/// `ArrayBuffer` with this index": `serialize_newtype_struct(TRANSFER,
/// &index_u32)` writes tag `t` and the index, and
/// `deserialize_newtype_struct(TRANSFER, visitor)` on a transferred buffer
/// calls `visitor.visit_u32(index)`. On a buffer (or typed array) that was
/// posted without being transferred, whose bytes are in the message, it
/// calls `visitor.visit_byte_buf(bytes)`; on anything else it fails.
pub const TRANSFER: &str = "$entangle::Transfer";

/// A transferred `ArrayBuffer`, by its index in the transfer list. It does
/// not accept a buffer whose bytes are in the message.
///
/// With other serde formats it is a plain `u32`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Transfer(pub u32);

impl Serialize for Transfer {
  fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.serialize_newtype_struct(TRANSFER, &self.0)
  }
}

impl<'de> Deserialize<'de> for Transfer {
  fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
    deserializer.deserialize_newtype_struct(TRANSFER, TransferVisitor)
  }
}

struct TransferVisitor;

impl<'de> Visitor<'de> for TransferVisitor {
  type Value = Transfer;

  fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
    f.write_str("a transferred ArrayBuffer")
  }

  fn visit_u64<E: de::Error>(self, index: u64) -> Result<Transfer, E> {
    u32::try_from(index)
      .map(Transfer)
      .map_err(|_| E::custom("transfer index over u32::MAX"))
  }

  fn visit_newtype_struct<D: Deserializer<'de>>(self, inner: D) -> Result<Transfer, D::Error> {
    u32::deserialize(inner).map(Transfer)
  }
}
