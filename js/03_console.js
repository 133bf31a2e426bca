// `console` and value inspection for Entangle.
//
// This module owns:
// - `inspect(value, options)`: the human-readable rendering of any JavaScript
//   value, in the style of Deno and Node.js `util.inspect`: `{ a: 1, b: "x" }`,
//   nested strings in double quotes (like Deno), 2-space indentation, a line
//   break when a one-line rendering would exceed 80 columns.
// - `createConsole(print)`: the `console` namespace object of the WHATWG
//   Console Standard, https://console.spec.whatwg.org/ . All output goes
//   through one `print(text, isErr)` callback provided by the runtime.
// - the process-wide switches the runtime sets at startup: `setColors`,
//   `setIsTerminal` and `setPromiseStateGetter`.
//
// The module imports nothing. Every builtin it relies on is captured when the
// module is evaluated (at snapshot time), so user code that later patches
// prototypes or globals cannot break the console. Per-console state lives in
// closures, out of reach of user code. Inspection never throws because of
// user code (getters are not called, exceptions from proxies and custom
// inspect hooks are caught and shown as `<Inspection threw ...>`).

// ---------------------------------------------------------------------------
// Builtins, captured at load time
// ---------------------------------------------------------------------------

const ReflectApply = Reflect.apply;
const ReflectOwnKeys = Reflect.ownKeys;

/** `method.call(self, ...args)` without looking up `call` at run time. */
const uncurryThis = (method) => (self, ...args) => ReflectApply(method, self, args);
const uncurryGetter = (object, key) => uncurryThis(Object.getOwnPropertyDescriptor(object, key).get);

const {
  create: ObjectCreate,
  defineProperty: ObjectDefineProperty,
  getOwnPropertyDescriptor: ObjectGetOwnPropertyDescriptor,
  getOwnPropertySymbols: ObjectGetOwnPropertySymbols,
  getPrototypeOf: ObjectGetPrototypeOf,
  is: ObjectIs,
  isExtensible: ObjectIsExtensible,
  keys: ObjectKeys,
} = Object;
const ObjectPrototype = Object.prototype;
const ObjectPrototypeHasOwnProperty = uncurryThis(ObjectPrototype.hasOwnProperty);
const ObjectPrototypeIsPrototypeOf = uncurryThis(ObjectPrototype.isPrototypeOf);
const ObjectPrototypePropertyIsEnumerable = uncurryThis(ObjectPrototype.propertyIsEnumerable);
const ObjectPrototypeToString = uncurryThis(ObjectPrototype.toString);

const ArrayIsArray = Array.isArray;
const ArrayPrototypeIndexOf = uncurryThis(Array.prototype.indexOf);
const ArrayPrototypeJoin = uncurryThis(Array.prototype.join);
const ArrayPrototypePop = uncurryThis(Array.prototype.pop);
const ArrayPrototypePush = uncurryThis(Array.prototype.push);
const ArrayPrototypeUnshift = uncurryThis(Array.prototype.unshift);

const StringPrototype = String.prototype;
const StringPrototypeCharCodeAt = uncurryThis(StringPrototype.charCodeAt);
const StringPrototypeCodePointAt = uncurryThis(StringPrototype.codePointAt);
const StringPrototypeEndsWith = uncurryThis(StringPrototype.endsWith);
const StringPrototypeIncludes = uncurryThis(StringPrototype.includes);
const StringPrototypeIndexOf = uncurryThis(StringPrototype.indexOf);
const StringPrototypePadEnd = uncurryThis(StringPrototype.padEnd);
const StringPrototypePadStart = uncurryThis(StringPrototype.padStart);
const StringPrototypeRepeat = uncurryThis(StringPrototype.repeat);
const StringPrototypeSlice = uncurryThis(StringPrototype.slice);
const StringPrototypeStartsWith = uncurryThis(StringPrototype.startsWith);
const StringPrototypeToLowerCase = uncurryThis(StringPrototype.toLowerCase);
const StringPrototypeToUpperCase = uncurryThis(StringPrototype.toUpperCase);
const StringPrototypeValueOf = uncurryThis(StringPrototype.valueOf);

const NumberIsNaN = Number.isNaN;
const NumberParseFloat = Number.parseFloat;
const NumberParseInt = Number.parseInt;
const NumberPrototype = Number.prototype;
const NumberPrototypeToFixed = uncurryThis(NumberPrototype.toFixed);
const NumberPrototypeToString = uncurryThis(NumberPrototype.toString);
const NumberPrototypeValueOf = uncurryThis(NumberPrototype.valueOf);
const BooleanPrototype = Boolean.prototype;
const BooleanPrototypeValueOf = uncurryThis(BooleanPrototype.valueOf);
const BigIntPrototype = BigInt.prototype;
const BigIntPrototypeValueOf = uncurryThis(BigIntPrototype.valueOf);

const { floor: MathFloor, max: MathMax, min: MathMin, round: MathRound, sqrt: MathSqrt } = Math;

const SymbolFor = Symbol.for;
const SymbolToStringTag = Symbol.toStringTag;
const SymbolPrototype = Symbol.prototype;
const SymbolPrototypeToString = uncurryThis(SymbolPrototype.toString);
const SymbolPrototypeValueOf = uncurryThis(SymbolPrototype.valueOf);

const FunctionPrototypeToString = uncurryThis(Function.prototype.toString);
const AsyncFunctionPrototype = ObjectGetPrototypeOf(async function () {});
const GeneratorFunctionPrototype = ObjectGetPrototypeOf(function* () {});
const AsyncGeneratorFunctionPrototype = ObjectGetPrototypeOf(async function* () {});

const ErrorPrototype = Error.prototype;
const ErrorCaptureStackTrace = Error.captureStackTrace;
const ErrorIsError = Error.isError;
const ReferenceErrorPrototype = ReferenceError.prototype;

const DateNow = Date.now;
const DatePrototype = Date.prototype;
const DatePrototypeGetTime = uncurryThis(DatePrototype.getTime);
const DatePrototypeToISOString = uncurryThis(DatePrototype.toISOString);
const RegExpConstructor = RegExp;
const RegExpPrototype = RegExp.prototype;
const RegExpPrototypeGetSource = uncurryGetter(RegExpPrototype, "source");
const RegExpPrototypeToString = uncurryThis(RegExpPrototype.toString);

const MapPrototype = Map.prototype;
const MapPrototypeGetSize = uncurryGetter(MapPrototype, "size");
const MapPrototypeEntries = uncurryThis(MapPrototype.entries);
const MapIteratorPrototypeNext = uncurryThis(ObjectGetPrototypeOf(new Map().entries()).next);
const SetPrototype = Set.prototype;
const SetPrototypeGetSize = uncurryGetter(SetPrototype, "size");
const SetPrototypeValues = uncurryThis(SetPrototype.values);
const SetIteratorPrototypeNext = uncurryThis(ObjectGetPrototypeOf(new Set().values()).next);
const WeakMapPrototype = WeakMap.prototype;
const WeakMapPrototypeHas = uncurryThis(WeakMapPrototype.has);
const WeakSetPrototype = WeakSet.prototype;
const WeakSetPrototypeHas = uncurryThis(WeakSetPrototype.has);
const PromisePrototype = Promise.prototype;

const TypedArrayPrototype = ObjectGetPrototypeOf(Uint8Array.prototype);
const TypedArrayPrototypeGetLength = uncurryGetter(TypedArrayPrototype, "length");
const TypedArrayPrototypeGetToStringTag = uncurryGetter(TypedArrayPrototype, SymbolToStringTag);
const Uint8ArrayConstructor = Uint8Array;
const ArrayBufferPrototype = ArrayBuffer.prototype;
const ArrayBufferPrototypeGetByteLength = uncurryGetter(ArrayBufferPrototype, "byteLength");
const SharedArrayBufferPrototype = typeof SharedArrayBuffer === "function" ? SharedArrayBuffer.prototype : undefined;
const SharedArrayBufferPrototypeGetByteLength = SharedArrayBufferPrototype === undefined
  ? undefined
  : uncurryGetter(SharedArrayBufferPrototype, "byteLength");
const DataViewPrototype = DataView.prototype;
const DataViewPrototypeGetBuffer = uncurryGetter(DataViewPrototype, "buffer");
const DataViewPrototypeGetByteLength = uncurryGetter(DataViewPrototype, "byteLength");
const DataViewPrototypeGetByteOffset = uncurryGetter(DataViewPrototype, "byteOffset");

/** `toString` methods of builtins: `%s` inspects objects that only have these. */
const BUILTIN_TO_STRINGS = [
  ObjectPrototype.toString,
  Array.prototype.toString,
  Error.prototype.toString,
  Date.prototype.toString,
  RegExpPrototype.toString,
  Function.prototype.toString,
  Number.prototype.toString,
  String.prototype.toString,
  Boolean.prototype.toString,
  Symbol.prototype.toString,
  BigInt.prototype.toString,
];

// ---------------------------------------------------------------------------
// Process-wide switches, set by the runtime
// ---------------------------------------------------------------------------

let colorsEnabled = false;
let isTerminal = false;
let promiseStateGetter = undefined;

/**
 * Turns ANSI colors on or off for every console (off by default; the runtime
 * leaves them off when NO_COLOR is set or the output is not a terminal).
 * @param {boolean} enabled
 */
export function setColors(enabled) {
  colorsEnabled = !!enabled;
}

/**
 * Tells the console whether stdout is a terminal: `console.clear()` only
 * clears a terminal and is a no-op otherwise (the default).
 * @param {boolean} terminal
 */
export function setIsTerminal(terminal) {
  isTerminal = !!terminal;
}

/**
 * Plain JavaScript cannot read a promise's state; the runtime provides it.
 * `getter(promise)` returns `{ state: "pending" | "fulfilled" | "rejected",
 * result }`. Without a getter promises print as `Promise { <unknown> }`.
 * @param {((promise: Promise<unknown>) => { state: string, result?: unknown }) | undefined} getter
 */
