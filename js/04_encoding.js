// Copyright the Entangle authors. MIT license.

/**
 * ext:entangle/04_encoding.js
 *
 * Owns text encoding for the runtime:
 *   - `TextEncoder` and `TextDecoder` (WHATWG Encoding Standard,
 *     https://encoding.spec.whatwg.org/#interface-textdecoder), supporting the
 *     UTF-8, UTF-16LE, UTF-16BE and windows-1252 encodings;
 *   - `atob` / `btoa` (HTML, https://html.spec.whatwg.org/#atob) on top of
 *     Infra's forgiving-base64 (https://infra.spec.whatwg.org/#forgiving-base64);
 *   - internal helpers shared with sibling modules (UTF-8 `utf8Encode` /
 *     `utf8Decode`, `bufferSourceBytes`), which the runtime never exposes to
 *     user code; the WebIDL helpers come from 00_webidl.js.
 *
 * Everything here is plain JavaScript; no ops are used.
 */

import { DOMException } from "ext:entangle/01_dom_exception.js";
import {
  configureInterface,
  dictionaryObject,
  illegalInvocation,
  requiredArguments,
  toDOMString,
  toUSVString,
} from "ext:entangle/00_webidl.js";

// ---------------------------------------------------------------------------
// Captured intrinsics: the getters read an object's real internal slots, so a
// user-defined own `buffer` or `byteLength` property cannot mislead us.
// ---------------------------------------------------------------------------

const ReflectApply = Reflect.apply;
const ObjectGetOwnPropertyDescriptor = Object.getOwnPropertyDescriptor;
const StringFromCharCode = String.fromCharCode;
const ArrayBufferIsView = ArrayBuffer.isView;

function getter(prototype, key) {
  return ObjectGetOwnPropertyDescriptor(prototype, key)?.get;
}

const TypedArrayPrototype = Object.getPrototypeOf(Uint8Array.prototype);
const typedArrayBuffer = getter(TypedArrayPrototype, "buffer");
const typedArrayByteOffset = getter(TypedArrayPrototype, "byteOffset");
const typedArrayByteLength = getter(TypedArrayPrototype, "byteLength");
const typedArrayLength = getter(TypedArrayPrototype, "length");
const typedArrayTag = getter(TypedArrayPrototype, Symbol.toStringTag);
const dataViewBuffer = getter(DataView.prototype, "buffer");
const dataViewByteOffset = getter(DataView.prototype, "byteOffset");
const dataViewByteLength = getter(DataView.prototype, "byteLength");
const arrayBufferByteLength = getter(ArrayBuffer.prototype, "byteLength");
const arrayBufferResizable = getter(ArrayBuffer.prototype, "resizable");
const SharedArrayBufferPrototype = typeof SharedArrayBuffer === "function" ? SharedArrayBuffer.prototype : undefined;
const sharedArrayBufferByteLength = SharedArrayBufferPrototype &&
  getter(SharedArrayBufferPrototype, "byteLength");
const sharedArrayBufferGrowable = SharedArrayBufferPrototype &&
  getter(SharedArrayBufferPrototype, "growable");

// ---------------------------------------------------------------------------
// WebIDL helpers (https://webidl.spec.whatwg.org/#es-type-mapping)
// Internal: also used by 05_blob.js and 06_url.js.
// ---------------------------------------------------------------------------

export function isArrayBuffer(value) {
  try {
    ReflectApply(arrayBufferByteLength, value, []);
    return true;
  } catch {
    return false;
  }
}

export function isSharedArrayBuffer(value) {
  if (sharedArrayBufferByteLength === undefined) return false;
  try {
    ReflectApply(sharedArrayBufferByteLength, value, []);
    return true;
  } catch {
    return false;
  }
}

// True when `buffer` (an ArrayBuffer or SharedArrayBuffer) is not fixed
// length; WebIDL rejects those unless [AllowResizable] is present, which none
// of our APIs use.
function isVariableLength(buffer, shared) {
  return shared
    ? (sharedArrayBufferGrowable !== undefined &&
      ReflectApply(sharedArrayBufferGrowable, buffer, []))
    : (arrayBufferResizable !== undefined &&
      ReflectApply(arrayBufferResizable, buffer, []));
}

