//! Fuzzes `entangle_wire`, the decoder Rust ports use for what JavaScript
//! posts: arbitrary bytes decode to a value or a clean error, never a
//! panic, a stack overflow or a huge allocation; what decodes re-encodes to
//! bytes that decode to the same value.

#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
  if let Ok(value) = entangle_wire::decode(data) {
    let bytes = entangle_wire::encode(&value).expect("decoded values encode");
    let again = entangle_wire::decode(&bytes).expect("re-encoded bytes decode");
    assert_eq!(
      entangle_wire::encode(&again).unwrap(),
      bytes,
      "stable after one round"
    );
  }
});
