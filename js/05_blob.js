// Copyright the Entangle authors. MIT license.

/**
 * ext:entangle/05_blob.js
 *
 * Owns `Blob` and `File` (W3C File API, https://w3c.github.io/FileAPI/), and
 * the internal accessors the runtime uses for them (structured clone, blob
 * URLs): `blobBytes`, `blobType`, `isBlob`, `createBlob`, and the File
 * counterparts `isFile`, `fileName`, `fileLastModified`, `createFile`.
 *
 * A Blob's bytes live in one Uint8Array that is never handed to user code and
 * never written after construction, so slices share it instead of copying.
 * `Blob.prototype.stream()` is not provided (there is no ReadableStream).
 */

import { op_brand_host_object } from "ext:core/ops";
import {
  configureInterface,
  dictionaryObject,
  illegalInvocation,
  isObject,
  requiredArguments,
  toDOMString,
  toSequence,
  toUSVString,
} from "ext:entangle/00_webidl.js";
import {
  bufferSourceBytes,
  isArrayBuffer,
  isSharedArrayBuffer,
  utf8Decode,
  utf8Encode,
} from "ext:entangle/04_encoding.js";

// Passed as the first constructor argument by this module only, to build a
// Blob or File from already-validated internal state. User code cannot get
// hold of it.
const kInternal = Symbol("[[internal]]");

// ---------------------------------------------------------------------------
// WebIDL conversions used by the constructors and slice()
// ---------------------------------------------------------------------------

// https://webidl.spec.whatwg.org/#abstract-opdef-converttoint for long long:
// returns the ECMAScript number (exact for |x| <= 2^53).
function toLongLong(value, clamp) {
  // 1-2. ToNumber (throws for BigInt and Symbol).
  let x = +value;
  if (clamp) {
    // [Clamp]: NaN -> 0; clamp to the range; round half to even.
    if (Number.isNaN(x)) return 0;
    x = Math.min(Math.max(x, -(2 ** 63)), 2 ** 63 - 1);
    const floor = Math.floor(x);
    const diff = x - floor;
    if (diff > 0.5 || (diff === 0.5 && floor % 2 !== 0)) x = floor + 1;
    else x = floor;
    return x === 0 ? 0 : x; // no -0
  }
  // Neither [Clamp] nor [EnforceRange]: NaN/Infinity -> 0; truncate; wrap
  // modulo 2^64 into the signed range.
  if (!Number.isFinite(x)) return 0;
  x = Math.trunc(x);
  if (Number.isSafeInteger(x)) return x === 0 ? 0 : x;
  return Number(BigInt.asIntN(64, BigInt(x)));
}

// sequence<BlobPart>, where BlobPart is (BufferSource or Blob or USVString).
// Strings and Blobs stay as they are and buffer sources become (uncopied)
// views: processBlobParts copies them later, since the spec only takes the
// copy once every argument has been converted.
function convertBlobParts(value, context) {
  return toSequence(value, convertBlobPart, context);
}

// https://webidl.spec.whatwg.org/#es-union for (BufferSource or Blob or USVString)
function convertBlobPart(value, context) {
  if (isObject(value)) {
    // A Blob platform object: kept as is (its bytes never change).
    if (isBlobObject(value)) return value;
    // An ArrayBuffer or ArrayBufferView: a view of its bytes, copied later.
    // SharedArrayBuffers and views of them, and resizable buffers, are not
    // BufferSources: TypeError.
    if (ArrayBuffer.isView(value) || isArrayBuffer(value)) {
      return bufferSourceBytes(value, false, context);
    }
    if (isSharedArrayBuffer(value)) {
      throw new TypeError(`${context}: a SharedArrayBuffer is not a valid blob part`);
    }
  }
  // Anything else is converted to a USVString.
  return toUSVString(value, context);
}