export function setPromiseStateGetter(getter) {
  promiseStateGetter = typeof getter === "function" ? getter : undefined;
}

// ---------------------------------------------------------------------------
// Small helpers
// ---------------------------------------------------------------------------

/** `object[key]`, or `undefined` when a getter or proxy trap throws. */
function safeGet(object, key) {
  try {
    return object[key];
  } catch {
    return undefined;
  }
}

/** String conversion that never throws (symbols included). */
function safeString(value) {
  try {
    return typeof value === "symbol" ? SymbolPrototypeToString(value) : `${value}`;
  } catch {
    return "";
  }
}

function isObjectLike(value) {
  return value !== null && (typeof value === "object" || typeof value === "function");
}

function plural(count, word) {
  return `${count} ${word}${count === 1 ? "" : "s"}`;
}

/** Indents every line but the first of `text` by `width` spaces. */
function indentLines(text, width) {
  if (width === 0 || !StringPrototypeIncludes(text, "\n")) return text;
  const newline = `\n${StringPrototypeRepeat(" ", width)}`;
  let result = "";
  let start = 0;
  let end;
  while ((end = StringPrototypeIndexOf(text, "\n", start)) !== -1) {
    result += StringPrototypeSlice(text, start, end) + newline;
    start = end + 1;
  }
  return result + StringPrototypeSlice(text, start);
}

function splitLines(text) {
  const lines = [];
  let start = 0;
  let end;
  while ((end = StringPrototypeIndexOf(text, "\n", start)) !== -1) {
    ArrayPrototypePush(lines, StringPrototypeSlice(text, start, end));
    start = end + 1;
  }
  ArrayPrototypePush(lines, StringPrototypeSlice(text, start));
  return lines;
}

/** `"Name: message"`, as `Error.prototype.toString` builds it. */
function errorHeader(name, message) {
  const text = message === undefined ? "" : safeString(message);
  if (name === "") return text;
  if (text === "") return name;
  return `${name}: ${text}`;
}

/** A short description of something thrown during inspection. */
function describeThrown(thrown) {
  if (!isObjectLike(thrown)) return safeString(thrown);
  const name = safeGet(thrown, "name");
  return errorHeader(name == null ? "Error" : safeString(name), safeGet(thrown, "message"));
}

// ---------------------------------------------------------------------------
// Colors and text width
// ---------------------------------------------------------------------------

/** ANSI SGR [open, close] codes per style, the palette of Node.js and Deno. */
const STYLES = {
  __proto__: null,
  special: [36, 39], // cyan: functions, [Getter], [Circular *1], <pending>
  number: [33, 39], // yellow
  bigint: [33, 39],
  boolean: [33, 39],
  undefined: [90, 39], // grey
  null: [1, 22], // bold
  string: [32, 39], // green
  symbol: [32, 39],
  date: [35, 39], // magenta
  regexp: [31, 39], // red
  module: [4, 24], // underline
};

function stylize(ctx, text, style) {
  const codes = STYLES[style];
  if (!ctx.colors || codes === undefined) return text;
  return `\x1b[${codes[0]}m${text}\x1b[${codes[1]}m`;
}

/** Removes ANSI escape sequences (`ESC [ ... final-byte`). */
function stripAnsi(text) {
  if (!StringPrototypeIncludes(text, "\x1b")) return text;
  let result = "";
  let start = 0;
  let escape;
  while ((escape = StringPrototypeIndexOf(text, "\x1b[", start)) !== -1) {
    result += StringPrototypeSlice(text, start, escape);
    let end = escape + 2;
    while (end < text.length) {
      const code = StringPrototypeCharCodeAt(text, end);
      if (code >= 0x40 && code <= 0x7e) break;
      end++;
    }
    start = end + 1;
  }
  return result + StringPrototypeSlice(text, start);
}

function isZeroWidth(code) {
  return code <= 0x1f ||
    (code >= 0x7f && code <= 0x9f) ||
    (code >= 0x300 && code <= 0x36f) || // combining diacritical marks
    (code >= 0x200b && code <= 0x200f) || // zero-width space, joiners, marks
    (code >= 0x20d0 && code <= 0x20ff) ||
    (code >= 0xfe00 && code <= 0xfe0f) || // variation selectors
    (code >= 0xfe20 && code <= 0xfe2f) ||
    (code >= 0xe0100 && code <= 0xe01ef);
}

/** East Asian wide and fullwidth characters, and emoji: two columns. */
function isFullWidth(code) {
  return code >= 0x1100 && (
    code <= 0x115f ||
    code === 0x2329 || code === 0x232a ||
    (code >= 0x2e80 && code <= 0x3247 && code !== 0x303f) ||
    (code >= 0x3250 && code <= 0x4dbf) ||
    (code >= 0x4e00 && code <= 0xa4c6) ||
    (code >= 0xa960 && code <= 0xa97c) ||
    (code >= 0xac00 && code <= 0xd7a3) ||
    (code >= 0xf900 && code <= 0xfaff) ||
    (code >= 0xfe10 && code <= 0xfe19) ||
    (code >= 0xfe30 && code <= 0xfe6b) ||
    (code >= 0xff01 && code <= 0xff60) ||
    (code >= 0xffe0 && code <= 0xffe6) ||
    (code >= 0x1b000 && code <= 0x1b001) ||
    (code >= 0x1f200 && code <= 0x1f251) ||
    (code >= 0x1f300 && code <= 0x1f64f) ||
    (code >= 0x1f900 && code <= 0x1f9ff) ||
    (code >= 0x20000 && code <= 0x3fffd)
  );
}

/** Number of terminal columns `text` occupies. */
function stringWidth(text) {
  const plain = stripAnsi(text);
  let width = 0;
  for (let i = 0; i < plain.length; i++) {
    const code = StringPrototypeCodePointAt(plain, i);
    if (code > 0xffff) i++;
    if (isZeroWidth(code)) continue;
    width += isFullWidth(code) ? 2 : 1;
  }
  return width;
}

// ---------------------------------------------------------------------------
// Strings, keys and other primitives
// ---------------------------------------------------------------------------

/** Quote characters in order of preference, as Deno does. */
const QUOTES = ['"', "'", "`"];

const CONTROL_ESCAPES = {
  __proto__: null,
  8: "\\b",
  9: "\\t",
  10: "\\n",
  11: "\\x0B",
  12: "\\f",
  13: "\\r",
};

function hexByte(code) {
  return StringPrototypePadStart(NumberPrototypeToString(code, 16), 2, "0");
}

/** The first quote that does not occur in `text` (backticks not with `${`). */
function pickQuote(text) {
  if (!StringPrototypeIncludes(text, QUOTES[0])) return QUOTES[0];
  if (!StringPrototypeIncludes(text, QUOTES[1])) return QUOTES[1];
  if (!StringPrototypeIncludes(text, "`") && !StringPrototypeIncludes(text, "${")) return "`";
  return QUOTES[0];
}

/**
 * `text` as a string literal: backslash, the quote, control characters and
 * lone surrogates are escaped.
 */
function quoteString(text) {
  const quote = pickQuote(text);
  const quoteCode = StringPrototypeCharCodeAt(quote, 0);
  let result = "";
  let copied = 0;
  for (let i = 0; i < text.length; i++) {
    const code = StringPrototypeCharCodeAt(text, i);
    let escape;
    if (code === quoteCode || code === 0x5c) {
      escape = `\\${text[i]}`;
    } else if (code < 0x20 || code === 0x7f) {
      escape = CONTROL_ESCAPES[code] ?? `\\x${StringPrototypeToUpperCase(hexByte(code))}`;
    } else if (code >= 0xd800 && code <= 0xdfff) {
      const next = StringPrototypeCharCodeAt(text, i + 1);
      if (code <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
        i++; // a well-formed surrogate pair
        continue;
      }
      escape = `\\u${NumberPrototypeToString(code, 16)}`;
    } else {
      continue;
    }
    result += StringPrototypeSlice(text, copied, i) + escape;
    copied = i + 1;
  }
  return quote + result + StringPrototypeSlice(text, copied) + quote;
}

function formatString(ctx, text) {
  let trailer = "";
  if (text.length > ctx.maxStringLength) {
    const remaining = text.length - ctx.maxStringLength;
    text = StringPrototypeSlice(text, 0, ctx.maxStringLength);
    trailer = `... ${plural(remaining, "more character")}`;
  }
  return stylize(ctx, quoteString(text), "string") + trailer;
}

function formatNumber(ctx, number) {
  return stylize(ctx, ObjectIs(number, -0) ? "-0" : `${number}`, "number");
}

function formatPrimitive(ctx, value) {
  switch (typeof value) {
    case "string":
      return formatString(ctx, value);
    case "number":
      return formatNumber(ctx, value);
    case "bigint":
      return stylize(ctx, `${value}n`, "bigint");
    case "boolean":
      return stylize(ctx, `${value}`, "boolean");
    case "symbol":
      return stylize(ctx, SymbolPrototypeToString(value), "symbol");
    default:
      return stylize(ctx, "undefined", "undefined");
  }
}

function isAsciiLetterOrUnderscore(code) {
  return (code >= 0x41 && code <= 0x5a) || (code >= 0x61 && code <= 0x7a) || code === 0x5f;
}

/** Keys printed without quotes: `[A-Za-z_][A-Za-z0-9_]*`. */
function isPlainKey(key) {
  if (key.length === 0 || !isAsciiLetterOrUnderscore(StringPrototypeCharCodeAt(key, 0))) return false;
  for (let i = 1; i < key.length; i++) {
    const code = StringPrototypeCharCodeAt(key, i);
    if (!isAsciiLetterOrUnderscore(code) && !(code >= 0x30 && code <= 0x39)) return false;
  }
  return true;
}

