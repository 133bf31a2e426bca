//! Broadcast channels joined from Rust: a participant in a cluster's
//! `BroadcastChannel`s of one name.
//!
//! A [`BroadcastChannel`] hears what every JS `BroadcastChannel` of its
//! name in the cluster posts (main isolate, workers, other runtimes built
//! with [`RuntimeBuilder::cluster`](crate::RuntimeBuilder::cluster)), and
//! what it posts reaches all of them. Like a [`Port`](crate::Port), it has
//! an agent of its own, woken on any thread when messages arrive, and while
//! it exists it counts as busy: the cluster's event loops keep running, and
//! JS channels of its name with a listener keep waiting for it. Dropping it
//! closes it.

use std::future::poll_fn;
use std::sync::Arc;
use std::task::Context;
use std::task::Poll;

use entangle_messaging::Agent;
use entangle_messaging::AgentCluster;
use entangle_messaging::Subscription;
use entangle_web::serialize::Payload;
use futures::task::AtomicWaker;
use serde::de::DeserializeOwned;
use serde::Serialize;

use crate::buffer;
use crate::ArrayBuffer;
use crate::Error;
use crate::Message;
use crate::PostError;

/// One open broadcast channel, held by Rust. `Send`: it can move to any
/// thread.
pub struct BroadcastChannel {
  inner: Subscription<Payload>,
  agent: Agent,
  waker: Arc<AtomicWaker>,
}

impl BroadcastChannel {
  pub(crate) fn join(cluster: &AgentCluster, name: &str) -> BroadcastChannel {
    let waker = Arc::new(AtomicWaker::new());
    let wake = waker.clone();
    let agent = Agent::without_isolate(cluster, move || wake.wake());
    let inner = Subscription::join(&agent, name);
    BroadcastChannel {
      inner,
      agent,
      waker,
    }
  }

  /// The channel's name.
  pub fn name(&self) -> &str {
    self.inner.name()
  }

  /// Posts `value` to every other open channel of the name, each getting
  /// its own copy; returns how many did. A broadcast transfers nothing, so
  /// a value holding an [`ArrayBuffer`] is refused, the buffers handed back.
  pub fn post<T: Serialize + ?Sized>(&self, value: &T) -> Result<usize, PostError> {
    let (bytes, stores) = buffer::encode(value)?;
    if !stores.is_empty() {
      return Err(PostError::Serialize {
        reason: "a broadcast message cannot transfer ArrayBuffers".into(),
        buffers: stores.into_iter().map(ArrayBuffer::from_store).collect(),
      });
    }
    Ok(self.post_bytes(bytes))
  }

  /// Posts raw wire bytes (see [`Message::from_bytes`]); returns how many
  /// channels got a copy.
  pub fn post_bytes(&self, bytes: Vec<u8>) -> usize {
    self.inner.post_with(|| Payload::from_bytes(bytes.clone()))
  }

  /// The next message, decoded, if one is waiting.
  pub fn try_recv<T: DeserializeOwned>(&mut self) -> Result<Option<T>, Error> {
    self.next_message().map(|mut m| m.value()).transpose()
  }

  /// Waits for the next message and decodes it.
  pub async fn recv<T: DeserializeOwned>(&mut self) -> Result<T, Error> {
    self.recv_message().await.value()
  }

  /// Waits for the next message, undecoded.
  pub async fn recv_message(&mut self) -> Message {
    poll_fn(|cx| self.poll_message(cx)).await
  }

  fn next_message(&mut self) -> Option<Message> {
    self.agent.take_ready();
    self.inner.begin_batch();
    let envelope = self.inner.recv()?;
    Some(Message::from_envelope(envelope, self.agent.cluster()))
  }

  fn poll_message(&mut self, cx: &mut Context) -> Poll<Message> {
    self.waker.register(cx.waker());
    match self.next_message() {
      Some(message) => Poll::Ready(message),
      None => Poll::Pending,
    }
  }
}

impl std::fmt::Debug for BroadcastChannel {
  fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
    f.debug_struct("BroadcastChannel")
      .field("inner", &self.inner)
      .finish()
  }
}