// https://webidl.spec.whatwg.org/#es-enumeration for EndingType
function toEndingType(value, context) {
  const string = toDOMString(value, context);
  if (string !== "transparent" && string !== "native") {
    throw new TypeError(
      `${context}: "${string}" is not a valid value for EndingType`,
    );
  }
  return string;
}

// https://w3c.github.io/FileAPI/#dfn-BlobPropertyBag (and FilePropertyBag):
// members are read in lexicographic order, inherited dictionary first.
function convertPropertyBag(value, context, isFile) {
  const dict = dictionaryObject(value, context);
  const bag = { endings: "transparent", type: "", lastModified: undefined };
  if (dict === undefined) return bag;
  const endings = dict.endings;
  if (endings !== undefined) bag.endings = toEndingType(endings, context);
  const type = dict.type;
  if (type !== undefined) bag.type = toDOMString(type, context);
  if (isFile) {
    const lastModified = dict.lastModified;
    if (lastModified !== undefined) {
      bag.lastModified = toLongLong(lastModified, false);
    }
  }
  return bag;
}

// ---------------------------------------------------------------------------
// File API algorithms
// ---------------------------------------------------------------------------

// Shared by the Blob constructor (step 3), the File constructor (step 3.1) and
// slice (step 4): returns "" if the type has a code point outside U+0020 to
// U+007E, and the type in ASCII lowercase otherwise.
function normalizeType(type) {
  if (/[^\x20-\x7E]/.test(type)) return "";
  return type.replace(/[A-Z]+/g, (s) => s.toLowerCase());
}

// https://w3c.github.io/FileAPI/#convert-line-endings-to-native
// The native line ending is "\n" on every platform we run on, so this is
// "replace each CRLF pair, and each lone CR, with LF".
function convertLineEndingsToNative(string) {
  return string.replace(/\r\n?/g, "\n");
}

// https://w3c.github.io/FileAPI/#process-blob-parts
function processBlobParts(parts, endings) {
  // Fast path: a single Blob part shares that Blob's immutable bytes.
  if (parts.length === 1 && isBlobObject(parts[0])) {
    return getBlobBytes(parts[0]);
  }
  // 1. Let bytes be an empty sequence of bytes.
  // 2. For each element in parts:
  const chunks = [];
  let length = 0;
  for (let element of parts) {
    if (typeof element === "string") {
      // 2.1. If element is a USVString: convert line endings if endings is
      //      "native", then append the UTF-8 encoding of s to bytes.
      if (endings === "native") element = convertLineEndingsToNative(element);
      element = utf8Encode(element);
    } else if (isBlobObject(element)) {
      element = getBlobBytes(element);
    }
    // 2.2. BufferSource: append a copy of its bytes (the copy happens in the
    //      set() below). 2.3. Blob: append the bytes it represents.
    // (Empty chunks are skipped: a view of a buffer that user code detached
    // during argument conversion is empty and cannot be read.)
    if (element.length === 0) continue;
    chunks.push(element);
    length += element.length;
  }
  const bytes = new Uint8Array(length);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.length;
  }
  // 3. Return bytes.
  return bytes;
}

// ---------------------------------------------------------------------------
// Blob (https://w3c.github.io/FileAPI/#blob-section)
// ---------------------------------------------------------------------------

let isBlobObject;
let getBlobBytes;
let getBlobType;

class Blob {
  #bytes; // Uint8Array, never mutated and never exposed
  #type; // string

  static {
    isBlobObject = (value) => value !== null && typeof value === "object" && #bytes in value;
    getBlobBytes = (blob) => blob.#bytes;
    getBlobType = (blob) => blob.#type;
  }