/**
 * Converts a WebIDL `BufferSource` (or, with `allowShared`, an
 * `AllowSharedBufferSource`) to a Uint8Array viewing the same bytes, without
 * copying. Throws a TypeError for anything else, for SharedArrayBuffer-backed
 * input when `allowShared` is false, and for resizable/growable buffers.
 * A detached buffer yields an empty view.
 *
 * Internal: shared with 05_blob.js.
 */
export function bufferSourceBytes(value, allowShared, context) {
  let buffer, byteOffset, byteLength;
  if (ArrayBufferIsView(value)) {
    if (ReflectApply(typedArrayTag, value, []) !== undefined) {
      buffer = ReflectApply(typedArrayBuffer, value, []);
      byteOffset = ReflectApply(typedArrayByteOffset, value, []);
      byteLength = ReflectApply(typedArrayByteLength, value, []);
    } else {
      buffer = ReflectApply(dataViewBuffer, value, []);
      byteOffset = ReflectApply(dataViewByteOffset, value, []);
      byteLength = ReflectApply(dataViewByteLength, value, []);
    }
    const shared = isSharedArrayBuffer(buffer);
    if (shared && !allowShared) {
      throw new TypeError(
        `${context}: the ArrayBufferView must not be backed by a SharedArrayBuffer`,
      );
    }
    if (isVariableLength(buffer, shared)) {
      throw new TypeError(
        `${context}: the ArrayBufferView must not be backed by a resizable buffer`,
      );
    }
  } else if (isArrayBuffer(value)) {
    if (isVariableLength(value, false)) {
      throw new TypeError(`${context}: the ArrayBuffer must not be resizable`);
    }
    buffer = value;
    byteOffset = 0;
    byteLength = ReflectApply(arrayBufferByteLength, value, []);
  } else if (allowShared && isSharedArrayBuffer(value)) {
    if (isVariableLength(value, true)) {
      throw new TypeError(
        `${context}: the SharedArrayBuffer must not be growable`,
      );
    }
    buffer = value;
    byteOffset = 0;
    byteLength = ReflectApply(sharedArrayBufferByteLength, value, []);
  } else {
    throw new TypeError(
      `${context}: expected an ArrayBuffer or an ArrayBufferView`,
    );
  }
  // A detached buffer reports a zero length and cannot be viewed.
  if (byteLength === 0) return new Uint8Array(0);
  return new Uint8Array(buffer, byteOffset, byteLength);
}

// ---------------------------------------------------------------------------
// String building
// ---------------------------------------------------------------------------

// Code units are collected in a Uint16Array and turned into string pieces of
// at most CHUNK units (keeps `fromCharCode.apply` well below argument limits).
const CHUNK = 0x2000;

function codeUnitsToString(units, length) {
  return ReflectApply(
    StringFromCharCode,
    null,
    length === units.length ? units : units.subarray(0, length),
  );
}

// Decodes bytes that are all < 0x80 (or that map 1:1 to code units).
function bytesToLatin1String(bytes, start, end) {
  let result = "";
  for (let i = start; i < end; i += CHUNK) {
    result += ReflectApply(
      StringFromCharCode,
      null,
      bytes.subarray(i, Math.min(i + CHUNK, end)),
    );
  }
  return result;
}

// ---------------------------------------------------------------------------
// UTF-8 encoder (https://encoding.spec.whatwg.org/#utf-8-encoder)
// ---------------------------------------------------------------------------

/**
 * UTF-8 encodes a string. Lone surrogates are encoded as U+FFFD, which is the
 * same as converting to a USVString first.
 *
 * Internal: shared with 05_blob.js and 06_url.js.
 */
export function utf8Encode(input) {
  const length = input.length;

  // Fast path: optimistically assume ASCII, one byte per code unit.
  const ascii = new Uint8Array(length);
  let i = 0;
  for (; i < length; i++) {
    const unit = input.charCodeAt(i);
    if (unit >= 0x80) break;
    ascii[i] = unit;
  }
  if (i === length) return ascii;

  // Slow path: measure the rest, then encode it after the ASCII prefix.
  let byteLength = i;
  for (let j = i; j < length; j++) {
    const unit = input.charCodeAt(j);
    if (unit < 0x80) byteLength += 1;
    else if (unit < 0x800) byteLength += 2;
    else if (
      unit >= 0xd800 && unit <= 0xdbff && j + 1 < length &&
      isTrailSurrogate(input.charCodeAt(j + 1))
    ) {
      byteLength += 4;
      j++;
    } else byteLength += 3; // BMP code point, or a lone surrogate as U+FFFD
  }
  const bytes = new Uint8Array(byteLength);
  bytes.set(ascii.subarray(0, i));
  utf8EncodeRange(input, i, length, bytes, i);
  return bytes;
}

