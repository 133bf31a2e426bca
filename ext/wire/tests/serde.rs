//! serde in both directions. The bytes `to_bytes` writes here were checked
//! by deserializing them with Node.js 20 (`new v8.Deserializer(buf)`); the
//! bytes `from_bytes` reads were written by Node.js 20's `v8.Serializer`.

mod common;

use common::{as_node20, bytes};
use std::collections::{BTreeMap, HashMap};

use entangle_wire::{from_bytes, to_bytes, to_value, Error, Transfer, Value};
use serde::{Deserialize, Serialize};

#[derive(Debug, PartialEq, Serialize, Deserialize)]
struct Point {
  x: i32,
  y: f64,
  name: String,
  tags: Vec<String>,
  opt: Option<u8>,
}

#[derive(Debug, PartialEq, Serialize, Deserialize)]
enum Shape {
  Unit,
  New(i64),
  Tup(u8, String),
  Struct { a: bool },
}

/// Bytes through `serialize_bytes` / `deserialize_byte_buf`, as
/// `serde_bytes::ByteBuf` does it.
#[derive(Debug, PartialEq)]
struct ByteBuf(Vec<u8>);

impl Serialize for ByteBuf {
  fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.serialize_bytes(&self.0)
  }
}

impl<'de> Deserialize<'de> for ByteBuf {
  fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
    struct Bytes;
    impl serde::de::Visitor<'_> for Bytes {
      type Value = ByteBuf;
      fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("bytes")
      }
      fn visit_byte_buf<E>(self, bytes: Vec<u8>) -> Result<ByteBuf, E> {
        Ok(ByteBuf(bytes))
      }
    }
    deserializer.deserialize_byte_buf(Bytes)
  }
}

#[test]
fn structs_become_objects() {
  let point = Point {
    x: 1,
    y: 2.5,
    name: "naïve €".into(),
    tags: vec!["a".into(), "ü".into()],
    opt: None,
  };
  let encoded = to_bytes(&point).unwrap();
  // Node: { x: 1, y: 2.5, name: 'naïve €', tags: [ 'a', 'ü' ], opt: null }
  let expected =
    "ff0f6f22017849022201794e000000000000044022046e616d65630e6e006100ef00760065002000ac20\
                  22047461677341022201612201fc24000222036f7074307b05";
  assert_eq!(as_node20(&encoded), expected);
  assert_eq!(from_bytes::<Point>(&encoded), Ok(point));
}

#[test]
fn objects_become_structs_skipping_unknown_fields() {
  // {x: 1, y: 2.5, name: "naïve €", tags: ["a", "ü"], opt: null, extra: {deep: [1, new Map([[1, 2]])]}}
  let message = bytes(
    "ff0f6f22017849022201794e000000000000044022046e616d65630e6e006100ef00760065002000ac2022\
     047461677341022201612201fc24000222036f707430220565787472616f220464656570410249023b4902\
     49043a022400027b017b06",
  );
  let point: Point = from_bytes(&message).unwrap();
  assert_eq!(point.name, "naïve €");
  assert_eq!(point.tags, ["a", "ü"]);
  assert_eq!(point.opt, None);
}

#[test]
fn enums_are_strings_or_one_key_objects() {
  let shapes = vec![
    Shape::Unit,
    Shape::New(1 << 40),
    Shape::Tup(1, "x".into()),
    Shape::Struct { a: true },
  ];
  // Node: [ 'Unit', { New: 1099511627776 }, { Tup: [ 1, 'x' ] }, { Struct: { a: true } } ]
  let written =
    "ff0f41042204556e69746f22034e65774e00000000000070427b016f2203547570410249022201782400027b01\
                 6f22065374727563746f220161547b017b01240004";
  assert_eq!(as_node20(&to_bytes(&shapes).unwrap()), written);
  assert_eq!(from_bytes::<Vec<Shape>>(&bytes(written)), Ok(shapes));
  let not_an_enum = from_bytes::<Shape>(&bytes("ff0f49 02".replace(' ', "").as_str()));
  assert!(not_an_enum
    .unwrap_err()
    .to_string()
    .contains("expected an enum"));
}

