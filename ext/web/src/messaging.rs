//! The `#[op2]` layer under `MessageChannel` / `MessagePort`.
//!
//! Thin by design: ports, queues and entanglement live in
//! `entangle_messaging`; this file maps port ids to [`Endpoint`]s for one isolate,
//! (de)serializes messages with [`crate::serialize`], and turns an agent
//! wake-up into one call of the JS `drain` hook, which dispatches the batch.
//!
//! Spec: <https://html.spec.whatwg.org/multipage/web-messaging.html#channel-messaging>

use std::cell::RefCell;
use std::collections::HashMap;
use std::collections::VecDeque;
use std::hash::BuildHasherDefault;
use std::hash::Hasher;
use std::rc::Rc;
use std::sync::Arc;
use std::task::Waker;

use deno_core::op2;
use deno_core::v8;
use deno_core::JsRuntime;
use deno_core::OpState;
use entangle_messaging::Agent;
use entangle_messaging::AgentCluster;
use entangle_messaging::Endpoint;
use entangle_messaging::Envelope;
use entangle_messaging::Subscription;
use futures::task::AtomicWaker;

use crate::fast_path;
use crate::serialize;
use crate::serialize::Attached;
use crate::serialize::Hooks;
use crate::serialize::Payload;
use crate::serialize::TransferredStream;

/// Port and channel ids are small sequential numbers: a multiplicative hash
/// spreads them over the table (SipHash would cost more than the lookup).
#[derive(Default)]
struct IdHasher(u64);

impl Hasher for IdHasher {
  fn finish(&self) -> u64 {
    self.0
  }

  fn write(&mut self, bytes: &[u8]) {
    for &byte in bytes {
      self.0 = (self.0 << 8 | u64::from(byte)).wrapping_mul(0x9e37_79b9_7f4a_7c15);
    }
  }

  fn write_u32(&mut self, id: u32) {
    self.0 = u64::from(id).wrapping_mul(0x9e37_79b9_7f4a_7c15);
  }
}

type IdMap<V> = HashMap<u32, V, BuildHasherDefault<IdHasher>>;

/// Messages taken from one port's queue for delivery
/// ([`op_messaging_next`]) and not known to be delivered yet.
struct Inflight {
  port: u32,
  envelopes: Vec<Envelope<Payload>>,
}

/// One isolate's share of the messaging machinery, kept in its `OpState`.
pub struct Messaging {
  agent: Agent,
  /// The task that polls this isolate's event loop: an agent's wake-up
  /// wakes it, and its poll delivers what is ready ([`deliver_ready`]).
  loop_waker: Arc<AtomicWaker>,
  ports: IdMap<Endpoint<Payload>>,
  /// Open `BroadcastChannel`s, by the id of their inbox.
  channels: IdMap<Subscription<Payload>>,
  /// The `MessagePort` (or `BroadcastChannel`) object of each port, held
  /// weakly: a port whose object is collected is disentangled (its partner
  /// gets `close`), a channel whose object is collected is closed.
  objects: IdMap<v8::Weak<v8::Object>>,
  /// Ports and channels taken off the agent's ready list and not delivered
  /// yet, in order.
  ready: VecDeque<u32>,
  /// The batch being delivered: it goes back to its port's queue if the
  /// port is shipped before the batch is through.
  inflight: Option<Inflight>,
  /// Ports whose objects were collected, to be disentangled at the next
  /// safe point (finalizers run inside the garbage collector).
  collected: Rc<RefCell<Vec<u32>>>,
  hooks: GlobalHooks,
}

impl Messaging {
  /// Takes a port out of this isolate (closed, or shipped elsewhere).
  fn remove_port(&mut self, id: u32) -> Option<Endpoint<Payload>> {
    self.objects.remove(&id);
    self.ports.remove(&id)
  }

  /// Closes a broadcast channel of this isolate.
  fn remove_channel(&mut self, id: u32) {
    self.objects.remove(&id);
    drop(self.channels.remove(&id));
  }

  /// Disentangles the ports, and closes the channels, whose objects were
  /// garbage-collected.
  fn sweep_collected(&mut self) {
    let collected = std::mem::take(&mut *self.collected.borrow_mut());
    for id in collected {
      drop(self.remove_port(id));
      self.remove_channel(id);
    }
  }

