//! Agents: the event loops that ports deliver to.
//!
//! An agent is what HTML calls the port's "relevant global object"'s event
//! loop, reduced to what messaging needs: a list of ports that have something
//! to deliver, and a hook to wake the loop when that list stops being empty.

use std::fmt;
use std::sync::Arc;
use std::sync::Mutex;

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
  ready: Mutex<Vec<PortId>>,
  waker: Box<dyn Wake>,
}

impl Agent {
  /// Creates an agent whose loop is woken by `waker`.
  pub fn new(waker: impl Wake) -> Self {
    Agent {
      shared: Arc::new(Shared {
        ready: Mutex::new(Vec::new()),
        waker: Box::new(waker),
      }),
    }
  }

  /// Takes the ports that have something to deliver, in the order they
  /// became ready. Each id appears once per batch.
  pub fn take_ready(&self) -> Vec<PortId> {
    std::mem::take(&mut *self.shared.ready.lock().unwrap())
  }

  /// Whether both handles refer to the same agent.
  pub fn same(&self, other: &Agent) -> bool {
    Arc::ptr_eq(&self.shared, &other.shared)
  }

  /// Adds `port` to the ready list; wakes the loop if the list was empty.
  pub(crate) fn schedule(&self, port: PortId) {
    let was_empty = {
      let mut ready = self.shared.ready.lock().unwrap();
      ready.push(port);
      ready.len() == 1
    };
    if was_empty {
      self.shared.waker.wake();
    }
  }
}

impl fmt::Debug for Agent {
  fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
    f.debug_struct("Agent")
      .field("ready", &self.shared.ready.lock().unwrap().len())
      .finish()
  }
}
