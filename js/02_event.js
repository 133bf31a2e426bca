//! Events: `Event`, `EventTarget`, `AbortController`/`AbortSignal`, the
//! `ErrorEvent`, `MessageEvent` and `PromiseRejectionEvent` interfaces, and
//! HTML's event handler IDL attributes (`onmessage`-style).
//!
//! Specs:
//! - DOM, events and aborting: https://dom.spec.whatwg.org/#events,
//!   https://dom.spec.whatwg.org/#aborting-ongoing-activities
//! - HTML event handlers: https://html.spec.whatwg.org/multipage/webappapis.html#event-handler-attributes
//! - HTML event interfaces: https://html.spec.whatwg.org/multipage/webappapis.html#errorevent,
//!   https://html.spec.whatwg.org/multipage/comms.html#messageevent,
//!   https://html.spec.whatwg.org/multipage/webappapis.html#promiserejectionevent
//!
//! This module owns the private state of every event (its flags, phase,
//! targets and path) and of every event target (its event listener list,
//! event handler map and optional parent), plus the dispatch algorithm. There
//! is no node tree: an event path is the target followed by the chain of
//! "parent" targets set with `setEventTargetParent`. A parent behaves like
//! the `Window` parent of a document: while the event is at a parent, its
//! `target` stays the original target and its phase is capturing/bubbling.
//!
//! Internal state lives in private class fields. Objects that were not made by
//! the `EventTarget` constructor (e.g. the global object) are adopted with
//! `makeEventTarget`, which keeps their state in a module-private WeakMap
//! (engines may refuse private fields on the global proxy). Neither is
//! reachable from user code.
//!
//! Exceptions thrown by listeners never stop a dispatch: each one goes to the
//! reporter installed with `setReportException` (by default `console.error`).

import {
  dictionaryObject,
  isObject,
  requiredArguments,
  toDOMString,
  toSequence,
  toUSVString,
} from "ext:entangle/00_webidl.js";
import { DOMException } from "ext:entangle/01_dom_exception.js";

// ---------------------------------------------------------------------------
// Intrinsics, captured at module evaluation before any user code runs, so that
// later tampering with built-in prototypes cannot change the algorithms below.

const uncurryThis = Function.prototype.bind.bind(Function.prototype.call);
const { apply: ReflectApply, ownKeys: ReflectOwnKeys } = Reflect;
const {
  defineProperty: ObjectDefineProperty,
  freeze: ObjectFreeze,
  getOwnPropertyDescriptor: ObjectGetOwnPropertyDescriptor,
} = Object;
const ArrayPrototypeIndexOf = uncurryThis(Array.prototype.indexOf);
const ArrayPrototypePush = uncurryThis(Array.prototype.push);
const ArrayPrototypeSlice = uncurryThis(Array.prototype.slice);
const ArrayPrototypeSplice = uncurryThis(Array.prototype.splice);
const NativeMap = Map;
const MapPrototypeGet = uncurryThis(Map.prototype.get);
const MapPrototypeSet = uncurryThis(Map.prototype.set);
const WeakMapPrototypeGet = uncurryThis(WeakMap.prototype.get);
const WeakMapPrototypeSet = uncurryThis(WeakMap.prototype.set);
const NativeTypeError = TypeError;
const NumberIsFinite = Number.isFinite;
const MathTrunc = Math.trunc;
const DateNow = Date.now;
const SymbolToStringTag = Symbol.toStringTag;

// ---------------------------------------------------------------------------
// Web IDL helpers (https://webidl.spec.whatwg.org/#es-type-mapping).

/** unsigned long: ToNumber, non-finite to 0, truncate, modulo 2^32 (= ToUint32). */
function toUnsignedLong(value) {
  return value >>> 0;
}

/** [EnforceRange] unsigned long long. */
function toEnforcedUnsignedLongLong(value, context) {
  const number = +value;
  if (!NumberIsFinite(number)) {
    throw new NativeTypeError(`${context} is not a finite number.`);
  }
  const integer = MathTrunc(number);
  if (integer < 0 || integer > Number.MAX_SAFE_INTEGER) {
    throw new NativeTypeError(
      `${context} is outside the range [0, ${Number.MAX_SAFE_INTEGER}].`,
    );
  }
  return integer === 0 ? 0 : integer;
}

function illegalInvocation(interfaceName, member) {
  return new NativeTypeError(
    `'${member}' called on an object that does not implement interface ${interfaceName}.`,
  );
}

/**
 * Gives a class the shape of a Web IDL interface: members on the prototype and
 * static operations are enumerable, the prototype gets its class string, and
 * constants are defined on both the interface object and the prototype.
 */
function finishInterface(interfaceObject, name, constants = undefined) {
  const prototype = interfaceObject.prototype;
  for (const key of ReflectOwnKeys(prototype)) {
    if (key === "constructor") continue;
    makeEnumerable(prototype, key);
  }
  for (const key of ReflectOwnKeys(interfaceObject)) {
    if (key === "length" || key === "name" || key === "prototype") continue;
    makeEnumerable(interfaceObject, key);
  }
  ObjectDefineProperty(prototype, SymbolToStringTag, {
    __proto__: null,
    value: name,
    writable: false,
    enumerable: false,
    configurable: true,
  });
  if (constants !== undefined) {
    for (const constantName of ReflectOwnKeys(constants)) {
      const descriptor = {
        __proto__: null,
        value: constants[constantName],
        writable: false,
        enumerable: true,
        configurable: false,
      };
      ObjectDefineProperty(interfaceObject, constantName, descriptor);
      ObjectDefineProperty(prototype, constantName, descriptor);
    }
  }
}

function makeEnumerable(object, key) {
  const descriptor = ObjectGetOwnPropertyDescriptor(object, key);
  descriptor.enumerable = true;
  ObjectDefineProperty(object, key, descriptor);
}

// ---------------------------------------------------------------------------
// Reporting exceptions thrown by listeners.

function defaultReportException(error) {
  const console = globalThis.console;
  if (isObject(console) && typeof console.error === "function") {
    console.error(error);
  }
}

let reportExceptionHook = defaultReportException;

/**
 * Installs the function that "reports the exception" for listener errors;
 * null or undefined restores the default (`console.error`).
 */
function setReportException(report) {
  if (report === null || report === undefined) {
    reportExceptionHook = defaultReportException;
    return;
  }
  if (typeof report !== "function") {
    throw new NativeTypeError("setReportException: expected a function.");
  }
  reportExceptionHook = report;
}

function reportException(error) {
  try {
    reportExceptionHook(error);
  } catch {
    // Reporting must never interrupt the dispatch that is in progress.
  }
}

// ---------------------------------------------------------------------------
// Event: https://dom.spec.whatwg.org/#interface-event

const NONE = 0;
const CAPTURING_PHASE = 1;
const AT_TARGET = 2;
const BUBBLING_PHASE = 3;

function currentTime() {
  const performance = globalThis.performance;
  if (isObject(performance) && typeof performance.now === "function") {
    return performance.now();
  }
  return DateNow();
}

/** https://dom.spec.whatwg.org/#dictdef-eventinit, members in lexicographic order. */
function convertEventInit(value) {
  const dict = dictionaryObject(value, "The event init dictionary");
  const bubbles = !!dict?.bubbles;
  const cancelable = !!dict?.cancelable;
  const composed = !!dict?.composed;
  return { bubbles, cancelable, composed };
}

