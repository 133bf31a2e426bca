// Assertions shared by the cases. Each `test` prints "ok - name" or
// "FAIL - name: reason", so the golden .out file lists what was proven.

export class AssertionError extends Error {}

export function assert(condition, message = "assertion failed") {
  if (!condition) throw new AssertionError(message);
}

export function assertEquals(actual, expected, message = "") {
  if (!Object.is(actual, expected)) {
    throw new AssertionError(`${message} expected ${String(expected)}, got ${String(actual)}`);
  }
}

export function assertThrows(fn, check, message = "") {
  try {
    fn();
  } catch (error) {
    checkError(error, check, message);
    return error;
  }
  throw new AssertionError(`${message} expected an exception`);
}

export async function assertRejects(fn, check, message = "") {
  try {
    await fn();
  } catch (error) {
    checkError(error, check, message);
    return error;
  }
  throw new AssertionError(`${message} expected a rejection`);
}

function checkError(error, check, message) {
  if (typeof check === "string") {
    const name = error?.name;
    if (name !== check) throw new AssertionError(`${message} expected ${check}, got ${name}: ${error?.message}`);
    if (check === "DataCloneError" && !(error instanceof DOMException)) {
      throw new AssertionError(`${message} DataCloneError must be a DOMException`);
    }
  } else if (check && !(error instanceof check)) {
    throw new AssertionError(`${message} expected ${check.name}, got ${error}`);
  }
}

/** The next event of `type` at `target`. */
export function next(target, type = "message") {
  return new Promise((resolve) => target.addEventListener(type, resolve, { once: true }));
}

/** Resolves after the event loop has had `ms` milliseconds. */
export function sleep(ms = 0) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

const tests = [];

export function test(name, fn) {
  tests.push({ name, fn });
}

/** Runs the registered tests one after the other. */
export async function run() {
  for (const { name, fn } of tests) {
    try {
      await fn();
      console.log(`ok - ${name}`);
    } catch (error) {
      console.log(`FAIL - ${name}: ${error?.stack ?? error}`);
    }
  }
}
