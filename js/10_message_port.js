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
//
// Transferable streams ride on it: a stream in a transfer list is written
// as a reference to ports made by the Streams standard's transfer steps
// (deno_web's, which reach Entangle's ports through the "MessagePort"
// transferable resource registered here).

import { core, internals, primordials } from "ext:core/mod.js";
import {
  op_clone_with_transfer,
  op_message_channel,
  op_messaging_init,
  op_messaging_next,
  op_port_attach,
  op_port_close,
  op_port_end_batch,
  op_port_is_entangled,
  op_port_post,
  op_port_post_number,
  op_port_requeue,
  op_port_start,
} from "ext:core/ops";
import {
  createMessageEvent,
  defineEventHandlers,
  dispatchTrusted,
  DOMException,
  Event,
  EventTarget,
  hasListeners,
  illegalConstructorKey,
  isObject,
  MessageEvent,
  webidl,
} from "ext:entangle/00_web.js";
import { channelsKeepAlive, deliverChannels, isBroadcastChannel } from "ext:entangle/15_broadcast_channel.js";

const {
  ArrayBufferPrototypeGetDetached,
  ArrayIsArray,
  ArrayPrototypeIncludes,
  ArrayPrototypePush,
  FunctionPrototypeCall,
  NumberIsSafeInteger,
  ObjectGetOwnPropertyDescriptor,
  ObjectHasOwn,
  ObjectDefineProperty,
  ObjectPrototypeIsPrototypeOf,
  RegExpPrototypeTest,
  SafeRegExp,
  SafeSet,
  SafeSetIterator,
  SetPrototypeAdd,
  SetPrototypeDelete,
  SetPrototypeHas,
  SymbolIterator,
  Uint32Array,
} = primordials;
const { hostObjectBrand, isArrayBuffer } = core;

/**
 * Started ports, held strongly while entangled: HTML keeps an entangled
 * port alive as if its partner referenced it. A port whose partner is
 * collected or closed receives `close` and leaves this set.
 */
const startedPorts = new SafeSet();

/** Set when a worker calls close(): no event is dispatched any more. */
let deliveryStopped = false;

/**
 * Markers in a batch of op_messaging_next: a message that cannot be
 * deserialized, and the start of a message with ports (its data and its
 * ports follow).
 */
const MESSAGE_ERROR = { __proto__: null };
const WITH_PORTS = { __proto__: null };

/**
 * The port whose batch is being delivered, and how many messages of the
 * batch have been dispatched. The rest of a batch is taken out of the
 * port's queue but not delivered yet: it goes back there if the port is
 * shipped meanwhile (see `returnUndelivered`).
 */
let deliveringPort = null;
let dispatched = 0;

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
      SetPrototypeDelete(startedPorts, port);
    };
    deliver = (port, batch) => port.#deliver(batch);
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
      postWithoutTransfer(this.#id, message);
      return;
    }
    webidl.requiredArguments(arguments.length, 1, "Failed to execute 'postMessage' on 'MessagePort'");
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
    SetPrototypeAdd(startedPorts, this);
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
    SetPrototypeDelete(startedPorts, this);
    op_port_close(this.#id);
  }

  /**
   * Fires the events of a batch from op_messaging_next (its messages from
   * index 1 on), one task per message, then `close`. Returns how many
   * messages were delivered.
   */
  #deliver(batch) {
    const id = this.#id;
    deliveringPort = this;
    dispatched = 0;
    for (let i = 1; i < batch.length && deliveringPort === this && !this.#detached && !deliveryStopped; i++) {
      const data = batch[i];
      let event;
      if (data === MESSAGE_ERROR) {
        event = new MessageEvent("messageerror");
      } else if (data === WITH_PORTS) {
        const ports = batch[i + 2];
        event = createMessageEvent(ports.length === 0 ? { data: batch[i + 1] } : { data: batch[i + 1], ports });
        i += 2;
      } else {
        event = createMessageEvent({ data });
      }
      dispatched++;
      dispatchTrusted(this.#target, event);
      core.runMicrotasks();
    }
    const count = dispatched;
    deliveringPort = null;
    if (op_port_end_batch(id) && !deliveryStopped) {
      SetPrototypeDelete(startedPorts, this);
      if (this.#target === this) {
        dispatchTrusted(this, new Event("close"));
        core.runMicrotasks();
      }
    }
    return count;
  }

  static {
    webidl.configureInterface(this);
  }
}