/** https://dom.spec.whatwg.org/#set-the-canceled-flag */
function setCanceledFlag(state) {
  if (state.cancelable && !state.inPassiveListener) state.canceled = true;
}

/** https://dom.spec.whatwg.org/#concept-event-initialize */
function initializeEvent(state, type, bubbles, cancelable) {
  // 1. Set event's initialized flag.
  state.initialized = true;
  // 2. Unset event's stop propagation flag, stop immediate propagation flag,
  //    and canceled flag.
  state.stopPropagation = false;
  state.stopImmediatePropagation = false;
  state.canceled = false;
  // 3. Set event's isTrusted attribute to false.
  state.isTrusted = false;
  // 4. Set event's target to null.
  state.target = null;
  // 5. Set event's type attribute to type.
  state.type = type;
  // 6. Set event's bubbles attribute to bubbles.
  state.bubbles = bubbles;
  // 7. Set event's cancelable attribute to cancelable.
  state.cancelable = cancelable;
}

// Module-private accessors, assigned in Event's static block.
let eventStateOf; // (value) => the event's state record, or undefined
let isTrustedGetter; // the one getter shared by every instance's `isTrusted`

/**
 * Passed as the init dictionary by the runtime's own event construction:
 * the type is already a string and every flag false, so the conversions are
 * skipped (a trusted event is made per delivered message).
 */
const kInternalInit = Object.freeze({ __proto__: null });

/** An event's internal state (a class, so every state shares one shape). */
class EventState {
  constructor(type, bubbles, cancelable, composed) {
    this.type = type;
    this.bubbles = bubbles;
    this.cancelable = cancelable;
    this.composed = composed;
    this.timeStamp = currentTime();
    this.isTrusted = false;
    this.target = null;
    this.currentTarget = null;
    this.eventPhase = NONE;
    this.path = [];
    this.initialized = true;
    this.dispatching = false;
    this.stopPropagation = false;
    this.stopImmediatePropagation = false;
    this.canceled = false;
    this.inPassiveListener = false;
  }
}

/** The descriptor of every instance's own `isTrusted` (set in a static block). */
let isTrustedDescriptor;

class Event {
  #state;

  /** https://dom.spec.whatwg.org/#dom-event-event */
  constructor(type, eventInitDict = undefined) {
    // Inner event creation steps (https://dom.spec.whatwg.org/#inner-event-creation-steps):
    // 1-2. Create the event and set its initialized flag.
    // 3. Initialize its timeStamp to the current high resolution time.
    // 4. Initialize the attributes that have a dictionary member.
    // Then the constructor initializes event's type attribute to type.
    if (eventInitDict === kInternalInit) {
      this.#state = new EventState(type, false, false, false);
    } else {
      requiredArguments(arguments.length, 1, "Event constructor");
      type = toDOMString(type);
      const { bubbles, cancelable, composed } = convertEventInit(eventInitDict);
      this.#state = new EventState(type, bubbles, cancelable, composed);
    }
    // [LegacyUnforgeable] readonly attribute boolean isTrusted: an own,
    // non-configurable accessor on every instance.
    ObjectDefineProperty(this, "isTrusted", isTrustedDescriptor);
  }

  /** Brand check: the event's state, or a TypeError. */
  static #stateOf(thisValue, member) {
    const object = thisValue ?? globalThis;
    if (!(isObject(object) && #state in object)) {
      throw illegalInvocation("Event", member);
    }
    return object.#state;
  }

  static {
    eventStateOf = (value) => isObject(value) && #state in value ? value.#state : undefined;
    isTrustedGetter = ObjectGetOwnPropertyDescriptor({
      get isTrusted() {
        return Event.#stateOf(this, "isTrusted").isTrusted;
      },
    }, "isTrusted").get;
    isTrustedDescriptor = ObjectFreeze({
      __proto__: null,
      get: isTrustedGetter,
      set: undefined,
      enumerable: true,
      configurable: false,
    });
  }

  get type() {
    return Event.#stateOf(this, "type").type;
  }

  get target() {
    return Event.#stateOf(this, "target").target;
  }

  /** Legacy alias of `target`. */
  get srcElement() {
    return Event.#stateOf(this, "srcElement").target;
  }

  get currentTarget() {
    return Event.#stateOf(this, "currentTarget").currentTarget;
  }

  /**
   * https://dom.spec.whatwg.org/#dom-event-composedpath
   * Without shadow trees no path item is hidden, so the algorithm reduces to
   * the invocation targets of the path, in order; empty when not dispatching.
   */
  composedPath() {
    const state = Event.#stateOf(this, "composedPath");
    // 1. Let composedPath be an empty list.
    const composedPath = [];
    // 2-3. If path is empty, return composedPath.
    // 4-. Otherwise every item's invocation target, in path order.
    const path = state.path;
    for (let index = 0; index < path.length; index++) {
      ArrayPrototypePush(composedPath, path[index].invocationTarget);
    }
    return composedPath;
  }

  get eventPhase() {
    return Event.#stateOf(this, "eventPhase").eventPhase;
  }

  /** https://dom.spec.whatwg.org/#dom-event-stoppropagation */
  stopPropagation() {
    Event.#stateOf(this, "stopPropagation").stopPropagation = true;
  }

  /** https://dom.spec.whatwg.org/#dom-event-cancelbubble */
  get cancelBubble() {
    return Event.#stateOf(this, "cancelBubble").stopPropagation;
  }

  set cancelBubble(value) {
    requiredArguments(arguments.length, 1, "Event.cancelBubble setter");
    const state = Event.#stateOf(this, "cancelBubble");
    // Setting to true sets the stop propagation flag; false does nothing.
    if (value) state.stopPropagation = true;
  }

  /** https://dom.spec.whatwg.org/#dom-event-stopimmediatepropagation */
  stopImmediatePropagation() {
    const state = Event.#stateOf(this, "stopImmediatePropagation");
    state.stopPropagation = true;
    state.stopImmediatePropagation = true;
  }

  get bubbles() {
    return Event.#stateOf(this, "bubbles").bubbles;
  }

  get cancelable() {
    return Event.#stateOf(this, "cancelable").cancelable;
  }

  /** https://dom.spec.whatwg.org/#dom-event-returnvalue */
  get returnValue() {
    return !Event.#stateOf(this, "returnValue").canceled;
  }

  set returnValue(value) {
    requiredArguments(arguments.length, 1, "Event.returnValue setter");
    const state = Event.#stateOf(this, "returnValue");
    // Setting to false sets the canceled flag; true does nothing.
    if (!value) setCanceledFlag(state);
  }

