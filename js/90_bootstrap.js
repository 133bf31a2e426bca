// The global scope: installs the web platform (deno_web, deno_crypto) and
// Entangle's messaging and workers on `globalThis`, with WebIDL's property
// shapes, and wires the runtime's error reporting to HTML's.
//
// This module is evaluated when the startup snapshot is built. What needs a
// live isolate (the global object's identity, ops that keep Rust state,
// process options) happens in `bootstrap()`, which the runtime calls once per
// isolate before user code.

import { core, primordials } from "ext:core/mod.js";
import { op_set_uncaught_hook, op_worker_scope } from "ext:core/ops";
import { defineEventHandler, dispatchTrusted, DOMException, event, webidl } from "ext:entangle/00_web.js";
import {
  initMessaging,
  markNotSerializable,
  MessageChannel,
  MessagePort,
  structuredClone,
} from "ext:entangle/10_message_port.js";
import { BroadcastChannel } from "ext:entangle/15_broadcast_channel.js";
import { createNavigator, Navigator, WorkerNavigator } from "ext:entangle/20_navigator.js";
import { installEntangle } from "ext:entangle/40_entangle.js";
import { initWorkerScope, reportToParent, setReportParentException, Worker } from "ext:entangle/30_worker.js";

const {
  ObjectDefineProperty,
  ObjectEntries,
  ObjectSetPrototypeOf,
  SymbolFor,
} = primordials;

const abortSignal = core.loadExtScript("ext:deno_web/03_abort_signal.js");
const base64 = core.loadExtScript("ext:deno_web/05_base64.js");
const compression = core.loadExtScript("ext:deno_web/14_compression.js");
const consoleModule = core.loadExtScript("ext:deno_web/01_console.js");
const crypto = core.loadExtScript("ext:deno_crypto/00_crypto.js");
const encoding = core.loadExtScript("ext:deno_web/08_text_encoding.js");
const file = core.loadExtScript("ext:deno_web/09_file.js");
const fileReader = core.loadExtScript("ext:deno_web/10_filereader.js");
const performance = core.loadExtScript("ext:deno_web/15_performance.js");
const streams = core.loadExtScript("ext:deno_web/06_streams.js");
const timers = core.loadExtScript("ext:deno_web/02_timers.js");
const url = core.loadExtScript("ext:deno_web/00_url.js");
const urlPattern = core.loadExtScript("ext:deno_web/01_urlpattern.js");

/** Interfaces: writable, configurable, not enumerable (WebIDL). */
const interfaces = {
  AbortController: abortSignal.AbortController,
  AbortSignal: abortSignal.AbortSignal,
  Blob: file.Blob,
  BroadcastChannel,
  ByteLengthQueuingStrategy: streams.ByteLengthQueuingStrategy,
  CloseEvent: event.CloseEvent,
  CompressionStream: compression.CompressionStream,
  CountQueuingStrategy: streams.CountQueuingStrategy,
  Crypto: crypto.Crypto,
  CryptoKey: crypto.CryptoKey,
  CustomEvent: event.CustomEvent,
  DecompressionStream: compression.DecompressionStream,
  DOMException,
  ErrorEvent: event.ErrorEvent,
  Event: event.Event,
  EventTarget: event.EventTarget,
  File: file.File,
  FileReader: fileReader.FileReader,
  MessageChannel,
  MessageEvent: event.MessageEvent,
  MessagePort,
  Performance: performance.Performance,
  PerformanceEntry: performance.PerformanceEntry,
  PerformanceMark: performance.PerformanceMark,
  PerformanceMeasure: performance.PerformanceMeasure,
  PerformanceObserver: performance.PerformanceObserver,
  PerformanceObserverEntryList: performance.PerformanceObserverEntryList,
  ProgressEvent: event.ProgressEvent,
  PromiseRejectionEvent: event.PromiseRejectionEvent,
  ReadableByteStreamController: streams.ReadableByteStreamController,
  ReadableStream: streams.ReadableStream,
  ReadableStreamBYOBReader: streams.ReadableStreamBYOBReader,
  ReadableStreamBYOBRequest: streams.ReadableStreamBYOBRequest,
  ReadableStreamDefaultController: streams.ReadableStreamDefaultController,
  ReadableStreamDefaultReader: streams.ReadableStreamDefaultReader,
  SubtleCrypto: crypto.SubtleCrypto,
  TextDecoder: encoding.TextDecoder,
  TextDecoderStream: encoding.TextDecoderStream,
  TextEncoder: encoding.TextEncoder,
  TextEncoderStream: encoding.TextEncoderStream,
  TransformStream: streams.TransformStream,
  TransformStreamDefaultController: streams.TransformStreamDefaultController,
  URL: url.URL,
  URLPattern: urlPattern.URLPattern,
  URLSearchParams: url.URLSearchParams,
  Worker,
  WritableStream: streams.WritableStream,
  WritableStreamDefaultController: streams.WritableStreamDefaultController,
  WritableStreamDefaultWriter: streams.WritableStreamDefaultWriter,
};