  /// Holds `object` weakly as the object of port or channel `id`.
  fn attach_object(
    &mut self,
    scope: &mut v8::PinScope<'_, '_>,
    object: v8::Local<v8::Object>,
    id: u32,
  ) {
    let collected = self.collected.clone();
    let weak = v8::Weak::with_finalizer(
      scope,
      object,
      Box::new(move |_| collected.borrow_mut().push(id)),
    );
    self.objects.insert(id, weak);
  }
}

struct GlobalHooks {
  /// What (de)serialization needs, shared with each message being
  /// (de)serialized while this state is not borrowed.
  serializer: Rc<Hooks>,
  create_port: v8::Global<v8::Function>,
  transfer_streams: v8::Global<v8::Function>,
  drain: v8::Global<v8::Function>,
  keepalive: v8::Global<v8::Function>,
  /// Stands for a message that cannot be deserialized in a batch.
  message_error: v8::Global<v8::Object>,
  /// Precedes the data and the `MessagePort`s of a message that has ports
  /// in a batch.
  with_ports: v8::Global<v8::Object>,
}

/// Registers the task polling this isolate's event loop, to be woken when a
/// port gets something to deliver. Call it before each poll of the loop.
pub fn register_loop_waker(state: &OpState, waker: &Waker) {
  if let Some(messaging) = state.try_borrow::<Messaging>() {
    messaging.loop_waker.register(waker);
  }
}

/// This isolate's agent, once messaging is initialized.
pub fn agent(state: &OpState) -> Option<Agent> {
  state.try_borrow::<Messaging>().map(|m| m.agent.clone())
}

/// Adopts a port made elsewhere (a worker's implicit port) into this
/// isolate; returns its id for the JS glue.
pub fn adopt_port(state: &mut OpState, port: Endpoint<Payload>) -> u32 {
  let messaging = state.borrow_mut::<Messaging>();
  port.adopt(&messaging.agent);
  let id = port.id().get();
  messaging.ports.insert(id, port);
  id
}

/// Makes an entangled pair, keeps one end here and returns its id with the
/// other end, shipped, for another isolate to adopt.
pub fn entangled_with_remote(state: &mut OpState) -> (u32, Endpoint<Payload>) {
  let messaging = state.borrow_mut::<Messaging>();
  let (local, remote) = Endpoint::entangled_pair(&messaging.agent);
  let id = local.id().get();
  messaging.ports.insert(id, local);
  remote.ship();
  (id, remote)
}

/// Posts wire bytes from Rust on one of this isolate's ports (a worker's
/// report to its parent when its JS cannot run any more). Whether it was
/// sent.
pub fn post_bytes(state: &mut OpState, id: u32, bytes: Vec<u8>) -> bool {
  let Some(port) = state
    .try_borrow::<Messaging>()
    .and_then(|m| m.ports.get(&id))
  else {
    return false;
  };
  port
    .post(Envelope::new(Payload::from_bytes(bytes), Vec::new()))
    .is_ok()
}

/// Why [`expose_port`] failed.
#[derive(Debug, thiserror::Error)]
pub enum ExposeError {
  /// The bootstrap has not run in this isolate.
  #[error("messaging is not initialized")]
  NotInitialized,
  /// The JS glue threw while making the `MessagePort`.
  #[error("creating the MessagePort failed")]
  CreatePort,
  /// The global's name is longer than a V8 string can be.
  #[error("bad global name")]
  BadName,
}

/// Adopts `port` (shipped) into this isolate as the `MessagePort`
/// `globalThis[name]`, started.
pub fn expose_port(
  runtime: &mut JsRuntime,
  name: &str,
  port: Endpoint<Payload>,
) -> Result<(), ExposeError> {
  let (id, create_port) = {
    let state = runtime.op_state();
    let mut state = state.borrow_mut();
    if !state.has::<Messaging>() {
      return Err(ExposeError::NotInitialized);
    }
    let id = adopt_port(&mut state, port);
    let create_port = state.borrow::<Messaging>().hooks.create_port.clone();
    (id, create_port)
  };
  crate::main_scope!(let scope, runtime);
  v8::tc_scope!(let scope, scope);
  let create_port = v8::Local::new(scope, create_port);
  let undefined = v8::undefined(scope).into();
  let id_value = v8::Integer::new_from_unsigned(scope, id).into();
  let port = create_port
    .call(scope, undefined, &[id_value])
    .ok_or(ExposeError::CreatePort)?;
  let key = v8::String::new(scope, name).ok_or(ExposeError::BadName)?;
  let global = scope.get_current_context().global(scope);
  global.set(scope, key.into(), port);
  Ok(())
}