  /** https://dom.spec.whatwg.org/#dom-event-preventdefault */
  preventDefault() {
    setCanceledFlag(Event.#stateOf(this, "preventDefault"));
  }

  get defaultPrevented() {
    return Event.#stateOf(this, "defaultPrevented").canceled;
  }

  get composed() {
    return Event.#stateOf(this, "composed").composed;
  }

  get timeStamp() {
    return Event.#stateOf(this, "timeStamp").timeStamp;
  }

  /** https://dom.spec.whatwg.org/#dom-event-initevent */
  initEvent(type, bubbles = false, cancelable = false) {
    const state = Event.#stateOf(this, "initEvent");
    requiredArguments(arguments.length, 1, "Event.initEvent");
    type = toDOMString(type);
    bubbles = !!bubbles;
    cancelable = !!cancelable;
    // 1. If this's dispatch flag is set, then return.
    if (state.dispatching) return;
    // 2. Initialize this with type, bubbles, and cancelable.
    initializeEvent(state, type, bubbles, cancelable);
  }
}

finishInterface(Event, "Event", {
  NONE,
  CAPTURING_PHASE,
  AT_TARGET,
  BUBBLING_PHASE,
});

// ---------------------------------------------------------------------------
// EventTarget: https://dom.spec.whatwg.org/#interface-eventtarget

/** An event target's internal state (a class: one compact shape for all). */
class EventTargetState {
  constructor() {
    // https://dom.spec.whatwg.org/#eventtarget-event-listener-list
    this.listeners = [];
    // https://html.spec.whatwg.org/multipage/webappapis.html#event-handler-map
    // (a Map, created on first use: name -> EventHandler)
    this.handlers = null;
    // The target returned by "get the parent", or null.
    this.parent = null;
  }
}

function newEventTargetState() {
  return new EventTargetState();
}

/** https://dom.spec.whatwg.org/#concept-event-listener */
/** https://dom.spec.whatwg.org/#concept-event-listener */
class EventListener {
  constructor(type, callback, capture, passive, once, signal) {
    this.type = type;
    this.callback = callback;
    this.capture = capture;
    this.passive = passive;
    this.once = once;
    this.signal = signal;
    this.removed = false;
  }
}

function newEventListener(type, callback, capture, passive, once, signal) {
  return new EventListener(type, callback, capture, passive, once, signal);
}

// State of objects adopted with makeEventTarget (not built by the constructor).
const adoptedTargets = new WeakMap();

let targetStateOfInstance; // assigned in EventTarget's static block

/** The event target state of `value`, or undefined if it is not an event target. */
function targetStateOf(value) {
  return targetStateOfInstance(value) ??
    WeakMapPrototypeGet(adoptedTargets, value);
}

/** Brand check for EventTarget members (an undefined or null this means the global). */
function checkEventTarget(thisValue, member) {
  const state = targetStateOf(thisValue ?? globalThis);
  if (state === undefined) throw illegalInvocation("EventTarget", member);
  return state;
}

/** `EventListener?` (a callback interface): null, or any object. */
function convertEventListener(value, context) {
  if (value === undefined || value === null) return null;
  if (!isObject(value)) {
    throw new NativeTypeError(
      `${context}: parameter 2 is not of type 'EventListener'.`,
    );
  }
  return value;
}

/**
 * https://dom.spec.whatwg.org/#concept-flatten-options
 * `(EventListenerOptions or boolean)`: undefined, null and objects convert to
 * the dictionary; everything else to a boolean.
 */
function flattenOptions(options) {
  if (isObject(options)) return !!options.capture;
  return !!options;
}

/**
 * https://dom.spec.whatwg.org/#event-flatten-more
 * `(AddEventListenerOptions or boolean)`; members are read in lexicographic
 * order, inherited (capture) first.
 */
function flattenMoreOptions(options, context) {
  // 1. Let capture be the result of flattening options.
  // 2. Let once be false. 3. Let passive and signal be null.
  if (!isObject(options)) {
    return { capture: !!options, once: false, passive: null, signal: null };
  }
  const capture = !!options.capture;
  // 4. If options is a dictionary: set once to options["once"]; if
  //    options["passive"] exists, set passive to it; if options["signal"]
  //    exists, set signal to it.
  const once = !!options.once;
  const passiveValue = options.passive;
  const passive = passiveValue === undefined ? null : !!passiveValue;
  const signalValue = options.signal;
  let signal = null;
  if (signalValue !== undefined) {
    if (!isAbortSignal(signalValue)) {
      throw new NativeTypeError(
        `${context}: member signal is not of type 'AbortSignal'.`,
      );
    }
    signal = signalValue;
  }
  // 5. Return capture, passive, once, and signal.
  return { capture, once, passive, signal };
}

function findEventListener(state, type, callback, capture) {
  const listeners = state.listeners;
  for (let index = 0; index < listeners.length; index++) {
    const listener = listeners[index];
    if (
      listener.type === type && listener.callback === callback &&
      listener.capture === capture
    ) {
      return listener;
    }
  }
  return null;
}

/** https://dom.spec.whatwg.org/#add-an-event-listener */
function addAnEventListener(state, listener) {
  // 1. (Service worker warning: not applicable.)
  // 2. If listener's signal is not null and is aborted, then return.
  if (listener.signal !== null && signalIsAborted(listener.signal)) return;
  // 3. If listener's callback is null, then return.
  if (listener.callback === null) return;
  // 4. If listener's passive is null, set it to the default passive value
  //    (only true for touch/wheel events on nodes and windows: never here).
  if (listener.passive === null) listener.passive = false;
  // 5. If the list contains an event listener with the same type, callback
  //    and capture, do not append this one.
  if (
    findEventListener(state, listener.type, listener.callback, listener.capture) !==
      null
  ) {
    // Step 6 would add abort steps removing a listener that is not in the
    // list, which can have no effect, so they are skipped.
    return;
  }
  ArrayPrototypePush(state.listeners, listener);
  // 6. If listener's signal is not null, add abort steps to it that remove
  //    the event listener.
  if (listener.signal !== null) {
    addAbortAlgorithm(
      listener.signal,
      () => removeAnEventListener(state, listener),
    );
  }
}

/** https://dom.spec.whatwg.org/#remove-an-event-listener */
function removeAnEventListener(state, listener) {
  // 1. (Service worker warning: not applicable.)
  // 2. Set listener's removed to true and remove listener from the list.
  listener.removed = true;
  const index = ArrayPrototypeIndexOf(state.listeners, listener);
  if (index !== -1) ArrayPrototypeSplice(state.listeners, index, 1);
}

/**
 * https://webidl.spec.whatwg.org/#call-a-user-objects-operation for
 * EventListener's handleEvent: functions are called with the current target
 * as `this`; other objects have their `handleEvent` looked up on each call.
 */
function callEventListener(callback, event, thisArg) {
  if (typeof callback === "function") {
    ReflectApply(callback, thisArg, [event]);
    return;
  }
  const handleEvent = callback.handleEvent;
  if (typeof handleEvent !== "function") {
    throw new NativeTypeError("The listener's 'handleEvent' is not callable.");
  }
  ReflectApply(handleEvent, callback, [event]);
}

/** https://dom.spec.whatwg.org/#concept-event-dispatch */
function dispatch(target, event, state) {
  // 1. Set event's dispatch flag.
  state.dispatching = true;
  try {
    // 2-4. targetOverride is target; there are no related or touch targets
    //      and no activation behavior.
    // 5.2. Append to an event path with event, target, targetOverride.
    appendToEventPath(state, target, target);
    // 5.7-5.8. While parent is non-null, append it to the path. A parent is
    //          treated like a Window: its shadow-adjusted target is null, so
    //          the event keeps the original target while at the parent.
    let parent = targetStateOf(target).parent;
    while (parent !== null) {
      appendToEventPath(state, parent, null);
      parent = targetStateOf(parent).parent;
    }
    const path = state.path;
    // 5.12. For each struct in event's path, in reverse order:
    for (let index = path.length - 1; index >= 0; index--) {
      const struct = path[index];
      // 1. If struct's shadow-adjusted target is non-null, set eventPhase to
      //    AT_TARGET. 2. Otherwise, set it to CAPTURING_PHASE.
      state.eventPhase = struct.shadowAdjustedTarget !== null ? AT_TARGET : CAPTURING_PHASE;
      // 3. Invoke with struct, event, "capturing".
      invoke(path, index, event, state, "capturing");
    }
    // 5.13. For each struct in event's path:
    for (let index = 0; index < path.length; index++) {
      const struct = path[index];
      if (struct.shadowAdjustedTarget !== null) {
        // 1. If struct's shadow-adjusted target is non-null, AT_TARGET.
        state.eventPhase = AT_TARGET;
      } else {
        // 2. Otherwise: if event's bubbles is false, continue; else
        //    BUBBLING_PHASE.
        if (!state.bubbles) continue;
        state.eventPhase = BUBBLING_PHASE;
      }
      // 3. Invoke with struct, event, "bubbling".
      invoke(path, index, event, state, "bubbling");
    }
  } finally {
    // 6. Set event's eventPhase attribute to NONE.
    state.eventPhase = NONE;
    // 7. Set event's currentTarget attribute to null.
    state.currentTarget = null;
    // 8. Set event's path to the empty list.
    state.path = [];
    // 9. Unset event's dispatch flag, stop propagation flag, and stop
    //    immediate propagation flag.
    state.dispatching = false;
    state.stopPropagation = false;
    state.stopImmediatePropagation = false;
    // 10. (clearTargets is only set for shadow trees: never here.)
  }
  // 12. Return false if event's canceled flag is set; otherwise true.
  return !state.canceled;
}

/** https://dom.spec.whatwg.org/#concept-event-path-append */
function appendToEventPath(state, invocationTarget, shadowAdjustedTarget) {
  ArrayPrototypePush(state.path, {
    __proto__: null,
    invocationTarget,
    shadowAdjustedTarget,
  });
}

/** https://dom.spec.whatwg.org/#concept-event-listener-invoke */
function invoke(path, index, event, state, phase) {
  // 1. Set event's target to the shadow-adjusted target of the last struct in
  //    path, that is either struct or preceding it, whose shadow-adjusted
  //    target is non-null.
  for (let candidate = index; candidate >= 0; candidate--) {
    const adjusted = path[candidate].shadowAdjustedTarget;
    if (adjusted !== null) {
      state.target = adjusted;
      break;
    }
  }
  // 2-3. (No related target or touch targets.)
  // 4. If event's stop propagation flag is set, then return.
  if (state.stopPropagation) return;
  // 5. Initialize event's currentTarget to struct's invocation target.
  const currentTarget = path[index].invocationTarget;
  state.currentTarget = currentTarget;
  // 6. Let listeners be a clone of currentTarget's event listener list, so
  //    listeners added from now on do not run (removals still apply through
  //    the removed field).
  const targetState = targetStateOf(currentTarget);
  const listeners = ArrayPrototypeSlice(targetState.listeners);
  // 7. Let found be the result of running inner invoke.
  innerInvoke(event, state, targetState, listeners, phase);
  // 8. (Legacy webkit-prefixed event types: no such events here.)
}

/** https://dom.spec.whatwg.org/#concept-event-listener-inner-invoke */
function innerInvoke(event, state, targetState, listeners, phase) {
  // 1. Let found be false.
  let found = false;
  // 2. For each listener of listeners, whose removed is false:
  for (let index = 0; index < listeners.length; index++) {
    const listener = listeners[index];
    if (listener.removed) continue;
    // 1. If event's type attribute value is not listener's type, continue.
    if (state.type !== listener.type) continue;
    // 2. Set found to true.
    found = true;
    // 3. If phase is "capturing" and listener's capture is false, continue.
    if (phase === "capturing" && !listener.capture) continue;
    // 4. If phase is "bubbling" and listener's capture is true, continue.
    if (phase === "bubbling" && listener.capture) continue;
    // 5. If listener's once is true, remove it from currentTarget.
    if (listener.once) removeAnEventListener(targetState, listener);
    // 6-8. (window.event bookkeeping: there is no Window.)
    // 9. If listener's passive is true, set event's in passive listener flag.
    if (listener.passive) state.inPassiveListener = true;
    // 11. Call a user object's operation with listener's callback,
    //     "handleEvent", << event >>, and event's currentTarget. If this throws,
    //     report the exception.
    try {
      callEventListener(listener.callback, event, state.currentTarget);
    } catch (error) {
      reportException(error);
    }
    // 12. Unset event's in passive listener flag.
    state.inPassiveListener = false;
    // 14. If event's stop immediate propagation flag is set, then break.
    if (state.stopImmediatePropagation) break;
  }
  // 3. Return found.
  return found;
}

class EventTarget {
  #state = newEventTargetState();