const MessagePortPrototype = MessagePort.prototype;

// Setting `onmessage` starts the port (HTML "message port" handler rule).
defineEventHandlers(MessagePortPrototype, ["message", "messageerror", "close"], isMessagePort, startPort);

/**
 * The `transfer` of postMessage's overloads: `(message, transfer)` with a
 * sequence, or `(message, { transfer })` with a StructuredSerializeOptions.
 */
function transferList(options, context) {
  if (options === undefined || options === null) {
    return [];
  }
  if (isObject(options) && typeof options[SymbolIterator] === "function") {
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
  return webidl.converters["sequence<object>"](value, context);
}

/** Posts a message that transfers nothing: a number through an op of its own. */
function postWithoutTransfer(id, message) {
  if (typeof message === "number") {
    op_port_post_number(id, message);
  } else {
    op_port_post(id, message, undefined, undefined);
  }
}

// https://html.spec.whatwg.org/multipage/web-messaging.html#message-port-post-message-steps
function postMessageSteps(source, message, transfer) {
  if (transfer.length === 0) {
    postWithoutTransfer(portId(source), message);
    return;
  }
  // 2. If transfer contains this MessagePort, throw a "DataCloneError".
  if (ArrayPrototypeIncludes(transfer, source)) {
    throw new DOMException("Transfer list contains the source port.", "DataCloneError");
  }
  const streams = checkTransferList(transfer);
  returnUndelivered(transfer);
  // 3-4. A doomed message (the target port is in the transfer list) is
  // serialized, so its transfers happen, and then dropped: Rust does both,
  // and also drops the message when there is no entangled port.
  op_port_post(portId(source), message, transfer, streams);
  shipTransferredPorts(transfer);
}

// https://html.spec.whatwg.org/multipage/structured-data.html#structuredserializewithtransfer
// Steps 1-2: what may be transferred, checked before anything is serialized
// (a locked stream too, which its transfer steps would refuse), so that a
// bad list sends and locks nothing. Returns the streams of the list, as
// `[stream, kind, ...]` for the serializer, or undefined when there are none.
function checkTransferList(transfer) {
  if (transfer.length === 0) {
    return undefined;
  }
  const seen = new SafeSet();
  let streams;
  for (let i = 0; i < transfer.length; i++) {
    const item = transfer[i];
    if (SetPrototypeHas(seen, item)) {
      throw new DOMException(`Transfer list contains a duplicate at index ${i}.`, "DataCloneError");
    }
    SetPrototypeAdd(seen, item);
    if (isArrayBuffer(item)) {
      if (ArrayBufferPrototypeGetDetached(item)) {
        throw new DOMException(`ArrayBuffer at index ${i} is already detached.`, "DataCloneError");
      }
    } else if (isMessagePort(item)) {
      if (isShipped(item)) {
        throw new DOMException(`MessagePort at index ${i} is detached.`, "DataCloneError");
      }
    } else {
      const kind = streamKind(item);
      if (kind === NOT_A_STREAM) {
        throw new DOMException(`Value at index ${i} does not have a transferable type.`, "DataCloneError");
      }
      if (isStreamLocked(item, kind)) {
        throw new DOMException(`${STREAM_INTERFACES[kind]} at index ${i} is locked.`, "DataCloneError");
      }
      streams ??= [];
      ArrayPrototypePush(streams, item, kind);
    }
  }
  return streams;
}

/**
 * A port shipped while its batch is delivered takes the messages of the
 * batch not dispatched yet along: they go back to its queue first (and if
 * the port stays, because serialization fails, they are delivered later).
 */
function returnUndelivered(transfer) {
  if (deliveringPort !== null && ArrayPrototypeIncludes(transfer, deliveringPort)) {
    op_port_requeue(portId(deliveringPort), dispatched);
    deliveringPort = null;
  }
}

function shipTransferredPorts(transfer) {
  for (let i = 0; i < transfer.length; i++) {
    if (isMessagePort(transfer[i])) {
      markShipped(transfer[i]);
    }
  }
}

/**
 * Transferable streams, numbered as ext/web/src/serialize.rs numbers them;
 * the names are those of their transferable resources in deno_web.
 */
const STREAM_INTERFACES = ["ReadableStream", "WritableStream", "TransformStream"];
const NOT_A_STREAM = -1;
const TRANSFORM_STREAM = 2;

/**
 * What the stream checks need of deno_web's streams, taken at bootstrap,
 * before user code runs: the prototypes, the brand, the `locked`,
 * `readable` and `writable` getters, and the transfer steps by kind.
 */
let streamsInternals;

function captureStreams() {
  const streams = core.loadExtScript("ext:deno_web/06_streams.js");
  const getter = (prototype, name) => ObjectGetOwnPropertyDescriptor(prototype, name).get;
  const { ReadableStream, TransformStream, WritableStream } = streams;
  streamsInternals = {
    prototypes: [ReadableStream.prototype, WritableStream.prototype, TransformStream.prototype],
    isReadableStreamLocked: streams.isReadableStreamLocked,
    writableLocked: getter(WritableStream.prototype, "locked"),
    transformReadable: getter(TransformStream.prototype, "readable"),
    transformWritable: getter(TransformStream.prototype, "writable"),
    resources: [
      core.getTransferableResource(STREAM_INTERFACES[0]),
      core.getTransferableResource(STREAM_INTERFACES[1]),
      core.getTransferableResource(STREAM_INTERFACES[2]),
    ],
  };
}

/** Which transferable stream `value` is (a subclass counts as its base). */
function streamKind(value) {
  if (!isObject(value) || value[webidl.brand] !== webidl.brand) {
    return NOT_A_STREAM;
  }
  const { prototypes } = streamsInternals;
  for (let kind = 0; kind < prototypes.length; kind++) {
    if (ObjectPrototypeIsPrototypeOf(prototypes[kind], value)) {
      return kind;
    }
  }
  return NOT_A_STREAM;
}

// https://streams.spec.whatwg.org/#rs-transfer, #ws-transfer, #ts-transfer:
// the first steps, whether the stream (or a side of it) is locked.
function isStreamLocked(stream, kind) {
  const s = streamsInternals;
  if (kind === TRANSFORM_STREAM) {
    return s.isReadableStreamLocked(FunctionPrototypeCall(s.transformReadable, stream)) ||
      FunctionPrototypeCall(s.writableLocked, FunctionPrototypeCall(s.transformWritable, stream));
  }
  return kind === 0 ? s.isReadableStreamLocked(stream) : FunctionPrototypeCall(s.writableLocked, stream);
}

/**
 * The transfer steps of the streams of a message, run by Rust once the
 * message is serialized: each stream is wired to a new channel and the far
 * ports are returned, in order, to travel with the message.
 */
function transferStreams(streams) {
  const ports = [];
  for (let i = 0; i < streams.length; i += 2) {
    const kind = streams[i + 1];
    const sent = streamsInternals.resources[kind].send(streams[i]);
    if (kind === TRANSFORM_STREAM) {
      ArrayPrototypePush(ports, sent[0], sent[1]);
    } else {
      ArrayPrototypePush(ports, sent);
    }
  }
  for (let i = 0; i < ports.length; i++) {
    markShipped(ports[i]);
  }
  return ports;
}

/** The transfer-receiving steps of a stream of `kind` over its port(s). */
function receiveStream(kind, port, secondPort) {
  const { receive } = streamsInternals.resources[kind];
  return receive(kind === TRANSFORM_STREAM ? [port, secondPort] : port);
}

// deno_web's stream transfer steps hand their ports over as the
// "MessagePort" transferable resource: Entangle's ports travel as they are.
core.registerTransferableResource("MessagePort", (port) => port, (port) => port);

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
    webidl.configureInterface(this);
  }
}

