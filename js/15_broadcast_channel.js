// BroadcastChannel: messages to every other open channel of the same name
// in the runtime's cluster (the main isolate, its workers, nested ones, and
// Rust participants).
//
// Spec: https://html.spec.whatwg.org/multipage/web-messaging.html#broadcasting-to-other-browsing-contexts
//
// The channels of a name live in Rust (`ext/messaging`'s `Subscription`); a
// BroadcastChannel object holds only its id. Each channel has an inbox on
// its isolate's ready list, so delivery runs through the same `drain()` as
// MessagePort's: 10_message_port.js calls `deliverChannels` when a channel
// is ready, which delivers what waits for all of them in posting order.

import { core, primordials } from "ext:core/mod.js";
import {
  op_base_url,
  op_broadcast_begin,
  op_broadcast_close,
  op_broadcast_end,
  op_broadcast_has_others,
  op_broadcast_open,
  op_broadcast_post,
  op_broadcast_recv_next,
} from "ext:core/ops";
import {
  createMessageEvent,
  defineEventHandlers,
  dispatchTrusted,
  DOMException,
  EventTarget,
  hasListeners,
  isObject,
  MessageEvent,
  webidl,
} from "ext:entangle/00_web.js";

const {
  FunctionPrototypeApply,
  SafeSet,
  SafeSetIterator,
  SetPrototypeAdd,
  SetPrototypeDelete,
} = primordials;

const EventTargetPrototypeAddEventListener = EventTarget.prototype.addEventListener;

/**
 * Open channels with `message` or `messageerror` listeners, held strongly:
 * HTML keeps such a channel from being collected. Other channels are held
 * weakly by Rust; collecting one closes it.
 */
const listeningChannels = new SafeSet();

/** How many messages channels deliver in a row before ports get a turn. */
const CHANNEL_BATCH = 256;

let isBroadcastChannel;
let channelId;

// https://html.spec.whatwg.org/multipage/web-messaging.html#broadcastchannel
class BroadcastChannel extends EventTarget {
  #id;
  #name;
  /** HTML's "closed flag". */
  #closed = false;

  // https://html.spec.whatwg.org/multipage/web-messaging.html#dom-broadcastchannel
  constructor(name) {
    const prefix = "Failed to construct 'BroadcastChannel'";
    webidl.requiredArguments(arguments.length, 1, prefix);
    name = webidl.converters.DOMString(name, prefix, "Argument 1");
    super();
    // 1. Set this's channel name to name.
    this.#name = name;
    this.#id = op_broadcast_open(this, name);
  }

  static {
    isBroadcastChannel = (value) => isObject(value) && #id in value;
    channelId = (channel) => channel.#id;
  }

  // https://html.spec.whatwg.org/multipage/web-messaging.html#dom-broadcastchannel-name
  get name() {
    if (!isBroadcastChannel(this)) {
      throw new TypeError("Illegal invocation");
    }
    return this.#name;
  }

  // https://html.spec.whatwg.org/multipage/web-messaging.html#dom-broadcastchannel-postmessage
  postMessage(message) {
    if (!isBroadcastChannel(this)) {
      throw new TypeError("Illegal invocation");
    }
    webidl.requiredArguments(arguments.length, 1, "Failed to execute 'postMessage' on 'BroadcastChannel'");
    // 3. If this's closed flag is true, throw an "InvalidStateError".
    if (this.#closed) {
      throw new DOMException("BroadcastChannel is closed.", "InvalidStateError");
    }
    // 4-10. Serialize once (a "DataCloneError" propagates); every other open
    // channel of this name, oldest first, gets a copy of its own. Rust
    // leaves out channels that are closed, and those of a closing worker
    // are never delivered to.
    op_broadcast_post(this.#id, message);
  }

  // https://html.spec.whatwg.org/multipage/web-messaging.html#dom-broadcastchannel-close
  close() {
    if (!isBroadcastChannel(this)) {
      throw new TypeError("Illegal invocation");
    }
    if (this.#closed) {
      return;
    }
    // Set this's closed flag to true; messages queued for it are dropped.
    this.#closed = true;
    SetPrototypeDelete(listeningChannels, this);
    op_broadcast_close(this.#id);
  }

  // Listening keeps the channel from being collected (HTML "garbage
  // collection" note of BroadcastChannel). `onmessage` adds its listener
  // through here too.
  addEventListener(type, _callback, _options = undefined) {
    FunctionPrototypeApply(EventTargetPrototypeAddEventListener, this, arguments);
    if (isBroadcastChannel(this) && !this.#closed && (type === "message" || type === "messageerror")) {
      SetPrototypeAdd(listeningChannels, this);
    }
  }

  static {
    webidl.configureInterface(this);
  }
}

defineEventHandlers(BroadcastChannel.prototype, ["message", "messageerror"], (value) => isBroadcastChannel(value));

/**
 * Fires the events of the messages waiting for this isolate's channels,
 * one task per message, in the order they were posted (a message for two
 * channels here goes to the older one first); returns how many. Called by
 * `drain()` when a channel is ready; channels left with messages (the
 * batch is full, or `isStopped()`) are made ready again.
 */
function deliverChannels(isStopped) {
  const count = op_broadcast_begin();
  let i = 0;
  for (; i < count && i < CHANNEL_BATCH && !isStopped(); i++) {
    const next = op_broadcast_recv_next();
    if (next === undefined) {
      break;
    }
    const channel = next[0];
    // Queued task, step 3: a message that cannot be deserialized fires
    // `messageerror`.
    if (next[1] === null) {
      dispatchTrusted(channel, new MessageEvent("messageerror"));
    } else {
      dispatchTrusted(channel, createMessageEvent({ data: next[1], origin: currentOrigin() }));
    }
    core.runMicrotasks();
  }
  op_broadcast_end();
  return i;
}

/**
 * Queued task, step 4: the `message` event's `origin` is the serialization
 * of the source's origin: that of the runtime's base URL, which the
 * runtimes of a cluster share ("null" for `file:` URLs and none).
 */
function currentOrigin() {
  const base = op_base_url();
  if (base === null) {
    return "null";
  }
  // Loaded here: deno_web's URL module needs 10_message_port.js, which
  // this module is evaluated before.
  const { URL } = core.loadExtScript("ext:deno_web/00_url.js");
  try {
    return new URL(base).origin;
  } catch {
    return "null";
  }
}

/** Whether a listening channel may still hear from another open channel. */
function channelsKeepAlive() {
  for (const channel of new SafeSetIterator(listeningChannels)) {
    if (hasListeners(channel, "message") && op_broadcast_has_others(channelId(channel))) {
      return true;
    }
  }
  return false;
}

export { BroadcastChannel, channelsKeepAlive, deliverChannels, isBroadcastChannel };
