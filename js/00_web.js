// What Entangle's own interfaces take from deno_web and deno_webidl: the
// WebIDL helpers, DOMException and the event machinery, plus what the
// messaging and worker glue share: event handler attributes, firing trusted
// events, making `message` events, counting listeners. The general web
// platform itself is installed by 90_bootstrap.js straight from deno_web's
// modules.

import { core, primordials } from "ext:core/mod.js";

const {
  FunctionPrototypeCall,
  ObjectDefineProperty,
  Symbol,
} = primordials;

const webidl = core.loadExtScript("ext:deno_webidl/00_webidl.js");
const { DOMException } = core.loadExtScript("ext:deno_web/01_dom_exception.js");
const event = core.loadExtScript("ext:deno_web/02_event.js");
const {
  defineEventHandler,
  dispatch,
  ErrorEvent,
  Event,
  EventTarget,
  listenerCount,
  MessageEvent,
  setIsTrusted,
} = event;

/** Passed by Entangle to constructors that scripts may not call. */
const illegalConstructorKey = Symbol("illegal constructor key");

/** Whether `value` is an object in WebIDL's sense (functions included). */
function isObject(value) {
  return webidl.type(value) === "Object";
}

/**
 * The `message` event of a delivered message, made from `init` (its `data`,
 * and `ports` or `origin`). The event's dictionary turns a `data` of
 * `undefined` into its default, null; a message of `undefined` is
 * delivered as itself.
 */
function createMessageEvent(init) {
  const event = new MessageEvent("message", init);
  if (init.data === undefined) {
    event.data = undefined;
  }
  return event;
}

/**
 * Fires `event` at `target` as the user agent does: `isTrusted` is true.
 * Returns false when a listener canceled it.
 * https://dom.spec.whatwg.org/#concept-event-fire
 */
function dispatchTrusted(target, event) {
  setIsTrusted(event, true);
  return dispatch(target, event);
}

/**
 * Where an object keeps its event handlers: `{ [type]: handler }`, with
 * `null` for a handler set back to null, whose listener keeps its place.
 */
const eventHandlers = Symbol("[[eventHandlers]]");

/**
 * Defines the `on<name>` event handler attributes of an interface, with the
 * brand check WebIDL gives every attribute; `start` runs when `onmessage`
 * is first set (HTML's "message port" rule).
 *
 * They behave as deno_web's `defineEventHandler`: setting a handler the
 * first time adds an event listener, which keeps its place when the handler
 * changes or is set to null. But one listener per event type, shared by
 * every object, calls the object's current handler: a program holding a
 * hundred thousand ports with `onmessage` holds no hundred thousand maps and
 * closures.
 * https://html.spec.whatwg.org/multipage/webappapis.html#event-handler-attributes
 */
function defineEventHandlers(prototype, names, isBrand, start = undefined) {
  for (let i = 0; i < names.length; i++) {
    const name = names[i];
    // https://html.spec.whatwg.org/multipage/webappapis.html#the-event-handler-processing-algorithm
    const listener = function (event) {
      const handler = this[eventHandlers]?.[name];
      if (typeof handler === "function") {
        return FunctionPrototypeCall(handler, this, event);
      }
    };
    ObjectDefineProperty(prototype, `on${name}`, {
      __proto__: null,
      get() {
        if (!isBrand(this)) {
          throw new TypeError("Illegal invocation");
        }
        return this[eventHandlers]?.[name] ?? null;
      },
      set(value) {
        if (!isBrand(this)) {
          throw new TypeError("Illegal invocation");
        }
        // Only a function can handle events (WPT DedicatedWorkerGlobalScope
        // onmessage: an object is null, as in browsers).
        const handler = typeof value === "function" ? value : null;
        let handlers = this[eventHandlers];
        if (handlers === undefined) {
          if (handler === null) {
            return;
          }
          handlers = { __proto__: null };
          this[eventHandlers] = handlers;
        }
        const registered = handlers[name] !== undefined;
        if (!registered && handler === null) {
          return;
        }
        handlers[name] = handler;
        if (!registered) {
          this.addEventListener(name, listener);
          if (name === "message") {
            start?.(this);
          }
        }
      },
      enumerable: true,
      configurable: true,
    });
  }
}

/** Whether `target` has a listener (or handler) for `type`. */
function hasListeners(target, type) {
  return listenerCount(target, type) > 0;
}

export {
  createMessageEvent,
  defineEventHandler,
  defineEventHandlers,
  dispatchTrusted,
  DOMException,
  ErrorEvent,
  Event,
  event,
  EventTarget,
  hasListeners,
  illegalConstructorKey,
  isObject,
  MessageEvent,
  webidl,
};
