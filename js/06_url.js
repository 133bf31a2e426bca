// Copyright the Entangle authors. MIT license.

/**
 * ext:entangle/06_url.js
 *
 * Owns `URL` and `URLSearchParams` (WHATWG URL Standard,
 * https://url.spec.whatwg.org/#api), including the File API's static
 * `URL.createObjectURL` / `URL.revokeObjectURL`
 * (https://w3c.github.io/FileAPI/#creating-revoking).
 *
 * URL parsing and the setters are done in Rust (the `url` crate) through:
 *   op_url_parse(href, base?) -> parts | null
 *   op_url_set(href, setter, value) -> parts | null
 * where parts are the getters' values:
 *   [href, origin, protocol, username, password, host, hostname, port,
 *    pathname, search, hash].
 * Blob URLs live in a process-wide store in Rust:
 *   op_blob_url_create(bytes, type) -> "blob:null/<uuid>"
 *   op_blob_url_revoke(url)
 *
 * URLSearchParams, including the application/x-www-form-urlencoded parser
 * and serializer, is plain JavaScript.
 */

import { op_blob_url_create, op_blob_url_revoke, op_url_parse, op_url_set } from "ext:core/ops";
import {
  configureInterface,
  getMethod,
  illegalInvocation,
  isObject,
  requiredArguments,
  sequenceFromIterable,
  toDOMString,
  toSequence,
  toUSVString,
} from "ext:entangle/00_webidl.js";
import { utf8Decode, utf8Encode } from "ext:entangle/04_encoding.js";
import { blobBytes, blobType, isBlob } from "ext:entangle/05_blob.js";

// Indices into the parts array returned by the ops.
const HREF = 0;
const ORIGIN = 1;
const PROTOCOL = 2;
const USERNAME = 3;
const PASSWORD = 4;
const HOST = 5;
const HOSTNAME = 6;
const PORT = 7;
const PATHNAME = 8;
const SEARCH = 9;
const HASH = 10;

// Setter numbers understood by op_url_set.
const SET_HREF = 0;
const SET_PROTOCOL = 1;
const SET_USERNAME = 2;
const SET_PASSWORD = 3;
const SET_HOST = 4;
const SET_HOSTNAME = 5;
const SET_PORT = 6;
const SET_PATHNAME = 7;
const SET_SEARCH = 8;
const SET_HASH = 9;

// Passed as the first constructor argument by this module only (URL.parse
// builds a URL from parts it already has). User code cannot get hold of it.
const kInternal = Symbol("[[internal]]");

// ---------------------------------------------------------------------------
// application/x-www-form-urlencoded
// ---------------------------------------------------------------------------

// https://url.spec.whatwg.org/#concept-urlencoded-parser
// Works on the string: '&', '=' and '+' are ASCII, so splitting the UTF-8
// bytes or the code points gives the same pieces. Returns [name, value] pairs.
function parseUrlencoded(input) {
  const output = [];
  // 1. Let sequences be the result of splitting input on 0x26 (&).
  // 2. Let output be an initially empty list of name-value tuples.
  // 3. For each byte sequence bytes in sequences:
  for (const bytes of input.split("&")) {
    // 3.1. If bytes is the empty byte sequence, then continue.
    if (bytes === "") continue;
    // 3.2-3.3. Split at the first "=", if any; otherwise value is empty.
    const equals = bytes.indexOf("=");
    let name = equals === -1 ? bytes : bytes.slice(0, equals);
    let value = equals === -1 ? "" : bytes.slice(equals + 1);
    // 3.4. Replace any 0x2B (+) in name and value with 0x20 (SP).
    name = name.replaceAll("+", " ");
    value = value.replaceAll("+", " ");
    // 3.5. UTF-8 decode without BOM the percent-decoding of name and value.
    // 3.6. Append (nameString, valueString) to output.
    output.push([percentDecode(name), percentDecode(value)]);
  }
  // 4. Return output.
  return output;
}

function isHexDigit(byte) {
  return (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x46) ||
    (byte >= 0x61 && byte <= 0x66);
}

function hexValue(byte) {
  return byte <= 0x39 ? byte - 0x30 : (byte | 0x20) - 0x61 + 10;
}