/// Whether live ports must keep the event loop running: a started port with
/// a `message` listener is still entangled. Asked when the loop is otherwise
/// idle; the JS glue knows the listeners.
pub fn keeps_alive(runtime: &mut JsRuntime) -> bool {
  let keepalive = {
    let state = runtime.op_state();
    let mut state = state.borrow_mut();
    match state.try_borrow_mut::<Messaging>() {
      Some(messaging) => {
        messaging.sweep_collected();
        messaging.hooks.keepalive.clone()
      }
      None => return false,
    }
  };
  crate::main_scope!(let scope, runtime);
  v8::tc_scope!(let scope, scope);
  let keepalive = v8::Local::new(scope, keepalive);
  let undefined = v8::undefined(scope).into();
  keepalive
    .call(scope, undefined, &[])
    .is_some_and(|v| v.is_true())
}

/// Delivers what is ready: runs the JS `drain` hook, which dispatches the
/// events of the ready ports, then a microtask checkpoint. The event loop
/// calls it on each turn; returns whether anything was ready.
pub fn deliver_ready(runtime: &mut JsRuntime) -> bool {
  let (drain, agent) = {
    let state = runtime.op_state();
    let state = state.borrow();
    let Some(messaging) = state.try_borrow::<Messaging>() else {
      return false;
    };
    if !messaging.agent.has_ready() {
      return false;
    }
    (messaging.hooks.drain.clone(), messaging.agent.clone())
  };
  crate::main_scope!(let scope, runtime);
  v8::tc_scope!(let scope, scope);
  let drain = v8::Local::new(scope, drain);
  let undefined = v8::undefined(scope).into();
  // The hook reports listener errors itself; anything reaching here is a
  // termination, which the event loop notices on its own.
  drain.call(scope, undefined, &[]);
  agent.end_drain();
  scope.perform_microtask_checkpoint();
  true
}

/// Installs the JS hooks and creates this isolate's agent. Called once by
/// the bootstrap, after the snapshot is loaded.
#[op2]
pub fn op_messaging_init(
  scope: &mut v8::PinScope<'_, '_>,
  #[scoped] create_port: v8::Global<v8::Function>,
  #[scoped] clone_error: v8::Global<v8::Function>,
  #[scoped] serialize_platform: v8::Global<v8::Function>,
  #[scoped] deserialize_platform: v8::Global<v8::Function>,
  #[scoped] transfer_streams: v8::Global<v8::Function>,
  #[scoped] receive_stream: v8::Global<v8::Function>,
  #[scoped] drain: v8::Global<v8::Function>,
  #[scoped] keepalive: v8::Global<v8::Function>,
  #[scoped] message_error: v8::Global<v8::Object>,
  #[scoped] with_ports: v8::Global<v8::Object>,
) {
  let brand = serialize::host_brand(scope);
  let brand = v8::Global::new(scope, brand);
  let host_object = serialize::host_object_symbol(scope);
  let host_object = v8::Global::new(scope, host_object);
  let state = JsRuntime::op_state_from(scope);
  let mut state = state.borrow_mut();
  let cluster = state
    .try_borrow::<AgentCluster>()
    .cloned()
    .unwrap_or_default();
  let loop_waker = Arc::new(AtomicWaker::new());
  let waker = loop_waker.clone();
  let agent = Agent::new(&cluster, move || waker.wake());
  state.put(Messaging {
    agent,
    loop_waker,
    ports: IdMap::default(),
    channels: IdMap::default(),
    objects: IdMap::default(),
    ready: VecDeque::new(),
    inflight: None,
    collected: Rc::default(),
    hooks: GlobalHooks {
      serializer: Rc::new(Hooks {
        brand,
        host_object,
        clone_error,
        serialize_platform,
        deserialize_platform,
        receive_stream,
      }),
      create_port,
      transfer_streams,
      drain,
      keepalive,
      message_error,
      with_ports,
    },
  });
}

/// `new MessageChannel()`: writes the two new port ids into `out`.
#[op2(fast)]
pub fn op_message_channel(state: &mut OpState, #[buffer] out: &mut [u32]) {
  let messaging = state.borrow_mut::<Messaging>();
  // A script that makes channels in a loop reaches no other safe point:
  // free the ports collected meanwhile here.
  messaging.sweep_collected();
  let (a, b) = Endpoint::entangled_pair(&messaging.agent);
  out[0] = a.id().get();
  out[1] = b.id().get();
  messaging.ports.insert(a.id().get(), a);
  messaging.ports.insert(b.id().get(), b);
}

