//! The decoder: message bytes to [`Value`], following V8's
//! `ValueDeserializer` tag by tag, including its object ids.
//!
//! Hostile input is expected. Every length is checked against the bytes
//! left before anything is allocated, nesting stops at [`MAX_DEPTH`], and
//! the copies back-references make are bounded (see [`decode()`]).
//!
//! Back-references name objects by id, in the order V8 begins reading them.
//! Copying every finished object in case it is referenced later would cost
//! a copy per nesting level, so decoding runs once without copies, noting
//! which ids are referenced, and, only if any are, once more keeping copies
//! of just those objects.

mod containers;

use crate::error::Error;
use crate::format::*;
use crate::key::Key;
use crate::reader::Reader;
use crate::value::{BigInt, Value, View};
use crate::MAX_DEPTH;

/// Decodes one message: the version header and one value.
///
/// Versions [`OLDEST_READ_VERSION`](crate::OLDEST_READ_VERSION) to
/// [`LATEST_READ_VERSION`](crate::LATEST_READ_VERSION) (13 to 16) are read.
/// Trailing bytes other than padding are an error. Back-references are resolved by copying the referenced value; the
/// copies may take at most 16 times the message length or 16 MiB of memory,
/// whichever is more, so a small message cannot expand into a huge tree. A
/// reference to an object that contains it (a cycle) is an error.
pub fn decode(bytes: &[u8]) -> Result<Value, Error> {
  let (value, referenced) = Decoder::new(bytes, Vec::new()).run()?;
  if !referenced.contains(&true) {
    return Ok(value);
  }
  Decoder::new(bytes, referenced)
    .run()
    .map(|(value, _)| value)
}

/// Memory budget for back-reference copies: this many times the message
/// length...
const COPY_FACTOR: usize = 16;
/// ...or this many bytes, whichever is more.
const MIN_COPY_BUDGET: usize = 16 << 20;

/// What a view needs to know about the buffer it follows.
#[derive(Clone, Copy)]
enum Buffer {
  Fixed(u32),
  Resizable(u32),
  Transferred,
  Shared,
}

/// An object id's state.
enum Slot {
  /// Begun, not finished: a reference to it is a cycle.
  Pending,
  /// Finished. `value` is kept only if the first pass saw it referenced.
  Done {
    buffer: Option<Buffer>,
    value: Option<Value>,
  },
}

struct Decoder<'a> {
  reader: Reader<'a>,
  version: u32,
  /// Containers currently open.
  depth: usize,
  objects: Vec<Slot>,
  /// Ids whose values to keep for back-references.
  keep: Vec<bool>,
  /// Ids referenced whose values were not kept.
  referenced: Vec<bool>,
  /// Bytes left for copies.
  budget: usize,
}

impl<'a> Decoder<'a> {
  fn new(bytes: &'a [u8], keep: Vec<bool>) -> Self {
    Decoder {
      reader: Reader::new(bytes),
      version: 0,
      depth: 0,
      objects: Vec::new(),
      keep,
      referenced: Vec::new(),
      budget: bytes.len().saturating_mul(COPY_FACTOR).max(MIN_COPY_BUDGET),
    }
  }

  /// Decodes the message; also returns which ids were referenced but not kept.
  fn run(mut self) -> Result<(Value, Vec<bool>), Error> {
    if self.reader.byte()? != VERSION_TAG {
      return Err(Error::invalid(0, "missing version header (0xFF)"));
    }
    self.version = self.reader.varint()?;
    if !(crate::OLDEST_READ_VERSION..=crate::LATEST_READ_VERSION).contains(&self.version) {
      return Err(Error::UnsupportedVersion(self.version));
    }
    let value = self.value()?;
    if self.reader.peek_tag().is_some() {
      return Err(Error::invalid(
        self.reader.at(),
        "trailing data after the value",
      ));
    }
    Ok((value, self.referenced))
  }

