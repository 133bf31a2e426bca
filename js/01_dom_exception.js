//! `DOMException`, the Web IDL exception interface.
//!
//! Spec: https://webidl.spec.whatwg.org/#idl-DOMException
//!
//! This module owns:
//! - the `DOMException` interface object and prototype (getters `name`,
//!   `message`, `code`, the 25 legacy code constants, `Symbol.toStringTag`);
//! - the private state of every instance (name and message), kept in private
//!   class fields so that user code can neither read nor forge it;
//! - the internals the runtime needs for structured clone:
//!   `isDOMException`, `domExceptionData` and `createDOMException`.
//!
//! Instances are ordinary objects with `DOMException.prototype`, whose
//! prototype is `%Error.prototype%`; they do not carry `[[ErrorData]]` (as
//! https://github.com/whatwg/webidl/pull/1421 would have it) because V8's
//! serializer would then clone them as plain `Error`s instead of running
//! DOMException's serialization steps. They are branded for the serializer
//! with `op_brand_host_object`. The interface object itself inherits from
//! `%Function.prototype%`, like every interface without a parent.

import { op_brand_host_object } from "ext:core/ops";
import { isObject, toDOMString } from "ext:entangle/00_webidl.js";

// Intrinsics captured at module evaluation, before any user code can run, so
// later tampering with the globals cannot change this module's behaviour.
const NativeTypeError = TypeError;
const ErrorPrototype = Error.prototype;
const ErrorCaptureStackTrace = Error.captureStackTrace;
const { ownKeys: ReflectOwnKeys } = Reflect;
const ObjectCreate = Object.create;
const {
  defineProperty: ObjectDefineProperty,
  getOwnPropertyDescriptor: ObjectGetOwnPropertyDescriptor,
  setPrototypeOf: ObjectSetPrototypeOf,
} = Object;

/**
 * The legacy codes of the error names table.
 * https://webidl.spec.whatwg.org/#dfn-error-names-table
 *
 * The deprecated names that only have a constant (DOMSTRING_SIZE_ERR,
 * NO_DATA_ALLOWED_ERR, VALIDATION_ERR) are not error names, so they map to 0.
 */
const LEGACY_CODES = {
  __proto__: null,
  IndexSizeError: 1,
  HierarchyRequestError: 3,
  WrongDocumentError: 4,
  InvalidCharacterError: 5,
  NoModificationAllowedError: 7,
  NotFoundError: 8,
  NotSupportedError: 9,
  InUseAttributeError: 10,
  InvalidStateError: 11,
  SyntaxError: 12,
  InvalidModificationError: 13,
  NamespaceError: 14,
  InvalidAccessError: 15,
  TypeMismatchError: 17,
  SecurityError: 18,
  NetworkError: 19,
  AbortError: 20,
  URLMismatchError: 21,
  QuotaExceededError: 22,
  TimeoutError: 23,
  InvalidNodeTypeError: 24,
  DataCloneError: 25,
};

/** The legacy constants, exposed on both the interface object and prototype. */
const LEGACY_CONSTANTS = [
  ["INDEX_SIZE_ERR", 1],
  ["DOMSTRING_SIZE_ERR", 2],
  ["HIERARCHY_REQUEST_ERR", 3],
  ["WRONG_DOCUMENT_ERR", 4],
  ["INVALID_CHARACTER_ERR", 5],
  ["NO_DATA_ALLOWED_ERR", 6],
  ["NO_MODIFICATION_ALLOWED_ERR", 7],
  ["NOT_FOUND_ERR", 8],
  ["NOT_SUPPORTED_ERR", 9],
  ["INUSE_ATTRIBUTE_ERR", 10],
  ["INVALID_STATE_ERR", 11],
  ["SYNTAX_ERR", 12],
  ["INVALID_MODIFICATION_ERR", 13],
  ["NAMESPACE_ERR", 14],
  ["INVALID_ACCESS_ERR", 15],
  ["VALIDATION_ERR", 16],
  ["TYPE_MISMATCH_ERR", 17],
  ["SECURITY_ERR", 18],
  ["NETWORK_ERR", 19],
  ["ABORT_ERR", 20],
  ["URL_MISMATCH_ERR", 21],
  ["QUOTA_EXCEEDED_ERR", 22],
  ["TIMEOUT_ERR", 23],
  ["INVALID_NODE_TYPE_ERR", 24],
  ["DATA_CLONE_ERR", 25],
];

/**
 * A base class whose constructor returns the object it is given. Extending it
 * lets a class install its private fields on an object it did not allocate
 * (here: the error object allocated by `%Error%`).
 */
class ReturnGivenObject {
  constructor(object) {
    return object;
  }
}

// Accessors for the private slots, assigned in the static block below. They
// are module-private: user code has no way to reach them.
let hasDOMExceptionSlots;
let slotName;
let slotMessage;

/** The private state of a DOMException: its name and message. */
class DOMExceptionSlots extends ReturnGivenObject {
  #name;
  #message;

  constructor(object, name, message) {
    super(object);
    this.#name = name;
    this.#message = message;
  }

  static {
    hasDOMExceptionSlots = (value) => isObject(value) && #name in value;
    slotName = (exception) => exception.#name;
    slotMessage = (exception) => exception.#message;
  }
}

