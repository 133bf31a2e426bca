// Channel messaging: MessageChannel, MessagePort and structuredClone.
//
// Spec: https://html.spec.whatwg.org/multipage/web-messaging.html#channel-messaging
//       https://html.spec.whatwg.org/multipage/structured-data.html
//
// The ports themselves (queues, entanglement, shipping) live in Rust
// (`ext/messaging`); a MessagePort object holds only its port id. Delivery
// runs the other way: Rust wakes the event loop once per batch and calls
// `drain()`, which fires one `message` event per message with a microtask
// checkpoint after each, as if each were its own task.

import { core } from "ext:core/mod.js";
import {
  op_clone_with_transfer,
  op_message_channel,
  op_messaging_init,
  op_messaging_take_ready,
  op_port_attach,
  op_port_begin_batch,
  op_port_close,
  op_port_is_entangled,
  op_port_post,
  op_port_recv,
  op_port_start,
  op_port_take_close_event,
} from "ext:core/ops";
import {
  configureInterface,
  illegalConstructorKey,
  isObject,
  requiredArguments,
  toSequence,
} from "ext:entangle/00_webidl.js";
import { createDOMException, DOMException, domExceptionData, isDOMException } from "ext:entangle/01_dom_exception.js";
import {
  createMessageEvent,
  defineEventHandler,
  dispatchTrusted,
  Event,
  EventTarget,
  hasListeners,
  setMessagePortBrandCheck,
} from "ext:entangle/02_event.js";
import {
  blobBytes,
  blobType,
  createBlob,
  createFile,
  fileLastModified,
  fileName,
  isBlob,
  isFile,
} from "ext:entangle/05_blob.js";

const { isArrayBuffer } = core;
const arrayBufferDetached = Object.getOwnPropertyDescriptor(ArrayBuffer.prototype, "detached").get;

/**
 * Started ports, held strongly while entangled: HTML keeps an entangled
 * port alive as if its partner referenced it. A port whose partner is
 * collected or closed receives `close` and leaves this set.
 */
const startedPorts = new Set();

/** Set when a worker calls close(): no event is dispatched any more. */
let deliveryStopped = false;

/** Scratch space for op_message_channel's two ids. */
const channelIds = new Uint32Array(2);

let portId;
let isMessagePort;
let isShipped;
let markShipped;
let deliver;
let startPort;
let setPortEventTarget;
let portTarget;

// https://html.spec.whatwg.org/multipage/web-messaging.html#message-ports
class MessagePort extends EventTarget {
  #id;
  /** [[Detached]]: shipped to another owner or closed. */
  #detached = false;
  #enabled = false;
  /**
   * Where this port's events are fired: itself, or for the implicit port of
   * a worker, the Worker object or the worker's global scope.
   */
  #target = this;

  constructor(key = undefined, id = undefined) {
    if (key !== illegalConstructorKey) {
      throw new TypeError("Illegal constructor");
    }
    super();
    this.#id = id;
    // Rust holds this object weakly: delivery finds it by port id, and its
    // collection disentangles the port (its partner then gets `close`).
    op_port_attach(this, id);
  }

  static {
    portId = (port) => port.#id;
    isMessagePort = (value) => isObject(value) && #id in value;
    isShipped = (port) => port.#detached;
    markShipped = (port) => {
      port.#detached = true;
      startedPorts.delete(port);
    };
    deliver = (port) => port.#deliver();
    startPort = (port) => port.#start();
    setPortEventTarget = (port, target) => {
      port.#target = target;
    };
    portTarget = (port) => port.#target;
  }