  /** https://dom.spec.whatwg.org/#dom-eventtarget-eventtarget: do nothing. */
  constructor() {}

  static {
    targetStateOfInstance = (value) => isObject(value) && #state in value ? value.#state : undefined;
  }

  /** https://dom.spec.whatwg.org/#dom-eventtarget-addeventlistener */
  addEventListener(type, callback, options = undefined) {
    const state = checkEventTarget(this, "addEventListener");
    const context = "EventTarget.addEventListener";
    requiredArguments(arguments.length, 2, context);
    type = toDOMString(type);
    callback = convertEventListener(callback, context);
    // 1. Let capture, passive, once, and signal be the result of flattening
    //    more options.
    const { capture, passive, once, signal } = flattenMoreOptions(
      options,
      context,
    );
    // 2. Add an event listener with this and a new event listener.
    addAnEventListener(
      state,
      newEventListener(type, callback, capture, passive, once, signal),
    );
  }

  /** https://dom.spec.whatwg.org/#dom-eventtarget-removeeventlistener */
  removeEventListener(type, callback, options = undefined) {
    const state = checkEventTarget(this, "removeEventListener");
    const context = "EventTarget.removeEventListener";
    requiredArguments(arguments.length, 2, context);
    type = toDOMString(type);
    callback = convertEventListener(callback, context);
    // 1. Let capture be the result of flattening options.
    const capture = flattenOptions(options);
    // 2. If this's event listener list contains an event listener whose type
    //    is type, callback is callback, and capture is capture, then remove
    //    an event listener with this and that event listener.
    const listener = findEventListener(state, type, callback, capture);
    if (listener !== null) removeAnEventListener(state, listener);
  }

