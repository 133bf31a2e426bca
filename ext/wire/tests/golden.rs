//! Golden vectors: bytes Node.js 20 (V8 11.3, format version 15) wrote with
//! `new v8.Serializer()`, `writeHeader()`, `writeValue(x)`. `decode` must
//! read them, and `encode` must write the same bytes for the same value.

mod common;

use common::{bytes, encoded};
use entangle_wire::{
  decode, encode, BigInt, Error, ErrorKind, JsError, Key, Value, View, ViewKind,
};

fn s(text: &str) -> Value {
  Value::String(text.into())
}

fn object(properties: Vec<(&str, Value)>) -> Value {
  Value::Object(
    properties
      .into_iter()
      .map(|(key, value)| (Key::from(key), value))
      .collect(),
  )
}

fn sparse(length: u32, elements: Vec<(u32, Value)>) -> Value {
  let properties = elements
    .into_iter()
    .map(|(index, value)| (Key::Index(index), value))
    .collect();
  Value::SparseArray { length, properties }
}

fn view(kind: ViewKind, buffer: Value, byte_offset: u32, byte_length: u32) -> Value {
  Value::View(View {
    kind,
    buffer: Box::new(buffer),
    byte_offset,
    byte_length,
    length_tracking: false,
    backed_by_resizable: false,
  })
}

fn bigint(n: i128) -> Value {
  Value::BigInt(BigInt::from(n))
}

fn error(
  kind: ErrorKind,
  message: Option<&str>,
  stack: Option<&str>,
  cause: Option<Value>,
) -> Value {
  Value::Error(Box::new(JsError {
    kind,
    message: message.map(Into::into),
    stack: stack.map(Into::into),
    cause,
  }))
}

