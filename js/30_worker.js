// Dedicated workers: the Worker interface, and the global scope inside one.
//
// Spec: https://html.spec.whatwg.org/multipage/workers.html
//
// A worker runs on its own thread, isolate and event loop (see
// src/worker.rs). It talks to its creator through two entangled pairs made by
// Rust: the implicit port, whose events fire at the Worker object outside and
// at the worker's global scope inside, and a control port that carries error
// reports from the worker to the Worker object.

import { core } from "ext:core/mod.js";
import {
  op_base_url,
  op_script_syntax_error_location,
  op_worker_close,
  op_worker_read_script,
  op_worker_spawn,
  op_worker_terminate,
} from "ext:core/ops";
import {
  defineEventHandlers,
  dispatchTrusted,
  DOMException,
  ErrorEvent,
  EventTarget,
  isObject,
  webidl,
} from "ext:entangle/00_web.js";
import {
  createPort,
  postMessageSteps,
  setPortEventTarget,
  startPort,
  stopDelivering,
  transferList,
} from "ext:entangle/10_message_port.js";

const spawnResult = new Uint32Array(3);

/** What relative worker URLs resolve against: the main module, or this worker's script. */
let baseURL;

function resolveScriptURL(scriptURL, context) {
  baseURL ??= op_base_url() ?? undefined;
  try {
    return new URL(String(scriptURL), baseURL).href;
  } catch {
    throw new DOMException(`${context}: The URL '${scriptURL}' is invalid.`, "SyntaxError");
  }
}

/** A port whose events go to `target`; started at once unless `start` is false. */
function attachPort(id, target, start = true) {
  const port = createPort(id);
  setPortEventTarget(port, target);
  if (start) {
    startPort(port);
  }
  return port;
}

// https://html.spec.whatwg.org/multipage/workers.html#dedicated-workers-and-the-worker-interface
class Worker extends EventTarget {
  #id = 0;
  #port = null;
  #control = null;

  // https://html.spec.whatwg.org/multipage/workers.html#dom-worker
  constructor(scriptURL, options = undefined) {
    const context = "Failed to construct 'Worker'";
    webidl.requiredArguments(arguments.length, 1, context);
    if (options !== undefined && options !== null && !isObject(options)) {
      throw new TypeError(`${context}: The provided value is not of type 'WorkerOptions'.`);
    }
    const name = options?.name === undefined ? "" : String(options.name);
    const type = options?.type === undefined ? "classic" : String(options.type);
    if (type !== "classic" && type !== "module") {
      throw new TypeError(`${context}: The provided value '${type}' is not a valid WorkerType.`);
    }
    super();
    // 4. Parse the URL; failure throws a "SyntaxError" DOMException.
    const url = resolveScriptURL(scriptURL, context);
    const failure = op_worker_spawn(url, type === "module", name, spawnResult);
    if (failure !== null) {
      // The script cannot be fetched: fire `error` at the Worker, as a task.
      setTimeout(() => reportLoadFailure(this, url, failure), 0);
      return;
    }
    this.#id = spawnResult[0];
    // The outside port's message queue is enabled at once.
    this.#port = attachPort(spawnResult[1], this);
    const control = new EventTarget();
    control.addEventListener("message", (event) => reportWorkerError(this, event.data));
    this.#control = attachPort(spawnResult[2], control);
  }