#[test]
fn bytes_become_a_uint8_array() {
  let encoded = to_bytes(&ByteBuf(vec![1, 2, 3])).unwrap();
  assert_eq!(as_node20(&encoded), "ff0f42030102035642000300"); // Node: Uint8Array(3) [ 1, 2, 3 ]
  assert_eq!(from_bytes::<ByteBuf>(&encoded), Ok(ByteBuf(vec![1, 2, 3])));
}

#[test]
fn typed_arrays_become_bytes_or_elements() {
  #[derive(Deserialize)]
  struct Arrays {
    u8: Vec<u8>,
    f64: Vec<f64>,
    i16: Vec<i16>,
    ab: ByteBuf,
    sub: ByteBuf,
  }
  // {u8: new Uint8Array([1,2,3]), f64: new Float64Array([0.5, -1]), i16: new Int16Array([-2]),
  //  ab: new ArrayBuffer(2), sub: new Uint8Array([9,8,7,6]).subarray(1,3)}
  let message = bytes(
    "ff0f6f220275384203010203564200030022036636344210000000000000e03f000000000000f0bf5646001000\
     22036931364202feff56770002002202616242020000220373756242040908070656420102007b05",
  );
  let arrays: Arrays = from_bytes(&message).unwrap();
  assert_eq!(arrays.u8, [1, 2, 3]);
  assert_eq!(arrays.f64, [0.5, -1.0]);
  assert_eq!(arrays.i16, [-2]);
  assert_eq!(arrays.ab, ByteBuf(vec![0, 0]));
  assert_eq!(arrays.sub, ByteBuf(vec![8, 7]));
}

#[test]
fn transferred_buffers_need_transfer() {
  #[derive(Debug, PartialEq, Serialize, Deserialize)]
  struct Message {
    buf: Transfer,
  }
  // const ab = new ArrayBuffer(8); ({buf: ab, view: new Uint8Array(ab, 2, 4)}), ab transferred as 0
  let message = bytes("ff0f6f220362756674002204766965775e0156420204007b02");
  assert_eq!(
    from_bytes::<Message>(&message),
    Ok(Message { buf: Transfer(0) })
  );
  let as_bytes = from_bytes::<HashMap<String, ByteBuf>>(&message).unwrap_err();
  assert!(
    as_bytes.to_string().contains("transferred ArrayBuffer 0"),
    "{as_bytes}"
  );

  let encoded = to_bytes(&Message { buf: Transfer(7) }).unwrap();
  assert_eq!(as_node20(&encoded), "ff0f6f220362756674077b01");
  assert_eq!(
    from_bytes::<Message>(&encoded),
    Ok(Message { buf: Transfer(7) })
  );
  assert_eq!(
    to_value(&Transfer(u32::MAX)),
    Ok(Value::Transferred(u32::MAX))
  );

  // `Transfer` wants an index: a buffer posted by copy, or a number, is not one.
  let copied = from_bytes::<Transfer>(&bytes("ff0f42020000"));
  assert!(copied.unwrap_err().to_string().contains("byte array"));
  let number = from_bytes::<Transfer>(&bytes("ff0f4902"));
  assert_eq!(
    number.unwrap_err().to_string(),
    "expected an ArrayBuffer, found a number"
  );
}

