//! Property keys ([`Key`]) and how JavaScript turns numbers into them.
//!
//! JavaScript has one key for `o[1]`, `o["1"]` and `o[1.0]`: the string
//! `"1"`, which is also an array index. V8 writes array-index keys as
//! numbers and other keys as strings; [`Key`] keeps that split, and every
//! key this crate creates is canonical: a string key is never an array index.

use std::fmt;

/// The largest array index: JavaScript arrays hold at most 2^32 - 1 elements.
pub const MAX_INDEX: u32 = u32::MAX - 1;

/// An object property key.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Key {
  /// An array index, 0 to [`MAX_INDEX`]; written as a number.
  Index(u32),
  /// Any other key; written as a string.
  String(String),
}

impl Key {
  /// The key JavaScript uses for the number `n` (`o[n]`).
  pub(crate) fn from_number(n: f64) -> Key {
    if n.fract() == 0.0 && (0.0..=f64::from(MAX_INDEX)).contains(&n) {
      Key::Index(n as u32)
    } else {
      Key::String(number_to_string(n))
    }
  }

  /// The key JavaScript uses for the integer `n`.
  pub(crate) fn from_integer(n: i128) -> Key {
    match u32::try_from(n) {
      Ok(index) if index <= MAX_INDEX => Key::Index(index),
      _ => Key::String(n.to_string()),
    }
  }

  /// Heap bytes the key holds, for size accounting.
  pub(crate) fn heap_bytes(&self) -> usize {
    match self {
      Key::Index(_) => 0,
      Key::String(s) => s.len(),
    }
  }

  /// The key as the string JavaScript sees.
  pub fn into_string(self) -> String {
    match self {
      Key::Index(index) => index.to_string(),
      Key::String(s) => s,
    }
  }
}

impl From<String> for Key {
  /// The canonical key for a string: an index if the string is one
  /// (`"7"`, not `"07"` or `"-7"`).
  fn from(s: String) -> Key {
    match array_index(&s) {
      Some(index) => Key::Index(index),
      None => Key::String(s),
    }
  }
}

impl From<&str> for Key {
  fn from(s: &str) -> Key {
    match array_index(s) {
      Some(index) => Key::Index(index),
      None => Key::String(s.to_owned()),
    }
  }
}

impl From<u32> for Key {
  /// An index key, except `u32::MAX`, which is not an array index.
  fn from(n: u32) -> Key {
    Key::from_integer(n.into())
  }
}

impl fmt::Display for Key {
  fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
    match self {
      Key::Index(index) => write!(f, "{index}"),
      Key::String(s) => write!(f, "{s:?}"),
    }
  }
}

/// A key in canonical form, for comparing keys that may not be canonical.
#[derive(PartialEq, Eq, PartialOrd, Ord)]
enum Canonical<'a> {
  Index(u32),
  String(&'a str),
}

impl<'a> Canonical<'a> {
  fn of(key: &'a Key) -> Self {
    match key {
      Key::Index(index) => Canonical::Index(*index),
      Key::String(s) => array_index(s).map_or(Canonical::String(s), Canonical::Index),
    }
  }
}

/// Checks that no two keys name the same property, and, for an array, that
/// no key is `"length"` (which every array already has). V8 rejects a
/// message that defines a property twice.
pub(crate) fn check_keys<'a>(
  keys: impl Iterator<Item = &'a Key>,
  is_array: bool,
) -> Result<(), String> {
  let mut keys: Vec<Canonical<'a>> = keys.map(Canonical::of).collect();
  if is_array && keys.contains(&Canonical::String("length")) {
    return Err("an array cannot define its \"length\" property".into());
  }
  keys.sort_unstable();
  match keys.windows(2).find(|pair| pair[0] == pair[1]) {
    Some(pair) => Err(match pair[0] {
      Canonical::Index(index) => format!("duplicate property key {index}"),
      Canonical::String(s) => format!("duplicate property key {s:?}"),
    }),
    None => Ok(()),
  }
}

/// The array index a string names, if it is the canonical decimal form of one.
fn array_index(s: &str) -> Option<u32> {
  let canonical = s == "0" || (!s.starts_with('0') && s.bytes().all(|b| b.is_ascii_digit()));
  let index: u32 = s.parse().ok().filter(|_| canonical)?;
  (index <= MAX_INDEX).then_some(index)
}

