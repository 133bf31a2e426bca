// The global scope: installs the web APIs on `globalThis` and wires the
// runtime's error reporting to HTML's.
//
// This module is evaluated when the startup snapshot is built. What needs a
// live isolate (ops that keep Rust state, process options) happens in
// `bootstrap()`, which the runtime calls once per isolate before user code.

import { core } from "ext:core/mod.js";
import { op_now, op_time_origin } from "ext:core/ops";
import { configureInterface, requiredArguments } from "ext:entangle/00_webidl.js";
import { DOMException } from "ext:entangle/01_dom_exception.js";
import {
  AbortController,
  AbortSignal,
  defineEventHandler,
  dispatchTrusted,
  ErrorEvent,
  Event,
  EventTarget,
  makeEventTarget,
  MessageEvent,
  PromiseRejectionEvent,
  setReportException,
} from "ext:entangle/02_event.js";
import { createConsole, setColors, setPromiseStateGetter } from "ext:entangle/03_console.js";
import { atob, btoa, TextDecoder, TextEncoder } from "ext:entangle/04_encoding.js";
import { Blob, File } from "ext:entangle/05_blob.js";
import { URL, URLSearchParams } from "ext:entangle/06_url.js";
import { initMessaging, MessageChannel, MessagePort, structuredClone } from "ext:entangle/10_message_port.js";
import { clearInterval, clearTimeout, setInterval, setTimeout } from "ext:entangle/20_timers.js";
import { initWorkerScope, reportToParent, setReportParentException, Worker } from "ext:entangle/30_worker.js";
import { op_worker_scope } from "ext:core/ops";

// https://w3c.github.io/hr-time/#the-performance-attribute
class Performance extends EventTarget {
  #timeOrigin;

  constructor(key, timeOrigin) {
    if (key !== Performance) {
      throw new TypeError("Illegal constructor");
    }
    super();
    this.#timeOrigin = timeOrigin;
  }