  // https://w3c.github.io/FileAPI/#constructorBlob
  constructor(blobParts = undefined, options = undefined) {
    // Blob is serializable: brand it for the structured serializer.
    op_brand_host_object(this, true);
    if (blobParts === kInternal) {
      this.#bytes = options.bytes;
      this.#type = options.type;
      return;
    }
    const context = "Failed to construct 'Blob'";
    const parts = blobParts === undefined ? [] : convertBlobParts(blobParts, context);
    const bag = convertPropertyBag(options, context, false);

    // 1. If invoked with zero parameters, return a new Blob consisting of 0
    //    bytes, with size 0 and type "" (the steps below give the same).
    // 2. Let bytes be the result of processing blob parts given blobParts
    //    and options.
    const bytes = processBlobParts(parts, bag.endings);
    // 3. If the type member of options is not the empty string, normalize it
    //    (see normalizeType).
    const type = normalizeType(bag.type);
    // 4. Return a Blob object referring to bytes as its associated byte
    //    sequence, with its size set to the length of bytes, and its type
    //    set to the value of t.
    this.#bytes = bytes;
    this.#type = type;
  }

  // https://w3c.github.io/FileAPI/#dfn-size
  get size() {
    if (!isBlobObject(this)) throw illegalInvocation();
    return this.#bytes.length;
  }

  // https://w3c.github.io/FileAPI/#dfn-type
  get type() {
    if (!isBlobObject(this)) throw illegalInvocation();
    return this.#type;
  }

  // https://w3c.github.io/FileAPI/#dfn-slice
  slice(start = undefined, end = undefined, contentType = undefined) {
    if (!isBlobObject(this)) throw illegalInvocation();
    const context = "Failed to execute 'slice' on 'Blob'";
    start = start === undefined ? undefined : toLongLong(start, true);
    end = end === undefined ? undefined : toLongLong(end, true);
    contentType = contentType === undefined ? undefined : toDOMString(contentType, context);

    // Slice blob (https://w3c.github.io/FileAPI/#slice-blob):
    // 1. Let originalSize be blob's size.
    const originalSize = this.#bytes.length;
    // 2. relativeStart: 0 if start is missing; from the end if negative;
    //    otherwise min(start, originalSize).
    let relativeStart;
    if (start === undefined) relativeStart = 0;
    else if (start < 0) relativeStart = Math.max(originalSize + start, 0);
    else relativeStart = Math.min(start, originalSize);
    // 3. relativeEnd: originalSize if end is missing; from the end if
    //    negative; otherwise min(end, originalSize).
    let relativeEnd;
    if (end === undefined) relativeEnd = originalSize;
    else if (end < 0) relativeEnd = Math.max(originalSize + end, 0);
    else relativeEnd = Math.min(end, originalSize);
    // 4. relativeContentType: "" if missing, else normalized.
    const relativeContentType = contentType === undefined ? "" : normalizeType(contentType);
    // 5. Let span be max((relativeEnd - relativeStart), 0).
    const span = Math.max(relativeEnd - relativeStart, 0);
    // 6. Return a new Blob with the span bytes from relativeStart (sharing
    //    the immutable byte array) and type relativeContentType.
    return createBlob(
      this.#bytes.subarray(relativeStart, relativeStart + span),
      relativeContentType,
    );
  }

  // https://w3c.github.io/FileAPI/#dom-blob-text
  // (async: a failed brand check becomes a rejected promise, per WebIDL)
  // deno-lint-ignore require-await
  async text() {
    if (!isBlobObject(this)) throw illegalInvocation();
    // UTF-8 decode (with BOM stripping and replacement).
    return utf8Decode(this.#bytes, true);
  }

  // https://w3c.github.io/FileAPI/#dom-blob-arraybuffer
  // deno-lint-ignore require-await
  async arrayBuffer() {
    if (!isBlobObject(this)) throw illegalInvocation();
    return this.#bytes.slice().buffer;
  }

  // https://w3c.github.io/FileAPI/#dom-blob-bytes
  // deno-lint-ignore require-await
  async bytes() {
    if (!isBlobObject(this)) throw illegalInvocation();
    return this.#bytes.slice();
  }
}

configureInterface(Blob, "Blob");

// ---------------------------------------------------------------------------
// File (https://w3c.github.io/FileAPI/#file-section)
// ---------------------------------------------------------------------------

let isFileObject;
let getFileName;
let getFileLastModified;

class File extends Blob {
  #name;
  #lastModified;