  // https://html.spec.whatwg.org/multipage/workers.html#dom-worker-postmessage
  postMessage(message, options = undefined) {
    if (!(#port in this)) {
      throw new TypeError("Illegal invocation");
    }
    const context = "Failed to execute 'postMessage' on 'Worker'";
    webidl.requiredArguments(arguments.length, 1, context);
    const transfer = transferList(options, context);
    if (this.#port !== null) {
      postMessageSteps(this.#port, message, transfer);
    }
  }

  // https://html.spec.whatwg.org/multipage/workers.html#dom-worker-terminate
  terminate() {
    if (!(#port in this)) {
      throw new TypeError("Illegal invocation");
    }
    if (this.#id === 0) {
      return;
    }
    op_worker_terminate(this.#id);
    this.#id = 0;
    // Nothing is delivered from the worker any more.
    this.#port.close();
    this.#control.close();
  }

  static {
    webidl.configureInterface(this);
  }
}

defineEventHandlers(Worker.prototype, ["message", "messageerror", "error"], (value) => value instanceof Worker);

// The event says why, in its `message` (browsers fire a plain Event).
function reportLoadFailure(worker, url, message) {
  const event = new ErrorEvent("error", { cancelable: true, message, filename: url });
  dispatchTrusted(worker, event);
  if (!event.defaultPrevented) {
    core.reportUnhandledException(new Error(message));
  }
}

// https://html.spec.whatwg.org/multipage/workers.html#runtime-script-errors-2
// An error the worker did not handle fires at the Worker object; if that is
// not canceled either, it is reported in this scope.
function reportWorkerError(worker, report) {
  const event = new ErrorEvent("error", {
    cancelable: true,
    message: report.message,
    filename: report.filename,
    lineno: report.lineno,
    colno: report.colno,
  });
  dispatchTrusted(worker, event);
  if (!event.defaultPrevented) {
    reportParentException(report.error ?? new Error(report.message));
  }
}

let reportParentException = (error) => core.reportUnhandledException(error);

/** The parent scope's "report the exception" (it may itself be a worker). */
function setReportParentException(report) {
  reportParentException = report;
}

/** The worker side: set up by `initWorkerScope`. */
let controlPort = null;
let closing = false;

/** Where an exception was thrown: its stack's first frame. */
function errorLocation(error) {
  const { frames } = core.destructureError(error);
  const frame = frames.length > 0 ? frames[0] : undefined;
  return {
    filename: frame?.fileName ?? "",
    lineno: frame?.lineNumber ?? 0,
    colno: frame?.columnNumber ?? 0,
  };
}

function errorMessage(error) {
  try {
    return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  } catch {
    return "exception";
  }
}

/**
 * Inside a worker, an exception nothing canceled goes to the Worker object
 * in the parent (instead of ending the process). `prefix` is "Uncaught" or
 * "Uncaught (in promise)".
 */
function reportToParent(error, prefix) {
  const report = { message: `${prefix} ${errorMessage(error)}`, ...errorLocation(error) };
  try {
    postMessageSteps(controlPort, { ...report, error }, []);
  } catch {
    postMessageSteps(controlPort, report, []);
  }
}

// https://html.spec.whatwg.org/multipage/workers.html#the-workerglobalscope-common-interface
class WorkerGlobalScope extends EventTarget {
  // Not constructible: the one instance is the global object.
  // deno-lint-ignore constructor-super
  constructor() {
    throw new TypeError("Illegal constructor");
  }

  static {
    webidl.configureInterface(this);
  }
}

// https://html.spec.whatwg.org/multipage/workers.html#dedicated-workers-and-the-dedicatedworkerglobalscope-interface
class DedicatedWorkerGlobalScope extends WorkerGlobalScope {
  static {
    webidl.configureInterface(this);
  }
}

// https://html.spec.whatwg.org/multipage/workers.html#worker-locations
class WorkerLocation {
  #url;

  constructor(key, url) {
    if (key !== WorkerLocation) {
      throw new TypeError("Illegal constructor");
    }
    this.#url = url;
  }

  static {
    for (const name of ["href", "origin", "protocol", "host", "hostname", "port", "pathname", "search", "hash"]) {
      Object.defineProperty(this.prototype, name, {
        get() {
          if (!(#url in this)) {
            throw new TypeError("Illegal invocation");
          }
          return this.#url[name];
        },
        enumerable: true,
        configurable: true,
      });
    }
  }

  toString() {
    return this.href;
  }

  static {
    webidl.configureInterface(this);
  }
}

/**
 * A worker's timers: once it calls close(), no callback runs any more (the
 * closing flag discards the tasks timers queue).
 */
function guardTimers() {
  for (const name of ["setTimeout", "setInterval"]) {
    const schedule = globalThis[name];
    const guarded = {
      [name](handler, timeout = 0, ...args) {
        const callback = typeof handler === "function" ? handler : compileHandler(webidl.converters.DOMString(handler));
        const task = (...values) => {
          if (!closing) {
            Reflect.apply(callback, globalThis, values);
          }
        };
        return schedule(task, timeout, ...args);
      },
    }[name];
    Object.defineProperty(globalThis, name, { value: guarded, writable: true, enumerable: true, configurable: true });
  }
}

/** A string handler is compiled as a classic script in the global scope. */
function compileHandler(code) {
  const indirectEval = eval;
  return () => indirectEval(code);
}

/**
 * Makes this global scope a DedicatedWorkerGlobalScope: `name`,
 * `postMessage`, `close`, `onmessage`, `onmessageerror`, `importScripts`,
 * then runs the worker's script and enables the implicit port.
 */
function initWorkerScope(scope) {
  baseURL = scope.url;
  const port = attachPort(scope.portId, globalThis, false);
  controlPort = attachPort(scope.controlId, new EventTarget(), false);
  const members = {
    // https://html.spec.whatwg.org/multipage/workers.html#dom-dedicatedworkerglobalscope-postmessage
    postMessage(message, options = undefined) {
      const context = "Failed to execute 'postMessage' on 'DedicatedWorkerGlobalScope'";
      webidl.requiredArguments(arguments.length, 1, context);
      postMessageSteps(port, message, transferList(options, context));
    },
    // https://html.spec.whatwg.org/multipage/workers.html#dom-workerglobalscope-close
    // The closing flag discards every later task: no more events or timers,
    // and the event loop ends after this task. What this task still posts is
    // delivered (WPT workers/interfaces/WorkerGlobalScope/close).
    close() {
      closing = true;
      stopDelivering();
      op_worker_close();
    },
    // https://html.spec.whatwg.org/multipage/workers.html#dom-workerglobalscope-importscripts
    importScripts(...urls) {
      if (scope.module) {
        throw new TypeError("importScripts() is not available in module workers.");
      }
      for (const url of urls) {
        runClassicScript(resolveScriptURL(url, "Failed to execute 'importScripts'"));
      }
    },
  };
  for (const [key, value] of Object.entries(members)) {
    Object.defineProperty(globalThis, key, { value, writable: true, enumerable: true, configurable: true });
  }
  Object.defineProperty(globalThis, "name", {
    get: () => scope.name,
    enumerable: true,
    configurable: true,
  });
  const location = new WorkerLocation(WorkerLocation, new URL(scope.url));
  Object.defineProperty(globalThis, "location", {
    get: () => location,
    enumerable: true,
    configurable: true,
  });
  for (const klass of [WorkerGlobalScope, DedicatedWorkerGlobalScope, WorkerLocation]) {
    Object.defineProperty(globalThis, klass.name, { value: klass, writable: true, configurable: true });
  }
  Object.setPrototypeOf(globalThis, DedicatedWorkerGlobalScope.prototype);
  defineEventHandlers(globalThis, ["message", "messageerror"], (value) => value === globalThis);
  guardTimers();
  runWorkerScript(scope, port);
}

/**
 * A syntax error's stack names the place in the script that does not
 * parse, as a stack frame: what error events and the printer read.
 */
function placeSyntaxError(error, source, url) {
  const location = op_script_syntax_error_location(source, url);
  if (location !== null) {
    Object.defineProperty(error, "stack", {
      value: `${error.name}: ${error.message}\n    at ${url}:${location[0]}:${location[1]}`,
      writable: true,
      configurable: true,
    });
  }
}

// https://html.spec.whatwg.org/multipage/webappapis.html#run-a-classic-script
// The script is compiled with its URL as its origin, so errors and stack
// traces name the script, not this glue.
function runClassicScript(url) {
  const source = op_worker_read_script(url);
  const [, error] = core.evalContext(source, url);
  if (error !== null) {
    if (error.isCompileError) {
      placeSyntaxError(error.thrown, source, url);
    }
    throw error.thrown;
  }
}

// https://html.spec.whatwg.org/multipage/workers.html#run-a-worker
async function runWorkerScript(scope, port) {
  // Enable the implicit port once the script has run: messages sent before
  // now are delivered. A module's top-level await may still be pending.
  const enablePort = () => {
    if (!closing) {
      startPort(port);
    }
  };
  try {
    if (scope.module) {
      await runModuleScript(scope.url, enablePort);
    } else {
      runClassicScript(scope.url);
    }
  } catch (error) {
    reportError(error);
  }
  enablePort();
}

/** A `blob:` URL for a module of this source. */
function moduleURL(source) {
  return URL.createObjectURL(new Blob([source], { type: "text/javascript" }));
}

/**
 * Imports the worker's module and calls `evaluated` as soon as its body has
 * run up to its first top-level await, not when its evaluation promise
 * settles (HTML enables the ports without waiting for it).
 *
 * An entry module imports the script, then a hook module. A module that
 * does not depend on the script is evaluated right after the script's
 * synchronous part, while the script's top-level await is pending; the
 * entry's own evaluation waits for both. The hook reaches `evaluated`
 * through a one-shot global named by its own unguessable blob: URL.
 */
async function runModuleScript(url, evaluated) {
  const hook = moduleURL("globalThis[import.meta.url]?.();");
  const entry = moduleURL(`import ${JSON.stringify(url)};\nimport ${JSON.stringify(hook)};\n`);
  Object.defineProperty(globalThis, hook, {
    value() {
      delete globalThis[hook];
      evaluated();
    },
    configurable: true,
  });
  try {
    await import(entry);
  } finally {
    delete globalThis[hook];
    URL.revokeObjectURL(hook);
    URL.revokeObjectURL(entry);
  }
}

export { initWorkerScope, reportToParent, setReportParentException, Worker };