// https://html.spec.whatwg.org/multipage/structured-data.html#dom-structuredclone
function structuredClone(value, options = undefined) {
  const context = "Failed to execute 'structuredClone'";
  webidl.requiredArguments(arguments.length, 1, context);
  if (options !== undefined && options !== null && !isObject(options)) {
    throw new TypeError(`${context}: The provided value is not of type 'StructuredSerializeOptions'.`);
  }
  const transfer = optionsTransfer(options, context);
  const streams = checkTransferList(transfer);
  returnUndelivered(transfer);
  const clone = op_clone_with_transfer(value, transfer.length === 0 ? undefined : transfer, streams);
  shipTransferredPorts(transfer);
  return clone;
}

/**
 * Serialization steps of platform objects: deno_web's serializable
 * interfaces (`Blob`, `File`, `DOMException`) carry a function under
 * `core.hostObjectBrand` that returns their data; the name of an interface
 * there marks one whose objects cannot be cloned (a stream outside a
 * transfer list, a `URL`, an `Event`, ...).
 */
function serializePlatformObject(object) {
  const steps = object[hostObjectBrand];
  if (typeof steps === "function") {
    return FunctionPrototypeCall(steps, object);
  }
  throw new DOMException(`${steps} object could not be cloned.`, "DataCloneError");
}

