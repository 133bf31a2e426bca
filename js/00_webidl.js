// Shared WebIDL plumbing for the interfaces in this folder: argument
// conversions (https://webidl.spec.whatwg.org/#es-type-mapping) and the
// property shape of interfaces, which plain JS classes do not have by default.

const ReflectApply = Reflect.apply;
const ObjectGetOwnPropertyDescriptor = Object.getOwnPropertyDescriptor;
const ObjectDefineProperty = Object.defineProperty;

/** Passed by the runtime to constructors of interfaces scripts may not construct. */
export const illegalConstructorKey = Symbol("illegal constructor key");

export function illegalInvocation() {
  return new TypeError("Illegal invocation");
}

export function requiredArguments(length, required, context) {
  if (length < required) {
    throw new TypeError(
      `${context}: ${required} argument${required === 1 ? "" : "s"} required, ` +
        `but only ${length} present`,
    );
  }
}

// https://webidl.spec.whatwg.org/#es-DOMString
export function toDOMString(value, context) {
  if (typeof value === "string") return value;
  if (typeof value === "symbol") {
    throw new TypeError(`${context ?? "Value"}: cannot convert a Symbol to a string`);
  }
  return String(value);
}

// https://webidl.spec.whatwg.org/#es-USVString
export function toUSVString(value, context) {
  return toDOMString(value, context).toWellFormed();
}

// https://webidl.spec.whatwg.org/#es-dictionary (step 1): returns the object
// to read members from, or undefined when every member takes its default.
export function dictionaryObject(value, context) {
  if (value === undefined || value === null) return undefined;
  if (!isObject(value)) {
    throw new TypeError(`${context}: options must be an object`);
  }
  return value;
}

// https://webidl.spec.whatwg.org/#js-sequence: converts `value` to a list,
// converting each item with `convertItem(item, context)`.
export function toSequence(value, convertItem, context) {
  // 1. If V is not an Object, throw a TypeError.
  if (!isObject(value)) {
    throw new TypeError(`${context}: the value is not a sequence`);
  }
  // 2. Let method be ? GetMethod(V, @@iterator).
  const method = getMethod(value, Symbol.iterator, context);
  // 3. If method is undefined, throw a TypeError.
  if (method === undefined) {
    throw new TypeError(`${context}: the value is not iterable`);
  }
  // 4. Return the result of creating a sequence from V and method.
  return sequenceFromIterable(value, method, convertItem, context);
}

// https://webidl.spec.whatwg.org/#create-sequence-from-iterable
export function sequenceFromIterable(iterable, method, convertItem, context) {
  // 1. Let iteratorRecord be ? GetIteratorFromMethod(iterable, method).
  const iterator = ReflectApply(method, iterable, []);
  if (!isObject(iterator)) {
    throw new TypeError(`${context}: @@iterator did not return an object`);
  }
  const next = iterator.next;
  // 2-3. Collect each IteratorStep value, converted.
  const list = [];
  while (true) {
    const result = ReflectApply(next, iterator, []);
    if (!isObject(result)) {
      throw new TypeError(`${context}: the iterator result is not an object`);
    }
    if (result.done) return list;
    list.push(convertItem(result.value, context));
  }
}

// ECMAScript GetMethod: undefined for undefined/null, TypeError if not
// callable.
export function getMethod(object, key, context) {
  const method = object[key];
  if (method === undefined || method === null) return undefined;
  if (typeof method !== "function") {
    throw new TypeError(`${context}: ${String(key)} is not a function`);
  }
  return method;
}

export function isObject(value) {
  return value !== null &&
    (typeof value === "object" || typeof value === "function");
}

// Gives a class the property shape of a WebIDL interface
// (https://webidl.spec.whatwg.org/#es-interfaces): operations and attributes
// on the prototype, and static operations, become enumerable (string keys
// only: symbol-keyed members such as @@iterator keep their own attributes),
// and the prototype gets its Symbol.toStringTag.
export function configureInterface(klass, name = klass.name) {
  const makeEnumerable = (target, skip) => {
    for (const key of Object.getOwnPropertyNames(target)) {
      if (skip.includes(key)) continue;
      const descriptor = ObjectGetOwnPropertyDescriptor(target, key);
      descriptor.enumerable = true;
      ObjectDefineProperty(target, key, descriptor);
    }
  };
  makeEnumerable(klass.prototype, ["constructor"]);
  makeEnumerable(klass, ["length", "name", "prototype"]); // static operations
  ObjectDefineProperty(klass.prototype, Symbol.toStringTag, {
    __proto__: null,
    value: name,
    writable: false,
    enumerable: false,
    configurable: true,
  });
}
