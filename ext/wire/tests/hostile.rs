//! Hostile input: `decode` (and serde conversion after it) must return an
//! error, never panic, overflow the stack, or allocate what the input does
//! not justify.

mod common;

use common::bytes;
use std::fmt;

use entangle_wire::{decode, encode, from_value, Error, Value, MAX_DEPTH};
use serde::de::{
  Deserialize, Deserializer, EnumAccess, MapAccess, SeqAccess, VariantAccess, Visitor,
};

/// Valid messages covering every kind of value, back-references included.
const SEEDS: &[&str] = &[
  "ff0f6f2201614902220162410249022201782400027b02",
  "ff0f6f4e0000c0ffffffef41490822022d3149022203312e354904220a3432393439363732393549067b04",
  "ff0f61034900490249044906400203",
  "ff0f4102490249042201784902240102",
  "ff0f41025a20000000000000000000000000100000005a2100000000000000000100000000000000240002",
  "ff0f6f22026162006302ac207b01",
  "ff0f3b6f7b0041002400003a02",
  "ff0f27490249042c02",
  "ff0f410342010056420001005e0156620001005e01240003",
  "ff0f41026f7b005e01240002",
  "ff0f6f220362756674002204766965775e0156420204007b02",
  "ff0f6f220165726d2201786372546d22017973220273322e73220273312e7b01",
  "ff0f52220161bf01",
  "ff0f7e0408000000005642000403",
  "ff0f4208000000000000f83f5646000800",
  "ff0f2744000000000000f83f73006304fc00ac206e0000000000000080782c04",
  "ff0f73006302ac20",
  "ff0f75035642000400",
];

/// Consumes any value through `deserialize_any`, as generic serde code does.
struct Sink;

impl<'de> Deserialize<'de> for Sink {
  fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Sink, D::Error> {
    deserializer.deserialize_any(SinkVisitor)
  }
}

struct SinkVisitor;

impl<'de> Visitor<'de> for SinkVisitor {
  type Value = Sink;

  fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
    f.write_str("anything")
  }

  fn visit_bool<E>(self, _: bool) -> Result<Sink, E> {
    Ok(Sink)
  }

  fn visit_i64<E>(self, _: i64) -> Result<Sink, E> {
    Ok(Sink)
  }

  fn visit_i128<E>(self, _: i128) -> Result<Sink, E> {
    Ok(Sink)
  }

  fn visit_u64<E>(self, _: u64) -> Result<Sink, E> {
    Ok(Sink)
  }

  fn visit_u128<E>(self, _: u128) -> Result<Sink, E> {
    Ok(Sink)
  }

  fn visit_f64<E>(self, _: f64) -> Result<Sink, E> {
    Ok(Sink)
  }

  fn visit_str<E>(self, _: &str) -> Result<Sink, E> {
    Ok(Sink)
  }

  fn visit_bytes<E>(self, _: &[u8]) -> Result<Sink, E> {
    Ok(Sink)
  }

  fn visit_unit<E>(self) -> Result<Sink, E> {
    Ok(Sink)
  }

  fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Sink, A::Error> {
    while seq.next_element::<Sink>()?.is_some() {}
    Ok(Sink)
  }

  fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Sink, A::Error> {
    while map.next_entry::<Sink, Sink>()?.is_some() {}
    Ok(Sink)
  }

  fn visit_enum<A: EnumAccess<'de>>(self, data: A) -> Result<Sink, A::Error> {
    let (Sink, variant) = data.variant::<Sink>()?;
    variant.newtype_variant::<Sink>()
  }
}

/// Decodes `message`; whatever decodes must also encode, re-decode to the
/// same thing, and go through serde.
fn check(message: &[u8]) {
  let Ok(value) = decode(message) else { return };
  let encoded = encode(&value).unwrap_or_else(|e| panic!("{value:?} does not encode: {e}"));
  let again = decode(&encoded).unwrap_or_else(|e| panic!("{value:?} does not re-decode: {e}"));
  assert_eq!(encode(&again).unwrap(), encoded);
  let _ = from_value::<Sink>(value);
}