  now() {
    if (!(#timeOrigin in this)) {
      throw new TypeError("Illegal invocation");
    }
    return op_now();
  }

  get timeOrigin() {
    if (!(#timeOrigin in this)) {
      throw new TypeError("Illegal invocation");
    }
    return this.#timeOrigin;
  }

  toJSON() {
    return { timeOrigin: this.timeOrigin };
  }

  static {
    configureInterface(this);
  }
}

/** Where an exception was thrown, read off its stack's first frame. */
function errorLocation(error) {
  const stack = typeof error?.stack === "string" ? error.stack : "";
  const frame = /\(?((?:file|https?|blob|data|ext):[^\s)]*?):(\d+):(\d+)\)?$/m.exec(stack);
  return frame === null
    ? { filename: "", lineno: 0, colno: 0 }
    : { filename: frame[1], lineno: Number(frame[2]), colno: Number(frame[3]) };
}

function errorMessage(error) {
  try {
    return `Uncaught ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`;
  } catch {
    return "Uncaught exception";
  }
}

let reportingException = false;

// https://html.spec.whatwg.org/multipage/webappapis.html#report-an-exception
function reportException(error) {
  // An error thrown while reporting one is not reported again.
  if (reportingException) {
    core.reportUnhandledException(error);
    return;
  }
  reportingException = true;
  try {
    const location = { message: errorMessage(error), ...errorLocation(error) };
    const event = new ErrorEvent("error", { cancelable: true, error, ...location });
    dispatchTrusted(globalThis, event);
    if (!event.defaultPrevented) {
      reportUncanceled(error, location);
    }
  } finally {
    reportingException = false;
  }
}

/**
 * What happens to an error nothing canceled: in the main scope it is printed
 * and the process exits, as in Deno; a worker hands it to its Worker object.
 */
let reportUncanceled = (error) => core.reportUnhandledException(error);

// https://html.spec.whatwg.org/multipage/webappapis.html#dom-reporterror
function reportError(error) {
  requiredArguments(arguments.length, 1, "Failed to execute 'reportError'");
  reportException(error);
}

// https://html.spec.whatwg.org/multipage/webappapis.html#unhandled-promise-rejections
// Returns whether the rejection counts as handled (the event was canceled).
function handleUnhandledRejection(promise, reason) {
  const event = new PromiseRejectionEvent("unhandledrejection", {
    cancelable: true,
    promise,
    reason,
  });
  dispatchTrusted(globalThis, event);
  if (event.defaultPrevented || !inWorker) {
    return event.defaultPrevented;
  }
  reportToParent(reason, {
    message: `Uncaught (in promise) ${errorMessage(reason).slice(9)}`,
    ...errorLocation(reason),
  });
  return true;
}

let inWorker = false;

const PROMISE_STATES = ["pending", "fulfilled", "rejected"];

function promiseState(promise) {
  const [state, result] = core.getPromiseDetails(promise);
  return { state: PROMISE_STATES[state], result };
}

/** Interfaces: writable, configurable, not enumerable (WebIDL). */
const interfaces = {
  AbortController,
  AbortSignal,
  Blob,
  DOMException,
  ErrorEvent,
  Event,
  EventTarget,
  File,
  MessageChannel,
  MessageEvent,
  MessagePort,
  Performance,
  PromiseRejectionEvent,
  TextDecoder,
  TextEncoder,
  URL,
  URLSearchParams,
  Worker,
};

/** Operations of the global scope: writable, enumerable, configurable. */
const operations = {
  atob,
  btoa,
  clearInterval,
  clearTimeout,
  reportError,
  setInterval,
  setTimeout,
  structuredClone,
};

function installGlobals() {
  for (const [name, value] of Object.entries(interfaces)) {
    Object.defineProperty(globalThis, name, {
      value,
      writable: true,
      enumerable: false,
      configurable: true,
    });
  }
  for (const [name, value] of Object.entries(operations)) {
    Object.defineProperty(globalThis, name, {
      value,
      writable: true,
      enumerable: true,
      configurable: true,
    });
  }
  // `self` is a [Replaceable] readonly attribute of the global scope.
  Object.defineProperty(globalThis, "self", {
    get() {
      return globalThis;
    },
    set(value) {
      Object.defineProperty(globalThis, "self", {
        value,
        writable: true,
        enumerable: true,
        configurable: true,
      });
    },
    enumerable: true,
    configurable: true,
  });
}

installGlobals();

/**
 * Finishes the global scope for one isolate; called by the runtime before
 * any user code, then removed.
 */
function bootstrap(options) {
  delete globalThis[Symbol.for("entangle.bootstrap")];
  delete globalThis.__bootstrap;
  delete globalThis.Deno;
  // The global object's identity is not kept by the snapshot: make it an
  // EventTarget here, in the live context.
  // The global scope is an EventTarget, as WorkerGlobalScope is.
  Object.setPrototypeOf(globalThis, EventTarget.prototype);
  makeEventTarget(globalThis);
  defineEventHandler(globalThis, "error", undefined, { errorHandlerSignature: true });
  defineEventHandler(globalThis, "unhandledrejection");
  defineEventHandler(globalThis, "rejectionhandled");
  const timeOrigin = op_time_origin();
  const console = createConsole(core.print);
  setColors(options.colors);
  setPromiseStateGetter(promiseState);
  Object.defineProperty(globalThis, "console", {
    value: console,
    writable: true,
    enumerable: false,
    configurable: true,
  });
  Object.defineProperty(globalThis, "performance", {
    value: new Performance(Performance, timeOrigin),
    writable: true,
    enumerable: true,
    configurable: true,
  });
  setReportException(reportException);
  core.setReportExceptionCallback(reportException);
  core.setUnhandledPromiseRejectionHandler(handleUnhandledRejection);
  setReportParentException(reportException);
  initMessaging();
  const workerScope = op_worker_scope();
  if (workerScope !== null) {
    inWorker = true;
    reportUncanceled = reportToParent;
    initWorkerScope(workerScope);
  }
}

Object.defineProperty(globalThis, Symbol.for("entangle.bootstrap"), {
  value: bootstrap,
  configurable: true,
});
