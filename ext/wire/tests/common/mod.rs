//! Helpers shared by the integration tests: hex text to bytes and back.

#![allow(dead_code)] // each test binary uses what it needs

/// The bytes a lowercase hex string spells.
pub fn bytes(hex: &str) -> Vec<u8> {
  (0..hex.len())
    .step_by(2)
    .map(|i| u8::from_str_radix(&hex[i..i + 2], 16).unwrap())
    .collect()
}

/// Bytes as lowercase hex.
pub fn hex(bytes: &[u8]) -> String {
  bytes.iter().map(|byte| format!("{byte:02x}")).collect()
}

/// A message this crate wrote, as hex under the header of the Node.js 20
/// vectors (`ff0f`). The crate writes version 16, as the V8 Entangle embeds
/// does; Node 20 wrote 15, and for values whose lengths fit 32 bits the rest
/// of the bytes is the same in both versions.
pub fn as_node20(bytes: &[u8]) -> String {
  assert_eq!(bytes[..2], [0xFF, 16], "the header of version 16");
  format!("ff0f{}", hex(&bytes[2..]))
}

/// `encode(value)` as hex, under the header of the Node.js 20 vectors.
pub fn encoded(value: &entangle_wire::Value) -> Result<String, entangle_wire::Error> {
  entangle_wire::encode(value).map(|bytes| as_node20(&bytes))
}
