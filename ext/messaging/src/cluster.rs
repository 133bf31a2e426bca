//! Clusters: when can a group of event loops stop?
//!
//! A cluster is the set of agents that can message each other: a main
//! runtime and its workers. Each agent is *busy* or *idle*; an agent is idle
//! when its event loop has nothing left to run (no timers, no pending ops,
//! nothing to deliver). An idle agent only becomes busy again when another
//! agent posts to one of its ports, and that marks it busy synchronously,
//! inside the sender's `post`, while the sender is still busy. So when the
//! busy count reaches zero, no JavaScript can ever run again in the cluster:
//! it is *quiescent*, and the process may exit even if ports are entangled.

use std::sync::atomic::AtomicUsize;
use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::sync::Mutex;
use std::task::Waker;

/// A group of agents that can message each other. Cheap to clone.
#[derive(Clone, Default)]
pub struct Cluster {
  shared: Arc<Shared>,
}

#[derive(Default)]
struct Shared {
  busy: AtomicUsize,
  /// The loop to wake when the cluster becomes quiescent: the root loop,
  /// which decides when the process is done. (Workers wait for messages.)
  watcher: Mutex<Option<Waker>>,
}

impl Cluster {
  pub fn new() -> Self {
    Self::default()
  }

  /// Whether no agent of the cluster is busy.
  pub fn is_quiescent(&self) -> bool {
    self.shared.busy.load(Ordering::SeqCst) == 0
  }

  /// Wakes `waker` when the cluster becomes quiescent. There is one
  /// watcher: a new one replaces the last.
  pub fn watch(&self, waker: &Waker) {
    let mut watcher = self.shared.watcher.lock().unwrap();
    match watcher.as_ref() {
      Some(current) if current.will_wake(waker) => {}
      _ => *watcher = Some(waker.clone()),
    }
    drop(watcher);
    if self.is_quiescent() {
      waker.wake_by_ref();
    }
  }

  /// Counts as one busy agent until dropped: an agent that is being
  /// created (a worker thread starting) keeps the cluster from quiescence.
  pub fn hold(&self) -> Hold {
    self.enter();
    Hold {
      cluster: self.clone(),
    }
  }

  pub(crate) fn enter(&self) {
    self.shared.busy.fetch_add(1, Ordering::SeqCst);
  }

  pub(crate) fn leave(&self) {
    if self.shared.busy.fetch_sub(1, Ordering::SeqCst) == 1 {
      if let Some(waker) = self.shared.watcher.lock().unwrap().take() {
        waker.wake();
      }
    }
  }
}

impl std::fmt::Debug for Cluster {
  fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
    f.debug_struct("Cluster")
      .field("busy", &self.shared.busy.load(Ordering::SeqCst))
      .finish()
  }
}

/// A busy agent-to-be; see [`Cluster::hold`].
#[must_use = "the hold ends when dropped"]
pub struct Hold {
  cluster: Cluster,
}

impl Drop for Hold {
  fn drop(&mut self) {
    self.cluster.leave();
  }
}