/** Whether `key` is a canonical array index ("0", "1", ..., "4294967294"). */
function isArrayIndex(key) {
  if (typeof key !== "string" || key.length === 0 || key.length > 10) return false;
  if (StringPrototypeCharCodeAt(key, 0) === 0x30) return key.length === 1;
  for (let i = 0; i < key.length; i++) {
    const code = StringPrototypeCharCodeAt(key, i);
    if (code < 0x30 || code > 0x39) return false;
  }
  return +key < 4294967295;
}

function formatKey(ctx, key, enumerable) {
  if (typeof key === "symbol") return `[${stylize(ctx, SymbolPrototypeToString(key), "symbol")}]`;
  if (key === "__proto__") return `[${quoteString(key)}]`;
  if (enumerable === false) return `[${key}]`;
  if (isPlainKey(key)) return key;
  return stylize(ctx, quoteString(key), "string");
}

// ---------------------------------------------------------------------------
// Type detection (brand checks that work on objects from plain JavaScript)
// ---------------------------------------------------------------------------

/** Calls `check(value)` and reports whether it did not throw. */
function passes(check, value) {
  try {
    check(value);
    return true;
  } catch {
    return false;
  }
}

/** `predicate(value)`, or false when it throws (a proxy trap). */
function safely(predicate, value) {
  try {
    return predicate(value);
  } catch {
    return false;
  }
}

/** `IsArray` throws only for a revoked proxy. */
function isRevokedProxy(value) {
  return !passes(ArrayIsArray, value);
}

/**
 * Whether `value` has the internal slots of a builtin type, found by calling
 * a builtin that throws for any other object. Exceptions are slow, so this
 * only runs when the builtin's prototype is on the value's chain, or when
 * there is no constructor on the chain at all (`Object.setPrototypeOf(new
 * Map(), null)`); pass `constructor` undefined to always check.
 */
function hasBrand(value, constructor, prototype, check) {
  if (
    constructor !== undefined && constructor !== null &&
    !ObjectPrototypeIsPrototypeOf(prototype, value)
  ) {
    return false;
  }
  return passes(check, value);
}

const isSet = (value, constructor) => hasBrand(value, constructor, SetPrototype, SetPrototypeGetSize);
const isMap = (value, constructor) => hasBrand(value, constructor, MapPrototype, MapPrototypeGetSize);
const isDate = (value, constructor) => hasBrand(value, constructor, DatePrototype, DatePrototypeGetTime);
const isDataView = (value, constructor) => hasBrand(value, constructor, DataViewPrototype, DataViewPrototypeGetBuffer);
const isWeakMap = (value, constructor) =>
  hasBrand(value, constructor, WeakMapPrototype, (map) => WeakMapPrototypeHas(map, ObjectPrototype));
const isWeakSet = (value, constructor) =>
  hasBrand(value, constructor, WeakSetPrototype, (set) => WeakSetPrototypeHas(set, ObjectPrototype));
const isPromise = (value) => ObjectPrototypeIsPrototypeOf(PromisePrototype, value);

/** `RegExp.prototype` has a `source` too, but is no regular expression. */
function isRegExp(value, constructor) {
  return value !== RegExpPrototype &&
    hasBrand(value, constructor, RegExpPrototype, RegExpPrototypeGetSource);
}

function isError(value) {
  if (ErrorIsError !== undefined && ErrorIsError(value)) return true;
  return ObjectPrototypeIsPrototypeOf(ErrorPrototype, value) ||
    ObjectPrototypeToString(value) === "[object Error]";
}

function isArgumentsObject(value) {
  return ObjectPrototypeToString(value) === "[object Arguments]";
}

/** "ArrayBuffer", "SharedArrayBuffer" or undefined. */
function getArrayBufferKind(value, constructor) {
  if (hasBrand(value, constructor, ArrayBufferPrototype, ArrayBufferPrototypeGetByteLength)) {
    return "ArrayBuffer";
  }
  if (
    SharedArrayBufferPrototype !== undefined &&
    hasBrand(value, constructor, SharedArrayBufferPrototype, SharedArrayBufferPrototypeGetByteLength)
  ) {
    return "SharedArrayBuffer";
  }
  return undefined;
}

/** A module namespace object: null prototype, tag "Module", not extensible. */
function isModuleNamespace(value, constructor, tag) {
  return constructor === null && tag === "Module" && !ObjectIsExtensible(value);
}

const BOXED_TYPES = [
  { type: "Number", prototype: NumberPrototype, valueOf: NumberPrototypeValueOf },
  { type: "String", prototype: StringPrototype, valueOf: StringPrototypeValueOf },
  { type: "Boolean", prototype: BooleanPrototype, valueOf: BooleanPrototypeValueOf },
  { type: "BigInt", prototype: BigIntPrototype, valueOf: BigIntPrototypeValueOf },
  { type: "Symbol", prototype: SymbolPrototype, valueOf: SymbolPrototypeValueOf },
];

/** `{ type, primitive }` for `new Number(1)`, `Object(Symbol())`, ...; else undefined. */
function getBoxedPrimitive(value, constructor) {
  for (let i = 0; i < BOXED_TYPES.length; i++) {
    const { type, prototype, valueOf } = BOXED_TYPES[i];
    if (hasBrand(value, constructor, prototype, valueOf)) return { type, primitive: valueOf(value) };
  }
  return undefined;
}

function functionKind(fn) {
  const proto = ObjectGetPrototypeOf(fn);
  if (proto === AsyncFunctionPrototype) return "AsyncFunction";
  if (proto === GeneratorFunctionPrototype) return "GeneratorFunction";
  if (proto === AsyncGeneratorFunctionPrototype) return "AsyncGeneratorFunction";
  return "Function";
}

/** Whether function source text is a class: `class {`, `class A ...`. */
function isClassSource(source) {
  if (!StringPrototypeStartsWith(source, "class") || !StringPrototypeEndsWith(source, "}")) {
    return false;
  }
  const next = source[5];
  return next === " " || next === "{" || next === "\n" || next === "\t" || next === "\r" ||
    next === "/";
}

/**
 * The name of the nearest constructor on the prototype chain that `object`
 * is an instance of, or null for objects without one (null prototype).
 */
function getConstructorName(object) {
  let current = object;
  for (let hops = 0; current !== null; hops++) {
    if (hops === 1000) return "<Complex prototype>";
    const descriptor = ObjectGetOwnPropertyDescriptor(current, "constructor");
    const constructor = descriptor?.value;
    if (typeof constructor === "function") {
      const name = safeGet(constructor, "name");
      if (typeof name === "string" && name !== "" && isInstanceOf(object, constructor)) {
        return name;
      }
    }
    current = ObjectGetPrototypeOf(current);
  }
  return null;
}

function isInstanceOf(object, constructor) {
  try {
    return object instanceof constructor;
  } catch {
    return false;
  }
}

/** `Symbol.toStringTag`, unless absent or an own enumerable (printed as a key). */
function getToStringTag(value) {
  const tag = safeGet(value, SymbolToStringTag);
  if (typeof tag !== "string" || tag === "") return "";
  if (ObjectPrototypePropertyIsEnumerable(value, SymbolToStringTag)) return "";
  return tag;
}

/**
 * How an object introduces itself: `Foo`, `Foo(2) [Tag]`,
 * `[Object: null prototype]`.
 */
function nameFor(constructor, tag, fallback, size = "") {
  if (constructor === null) {
    if (tag !== "" && tag !== fallback) return `[${fallback}${size}: null prototype] [${tag}]`;
    return `[${fallback}${size}: null prototype]`;
  }
  if (tag !== "" && tag !== constructor) return `${constructor}${size} [${tag}]`;
  return `${constructor}${size}`;
}

/** Arrays, typed arrays and other objects with more than 64Ki elements skip
 * enumerating their index keys to find extra properties (too slow). */
const MAX_KEY_SCAN_LENGTH = 65536;

/** Own enumerable keys, strings then symbols; array indices left out on request. */
function getKeys(value, skipIndices = false, length = 0) {
  const keys = [];
  if (!skipIndices || length <= MAX_KEY_SCAN_LENGTH) {
    const names = ObjectKeys(value);
    for (let i = 0; i < names.length; i++) {
      if (!skipIndices || !isArrayIndex(names[i])) ArrayPrototypePush(keys, names[i]);
    }
  }
  const symbols = ObjectGetOwnPropertySymbols(value);
  for (let i = 0; i < symbols.length; i++) {
    if (ObjectPrototypePropertyIsEnumerable(value, symbols[i])) ArrayPrototypePush(keys, symbols[i]);
  }
  return keys;
}

// ---------------------------------------------------------------------------
// inspect(): the value formatter
// ---------------------------------------------------------------------------

const CUSTOM_INSPECT_DENO = SymbolFor("Deno.customInspect");
const CUSTOM_INSPECT_NODE = SymbolFor("nodejs.util.inspect.custom");

/** Objects whose custom inspect hook is running: a hook calling
 * `inspect(this)` gets the default rendering instead of recursing forever. */
const runningHooks = [];

/**
 * Renders `value` as a string in the style of Deno / Node.js.
 *
 * Options (all optional):
 * - `colors` (false): ANSI colors.
 * - `depth` (4): nesting levels shown before `[Object]`; `null` or Infinity
 *   for no limit.
 * - `breakLength` (80): the width past which entries go on separate lines.
 * - `compact` (3): how many inner levels may share one line; `false` puts
 *   every entry on its own line.
 * - `maxArrayLength` (100): entries shown per array, typed array, Map, Set.
 * - `maxStringLength` (10000): characters shown per nested string.
 * - `customInspect` (true): call `Symbol.for("Deno.customInspect")` and
 *   `Symbol.for("nodejs.util.inspect.custom")` hooks.
 *
 * @param {unknown} value
 * @param {object} [options]
 * @returns {string}
 */
export function inspect(value, options = undefined) {
  return formatValue(createContext(options), value, 0);
}