  /// One value. Containers are dispatched here and everything else in
  /// [`leaf`](Self::leaf), which keeps the frames of this recursion small.
  fn value(&mut self) -> Result<Value, Error> {
    let tag = self.reader.value_tag()?;
    let at = self.reader.at() - 1;
    match tag {
      BEGIN_OBJECT => self.object(at),
      BEGIN_DENSE_ARRAY => self.dense_array(at),
      BEGIN_SPARSE_ARRAY => self.sparse_array(at),
      BEGIN_MAP => self.map(),
      BEGIN_SET => self.set(),
      ERROR => self.error(),
      _ => self.leaf(tag, at),
    }
  }

  /// A value with no values inside, except a view's buffer.
  fn leaf(&mut self, tag: u8, at: usize) -> Result<Value, Error> {
    let (value, buffer) = match tag {
      ARRAY_BUFFER | RESIZABLE_ARRAY_BUFFER | ARRAY_BUFFER_TRANSFER | SHARED_ARRAY_BUFFER => {
        let (value, buffer) = self.buffer(tag, at)?;
        (value, Some(buffer))
      }
      OBJECT_REFERENCE => self.reference(at)?,
      _ => (self.scalar(tag, at)?, None),
    };
    // As in V8, a view follows the buffer it views, wherever a value is read.
    if let Some(buffer) = buffer {
      let at = self.reader.at();
      if self.reader.eat_tag(ARRAY_BUFFER_VIEW) {
        return self.view(value, buffer, at);
      }
    }
    Ok(value)
  }

  /// A primitive, or an object with nothing inside.
  fn scalar(&mut self, tag: u8, at: usize) -> Result<Value, Error> {
    Ok(match tag {
      UNDEFINED => Value::Undefined,
      NULL => Value::Null,
      TRUE => Value::Bool(true),
      FALSE => Value::Bool(false),
      INT32 => Value::Int(self.reader.zigzag()?),
      UINT32 => {
        let n = self.reader.varint()?;
        i32::try_from(n).map_or(Value::Number(n.into()), Value::Int)
      }
      DOUBLE => Value::Number(self.reader.double()?),
      BIGINT => Value::BigInt(self.bigint()?),
      UTF8_STRING | ONE_BYTE_STRING | TWO_BYTE_STRING => Value::String(self.string_body(tag)?),
      DATE => {
        let date = Value::Date(self.reader.double()?);
        self.childless(date)?
      }
      TRUE_OBJECT => self.childless(Value::BooleanObject(true))?,
      FALSE_OBJECT => self.childless(Value::BooleanObject(false))?,
      NUMBER_OBJECT => {
        let number = Value::NumberObject(self.reader.double()?);
        self.childless(number)?
      }
      BIGINT_OBJECT => {
        let bigint = Value::BigIntObject(self.bigint()?);
        self.childless(bigint)?
      }
      STRING_OBJECT => {
        let string = Value::StringObject(self.string()?);
        self.childless(string)?
      }
      REGEXP => self.regexp()?,
      HOST_OBJECT => return Err(unrepresentable("host objects (MessagePort, Blob, ...)", at)),
      SHARED_OBJECT => return Err(unrepresentable("shared JavaScript objects", at)),
      WASM_MODULE_TRANSFER => return Err(unrepresentable("WebAssembly modules", at)),
      WASM_MEMORY_TRANSFER => return Err(unrepresentable("WebAssembly memories", at)),
      _ => return Err(Error::UnknownTag { tag, at }),
    })
  }

  /// Gives the next object its id, as V8 does when it begins reading one.
  fn begin(&mut self) -> usize {
    self.objects.push(Slot::Pending);
    self.objects.len() - 1
  }

  /// Marks object `id` finished, keeping a copy if it will be referenced.
  fn finish(&mut self, id: usize, value: &Value, buffer: Option<Buffer>) -> Result<(), Error> {
    let keep = self.keep.get(id).copied().unwrap_or(false);
    let kept = if keep {
      Some(copy(value, &mut self.budget, self.reader.at(), usize::MAX)?)
    } else {
      None
    };
    self.objects[id] = Slot::Done {
      buffer,
      value: kept,
    };
    Ok(())
  }

  /// Finishes object `id` as `value`, which it returns.
  fn close(&mut self, id: usize, value: Value) -> Result<Value, Error> {
    self.finish(id, &value, None)?;
    Ok(value)
  }