#[test]
fn transfer_visitors_also_get_copied_bytes() {
  /// Like a host's buffer type: a transferred buffer by index, or a copy.
  #[derive(Debug, PartialEq)]
  enum Buffer {
    Transferred(u32),
    Copied(Vec<u8>),
  }
  impl<'de> Deserialize<'de> for Buffer {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
      struct Visitor;
      impl serde::de::Visitor<'_> for Visitor {
        type Value = Buffer;
        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
          f.write_str("an ArrayBuffer")
        }
        fn visit_u32<E>(self, index: u32) -> Result<Buffer, E> {
          Ok(Buffer::Transferred(index))
        }
        fn visit_byte_buf<E>(self, bytes: Vec<u8>) -> Result<Buffer, E> {
          Ok(Buffer::Copied(bytes))
        }
      }
      deserializer.deserialize_newtype_struct(entangle_wire::TRANSFER, Visitor)
    }
  }
  assert_eq!(
    from_bytes::<Buffer>(&bytes("ff0f7405")),
    Ok(Buffer::Transferred(5))
  );
  // new ArrayBuffer(2); new Uint8Array([1,2,3,4]).subarray(1,3)
  assert_eq!(
    from_bytes::<Buffer>(&bytes("ff0f42020000")),
    Ok(Buffer::Copied(vec![0, 0]))
  );
  let view = from_bytes::<Buffer>(&bytes("ff0f4204010203045642010200"));
  assert_eq!(view, Ok(Buffer::Copied(vec![2, 3])));
}

#[test]
fn holes_are_none() {
  let holey: Vec<Option<i32>> = from_bytes(&bytes("ff0f61034900490249044906400203")).unwrap();
  assert_eq!(holey, [Some(1), None, Some(3)]);
  // new Array(5000): too many holes to expand.
  let empty =
    from_bytes::<Vec<Option<i32>>>(&bytes("ff0f618827400088 27".replace(' ', "").as_str()));
  assert!(empty.unwrap_err().to_string().contains("too many"));
}

#[test]
fn maps_have_string_or_number_keys() {
  #[derive(Deserialize)]
  struct Maps {
    m: HashMap<u32, String>,
    o: BTreeMap<u32, String>,
  }
  // {m: new Map([[1, "one"], [2, "two"]]), o: {1: "one", 20: "twenty"}}
  let message = bytes(
    "ff0f6f22016d3b490222036f6e654904220374776f3a0422016f6f490222036f6e65492822067477656e74797b027b02",
  );
  let maps: Maps = from_bytes(&message).unwrap();
  assert_eq!(maps.m[&2], "two");
  assert_eq!(
    maps.o,
    BTreeMap::from([(1, "one".into()), (20, "twenty".into())])
  );
  let keys: Vec<String> =
    from_bytes::<BTreeMap<String, serde::de::IgnoredAny>>(&bytes("ff0f6f490222016122016249047b02"))
      .unwrap()
      .into_keys()
      .collect();
  assert_eq!(keys, ["1", "b"]);

  let numbered = BTreeMap::from([(3u32, "three"), (10, "ten")]);
  let encoded = to_bytes(&numbered).unwrap();
  assert_eq!(
    as_node20(&encoded),
    "ff0f6f4906220574687265654914220374656e7b02"
  ); // Node: { '3': 'three', '10': 'ten' }
  assert_eq!(
    from_bytes::<BTreeMap<u32, String>>(&encoded).unwrap()[&10],
    "ten"
  );
  let bad_key = to_bytes(&HashMap::from([((1, 2), 3)])).unwrap_err();
  assert_eq!(
    bad_key.to_string(),
    "map key must be a string or a number, not a tuple"
  );
}