  /** https://dom.spec.whatwg.org/#dom-eventtarget-dispatchevent */
  dispatchEvent(event) {
    checkEventTarget(this, "dispatchEvent");
    requiredArguments(arguments.length, 1, "EventTarget.dispatchEvent");
    const state = eventStateOf(event);
    if (state === undefined) {
      throw new NativeTypeError(
        "EventTarget.dispatchEvent: parameter 1 is not of type 'Event'.",
      );
    }
    // 1. If event's dispatch flag is set, or if its initialized flag is not
    //    set, then throw an "InvalidStateError" DOMException.
    checkDispatchable(state);
    // 2. Initialize event's isTrusted attribute to false.
    state.isTrusted = false;
    // 3. Return the result of dispatching event to this.
    return dispatch(this ?? globalThis, event, state);
  }
}

finishInterface(EventTarget, "EventTarget");

function checkDispatchable(state) {
  if (state.dispatching) {
    throw new DOMException(
      "The event is already being dispatched.",
      "InvalidStateError",
    );
  }
  if (!state.initialized) {
    throw new DOMException("The event is not initialized.", "InvalidStateError");
  }
}

// ---------------------------------------------------------------------------
// Event handlers: https://html.spec.whatwg.org/multipage/webappapis.html#event-handler-attributes

/** The event handler `name` of a target, created on first use. */
/** https://html.spec.whatwg.org/multipage/webappapis.html#event-handlers */
class EventHandler {
  constructor() {
    this.value = null;
    this.listener = null;
  }
}

function getEventHandler(state, name) {
  if (state.handlers === null) state.handlers = new NativeMap();
  let eventHandler = MapPrototypeGet(state.handlers, name);
  if (eventHandler === undefined) {
    eventHandler = new EventHandler();
    MapPrototypeSet(state.handlers, name, eventHandler);
  }
  return eventHandler;
}

/** https://html.spec.whatwg.org/multipage/webappapis.html#activate-an-event-handler */
function activateEventHandler(state, name, eventHandler, errorHandlerSignature) {
  // 1-2. Let eventHandler be the target's event handler map[name].
  // 3. If eventHandler's listener is not null, then return: the listener
  //    keeps its position in the event listener list.
  if (eventHandler.listener !== null) return;
  // 4. Let callback run the event handler processing algorithm.
  const callback = (event) => processEventHandler(eventHandler, event, errorHandlerSignature);
  // 5. Let listener be a new event listener whose type is name and callback
  //    is callback.
  const listener = newEventListener(name, callback, false, null, false, null);
  // 6. Add an event listener with eventTarget and listener.
  addAnEventListener(state, listener);
  // 7. Set eventHandler's listener to listener.
  eventHandler.listener = listener;
}

/** https://html.spec.whatwg.org/multipage/webappapis.html#deactivate-an-event-handler */
function deactivateEventHandler(state, name) {
  // 1-2. Let eventHandler be the target's event handler map[name].
  const eventHandler = state.handlers === null ? undefined : MapPrototypeGet(state.handlers, name);
  if (eventHandler === undefined) return;
  // 3. Set eventHandler's value to null.
  eventHandler.value = null;
  // 4-5. If its listener is not null, remove an event listener with it.
  if (eventHandler.listener !== null) {
    removeAnEventListener(state, eventHandler.listener);
  }
  // 6. Set eventHandler's listener to null.
  eventHandler.listener = null;
}

/**
 * https://html.spec.whatwg.org/multipage/webappapis.html#the-event-handler-processing-algorithm
 * Exceptions propagate to inner invoke, which reports them.
 */
function processEventHandler(eventHandler, event, errorHandlerSignature) {
  // 1. Let callback be the current value of the event handler.
  const callback = eventHandler.value;
  // 2. If callback is null, then return.
  if (callback === null) return;
  const state = eventStateOf(event);
  // 3. Special error event handling applies to ErrorEvents named "error" at a
  //    global scope (whose handler was defined with errorHandlerSignature).
  const errorDetails = errorHandlerSignature && state.type === "error" ? errorEventDetails(event) : undefined;
  const special = errorDetails !== undefined;
  // 4. Invoke callback with the current target as `this`. A non-callable
  //    object (kept by [LegacyTreatNonObjectAsNull]) returns undefined.
  let returnValue;
  if (typeof callback === "function") {
    const args = special
      ? [
        errorDetails.message,
        errorDetails.filename,
        errorDetails.lineno,
        errorDetails.colno,
        errorDetails.error,
      ]
      : [event];
    returnValue = ReflectApply(callback, state.currentTarget, args);
  }
  // 5. Process return value: for special error handling, true cancels the
  //    event; otherwise false does.
  if (special ? returnValue === true : returnValue === false) {
    setCanceledFlag(state);
  }
}

/**
 * Defines the event handler IDL attribute `on<name>` on `prototype`
 * (enumerable, configurable accessor, like any IDL attribute).
 *
 * - Setting an object stores it and, the first time, appends a listener for
 *   `name`; reassigning keeps that listener's position. Setting anything that
 *   is not an object (null, primitives) removes the handler.
 * - `onFirstSet(target)`, if given, runs after every assignment of a non-null
 *   value (HTML: "the first time onmessage is set"); it must be idempotent.
 * - `options.errorHandlerSignature`: HTML's OnErrorEventHandler for global
 *   scopes: for an ErrorEvent named "error" the handler is called with
 *   (message, filename, lineno, colno, error) and returning true cancels it.
 *   Other handlers cancel the event by returning false.
 * - `options.brandCheck(value)`: whether `value` implements the interface
 *   that owns the attribute (default: any event target), and
 *   `options.interfaceName` for its TypeError message.
 */
function defineEventHandler(
  prototype,
  name,
  onFirstSet = undefined,
  options = undefined,
) {
  const errorHandlerSignature = !!options?.errorHandlerSignature;
  const brandCheck = options?.brandCheck;
  const interfaceName = options?.interfaceName ?? "EventTarget";
  const attribute = `on${name}`;
  // Brand check: the event target state of the receiver (an undefined or
  // null receiver means the global object).
  const stateOf = (thisValue) => {
    const target = thisValue ?? globalThis;
    const state = targetStateOf(target);
    if (
      state === undefined ||
      (brandCheck !== undefined && !brandCheck(target))
    ) {
      throw illegalInvocation(interfaceName, attribute);
    }
    return state;
  };
  const accessors = {
    get [attribute]() {
      const state = stateOf(this);
      const handler = state.handlers === null ? undefined : MapPrototypeGet(state.handlers, name);
      return handler?.value ?? null;
    },
    set [attribute](value) {
      requiredArguments(arguments.length, 1, `${attribute} setter`);
      const target = this ?? globalThis;
      const state = stateOf(target);
      // EventHandler is a [LegacyTreatNonObjectAsNull] callback function.
      // Browsers store anything that is not callable as null, and WPT
      // (workers/interfaces/DedicatedWorkerGlobalScope/onmessage) expects it.
      if (typeof value !== "function") {
        // 1. If the given value is null, deactivate the event handler.
        deactivateEventHandler(state, name);
        return;
      }
      // 2. Otherwise: set eventHandler's value to the given value and
      //    activate the event handler.
      const eventHandler = getEventHandler(state, name);
      eventHandler.value = value;
      activateEventHandler(state, name, eventHandler, errorHandlerSignature);
      if (onFirstSet !== undefined) onFirstSet(target);
    },
  };
  const { get, set } = ObjectGetOwnPropertyDescriptor(accessors, attribute);
  ObjectDefineProperty(prototype, attribute, {
    __proto__: null,
    get,
    set,
    enumerable: true,
    configurable: true,
  });
}

// ---------------------------------------------------------------------------
// AbortController and AbortSignal: https://dom.spec.whatwg.org/#aborting-ongoing-activities

// Module-private operations on AbortSignal, assigned in its static block.
let isAbortSignal; // (value) => boolean
let signalIsAborted; // (signal) => boolean
let addAbortAlgorithm; // (signal, algorithm) => void
let signalAbort; // (signal, reason) => void
let createAbortSignal; // () => a new AbortSignal

const illegalConstructorKey = Symbol("AbortSignal construction key");

function newAbortError() {
  return new DOMException("The operation was aborted.", "AbortError");
}

/** Largest delay timers accept without overflowing (2^31 - 1 ms). */
const MAX_TIMER_DELAY = 2147483647;

/**
 * https://html.spec.whatwg.org/multipage/timers-and-user-prompts.html#run-steps-after-a-timeout
 * with the global `setTimeout`; long delays are split so they do not overflow.
 */
function runStepsAfterTimeout(milliseconds, steps) {
  const setTimeoutFunction = globalThis.setTimeout;
  if (typeof setTimeoutFunction !== "function") {
    throw new DOMException("Timers are not available.", "NotSupportedError");
  }
  if (milliseconds > MAX_TIMER_DELAY) {
    const remaining = milliseconds - MAX_TIMER_DELAY;
    ReflectApply(setTimeoutFunction, globalThis, [
      () => runStepsAfterTimeout(remaining, steps),
      MAX_TIMER_DELAY,
    ]);
  } else {
    ReflectApply(setTimeoutFunction, globalThis, [steps, milliseconds]);
  }
}

/** Appends `item` to the ordered set `list` unless it is already there. */
function appendToSet(list, item) {
  if (ArrayPrototypeIndexOf(list, item) === -1) ArrayPrototypePush(list, item);
}

class AbortSignal extends EventTarget {
  // https://dom.spec.whatwg.org/#abortsignal-abort-reason (undefined: not aborted)
  #abortReason = undefined;
  // https://dom.spec.whatwg.org/#abortsignal-abort-algorithms
  #abortAlgorithms = [];
  // https://dom.spec.whatwg.org/#abortsignal-dependent
  #dependent = false;
  // https://dom.spec.whatwg.org/#abortsignal-source-signals
  #sourceSignals = [];
  // https://dom.spec.whatwg.org/#abortsignal-dependent-signals
  #dependentSignals = [];