function isTrailSurrogate(unit) {
  return unit >= 0xdc00 && unit <= 0xdfff;
}

// Encodes input[start, end) into `bytes` at `offset`; the caller guarantees
// enough room. Returns the new offset.
function utf8EncodeRange(input, start, end, bytes, offset) {
  for (let i = start; i < end; i++) {
    let codePoint = input.charCodeAt(i);
    if (codePoint < 0x80) {
      bytes[offset++] = codePoint;
      continue;
    }
    if (codePoint >= 0xd800 && codePoint <= 0xdfff) {
      const next = i + 1 < end ? input.charCodeAt(i + 1) : 0;
      if (codePoint <= 0xdbff && isTrailSurrogate(next)) {
        codePoint = 0x10000 + ((codePoint - 0xd800) << 10) + (next - 0xdc00);
        i++;
      } else {
        codePoint = 0xfffd;
      }
    }
    offset = writeUtf8CodePoint(codePoint, bytes, offset);
  }
  return offset;
}

function utf8CodePointLength(codePoint) {
  if (codePoint < 0x80) return 1;
  if (codePoint < 0x800) return 2;
  if (codePoint < 0x10000) return 3;
  return 4;
}

// https://encoding.spec.whatwg.org/#utf-8-encoder (steps 3-6)
function writeUtf8CodePoint(codePoint, bytes, offset) {
  if (codePoint < 0x80) {
    bytes[offset++] = codePoint;
  } else if (codePoint < 0x800) {
    bytes[offset++] = 0xc0 | (codePoint >> 6);
    bytes[offset++] = 0x80 | (codePoint & 0x3f);
  } else if (codePoint < 0x10000) {
    bytes[offset++] = 0xe0 | (codePoint >> 12);
    bytes[offset++] = 0x80 | ((codePoint >> 6) & 0x3f);
    bytes[offset++] = 0x80 | (codePoint & 0x3f);
  } else {
    bytes[offset++] = 0xf0 | (codePoint >> 18);
    bytes[offset++] = 0x80 | ((codePoint >> 12) & 0x3f);
    bytes[offset++] = 0x80 | ((codePoint >> 6) & 0x3f);
    bytes[offset++] = 0x80 | (codePoint & 0x3f);
  }
  return offset;
}

// ---------------------------------------------------------------------------
// Decoders. Each has `decode(bytes, flush)` returning a string and keeps
// partial sequences between calls while `flush` is false. In fatal mode an
// error throws a TypeError; otherwise it produces U+FFFD.
// ---------------------------------------------------------------------------

function decodingError(encoding) {
  return new TypeError(`The encoded data is not valid ${encoding}`);
}

// https://encoding.spec.whatwg.org/#utf-8-decoder
class Utf8Decoder {
  #fatal;
  #codePoint = 0;
  #bytesSeen = 0;
  #bytesNeeded = 0;
  #lowerBoundary = 0x80;
  #upperBoundary = 0xbf;

  constructor(fatal) {
    this.#fatal = fatal;
  }

