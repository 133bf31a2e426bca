// Shared WebIDL plumbing for the interfaces in this folder.
//
// WebIDL (https://webidl.spec.whatwg.org/) gives interface members a shape
// that plain JS classes do not have by default: operations and attributes are
// enumerable, the prototype carries a @@toStringTag, and interface objects
// without a constructor throw a TypeError. These helpers apply that shape.

/** Passed by the runtime to constructors of interfaces scripts may not construct. */
export const illegalConstructorKey = Symbol("illegal constructor key");

/**
 * Gives a class the property shape of a WebIDL interface:
 * https://webidl.spec.whatwg.org/#es-interfaces
 */
export function configureInterface(klass, name = klass.name) {
  for (const target of [klass.prototype, klass]) {
    for (const key of Reflect.ownKeys(target)) {
      if (key === "constructor" || key === "prototype" || key === "length" || key === "name") {
        continue;
      }
      const descriptor = Reflect.getOwnPropertyDescriptor(target, key);
      if (descriptor.configurable && !descriptor.enumerable) {
        Reflect.defineProperty(target, key, { enumerable: true });
      }
    }
  }
  Reflect.defineProperty(klass.prototype, Symbol.toStringTag, {
    value: name,
    writable: false,
    enumerable: false,
    configurable: true,
  });
}

/** Throws the TypeError WebIDL requires when too few arguments are passed. */
export function requiredArguments(length, required, context) {
  if (length < required) {
    const noun = required === 1 ? "argument" : "arguments";
    throw new TypeError(`${context}: ${required} ${noun} required, but only ${length} present.`);
  }
}

/**
 * Converts a value to a WebIDL sequence<any>:
 * https://webidl.spec.whatwg.org/#es-sequence
 */
export function toSequence(value, context) {
  if (value === null || (typeof value !== "object" && typeof value !== "function")) {
    throw new TypeError(`${context}: can not be converted to a sequence.`);
  }
  const iterator = value[Symbol.iterator];
  if (typeof iterator !== "function") {
    throw new TypeError(`${context}: can not be converted to a sequence.`);
  }
  return Array.from({ [Symbol.iterator]: () => iterator.call(value) });
}

/** Whether `value` is an object in the WebIDL sense (object or function). */
export function isObject(value) {
  return value !== null && (typeof value === "object" || typeof value === "function");
}