  // https://html.spec.whatwg.org/multipage/web-messaging.html#dom-messageport-postmessage
  postMessage(message, options = undefined) {
    if (!isMessagePort(this)) {
      throw new TypeError("Illegal invocation");
    }
    if (options === undefined && arguments.length === 1) {
      // The common case: nothing to transfer, nothing to check.
      op_port_post(this.#id, message, undefined);
      return;
    }
    requiredArguments(arguments.length, 1, "Failed to execute 'postMessage' on 'MessagePort'");
    const transfer = transferList(options, "Failed to execute 'postMessage' on 'MessagePort'");
    postMessageSteps(this, message, transfer);
  }

  // https://html.spec.whatwg.org/multipage/web-messaging.html#dom-messageport-start
  start() {
    if (!isMessagePort(this)) {
      throw new TypeError("Illegal invocation");
    }
    this.#start();
  }

  #start() {
    if (this.#detached || this.#enabled) {
      return;
    }
    this.#enabled = true;
    startedPorts.add(this);
    op_port_start(this.#id);
  }

  // https://html.spec.whatwg.org/multipage/web-messaging.html#dom-messageport-close
  close() {
    if (!isMessagePort(this)) {
      throw new TypeError("Illegal invocation");
    }
    // 1. Set this's [[Detached]] to true. 2. Disentangle this: Rust fires
    // `close` at the entangled port, in its own event loop.
    this.#detached = true;
    startedPorts.delete(this);
    op_port_close(this.#id);
  }

  /**
   * Fires this batch's events, one task per message, then `close`. Returns
   * how many messages were delivered.
   */
  #deliver() {
    const id = this.#id;
    const count = op_port_begin_batch(id, PORT_BATCH);
    let i = 0;
    for (; i < count && !this.#detached && !deliveryStopped; i++) {
      const message = op_port_recv(id);
      if (message === undefined) {
        break;
      }
      if (message === null) {
        dispatchTrusted(this.#target, createMessageEvent("messageerror", null, []));
      } else {
        dispatchTrusted(this.#target, createMessageEvent("message", message[0], message[1]));
      }
      core.runMicrotasks();
    }
    if (!deliveryStopped && op_port_take_close_event(id)) {
      startedPorts.delete(this);
      if (this.#target === this) {
        dispatchTrusted(this, new Event("close"));
        core.runMicrotasks();
      }
    }
    return i;
  }

  static {
    configureInterface(this);
  }
}

setMessagePortBrandCheck(isMessagePort);

// Setting `onmessage` starts the port (HTML "message port" handler rule).
const portHandler = { brandCheck: isMessagePort, interfaceName: "MessagePort" };
defineEventHandler(MessagePort.prototype, "message", startPort, portHandler);
defineEventHandler(MessagePort.prototype, "messageerror", undefined, portHandler);
defineEventHandler(MessagePort.prototype, "close", undefined, portHandler);

/**
 * The `transfer` of postMessage's overloads: `(message, transfer)` with a
 * sequence, or `(message, { transfer })` with a StructuredSerializeOptions.
 */
function transferList(options, context) {
  if (options === undefined || options === null) {
    return [];
  }
  if (isObject(options) && typeof options[Symbol.iterator] === "function") {
    return toObjectSequence(options, context);
  }
  if (!isObject(options)) {
    throw new TypeError(`${context}: The provided value is not of type 'StructuredSerializeOptions'.`);
  }
  return optionsTransfer(options, context);
}

/** StructuredSerializeOptions.transfer: a sequence<object>, default []. */
function optionsTransfer(options, context) {
  const transfer = options?.transfer;
  return transfer === undefined ? [] : toObjectSequence(transfer, `${context}: transfer`);
}

// https://webidl.spec.whatwg.org/#es-sequence of `object`
function toObjectSequence(value, context) {
  return toSequence(value, toObject, context);
}

// https://webidl.spec.whatwg.org/#es-object
function toObject(value, context) {
  if (!isObject(value)) {
    throw new TypeError(`${context}: a transfer list item is not an object.`);
  }
  return value;
}

// https://html.spec.whatwg.org/multipage/web-messaging.html#message-port-post-message-steps
function postMessageSteps(source, message, transfer) {
  if (transfer.length === 0) {
    op_port_post(portId(source), message, undefined);
    return;
  }
  // 2. If transfer contains this MessagePort, throw a "DataCloneError".
  if (transfer.includes(source)) {
    throw new DOMException("Transfer list contains the source port.", "DataCloneError");
  }
  checkTransferList(transfer);
  // 3-4. A doomed message (the target port is in the transfer list) is
  // serialized, so its transfers happen, and then dropped: Rust does both,
  // and also drops the message when there is no entangled port.
  op_port_post(portId(source), message, transfer);
  shipTransferredPorts(transfer);
}

// https://html.spec.whatwg.org/multipage/structured-data.html#structuredserializewithtransfer
// Steps 1-2: what may be transferred, checked before anything is serialized.
function checkTransferList(transfer) {
  const seen = new Set();
  for (let i = 0; i < transfer.length; i++) {
    const item = transfer[i];
    if (seen.has(item)) {
      throw new DOMException(`Transfer list contains a duplicate at index ${i}.`, "DataCloneError");
    }
    seen.add(item);
    if (isArrayBuffer(item)) {
      if (arrayBufferDetached.call(item)) {
        throw new DOMException(`ArrayBuffer at index ${i} is already detached.`, "DataCloneError");
      }
    } else if (isMessagePort(item)) {
      if (isShipped(item)) {
        throw new DOMException(`MessagePort at index ${i} is detached.`, "DataCloneError");
      }
    } else {
      throw new DOMException(`Value at index ${i} does not have a transferable type.`, "DataCloneError");
    }
  }
}

function shipTransferredPorts(transfer) {
  for (const item of transfer) {
    if (!isArrayBuffer(item)) {
      markShipped(item);
    }
  }
}

// https://html.spec.whatwg.org/multipage/web-messaging.html#message-channels
class MessageChannel {
  #port1;
  #port2;

  constructor() {
    op_message_channel(channelIds);
    this.#port1 = new MessagePort(illegalConstructorKey, channelIds[0]);
    this.#port2 = new MessagePort(illegalConstructorKey, channelIds[1]);
  }

  get port1() {
    if (!(#port1 in this)) {
      throw new TypeError("Illegal invocation");
    }
    return this.#port1;
  }

  get port2() {
    if (!(#port2 in this)) {
      throw new TypeError("Illegal invocation");
    }
    return this.#port2;
  }

  static {
    configureInterface(this);
  }
}

// https://html.spec.whatwg.org/multipage/structured-data.html#dom-structuredclone
function structuredClone(value, options = undefined) {
  const context = "Failed to execute 'structuredClone'";
  requiredArguments(arguments.length, 1, context);
  if (options !== undefined && options !== null && !isObject(options)) {
    throw new TypeError(`${context}: The provided value is not of type 'StructuredSerializeOptions'.`);
  }
  const transfer = optionsTransfer(options, context);
  checkTransferList(transfer);
  const clone = op_clone_with_transfer(value, transfer.length === 0 ? undefined : transfer);
  shipTransferredPorts(transfer);
  return clone;
}

/** Serialization steps of the serializable platform objects. */
function serializePlatformObject(object) {
  if (isDOMException(object)) {
    return { kind: "DOMException", ...domExceptionData(object) };
  }
  if (isFile(object)) {
    const file = { name: fileName(object), lastModified: fileLastModified(object) };
    return { kind: "File", bytes: blobBytes(object), type: blobType(object), ...file };
  }
  if (isBlob(object)) {
    return { kind: "Blob", bytes: blobBytes(object), type: blobType(object) };
  }
  throw new DOMException("The object could not be cloned.", "DataCloneError");
}

/** Their deserialization steps. */
function deserializePlatformObject(data) {
  switch (data.kind) {
    case "DOMException":
      return createDOMException(data.name, data.message, data.stack);
    case "Blob":
      return createBlob(data.bytes, data.type);
    case "File":
      return createFile(data.bytes, data.type, data.name, data.lastModified);
  }
  throw new TypeError("Unknown serialized platform object");
}

function stopDelivering() {
  deliveryStopped = true;
}

/**
 * How many messages one drain delivers before it yields to the rest of the
 * event loop (timers, other tasks); Rust wakes it again for what is left.
 * A port delivers at most PORT_BATCH of them in a row, so that busy ports
 * take turns.
 */
const DRAIN_BUDGET = 256;
const PORT_BATCH = 256;

/**
 * Delivers what is ready; called by Rust when ports are ready. Ports that
 * become ready meanwhile (a handler posting to a port of this isolate) are
 * delivered by the same call, without a round through the event loop.
 */
function drain() {
  let delivered = 0;
  while (delivered < DRAIN_BUDGET && !deliveryStopped) {
    const ready = op_messaging_take_ready();
    if (ready.length === 0) {
      return;
    }
    for (let i = 0; i < ready.length; i++) {
      delivered += deliver(ready[i]) + 1;
    }
  }
}

/**
 * Whether ports keep the event loop alive: a started, entangled port with a
 * `message` listener can still receive. Asked by Rust when nothing else is
 * pending.
 */
function keepalive() {
  for (const port of startedPorts) {
    if (!op_port_is_entangled(portId(port))) {
      continue;
    }
    if (hasListeners(portTarget(port), "message")) {
      return true;
    }
  }
  return false;
}

/** A MessagePort object for a port that Rust made for this isolate. */
function createPort(id) {
  return new MessagePort(illegalConstructorKey, id);
}

/** Connects the Rust op layer to this module; once per isolate. */
function initMessaging() {
  op_messaging_init(
    createPort,
    (message) => new DOMException(message, "DataCloneError"),
    serializePlatformObject,
    deserializePlatformObject,
    drain,
    keepalive,
  );
}

export {
  createPort,
  initMessaging,
  MessageChannel,
  MessagePort,
  postMessageSteps,
  setPortEventTarget,
  startPort,
  stopDelivering,
  structuredClone,
  transferList,
};
