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