/// The transfer list split into port ids and `ArrayBuffer`s. The JS glue
/// has validated it (no duplicates, nothing detached, only transferables).
/// Also reads the ports that streams' transfer steps return.
fn split_transfer<'s>(
  scope: &mut v8::PinScope<'s, '_>,
  brand: v8::Local<'s, v8::Private>,
  transfer: v8::Local<'s, v8::Value>,
) -> (Vec<u32>, Vec<v8::Local<'s, v8::ArrayBuffer>>) {
  let mut ports = Vec::new();
  let mut buffers = Vec::new();
  let Ok(list) = transfer.try_cast::<v8::Array>() else {
    return (ports, buffers);
  };
  for i in 0..list.length() {
    let Some(item) = list.get_index(scope, i) else {
      continue;
    };
    if let Ok(buffer) = item.try_cast::<v8::ArrayBuffer>() {
      buffers.push(buffer);
    } else if let Ok(object) = item.try_cast::<v8::Object>() {
      // Streams are listed apart (see `transferred_streams`).
      let id = object
        .get_private(scope, brand)
        .filter(|b| b.is_number())
        .and_then(|b| b.uint32_value(scope));
      ports.extend(id);
    }
  }
  (ports, buffers)
}

/// The streams of the transfer list: `streams` is the JS glue's flat
/// `[stream, kind, ...]` list (validated: each a stream of that kind, not
/// locked); their ports follow the `port_count` transferred ports.
fn transferred_streams<'s>(
  scope: &mut v8::PinScope<'s, '_>,
  streams: v8::Local<'s, v8::Value>,
  port_count: usize,
) -> Vec<TransferredStream<'s>> {
  let mut out = Vec::new();
  let Ok(list) = streams.try_cast::<v8::Array>() else {
    return out;
  };
  let mut port = port_count as u32;
  for i in 0..list.length() / 2 {
    let object = list
      .get_index(scope, 2 * i)
      .and_then(|o| o.try_cast::<v8::Object>().ok());
    let kind = list
      .get_index(scope, 2 * i + 1)
      .and_then(|k| k.uint32_value(scope));
    if let (Some(object), Some(kind)) = (object, kind) {
      out.push(TransferredStream { object, kind, port });
      port += serialize::stream_port_count(kind);
    }
  }
  out
}

/// What (de)serialization needs of this isolate, to use while its state is
/// not borrowed (scripts may run meanwhile).
fn serializer_hooks(state: &RefCell<OpState>) -> Rc<Hooks> {
  state
    .borrow()
    .borrow::<Messaging>()
    .hooks
    .serializer
    .clone()
}

/// Where a serialized message goes.
#[derive(Clone, Copy)]
enum Destination {
  /// The port of this id posts it (to a Rust port, it cannot take a
  /// `WebAssembly.Module`).
  Port(u32),
  /// `structuredClone` deserializes it at once.
  Clone,
  /// Every other `BroadcastChannel` of a name gets a copy of the payload:
  /// cloned `ArrayBuffer`s cannot move with it.
  Broadcast,
}

