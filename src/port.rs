//! Ports held by Rust: one end of a channel whose other end is a JS
//! `MessagePort` (or another Rust port).
//!
//! A Rust [`Port`] has an agent of its own in its runtime's cluster, so
//! deliveries wake the task waiting in [`Port::recv`], on any thread. While it
//! exists it counts as busy: the runtimes of the cluster keep running while
//! Rust may still post. Dropping it closes the channel: the other end gets a
//! `close` event.
//!
//! Messages are V8's structured-serialization wire bytes, the very bytes JS
//! posts; serde values are encoded to and decoded from them by
//! `entangle_wire`, so JavaScript sees ordinary objects.

use std::future::poll_fn;
use std::pin::Pin;
use std::sync::Arc;
use std::task::Context;
use std::task::Poll;

use entangle_messaging::Agent;
use entangle_messaging::AgentCluster;
use entangle_messaging::Envelope;
use entangle_web::serialize::Attached;
use entangle_web::serialize::Payload;
use futures::task::AtomicWaker;
use serde::de::DeserializeOwned;
use serde::Serialize;

use crate::buffer;
use crate::buffer::Store;
use crate::ArrayBuffer;
use crate::Error;

/// One end of a channel, held by Rust. `Send`: it can move to any thread,
/// for instance into a tokio task, and talk to an isolate from there.
pub struct Port {
  inner: entangle_messaging::Endpoint<Payload>,
  agent: Agent,
  waker: Arc<AtomicWaker>,
}

/// One message as it travels: wire bytes, the `ArrayBuffer`s it transfers
/// and the ports it ships (JS's `event.ports`).
pub struct Message {
  /// V8 structured-serialization wire bytes.
  pub bytes: Vec<u8>,
  /// Transferred buffers, by transfer index; taken as the value is decoded.
  buffers: Vec<Option<Store>>,
  /// Ports shipped with the message, in transfer order.
  pub ports: Vec<Port>,
  /// Compiled code of the `WebAssembly.Module`s in the message. Rust cannot
  /// decode them ([`Message::value`] says so), but a message relayed to a JS
  /// port keeps them.
  modules: Vec<std::sync::Arc<deno_core::v8::CompiledWasmModule>>,
}

/// A message that was not posted, handed back.
#[derive(Debug, thiserror::Error)]
pub enum PostError {
  /// The port is closed, or its partner is: the message comes back whole.
  #[error("the port is not entangled: the message was not sent")]
  Closed(Box<Message>),
  /// The value cannot be serialized; the `ArrayBuffer`s it had already
  /// taken come back.
  #[error("the value cannot be serialized: {reason}")]
  Serialize {
    /// Why.
    reason: String,
    /// The buffers detached before the failure.
    buffers: Vec<ArrayBuffer>,
  },
}

impl Message {
  /// Encodes `value` (see the serde mapping of `entangle_wire`), moving the
  /// [`ArrayBuffer`]s inside it into the message.
  pub fn new<T: Serialize + ?Sized>(value: &T) -> Result<Message, PostError> {
    let (bytes, stores) = buffer::encode(value)?;
    Ok(Message {
      bytes,
      buffers: stores.into_iter().map(Some).collect(),
      ports: Vec::new(),
      modules: Vec::new(),
    })
  }

  /// A message of raw wire bytes, transferring nothing. Bytes the receiver
  /// cannot deserialize fire `messageerror` at a JS port.
  pub fn from_bytes(bytes: Vec<u8>) -> Message {
    Message {
      bytes,
      buffers: Vec::new(),
      ports: Vec::new(),
      modules: Vec::new(),
    }
  }

  /// Ships `ports` with the message (JS receives them as `event.ports`).
  pub fn with_ports(mut self, ports: Vec<Port>) -> Message {
    self.ports.extend(ports);
    self
  }

  /// Decodes the value. Transferred buffers go to the [`ArrayBuffer`]s the
  /// value asks for (each once). A value holding a `WebAssembly.Module` (or
  /// another object only an isolate can make) is an [`Error::Decode`] that
  /// names it.
  pub fn value<T: DeserializeOwned>(&mut self) -> Result<T, Error> {
    Ok(buffer::decode(&self.bytes, &mut self.buffers)?)
  }

  fn into_envelope(self) -> Envelope<Payload> {
    let attached = Attached {
      buffers: self.buffers.into_iter().flatten().collect(),
      modules: self.modules,
      ..Attached::default()
    };
    let payload = Payload::new(self.bytes, attached);
    let ports = self.ports.into_iter().map(Port::into_inner).collect();
    Envelope::new(payload, ports)
  }

