//! Agents: the event loops that ports deliver to.
//!
//! An agent is what HTML calls the port's "relevant global object"'s event
//! loop, reduced to what messaging needs: a list of ports that have something
//! to deliver, and a hook to wake the loop when that list stops being empty.

use std::fmt;
use std::sync::atomic::AtomicBool;
use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::sync::Mutex;

use crate::AgentCluster;
use crate::PortId;

/// Wakes an agent's event loop. Called at most once per batch: when a port is
/// added to an empty ready list.
pub trait Wake: Send + Sync + 'static {
  fn wake(&self);
}

impl<F: Fn() + Send + Sync + 'static> Wake for F {
  fn wake(&self) {
    self()
  }
}

/// A handle to one event loop's ready list. Cheap to clone; `Send + Sync`, so
/// ports on any thread can schedule deliveries on it.
#[derive(Clone)]
pub struct Agent {
  shared: Arc<Shared>,
}

struct Shared {
  state: Mutex<State>,
  /// Whether the ready list is not empty, readable without the lock: what
  /// a loop about to park spins on.
  has_ready: AtomicBool,
  waker: Box<dyn Wake>,
  cluster: AgentCluster,
  /// Whether a JavaScript isolate receives what this agent's ports get
  /// (not a Rust port): only an isolate can take a `WebAssembly.Module`.
  has_isolate: bool,
}

/// The ready list and the busy flag change together, under one lock, so
/// that an agent never counts as idle while a delivery to it is pending.
struct State {
  ready: Vec<PortId>,
  /// Whether this agent counts as busy in its cluster.
  busy: bool,
  /// Whether the agent's loop is delivering now: it takes newly ready ports
  /// itself, so scheduling needs no wake-up.
  draining: bool,
}

impl Agent {
  /// Identifies this agent (all its clones) among others.
  pub(crate) fn key(&self) -> usize {
    Arc::as_ptr(&self.shared) as usize
  }

  /// Creates the agent of a JavaScript isolate in `cluster`, whose loop is
  /// woken by `waker`. It starts busy: its loop has a script to run.
  pub fn new(cluster: &AgentCluster, waker: impl Wake) -> Self {
    Agent::with_isolate(cluster, waker, true)
  }

  /// Creates an agent for Rust code in `cluster` (a Rust-held port): like
  /// [`Agent::new`], but no isolate receives its messages.
  pub fn without_isolate(cluster: &AgentCluster, waker: impl Wake) -> Self {
    Agent::with_isolate(cluster, waker, false)
  }

  fn with_isolate(cluster: &AgentCluster, waker: impl Wake, has_isolate: bool) -> Self {
    cluster.enter();
    Agent {
      shared: Arc::new(Shared {
        state: Mutex::new(State {
          ready: Vec::new(),
          busy: true,
          draining: false,
        }),
        has_ready: AtomicBool::new(false),
        waker: Box::new(waker),
        cluster: cluster.clone(),
        has_isolate,
      }),
    }
  }

  /// Whether a JavaScript isolate receives this agent's messages.
  pub fn has_isolate(&self) -> bool {
    self.shared.has_isolate
  }

  /// The cluster this agent belongs to.
  pub fn cluster(&self) -> &AgentCluster {
    &self.shared.cluster
  }

  /// The agent's loop has nothing left to run. It stays idle until a port
  /// of its gets something to deliver (or [`Agent::set_busy`]). Returns
  /// `false`, staying busy, if deliveries are already waiting.
  pub fn set_idle(&self) -> bool {
    let mut state = self.lock();
    if !state.ready.is_empty() {
      return false;
    }
    if state.busy {
      state.busy = false;
      self.shared.cluster.leave();
    }
    true
  }

  /// The agent's loop has work again (a timer, a new script).
  pub fn set_busy(&self) {
    let mut state = self.lock();
    if !state.busy {
      state.busy = true;
      self.shared.cluster.enter();
    }
  }

  fn lock(&self) -> std::sync::MutexGuard<'_, State> {
    self.shared.state.lock().unwrap_or_else(|e| e.into_inner())
  }

  /// Takes the ports that have something to deliver, in the order they
  /// became ready. Each id appears once per batch.
  pub fn take_ready(&self) -> Vec<PortId> {
    let mut state = self.lock();
    self.shared.has_ready.store(false, Ordering::Release);
    std::mem::take(&mut state.ready)
  }

  /// Whether ports have something to deliver: a cheap check, without the
  /// lock, for a loop deciding whether to deliver now.
  pub fn has_ready(&self) -> bool {
    self.shared.has_ready.load(Ordering::Acquire)
  }

  /// Like [`Agent::take_ready`], for a loop that keeps delivering until
  /// nothing is ready: until it gets an empty list, ports that become ready
  /// (say, because a handler posted to a port of this agent) are left for it
  /// to take, without waking the loop again.
  pub fn take_ready_draining(&self) -> Vec<PortId> {
    let mut state = self.lock();
    state.draining = !state.ready.is_empty();
    self.shared.has_ready.store(false, Ordering::Release);
    std::mem::take(&mut state.ready)
  }

  /// The draining loop stopped (its budget ran out, or it failed): if ports
  /// are still ready, the loop is woken to deliver them later.
  pub fn end_drain(&self) {
    let wake = {
      let mut state = self.lock();
      let was_draining = std::mem::take(&mut state.draining);
      was_draining && !state.ready.is_empty()
    };
    if wake {
      self.shared.waker.wake();
    }
  }

  /// Whether both handles refer to the same agent.
  pub fn same(&self, other: &Agent) -> bool {
    Arc::ptr_eq(&self.shared, &other.shared)
  }

  /// Adds `port` to the ready list; wakes the loop if the list was empty.
  pub(crate) fn schedule(&self, port: PortId) {
    let was_empty = {
      let mut state = self.lock();
      // Busy at once: the sender is busy now, so the cluster cannot be
      // seen quiescent while this delivery is pending.
      if !state.busy {
        state.busy = true;
        self.shared.cluster.enter();
      }
      state.ready.push(port);
      self.shared.has_ready.store(true, Ordering::Release);
      state.ready.len() == 1 && !state.draining
    };
    if was_empty {
      self.shared.waker.wake();
    }
  }
}

impl Drop for Shared {
  fn drop(&mut self) {
    let state = self.state.get_mut().unwrap_or_else(|e| e.into_inner());
    if state.busy {
      self.cluster.leave();
    }
  }
}

impl fmt::Debug for Agent {
  fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
    let state = self.lock();
    f.debug_struct("Agent")
      .field("ready", &state.ready)
      .field("draining", &state.draining)
      .field("busy", &state.busy)
      .finish()
  }
}