/// Serializes `value` with `transfer` (its `streams` listed apart), runs the
/// streams' transfer steps, and ships the transferred ports and the streams'
/// ports. `None`: a JS exception is pending; when serialization fails,
/// nothing was transferred.
fn serialize_envelope<'s>(
  scope: &mut v8::PinScope<'s, '_>,
  value: v8::Local<'s, v8::Value>,
  transfer: v8::Local<'s, v8::Value>,
  streams: v8::Local<'s, v8::Value>,
  destination: Destination,
) -> Option<Envelope<Payload>> {
  let state = JsRuntime::op_state_from(scope);
  // Most messages transfer nothing and are written without V8's serializer.
  if transfer.is_undefined() {
    let copy_buffers = !matches!(destination, Destination::Broadcast);
    if let Some(payload) = fast_path::encode(scope, value, copy_buffers) {
      return Some(Envelope::new(payload, Vec::new()));
    }
  }
  let hooks = serializer_hooks(&state);
  let to_isolate = || {
    let Destination::Port(id) = destination else {
      return true;
    };
    let state = state.borrow();
    let port = state.borrow::<Messaging>().ports.get(&id);
    port.is_none_or(Endpoint::partner_has_isolate)
  };
  let (mut port_ids, buffers) =
    split_transfer(scope, v8::Local::new(scope, &hooks.brand), transfer);
  let transferred = transferred_streams(scope, streams, port_ids.len());
  let mut payload = serialize::serialize(
    scope,
    &hooks,
    value,
    &port_ids,
    &transferred,
    &buffers,
    &to_isolate,
  )?;
  if !transferred.is_empty() {
    // The transfer steps make each stream's ports, in the order the
    // serializer numbered them.
    let transfer_streams = {
      let state = state.borrow();
      v8::Local::new(scope, &state.borrow::<Messaging>().hooks.transfer_streams)
    };
    let undefined = v8::undefined(scope).into();
    let ports = transfer_streams.call(scope, undefined, &[streams])?;
    let (stream_ports, _) = split_transfer(scope, v8::Local::new(scope, &hooks.brand), ports);
    payload.set_stream_ports(stream_ports.len());
    port_ids.extend(stream_ports);
  }
  if port_ids.is_empty() {
    return Some(Envelope::new(payload, Vec::new()));
  }
  let mut state = state.borrow_mut();
  let messaging = state.borrow_mut::<Messaging>();
  let ports = port_ids
    .iter()
    .filter_map(|id| messaging.remove_port(*id))
    .collect();
  Some(Envelope::new(payload, ports))
}

/// Adopts the ports of `envelope` into this isolate, makes their JS objects
/// and deserializes the payload: `[data, ports]`, or `None` when the data
/// cannot be deserialized (HTML then fires `messageerror`).
fn open_envelope<'s>(
  scope: &mut v8::PinScope<'s, '_>,
  envelope: Envelope<Payload>,
) -> Option<(v8::Local<'s, v8::Value>, v8::Local<'s, v8::Array>)> {
  let state = JsRuntime::op_state_from(scope);
  let Envelope { payload, ports } = envelope;
  let ids: Vec<u32> = ports.iter().map(|p| p.id().get()).collect();
  let (hooks, create_port) = {
    let mut state = state.borrow_mut();
    let messaging = state.borrow_mut::<Messaging>();
    for port in ports {
      port.adopt(&messaging.agent);
      messaging.ports.insert(port.id().get(), port);
    }
    let hooks = &messaging.hooks;
    (
      hooks.serializer.clone(),
      v8::Local::new(scope, &hooks.create_port),
    )
  };
  let objects = v8::Array::new(scope, ids.len() as i32);
  let undefined: v8::Local<v8::Value> = v8::undefined(scope).into();
  for (index, id) in ids.into_iter().enumerate() {
    let id = v8::Integer::new_from_unsigned(scope, id).into();
    let port = create_port.call(scope, undefined, &[id])?;
    objects.set_index(scope, index as u32, port);
  }
  let data = serialize::deserialize(scope, &hooks, &payload, objects)?;
  if payload.stream_ports() == 0 {
    return Some((data, objects));
  }
  // The streams' ports are theirs alone, not the message's.
  let count = objects
    .length()
    .saturating_sub(payload.stream_ports() as u32);
  let ports: Vec<_> = (0..count)
    .filter_map(|i| objects.get_index(scope, i))
    .collect();
  Some((data, v8::Array::new_with_elements(scope, &ports)))
}

/// The message port post message steps, after the JS glue's checks:
/// serialize with transfer (always, so transfers happen even when the port
/// is not entangled), then enqueue at the entangled port unless doomed.
/// <https://html.spec.whatwg.org/multipage/web-messaging.html#message-port-post-message-steps>
#[op2(nofast, reentrant)]
pub fn op_port_post<'s>(
  scope: &mut v8::PinScope<'s, '_>,
  source: u32,
  message: v8::Local<'s, v8::Value>,
  transfer: v8::Local<'s, v8::Value>,
  streams: v8::Local<'s, v8::Value>,
) {
  let Some(envelope) =
    serialize_envelope(scope, message, transfer, streams, Destination::Port(source))
  else {
    return; // the DataCloneError propagates to the caller
  };
  let state = JsRuntime::op_state_from(scope);
  let undelivered = {
    let state = state.borrow();
    match state.borrow::<Messaging>().ports.get(&source) {
      Some(port) => port.post(envelope).err(),
      None => None,
    }
  };
  // A message to a disentangled port is dropped, with the ports it carries.
  drop(undelivered);
}