  /// An object with nothing inside: begun and finished at once.
  fn childless(&mut self, value: Value) -> Result<Value, Error> {
    let id = self.begin();
    self.close(id, value)
  }

  /// Opens a container. Callers close it with `self.depth -= 1` when it
  /// is read; after an error the decoder is discarded, so there is no need.
  fn enter(&mut self) -> Result<(), Error> {
    if self.depth >= MAX_DEPTH {
      return Err(Error::TooDeep(MAX_DEPTH));
    }
    self.depth += 1;
    Ok(())
  }

  fn reference(&mut self, at: usize) -> Result<(Value, Option<Buffer>), Error> {
    let id = self.reader.varint()? as usize;
    let (buffer, kept) = match self.objects.get(id) {
      None => {
        return Err(Error::invalid(
          at,
          format!("reference to unknown object {id}"),
        ))
      }
      Some(Slot::Pending) => return Err(Error::Cycle { at }),
      Some(Slot::Done { buffer, value }) => (*buffer, value.as_ref()),
    };
    let Some(kept) = kept else {
      if self.referenced.len() <= id {
        self.referenced.resize(id + 1, false);
      }
      self.referenced[id] = true;
      return Ok((Value::Undefined, buffer));
    };
    let copy = copy(kept, &mut self.budget, at, MAX_DEPTH - self.depth)?;
    Ok((copy, buffer))
  }

  fn bigint(&mut self) -> Result<BigInt, Error> {
    let at = self.reader.at();
    let bitfield = self.reader.varint()?;
    // Bit 0 is the sign, bits 1 to 30 the byte length (V8's BigInt bitfield).
    let negative = bitfield & 1 != 0;
    let byte_length = ((bitfield >> 1) & ((1 << 30) - 1)) as usize;
    if byte_length > MAX_BIGINT_BYTES {
      return Err(Error::invalid(
        at,
        format!("BigInt of {byte_length} bytes is over V8's limit"),
      ));
    }
    if byte_length == 0 && negative {
      return Err(Error::invalid(at, "BigInt -0"));
    }
    let bytes = self.reader.take(byte_length)?;
    let mut bigint = BigInt {
      negative,
      digits: bytes
        .chunks(8)
        .map(|chunk| {
          let mut digit = [0; 8];
          digit[..chunk.len()].copy_from_slice(chunk);
          u64::from_le_bytes(digit)
        })
        .collect(),
    };
    bigint.digits.truncate(bigint.significant_digits().len());
    bigint.negative &= !bigint.digits.is_empty();
    Ok(bigint)
  }

  fn string_body(&mut self, tag: u8) -> Result<String, Error> {
    match tag {
      ONE_BYTE_STRING => self.reader.one_byte_string(),
      TWO_BYTE_STRING => self.reader.two_byte_string(),
      _ => self.reader.utf8_string(),
    }
  }

  /// A value that must be a string.
  fn string(&mut self) -> Result<String, Error> {
    let tag = self.reader.value_tag()?;
    match tag {
      UTF8_STRING | ONE_BYTE_STRING | TWO_BYTE_STRING => self.string_body(tag),
      _ => Err(Error::invalid(self.reader.at() - 1, "expected a string")),
    }
  }

  /// A property key: a string or a number.
  fn key(&mut self) -> Result<Key, Error> {
    let tag = self.reader.value_tag()?;
    Ok(match tag {
      UTF8_STRING | ONE_BYTE_STRING | TWO_BYTE_STRING => Key::from(self.string_body(tag)?),
      INT32 => Key::from_integer(self.reader.zigzag()?.into()),
      UINT32 => Key::from_integer(self.reader.varint()?.into()),
      DOUBLE => Key::from_number(self.reader.double()?),
      _ => {
        return Err(Error::invalid(
          self.reader.at() - 1,
          "property key is neither string nor number",
        ))
      }
    })
  }

  fn regexp(&mut self) -> Result<Value, Error> {
    let id = self.begin();
    let source = self.string()?;
    let at = self.reader.at();
    let bits = self.reader.varint()?;
    let flags = regexp_flags(bits)
      .ok_or_else(|| Error::invalid(at, format!("RegExp flags {bits:#x} are not valid")))?;
    self.close(id, Value::RegExp { source, flags })
  }

