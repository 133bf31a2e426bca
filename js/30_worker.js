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
  op_worker_close,
  op_worker_read_script,
  op_worker_spawn,
  op_worker_terminate,
} from "ext:core/ops";
import { configureInterface, isObject, requiredArguments } from "ext:entangle/00_webidl.js";
import { DOMException } from "ext:entangle/01_dom_exception.js";
import { defineEventHandler, dispatchTrusted, ErrorEvent, EventTarget } from "ext:entangle/02_event.js";
import {
  createPort,
  postMessageSteps,
  setPortEventTarget,
  startPort,
  stopDelivering,
  transferList,
} from "ext:entangle/10_message_port.js";
import { stopTimers } from "ext:entangle/20_timers.js";

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
    requiredArguments(arguments.length, 1, context);
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
    requiredArguments(arguments.length, 1, context);
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
    configureInterface(this);
  }
}

const isWorker = (value) => value instanceof Worker;
defineEventHandler(Worker.prototype, "message", undefined, { brandCheck: isWorker, interfaceName: "Worker" });
defineEventHandler(Worker.prototype, "messageerror", undefined, { brandCheck: isWorker, interfaceName: "Worker" });
defineEventHandler(Worker.prototype, "error", undefined, { brandCheck: isWorker, interfaceName: "Worker" });

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

/**
 * Inside a worker, an exception nothing canceled goes to the Worker object
 * in the parent (instead of ending the process).
 */
function reportToParent(error, location) {
  const { message, filename, lineno, colno } = location;
  const report = { message, filename, lineno, colno };
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
    configureInterface(this);
  }
}

// https://html.spec.whatwg.org/multipage/workers.html#dedicated-workers-and-the-dedicatedworkerglobalscope-interface
class DedicatedWorkerGlobalScope extends WorkerGlobalScope {
  static {
    configureInterface(this);
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
    configureInterface(this);
  }
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
      requiredArguments(arguments.length, 1, context);
      postMessageSteps(port, message, transferList(options, context));
    },
    // https://html.spec.whatwg.org/multipage/workers.html#dom-workerglobalscope-close
    // The closing flag discards every later task: no more events or timers,
    // and the event loop ends after this task. What this task still posts is
    // delivered (WPT workers/interfaces/WorkerGlobalScope/close).
    close() {
      closing = true;
      stopDelivering();
      stopTimers();
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
  defineEventHandler(globalThis, "message");
  defineEventHandler(globalThis, "messageerror");
  runWorkerScript(scope, port);
}

function runClassicScript(url) {
  const source = op_worker_read_script(url);
  const indirectEval = eval;
  indirectEval(`${source}\n//# sourceURL=${url}`);
}

// https://html.spec.whatwg.org/multipage/workers.html#run-a-worker
async function runWorkerScript(scope, port) {
  try {
    if (scope.module) {
      await import(scope.url);
    } else {
      runClassicScript(scope.url);
    }
  } catch (error) {
    reportError(error);
  }
  // Enable the implicit port: messages sent before now are delivered.
  if (!closing) {
    startPort(port);
  }
}

export { initWorkerScope, reportToParent, setReportParentException, Worker };
