//! V8's structured-serialization wire format (what `v8::ValueSerializer`
//! writes and `v8::ValueDeserializer` reads), without V8.
//!
//! Rust code exchanges values with JavaScript through message ports in this
//! format: [`to_bytes`] turns a serde value into bytes V8 deserializes into
//! ordinary JavaScript objects, and [`from_bytes`] turns bytes V8 serialized
//! into a serde value. Underneath, [`decode()`] and [`encode()`] convert between
//! bytes and [`Value`], a tree that holds everything the format can say
//! about a JavaScript value (the reference is V8's
//! `src/objects/value-serializer.cc`).
//!
//! [`encode()`] writes format version [`VERSION`], byte for byte as V8 would
//! for the same value; [`decode()`] reads versions [`OLDEST_READ_VERSION`]
//! to [`LATEST_READ_VERSION`] (13 to 16). [`decode()`]
//! accepts hostile input: it never panics, never allocates more than the
//! input justifies, and stops at [`MAX_DEPTH`] nested containers.
//!
//! ```
//! use serde::{Deserialize, Serialize};
//!
//! #[derive(Serialize, Deserialize, Debug, PartialEq)]
//! struct Greeting {
//!   to: String,
//!   times: u32,
//! }
//!
//! let greeting = Greeting { to: "world".into(), times: 2 };
//! let bytes = entangle_wire::to_bytes(&greeting)?;
//! // What V8 writes for `({ to: "world", times: 2 })`.
//! assert_eq!(bytes, b"\xff\x10o\"\x02to\"\x05world\"\x05timesI\x04{\x02");
//! assert_eq!(entangle_wire::from_bytes::<Greeting>(&bytes)?, greeting);
//! # Ok::<(), entangle_wire::Error>(())
//! ```
//!
//! # Serde mapping
//!
//! [`to_bytes`] / [`to_value`] (Rust → JavaScript):
//!
//! | Rust (serde) | JavaScript |
//! |---|---|
//! | `bool` | boolean |
//! | integer that fits `i32` | number (tag `I`) |
//! | other integer within ±(2^53 - 1) | number (tag `N`) |
//! | integer beyond ±(2^53 - 1) | error [`Error::UnsafeInteger`] |
//! | `f32`, `f64` | number |
//! | `char`, `str` | string |
//! | bytes (`serialize_bytes`) | `Uint8Array` over a fresh `ArrayBuffer` |
//! | `None`, `()`, unit struct | `null` |
//! | `Some(x)`, newtype struct | `x` |
//! | newtype struct named [`TRANSFER`] around a `u32` ([`Transfer`]) | the transferred `ArrayBuffer` with that index |
//! | unit variant | its name as a string |
//! | newtype variant | `{ Variant: value }` |
//! | sequence, tuple, tuple struct | array |
//! | tuple variant | `{ Variant: [...] }` |
//! | map | object; keys must be strings, integers, floats or unit variants |
//! | struct | object |
//! | struct variant | `{ Variant: { ... } }` |
//!
//! [`from_bytes`] / [`from_value`] (JavaScript → Rust):
//!
//! | JavaScript | Rust (serde) |
//! |---|---|
//! | `undefined`, `null` | unit; `None` for an `Option` (anything else is `Some`) |
//! | boolean, `Boolean` object | `bool` |
//! | number, `Number` object | integers accept integral numbers in range; `deserialize_any` gives `u64`/`i64` for integral numbers (except -0) and `f64` otherwise |
//! | BigInt, BigInt object | integer (`u64`/`i64`, or `u128`/`i128` beyond 64 bits) |
//! | string, `String` object | string (also `char`) |
//! | array, `Set` | sequence; array holes are `undefined`, named array properties are skipped; a sparse array may have at most 1024 more holes than elements |
//! | object | map or struct; keys are strings (index keys in decimal), and numeric key types parse them |
//! | `Map` | map, keys deserialized as values |
//! | `ArrayBuffer` | bytes; as a sequence, its bytes |
//! | typed array, `DataView` | the viewed bytes; as a sequence, its elements (`DataView`: bytes) |
//! | transferred `ArrayBuffer` | its index, through [`TRANSFER`] ([`Transfer`]); elsewhere an error. Through [`TRANSFER`], a buffer or typed array that was not transferred gives its bytes |
//! | `Date` | `f64` milliseconds since the epoch |
//! | `RegExp` | map `{ source, flags }` |
//! | `Error` | map `{ name, message?, stack?, cause? }` |
//! | enum | a string is a unit variant; an object or `Map` with one entry is `{ Variant: value }` |
//! | `SharedArrayBuffer` | error |
//!
//! Unknown struct fields are skipped (`deserialize_ignored_any`).

mod de;
mod decode;
mod encode;
mod error;
pub mod format;
mod key;
mod reader;
mod ser;
mod transfer;
mod value;
mod writer;

pub use de::from_value;
pub use decode::decode;
pub use encode::encode;
pub use error::Error;
pub use key::{Key, MAX_INDEX};
pub use reader::Reader;
pub use ser::to_value;
pub use transfer::{Transfer, TRANSFER};
pub use value::{BigInt, ErrorKind, JsError, Value, View, ViewKind};
pub use writer::Writer;

/// Format version written by [`encode()`], [`to_bytes`] and [`Writer`]: the
/// one the V8 that Entangle embeds writes (`entangle_web` checks that they
/// agree), so the runtime's own fast path writes it too.
pub const VERSION: u8 = 16;

/// The oldest format version [`decode()`] reads (V8 7.x and later).
pub const OLDEST_READ_VERSION: u32 = 13;

/// The newest format version [`decode()`] reads: [`VERSION`]. Version 16
/// (V8 13.x and later) only widens `ArrayBuffer` and view lengths and offsets
/// to 64-bit varints; they must still fit in 32 bits here, larger ones are an
/// error (and [`encode()`] writes no larger ones).
pub const LATEST_READ_VERSION: u32 = VERSION as u32;

/// Most containers (arrays, objects, maps, sets, views, errors) one value
/// may nest. Deeper messages are an error, so decoding, dropping and
/// converting a value never overflow the stack. V8 itself goes about as deep
/// as its stack allows.
pub const MAX_DEPTH: usize = 512;

/// Serializes any serde value to a message V8 can deserialize.
pub fn to_bytes<T: serde::Serialize + ?Sized>(value: &T) -> Result<Vec<u8>, Error> {
  encode(&to_value(value)?)
}

/// Deserializes a message V8 serialized into any serde value.
pub fn from_bytes<T: serde::de::DeserializeOwned>(bytes: &[u8]) -> Result<T, Error> {
  from_value(decode(bytes)?)
}