#[test]
fn seeds_are_valid() {
  for seed in SEEDS {
    assert!(decode(&bytes(seed)).is_ok(), "{seed}");
    check(&bytes(seed));
  }
}

#[test]
fn truncations_never_panic() {
  for seed in SEEDS {
    let message = bytes(seed);
    for end in 0..message.len() {
      check(&message[..end]);
    }
  }
}

#[test]
fn mutations_never_panic() {
  // Seeded, so a failure reproduces.
  let mut rng = fastrand::Rng::with_seed(0x2545_F491_4F6C_DD1D);
  // Bytes that matter to the format, so mutations hit interesting paths.
  let interesting = b"\x00\xff\x7f\x80?-_0TFIUNZS\"c^o{aA@$DyxnzsR;:',B~tVuprm\\.EFhqQ";
  for seed in SEEDS {
    let original = bytes(seed);
    for _ in 0..3000 {
      let mut message = original.clone();
      for _ in 0..1 + rng.usize(..4) {
        let at = rng.usize(..=message.len());
        let byte = if rng.bool() {
          interesting[rng.usize(..interesting.len())]
        } else {
          rng.u8(..)
        };
        match rng.usize(..3) {
          0 if at < message.len() => message[at] = byte,
          1 => message.insert(at, byte),
          _ if at < message.len() => drop(message.remove(at)),
          _ => message.push(byte),
        }
      }
      check(&message);
    }
  }
}

/// `n` containers opened by `open` around `inner`, closed by `close`.
fn nested(n: usize, open: &[u8], inner: &[u8], close: &[u8]) -> Vec<u8> {
  let mut message = vec![0xFF, 0x0F];
  for _ in 0..n {
    message.extend_from_slice(open);
  }
  message.extend_from_slice(inner);
  for _ in 0..n {
    message.extend_from_slice(close);
  }
  message
}

#[test]
fn deep_nesting_is_an_error() {
  let kinds: [(&[u8], &[u8]); 6] = [
    (b"A\x01", b"$\x00\x01"),
    (b"a\x01I\x00", b"@\x01\x01"),
    (b"o\"\x01k", b"{\x01"),
    (b";_", b":\x02"),
    (b"'", b",\x01"),
    (b"rc", b"."),
  ];
  for (open, close) in kinds {
    let fits = nested(MAX_DEPTH, open, b"_", close);
    assert!(decode(&fits).is_ok(), "{open:?} {MAX_DEPTH} deep");
    check(&fits);
    let too_deep = nested(MAX_DEPTH + 1, open, b"_", close);
    assert_eq!(
      decode(&too_deep),
      Err(Error::TooDeep(MAX_DEPTH)),
      "{open:?}"
    );
    // 100,000 levels: a clean error, no stack overflow.
    let hostile = nested(100_000, open, b"_", close);
    assert_eq!(decode(&hostile), Err(Error::TooDeep(MAX_DEPTH)), "{open:?}");
  }
}

#[test]
fn deep_values_are_not_encoded() {
  let mut value = Value::Null;
  for _ in 0..MAX_DEPTH {
    value = Value::Array(vec![value]);
  }
  assert!(encode(&value).is_ok());
  let value = Value::Set(vec![value]);
  assert_eq!(encode(&value), Err(Error::TooDeep(MAX_DEPTH)));
}

/// An array of `n` items where each item but the first is `[prev, prev]`,
/// written with back-references: its tree doubles with every item.
fn doubling(n: u8) -> Vec<u8> {
  let mut message = vec![0xFF, 0x0F, b'A', n, b'o', b'{', 0];
  for id in 1..n {
    message.extend([b'A', 2, b'^', id, b'^', id, b'$', 0, 2]);
  }
  message.extend([b'$', 0, n]);
  message
}

#[test]
fn back_references_cannot_explode() {
  assert!(decode(&doubling(10)).is_ok());
  let error = decode(&doubling(100)).unwrap_err();
  assert!(
    error.to_string().contains("back-references copy"),
    "{error}"
  );
}