  decode(bytes, flush) {
    const length = bytes.length;
    let i = 0;
    let result = "";

    // Fast path: a leading run of ASCII while no sequence is pending.
    if (this.#bytesNeeded === 0) {
      while (i < length && bytes[i] < 0x80) i++;
      if (i > 0) result = bytesToLatin1String(bytes, 0, i);
      if (i === length && !flush) return result;
    }

    const units = new Uint16Array(Math.min(length - i + 2, CHUNK));
    const limit = units.length - 2; // room for a surrogate pair
    let n = 0;

    for (; i < length; i++) {
      if (n >= limit) {
        result += codeUnitsToString(units, n);
        n = 0;
      }
      const byte = bytes[i];

      if (this.#bytesNeeded === 0) {
        // 3. If bytes needed is 0, based on byte:
        if (byte < 0x80) {
          units[n++] = byte;
        } else if (byte >= 0xc2 && byte <= 0xdf) {
          this.#bytesNeeded = 1;
          this.#codePoint = byte & 0x1f;
        } else if (byte >= 0xe0 && byte <= 0xef) {
          if (byte === 0xe0) this.#lowerBoundary = 0xa0;
          if (byte === 0xed) this.#upperBoundary = 0x9f;
          this.#bytesNeeded = 2;
          this.#codePoint = byte & 0xf;
        } else if (byte >= 0xf0 && byte <= 0xf4) {
          if (byte === 0xf0) this.#lowerBoundary = 0x90;
          if (byte === 0xf4) this.#upperBoundary = 0x8f;
          this.#bytesNeeded = 3;
          this.#codePoint = byte & 0x7;
        } else {
          if (this.#fatal) throw decodingError("UTF-8");
          units[n++] = 0xfffd;
        }
        continue;
      }

      // 4. If byte is not in the range lower boundary to upper boundary:
      if (byte < this.#lowerBoundary || byte > this.#upperBoundary) {
        // 4.1. Reset the decoder state.
        this.#reset();
        // 4.2. Restore byte to the input (processed again below).
        i--;
        // 4.3. Return error.
        if (this.#fatal) throw decodingError("UTF-8");
        units[n++] = 0xfffd;
        continue;
      }

      // 5. Reset the boundaries and accumulate the continuation byte.
      this.#lowerBoundary = 0x80;
      this.#upperBoundary = 0xbf;
      this.#codePoint = (this.#codePoint << 6) | (byte & 0x3f);
      this.#bytesSeen++;
      // 6. Wait for more bytes if the sequence is incomplete.
      if (this.#bytesSeen !== this.#bytesNeeded) continue;

      // 7-9. Emit the code point and reset.
      const codePoint = this.#codePoint;
      this.#reset();
      if (codePoint < 0x10000) {
        units[n++] = codePoint;
      } else {
        units[n++] = 0xd800 + ((codePoint - 0x10000) >> 10);
        units[n++] = 0xdc00 + ((codePoint - 0x10000) & 0x3ff);
      }
    }

    // 1. End of queue with a pending sequence is an error.
    if (flush && this.#bytesNeeded !== 0) {
      this.#reset();
      if (this.#fatal) throw decodingError("UTF-8");
      units[n++] = 0xfffd;
    }
    return result + codeUnitsToString(units, n);
  }

  #reset() {
    this.#codePoint = 0;
    this.#bytesSeen = 0;
    this.#bytesNeeded = 0;
    this.#lowerBoundary = 0x80;
    this.#upperBoundary = 0xbf;
  }
}

// https://encoding.spec.whatwg.org/#shared-utf-16-decoder
class Utf16Decoder {
  #fatal;
  #bigEndian;
  #leadByte = -1;
  #leadSurrogate = -1;

  constructor(fatal, bigEndian) {
    this.#fatal = fatal;
    this.#bigEndian = bigEndian;
  }

  decode(bytes, flush) {
    const length = bytes.length;
    const units = new Uint16Array(Math.min((length >> 1) + 3, CHUNK));
    const limit = units.length - 2;
    let n = 0;
    let result = "";

    for (let i = 0; i < length; i++) {
      if (n >= limit) {
        result += codeUnitsToString(units, n);
        n = 0;
      }
      const byte = bytes[i];
      // 3. Remember the first byte of a code unit.
      if (this.#leadByte === -1) {
        this.#leadByte = byte;
        continue;
      }
      // 4. Combine the two bytes into a code unit.
      const codeUnit = this.#bigEndian ? (this.#leadByte << 8) | byte : (byte << 8) | this.#leadByte;
      this.#leadByte = -1;

      // 5. A pending lead surrogate must be followed by a trail surrogate.
      if (this.#leadSurrogate !== -1) {
        const leadSurrogate = this.#leadSurrogate;
        this.#leadSurrogate = -1;
        if (isTrailSurrogate(codeUnit)) {
          units[n++] = leadSurrogate;
          units[n++] = codeUnit;
          continue;
        }
        // 5.3-5.5. Error; the code unit's bytes are restored to the input,
        // which is the same as processing the code unit afresh below.
        if (this.#fatal) throw decodingError("UTF-16");
        units[n++] = 0xfffd;
      }
      // 6. A lead surrogate waits for its trail surrogate.
      if (codeUnit >= 0xd800 && codeUnit <= 0xdbff) {
        this.#leadSurrogate = codeUnit;
        continue;
      }
      // 7. A lone trail surrogate is an error.
      if (isTrailSurrogate(codeUnit)) {
        if (this.#fatal) throw decodingError("UTF-16");
        units[n++] = 0xfffd;
        continue;
      }
      // 8. Otherwise emit the code unit.
      units[n++] = codeUnit;
    }

    // 1. End of queue with a pending byte or surrogate is an error.
    if (flush && (this.#leadByte !== -1 || this.#leadSurrogate !== -1)) {
      this.#leadByte = -1;
      this.#leadSurrogate = -1;
      if (this.#fatal) throw decodingError("UTF-16");
      units[n++] = 0xfffd;
    }
    return result + codeUnitsToString(units, n);
  }
}

// https://encoding.spec.whatwg.org/index-windows-1252.txt: pointers 0-31
// (bytes 0x80-0x9F); bytes 0xA0-0xFF map to the same code point.
const WINDOWS_1252_HIGH = [
  0x20ac,
  0x0081,
  0x201a,
  0x0192,
  0x201e,
  0x2026,
  0x2020,
  0x2021,
  0x02c6,
  0x2030,
  0x0160,
  0x2039,
  0x0152,
  0x008d,
  0x017d,
  0x008f,
  0x0090,
  0x2018,
  0x2019,
  0x201c,
  0x201d,
  0x2022,
  0x2013,
  0x2014,
  0x02dc,
  0x2122,
  0x0161,
  0x203a,
  0x0153,
  0x009d,
  0x017e,
  0x0178,
];
// (Lookup tables are plain arrays: module state ends up in a V8 startup
// snapshot, and plain arrays are the simplest thing to put there.)
const WINDOWS_1252 = Array.from(
  { length: 256 },
  (_, byte) => byte >= 0x80 && byte < 0xa0 ? WINDOWS_1252_HIGH[byte - 0x80] : byte,
);

// https://encoding.spec.whatwg.org/#single-byte-decoder
// windows-1252 defines every byte, so this decoder never reports an error.
class SingleByteDecoder {
  #table;

  constructor(table) {
    this.#table = table;
  }

  decode(bytes) {
    const table = this.#table;
    const units = new Uint16Array(Math.min(bytes.length, CHUNK));
    let result = "";
    let n = 0;
    for (let i = 0; i < bytes.length; i++) {
      if (n === units.length) {
        result += codeUnitsToString(units, n);
        n = 0;
      }
      units[n++] = table[bytes[i]];
    }
    return result + codeUnitsToString(units, n);
  }
}

/**
 * UTF-8 decodes bytes with replacement (never throws). With `stripBOM`, this
 * is https://encoding.spec.whatwg.org/#utf-8-decode; without it,
 * https://encoding.spec.whatwg.org/#utf-8-decode-without-bom.
 *
 * Internal: shared with 05_blob.js and 06_url.js.
 */
export function utf8Decode(bytes, stripBOM = false) {
  const output = new Utf8Decoder(false).decode(bytes, true);
  if (stripBOM && output.charCodeAt(0) === 0xfeff) return output.slice(1);
  return output;
}

// ---------------------------------------------------------------------------
// Encodings and labels (https://encoding.spec.whatwg.org/#names-and-labels)
// ---------------------------------------------------------------------------

const ENCODING_LABELS = {
  "utf-8": [
    "unicode-1-1-utf-8",
    "unicode11utf8",
    "unicode20utf8",
    "utf-8",
    "utf8",
    "x-unicode20utf8",
  ],
  "utf-16be": ["unicodefffe", "utf-16be"],
  "utf-16le": [
    "csunicode",
    "iso-10646-ucs-2",
    "ucs-2",
    "unicode",
    "unicodefeff",
    "utf-16",
    "utf-16le",
  ],
  "windows-1252": [
    "ansi_x3.4-1968",
    "ascii",
    "cp1252",
    "cp819",
    "csisolatin1",
    "ibm819",
    "iso-8859-1",
    "iso-ir-100",
    "iso8859-1",
    "iso88591",
    "iso_8859-1",
    "iso_8859-1:1987",
    "l1",
    "latin1",
    "us-ascii",
    "windows-1252",
    "x-cp1252",
  ],
};

const LABEL_TO_ENCODING = new Map();
for (const [name, labels] of Object.entries(ENCODING_LABELS)) {
  for (const label of labels) LABEL_TO_ENCODING.set(label, name);
}

// https://encoding.spec.whatwg.org/#concept-encoding-get
// Returns the encoding's name, or undefined for failure.
function getEncoding(label) {
  // 1. Remove any leading and trailing ASCII whitespace from label.
  const trimmed = label.replace(/^[\t\n\f\r ]+|[\t\n\f\r ]+$/g, "");
  // 2. If label is an ASCII case-insensitive match for any of the labels
  //    listed, return the corresponding encoding; otherwise return failure.
  //    (Only ASCII letters are lowered: non-ASCII input must not match.)
  const lowered = trimmed.replace(/[A-Z]+/g, (s) => s.toLowerCase());
  return LABEL_TO_ENCODING.get(lowered);
}

function createDecoder(encoding, fatal) {
  switch (encoding) {
    case "utf-8":
      return new Utf8Decoder(fatal);
    case "utf-16le":
      return new Utf16Decoder(fatal, false);
    case "utf-16be":
      return new Utf16Decoder(fatal, true);
    default:
      return new SingleByteDecoder(WINDOWS_1252);
  }
}

// ---------------------------------------------------------------------------
// TextEncoder (https://encoding.spec.whatwg.org/#interface-textencoder)
// ---------------------------------------------------------------------------

let isTextEncoder;

class TextEncoder {
  // TextEncoder has no state; this field only brands instances.
  #brand = true;

  static {
    isTextEncoder = (value) => typeof value === "object" && value !== null && #brand in value;
  }

  // https://encoding.spec.whatwg.org/#dom-textencoder-encoding
  get encoding() {
    if (!isTextEncoder(this)) throw illegalInvocation();
    return "utf-8";
  }

  // https://encoding.spec.whatwg.org/#dom-textencoder-encode
  encode(input = "") {
    if (!isTextEncoder(this)) throw illegalInvocation();
    // `input` is a USVString; utf8Encode already turns lone surrogates into
    // U+FFFD, so the DOMString conversion is enough here.
    input = toDOMString(input, "Failed to execute 'encode' on 'TextEncoder'");
    return utf8Encode(input);
  }

  // https://encoding.spec.whatwg.org/#dom-textencoder-encodeinto
  encodeInto(source, destination) {
    const context = "Failed to execute 'encodeInto' on 'TextEncoder'";
    if (!isTextEncoder(this)) throw illegalInvocation();
    requiredArguments(arguments.length, 2, context);
    source = toUSVString(source, context);
    // [AllowShared] Uint8Array
    if (
      !ArrayBufferIsView(destination) ||
      ReflectApply(typedArrayTag, destination, []) !== "Uint8Array"
    ) {
      throw new TypeError(`${context}: parameter 2 is not a Uint8Array`);
    }
    const buffer = ReflectApply(typedArrayBuffer, destination, []);
    if (isVariableLength(buffer, isSharedArrayBuffer(buffer))) {
      throw new TypeError(
        `${context}: parameter 2 must not be backed by a resizable buffer`,
      );
    }

    const available = ReflectApply(typedArrayLength, destination, []);
    const sourceLength = source.length;
    // 1. Let read be 0. 2. Let written be 0.
    let read = 0;
    let written = 0;
    // 5. For each scalar value of source:
    while (read < sourceLength) {
      let codePoint = source.charCodeAt(read);
      // Fast path for ASCII.
      if (codePoint < 0x80) {
        if (written === available) break;
        destination[written++] = codePoint;
        read++;
        continue;
      }
      if (codePoint >= 0xd800 && codePoint <= 0xdbff) {
        // `source` is a USVString, so a lead surrogate is always paired.
        codePoint = 0x10000 + ((codePoint - 0xd800) << 10) +
          (source.charCodeAt(read + 1) - 0xdc00);
      }
      // 5.4.1. If there is room for all of the code point's bytes, write
      //        them; 5.4.2. otherwise stop, never writing a partial one.
      const size = utf8CodePointLength(codePoint);
      if (available - written < size) break;
      written = writeUtf8CodePoint(codePoint, destination, written);
      read += codePoint > 0xffff ? 2 : 1;
    }
    // TextEncoderEncodeIntoResult dictionary.
    return { read, written };
  }
}

configureInterface(TextEncoder, "TextEncoder");

// ---------------------------------------------------------------------------
// TextDecoder (https://encoding.spec.whatwg.org/#interface-textdecoder)
// ---------------------------------------------------------------------------

let isTextDecoder;

class TextDecoder {
  #encoding;
  #fatal;
  #ignoreBOM;
  #decoder = null;
  #doNotFlush = false;
  #bomSeen = false;

  static {
    isTextDecoder = (value) => typeof value === "object" && value !== null && #encoding in value;
  }

  // https://encoding.spec.whatwg.org/#dom-textdecoder
  constructor(label = "utf-8", options = undefined) {
    const context = "Failed to construct 'TextDecoder'";
    label = toDOMString(label, context);
    // TextDecoderOptions, members in lexicographic order.
    const dict = dictionaryObject(options, context);
    const fatal = dict === undefined ? false : Boolean(dict.fatal);
    const ignoreBOM = dict === undefined ? false : Boolean(dict.ignoreBOM);

    // 1. Let encoding be the result of getting an encoding from label.
    const encoding = getEncoding(label);
    // 2. If encoding is failure or replacement, throw a RangeError.
    if (encoding === undefined) {
      throw new RangeError(
        `${context}: the encoding label "${label}" is not supported`,
      );
    }
    // 3. Set this's encoding to encoding.
    this.#encoding = encoding;
    // 4. If options["fatal"] is true, set this's error mode to "fatal".
    this.#fatal = fatal;
    // 5. Set this's ignore BOM to options["ignoreBOM"].
    this.#ignoreBOM = ignoreBOM;
  }

  // https://encoding.spec.whatwg.org/#dom-textdecoder-encoding
  get encoding() {
    if (!isTextDecoder(this)) throw illegalInvocation();
    return this.#encoding;
  }

  // https://encoding.spec.whatwg.org/#dom-textdecoder-fatal
  get fatal() {
    if (!isTextDecoder(this)) throw illegalInvocation();
    return this.#fatal;
  }

  // https://encoding.spec.whatwg.org/#dom-textdecoder-ignorebom
  get ignoreBOM() {
    if (!isTextDecoder(this)) throw illegalInvocation();
    return this.#ignoreBOM;
  }

  // https://encoding.spec.whatwg.org/#dom-textdecoder-decode
  decode(input = undefined, options = undefined) {
    const context = "Failed to execute 'decode' on 'TextDecoder'";
    if (!isTextDecoder(this)) throw illegalInvocation();
    const bytes = input === undefined ? new Uint8Array(0) : bufferSourceBytes(input, true, context);
    // TextDecodeOptions
    const dict = dictionaryObject(options, context);
    const stream = dict === undefined ? false : Boolean(dict.stream);

    // 1. If do not flush is false, start over with a fresh decoder.
    if (!this.#doNotFlush) {
      this.#decoder = createDecoder(this.#encoding, this.#fatal);
      this.#bomSeen = false;
    }
    // 2. Set do not flush to options["stream"].
    this.#doNotFlush = stream;
    // 3-5. Decode the input; at the end of the queue, flush the decoder
    //      unless streaming. Errors throw a TypeError in fatal mode.
    let output;
    try {
      output = this.#decoder.decode(bytes, !stream);
    } catch (error) {
      // Whatever was pending is dropped; the next call starts afresh.
      this.#doNotFlush = false;
      throw error;
    }
    // Serialize I/O queue (https://encoding.spec.whatwg.org/#concept-td-serialize):
    // for the UTF encodings, unless ignoreBOM, drop a leading U+FEFF once.
    if (
      !this.#ignoreBOM && !this.#bomSeen && output.length > 0 &&
      this.#encoding !== "windows-1252"
    ) {
      this.#bomSeen = true;
      if (output.charCodeAt(0) === 0xfeff) output = output.slice(1);
    }
    return output;
  }
}

configureInterface(TextDecoder, "TextDecoder");

// ---------------------------------------------------------------------------
// Base64: btoa / atob (https://html.spec.whatwg.org/#atob)
// ---------------------------------------------------------------------------

const BASE64_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
const BASE64_ENCODE = Array.from(
  { length: 64 },
  (_, i) => BASE64_ALPHABET.charCodeAt(i),
);
const BASE64_DECODE = Array.from(
  { length: 128 },
  (_, unit) => BASE64_ALPHABET.indexOf(String.fromCharCode(unit)),
);

function invalidCharacter(message) {
  return new DOMException(message, "InvalidCharacterError");
}

/**
 * https://html.spec.whatwg.org/#dom-btoa
 */
export function btoa(data) {
  requiredArguments(arguments.length, 1, "Failed to execute 'btoa'");
  data = toDOMString(data, "Failed to execute 'btoa'");
  const length = data.length;
  // 1. If data contains any code point greater than U+00FF, throw an
  //    "InvalidCharacterError" DOMException.
  for (let i = 0; i < length; i++) {
    if (data.charCodeAt(i) > 0xff) {
      throw invalidCharacter(
        "Failed to execute 'btoa': the string contains characters outside " +
          "of the Latin1 range",
      );
    }
  }
  // 2-3. Forgiving-base64 encode the bytes (each code point is one byte).
  const out = new Uint8Array(Math.ceil(length / 3) * 4);
  let o = 0;
  let i = 0;
  for (; i + 2 < length; i += 3) {
    const triple = (data.charCodeAt(i) << 16) |
      (data.charCodeAt(i + 1) << 8) | data.charCodeAt(i + 2);
    out[o++] = BASE64_ENCODE[triple >> 18];
    out[o++] = BASE64_ENCODE[(triple >> 12) & 0x3f];
    out[o++] = BASE64_ENCODE[(triple >> 6) & 0x3f];
    out[o++] = BASE64_ENCODE[triple & 0x3f];
  }
  const rest = length - i;
  if (rest > 0) {
    const first = data.charCodeAt(i);
    const second = rest === 2 ? data.charCodeAt(i + 1) : 0;
    out[o++] = BASE64_ENCODE[first >> 2];
    out[o++] = BASE64_ENCODE[((first & 0x3) << 4) | (second >> 4)];
    out[o++] = rest === 2 ? BASE64_ENCODE[(second & 0xf) << 2] : 0x3d;
    out[o++] = 0x3d; // "="
  }
  return bytesToLatin1String(out, 0, o);
}

/**
 * https://html.spec.whatwg.org/#dom-atob, using
 * https://infra.spec.whatwg.org/#forgiving-base64-decode
 */
export function atob(data) {
  requiredArguments(arguments.length, 1, "Failed to execute 'atob'");
  data = toDOMString(data, "Failed to execute 'atob'");
  const failure = () =>
    invalidCharacter(
      "Failed to execute 'atob': the string to be decoded is not correctly " +
        "encoded",
    );

  // 1. Remove all ASCII whitespace from data.
  data = data.replace(/[\t\n\f\r ]+/g, "");
  // 2. If data's length divides by 4 leaving no remainder, then remove one or
  //    two trailing U+003D (=) code points, if present.
  let length = data.length;
  if (length % 4 === 0) {
    if (data.charCodeAt(length - 1) === 0x3d) length--;
    if (data.charCodeAt(length - 1) === 0x3d) length--;
  }
  // 3. If data's length divides by 4 leaving a remainder of 1, failure.
  if (length % 4 === 1) throw failure();

  // 4. Every remaining code point must be in the base64 alphabet.
  // 5-8. Accumulate 6 bits per code point and emit a byte for every 8 bits;
  //      at the end, 12 or 18 buffered bits lose their last 4 or 2 bits.
  const out = new Uint8Array(Math.floor(length * 3 / 4));
  let o = 0;
  let buffer = 0;
  let bits = 0;
  for (let i = 0; i < length; i++) {
    const unit = data.charCodeAt(i);
    const value = unit < 128 ? BASE64_DECODE[unit] : -1;
    if (value === -1) throw failure();
    buffer = ((buffer << 6) | value) & 0xffff; // only the low bits matter
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[o++] = (buffer >> bits) & 0xff;
    }
  }
  // 9. Return output (as a string with one code unit per byte).
  return bytesToLatin1String(out, 0, o);
}

export { TextDecoder, TextEncoder };