  static {
    isFileObject = (value) => value !== null && typeof value === "object" && #name in value;
    getFileName = (file) => file.#name;
    getFileLastModified = (file) => file.#lastModified;
  }

  // https://w3c.github.io/FileAPI/#file-constructor
  constructor(fileBits, fileName, options = undefined) {
    if (fileBits === kInternal) {
      super(kInternal, fileName);
      this.#name = fileName.name;
      this.#lastModified = fileName.lastModified;
      return;
    }
    const context = "Failed to construct 'File'";
    requiredArguments(arguments.length, 2, context);
    const parts = convertBlobParts(fileBits, context);
    const name = toUSVString(fileName, context);
    const bag = convertPropertyBag(options, context, true);

    // 1. Let bytes be the result of processing blob parts given fileBits and
    //    options.
    const bytes = processBlobParts(parts, bag.endings);
    // 2. Let n be the fileName argument to the constructor.
    // 3. Process FilePropertyBag dictionary argument:
    //    3.1. If the type member is provided and is not the empty string,
    //         normalize it (see normalizeType).
    const type = normalizeType(bag.type);
    //    3.2. If the lastModified member is provided, let d be set to it;
    //         otherwise, set d to the current date and time in milliseconds.
    const lastModified = bag.lastModified ?? Date.now();
    // 4. Return a new File object F with bytes, size, name n, type t and
    //    lastModified d.
    super(kInternal, { bytes, type });
    this.#name = name;
    this.#lastModified = lastModified;
  }

  // https://w3c.github.io/FileAPI/#dfn-name
  get name() {
    if (!isFileObject(this)) throw illegalInvocation();
    return this.#name;
  }

  // https://w3c.github.io/FileAPI/#dfn-lastModified
  get lastModified() {
    if (!isFileObject(this)) throw illegalInvocation();
    return this.#lastModified;
  }
}

configureInterface(File, "File");

// ---------------------------------------------------------------------------
// Internals for the runtime (never exposed to user code)
// ---------------------------------------------------------------------------

/** True if `value` is a Blob (including a File). */
export function isBlob(value) {
  return isBlobObject(value);
}

/**
 * The Blob's bytes, without copying. The caller must not mutate them.
 * Throws a TypeError if `blob` is not a Blob.
 */
export function blobBytes(blob) {
  if (!isBlobObject(blob)) throw new TypeError("Not a Blob");
  return getBlobBytes(blob);
}

/** The Blob's type. Throws a TypeError if `blob` is not a Blob. */
export function blobType(blob) {
  if (!isBlobObject(blob)) throw new TypeError("Not a Blob");
  return getBlobType(blob);
}

/**
 * A new Blob over `bytes` (a Uint8Array the Blob takes ownership of: the
 * caller must not keep or mutate it) with the given type, used as is.
 */
export function createBlob(bytes, type) {
  return new Blob(kInternal, { bytes, type: String(type) });
}

/** True if `value` is a File. */
export function isFile(value) {
  return isFileObject(value);
}

/** The File's name. Throws a TypeError if `file` is not a File. */
export function fileName(file) {
  if (!isFileObject(file)) throw new TypeError("Not a File");
  return getFileName(file);
}

/** The File's lastModified. Throws a TypeError if `file` is not a File. */
export function fileLastModified(file) {
  if (!isFileObject(file)) throw new TypeError("Not a File");
  return getFileLastModified(file);
}

/**
 * A new File over `bytes` (taken over as in createBlob), with the given type,
 * name and lastModified, used as is.
 */
export function createFile(bytes, type, name, lastModified) {
  return new File(kInternal, {
    bytes,
    type: String(type),
    name: String(name),
    lastModified: Number(lastModified),
  });
}

export { Blob, File };