  /** AbortSignal has no constructor: `new AbortSignal()` throws. */
  constructor(key = undefined) {
    if (key !== illegalConstructorKey) {
      throw new NativeTypeError("Illegal constructor.");
    }
    super();
  }

  static #check(thisValue, member) {
    const object = thisValue ?? globalThis;
    if (!(isObject(object) && #abortReason in object)) {
      throw illegalInvocation("AbortSignal", member);
    }
    return object;
  }

  /** https://dom.spec.whatwg.org/#abortsignal-signal-abort */
  static #signalAbort(signal, reason) {
    // 1. If signal is aborted, then return.
    if (signal.#abortReason !== undefined) return;
    // 2. Set signal's abort reason to reason if it is given; otherwise to a
    //    new "AbortError" DOMException.
    signal.#abortReason = reason !== undefined ? reason : newAbortError();
    // 3. Let dependentSignalsToAbort be a new list.
    const dependentSignalsToAbort = [];
    // 4. For each dependentSignal of signal's dependent signals that is not
    //    aborted: set its abort reason to signal's abort reason and append it
    //    to dependentSignalsToAbort.
    const dependentSignals = signal.#dependentSignals;
    for (let index = 0; index < dependentSignals.length; index++) {
      const dependentSignal = dependentSignals[index];
      if (dependentSignal.#abortReason === undefined) {
        dependentSignal.#abortReason = signal.#abortReason;
        ArrayPrototypePush(dependentSignalsToAbort, dependentSignal);
      }
    }
    // Once aborted, a signal's source and dependent signals can no longer be
    // observed; drop them so they can be collected.
    signal.#dependentSignals = [];
    signal.#sourceSignals = [];
    // 5. Run the abort steps for signal.
    AbortSignal.#runAbortSteps(signal);
    // 6. For each dependentSignal of dependentSignalsToAbort, run the abort
    //    steps for dependentSignal.
    for (let index = 0; index < dependentSignalsToAbort.length; index++) {
      const dependentSignal = dependentSignalsToAbort[index];
      dependentSignal.#sourceSignals = [];
      AbortSignal.#runAbortSteps(dependentSignal);
    }
  }

  /** https://dom.spec.whatwg.org/#run-the-abort-steps */
  static #runAbortSteps(signal) {
    // 1. For each algorithm of signal's abort algorithms: run algorithm.
    // 2. Empty signal's abort algorithms.
    const algorithms = signal.#abortAlgorithms;
    signal.#abortAlgorithms = [];
    for (let index = 0; index < algorithms.length; index++) {
      try {
        algorithms[index]();
      } catch (error) {
        reportException(error);
      }
    }
    // 3. Fire an event named abort at signal.
    dispatchTrusted(signal, new Event("abort"));
  }