/// Values V8 writes exactly as `encode` does: (JavaScript, V8's bytes, value).
fn exact_cases() -> Vec<(&'static str, &'static str, Value)> {
  let two_to_the_100 = BigInt {
    negative: false,
    digits: vec![0, 1 << 36],
  };
  vec![
    ("undefined", "ff0f5f", Value::Undefined),
    ("1.5", "ff0f4e000000000000f83f", Value::Number(1.5)),
    ("2**31", "ff0f4e000000000000e041", Value::Number(2147483648.0)),
    ("-0", "ff0f4e0000000000000080", Value::Number(-0.0)),
    ("[-(2**31), 2**31-1]", "ff0f410249ffffffff0f49feffffff0f240002", Value::Array(vec![
      Value::Int(i32::MIN),
      Value::Int(i32::MAX),
    ])),
    ("1n", "ff0f5a100100000000000000", bigint(1)),
    ("-1n", "ff0f5a110100000000000000", bigint(-1)),
    ("0n", "ff0f5a00", bigint(0)),
    ("2n**64n", "ff0f5a2000000000000000000100000000000000", bigint(1 << 64)),
    (
      "[2n**100n, -(2n**64n)]",
      "ff0f41025a20000000000000000000000000100000005a2100000000000000000100000000000000240002",
      Value::Array(vec![Value::BigInt(two_to_the_100), bigint(-(1 << 64))]),
    ),
    ("'héllo'", "ff0f220568e96c6c6f", s("héllo")),
    ("'\\xff\\0a'", "ff0f2203ff0061", s("\u{ff}\0a")),
    ("'héllo€'", "ff0f630c6800e9006c006c006f00ac20", s("héllo€")),
    ("'😀'", "ff0f63043dd800de", s("😀")),
    ("{ab: '€'} (padding)", "ff0f6f22026162006302ac207b01", object(vec![("ab", s("€"))])),
    ("{a:1,b:[1,'x']}", "ff0f6f2201614902220162410249022201782400027b02", {
      object(vec![("a", Value::Int(1)), ("b", Value::Array(vec![Value::Int(1), s("x")]))])
    }),
    ("{}", "ff0f6f7b00", object(vec![])),
    ("{1:'a', b:2}", "ff0f6f490222016122016249047b02", object(vec![("1", s("a")), ("b", Value::Int(2))])),
    ("{1073741824: 1}", "ff0f6f49808080800849027b01", object(vec![("1073741824", Value::Int(1))])),
    (
      "{'-1':1, '1.5':2, '4294967295':3, '4294967294':4}",
      "ff0f6f4e0000c0ffffffef41490822022d3149022203312e354904220a3432393439363732393549067b04",
      object(vec![
        ("4294967294", Value::Int(4)),
        ("-1", Value::Int(1)),
        ("1.5", Value::Int(2)),
        ("4294967295", Value::Int(3)),
      ]),
    ),
    ("JSON.parse('{\"__proto__\": 1}')", "ff0f6f22095f5f70726f746f5f5f49027b01", {
      object(vec![("__proto__", Value::Int(1))])
    }),
    (
      "{n: null, u: undefined, t: true, f: false, d: 0.5, neg: -7, s: 'ü', arr: [], m: new Map(), st: new Set()}",
      "ff0f6f22016e302201755f22017454220166462201644e000000000000e03f22036e6567490d2201732201fc2203617272410024000022016d3b3a0022027374272c007b0a",
      object(vec![
        ("n", Value::Null),
        ("u", Value::Undefined),
        ("t", Value::Bool(true)),
        ("f", Value::Bool(false)),
        ("d", Value::Number(0.5)),
        ("neg", Value::Int(-7)),
        ("s", s("ü")),
        ("arr", Value::Array(vec![])),
        ("m", Value::Map(vec![])),
        ("st", Value::Set(vec![])),
      ]),
    ),
    ("[undefined]", "ff0f41015f240001", Value::Array(vec![Value::Undefined])),
    ("[[[]]]", "ff0f410141014100240000240001240001", {
      Value::Array(vec![Value::Array(vec![Value::Array(vec![])])])
    }),
    ("[1,,3]", "ff0f61034900490249044906400203", sparse(3, vec![(0, Value::Int(1)), (2, Value::Int(3))])),
    ("new Array(4)", "ff0f6104400004", sparse(4, vec![])),
    ("new Array(3).fill(0)", "ff0f6103490049004902490049044900400303", {
      sparse(3, vec![(0, Value::Int(0)), (1, Value::Int(0)), (2, Value::Int(0))])
    }),
    ("new Map([[1,'a']])", "ff0f3b49022201613a02", Value::Map(vec![(Value::Int(1), s("a"))])),
    ("new Map([[{}, []]])", "ff0f3b6f7b0041002400003a02", {
      Value::Map(vec![(object(vec![]), Value::Array(vec![]))])
    }),
    ("new Set([1,2])", "ff0f27490249042c02", Value::Set(vec![Value::Int(1), Value::Int(2)])),
    ("new Date(0)", "ff0f440000000000000000", Value::Date(0.0)),
    ("new Date(1700000000000)", "ff0f4400008056febc7842", Value::Date(1.7e12)),
    ("new Boolean(true)", "ff0f79", Value::BooleanObject(true)),
    ("new Number(1.5)", "ff0f6e000000000000f83f", Value::NumberObject(1.5)),
    ("Object(1n)", "ff0f7a100100000000000000", Value::BigIntObject(BigInt::from(1i128))),
    ("new String('s')", "ff0f73220173", Value::StringObject("s".into())),
    ("new String('€')", "ff0f73006302ac20", Value::StringObject("€".into())),
    ("/a/gimsuyd", "ff0f52220161bf01", Value::RegExp { source: "a".into(), flags: "dgimsuy".into() }),
    ("/a/v", "ff0f522201618002", Value::RegExp { source: "a".into(), flags: "v".into() }),
    ("/€/", "ff0f52006302ac2000", Value::RegExp { source: "€".into(), flags: "".into() }),
    ("new ArrayBuffer(2)", "ff0f42020000", Value::ArrayBuffer(vec![0, 0])),
    ("new ArrayBuffer(2, {maxByteLength: 8})", "ff0f7e02080000", {
      Value::ResizableArrayBuffer { bytes: vec![0, 0], max_byte_length: 8 }
    }),
    ("new Uint8Array([1,2,3])", "ff0f42030102035642000300", {
      Value::View(View::uint8_array(vec![1, 2, 3]))
    }),
    ("new Uint8Array([1,2,3,4]).subarray(1,3)", "ff0f4204010203045642010200", {
      view(ViewKind::Uint8Array, Value::ArrayBuffer(vec![1, 2, 3, 4]), 1, 2)
    }),
    ("{a: new Uint8Array(new ArrayBuffer(4), 1, 2)}", "ff0f6f22016142040000000056420102007b01", {
      object(vec![("a", view(ViewKind::Uint8Array, Value::ArrayBuffer(vec![0; 4]), 1, 2))])
    }),
    ("new Uint8ClampedArray([1])", "ff0f4201015643000100", {
      view(ViewKind::Uint8ClampedArray, Value::ArrayBuffer(vec![1]), 0, 1)
    }),
    ("new Uint16Array([1])", "ff0f420201005657000200", {
      view(ViewKind::Uint16Array, Value::ArrayBuffer(vec![1, 0]), 0, 2)
    }),
    ("new Int16Array([1])", "ff0f420201005677000200", {
      view(ViewKind::Int16Array, Value::ArrayBuffer(vec![1, 0]), 0, 2)
    }),
    ("new Uint32Array([1])", "ff0f4204010000005644000400", {
      view(ViewKind::Uint32Array, Value::ArrayBuffer(vec![1, 0, 0, 0]), 0, 4)
    }),
    ("new Int32Array([1])", "ff0f4204010000005664000400", {
      view(ViewKind::Int32Array, Value::ArrayBuffer(vec![1, 0, 0, 0]), 0, 4)
    }),
    ("new Float32Array([1])", "ff0f42040000803f5666000400", {
      view(ViewKind::Float32Array, Value::ArrayBuffer(1f32.to_le_bytes().to_vec()), 0, 4)
    }),
    ("new Float64Array([1.5])", "ff0f4208000000000000f83f5646000800", {
      view(ViewKind::Float64Array, Value::ArrayBuffer(1.5f64.to_le_bytes().to_vec()), 0, 8)
    }),
    ("new BigInt64Array([1n])", "ff0f420801000000000000005671000800", {
      view(ViewKind::BigInt64Array, Value::ArrayBuffer(1u64.to_le_bytes().to_vec()), 0, 8)
    }),
    ("new BigUint64Array([1n])", "ff0f420801000000000000005651000800", {
      view(ViewKind::BigUint64Array, Value::ArrayBuffer(1u64.to_le_bytes().to_vec()), 0, 8)
    }),
    ("new DataView(new ArrayBuffer(2))", "ff0f42020000563f000200", {
      view(ViewKind::DataView, Value::ArrayBuffer(vec![0, 0]), 0, 2)
    }),
    (
      "new Uint8Array(new ArrayBuffer(4, {maxByteLength: 8}))",
      "ff0f7e0408000000005642000403",
      Value::View(View {
        kind: ViewKind::Uint8Array,
        buffer: Box::new(Value::ResizableArrayBuffer { bytes: vec![0; 4], max_byte_length: 8 }),
        byte_offset: 0,
        byte_length: 4,
        length_tracking: true,
        backed_by_resizable: true,
      }),
    ),
    (
      "new Uint8Array(new ArrayBuffer(4, {maxByteLength: 8}), 0, 2)",
      "ff0f7e0408000000005642000202",
      Value::View(View {
        kind: ViewKind::Uint8Array,
        buffer: Box::new(Value::ResizableArrayBuffer { bytes: vec![0; 4], max_byte_length: 8 }),
        byte_offset: 0,
        byte_length: 2,
        length_tracking: false,
        backed_by_resizable: true,
      }),
    ),
    ("new Error() (stack not a string)", "ff0f722e", error(ErrorKind::Error, None, None, None)),
    ("e = new Error('x'); e.name = 'Custom'; e.stack = 's'", "ff0f726d220178732201732e", {
      error(ErrorKind::Error, Some("x"), Some("s"), None)
    }),
  ]
}