  pub(crate) fn from_envelope(envelope: Envelope<Payload>, cluster: &AgentCluster) -> Message {
    let Envelope { payload, ports } = envelope;
    let (bytes, attached) = payload.into_parts();
    Message {
      bytes,
      buffers: attached.buffers.into_iter().map(Some).collect(),
      ports: ports.into_iter().map(|p| Port::adopt(p, cluster)).collect(),
      modules: attached.modules,
    }
  }
}

impl std::fmt::Debug for Message {
  fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
    f.debug_struct("Message")
      .field("bytes", &self.bytes.len())
      .field("buffers", &self.buffers.len())
      .field("ports", &self.ports.len())
      .finish()
  }
}

impl Port {
  /// Makes `inner` (shipped) a Rust port of `cluster`, started.
  pub(crate) fn adopt(
    inner: entangle_messaging::Endpoint<Payload>,
    cluster: &AgentCluster,
  ) -> Port {
    let waker = Arc::new(AtomicWaker::new());
    let wake = waker.clone();
    let agent = Agent::without_isolate(cluster, move || wake.wake());
    inner.adopt(&agent);
    inner.start();
    Port {
      inner,
      agent,
      waker,
    }
  }

  /// The port machinery's end, shipped: ready for another agent to adopt.
  pub(crate) fn into_inner(self) -> entangle_messaging::Endpoint<Payload> {
    self.inner.ship();
    self.inner
  }

  pub(crate) fn cluster(&self) -> &AgentCluster {
    self.agent.cluster()
  }

  /// Posts `value`, encoded as JS's structured serialization would encode
  /// the equivalent object; the [`ArrayBuffer`]s inside it are transferred.
  pub fn post<T: Serialize + ?Sized>(&self, value: &T) -> Result<(), PostError> {
    self.post_message(Message::new(value)?)
  }

  /// Posts a message, with the ports it ships.
  pub fn post_message(&self, message: Message) -> Result<(), PostError> {
    self.inner.post(message.into_envelope()).map_err(|error| {
      let message = Message::from_envelope(error.into_envelope(), self.agent.cluster());
      PostError::Closed(Box::new(message))
    })
  }

  /// The next message, decoded, if one is waiting: `Ok(None)` if none is,
  /// [`Error::PortClosed`] once the partner is gone and all was received.
  pub fn try_recv<T: DeserializeOwned>(&mut self) -> Result<Option<T>, Error> {
    self.try_recv_message()?.map(|mut m| m.value()).transpose()
  }

  /// Waits for the next message and decodes it; `Ok(None)` once the other
  /// end is closed and everything it sent was received.
  pub async fn recv<T: DeserializeOwned>(&mut self) -> Result<Option<T>, Error> {
    self.recv_message().await.map(|mut m| m.value()).transpose()
  }

  /// The next message, undecoded, if one is waiting; see [`Port::try_recv`].
  pub fn try_recv_message(&mut self) -> Result<Option<Message>, Error> {
    match self.next_message() {
      Some(message) => Ok(Some(message)),
      None if self.is_closed() => Err(Error::PortClosed),
      None => Ok(None),
    }
  }

  /// Waits for the next message, undecoded; `None` once the other end is
  /// closed and everything it sent was received.
  pub async fn recv_message(&mut self) -> Option<Message> {
    poll_fn(|cx| self.poll_message(cx)).await
  }

  /// Whether the channel is closed and nothing is left to receive.
  pub fn is_closed(&self) -> bool {
    !self.inner.is_entangled() && self.inner.queued() == 0
  }

  fn next_message(&mut self) -> Option<Message> {
    self.agent.take_ready();
    self.inner.begin_batch(usize::MAX);
    let envelope = self.inner.recv()?;
    Some(Message::from_envelope(envelope, self.agent.cluster()))
  }

  fn poll_message(&mut self, cx: &mut Context) -> Poll<Option<Message>> {
    self.waker.register(cx.waker());
    match self.next_message() {
      Some(message) => Poll::Ready(Some(message)),
      None if self.is_closed() => Poll::Ready(None),
      None => Poll::Pending,
    }
  }
}

/// The messages as a stream, ending when the channel closes.
impl futures::Stream for Port {
  type Item = Message;

  fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Message>> {
    self.get_mut().poll_message(cx)
  }
}

/// Posting as a sink: always ready (port queues are unbounded).
impl<T: Serialize> futures::Sink<T> for Port {
  type Error = PostError;

  fn poll_ready(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<Result<(), PostError>> {
    Poll::Ready(Ok(()))
  }

  fn start_send(self: Pin<&mut Self>, value: T) -> Result<(), PostError> {
    self.post(&value)
  }

  fn poll_flush(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<Result<(), PostError>> {
    Poll::Ready(Ok(()))
  }

  fn poll_close(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<Result<(), PostError>> {
    self.inner.close();
    Poll::Ready(Ok(()))
  }
}

impl std::fmt::Debug for Port {
  fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
    f.debug_struct("Port").field("inner", &self.inner).finish()
  }
}