/** Brand check used by every accessor of DOMException.prototype. */
function checkDOMException(thisValue, member) {
  if (!hasDOMExceptionSlots(thisValue)) {
    throw new NativeTypeError(
      `'${member}' called on an object that is not a DOMException.`,
    );
  }
  return thisValue;
}

class DOMException {
  /**
   * https://webidl.spec.whatwg.org/#dom-domexception-domexception
   *
   * The second argument is `(DOMString or DOMExceptionOptions)`, following
   * https://github.com/whatwg/webidl/pull/1179 (`{ name, cause }`). As in
   * engines that predate that change, `null` still converts as a string
   * ("null"); any other object is read as the options dictionary.
   */
  constructor(message = "", options = "Error") {
    // Argument conversion, in argument order; dictionary members are read in
    // lexicographic order ("cause", then "name").
    message = toDOMString(message);
    let name;
    let hasCause = false;
    let cause;
    if (isObject(options)) {
      cause = options.cause;
      hasCause = cause !== undefined;
      const optionName = options.name;
      name = optionName === undefined ? "Error" : toDOMString(optionName);
    } else {
      name = toDOMString(options);
    }

    // Allocate an ordinary object whose prototype is new.target.prototype,
    // so that subclasses keep working. (Not a native error object: V8's
    // serializer would clone that as a plain Error, and DOMException is a
    // serializable platform object with its own serialization steps.)
    const exception = ObjectCreate(new.target.prototype);
    op_brand_host_object(exception, true);

    // 1. Set this's name to name.
    // 2. Set this's message to message.
    new DOMExceptionSlots(exception, name, message);

    // 3. If options["cause"] exists, CreateNonEnumerableDataPropertyOrThrow
    //    (this, "cause", options["cause"]).
    if (hasCause) {
      ObjectDefineProperty(exception, "cause", {
        __proto__: null,
        value: cause,
        writable: true,
        enumerable: false,
        configurable: true,
      });
    }

    // Give the instance a `stack` that starts at the caller of the
    // constructor, like native errors.
    if (typeof ErrorCaptureStackTrace === "function") {
      ErrorCaptureStackTrace(exception, new.target);
    }
    return exception;
  }

  /** https://webidl.spec.whatwg.org/#dom-domexception-name */
  get name() {
    return slotName(checkDOMException(this, "name"));
  }

  /** https://webidl.spec.whatwg.org/#dom-domexception-message */
  get message() {
    return slotMessage(checkDOMException(this, "message"));
  }

  /**
   * https://webidl.spec.whatwg.org/#dom-domexception-code
   * The legacy code of this's name in the error names table, or 0.
   */
  get code() {
    const name = slotName(checkDOMException(this, "code"));
    return LEGACY_CODES[name] ?? 0;
  }
}

// https://webidl.spec.whatwg.org/#js-DOMException-specialness
// The [[Prototype]] of DOMException.prototype is %Error.prototype%.
ObjectSetPrototypeOf(DOMException.prototype, ErrorPrototype);

// Interface members are enumerable (class syntax makes them non-enumerable).
for (const key of ReflectOwnKeys(DOMException.prototype)) {
  if (key === "constructor") continue;
  const descriptor = ObjectGetOwnPropertyDescriptor(DOMException.prototype, key);
  descriptor.enumerable = true;
  ObjectDefineProperty(DOMException.prototype, key, descriptor);
}

// https://webidl.spec.whatwg.org/#es-constants
for (const [constantName, value] of LEGACY_CONSTANTS) {
  const descriptor = {
    __proto__: null,
    value,
    writable: false,
    enumerable: true,
    configurable: false,
  };
  ObjectDefineProperty(DOMException, constantName, descriptor);
  ObjectDefineProperty(DOMException.prototype, constantName, descriptor);
}

// https://webidl.spec.whatwg.org/#interface-prototype-object (class string)
ObjectDefineProperty(DOMException.prototype, Symbol.toStringTag, {
  __proto__: null,
  value: "DOMException",
  writable: false,
  enumerable: false,
  configurable: true,
});

/** Whether `value` is a DOMException (checks the private slots, not the prototype). */
function isDOMException(value) {
  return hasDOMExceptionSlots(value);
}

/**
 * The data structured serialization needs from a DOMException:
 * `{ name, message, stack }` (stack is a string or undefined), or undefined if
 * `value` is not a DOMException.
 * https://webidl.spec.whatwg.org/#ref-for-serialization-steps
 */
function domExceptionData(value) {
  if (!hasDOMExceptionSlots(value)) return undefined;
  let stack;
  try {
    stack = value.stack;
  } catch {
    // The stack is optional accompanying data; a throwing getter loses it.
    stack = undefined;
  }
  return {
    name: slotName(value),
    message: slotMessage(value),
    stack: typeof stack === "string" ? stack : undefined,
  };
}

/**
 * Builds a real DOMException with the given name and message, and `stack` as
 * its stack when it is a string (deserialization steps of a DOMException).
 */
function createDOMException(name, message, stack) {
  const exception = new DOMException(message, toDOMString(name));
  if (typeof stack === "string") {
    ObjectDefineProperty(exception, "stack", {
      __proto__: null,
      value: stack,
      writable: true,
      enumerable: false,
      configurable: true,
    });
  }
  return exception;
}

export { createDOMException, DOMException, domExceptionData, isDOMException };