/// JavaScript's `Number::toString(n)` (ECMA-262 §6.1.6.1.20).
fn number_to_string(n: f64) -> String {
  if n.is_nan() {
    return "NaN".into();
  }
  if n == 0.0 {
    return "0".into();
  }
  if n.is_infinite() {
    return if n < 0.0 { "-Infinity" } else { "Infinity" }.into();
  }
  if n < 0.0 {
    return format!("-{}", number_to_string(-n));
  }
  // Rust's `{:e}` gives the shortest digits that round-trip, as JS does:
  // "d.ddde<exp>".
  let scientific = format!("{n:e}");
  let (mantissa, exponent) = scientific.split_once('e').unwrap_or((&scientific, "0"));
  let digits: String = mantissa.chars().filter(|c| *c != '.').collect();
  let k = digits.len() as i64;
  // n = 0.digits × 10^point
  let point = exponent.parse::<i64>().unwrap_or(0) + 1;
  if k <= point && point <= 21 {
    format!("{digits}{}", "0".repeat((point - k) as usize))
  } else if 0 < point && point <= 21 {
    let (whole, fraction) = digits.split_at(point as usize);
    format!("{whole}.{fraction}")
  } else if -6 < point && point <= 0 {
    format!("0.{}{digits}", "0".repeat(-point as usize))
  } else {
    let sign = if point - 1 < 0 { '-' } else { '+' };
    let (first, rest) = digits.split_at(1);
    let dot = if rest.is_empty() { "" } else { "." };
    format!("{first}{dot}{rest}e{sign}{}", (point - 1).abs())
  }
}

#[cfg(test)]
mod tests {
  use super::*;

  #[test]
  fn numbers_format_as_javascript_does() {
    let cases = [
      (1.5, "1.5"),
      (-1.0, "-1"),
      (123.0, "123"),
      (1e21, "1e+21"),
      (1.5e21, "1.5e+21"),
      (1e20, "100000000000000000000"),
      (1e-6, "0.000001"),
      (1e-7, "1e-7"),
      (1.25e-7, "1.25e-7"),
      (0.1, "0.1"),
      (-0.0, "0"),
      (4294967295.0, "4294967295"),
      (f64::NAN, "NaN"),
      (f64::NEG_INFINITY, "-Infinity"),
      (f64::MAX, "1.7976931348623157e+308"),
      (5e-324, "5e-324"),
    ];
    for (n, expected) in cases {
      assert_eq!(number_to_string(n), expected, "{n:e}");
    }
  }

  #[test]
  fn keys_are_canonical() {
    assert_eq!(Key::from("7"), Key::Index(7));
    assert_eq!(Key::from("0"), Key::Index(0));
    assert_eq!(Key::from("07"), Key::String("07".into()));
    assert_eq!(Key::from("-7"), Key::String("-7".into()));
    assert_eq!(Key::from("4294967294"), Key::Index(MAX_INDEX));
    assert_eq!(Key::from("4294967295"), Key::String("4294967295".into()));
    assert_eq!(Key::from(u32::MAX), Key::String("4294967295".into()));
    assert_eq!(Key::from_number(2.0), Key::Index(2));
    assert_eq!(Key::from_number(-0.0), Key::Index(0));
    assert_eq!(Key::from_number(2.5), Key::String("2.5".into()));
    assert_eq!(Key::from_integer(-3), Key::String("-3".into()));
    assert_eq!(Key::Index(3).into_string(), "3");
  }

  #[test]
  fn duplicate_keys_are_found_in_any_form() {
    let keys = [
      Key::Index(1),
      Key::String("a".into()),
      Key::String("1".into()),
    ];
    assert_eq!(
      check_keys(keys.iter(), false),
      Err("duplicate property key 1".into())
    );
    assert!(check_keys(keys[..2].iter(), false).is_ok());
    let length = [Key::String("length".into())];
    assert!(check_keys(length.iter(), false).is_ok());
    assert!(check_keys(length.iter(), true).is_err());
  }
}
