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

use std::any::Any;
use std::any::TypeId;
use std::collections::HashMap;
use std::sync::atomic::AtomicUsize;
use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::sync::Mutex;
use std::task::Waker;

use crate::broadcast::Registry;
use crate::Agent;

/// A group of agents that can message each other. Cheap to clone.
#[derive(Clone, Default)]
pub struct AgentCluster {
  shared: Arc<Shared>,
}

#[derive(Default)]
struct Shared {
  busy: AtomicUsize,
  /// The loops to wake when the cluster becomes quiescent, one per root
  /// agent (a runtime that is not a worker decides when it is done; workers
  /// wait for messages). Keyed by agent, so a loop polled again replaces its
  /// waker instead of adding one.
  watchers: Mutex<Vec<(usize, Waker)>>,
  /// The open broadcast channels, one registry per payload type.
  channels: Mutex<HashMap<TypeId, Arc<dyn Any + Send + Sync>>>,
}

impl AgentCluster {
  pub fn new() -> Self {
    Self::default()
  }

  /// Whether `self` and `other` are the same cluster.
  pub fn same_as(&self, other: &AgentCluster) -> bool {
    Arc::ptr_eq(&self.shared, &other.shared)
  }

  /// How many agents of the cluster are busy now (and holds, see
  /// [`AgentCluster::hold`]): a busy agent may post at any moment.
  pub fn busy_count(&self) -> usize {
    self.shared.busy.load(Ordering::SeqCst)
  }

  /// Whether no agent of the cluster is busy.
  pub fn is_quiescent(&self) -> bool {
    self.shared.busy.load(Ordering::SeqCst) == 0
  }

  /// Wakes `waker` when the cluster becomes quiescent. Each agent has one
  /// watcher: a new one replaces its last.
  pub fn watch(&self, agent: &Agent, waker: &Waker) {
    let key = agent.key();
    let mut watchers = self.shared.watchers.lock().unwrap();
    match watchers.iter_mut().find(|(k, _)| *k == key) {
      Some((_, current)) if current.will_wake(waker) => {}
      Some((_, current)) => *current = waker.clone(),
      None => watchers.push((key, waker.clone())),
    }
    drop(watchers);
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

  /// The cluster's broadcast channels carrying payloads of type `P`.
  pub(crate) fn broadcast_registry<P: Send + 'static>(&self) -> Arc<Registry<P>> {
    let mut channels = self
      .shared
      .channels
      .lock()
      .unwrap_or_else(|e| e.into_inner());
    let registry = channels
      .entry(TypeId::of::<P>())
      .or_insert_with(|| Arc::new(Registry::<P>::default()));
    match registry.clone().downcast::<Registry<P>>() {
      Ok(registry) => registry,
      Err(_) => unreachable!("the registry of a type is made for that type"),
    }
  }

  pub(crate) fn enter(&self) {
    self.shared.busy.fetch_add(1, Ordering::SeqCst);
  }

  pub(crate) fn leave(&self) {
    if self.shared.busy.fetch_sub(1, Ordering::SeqCst) == 1 {
      let watchers = std::mem::take(&mut *self.shared.watchers.lock().unwrap());
      for (_, waker) in watchers {
        waker.wake();
      }
    }
  }
}

impl std::fmt::Debug for AgentCluster {
  fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
    f.debug_struct("AgentCluster")
      .field("busy", &self.shared.busy.load(Ordering::SeqCst))
      .finish()
  }
}

/// A busy agent-to-be; see [`AgentCluster::hold`].
#[must_use = "the hold ends when dropped"]
pub struct Hold {
  cluster: AgentCluster,
}

impl Drop for Hold {
  fn drop(&mut self) {
    self.cluster.leave();
  }
}