#[test]
fn decodes_what_v8_writes() {
  for (js, hex, value) in exact_cases() {
    assert_eq!(decode(&bytes(hex)), Ok(value), "{js}");
  }
}

#[test]
fn encodes_what_v8_writes() {
  for (js, hex, value) in exact_cases() {
    assert_eq!(self::encoded(&value).unwrap(), hex, "{js}");
  }
}

#[test]
fn nan_decodes_as_nan() {
  let Ok(Value::Number(n)) = decode(&bytes("ff0f4e000000000000f87f")) else {
    panic!()
  };
  assert!(n.is_nan());
  let Ok(Value::Date(time)) = decode(&bytes("ff0f44000000000000f87f")) else {
    panic!()
  };
  assert!(time.is_nan(), "new Date(NaN)");
}

#[test]
fn back_references_copy_the_object() {
  // const b = new ArrayBuffer(1); [new Uint8Array(b), new Int8Array(b), b]
  let value = decode(&bytes("ff0f410342010056420001005e0156620001005e01240003")).unwrap();
  let buffer = Value::ArrayBuffer(vec![0]);
  assert_eq!(
    value,
    Value::Array(vec![
      view(ViewKind::Uint8Array, buffer.clone(), 0, 1),
      view(ViewKind::Int8Array, buffer.clone(), 0, 1),
      buffer,
    ])
  );
  // const o = {}; [o, o]
  let value = decode(&bytes("ff0f41026f7b005e01240002")).unwrap();
  assert_eq!(value, Value::Array(vec![object(vec![]), object(vec![])]));
}