  static {
    isAbortSignal = (value) => isObject(value) && #abortReason in value;
    signalIsAborted = (signal) => signal.#abortReason !== undefined;
    // https://dom.spec.whatwg.org/#abortsignal-add
    addAbortAlgorithm = (signal, algorithm) => {
      // 1. If signal is aborted, then return.
      if (signal.#abortReason !== undefined) return;
      // 2. Append algorithm to signal's abort algorithms.
      ArrayPrototypePush(signal.#abortAlgorithms, algorithm);
    };
    signalAbort = (signal, reason) => AbortSignal.#signalAbort(signal, reason);
    createAbortSignal = () => new AbortSignal(illegalConstructorKey);
  }

  /** https://dom.spec.whatwg.org/#dom-abortsignal-abort */
  static abort(reason = undefined) {
    // 1. Let signal be a new AbortSignal object.
    const signal = new AbortSignal(illegalConstructorKey);
    // 2. Set signal's abort reason to reason if it is given; otherwise to a
    //    new "AbortError" DOMException.
    signal.#abortReason = reason !== undefined ? reason : newAbortError();
    // 3. Return signal.
    return signal;
  }

  /** https://dom.spec.whatwg.org/#dom-abortsignal-timeout */
  static timeout(milliseconds) {
    requiredArguments(arguments.length, 1, "AbortSignal.timeout");
    milliseconds = toEnforcedUnsignedLongLong(
      milliseconds,
      "AbortSignal.timeout: parameter 1",
    );
    // 1. Let signal be a new AbortSignal object.
    const signal = new AbortSignal(illegalConstructorKey);
    // 2-3. Run steps after a timeout given milliseconds: queue a task to
    //      signal abort given signal and a new "TimeoutError" DOMException.
    runStepsAfterTimeout(milliseconds, () => {
      AbortSignal.#signalAbort(
        signal,
        new DOMException("The operation timed out.", "TimeoutError"),
      );
    });
    // 4. Return signal.
    return signal;
  }

  /**
   * https://dom.spec.whatwg.org/#dom-abortsignal-any, which creates a
   * dependent abort signal (https://dom.spec.whatwg.org/#create-a-dependent-abort-signal).
   */
  static any(signals) {
    requiredArguments(arguments.length, 1, "AbortSignal.any");
    signals = toSequence(signals, (value) => {
      if (!isAbortSignal(value)) {
        throw new NativeTypeError(
          "AbortSignal.any: parameter 1 contains a value that is not an AbortSignal.",
        );
      }
      return value;
    }, "AbortSignal.any: parameter 1");
    // 1. Let resultSignal be a new AbortSignal object.
    const resultSignal = new AbortSignal(illegalConstructorKey);
    // 2. For each signal of signals: if signal is aborted, then set
    //    resultSignal's abort reason to signal's abort reason and return it.
    for (let index = 0; index < signals.length; index++) {
      const signal = signals[index];
      if (signal.#abortReason !== undefined) {
        resultSignal.#abortReason = signal.#abortReason;
        return resultSignal;
      }
    }
    // 3. Set resultSignal's dependent to true.
    resultSignal.#dependent = true;
    // 4. For each signal of signals:
    for (let index = 0; index < signals.length; index++) {
      const signal = signals[index];
      if (!signal.#dependent) {
        // 1. If signal's dependent is false: append signal to resultSignal's
        //    source signals, and resultSignal to signal's dependent signals.
        appendToSet(resultSignal.#sourceSignals, signal);
        appendToSet(signal.#dependentSignals, resultSignal);
      } else {
        // 2. Otherwise, for each sourceSignal of signal's source signals
        //    (none of which is aborted or dependent): append sourceSignal to
        //    resultSignal's source signals, and resultSignal to
        //    sourceSignal's dependent signals.
        const sourceSignals = signal.#sourceSignals;
        for (let inner = 0; inner < sourceSignals.length; inner++) {
          const sourceSignal = sourceSignals[inner];
          appendToSet(resultSignal.#sourceSignals, sourceSignal);
          appendToSet(sourceSignal.#dependentSignals, resultSignal);
        }
      }
    }
    // 5. Return resultSignal.
    return resultSignal;
  }

  /** https://dom.spec.whatwg.org/#dom-abortsignal-aborted */
  get aborted() {
    return AbortSignal.#check(this, "aborted").#abortReason !== undefined;
  }

  /** https://dom.spec.whatwg.org/#dom-abortsignal-reason */
  get reason() {
    return AbortSignal.#check(this, "reason").#abortReason;
  }

  /** https://dom.spec.whatwg.org/#dom-abortsignal-throwifaborted */
  throwIfAborted() {
    const signal = AbortSignal.#check(this, "throwIfAborted");
    // If this is aborted, then throw this's abort reason.
    if (signal.#abortReason !== undefined) throw signal.#abortReason;
  }
}

defineEventHandler(AbortSignal.prototype, "abort", undefined, {
  brandCheck: isAbortSignal,
  interfaceName: "AbortSignal",
});
finishInterface(AbortSignal, "AbortSignal");

class AbortController {
  #signal;

  /** https://dom.spec.whatwg.org/#dom-abortcontroller-abortcontroller */
  constructor() {
    // 1. Let signal be a new AbortSignal object.
    // 2. Set this's signal to signal.
    this.#signal = createAbortSignal();
  }

  static #check(thisValue, member) {
    const object = thisValue ?? globalThis;
    if (!(isObject(object) && #signal in object)) {
      throw illegalInvocation("AbortController", member);
    }
    return object;
  }

  /** https://dom.spec.whatwg.org/#dom-abortcontroller-signal */
  get signal() {
    return AbortController.#check(this, "signal").#signal;
  }

  /** https://dom.spec.whatwg.org/#dom-abortcontroller-abort */
  abort(reason = undefined) {
    const controller = AbortController.#check(this, "abort");
    // Signal abort on this's signal with reason if it is given.
    signalAbort(controller.#signal, reason);
  }
}

finishInterface(AbortController, "AbortController");

// ---------------------------------------------------------------------------
// ErrorEvent: https://html.spec.whatwg.org/multipage/webappapis.html#errorevent

let errorEventDetails; // (value) => { message, filename, lineno, colno, error } | undefined

class ErrorEvent extends Event {
  #message;
  #filename;
  #lineno;
  #colno;
  #error;

  constructor(type, eventInitDict = undefined) {
    requiredArguments(arguments.length, 1, "ErrorEvent constructor");
    // Event converts type and the inherited EventInit members first.
    super(type, eventInitDict);
    // Then the ErrorEventInit members, in lexicographic order.
    const dict = dictionaryObject(eventInitDict, "ErrorEventInit");
    const colno = dict?.colno;
    this.#colno = colno === undefined ? 0 : toUnsignedLong(colno);
    this.#error = dict?.error;
    const filename = dict?.filename;
    this.#filename = filename === undefined ? "" : toUSVString(filename);
    const lineno = dict?.lineno;
    this.#lineno = lineno === undefined ? 0 : toUnsignedLong(lineno);
    const message = dict?.message;
    this.#message = message === undefined ? "" : toDOMString(message);
  }

  static #check(thisValue, member) {
    const object = thisValue ?? globalThis;
    if (!(isObject(object) && #message in object)) {
      throw illegalInvocation("ErrorEvent", member);
    }
    return object;
  }

  static {
    errorEventDetails = (value) =>
      isObject(value) && #message in value
        ? {
          message: value.#message,
          filename: value.#filename,
          lineno: value.#lineno,
          colno: value.#colno,
          error: value.#error,
        }
        : undefined;
  }

  get message() {
    return ErrorEvent.#check(this, "message").#message;
  }

  get filename() {
    return ErrorEvent.#check(this, "filename").#filename;
  }

  get lineno() {
    return ErrorEvent.#check(this, "lineno").#lineno;
  }

  get colno() {
    return ErrorEvent.#check(this, "colno").#colno;
  }

  get error() {
    return ErrorEvent.#check(this, "error").#error;
  }
}

finishInterface(ErrorEvent, "ErrorEvent");

// ---------------------------------------------------------------------------
// MessageEvent: https://html.spec.whatwg.org/multipage/comms.html#messageevent

// Decides whether a value is a MessagePort; installed by the module that
// defines MessagePort. Until then any object is accepted.
let messagePortBrandCheck = null;

/** Installs the MessagePort brand check used to convert `ports` and `source`. */
function setMessagePortBrandCheck(check) {
  if (check !== null && typeof check !== "function") {
    throw new NativeTypeError("setMessagePortBrandCheck: expected a function.");
  }
  messagePortBrandCheck = check;
}

function toMessagePort(value, context) {
  if (
    !isObject(value) ||
    (messagePortBrandCheck !== null && !messagePortBrandCheck(value))
  ) {
    throw new NativeTypeError(`${context} is not of type 'MessagePort'.`);
  }
  return value;
}

/** `MessageEventSource?` = (WindowProxy or MessagePort or ServiceWorker)?; only ports exist here. */
function toMessageEventSource(value, context) {
  if (value === undefined || value === null) return null;
  return toMessagePort(value, context);
}

/** `sequence<MessagePort>` to a new FrozenArray<MessagePort>. */
function toFrozenPortArray(value, context) {
  const ports = value === undefined ? [] : toSequence(value, (port) => toMessagePort(port, `${context} item`), context);
  return ObjectFreeze(ports);
}

let createMessageEvent;

class MessageEvent extends Event {
  #data;
  #origin;
  #lastEventId;
  #source;
  #ports;

  constructor(type, eventInitDict = undefined) {
    if (eventInitDict === kInternalInit) {
      super(type, kInternalInit);
      this.#data = null;
      this.#origin = "";
      this.#lastEventId = "";
      this.#source = null;
      this.#ports = null; // set by createMessageEvent
      return;
    }
    requiredArguments(arguments.length, 1, "MessageEvent constructor");
    // Event converts type and the inherited EventInit members first.
    super(type, eventInitDict);
    // Then the MessageEventInit members, in lexicographic order.
    const dict = dictionaryObject(eventInitDict, "MessageEventInit");
    const data = dict?.data;
    this.#data = data === undefined ? null : data;
    const lastEventId = dict?.lastEventId;
    this.#lastEventId = lastEventId === undefined ? "" : toDOMString(lastEventId);
    const origin = dict?.origin;
    this.#origin = origin === undefined ? "" : toUSVString(origin);
    this.#ports = toFrozenPortArray(dict?.ports, "MessageEventInit.ports");
    this.#source = toMessageEventSource(dict?.source, "MessageEventInit.source");
  }

  static {
    // The runtime's way to make the event of a delivered message: `data` is
    // kept as is (the init dictionary would turn undefined into null) and
    // `ports` is the fresh array of received ports.
    createMessageEvent = (type, data, ports) => {
      const event = new MessageEvent(type, kInternalInit);
      event.#data = data;
      event.#ports = ObjectFreeze(ports);
      return event;
    };
  }

  static #check(thisValue, member) {
    const object = thisValue ?? globalThis;
    if (!(isObject(object) && #ports in object)) {
      throw illegalInvocation("MessageEvent", member);
    }
    return object;
  }

  get data() {
    return MessageEvent.#check(this, "data").#data;
  }

  get origin() {
    return MessageEvent.#check(this, "origin").#origin;
  }

  get lastEventId() {
    return MessageEvent.#check(this, "lastEventId").#lastEventId;
  }

  get source() {
    return MessageEvent.#check(this, "source").#source;
  }

  /** A FrozenArray: the same frozen array object on every read. */
  get ports() {
    return MessageEvent.#check(this, "ports").#ports;
  }

  /** https://html.spec.whatwg.org/multipage/comms.html#dom-messageevent-initmessageevent */
  initMessageEvent(
    type,
    bubbles = false,
    cancelable = false,
    data = null,
    origin = "",
    lastEventId = "",
    source = null,
    ports = undefined,
  ) {
    const event = MessageEvent.#check(this, "initMessageEvent");
    const context = "MessageEvent.initMessageEvent";
    requiredArguments(arguments.length, 1, context);
    type = toDOMString(type);
    bubbles = !!bubbles;
    cancelable = !!cancelable;
    origin = toUSVString(origin);
    lastEventId = toDOMString(lastEventId);
    source = toMessageEventSource(source, `${context}: parameter 7`);
    ports = toFrozenPortArray(ports, `${context}: parameter 8`);
    const state = eventStateOf(event);
    // 1. If this's dispatch flag is set, then return.
    if (state.dispatching) return;
    // 2. Initialize this with type, bubbles, and cancelable.
    initializeEvent(state, type, bubbles, cancelable);
    // 3. Set the data, origin, lastEventId, source, and ports attributes.
    event.#data = data;
    event.#origin = origin;
    event.#lastEventId = lastEventId;
    event.#source = source;
    event.#ports = ports;
  }
}

finishInterface(MessageEvent, "MessageEvent");

// ---------------------------------------------------------------------------
// PromiseRejectionEvent: https://html.spec.whatwg.org/multipage/webappapis.html#promiserejectionevent

class PromiseRejectionEvent extends Event {
  #promise;
  #reason;

  constructor(type, eventInitDict) {
    const context = "PromiseRejectionEvent constructor";
    requiredArguments(arguments.length, 2, context);
    // Event converts type and the inherited EventInit members first.
    super(type, eventInitDict);
    // Then the PromiseRejectionEventInit members, in lexicographic order.
    const dict = dictionaryObject(eventInitDict, "PromiseRejectionEventInit");
    const promise = dict?.promise;
    if (promise === undefined) {
      throw new NativeTypeError(
        `${context}: required member promise is undefined.`,
      );
    }
    if (!isObject(promise)) {
      throw new NativeTypeError(`${context}: member promise is not an object.`);
    }
    this.#promise = promise;
    this.#reason = dict?.reason;
  }

  static #check(thisValue, member) {
    const object = thisValue ?? globalThis;
    if (!(isObject(object) && #promise in object)) {
      throw illegalInvocation("PromiseRejectionEvent", member);
    }
    return object;
  }

  get promise() {
    return PromiseRejectionEvent.#check(this, "promise").#promise;
  }

  get reason() {
    return PromiseRejectionEvent.#check(this, "reason").#reason;
  }
}

finishInterface(PromiseRejectionEvent, "PromiseRejectionEvent");

// ---------------------------------------------------------------------------
// Internals for the runtime.

/** Whether `value` is an Event (of any event interface). */
function isEvent(value) {
  return eventStateOf(value) !== undefined;
}

/** Whether `value` is an EventTarget, constructed or adopted. */
function isEventTarget(value) {
  return targetStateOf(value) !== undefined;
}

/** Sets the isTrusted attribute of `event`. */
function setIsTrusted(event, trusted) {
  const state = eventStateOf(event);
  if (state === undefined) throw new NativeTypeError("setIsTrusted: not an Event.");
  state.isTrusted = !!trusted;
}

/**
 * Dispatches `event` at `target` as the user agent does ("fire an event"):
 * the event is marked trusted. Returns false if the event was canceled.
 */
function dispatchTrusted(target, event) {
  if (targetStateOf(target) === undefined) {
    throw new NativeTypeError("dispatchTrusted: the target is not an EventTarget.");
  }
  const state = eventStateOf(event);
  if (state === undefined) {
    throw new NativeTypeError("dispatchTrusted: not an Event.");
  }
  checkDispatchable(state);
  state.isTrusted = true;
  return dispatch(target, event, state);
}

/** Whether `target` has a listener (including an active event handler) for `type`. */
function hasListeners(target, type) {
  const state = targetStateOf(target);
  if (state === undefined) return false;
  const listeners = state.listeners;
  for (let index = 0; index < listeners.length; index++) {
    if (listeners[index].type === type) return true;
  }
  return false;
}

/**
 * Sets the target that "get the parent" returns for `target` (null for
 * none), so that events dispatched at `target` also run `parentTarget`'s
 * capturing and bubbling listeners.
 */
function setEventTargetParent(target, parentTarget) {
  const state = targetStateOf(target);
  if (state === undefined) {
    throw new NativeTypeError("setEventTargetParent: the target is not an EventTarget.");
  }
  const parent = parentTarget ?? null;
  for (let ancestor = parent; ancestor !== null;) {
    const ancestorState = targetStateOf(ancestor);
    if (ancestorState === undefined) {
      throw new NativeTypeError("setEventTargetParent: the parent is not an EventTarget.");
    }
    if (ancestor === target) {
      throw new NativeTypeError("setEventTargetParent: the parent chain would be cyclic.");
    }
    ancestor = ancestorState.parent;
  }
  state.parent = parent;
}

/**
 * Gives an object that was not built by the EventTarget constructor (such as
 * the global object) the internal state of an event target, so that
 * EventTarget.prototype members (and event handlers) work on it. Returns the
 * object; does nothing if it already is an event target.
 */
function makeEventTarget(object) {
  if (!isObject(object)) {
    throw new NativeTypeError("makeEventTarget: expected an object.");
  }
  if (targetStateOf(object) === undefined) {
    WeakMapPrototypeSet(adoptedTargets, object, newEventTargetState());
  }
  return object;
}

export {
  AbortController,
  AbortSignal,
  createMessageEvent,
  defineEventHandler,
  dispatchTrusted,
  ErrorEvent,
  Event,
  EventTarget,
  hasListeners,
  isEvent,
  isEventTarget,
  makeEventTarget,
  MessageEvent,
  PromiseRejectionEvent,
  setEventTargetParent,
  setIsTrusted,
  setMessagePortBrandCheck,
  setReportException,
};