  fn buffer(&mut self, tag: u8, at: usize) -> Result<(Value, Buffer), Error> {
    let id = self.begin();
    let (value, buffer) = match tag {
      ARRAY_BUFFER => {
        let byte_length = self.reader.varint()?;
        let bytes = self.reader.take(byte_length as usize)?.to_vec();
        (Value::ArrayBuffer(bytes), Buffer::Fixed(byte_length))
      }
      RESIZABLE_ARRAY_BUFFER => {
        let byte_length = self.reader.varint()?;
        let max_byte_length = self.reader.varint()?;
        if byte_length > max_byte_length {
          return Err(Error::invalid(
            at,
            "resizable ArrayBuffer longer than its maximum",
          ));
        }
        let bytes = self.reader.take(byte_length as usize)?.to_vec();
        (
          Value::ResizableArrayBuffer {
            bytes,
            max_byte_length,
          },
          Buffer::Resizable(byte_length),
        )
      }
      ARRAY_BUFFER_TRANSFER => (
        Value::Transferred(self.reader.varint()?),
        Buffer::Transferred,
      ),
      _ => (
        Value::SharedArrayBuffer(self.reader.varint()?),
        Buffer::Shared,
      ),
    };
    self.finish(id, &value, Some(buffer))?;
    Ok((value, buffer))
  }

  /// The view that follows `buffer`; the view tag is already consumed.
  fn view(&mut self, buffer: Value, kind_of_buffer: Buffer, at: usize) -> Result<Value, Error> {
    let tag = self.reader.varint()?;
    let byte_offset = self.reader.varint()?;
    let byte_length = self.reader.varint()?;
    let flags = if self.version >= 14 {
      self.reader.varint()?
    } else {
      0
    };
    let kind = view_kind(tag)
      .ok_or_else(|| Error::invalid(at, format!("unknown view sub-tag {tag:#04x}")))?;
    if let Buffer::Fixed(buffer_length) | Buffer::Resizable(buffer_length) = kind_of_buffer {
      if byte_offset > buffer_length || byte_length > buffer_length - byte_offset {
        return Err(Error::invalid(
          at,
          "view reaches past the end of its buffer",
        ));
      }
    }
    let size = kind.element_size();
    if !byte_offset.is_multiple_of(size) || !byte_length.is_multiple_of(size) {
      return Err(Error::invalid(
        at,
        format!("view not aligned to its {size}-byte elements"),
      ));
    }
    let length_tracking = flags & VIEW_LENGTH_TRACKING != 0;
    let backed_by_resizable = flags & VIEW_BACKED_BY_RAB != 0;
    let flags_fit = match kind_of_buffer {
      Buffer::Fixed(_) => !length_tracking && !backed_by_resizable,
      Buffer::Resizable(_) => backed_by_resizable,
      Buffer::Shared => !backed_by_resizable,
      Buffer::Transferred => true,
    };
    if !flags_fit {
      return Err(Error::invalid(
        at,
        format!("view flags {flags:#x} do not fit its buffer"),
      ));
    }
    let value = Value::View(View {
      kind,
      buffer: Box::new(buffer),
      byte_offset,
      byte_length,
      length_tracking,
      backed_by_resizable,
    });
    self.childless(value)
  }
}

/// A copy of `value` for a back-reference, charged to `budget`; `at` is
/// where the copy was asked for. The copy may be at most `max_height`
/// containers deep.
fn copy(value: &Value, budget: &mut usize, at: usize, max_height: usize) -> Result<Value, Error> {
  let extent = value
    .extent(*budget)
    .ok_or_else(|| Error::invalid(at, "back-references copy more data than the decoder allows"))?;
  if extent.height > max_height {
    return Err(Error::TooDeep(MAX_DEPTH));
  }
  *budget -= extent.weight;
  Ok(value.clone())
}

fn unrepresentable(what: &'static str, at: usize) -> Error {
  Error::NotRepresentable { what, at }
}