/// `postMessage(number)`, the most common message, as a fast call: the
/// number is written as V8 writes it (see [`fast_path::encode_number`]).
#[op2(fast)]
pub fn op_port_post_number(state: &mut OpState, source: u32, number: f64) {
  let payload = fast_path::encode_number(number);
  if let Some(port) = state.borrow::<Messaging>().ports.get(&source) {
    // A message to a disentangled port is dropped.
    drop(port.post(Envelope::new(payload, Vec::new())));
  }
}

/// `structuredClone(value, { transfer })`.
/// <https://html.spec.whatwg.org/multipage/structured-data.html#dom-structuredclone>
#[op2(reentrant)]
pub fn op_clone_with_transfer<'s>(
  scope: &mut v8::PinScope<'s, '_>,
  value: v8::Local<'s, v8::Value>,
  transfer: v8::Local<'s, v8::Value>,
  streams: v8::Local<'s, v8::Value>,
) -> v8::Local<'s, v8::Value> {
  let undefined = v8::undefined(scope).into();
  let Some(envelope) = serialize_envelope(scope, value, transfer, streams, Destination::Clone)
  else {
    return undefined;
  };
  match open_envelope(scope, envelope) {
    Some((data, _)) => data,
    None => {
      let message = v8::String::new(scope, "The value could not be deserialized.").unwrap();
      let hooks = serializer_hooks(&JsRuntime::op_state_from(scope));
      let clone_error = v8::Local::new(scope, &hooks.clone_error);
      if let Some(error) = clone_error.call(scope, undefined, &[message.into()]) {
        scope.throw_exception(error);
      }
      undefined
    }
  }
}

/// How many bytes of messages one batch deserializes at most (a larger
/// message is a batch of its own).
const BATCH_BYTES: usize = 64 << 10;

/// The next delivery for the `drain` hook: `null` when nothing is ready,
/// `[channel]` for a `BroadcastChannel` (the JS glue takes its messages),
/// or for a port, `[port, ...batch]`: a batch of up to `max` of its
/// messages, deserialized. In a batch, each message is its data, the
/// `message_error` marker stands for one that cannot be deserialized, and
/// a message with ports (always alone in its batch) is the `with_ports`
/// marker followed by its data and its `MessagePort`s. The messages stay in
/// flight until [`op_port_end_batch`]; [`op_port_requeue`] returns the ones
/// not delivered to the queue.
///
/// With `more` false (the drain's budget is spent), only what was already
/// taken off the agent's ready list is delivered; the rest waits for the
/// next wake-up.
#[op2(reentrant)]
pub fn op_messaging_next<'s>(
  scope: &mut v8::PinScope<'s, '_>,
  max: u32,
  more: bool,
) -> v8::Local<'s, v8::Value> {
  let state = JsRuntime::op_state_from(scope);
  let mut envelopes = Vec::new();
  let (target, message_error, with_ports, hooks) = {
    let mut state = state.borrow_mut();
    let messaging = state.borrow_mut::<Messaging>();
    drop(messaging.inflight.take());
    let (id, target) = loop {
      let Some(id) = messaging.ready.pop_front() else {
        if !more {
          return v8::null(scope).into();
        }
        messaging.sweep_collected();
        let ready = messaging.agent.take_ready_draining();
        if ready.is_empty() {
          return v8::null(scope).into();
        }
        messaging.ready.extend(ready.into_iter().map(|id| id.get()));
        continue;
      };
      if let Some(object) = messaging.objects.get(&id).and_then(|o| o.to_local(scope)) {
        break (id, object);
      }
    };
    let Some(port) = messaging.ports.get(&id) else {
      return v8::Array::new_with_elements(scope, &[target.into()]).into();
    };
    // Large messages go one batch each: everything a batch holds is alive
    // at once, and garbage collection copies what is alive.
    let mut bytes = 0;
    let fits = |payload: &Payload| {
      bytes += payload.bytes.len();
      bytes <= BATCH_BYTES
    };
    port.recv_batch(max as usize, fits, &mut envelopes);
    let hooks = &messaging.hooks;
    (
      (id, target),
      v8::Local::new(scope, &hooks.message_error),
      v8::Local::new(scope, &hooks.with_ports),
      hooks.serializer.clone(),
    )
  };
  let (id, target) = target;
  v8::tc_scope!(let scope, scope);
  if envelopes.first().is_some_and(|e| !e.ports.is_empty()) {
    // Its ports are adopted here: it is delivered first, so it never goes
    // back to the queue.
    let envelope = envelopes.pop().unwrap();
    let batch = match open_envelope(scope, envelope) {
      Some((data, ports)) => vec![target.into(), with_ports.into(), data, ports.into()],
      None => vec![target.into(), message_error.into()],
    };
    return v8::Array::new_with_elements(scope, &batch).into();
  }
  let no_ports = v8::Array::new(scope, 0);
  let mut batch = Vec::with_capacity(envelopes.len() + 1);
  batch.push(target.into());
  for envelope in &envelopes {
    let data = serialize::deserialize(scope, &hooks, &envelope.payload, no_ports);
    batch.push(data.unwrap_or_else(|| message_error.into()));
  }
  let batch = v8::Array::new_with_elements(scope, &batch);
  let mut state = state.borrow_mut();
  state.borrow_mut::<Messaging>().inflight = Some(Inflight {
    port: id,
    envelopes,
  });
  batch.into()
}

