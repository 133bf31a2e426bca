// The `Entangle` namespace: what a script knows about its process, as Deno
// has `Deno` and Bun has `Bun`. Its arguments, the versions, the exit code,
// ending the process, memory usage; no file, network or environment access.

import { primordials } from "ext:core/mod.js";
import {
  op_entangle_exit,
  op_entangle_exit_code,
  op_entangle_info,
  op_entangle_memory_usage,
  op_entangle_set_exit_code,
} from "ext:core/ops";

const { Float64Array, NumberIsInteger, ObjectDefineProperty, ObjectFreeze, RangeError, TypeError } = primordials;

/** An exit code: an integer in 0..=255 (`undefined` means `fallback`). */
function toExitCode(value, fallback, context) {
  if (value === undefined) {
    return fallback;
  }
  if (typeof value !== "number" || !NumberIsInteger(value)) {
    throw new TypeError(
      `${context}: the exit code must be an integer, got ${typeof value === "number" ? value : typeof value}`,
    );
  }
  if (value < 0 || value > 255) {
    throw new RangeError(`${context}: the exit code must be between 0 and 255, got ${value}`);
  }
  return value;
}

/** Defines the non-enumerable global `Entangle` for this isolate. */
function installEntangle() {
  const info = op_entangle_info();
  const namespace = {
    args: ObjectFreeze(info.args),
    version: ObjectFreeze({ entangle: info.entangle, v8: info.v8 }),
    /** Ends the process now, from any thread; output already written is flushed. */
    exit(code = 0) {
      op_entangle_exit(toExitCode(code, 0, "Entangle.exit"));
    },
    /** `{ rss, heapTotal, heapUsed, external }`, in bytes. */
    memoryUsage() {
      const usage = new Float64Array(4);
      op_entangle_memory_usage(usage);
      const { 0: rss, 1: heapTotal, 2: heapUsed, 3: external } = usage;
      return { rss, heapTotal, heapUsed, external };
    },
  };
  ObjectDefineProperty(namespace, "exitCode", {
    get() {
      return op_entangle_exit_code();
    },
    set(value) {
      op_entangle_set_exit_code(toExitCode(value, 0, "Entangle.exitCode"));
    },
    enumerable: true,
    configurable: false,
  });
  ObjectDefineProperty(globalThis, "Entangle", {
    value: ObjectFreeze(namespace),
    writable: true,
    enumerable: false,
    configurable: true,
  });
}

export { installEntangle };