function createContext(options) {
  const ctx = {
    colors: false,
    depth: 4,
    breakLength: 80,
    compact: 3,
    maxArrayLength: 100,
    maxStringLength: 10000,
    customInspect: true,
    // State of one inspection:
    indentationLvl: 0,
    currentDepth: 0,
    seen: [], // objects being formatted, outermost first
    circular: [], // objects referred to by [Circular *n], at index n - 1
  };
  if (!isObjectLike(options)) return ctx;
  const colors = safeGet(options, "colors");
  if (typeof colors === "boolean") ctx.colors = colors;
  const customInspect = safeGet(options, "customInspect");
  if (typeof customInspect === "boolean") ctx.customInspect = customInspect;
  const depth = safeGet(options, "depth");
  if (depth === null) ctx.depth = Infinity;
  else if (typeof depth === "number" && !NumberIsNaN(depth)) ctx.depth = depth;
  const breakLength = safeGet(options, "breakLength");
  if (typeof breakLength === "number" && breakLength > 0) ctx.breakLength = breakLength;
  const compact = safeGet(options, "compact");
  if (compact === false) ctx.compact = false;
  else if (typeof compact === "number" && compact >= 1) ctx.compact = compact;
  ctx.maxArrayLength = readLimit(options, "maxArrayLength", ctx.maxArrayLength);
  ctx.maxStringLength = readLimit(options, "maxStringLength", ctx.maxStringLength);
  return ctx;
}

function readLimit(options, key, fallback) {
  const limit = safeGet(options, key);
  if (limit === null) return Infinity;
  if (typeof limit === "number" && !NumberIsNaN(limit)) return MathMax(0, limit);
  return fallback;
}

function formatValue(ctx, value, recurseTimes) {
  if (value === null) return stylize(ctx, "null", "null");
  if (!isObjectLike(value)) return formatPrimitive(ctx, value);
  const seenLength = ctx.seen.length;
  const indentation = ctx.indentationLvl;
  try {
    if (isRevokedProxy(value)) return stylize(ctx, "<Revoked Proxy>", "special");
    const custom = formatWithCustomInspect(ctx, value, recurseTimes);
    if (custom !== undefined) return custom;
    if (ArrayPrototypeIndexOf(ctx.seen, value) !== -1) return formatCircular(ctx, value);
    return formatRaw(ctx, value, recurseTimes);
  } catch (thrown) {
    // A proxy trap or custom inspect hook threw (or the stack overflowed).
    ctx.seen.length = seenLength;
    ctx.indentationLvl = indentation;
    return stylize(ctx, `<Inspection threw ${describeThrown(thrown)}>`, "special");
  }
}

/**
 * Runs a custom inspect hook, if `value` has one: Deno's is called as
 * `(inspect, options)`, Node's as `(depth, options, inspect)`. Returns
 * undefined to fall back to the default rendering.
 */
function formatWithCustomInspect(ctx, value, recurseTimes) {
  if (!ctx.customInspect || ArrayPrototypeIndexOf(runningHooks, value) !== -1) return undefined;
  const denoHook = value[CUSTOM_INSPECT_DENO];
  const nodeHook = typeof denoHook === "function" ? undefined : value[CUSTOM_INSPECT_NODE];
  if (typeof denoHook !== "function" && typeof nodeHook !== "function") return undefined;
  if (isPrototypeOfItsConstructor(value)) return undefined;

  const options = hookOptions(ctx, recurseTimes);
  let result;
  ArrayPrototypePush(runningHooks, value);
  try {
    result = typeof denoHook === "function"
      ? ReflectApply(denoHook, value, [inspect, options])
      : ReflectApply(nodeHook, value, [options.depth, options, inspect]);
  } finally {
    ArrayPrototypePop(runningHooks);
  }
  if (result === value) return undefined;
  if (typeof result !== "string") return formatValue(ctx, result, recurseTimes);
  return indentLines(result, ctx.indentationLvl);
}

/** `Foo.prototype` has Foo's hook but should print as an ordinary object. */
function isPrototypeOfItsConstructor(value) {
  const constructor = safeGet(value, "constructor");
  return isObjectLike(constructor) && safeGet(constructor, "prototype") === value;
}

/** A fresh options object for a hook (hooks cannot change this inspection). */
function hookOptions(ctx, recurseTimes) {
  return {
    colors: ctx.colors,
    depth: ctx.depth === Infinity ? null : ctx.depth - recurseTimes, // null: no limit
    breakLength: ctx.breakLength,
    compact: ctx.compact,
    maxArrayLength: ctx.maxArrayLength,
    maxStringLength: ctx.maxStringLength,
    customInspect: ctx.customInspect,
    indentationLvl: ctx.indentationLvl,
    stylize: (text, style) => stylize(ctx, safeString(text), style),
  };
}

function formatCircular(ctx, value) {
  let index = ArrayPrototypeIndexOf(ctx.circular, value);
  if (index === -1) index = ArrayPrototypePush(ctx.circular, value) - 1;
  return stylize(ctx, `[Circular *${index + 1}]`, "special");
}

/**
 * Formats an object without custom hook: `describe` decides how it looks
 * (or renders it completely when it has no entries), then its entries and
 * own enumerable properties are formatted one level deeper and combined.
 */
function formatRaw(ctx, value, recurseTimes) {
  const constructor = getConstructorName(value);
  const tag = getToStringTag(value);
  const layout = describe(ctx, value, constructor, tag, recurseTimes);
  if (typeof layout === "string") return layout;
  if (recurseTimes > ctx.depth) {
    const name = nameFor(constructor, tag, layout.fallback);
    return stylize(ctx, constructor === null ? name : `[${name}]`, "special");
  }

  recurseTimes++;
  ArrayPrototypePush(ctx.seen, value);
  ctx.currentDepth = recurseTimes;
  const output = layout.entries === undefined ? [] : layout.entries(ctx, value, recurseTimes, layout);
  for (let i = 0; i < layout.keys.length; i++) {
    ArrayPrototypePush(output, formatProperty(ctx, value, layout.keys[i], recurseTimes));
  }
  ArrayPrototypePop(ctx.seen);

  let base = layout.base;
  const reference = ArrayPrototypeIndexOf(ctx.circular, value);
  if (reference !== -1) {
    const marker = stylize(ctx, `<ref *${reference + 1}>`, "special");
    base = base === "" ? marker : `${marker} ${base}`;
  }
  return combineEntries(ctx, output, base, layout, recurseTimes);
}

/**
 * How an object is laid out: `base` precedes the braces (a function name,
 * an error stack), `entries(ctx, value, recurseTimes, layout)` returns the
 * entries shown before the `keys` (array items, Map entries, ...).
 */
function makeLayout(open, close, keys, fallback, entries = undefined) {
  return {
    base: "",
    open,
    close,
    keys,
    fallback, // type name for `[Object: null prototype]`-style names
    entries,
    grouping: false, // array-like: short entries may be put in columns
    numeric: false, // every entry is a number: right-aligned in columns
    hasTrailer: false, // the last entry is "... N more items"
  };
}

/** Returns a layout, or the finished string for objects without entries. */
function describe(ctx, value, constructor, tag, recurseTimes) {
  if (ArrayIsArray(value)) return describeArray(value, constructor, tag);
  if (isSet(value, constructor)) return describeSet(value, constructor, tag);
  if (isMap(value, constructor)) return describeMap(value, constructor, tag);
  const typedArrayName = TypedArrayPrototypeGetToStringTag(value);
  if (typedArrayName !== undefined) return describeTypedArray(value, constructor, tag, typedArrayName);
  if (typeof value === "function") return describeFunction(ctx, value, constructor, tag);
  if (constructor === "Object") return describePlainObject(value, tag);
  if (isRegExp(value, constructor)) return describeRegExp(ctx, value, constructor, tag, recurseTimes);
  if (isDate(value, constructor)) return describeDate(ctx, value, constructor, tag);
  if (isError(value)) return describeError(ctx, value, constructor, tag);
  const bufferKind = getArrayBufferKind(value, constructor);
  if (bufferKind !== undefined) return describeArrayBuffer(value, constructor, tag, bufferKind);
  if (isDataView(value, constructor)) {
    return makeLayout(
      `${nameFor(constructor, tag, "DataView")} {`,
      "}",
      getKeys(value),
      "DataView",
      formatDataViewEntries,
    );
  }
  if (isPromise(value)) {
    return makeLayout(
      `${nameFor(constructor, tag, "Promise")} {`,
      "}",
      getKeys(value),
      "Promise",
      formatPromiseEntries,
    );
  }
  const weakKind = isWeakMap(value, constructor) ? "WeakMap" : isWeakSet(value, constructor) ? "WeakSet" : undefined;
  if (weakKind !== undefined) {
    return makeLayout(`${nameFor(constructor, tag, weakKind)} {`, "}", getKeys(value), weakKind, formatUnknownItems);
  }
  if (isModuleNamespace(value, constructor, tag)) return describeModuleNamespace(value);
  const boxed = getBoxedPrimitive(value, constructor);
  if (boxed !== undefined) return describeBoxedPrimitive(ctx, value, constructor, tag, boxed);
  return describeObject(value, constructor, tag);
}

function describeArray(array, constructor, tag) {
  const length = array.length;
  const keys = getKeys(array, true, length);
  const prefix = constructor === "Array" && tag === "" ? "" : `${nameFor(constructor, tag, "Array", `(${length})`)} `;
  if (length === 0 && keys.length === 0) return `${prefix}[]`;
  const layout = makeLayout(`${prefix}[`, "]", keys, "Array", formatArrayEntries);
  layout.grouping = true;
  return layout;
}

function describeTypedArray(typedArray, constructor, tag, typeName) {
  const length = TypedArrayPrototypeGetLength(typedArray);
  const keys = getKeys(typedArray, true, length);
  const open = `${nameFor(constructor, tag, typeName, `(${length})`)} [`;
  if (length === 0 && keys.length === 0) return `${open}]`;
  const layout = makeLayout(open, "]", keys, typeName, formatTypedArrayEntries);
  layout.grouping = true;
  return layout;
}