/// The port of the batch in flight is about to be shipped (or its delivery
/// stopped) after `delivered` of its messages: the others go back to the
/// head of its queue, to travel with it.
#[op2(fast)]
pub fn op_port_requeue(state: &mut OpState, id: u32, delivered: u32) {
  let messaging = state.borrow_mut::<Messaging>();
  let Some(mut inflight) = messaging.inflight.take_if(|i| i.port == id) else {
    return;
  };
  let undelivered = inflight
    .envelopes
    .split_off((delivered as usize).min(inflight.envelopes.len()));
  if let Some(port) = messaging.ports.get(&id) {
    port.requeue(undelivered);
  }
}

/// Ends the delivery of a batch; returns whether a `close` event is owed to
/// the port (its partner disentangled).
#[op2(fast)]
pub fn op_port_end_batch(state: &mut OpState, id: u32) -> bool {
  let messaging = state.borrow_mut::<Messaging>();
  drop(messaging.inflight.take());
  messaging
    .ports
    .get(&id)
    .is_some_and(Endpoint::take_close_event)
}

/// Gives a new `MessagePort` object its port: brands it for the serializer
/// and holds it weakly, so that collecting it disentangles the port.
#[op2(nofast)]
pub fn op_port_attach(scope: &mut v8::PinScope<'_, '_>, object: v8::Local<v8::Object>, id: u32) {
  let state = JsRuntime::op_state_from(scope);
  let mut state = state.borrow_mut();
  let messaging = state.borrow_mut::<Messaging>();
  let brand = v8::Local::new(scope, &messaging.hooks.serializer.brand);
  let value = v8::Integer::new_from_unsigned(scope, id).into();
  object.set_private(scope, brand, value);
  messaging.attach_object(scope, object, id);
}

/// `MessagePort.start()`: enables the port message queue.
#[op2(fast)]
pub fn op_port_start(state: &mut OpState, id: u32) {
  if let Some(port) = state.borrow::<Messaging>().ports.get(&id) {
    port.start();
  }
}

/// `MessagePort.close()`, or the port object was garbage-collected: the port
/// is disentangled and its Rust state freed.
#[op2(fast)]
pub fn op_port_close(state: &mut OpState, id: u32) {
  let port = state.borrow_mut::<Messaging>().remove_port(id);
  drop(port);
}

/// Whether the port is still entangled.
#[op2(fast)]
pub fn op_port_is_entangled(state: &mut OpState, id: u32) -> bool {
  let messaging = state.borrow::<Messaging>();
  messaging.ports.get(&id).is_some_and(Endpoint::is_entangled)
}

/// `new BroadcastChannel(name)`: joins the cluster's channels of `name` and
/// holds `object` weakly as the channel's object; returns the channel's id.
/// <https://html.spec.whatwg.org/multipage/web-messaging.html#dom-broadcastchannel>
#[op2(nofast)]
pub fn op_broadcast_open(
  scope: &mut v8::PinScope<'_, '_>,
  object: v8::Local<v8::Object>,
  #[string] name: &str,
) -> u32 {
  let state = JsRuntime::op_state_from(scope);
  let mut state = state.borrow_mut();
  let messaging = state.borrow_mut::<Messaging>();
  messaging.sweep_collected();
  let channel = Subscription::join(&messaging.agent, name);
  let id = channel.id().get();
  messaging.channels.insert(id, channel);
  messaging.attach_object(scope, object, id);
  id
}