#[test]
fn back_references_cannot_nest_too_deep() {
  // Item k is [item k-1], by reference: each is one deeper than the last.
  let chain = |n: u16| {
    let mut message = vec![
      0xFF,
      0x0F,
      b'A',
      0x80 | (n & 0x7F) as u8,
      (n >> 7) as u8,
      b'o',
      b'{',
      0,
    ];
    for id in 1..n {
      message.extend([
        b'A',
        1,
        b'^',
        0x80 | (id & 0x7F) as u8,
        (id >> 7) as u8,
        b'$',
        0,
        1,
      ]);
    }
    message.extend([b'$', 0, 0x80 | (n & 0x7F) as u8, (n >> 7) as u8]);
    message
  };
  assert!(decode(&chain(400)).is_ok());
  assert_eq!(decode(&chain(600)), Err(Error::TooDeep(MAX_DEPTH)));
}

#[test]
fn cycles_are_errors() {
  // An error whose cause is itself.
  assert_eq!(
    decode(&bytes("ff0f72635e002e")),
    Err(Error::Cycle { at: 4 })
  );
  // A map that contains itself as a key.
  assert_eq!(
    decode(&bytes("ff0f3b5e00303a02")),
    Err(Error::Cycle { at: 3 })
  );
}

#[test]
fn lengths_are_checked_before_allocating() {
  for hex in [
    "ff0f41ffffffff0f",       // dense array of 2^32 - 1 elements
    "ff0f42ffffffff0f",       // ArrayBuffer of 4 GiB
    "ff0f22ffffffff0f",       // string of 4 GiB
    "ff0f63feffffff0f",       // two-byte string of 4 GiB
    "ff0f5afeffffff0f",       // BigInt of 2^30 bytes
    "ff0f7e01ffffffff0f",     // resizable ArrayBuffer with only its maximum
    "ff0f74005642ffffff0f00", // view past a transferred buffer is fine, but unfinished
  ] {
    assert!(decode(&bytes(hex)).is_err(), "{hex}");
  }
  // A sparse array of length 2^32 - 1 costs nothing until it would become
  // a sequence of billions.
  let sparse = decode(&bytes("ff0f61ffffffff0f4000ffffffff0f")).unwrap();
  assert_eq!(
    sparse,
    Value::SparseArray {
      length: u32::MAX,
      properties: vec![]
    }
  );
  assert!(from_value::<Vec<Option<u8>>>(sparse).is_err());
}

#[test]
fn copies_kept_for_back_references_are_budgeted() {
  // [[[...[ArrayBuffer(1 MiB)]...]], [ref to each level]]: keeping every
  // level for its reference would copy the buffer 300 times.
  let levels: u16 = 300;
  let varint = |n: u32| -> Vec<u8> {
    let mut bytes = Vec::new();
    let mut n = n;
    while n >= 0x80 {
      bytes.push(n as u8 | 0x80);
      n >>= 7;
    }
    bytes.push(n as u8);
    bytes
  };
  let mut message = vec![0xFF, 0x0F, b'A', 2];
  for _ in 0..levels {
    message.extend([b'A', 1]);
  }
  message.push(b'B');
  message.extend(varint(1 << 20));
  message.resize(message.len() + (1 << 20), 7);
  for _ in 0..levels {
    message.extend([b'$', 0, 1]);
  }
  let references = message.len();
  message.push(b'A');
  message.extend(varint(levels.into()));
  for id in 1..=levels {
    message.push(b'^');
    message.extend(varint(id.into()));
  }
  message.extend([b'$', 0]);
  message.extend(varint(levels.into()));
  message.extend([b'$', 0, 2]);
  // The copies are refused while the levels are read, before any reference.
  let Err(Error::Invalid { at, reason }) = decode(&message) else {
    panic!("expected an error")
  };
  assert!(
    reason.contains("back-references copy") && at < references,
    "{reason} at {at}"
  );
}