function describeSet(set, constructor, tag) {
  const size = SetPrototypeGetSize(set);
  const keys = getKeys(set);
  const open = `${nameFor(constructor, tag, "Set", `(${size})`)} {`;
  if (size === 0 && keys.length === 0) return `${open}}`;
  return makeLayout(open, "}", keys, "Set", formatSetEntries);
}

function describeMap(map, constructor, tag) {
  const size = MapPrototypeGetSize(map);
  const keys = getKeys(map);
  const open = `${nameFor(constructor, tag, "Map", `(${size})`)} {`;
  if (size === 0 && keys.length === 0) return `${open}}`;
  return makeLayout(open, "}", keys, "Map", formatMapEntries);
}

function describePlainObject(object, tag) {
  const keys = getKeys(object);
  let open = "{";
  if (isArgumentsObject(object)) open = "[Arguments] {";
  else if (tag !== "") open = `${nameFor("Object", tag, "Object")} {`;
  if (keys.length === 0) return `${open}}`;
  return makeLayout(open, "}", keys, "Object");
}

function describeObject(object, constructor, tag) {
  const keys = getKeys(object);
  const name = nameFor(constructor, tag, "Object");
  if (keys.length === 0) return `${name} {}`;
  return makeLayout(`${name} {`, "}", keys, "Object");
}

function describeModuleNamespace(namespace) {
  const keys = [];
  const ownKeys = ReflectOwnKeys(namespace);
  for (let i = 0; i < ownKeys.length; i++) {
    if (typeof ownKeys[i] === "string") ArrayPrototypePush(keys, ownKeys[i]);
  }
  if (keys.length === 0) return "[Module: null prototype] {}";
  return makeLayout("[Module: null prototype] {", "}", keys, "Module");
}

/** Objects that print as a single token (`[Function: f]`, `/a/g`, a date)
 * followed, when they have own properties, by those in braces (the token is
 * then not colored, like Node.js). */
function withProperties(base, keys, fallback) {
  const layout = makeLayout("{", "}", keys, fallback);
  layout.base = base;
  return layout;
}

function describeFunction(ctx, fn, constructor, tag) {
  const base = functionBase(fn, constructor, tag);
  const keys = getKeys(fn);
  return keys.length === 0 ? stylize(ctx, base, "special") : withProperties(base, keys, "Function");
}

/** `[Function: f]`, `[AsyncFunction (anonymous)]`, `[class B extends A]`. */
function functionBase(fn, constructor, tag) {
  let source = "";
  try {
    source = FunctionPrototypeToString(fn);
  } catch {
    // Not a real function (a callable proxy); print it as a function anyway.
  }
  if (isClassSource(source)) return classBase(fn, constructor, tag);
  const kind = functionKind(fn);
  const name = safeGet(fn, "name");
  let base = `[${kind}`;
  if (constructor === null) base += " (null prototype)";
  base += typeof name === "string" && name !== "" ? `: ${name}]` : " (anonymous)]";
  if (constructor !== kind && constructor !== null) base += ` ${constructor}`;
  if (tag !== "" && constructor !== tag) base += ` [${tag}]`;
  return base;
}

function classBase(cls, constructor, tag) {
  const name = ObjectPrototypeHasOwnProperty(cls, "name") ? safeGet(cls, "name") : undefined;
  let base = `class ${typeof name === "string" && name !== "" ? name : "(anonymous)"}`;
  if (constructor !== "Function" && constructor !== null) base += ` [${constructor}]`;
  if (tag !== "" && constructor !== tag) base += ` [${tag}]`;
  if (constructor === null) {
    base += " extends [null prototype]";
  } else {
    const superName = safeGet(ObjectGetPrototypeOf(cls), "name");
    if (typeof superName === "string" && superName !== "") base += ` extends ${superName}`;
  }
  return `[${base}]`;
}

function describeRegExp(ctx, regexp, constructor, tag, recurseTimes) {
  // A copy has the same internal source and flags but the usual prototype
  // (the original may have a null prototype or shadowing properties).
  let base = RegExpPrototypeToString(new RegExpConstructor(regexp));
  const name = nameFor(constructor, tag, "RegExp");
  if (name !== "RegExp") base = `${name} ${base}`;
  const keys = getKeys(regexp);
  if (keys.length === 0 || recurseTimes > ctx.depth) return stylize(ctx, base, "regexp");
  return withProperties(base, keys, "RegExp");
}

function describeDate(ctx, date, constructor, tag) {
  let base = NumberIsNaN(DatePrototypeGetTime(date)) ? "Invalid Date" : DatePrototypeToISOString(date);
  const name = nameFor(constructor, tag, "Date");
  if (name !== "Date") base = `${name} ${base}`;
  const keys = getKeys(date);
  return keys.length === 0 ? stylize(ctx, base, "date") : withProperties(base, keys, "Date");
}

/** `[Number: 3]`, `[String: "x"] { extra: 1 }`, `[Symbol: Symbol(a)]`. */
function describeBoxedPrimitive(ctx, boxed, constructor, tag, { type, primitive }) {
  let base = `[${type}`;
  if (constructor !== type) base += constructor === null ? " (null prototype)" : ` (${constructor})`;
  base += `: ${formatPrimitive({ ...ctx, colors: false }, primitive)}]`;
  if (tag !== "" && tag !== constructor) base += ` [${tag}]`;
  const keys = getKeys(boxed, type === "String", 0);
  if (keys.length === 0) return stylize(ctx, base, StringPrototypeToLowerCase(type));
  return withProperties(base, keys, type);
}

function describeArrayBuffer(buffer, constructor, tag, kind) {
  const byteLengthOf = kind === "ArrayBuffer"
    ? ArrayBufferPrototypeGetByteLength
    : SharedArrayBufferPrototypeGetByteLength;
  const entries = (ctx) => formatArrayBufferEntries(ctx, buffer, byteLengthOf(buffer));
  return makeLayout(`${nameFor(constructor, tag, kind)} {`, "}", getKeys(buffer), kind, entries);
}

// --- Errors ----------------------------------------------------------------

function describeError(ctx, error, constructor, tag) {
  const keys = getKeys(error);
  const base = formatErrorBase(ctx, error, constructor, tag, keys);
  return keys.length === 0 ? base : withProperties(base, keys, "Error");
}

/**
 * The error's stack (or `Name: message` when it has none), with the header
 * naming the actual class, frames shared with its `cause` elided, and lines
 * indented to the current level. Adjusts `keys`: properties already visible
 * in the stack are dropped, `cause` and AggregateError's `errors` are added.
 */
function formatErrorBase(ctx, error, constructor, tag, keys) {
  const rawName = safeGet(error, "name");
  const name = rawName == null ? "Error" : safeString(rawName);
  const rawStack = safeGet(error, "stack");
  let stack = typeof rawStack === "string" && rawStack !== "" ? rawStack : errorHeader(name, safeGet(error, "message"));

  removeKeysShownInStack(error, keys, stack);
  if (ArrayPrototypeIndexOf(keys, "cause") === -1 && hasProperty(error, "cause")) {
    ArrayPrototypePush(keys, "cause");
  }
  if (ArrayPrototypeIndexOf(keys, "errors") === -1 && safely(ArrayIsArray, safeGet(error, "errors"))) {
    ArrayPrototypePush(keys, "errors");
  }
  stack = nameActualClassInHeader(stack, constructor, name, tag);
  stack = elideFramesSharedWithCause(ctx, stack, error);
  return indentLines(stack, ctx.indentationLvl);
}

function hasProperty(object, key) {
  try {
    return key in object;
  } catch {
    return false;
  }
}

function removeKeysShownInStack(error, keys, stack) {
  const shown = ["name", "message", "stack"];
  for (let i = 0; i < shown.length; i++) {
    const index = ArrayPrototypeIndexOf(keys, shown[i]);
    if (index === -1) continue;
    const value = safeGet(error, shown[i]);
    if (typeof value === "string" && StringPrototypeIncludes(stack, value)) {
      for (let j = index; j < keys.length - 1; j++) keys[j] = keys[j + 1];
      keys.length--;
    }
  }
}

/**
 * A stack header starting with an inherited name ("Error: x" for
 * `class MyErr extends Error`) is rewritten to name the class:
 * "MyErr [Error]: x", or "MyError: x" when the class name contains it.
 */
function nameActualClassInHeader(stack, constructor, name, tag) {
  let nameLength = name.length;
  const headerIsName = StringPrototypeEndsWith(name, "Error") &&
    StringPrototypeStartsWith(stack, name) &&
    (stack.length === nameLength || stack[nameLength] === ":" || stack[nameLength] === "\n");
  if (constructor !== null && !headerIsName) return stack;

  let fallback = "Error";
  if (constructor === null) {
    const headerName = leadingName(stack);
    nameLength = headerName.length;
    fallback = headerName || "Error";
  }
  const actual = nameFor(constructor, tag, fallback);
  if (name === actual) return stack;
  if (StringPrototypeIncludes(actual, name)) {
    return nameLength === 0 ? `${actual}: ${stack}` : actual + StringPrototypeSlice(stack, nameLength);
  }
  return `${actual} [${name}]${StringPrototypeSlice(stack, nameLength)}`;
}

/** The identifier at the very start of a stack header ("TypeError" in
 * "TypeError: x"), or "" when the header does not start with one. */
function leadingName(stack) {
  let end = 0;
  while (end < stack.length) {
    const code = StringPrototypeCharCodeAt(stack, end);
    if (!isAsciiLetterOrUnderscore(code) && !(code >= 0x30 && code <= 0x39)) break;
    end++;
  }
  const next = stack[end];
  return next === undefined || next === ":" || next === "\n" ? StringPrototypeSlice(stack, 0, end) : "";
}