#[test]
fn dense_array_with_named_properties_becomes_sparse() {
  // const a = [1, 2]; a.x = 1; a
  let value = decode(&bytes("ff0f4102490249042201784902240102")).unwrap();
  let expected = Value::SparseArray {
    length: 2,
    properties: vec![
      (Key::Index(0), Value::Int(1)),
      (Key::Index(1), Value::Int(2)),
      (Key::from("x"), Value::Int(1)),
    ],
  };
  assert_eq!(value, expected);
  // What `encode` writes instead, which Node reads back as `[1, 2, x: 1]`.
  assert_eq!(
    encoded(&expected).unwrap(),
    "ff0f6102490049024902490422017849024003 02".replace(' ', "")
  );
}

#[test]
fn sparse_array_grows_to_its_highest_index() {
  // 'a' length 3 with index 5, which Node reads as `[<5 empty items>, 1]`.
  let value = decode(&bytes("ff0f6103490a4902400103")).unwrap();
  assert_eq!(value, sparse(6, vec![(5, Value::Int(1))]));
}

#[test]
fn errors_read_in_either_sub_tag_order() {
  let expected = error(
    ErrorKind::RangeError,
    Some("m"),
    Some("S"),
    Some(Value::Int(5)),
  );
  // Node 20 writes the cause before the stack...
  assert_eq!(
    decode(&bytes("ff0f72526d22016d63490a732201532e")),
    Ok(expected.clone())
  );
  // ...current V8 after it, and so does `encode`; Node 20 reads both.
  let current = "ff0f72526d22016d7322015363490a2e";
  assert_eq!(decode(&bytes(current)), Ok(expected.clone()));
  assert_eq!(encoded(&expected).unwrap(), current);
  // e = new Error('x', {cause: new TypeError('y')}); stacks 's1' and 's2'.
  let nested = decode(&bytes(
    "ff0f6f220165726d2201786372546d22017973220273322e73220273312e7b01",
  ));
  let cause = error(ErrorKind::TypeError, Some("y"), Some("s2"), None);
  assert_eq!(
    nested,
    Ok(object(vec![(
      "e",
      error(ErrorKind::Error, Some("x"), Some("s1"), Some(cause))
    )]))
  );
}

#[test]
fn reads_what_node_does_not_write() {
  // Version 13 views have no flags.
  let v13 = decode(&bytes("ff0d42010756420001"));
  assert_eq!(
    v13,
    Ok(view(
      ViewKind::Uint8Array,
      Value::ArrayBuffer(vec![7]),
      0,
      1
    ))
  );
  // UTF-8 strings, padding and object-count tags anywhere a tag is read.
  assert_eq!(
    decode(&bytes("ff0f000053 03e282ac".replace(' ', "").as_str())),
    Ok(s("€"))
  );
  assert_eq!(decode(&bytes("ff0f3f0200220178")), Ok(s("x")));
  // Uint32 numbers.
  assert_eq!(
    decode(&bytes("ff0f55ffffffff0f")),
    Ok(Value::Number(4294967295.0))
  );
  assert_eq!(decode(&bytes("ff0f5505")), Ok(Value::Int(5)));
  // Float16Array (newer V8).
  let half = decode(&bytes("ff0f4202003c5668000200"));
  assert_eq!(
    half,
    Ok(view(
      ViewKind::Float16Array,
      Value::ArrayBuffer(vec![0x00, 0x3C]),
      0,
      2
    ))
  );
  // Holes in a dense array read as undefined.
  assert_eq!(
    decode(&bytes("ff0f410249022d240002")),
    Ok(Value::Array(vec![Value::Int(1), Value::Undefined]))
  );
  // A BigInt whose byte length is not a multiple of 8, with high zero bytes.
  assert_eq!(decode(&bytes("ff0f5a0605000000")), Ok(bigint(5)));
}