/**
 * Their deserialization steps, registered by each interface. The data may
 * come from bytes nobody checked (a Rust port, a corrupt message), and
 * deno_web's steps trust it: a Blob's parts must name its store's parts.
 */
function deserializePlatformObject(data) {
  const deserialize = core.getCloneableDeserializers()[data?.type];
  if (deserialize === undefined || !isPlatformData(data)) {
    throw new DOMException("The object could not be deserialized.", "DataCloneError");
  }
  return deserialize(data);
}

const BLOB_PART_ID = new SafeRegExp("^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$");

/** Whether serialized `Blob` or `File` data is what deno_web writes. */
function isPlatformData(data) {
  if (data.type !== "Blob" && data.type !== "File") {
    return true;
  }
  if (typeof data.mimeType !== "string" || !ArrayIsArray(data.parts)) {
    return false;
  }
  if (data.type === "File" && (typeof data.name !== "string" || typeof data.lastModified !== "number")) {
    return false;
  }
  let size = 0;
  for (let i = 0; i < data.parts.length; i++) {
    const part = data.parts[i];
    if (
      typeof part?.uuid !== "string" || !RegExpPrototypeTest(BLOB_PART_ID, part.uuid) ||
      !NumberIsSafeInteger(part.size) || part.size < 0
    ) {
      return false;
    }
    size += part.size;
  }
  return size === data.size;
}

/**
 * Marks an interface whose objects cannot be cloned (HTML: platform objects
 * that are not serializable): serializing one is a "DataCloneError" instead
 * of an empty object. deno_web's modules call it for some of theirs, the
 * bootstrap for every other interface of the global scope.
 */
function markNotSerializable(prototype) {
  if (ObjectHasOwn(prototype, hostObjectBrand)) {
    return;
  }
  ObjectDefineProperty(prototype, hostObjectBrand, {
    __proto__: null,
    value: prototype.constructor.name,
    enumerable: false,
    writable: false,
    configurable: false,
  });
}

function stopDelivering() {
  deliveryStopped = true;
}

function isDeliveryStopped() {
  return deliveryStopped;
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
 * delivered by the same call, without a round through the event loop, until
 * the budget is spent: then only the ports already taken off the ready list
 * are.
 */
function drain() {
  let delivered = 0;
  while (!deliveryStopped) {
    const next = op_messaging_next(PORT_BATCH, delivered < DRAIN_BUDGET);
    if (next === null) {
      return;
    }
    const target = next[0];
    delivered += (isBroadcastChannel(target) ? deliverChannels(isDeliveryStopped) : deliver(target, next)) + 1;
  }
}

/**
 * Whether ports keep the event loop alive: a started, entangled port with a
 * `message` listener can still receive (and so can a BroadcastChannel with
 * one while another channel of its name is open). Asked by Rust when
 * nothing else is pending.
 */
function keepalive() {
  if (channelsKeepAlive()) {
    return true;
  }
  for (const port of new SafeSetIterator(startedPorts)) {
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
  captureStreams();
  op_messaging_init(
    createPort,
    (message) => new DOMException(message, "DataCloneError"),
    serializePlatformObject,
    deserializePlatformObject,
    transferStreams,
    receiveStream,
    drain,
    keepalive,
    MESSAGE_ERROR,
    WITH_PORTS,
  );
}

// deno_web's modules ask for "ext:deno_web/13_message_port.js" (to mark
// their interfaces, and for the prototype that `MessageEvent`'s `ports` are
// checked against): they get Entangle's messaging instead of deno_web's own.
internals.entangleMessaging = { markNotSerializable, MessagePortPrototype, MessageChannel, structuredClone };

export {
  createPort,
  initMessaging,
  markNotSerializable,
  MessageChannel,
  MessagePort,
  postMessageSteps,
  setPortEventTarget,
  startPort,
  stopDelivering,
  structuredClone,
  transferList,
};