/** Replaces a run of stack frames also found in the cause's stack by
 * "... N lines matching cause stack trace ...". */
function elideFramesSharedWithCause(ctx, stack, error) {
  const cause = safeGet(error, "cause");
  if (!isObjectLike(cause) || !safely(isError, cause)) return stack;
  const causeStack = safeGet(cause, "stack");
  if (typeof causeStack !== "string") return stack;
  const causeFramesStart = StringPrototypeIndexOf(causeStack, "\n    at");
  if (causeFramesStart === -1) return stack;

  const lines = splitLines(stack);
  const causeLines = splitLines(StringPrototypeSlice(causeStack, causeFramesStart + 1));
  const { start, length } = findSharedRun(lines, causeLines);
  if (length === 0) return stack;
  // Keep the first and last shared frame, elide those in between.
  const elided = length - 2;
  const notice = stylize(ctx, `    ... ${elided} lines matching cause stack trace ...`, "undefined");
  const kept = [];
  for (let i = 0; i < lines.length; i++) {
    if (i === start + 1) ArrayPrototypePush(kept, notice);
    if (i <= start || i > start + elided) ArrayPrototypePush(kept, lines[i]);
  }
  return ArrayPrototypeJoin(kept, "\n");
}

/** The first run of more than three consecutive lines of `lines` that
 * also occurs in `other`, as `{ start, length }` (length 0: none). */
function findSharedRun(lines, other) {
  for (let i = 0; i < lines.length - 3; i++) {
    const position = ArrayPrototypeIndexOf(other, lines[i]);
    if (position === -1 || other.length - position <= 3) continue;
    const maxLength = MathMin(lines.length - i, other.length - position);
    let length = 1;
    while (length < maxLength && lines[i + length] === other[position + length]) length++;
    if (length > 3) return { start: i, length };
  }
  return { start: 0, length: 0 };
}

// --- Entries -----------------------------------------------------------------

function addRemainingItems(output, remaining, layout) {
  if (remaining <= 0) return;
  ArrayPrototypePush(output, `... ${plural(remaining, "more item")}`);
  layout.hasTrailer = true;
}

/** A run of holes, `<2 empty items>`: the array no longer counts as numeric. */
function addEmptyItems(ctx, output, count, layout) {
  ArrayPrototypePush(output, stylize(ctx, `<${plural(count, "empty item")}>`, "undefined"));
  layout.numeric = false;
}

/**
 * Array elements, at most `maxArrayLength` entries; runs of holes count as
 * one entry each.
 */
function formatArrayEntries(ctx, array, recurseTimes, layout) {
  const length = array.length;
  const limit = MathMin(ctx.maxArrayLength, length);
  const output = [];
  layout.numeric = true;
  let index = 0;
  // Dense prefix: the common case.
  while (output.length < limit && ObjectPrototypeHasOwnProperty(array, index)) {
    ArrayPrototypePush(output, formatArrayElement(ctx, array, index, recurseTimes, layout));
    index++;
  }
  if (output.length < limit && index < length) {
    // Holes: walk the own index keys (ascending, they come first).
    const keys = ObjectKeys(array);
    for (let i = 0; i < keys.length && output.length < limit; i++) {
      if (!isArrayIndex(keys[i])) continue;
      const position = +keys[i];
      if (position < index) continue;
      if (position > index) {
        addEmptyItems(ctx, output, position - index, layout);
        index = position;
        if (output.length === limit) break;
      }
      ArrayPrototypePush(output, formatArrayElement(ctx, array, index, recurseTimes, layout));
      index++;
    }
  }
  const remaining = length - index;
  if (remaining > 0 && output.length < limit) addEmptyItems(ctx, output, remaining, layout);
  else addRemainingItems(output, remaining, layout);
  return output;
}

function formatArrayElement(ctx, array, index, recurseTimes, layout) {
  const descriptor = getDescriptor(array, index);
  const type = typeof descriptor.value;
  if (type !== "number" && type !== "bigint") layout.numeric = false;
  return formatPropertyValue(ctx, descriptor, recurseTimes);
}

function formatTypedArrayEntries(ctx, typedArray, _recurseTimes, layout) {
  const length = TypedArrayPrototypeGetLength(typedArray);
  const limit = MathMin(ctx.maxArrayLength, length);
  const output = [];
  for (let i = 0; i < limit; i++) ArrayPrototypePush(output, formatPrimitive(ctx, typedArray[i]));
  layout.numeric = true;
  addRemainingItems(output, length - limit, layout);
  return output;
}

function formatSetEntries(ctx, set, recurseTimes, layout) {
  const size = SetPrototypeGetSize(set);
  const limit = MathMin(ctx.maxArrayLength, size);
  const iterator = SetPrototypeValues(set);
  const output = [];
  ctx.indentationLvl += 2;
  for (let i = 0; i < limit; i++) {
    const step = SetIteratorPrototypeNext(iterator);
    if (step.done) break;
    ArrayPrototypePush(output, formatValue(ctx, step.value, recurseTimes));
  }
  ctx.indentationLvl -= 2;
  addRemainingItems(output, size - limit, layout);
  return output;
}

function formatMapEntries(ctx, map, recurseTimes, layout) {
  const size = MapPrototypeGetSize(map);
  const limit = MathMin(ctx.maxArrayLength, size);
  const iterator = MapPrototypeEntries(map);
  const output = [];
  ctx.indentationLvl += 2;
  for (let i = 0; i < limit; i++) {
    const step = MapIteratorPrototypeNext(iterator);
    if (step.done) break;
    const key = formatValue(ctx, step.value[0], recurseTimes);
    ArrayPrototypePush(output, `${key} => ${formatValue(ctx, step.value[1], recurseTimes)}`);
  }
  ctx.indentationLvl -= 2;
  addRemainingItems(output, size - limit, layout);
  return output;
}

/** `[Uint8Contents]: <01 02>, byteLength: 2`. */
function formatArrayBufferEntries(ctx, buffer, byteLength) {
  const lengthEntry = `byteLength: ${formatNumber(ctx, byteLength)}`;
  let bytes;
  try {
    bytes = new Uint8ArrayConstructor(buffer);
  } catch {
    return [stylize(ctx, "(detached)", "special"), lengthEntry];
  }
  const length = TypedArrayPrototypeGetLength(bytes);
  const limit = MathMin(ctx.maxArrayLength, length);
  let hex = "";
  for (let i = 0; i < limit; i++) hex += (i === 0 ? "" : " ") + hexByte(bytes[i]);
  if (length > limit) hex += ` ... ${plural(length - limit, "more byte")}`;
  return [`${stylize(ctx, "[Uint8Contents]", "special")}: <${hex}>`, lengthEntry];
}

function formatDataViewEntries(ctx, view, recurseTimes) {
  const output = [];
  try {
    ArrayPrototypePush(output, `byteLength: ${formatNumber(ctx, DataViewPrototypeGetByteLength(view))}`);
    ArrayPrototypePush(output, `byteOffset: ${formatNumber(ctx, DataViewPrototypeGetByteOffset(view))}`);
  } catch {
    ArrayPrototypePush(output, stylize(ctx, "(detached)", "special"));
  }
  ctx.indentationLvl += 2;
  const buffer = formatValue(ctx, DataViewPrototypeGetBuffer(view), recurseTimes);
  ctx.indentationLvl -= 2;
  ArrayPrototypePush(output, `buffer: ${buffer}`);
  return output;
}

/** `<pending>`, the value, or `<rejected> reason`; `<unknown>` without a
 * state getter from the runtime. */
function formatPromiseEntries(ctx, promise, recurseTimes) {
  const { state, result } = readPromiseState(promise);
  if (state === "pending" || state === "unknown") return [stylize(ctx, `<${state}>`, "special")];
  ctx.indentationLvl += 2;
  const text = formatValue(ctx, result, recurseTimes);
  ctx.indentationLvl -= 2;
  return [state === "rejected" ? `${stylize(ctx, "<rejected>", "special")} ${text}` : text];
}

function readPromiseState(promise) {
  if (promiseStateGetter === undefined) return { state: "unknown" };
  try {
    const info = promiseStateGetter(promise);
    const state = info?.state;
    if (state === "pending" || state === "fulfilled" || state === "rejected") {
      return { state, result: info.result };
    }
  } catch {
    // Fall through.
  }
  return { state: "unknown" };
}

function formatUnknownItems(ctx) {
  return [stylize(ctx, "<items unknown>", "special")];
}

// --- Properties --------------------------------------------------------------

/** The property descriptor (an inherited property reads as data), or
 * `{ failed: true, error }` when a proxy trap or a namespace's TDZ throws. */
function getDescriptor(object, key) {
  try {
    return ObjectGetOwnPropertyDescriptor(object, key) ?? { value: object[key], enumerable: true };
  } catch (error) {
    return { failed: true, error, enumerable: true };
  }
}

function formatProperty(ctx, object, key, recurseTimes) {
  const descriptor = getDescriptor(object, key);
  return `${formatKey(ctx, key, descriptor.enumerable)}: ${formatPropertyValue(ctx, descriptor, recurseTimes)}`;
}

/** A data property's value, or `[Getter]`, `[Setter]`, `[Getter/Setter]`
 * (accessors are never called). */
function formatPropertyValue(ctx, descriptor, recurseTimes) {
  if (descriptor.failed) {
    // Reading an export of a module namespace before its module ran throws.
    const uninitialized = safely(
      (error) => ObjectPrototypeIsPrototypeOf(ReferenceErrorPrototype, error),
      descriptor.error,
    );
    const text = uninitialized ? "<uninitialized>" : `<Inspection threw ${describeThrown(descriptor.error)}>`;
    return stylize(ctx, text, "special");
  }
  if (descriptor.get !== undefined) {
    return stylize(ctx, descriptor.set !== undefined ? "[Getter/Setter]" : "[Getter]", "special");
  }
  if (descriptor.set !== undefined) return stylize(ctx, "[Setter]", "special");
  ctx.indentationLvl += 2;
  const text = formatValue(ctx, descriptor.value, recurseTimes);
  ctx.indentationLvl -= 2;
  return text;
}