/** Operations of the global scope: writable, enumerable, configurable. */
const operations = {
  atob: base64.atob,
  btoa: base64.btoa,
  clearInterval: timers.clearInterval,
  clearTimeout: timers.clearTimeout,
  reportError: event.reportError,
  setInterval: timers.setInterval,
  setTimeout: timers.setTimeout,
  structuredClone,
};

function defineValue(name, value, enumerable) {
  ObjectDefineProperty(globalThis, name, {
    __proto__: null,
    value,
    writable: true,
    enumerable,
    configurable: true,
  });
}

/**
 * A readonly attribute of the global scope; `[Replaceable]` ones become a
 * plain data property when a script assigns to them.
 */
function defineAttribute(name, get, replaceable) {
  ObjectDefineProperty(globalThis, name, {
    __proto__: null,
    get,
    set: replaceable ? (value) => defineValue(name, value, true) : undefined,
    enumerable: true,
    configurable: true,
  });
}

function installGlobals() {
  for (const { 0: name, 1: value } of ObjectEntries(interfaces)) {
    defineValue(name, value, false);
    // Platform objects that are not serializable are a DataCloneError.
    markNotSerializable(value.prototype);
  }
  for (const { 0: name, 1: value } of ObjectEntries(operations)) {
    defineValue(name, value, true);
  }
  defineAttribute("self", () => globalThis, true);
  defineAttribute("performance", () => performance.performance, true);
  defineAttribute("crypto", () => crypto.crypto, false);
}

installGlobals();

/**
 * The errors deno_web's and deno_crypto's ops throw as DOMExceptions, by
 * the class name they give in Rust.
 */
const DOM_EXCEPTION_OP_ERRORS = [
  "DataError",
  "IndexSizeError",
  "InvalidCharacterError",
  "InvalidStateError",
  "NotSupportedError",
  "OperationError",
  "QuotaExceededError",
  "SyntaxError",
  "TypeMismatchError",
];
for (let i = 0; i < DOM_EXCEPTION_OP_ERRORS.length; i++) {
  const name = DOM_EXCEPTION_OP_ERRORS[i];
  core.registerErrorBuilder(`DOMException${name}`, (message) => new DOMException(message, name));
}

// https://html.spec.whatwg.org/multipage/webappapis.html#unhandled-promise-rejections
// Returns whether the rejection counts as handled (the event was canceled).
function handleUnhandledRejection(promise, reason) {
  const rejection = new event.PromiseRejectionEvent("unhandledrejection", {
    cancelable: true,
    promise,
    reason,
  });
  if (!dispatchTrusted(globalThis, rejection)) {
    return true;
  }
  if (inWorker) {
    reportToParent(reason, "Uncaught (in promise)");
    return true;
  }
  return false;
}

let inWorker = false;

/**
 * Finishes the global scope for one isolate; called by the runtime before
 * any user code, then removed.
 */
function bootstrap(options) {
  delete globalThis[SymbolFor("entangle.bootstrap")];
  delete globalThis.__bootstrap;
  delete globalThis.Deno;
  // The global object's identity is not kept by the snapshot: make it an
  // EventTarget (as WorkerGlobalScope is) here, in the live context.
  ObjectSetPrototypeOf(globalThis, event.EventTarget.prototype);
  event.setEventTargetData(globalThis);
  event.saveGlobalThisReference(globalThis);
  ObjectDefineProperty(globalThis, webidl.brand, {
    __proto__: null,
    value: webidl.brand,
    enumerable: false,
    configurable: true,
    writable: true,
  });
  defineEventHandler(globalThis, "error", undefined, true);
  defineEventHandler(globalThis, "unhandledrejection");
  defineEventHandler(globalThis, "rejectionhandled");
  performance.setTimeOrigin();
  const noColor = () => !options.colors;
  consoleModule.setNoColorFns(noColor, noColor);
  const console = new consoleModule.Console((message, level) => core.print(message, level > 1));
  defineValue("console", console, false);
  core.setReportExceptionCallback(event.reportException);
  core.setUnhandledPromiseRejectionHandler(handleUnhandledRejection);
  setReportParentException(event.reportException);
  initMessaging();
  installEntangle();
  const workerScope = op_worker_scope();
  const navigator = createNavigator(workerScope !== null);
  defineAttribute("navigator", () => navigator, false);
  if (workerScope !== null) {
    inWorker = true;
    defineValue("WorkerNavigator", WorkerNavigator, false);
    op_set_uncaught_hook((error) => reportToParent(error, "Uncaught"));
    initWorkerScope(workerScope);
  } else {
    defineValue("Navigator", Navigator, false);
  }
}

ObjectDefineProperty(globalThis, SymbolFor("entangle.bootstrap"), {
  __proto__: null,
  value: bootstrap,
  configurable: true,
});