#[test]
fn reads_buffers_that_travel_outside_the_message() {
  let value = decode(&bytes("ff0f74005642000400")).unwrap();
  assert_eq!(
    value,
    view(ViewKind::Uint8Array, Value::Transferred(0), 0, 4)
  );
  assert_eq!(encoded(&value).unwrap(), "ff0f74005642000400");
  let Value::View(transferred) = &value else {
    panic!()
  };
  assert_eq!(
    transferred.bytes(),
    None,
    "the bytes are not in the message"
  );
  let Value::View(sub) = decode(&bytes("ff0f4204010203045642010200")).unwrap() else {
    panic!()
  };
  assert_eq!(sub.bytes(), Some(&[2, 3][..]));
  let value = decode(&bytes("ff0f75035642000400")).unwrap();
  assert_eq!(
    value,
    view(ViewKind::Uint8Array, Value::SharedArrayBuffer(3), 0, 4)
  );
  assert_eq!(encoded(&value).unwrap(), "ff0f75035642000400");
}

#[test]
fn rejects_what_v8_rejects() {
  let cases = [
    ("ff0f6f2201614902220161490 47b02", "duplicate key"),
    (
      "ff0f6f4902490222013149047b02",
      "duplicate key as index and string",
    ),
    (
      "ff0f4100 2206 6c656e677468 4902 2401 00",
      "array key \"length\"",
    ),
    ("ff0f6f7b01", "wrong property count"),
    ("ff0f410149022400 02", "wrong array length"),
    ("ff0f3b490249043a03", "wrong map count"),
    ("ff0f5a01", "BigInt -0"),
    ("ff0f52220161c000", "linear RegExp flag"),
    ("ff0f52490200", "RegExp source not a string"),
    ("ff0f4204000000005657010200", "misaligned Uint16Array"),
    ("ff0f4202010056420 10200", "view past its buffer"),
    (
      "ff0f420201005642000201",
      "length-tracking view on a fixed buffer",
    ),
    (
      "ff0f7e02080000564200 0200",
      "view on a resizable buffer without the flag",
    ),
    ("ff0f72582e", "unknown error sub-tag"),
    ("ff0f6f4f7b00", "key that is not a string or number"),
    ("ff0f63030000", "odd two-byte length"),
    ("ff0f5f5f", "trailing data"),
    ("ff11 5f", "version 17"),
    ("5f", "no header"),
  ];
  for (hex, why) in cases {
    let result = decode(&bytes(&hex.replace(' ', "")));
    assert!(result.is_err(), "{why}: {result:?}");
  }
}

#[test]
fn names_what_it_cannot_represent() {
  let host = decode(&bytes("ff0f6f2201615c0100 7b01".replace(' ', "").as_str()));
  assert_eq!(
    host.unwrap_err().to_string(),
    "host objects (MessagePort, Blob, ...) cannot become Rust values (byte 6)"
  );
  // const o = {}; o.o = o
  let cycle = decode(&bytes("ff0f6f22016f5e007b01"));
  assert_eq!(cycle, Err(Error::Cycle { at: 6 }));
  assert!(matches!(
    decode(&bytes("ff0f5e00")),
    Err(Error::Invalid { at: 2, .. })
  ));
}

#[test]
fn refuses_to_encode_what_v8_would_reject() {
  let fixed = |kind, byte_offset, byte_length| View {
    kind,
    buffer: Box::new(Value::ArrayBuffer(vec![0; 8])),
    byte_offset,
    byte_length,
    length_tracking: false,
    backed_by_resizable: false,
  };
  let cases = [
    Value::Object(vec![
      (Key::Index(1), Value::Null),
      (Key::String("1".into()), Value::Null),
    ]),
    Value::SparseArray {
      length: 1,
      properties: vec![(Key::from("length"), Value::Int(1))],
    },
    Value::View(View {
      buffer: Box::new(Value::Null),
      ..fixed(ViewKind::Uint8Array, 0, 1)
    }),
    Value::View(fixed(ViewKind::Uint8Array, 4, 5)),
    Value::View(fixed(ViewKind::Float64Array, 4, 4)),
    Value::View(View {
      length_tracking: true,
      ..fixed(ViewKind::DataView, 0, 8)
    }),
    Value::View(View {
      buffer: Box::new(Value::ResizableArrayBuffer {
        bytes: vec![0; 8],
        max_byte_length: 16,
      }),
      ..fixed(ViewKind::Uint8Array, 0, 8)
    }),
    Value::ResizableArrayBuffer {
      bytes: vec![0; 8],
      max_byte_length: 4,
    },
    Value::RegExp {
      source: "a".into(),
      flags: "gg".into(),
    },
    Value::RegExp {
      source: "a".into(),
      flags: "x".into(),
    },
  ];
  for value in cases {
    assert!(
      matches!(encode(&value), Err(Error::Unencodable(_))),
      "{value:?}"
    );
  }
}