// --- Line breaking -----------------------------------------------------------

/**
 * Joins formatted entries: on one line when short enough (and no more than
 * `compact` levels deep), otherwise one entry per line indented by two
 * spaces; arrays with more than 6 short entries are put in columns.
 */
function combineEntries(ctx, output, base, layout, recurseTimes) {
  const prefix = base === "" ? "" : `${base} `;
  let entries = output;
  if (ctx.compact !== false) {
    if (layout.grouping && output.length > 6) entries = groupArrayElements(ctx, output, layout);
    if (
      entries === output && ctx.currentDepth - recurseTimes < ctx.compact &&
      fitsOnOneLine(ctx, output, base, layout.open)
    ) {
      const joined = ArrayPrototypeJoin(output, ", ");
      if (!StringPrototypeIncludes(joined, "\n")) return `${prefix}${layout.open} ${joined} ${layout.close}`;
    }
  }
  const indentation = `\n${StringPrototypeRepeat(" ", ctx.indentationLvl)}`;
  const body = ArrayPrototypeJoin(entries, `,${indentation}  `);
  return `${prefix}${layout.open}${indentation}  ${body}${indentation}${layout.close}`;
}

/** Node's heuristic: entries, separators, the opening brace, the base,
 * the indentation and a margin of 10 must fit within `breakLength`. */
function fitsOnOneLine(ctx, output, base, open) {
  let total = output.length * 2 + ctx.indentationLvl + open.length + base.length + 10;
  if (total + output.length > ctx.breakLength) return false;
  for (let i = 0; i < output.length; i++) {
    total += ctx.colors ? stripAnsi(output[i]).length : output[i].length;
    if (total > ctx.breakLength) return false;
  }
  return !StringPrototypeIncludes(base, "\n");
}

/**
 * Lays out many short array entries in aligned columns, roughly as wide as
 * they are tall (a character is about 2.5 times taller than wide), at most
 * 15 (and `compact * 4`) columns. Numbers are right-aligned. Returns
 * `output` itself when grouping does not fit.
 */
function groupArrayElements(ctx, output, layout) {
  const count = layout.hasTrailer ? output.length - 1 : output.length;
  const separatorSpace = 2; // ", "
  const widths = [];
  let totalLength = 0;
  let maxLength = 0;
  for (let i = 0; i < count; i++) {
    const width = stringWidth(output[i]);
    widths[i] = width;
    totalLength += width + separatorSpace;
    if (width > maxLength) maxLength = width;
  }
  const maxColumnWidth = maxLength + separatorSpace;
  // At least three entries must fit side by side, and entries must be of
  // similar lengths (or all short) so the gaps do not get huge.
  if (maxColumnWidth * 3 + ctx.indentationLvl >= ctx.breakLength) return output;
  if (totalLength / maxColumnWidth <= 5 && maxLength > 6) return output;

  const averageBias = MathSqrt(maxColumnWidth - totalLength / output.length);
  const biasedMax = MathMax(maxColumnWidth - 3 - averageBias, 1);
  const columns = MathMin(
    MathRound(MathSqrt(2.5 * biasedMax * count) / biasedMax),
    MathFloor((ctx.breakLength - ctx.indentationLvl) / maxColumnWidth),
    ctx.compact * 4,
    15,
  );
  if (columns <= 1) return output;

  const columnWidths = [];
  for (let column = 0; column < columns; column++) {
    let width = 0;
    for (let i = column; i < count; i += columns) width = MathMax(width, widths[i]);
    columnWidths[column] = width + separatorSpace;
  }
  const numeric = layout.numeric && layout.keys.length === 0;
  const pad = numeric ? StringPrototypePadStart : StringPrototypePadEnd;
  const rows = [];
  for (let start = 0; start < count; start += columns) {
    const end = MathMin(start + columns, count);
    let row = "";
    for (let i = start; i < end; i++) {
      // Pad by visible width: invisible color codes and wide characters.
      const extra = output[i].length - widths[i];
      if (i < end - 1) {
        row += pad(`${output[i]}, `, columnWidths[i - start] + extra, " ");
      } else if (numeric) {
        row += pad(output[i], columnWidths[i - start] - separatorSpace + extra, " ");
      } else {
        row += output[i];
      }
    }
    ArrayPrototypePush(rows, row);
  }
  if (layout.hasTrailer) ArrayPrototypePush(rows, output[count]);
  return rows;
}

// ---------------------------------------------------------------------------
// Formatter: https://console.spec.whatwg.org/#formatter
// ---------------------------------------------------------------------------

/**
 * Turns logging arguments into one string. A first string argument with
 * more arguments after it is a format string (%s %d %i %f %o %O %c %%);
 * arguments left over are appended separated by spaces, strings as they
 * are and everything else inspected.
 */
function formatArguments(args, options) {
  if (args.length === 0) return "";
  let text;
  let next = 1;
  const first = args[0];
  if (typeof first !== "string") {
    text = inspect(first, options);
  } else if (args.length === 1) {
    text = first;
  } else {
    ({ text, next } = applyFormatSpecifiers(first, args, options));
  }
  for (let i = next; i < args.length; i++) text += ` ${formatLoose(args[i], options)}`;
  return text;
}

/** Strings as they are, everything else inspected. */
function formatLoose(value, options) {
  return typeof value === "string" ? value : inspect(value, options);
}

function applyFormatSpecifiers(format, args, options) {
  let text = "";
  let next = 1;
  let copied = 0;
  for (let i = 0; i < format.length - 1; i++) {
    if (format[i] !== "%") continue;
    const specifier = format[i + 1];
    let replacement;
    if (specifier === "%") {
      replacement = "%";
    } else if (next < args.length && StringPrototypeIncludes("sdifoOc", specifier)) {
      replacement = formatSpecifier(specifier, args[next++], options);
    } else {
      continue;
    }
    text += StringPrototypeSlice(format, copied, i) + replacement;
    copied = i + 2;
    i++;
  }
  return { text: text + StringPrototypeSlice(format, copied), next };
}

function formatSpecifier(specifier, value, options) {
  switch (specifier) {
    case "s":
      return formatAsString(value, options);
    case "d":
    case "i":
      if (typeof value === "bigint") return `${value}n`;
      return formatPlainNumber(typeof value === "symbol" ? NaN : NumberParseInt(safeString(value), 10));
    case "f":
      return formatPlainNumber(typeof value === "symbol" ? NaN : NumberParseFloat(safeString(value)));
    case "o":
    case "O":
      return inspect(value, options);
    default: // "c": CSS, ignored.
      return "";
  }
}

function formatPlainNumber(number) {
  return ObjectIs(number, -0) ? "-0" : `${number}`;
}

/** `%s`: primitives converted to strings; objects with their own
 * `toString` converted too, other objects inspected one level deep. */
function formatAsString(value, options) {
  if (typeof value === "number") return formatPlainNumber(value);
  if (typeof value === "bigint") return `${value}n`;
  if (typeof value === "symbol") return SymbolPrototypeToString(value);
  if (typeof value === "object" && value !== null && hasUserToString(value)) {
    try {
      return `${value}`;
    } catch {
      // Inspect it instead.
    }
  }
  if (typeof value === "object" && value !== null) {
    return inspect(value, { ...options, depth: 0, colors: false });
  }
  return safeString(value);
}

function hasUserToString(object) {
  try {
    for (let current = object; current !== null; current = ObjectGetPrototypeOf(current)) {
      const descriptor = ObjectGetOwnPropertyDescriptor(current, "toString");
      if (descriptor !== undefined) {
        return ArrayPrototypeIndexOf(BUILTIN_TO_STRINGS, descriptor.value) === -1;
      }
    }
  } catch {
    // A proxy trap threw.
  }
  return false;
}

// ---------------------------------------------------------------------------
// console.table
// ---------------------------------------------------------------------------

/** One table cell: a short inspection (objects one level deep, arrays
 * with up to 3 items, all on one line). */
function inspectCell(value, colors) {
  const isBigObject = (object) => !ArrayIsArray(object) && ObjectKeys(object).length > 2;
  const depth = typeof value === "object" && value !== null && safely(isBigObject, value) ? -1 : 0;
  return inspect(value, { depth, maxArrayLength: 3, breakLength: Infinity, colors });
}

/**
 * The table for `console.table(data, properties)`: one row per own
 * enumerable property (or Map / Set entry), one column per property of the
 * rows, and a "Values" column for rows that are primitives.
 */
function buildTable(data, properties, colors) {
  if (isMap(data) || isSet(data)) return buildIterationTable(data, colors);
  const rowKeys = ObjectKeys(data);
  const indexColumn = [];
  const head = ["(index)"];
  const columns = [indexColumn];
  const columnByName = ObjectCreate(null);
  const values = [];
  let hasPrimitives = false;
  for (let row = 0; row < rowKeys.length; row++) {
    indexColumn[row] = rowKeys[row];
    const item = safeGet(data, rowKeys[row]);
    const primitive = !isObjectLike(item);
    if (properties === undefined && primitive) {
      hasPrimitives = true;
      values[row] = inspectCell(item, colors);
      continue;
    }
    const keys = properties ?? ObjectKeys(item);
    for (let i = 0; i < keys.length; i++) {
      const key = keys[i];
      if (columnByName[key] === undefined) {
        columnByName[key] = [];
        ArrayPrototypePush(head, key);
        ArrayPrototypePush(columns, columnByName[key]);
      }
      const present = !primitive && ObjectPrototypeHasOwnProperty(item, key);
      columnByName[key][row] = present ? inspectCell(safeGet(item, key), colors) : "";
    }
  }
  if (hasPrimitives) {
    ArrayPrototypePush(head, "Values");
    ArrayPrototypePush(columns, values);
  }
  return drawTable(head, columns);
}