#[test]
fn numbers_follow_javascript() {
  #[derive(Debug, Deserialize)]
  #[allow(dead_code)]
  struct Misc {
    date: f64,
    big: u64,
    neg: i128,
    n31: u32,
    half: f32,
    big300: u16,
    s: Vec<u8>,
  }
  // {date: new Date(1.5), big: 2n**64n - 1n, neg: -(2n**70n), n31: 2**31, half: 1.5, big300: 300, s: new Set([1, 2])}
  let message = bytes(
    "ff0f6f22046461746544000000000000f03f22036269675a10ffffffffffffffff22036e65675a2100000000000000\
     00400000000000000022036e33314e000000000000e041220468616c664e000000000000f83f22066269673330\
     3049d80422017327490249042c027b07",
  );
  let misc: Misc = from_bytes(&message).unwrap();
  assert_eq!((misc.date, misc.big, misc.neg), (1.0, u64::MAX, -(1 << 70)));
  assert_eq!(
    (misc.n31, misc.half, misc.big300, misc.s),
    (1 << 31, 1.5, 300, vec![1, 2])
  );
  let too_big = from_bytes::<u8>(&bytes("ff0f49d804")).unwrap_err(); // 300
  assert!(too_big.to_string().contains("300"), "{too_big}");
  let fraction = from_bytes::<u8>(&bytes("ff0f4e000000000000f83f")).unwrap_err(); // 1.5
  assert!(
    fraction.to_string().contains("floating point"),
    "{fraction}"
  );

  assert_eq!(to_value(&7u64), Ok(Value::Int(7)));
  assert_eq!(to_value(&(1u64 << 40)), Ok(Value::Number(1099511627776.0)));
  assert_eq!(
    to_value(&-9007199254740991i64),
    Ok(Value::Number(-9007199254740991.0))
  );
  assert_eq!(
    to_value(&(1u64 << 60)).unwrap_err().to_string(),
    "integer 1152921504606846976 is outside JavaScript's safe range (±(2^53 - 1))"
  );
  assert!(matches!(to_value(&u128::MAX), Err(Error::UnsafeInteger(_))));
}

#[test]
fn errors_become_maps() {
  #[derive(Debug, PartialEq, Deserialize)]
  struct JsError {
    name: String,
    message: String,
  }
  // Object.assign(new TypeError("bad"), {stack: "at x"})
  let error: JsError = from_bytes(&bytes("ff0f72546d2203626164732204617420782e")).unwrap();
  assert_eq!(
    error,
    JsError {
      name: "TypeError".into(),
      message: "bad".into()
    }
  );
}

#[test]
fn strings_and_chars() {
  let strings: Vec<String> =
    from_bytes(&bytes("ff0f410363043dd800de2201e92203787878240003")).unwrap();
  assert_eq!(strings, ["😀", "é", "xxx"]);
  let encoded = to_bytes(&('x', 'ÿ', '😀', "\u{100}")).unwrap();
  // Node: [ 'x', 'ÿ', '😀', 'Ā' ]
  assert_eq!(
    as_node20(&encoded),
    "ff0f41042201782201ff63043dd800de63020001240004"
  );
  assert_eq!(
    from_bytes::<(char, char, char, String)>(&encoded),
    Ok(('x', 'ÿ', '😀', "\u{100}".into()))
  );
}

#[test]
fn unit_and_options() {
  assert_eq!(to_bytes(&()), Ok(bytes("ff1030")));
  assert_eq!(to_bytes(&Some(1u8)), Ok(bytes("ff104902")));
  assert_eq!(from_bytes::<Option<u8>>(&bytes("ff0f5f")), Ok(None)); // undefined
  assert_eq!(from_bytes::<Option<u8>>(&bytes("ff0f30")), Ok(None)); // null
  assert_eq!(from_bytes::<()>(&bytes("ff0f5f")), Ok(()));
  assert!(from_bytes::<()>(&bytes("ff0f54")).is_err());
}

#[test]
fn deep_values_convert_without_overflowing() {
  #[derive(Deserialize)]
  struct Nest(Vec<Nest>);
  let depth = entangle_wire::MAX_DEPTH;
  let mut message = bytes("ff0f");
  message.extend(std::iter::repeat_n([b'A', 1], depth - 1).flatten());
  message.extend([b'A', 0, b'$', 0, 0]);
  message.extend(std::iter::repeat_n([b'$', 0, 1], depth - 1).flatten());
  std::thread::Builder::new()
    .stack_size(2 << 20)
    .spawn(move || {
      fn depth(nest: &Nest) -> usize {
        1 + nest.0.first().map_or(0, depth)
      }
      assert_eq!(
        depth(&from_bytes::<Nest>(&message).unwrap()),
        entangle_wire::MAX_DEPTH
      );
    })
    .unwrap()
    .join()
    .unwrap();
}
