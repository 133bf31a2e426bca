// Timers: setTimeout, setInterval, clearTimeout, clearInterval.
//
// Spec: https://html.spec.whatwg.org/multipage/timers-and-user-prompts.html#timers
//
// deno_core owns the timer heap and fires callbacks from its event loop;
// this file adds HTML's surface: numeric handles from one shared map, string
// handlers, and the nesting clamp. Exceptions thrown by a callback go to
// deno_core's report-exception callback, which the bootstrap points at HTML's
// "report the exception".

import { core } from "ext:core/mod.js";

/** The map of active timers: handle -> deno_core timer. */
const activeTimers = new Map();
let nextHandle = 1;
/** Timer nesting level of the callback that is running now. */
let nestingLevel = 0;
/** Set when a worker calls close(): no timer callback runs any more. */
let stopped = false;

function stopTimers() {
  stopped = true;
}

// https://html.spec.whatwg.org/multipage/timers-and-user-prompts.html#timer-initialisation-steps
function initializeTimer(handler, timeout, args, repeat) {
  // 4. If timeout is less than 0, set it to 0 (NaN too, via ToNumber).
  timeout = Number(timeout);
  if (!(timeout > 0)) {
    timeout = 0;
  }
  // 5. If the nesting level is greater than 5 and timeout < 4, use 4.
  const level = nestingLevel + 1;
  if (level > 5 && timeout < 4) {
    timeout = 4;
  }
  // A string handler is compiled as a classic script in the global scope.
  const callback = typeof handler === "function" ? handler : compileStringHandler(String(handler));
  const handle = nextHandle++;
  const task = () => {
    if (stopped) {
      return;
    }
    if (!repeat) {
      activeTimers.delete(handle);
    }
    const outer = nestingLevel;
    nestingLevel = level;
    try {
      Reflect.apply(callback, globalThis, args);
    } finally {
      nestingLevel = outer;
    }
  };
  activeTimers.set(handle, core.createTimer(task, timeout, undefined, repeat, true));
  return handle;
}

function compileStringHandler(source) {
  const indirectEval = eval;
  return () => indirectEval(source);
}

function setTimeout(handler, timeout = 0, ...args) {
  return initializeTimer(handler, timeout, args, false);
}

function setInterval(handler, timeout = 0, ...args) {
  return initializeTimer(handler, timeout, args, true);
}

// https://html.spec.whatwg.org/multipage/timers-and-user-prompts.html#dom-cleartimeout
function clearTimeout(handle = 0) {
  const timer = activeTimers.get(Number(handle));
  if (timer !== undefined) {
    activeTimers.delete(Number(handle));
    core.cancelTimer(timer);
  }
}

const clearInterval = clearTimeout;

export { clearInterval, clearTimeout, setInterval, setTimeout, stopTimers };
