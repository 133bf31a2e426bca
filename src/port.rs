//! Ports held by Rust: one end of a channel whose other end is a JS
//! `MessagePort`.
//!
//! A Rust [`Port`] has an agent of its own in the runtime's cluster, so
//! deliveries wake the task waiting in [`Port::recv_raw`], on any thread. While
//! it exists it counts as busy: the runtime's event loop does not finish while
//! Rust may still post. Dropping it closes the channel (the JS end gets
//! `close`).

use std::future::poll_fn;
use std::sync::Arc;
use std::task::Poll;

use entangle_messaging::Agent;
use entangle_messaging::Cluster;
use entangle_messaging::Envelope;
use entangle_web::serialize::Payload;
use futures::task::AtomicWaker;

/// One end of a channel, held by Rust. `Send`: it can live on any thread.
pub struct Port {
  inner: entangle_messaging::Port<Payload>,
  agent: Agent,
  waker: Arc<AtomicWaker>,
}

/// A message the JS end could not be sent (it is closed); the bytes are
/// handed back.
#[derive(Debug, thiserror::Error)]
#[error("the port is not entangled: the message was not sent")]
pub struct PostError {
  pub bytes: Vec<u8>,
}

impl Port {
  pub(crate) fn adopt(inner: entangle_messaging::Port<Payload>, cluster: &Cluster) -> Port {
    let waker = Arc::new(AtomicWaker::new());
    let wake = waker.clone();
    let agent = Agent::new(cluster, move || wake.wake());
    inner.adopt(&agent);
    inner.start();
    Port {
      inner,
      agent,
      waker,
    }
  }

  /// Posts one message given as V8 structured-serialization wire bytes
  /// (what `ValueSerializer` writes). Bytes the JS side cannot deserialize
  /// fire `messageerror` at its port.
  pub fn post_raw(&self, bytes: Vec<u8>) -> Result<(), PostError> {
    let payload = Payload {
      bytes,
      buffers: Vec::new(),
      shared: Vec::new(),
    };
    self
      .inner
      .post(Envelope::new(payload, Vec::new()))
      .map_err(|error| PostError {
        bytes: error.into_envelope().payload.bytes,
      })
  }

  /// The next message's wire bytes, if one is waiting. (Ports and buffers
  /// transferred with it are not supported here yet: they are dropped,
  /// which closes such ports.)
  pub fn try_recv_raw(&mut self) -> Option<Vec<u8>> {
    self.agent.take_ready();
    self.inner.begin_batch(usize::MAX);
    self.inner.recv().map(|envelope| envelope.payload.bytes)
  }

  /// Waits for the next message; `None` once the JS end is closed and
  /// nothing is left.
  pub async fn recv_raw(&mut self) -> Option<Vec<u8>> {
    poll_fn(|cx| {
      self.waker.register(cx.waker());
      if let Some(bytes) = self.try_recv_raw() {
        return Poll::Ready(Some(bytes));
      }
      if !self.inner.is_entangled() && self.inner.queued() == 0 {
        return Poll::Ready(None);
      }
      Poll::Pending
    })
    .await
  }
}

impl std::fmt::Debug for Port {
  fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
    f.debug_struct("Port").field("inner", &self.inner).finish()
  }
}