/// `BroadcastChannel.postMessage()`, after the JS glue's checks: the
/// message is serialized once, without transfer (a `MessagePort` in it is a
/// "DataCloneError"), and each other open channel of the name gets a copy
/// to deserialize on its own.
/// <https://html.spec.whatwg.org/multipage/web-messaging.html#dom-broadcastchannel-postmessage>
#[op2(nofast, reentrant)]
pub fn op_broadcast_post<'s>(
  scope: &mut v8::PinScope<'s, '_>,
  source: u32,
  message: v8::Local<'s, v8::Value>,
) {
  let undefined = v8::undefined(scope).into();
  let Some(envelope) =
    serialize_envelope(scope, message, undefined, undefined, Destination::Broadcast)
  else {
    return; // the DataCloneError propagates to the caller
  };
  let payload = envelope.payload;
  let state = JsRuntime::op_state_from(scope);
  let state = state.borrow();
  if let Some(channel) = state.borrow::<Messaging>().channels.get(&source) {
    let attached = payload.attached();
    channel.post_with(|| {
      let attached = Attached {
        shared: attached.map(|a| a.shared.clone()).unwrap_or_default(),
        modules: attached.map(|a| a.modules.clone()).unwrap_or_default(),
        ..Attached::default()
      };
      Payload::new(payload.bytes.clone(), attached)
    });
  }
}

/// Begins delivering to this isolate's channels: takes them all off the
/// ready list and returns how many messages wait for them.
#[op2(fast)]
pub fn op_broadcast_begin(state: &mut OpState) -> u32 {
  let messaging = state.borrow::<Messaging>();
  let waiting: usize = messaging
    .channels
    .values()
    .map(Subscription::begin_batch)
    .sum();
  waiting.try_into().unwrap_or(u32::MAX)
}

/// Takes the message posted first among all this isolate's channels (HTML
/// queues one task per message and destination, so a message posted
/// earlier is delivered earlier, whatever channel it is for):
/// `[channel, data]`, `[channel, null]` when it cannot be deserialized, or
/// `undefined` when none waits. Messages for a channel whose object was
/// collected are dropped.
#[op2(reentrant)]
pub fn op_broadcast_recv_next<'s>(scope: &mut v8::PinScope<'s, '_>) -> v8::Local<'s, v8::Value> {
  let state = JsRuntime::op_state_from(scope);
  let (object, envelope) = loop {
    let state = state.borrow();
    let messaging = state.borrow::<Messaging>();
    let next = messaging
      .channels
      .iter()
      .filter_map(|(id, channel)| Some((channel.next_post()?, *id, channel)))
      // A post's destinations: the oldest channel first (ids grow).
      .min_by_key(|(post, id, _)| (*post, *id));
    let Some((_, id, channel)) = next else {
      return v8::undefined(scope).into();
    };
    let envelope = channel.recv();
    let object = messaging.objects.get(&id).and_then(|o| o.to_local(scope));
    if let (Some(object), Some(envelope)) = (object, envelope) {
      break (object, envelope);
    }
  };
  v8::tc_scope!(let scope, scope);
  let data = match open_envelope(scope, envelope) {
    Some((data, _)) => data,
    None => v8::null(scope).into(),
  };
  v8::Array::new_with_elements(scope, &[object.into(), data]).into()
}

/// Ends a delivery to this isolate's channels: channels that still have
/// messages go back on the ready list.
#[op2(fast)]
pub fn op_broadcast_end(state: &mut OpState) {
  let messaging = state.borrow::<Messaging>();
  messaging
    .channels
    .values()
    .for_each(Subscription::reschedule);
}

/// `BroadcastChannel.close()`: the channel leaves its name's group and what
/// was queued for it is dropped.
#[op2(fast)]
pub fn op_broadcast_close(state: &mut OpState, id: u32) {
  state.borrow_mut::<Messaging>().remove_channel(id);
}

/// Whether another channel of the channel's name is open in the cluster,
/// so that a message may still arrive.
#[op2(fast)]
pub fn op_broadcast_has_others(state: &mut OpState, id: u32) -> bool {
  let messaging = state.borrow::<Messaging>();
  messaging
    .channels
    .get(&id)
    .is_some_and(Subscription::has_others)
}