function buildIterationTable(data, colors) {
  const isMapData = isMap(data);
  const indexColumn = [];
  const keyColumn = [];
  const valueColumn = [];
  const iterator = isMapData ? MapPrototypeEntries(data) : SetPrototypeValues(data);
  const next = isMapData ? MapIteratorPrototypeNext : SetIteratorPrototypeNext;
  for (let row = 0;; row++) {
    const step = next(iterator);
    if (step.done) break;
    indexColumn[row] = `${row}`;
    if (isMapData) {
      keyColumn[row] = inspectCell(step.value[0], colors);
      valueColumn[row] = inspectCell(step.value[1], colors);
    } else {
      valueColumn[row] = inspectCell(step.value, colors);
    }
  }
  if (isMapData) {
    return drawTable(["(iteration index)", "Key", "Values"], [indexColumn, keyColumn, valueColumn]);
  }
  return drawTable(["(iteration index)", "Values"], [indexColumn, valueColumn]);
}

/** Draws columns of cells with box-drawing characters, left-aligned. */
function drawTable(head, columns) {
  let rowCount = 0;
  for (let c = 0; c < columns.length; c++) rowCount = MathMax(rowCount, columns[c].length);
  const widths = [];
  for (let c = 0; c < columns.length; c++) {
    widths[c] = stringWidth(head[c]);
    for (let r = 0; r < rowCount; r++) widths[c] = MathMax(widths[c], stringWidth(columns[c][r] ?? ""));
  }
  const divider = (left, middle, right) => {
    let line = left;
    for (let c = 0; c < widths.length; c++) {
      line += (c === 0 ? "" : middle) + StringPrototypeRepeat("\u2500", widths[c] + 2);
    }
    return line + right;
  };
  const row = (cellAt) => {
    let line = "\u2502";
    for (let c = 0; c < widths.length; c++) {
      const cell = cellAt(c);
      line += ` ${cell}${StringPrototypeRepeat(" ", widths[c] - stringWidth(cell))} \u2502`;
    }
    return line;
  };
  const lines = [divider("\u250c", "\u252c", "\u2510"), row((c) => head[c]), divider("\u251c", "\u253c", "\u2524")];
  for (let r = 0; r < rowCount; r++) ArrayPrototypePush(lines, row((c) => columns[c][r] ?? ""));
  ArrayPrototypePush(lines, divider("\u2514", "\u2534", "\u2518"));
  return ArrayPrototypeJoin(lines, "\n");
}

// ---------------------------------------------------------------------------
// The console namespace: https://console.spec.whatwg.org/#console-namespace
// ---------------------------------------------------------------------------

/** Log levels that go to stderr; every other level goes to stdout. */
const STDERR_LEVELS = ["error", "warn", "trace", "assert"];

function consoleInspectOptions() {
  return { colors: colorsEnabled };
}

/**
 * Logger: https://console.spec.whatwg.org/#logger
 * Unlike the spec (and like Node.js and Deno), no arguments print an empty line.
 */
function logger(state, level, args) {
  printer(state, level, formatArguments(args, consoleInspectOptions()));
}

/**
 * Printer: https://console.spec.whatwg.org/#printer
 * Indents every line by the current group level and writes one chunk.
 */
function printer(state, level, text) {
  const indentation = state.groupIndentation;
  const indented = indentation === "" ? text : indentation + indentLines(text, indentation.length);
  state.print(`${indented}\n`, ArrayPrototypeIndexOf(STDERR_LEVELS, level) !== -1);
}

/** Items joined by spaces, strings as they are (Printer without Formatter). */
function joinPrintable(items) {
  const options = consoleInspectOptions();
  let text = "";
  for (let i = 0; i < items.length; i++) text += (i === 0 ? "" : " ") + formatLoose(items[i], options);
  return text;
}

function now() {
  // Looked up on each call: the runtime may install `performance` later.
  const performance = globalThis.performance;
  if (performance != null && typeof performance.now === "function") return performance.now();
  return DateNow();
}

function formatDuration(milliseconds) {
  return `${+NumberPrototypeToFixed(milliseconds, 3)}ms`;
}

/**
 * Creates a `console` namespace object whose output goes to `print(text,
 * isErr)`; `text` is one complete chunk ending in "\n" (except for the
 * terminal control sequence of `clear()`). log, info, debug, dirxml, table,
 * dir, count, time*, group labels go to stdout; warn, error, trace and
 * failed assertions to stderr.
 * @param {(text: string, isErr: boolean) => void} print
 */
export function createConsole(print) {
  const state = {
    print,
    groupIndentation: "",
    counts: ObjectCreate(null), // label -> count
    timers: ObjectCreate(null), // label -> start time
  };
  const methods = consoleMethods(state);
  // The spec gives the namespace an empty object as [[Prototype]].
  const console = ObjectCreate(ObjectCreate(ObjectPrototype));
  const names = ObjectKeys(methods);
  for (let i = 0; i < names.length; i++) {
    ObjectDefineProperty(console, names[i], {
      value: methods[names[i]],
      writable: true,
      enumerable: true,
      configurable: true,
    });
  }
  ObjectDefineProperty(console, SymbolToStringTag, {
    value: "console",
    writable: false,
    enumerable: false,
    configurable: true,
  });
  return console;
}

/** The console operations, closures over `state` (they need no `this`). */
function consoleMethods(state) {
  const toLabel = (label) => `${label}`; // WebIDL DOMString: throws for symbols

  // https://console.spec.whatwg.org/#trace
  const trace = (...data) => {
    const holder = { name: "Trace", message: formatArguments(data, consoleInspectOptions()) };
    if (ErrorCaptureStackTrace !== undefined) ErrorCaptureStackTrace(holder, trace);
    const stack = holder.stack;
    printer(state, "trace", typeof stack === "string" ? stack : errorHeader("Trace", holder.message));
  };

  return {
    log: (...data) => logger(state, "log", data),
    info: (...data) => logger(state, "info", data),
    debug: (...data) => logger(state, "debug", data),
    warn: (...data) => logger(state, "warn", data),
    error: (...data) => logger(state, "error", data),
    dirxml: (...data) => logger(state, "dirxml", data),
    trace,

    // https://console.spec.whatwg.org/#assert
    assert: (condition = false, ...data) => {
      if (condition) return;
      const message = "Assertion failed";
      if (data.length === 0) data[0] = message;
      else if (typeof data[0] !== "string") ArrayPrototypeUnshift(data, message);
      else data[0] = `${message}: ${data[0]}`;
      logger(state, "assert", data);
    },

    // https://console.spec.whatwg.org/#clear
    clear: () => {
      state.groupIndentation = "";
      if (isTerminal) state.print("\x1b[1;1H\x1b[0J", false);
    },

    // https://console.spec.whatwg.org/#table
    table: (tabularData = undefined, properties = undefined) => {
      if (!isObjectLike(tabularData) || typeof tabularData === "function") {
        logger(state, "log", [tabularData]);
        return;
      }
      let columns;
      if (ArrayIsArray(properties)) {
        columns = [];
        for (let i = 0; i < properties.length; i++) ArrayPrototypePush(columns, toLabel(properties[i]));
      }
      printer(state, "table", buildTable(tabularData, columns, colorsEnabled));
    },

    // https://console.spec.whatwg.org/#dir
    dir: (item = undefined, options = undefined) => {
      const inspectOptions = isObjectLike(options)
        ? { ...consoleInspectOptions(), ...options }
        : consoleInspectOptions();
      printer(state, "dir", inspect(item, inspectOptions));
    },

    // https://console.spec.whatwg.org/#count
    count: (label = "default") => {
      label = toLabel(label);
      const count = (state.counts[label] ?? 0) + 1;
      state.counts[label] = count;
      logger(state, "count", [`${label}: ${count}`]);
    },

    // https://console.spec.whatwg.org/#countreset
    countReset: (label = "default") => {
      label = toLabel(label);
      if (label in state.counts) state.counts[label] = 0;
      else logger(state, "warn", [`Count for '${label}' does not exist`]);
    },

    // https://console.spec.whatwg.org/#group
    group: (...data) => {
      if (data.length > 0) logger(state, "group", data);
      state.groupIndentation += "  ";
    },

    // https://console.spec.whatwg.org/#groupcollapsed
    groupCollapsed: (...data) => {
      if (data.length > 0) logger(state, "groupCollapsed", data);
      state.groupIndentation += "  ";
    },

    // https://console.spec.whatwg.org/#groupend
    groupEnd: () => {
      state.groupIndentation = StringPrototypeSlice(state.groupIndentation, 2);
    },

    // https://console.spec.whatwg.org/#time
    time: (label = "default") => {
      label = toLabel(label);
      if (label in state.timers) {
        logger(state, "warn", [`Timer '${label}' already exists`]);
        return;
      }
      state.timers[label] = now();
    },

    // https://console.spec.whatwg.org/#timelog
    timeLog: (label = "default", ...data) => {
      label = toLabel(label);
      if (!(label in state.timers)) {
        logger(state, "warn", [`Timer '${label}' does not exist`]);
        return;
      }
      const elapsed = `${label}: ${formatDuration(now() - state.timers[label])}`;
      printer(state, "timeLog", data.length === 0 ? elapsed : `${elapsed} ${joinPrintable(data)}`);
    },

    // https://console.spec.whatwg.org/#timeend
    timeEnd: (label = "default") => {
      label = toLabel(label);
      if (!(label in state.timers)) {
        logger(state, "warn", [`Timer '${label}' does not exist`]);
        return;
      }
      const elapsed = now() - state.timers[label];
      delete state.timers[label];
      printer(state, "timeEnd", `${label}: ${formatDuration(elapsed)}`);
    },
  };
}
