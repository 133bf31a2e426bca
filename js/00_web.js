// What Entangle's own interfaces take from deno_web and deno_webidl: the
// WebIDL helpers, DOMException and the event machinery, plus two helpers the
// messaging and worker glue share (firing trusted events, counting
// listeners). The general web platform itself is installed by
// 90_bootstrap.js straight from deno_web's modules.

import { core, primordials } from "ext:core/mod.js";

const {
  FunctionPrototypeCall,
  ObjectDefineProperty,
  ObjectGetOwnPropertyDescriptor,
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
 * Fires `event` at `target` as the user agent does: `isTrusted` is true.
 * Returns false when a listener canceled it.
 * https://dom.spec.whatwg.org/#concept-event-fire
 */
function dispatchTrusted(target, event) {
  setIsTrusted(event, true);
  return dispatch(target, event);
}

/**
 * Defines the `on<name>` event handler attributes of an interface, with the
 * brand check WebIDL gives every attribute; `start` runs when `onmessage`
 * is first set (HTML's "message port" rule).
 */
function defineEventHandlers(prototype, names, isBrand, start = undefined) {
  for (let i = 0; i < names.length; i++) {
    const name = names[i];
    defineEventHandler(prototype, name, name === "message" ? start : undefined);
    const key = `on${name}`;
    const { get, set } = ObjectGetOwnPropertyDescriptor(prototype, key);
    ObjectDefineProperty(prototype, key, {
      __proto__: null,
      get() {
        if (!isBrand(this)) {
          throw new TypeError("Illegal invocation");
        }
        return FunctionPrototypeCall(get, this);
      },
      set(value) {
        if (!isBrand(this)) {
          throw new TypeError("Illegal invocation");
        }
        // Only a function can handle events (WPT DedicatedWorkerGlobalScope
        // onmessage: an object is null, as in browsers).
        FunctionPrototypeCall(set, this, typeof value === "function" ? value : null);
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