// https://url.spec.whatwg.org/#string-percent-decode followed by UTF-8 decode
// without BOM (invalid sequences become U+FFFD).
function percentDecode(string) {
  if (!string.includes("%")) return string;
  // 1. Let bytes be the UTF-8 encoding of input.
  const bytes = utf8Encode(string);
  // https://url.spec.whatwg.org/#percent-decode
  // 1. Let output be an empty byte sequence.
  const output = new Uint8Array(bytes.length);
  let length = 0;
  // 2. For each byte byte in input:
  for (let i = 0; i < bytes.length; i++) {
    const byte = bytes[i];
    // 2.1-2.2. A "%" not followed by two ASCII hex digits is kept as is.
    if (
      byte !== 0x25 || i + 2 >= bytes.length || !isHexDigit(bytes[i + 1]) ||
      !isHexDigit(bytes[i + 2])
    ) {
      output[length++] = byte;
      continue;
    }
    // 2.3. Otherwise, append the byte the two hex digits denote and skip
    //      them.
    output[length++] = (hexValue(bytes[i + 1]) << 4) | hexValue(bytes[i + 2]);
    i += 2;
  }
  // 3. Return output (then UTF-8 decode without BOM).
  return utf8Decode(output.subarray(0, length), false);
}

// encodeURIComponent leaves A-Z a-z 0-9 - _ . ! ~ * ' ( ) alone; the
// application/x-www-form-urlencoded percent-encode set additionally encodes
// ! ~ ' ( ), and the serializer writes a space as "+".
const URLENCODED_FIXUPS = {
  "!": "%21",
  "'": "%27",
  "(": "%28",
  ")": "%29",
  "~": "%7E",
  "%20": "+",
};

// https://url.spec.whatwg.org/#concept-urlencoded-byte-serializer, for a
// scalar value string (UTF-8, space as "+").
function urlencode(string) {
  return encodeURIComponent(string).replace(
    /[!'()~]|%20/g,
    (match) => URLENCODED_FIXUPS[match],
  );
}

// https://url.spec.whatwg.org/#concept-urlencoded-serializer
function serializeUrlencoded(tuples) {
  // 1. Let output be the empty string.
  let output = "";
  // 2. For each tuple of tuples:
  for (let i = 0; i < tuples.length; i++) {
    // 2.1-2.3. Percent-encode name and value (tuples hold scalar value
    //          strings, so encodeURIComponent cannot throw).
    // 2.4. If output is not the empty string, append "&".
    if (i > 0) output += "&";
    // 2.5. Append name, "=", value.
    output += urlencode(tuples[i][0]) + "=" + urlencode(tuples[i][1]);
  }
  // 3. Return output.
  return output;
}

// ---------------------------------------------------------------------------
// URLSearchParams (https://url.spec.whatwg.org/#interface-urlsearchparams)
// ---------------------------------------------------------------------------

let isURLSearchParams;
let getParamsList;
let setParamsList;
let attachParamsToURL;
// Set by URL below: (url, serializedQuery) => void
let setURLQuery;

function toUSVStringPair(value, context) {
  return toSequence(value, toUSVString, context);
}

class URLSearchParams {
  #list = []; // [name, value] pairs of scalar value strings
  #url = null; // the associated URL object, if any

  static {
    isURLSearchParams = (value) => value !== null && typeof value === "object" && #list in value;
    getParamsList = (params) => params.#list;
    setParamsList = (params, list) => {
      params.#list = list;
    };
    attachParamsToURL = (params, url) => {
      params.#url = url;
    };
  }

  // https://url.spec.whatwg.org/#dom-urlsearchparams-urlsearchparams
  constructor(init = "") {
    const context = "Failed to construct 'URLSearchParams'";
    // WebIDL: (sequence<sequence<USVString>> or record<USVString, USVString>
    //          or USVString)
    if (isObject(init)) {
      const method = getMethod(init, Symbol.iterator, context);
      if (method !== undefined) {
        // 1.-2. Initialize with a sequence: each inner sequence must have
        //       exactly two items.
        const pairs = sequenceFromIterable(
          init,
          method,
          toUSVStringPair,
          context,
        );
        for (const pair of pairs) {
          if (pair.length !== 2) {
            throw new TypeError(
              `${context}: each name-value pair must have exactly two items`,
            );
          }
          this.#list.push([pair[0], pair[1]]);
        }
      } else {
        // Initialize with a record: append each name -> value.
        for (const [name, value] of recordToUSVStringMap(init, context)) {
          this.#list.push([name, value]);
        }
      }
    } else {
      // 1. If init is a string and starts with "?", remove it.
      let string = toUSVString(init, context);
      if (string.startsWith("?")) string = string.slice(1);
      // Initialize with a string: parse it.
      this.#list = parseUrlencoded(string);
    }
  }

  // https://url.spec.whatwg.org/#concept-urlsearchparams-update
  #update() {
    // 1. If query's URL object is null, then return.
    if (this.#url === null) return;
    // 2. Let serializedQuery be the serialization of query's list.
    // 3. If serializedQuery is the empty string, set it to null.
    // 4. Set query's URL object's URL's query to serializedQuery.
    // 5. If serializedQuery is null, potentially strip trailing spaces from
    //    an opaque path with query's URL object.
    // (Setting the search to "" does both of the last two for null.)
    setURLQuery(this.#url, serializeUrlencoded(this.#list));
  }

  // https://url.spec.whatwg.org/#dom-urlsearchparams-size
  get size() {
    if (!isURLSearchParams(this)) throw illegalInvocation();
    return this.#list.length;
  }

  // https://url.spec.whatwg.org/#dom-urlsearchparams-append
  append(name, value) {
    const context = "Failed to execute 'append' on 'URLSearchParams'";
    if (!isURLSearchParams(this)) throw illegalInvocation();
    requiredArguments(arguments.length, 2, context);
    name = toUSVString(name, context);
    value = toUSVString(value, context);
    // 1. Append (name, value) to this's list.
    this.#list.push([name, value]);
    // 2. Run this's update steps.
    this.#update();
  }

  // https://url.spec.whatwg.org/#dom-urlsearchparams-delete
  delete(name, value = undefined) {
    const context = "Failed to execute 'delete' on 'URLSearchParams'";
    if (!isURLSearchParams(this)) throw illegalInvocation();
    requiredArguments(arguments.length, 1, context);
    name = toUSVString(name, context);
    if (value !== undefined) value = toUSVString(value, context);
    // 1. If value is given, remove all tuples whose name is name and value
    //    is value; 2. otherwise, remove all tuples whose name is name.
    // (In place, so live iterators see the removal.)
    const list = this.#list;
    let kept = 0;
    for (let i = 0; i < list.length; i++) {
      const tuple = list[i];
      if (tuple[0] === name && (value === undefined || tuple[1] === value)) {
        continue;
      }
      list[kept++] = tuple;
    }
    list.length = kept;
    // 3. Run this's update steps.
    this.#update();
  }

  // https://url.spec.whatwg.org/#dom-urlsearchparams-get
  get(name) {
    const context = "Failed to execute 'get' on 'URLSearchParams'";
    if (!isURLSearchParams(this)) throw illegalInvocation();
    requiredArguments(arguments.length, 1, context);
    name = toUSVString(name, context);
    // Return the value of the first tuple whose name is name, or null.
    for (const tuple of this.#list) {
      if (tuple[0] === name) return tuple[1];
    }
    return null;
  }

  // https://url.spec.whatwg.org/#dom-urlsearchparams-getall
  getAll(name) {
    const context = "Failed to execute 'getAll' on 'URLSearchParams'";
    if (!isURLSearchParams(this)) throw illegalInvocation();
    requiredArguments(arguments.length, 1, context);
    name = toUSVString(name, context);
    // Return the values of all tuples whose name is name, in list order.
    const values = [];
    for (const tuple of this.#list) {
      if (tuple[0] === name) values.push(tuple[1]);
    }
    return values;
  }

  // https://url.spec.whatwg.org/#dom-urlsearchparams-has
  has(name, value = undefined) {
    const context = "Failed to execute 'has' on 'URLSearchParams'";
    if (!isURLSearchParams(this)) throw illegalInvocation();
    requiredArguments(arguments.length, 1, context);
    name = toUSVString(name, context);
    if (value !== undefined) value = toUSVString(value, context);
    // 1. If value is given and there is a tuple whose name is name and value
    //    is value, return true. 2. If value is not given and there is a
    //    tuple whose name is name, return true. 3. Return false.
    for (const tuple of this.#list) {
      if (tuple[0] === name && (value === undefined || tuple[1] === value)) {
        return true;
      }
    }
    return false;
  }

  // https://url.spec.whatwg.org/#dom-urlsearchparams-set
  set(name, value) {
    const context = "Failed to execute 'set' on 'URLSearchParams'";
    if (!isURLSearchParams(this)) throw illegalInvocation();
    requiredArguments(arguments.length, 2, context);
    name = toUSVString(name, context);
    value = toUSVString(value, context);
    // 1. If this's list contains a tuple whose name is name, set the value of
    //    the first such tuple to value and remove the others.
    // 2. Otherwise, append (name, value) to this's list.
    const list = this.#list;
    let found = false;
    let kept = 0;
    for (let i = 0; i < list.length; i++) {
      const tuple = list[i];
      if (tuple[0] === name) {
        if (found) continue;
        found = true;
        list[kept++] = [name, value];
        continue;
      }
      list[kept++] = tuple;
    }
    list.length = kept;
    if (!found) list.push([name, value]);
    // 3. Run this's update steps.
    this.#update();
  }

  // https://url.spec.whatwg.org/#dom-urlsearchparams-sort
  sort() {
    if (!isURLSearchParams(this)) throw illegalInvocation();
    // 1. Sort all tuples in this's list, if any, by their names, comparing
    //    code units. The relative order between tuples with equal names
    //    must be preserved (Array.prototype.sort is stable).
    this.#list.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
    // 2. Run this's update steps.
    this.#update();
  }

  // https://url.spec.whatwg.org/#urlsearchparams-stringification-behavior
  toString() {
    if (!isURLSearchParams(this)) throw illegalInvocation();
    return serializeUrlencoded(this.#list);
  }

  // https://webidl.spec.whatwg.org/#es-forEach (pair iterator)
  forEach(callback, thisArg = undefined) {
    const context = "Failed to execute 'forEach' on 'URLSearchParams'";
    if (!isURLSearchParams(this)) throw illegalInvocation();
    requiredArguments(arguments.length, 1, context);
    // 3. Let idlCallback be callback, converted to a Function.
    if (typeof callback !== "function") {
      throw new TypeError(`${context}: parameter 1 is not a function`);
    }
    // 4-5. Call it with (value, key, this) for each pair, re-reading the
    //      list each time so changes made by the callback are seen.
    for (let i = 0; i < this.#list.length; i++) {
      const [name, value] = this.#list[i];
      Reflect.apply(callback, thisArg, [value, name, this]);
    }
  }

  // https://webidl.spec.whatwg.org/#es-iterable-keys
  keys() {
    if (!isURLSearchParams(this)) throw illegalInvocation();
    return new URLSearchParamsIterator(this, "key");
  }

  // https://webidl.spec.whatwg.org/#es-iterable-values
  values() {
    if (!isURLSearchParams(this)) throw illegalInvocation();
    return new URLSearchParamsIterator(this, "value");
  }

  // https://webidl.spec.whatwg.org/#es-iterable-entries
  entries() {
    if (!isURLSearchParams(this)) throw illegalInvocation();
    return new URLSearchParamsIterator(this, "key+value");
  }
}

configureInterface(URLSearchParams, "URLSearchParams");
// https://webidl.spec.whatwg.org/#es-iterator: @@iterator is the same
// function object as entries, and not enumerable.
Object.defineProperty(URLSearchParams.prototype, Symbol.iterator, {
  __proto__: null,
  value: URLSearchParams.prototype.entries,
  writable: true,
  enumerable: false,
  configurable: true,
});

// https://webidl.spec.whatwg.org/#es-record for record<USVString, USVString>.
// Returns a Map, so keys that become equal after USVString conversion keep
// the first position and the last value.
function recordToUSVStringMap(object, context) {
  // 1. If V is not an Object, throw a TypeError (checked by the caller).
  // 2. Let result be a new empty instance of record<K, V>.
  const result = new Map();
  // 3. Let keys be ? V.[[OwnPropertyKeys]]().
  const keys = Reflect.ownKeys(object);
  // 4. For each key of keys:
  for (const key of keys) {
    // 4.1. Let desc be ? V.[[GetOwnProperty]](key).
    const desc = Reflect.getOwnPropertyDescriptor(object, key);
    // 4.2. If desc is not undefined and desc.[[Enumerable]] is true:
    if (desc === undefined || !desc.enumerable) continue;
    // 4.2.1. Let typedKey be key converted to USVString (a Symbol throws).
    const typedKey = toUSVString(key, context);
    // 4.2.2. Let value be ? Get(V, key).
    // 4.2.3. Let typedValue be value converted to USVString.
    const typedValue = toUSVString(object[key], context);
    // 4.2.4. Set result[typedKey] to typedValue.
    result.set(typedKey, typedValue);
  }
  // 5. Return result.
  return result;
}

// ---------------------------------------------------------------------------
// %URLSearchParamsIteratorPrototype%
// (https://webidl.spec.whatwg.org/#es-default-iterator-objects)
// ---------------------------------------------------------------------------

class URLSearchParamsIterator {
  #target;
  #kind;
  #index = 0;

  constructor(target, kind) {
    this.#target = target;
    this.#kind = kind;
  }

  // https://webidl.spec.whatwg.org/#es-iterator-prototype-object
  next() {
    // 1-5. this must be a default iterator object for URLSearchParams.
    if (!isObject(this) || !(#target in this)) throw illegalInvocation();
    // 6-8. Look at the target's current list (iterators are live).
    const values = getParamsList(this.#target);
    const index = this.#index;
    // 9. If index is greater than or equal to len, return done.
    if (index >= values.length) return { value: undefined, done: true };
    // 10-12. Take the pair at index and advance.
    const [name, value] = values[index];
    this.#index = index + 1;
    // 13. Return the iterator result for the pair and kind.
    let result;
    if (this.#kind === "key") result = name;
    else if (this.#kind === "value") result = value;
    else result = [name, value];
    return { value: result, done: false };
  }
}

{
  const prototype = URLSearchParamsIterator.prototype;
  // [[Prototype]] is %IteratorPrototype%.
  const IteratorPrototype = Object.getPrototypeOf(
    Object.getPrototypeOf([][Symbol.iterator]()),
  );
  Object.setPrototypeOf(prototype, IteratorPrototype);
  // The iterator prototype has no constructor property.
  delete prototype.constructor;
  Object.defineProperty(prototype, "next", { enumerable: true });
  Object.defineProperty(prototype, Symbol.toStringTag, {
    __proto__: null,
    value: "URLSearchParams Iterator",
    writable: false,
    enumerable: false,
    configurable: true,
  });
}

// ---------------------------------------------------------------------------
// URL (https://url.spec.whatwg.org/#url-class)
// ---------------------------------------------------------------------------

let isURL;

function invalidURL(url, base) {
  return new TypeError(
    base === undefined ? `Invalid URL: '${url}'` : `Invalid URL: '${url}' with base '${base}'`,
  );
}

class URL {
  #parts; // the getters' values, see the indices at the top
  #query; // this's query object (a URLSearchParams)

  static {
    isURL = (value) => value !== null && typeof value === "object" && #parts in value;
    setURLQuery = (url, serializedQuery) => {
      url.#parts = op_url_set(url.#parts[HREF], SET_SEARCH, serializedQuery) ??
        url.#parts;
    };
  }

  // https://url.spec.whatwg.org/#dom-url-url
  constructor(url, base = undefined) {
    if (url === kInternal) {
      this.#initialize(base);
      return;
    }
    const context = "Failed to construct 'URL'";
    requiredArguments(arguments.length, 1, context);
    url = toUSVString(url, context);
    if (base !== undefined) base = toUSVString(base, context);
    // 1. Let parsedURL be the result of running the API URL parser on url
    //    with base, if given.
    const parts = op_url_parse(url, base);
    // 2. If parsedURL is failure, then throw a TypeError.
    if (parts === null) throw invalidURL(url, base);
    // 3. Initialize this with parsedURL.
    this.#initialize(parts);
  }

  // https://url.spec.whatwg.org/#url-initialize
  #initialize(parts) {
    // 1. Let query be urlRecord's query, if that is non-null, and the empty
    //    string otherwise.
    const query = parts[SEARCH].slice(1);
    // 2. Set url's URL to urlRecord.
    this.#parts = parts;
    // 3. Set url's query object to a new URLSearchParams object.
    this.#query = new URLSearchParams();
    // 4. Initialize url's query object with query.
    setParamsList(this.#query, parseUrlencoded(query));
    // 5. Set url's query object's URL object to url.
    attachParamsToURL(this.#query, this);
  }

  // https://url.spec.whatwg.org/#dom-url-parse
  static parse(url, base = undefined) {
    const context = "Failed to execute 'parse' on 'URL'";
    requiredArguments(arguments.length, 1, context);
    url = toUSVString(url, context);
    if (base !== undefined) base = toUSVString(base, context);
    // 1. Let parsedURL be the result of running the API URL parser on url
    //    with base, if given.
    const parts = op_url_parse(url, base);
    // 2. If parsedURL is failure, then return null.
    if (parts === null) return null;
    // 3-4. Let url be a new URL object, initialized with parsedURL.
    // 5. Return url.
    return new URL(kInternal, parts);
  }

  // https://url.spec.whatwg.org/#dom-url-canparse
  static canParse(url, base = undefined) {
    const context = "Failed to execute 'canParse' on 'URL'";
    requiredArguments(arguments.length, 1, context);
    url = toUSVString(url, context);
    if (base !== undefined) base = toUSVString(base, context);
    // 1-3. Return false if the API URL parser fails, true otherwise.
    return op_url_parse(url, base) !== null;
  }

  // https://w3c.github.io/FileAPI/#dfn-createObjectURL
  static createObjectURL(obj) {
    const context = "Failed to execute 'createObjectURL' on 'URL'";
    requiredArguments(arguments.length, 1, context);
    // (Blob or MediaSource); only Blob exists here.
    if (!isBlob(obj)) {
      throw new TypeError(`${context}: parameter 1 is not of type 'Blob'`);
    }
    // Return the result of adding an entry to the blob URL store for obj.
    return op_blob_url_create(blobBytes(obj), blobType(obj));
  }

  // https://w3c.github.io/FileAPI/#dfn-revokeObjectURL
  static revokeObjectURL(url) {
    const context = "Failed to execute 'revokeObjectURL' on 'URL'";
    requiredArguments(arguments.length, 1, context);
    url = toDOMString(url, context);
    // 1. Let urlRecord be the result of parsing url.
    const parts = op_url_parse(url, undefined);
    // 2. If urlRecord's scheme is not "blob", return.
    if (parts === null || parts[PROTOCOL] !== "blob:") return;
    // 3-7. Remove the entry for url from the blob URL store, if any. The
    //      store is keyed by the serialized URL without its fragment.
    const href = parts[HREF];
    const hash = href.indexOf("#");
    op_blob_url_revoke(hash === -1 ? href : href.slice(0, hash));
  }

  // https://url.spec.whatwg.org/#dom-url-href
  get href() {
    if (!isURL(this)) throw illegalInvocation();
    return this.#parts[HREF];
  }

  set href(value) {
    const context = "Failed to set 'href' on 'URL'";
    if (!isURL(this)) throw illegalInvocation();
    requiredArguments(arguments.length, 1, context);
    value = toUSVString(value, context);
    // 1. Let parsedURL be the result of running the basic URL parser on the
    //    given value.
    const parts = op_url_set(this.#parts[HREF], SET_HREF, value);
    // 2. If parsedURL is failure, then throw a TypeError.
    if (parts === null) throw invalidURL(value);
    // 3. Set this's URL to parsedURL.
    this.#parts = parts;
    // 4. Empty this's query object's list.
    // 5-6. If this's URL's query is non-null, set this's query object's list
    //      to the result of parsing it.
    setParamsList(this.#query, parseUrlencoded(parts[SEARCH].slice(1)));
  }

  // https://url.spec.whatwg.org/#dom-url-tojson
  toJSON() {
    if (!isURL(this)) throw illegalInvocation();
    return this.#parts[HREF];
  }

  // https://url.spec.whatwg.org/#URL-stringification-behavior
  toString() {
    if (!isURL(this)) throw illegalInvocation();
    return this.#parts[HREF];
  }

  // https://url.spec.whatwg.org/#dom-url-origin
  get origin() {
    if (!isURL(this)) throw illegalInvocation();
    return this.#parts[ORIGIN];
  }

  // https://url.spec.whatwg.org/#dom-url-protocol
  get protocol() {
    if (!isURL(this)) throw illegalInvocation();
    return this.#parts[PROTOCOL];
  }

  set protocol(value) {
    if (!isURL(this)) throw illegalInvocation();
    this.#set(SET_PROTOCOL, "protocol", value, arguments.length);
  }

  // https://url.spec.whatwg.org/#dom-url-username
  get username() {
    if (!isURL(this)) throw illegalInvocation();
    return this.#parts[USERNAME];
  }

  set username(value) {
    if (!isURL(this)) throw illegalInvocation();
    this.#set(SET_USERNAME, "username", value, arguments.length);
  }

  // https://url.spec.whatwg.org/#dom-url-password
  get password() {
    if (!isURL(this)) throw illegalInvocation();
    return this.#parts[PASSWORD];
  }

  set password(value) {
    if (!isURL(this)) throw illegalInvocation();
    this.#set(SET_PASSWORD, "password", value, arguments.length);
  }

  // https://url.spec.whatwg.org/#dom-url-host
  get host() {
    if (!isURL(this)) throw illegalInvocation();
    return this.#parts[HOST];
  }

  set host(value) {
    if (!isURL(this)) throw illegalInvocation();
    this.#set(SET_HOST, "host", value, arguments.length);
  }

  // https://url.spec.whatwg.org/#dom-url-hostname
  get hostname() {
    if (!isURL(this)) throw illegalInvocation();
    return this.#parts[HOSTNAME];
  }

  set hostname(value) {
    if (!isURL(this)) throw illegalInvocation();
    this.#set(SET_HOSTNAME, "hostname", value, arguments.length);
  }

  // https://url.spec.whatwg.org/#dom-url-port
  get port() {
    if (!isURL(this)) throw illegalInvocation();
    return this.#parts[PORT];
  }

  set port(value) {
    if (!isURL(this)) throw illegalInvocation();
    this.#set(SET_PORT, "port", value, arguments.length);
  }

  // https://url.spec.whatwg.org/#dom-url-pathname
  get pathname() {
    if (!isURL(this)) throw illegalInvocation();
    return this.#parts[PATHNAME];
  }

  set pathname(value) {
    if (!isURL(this)) throw illegalInvocation();
    this.#set(SET_PATHNAME, "pathname", value, arguments.length);
  }

  // https://url.spec.whatwg.org/#dom-url-search
  get search() {
    if (!isURL(this)) throw illegalInvocation();
    return this.#parts[SEARCH];
  }

  set search(value) {
    const context = "Failed to set 'search' on 'URL'";
    if (!isURL(this)) throw illegalInvocation();
    requiredArguments(arguments.length, 1, context);
    value = toUSVString(value, context);
    // 1-2. If the given value is the empty string: set url's query to null,
    //      empty this's query object's list, potentially strip trailing
    //      spaces from an opaque path, and return.
    // 3-6. Otherwise, remove a single leading "?" and basic URL parse the
    //      rest into url's query (query state override).
    this.#parts = op_url_set(this.#parts[HREF], SET_SEARCH, value) ??
      this.#parts;
    // 7. Set this's query object's list to the result of parsing input.
    const input = value.startsWith("?") ? value.slice(1) : value;
    setParamsList(this.#query, parseUrlencoded(input));
  }

  // https://url.spec.whatwg.org/#dom-url-searchparams
  get searchParams() {
    if (!isURL(this)) throw illegalInvocation();
    return this.#query;
  }

  // https://url.spec.whatwg.org/#dom-url-hash
  get hash() {
    if (!isURL(this)) throw illegalInvocation();
    return this.#parts[HASH];
  }

  set hash(value) {
    if (!isURL(this)) throw illegalInvocation();
    this.#set(SET_HASH, "hash", value, arguments.length);
  }

  // The setters other than href and search: the URL Standard's setter steps
  // run in Rust; a value that cannot be applied leaves the URL unchanged.
  #set(setter, name, value, argumentCount) {
    const context = `Failed to set '${name}' on 'URL'`;
    requiredArguments(argumentCount, 1, context);
    value = toUSVString(value, context);
    this.#parts = op_url_set(this.#parts[HREF], setter, value) ?? this.#parts;
  }
}

configureInterface(URL, "URL");

export { URL, URLSearchParams };
