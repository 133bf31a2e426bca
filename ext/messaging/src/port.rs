//! Ports: one end of a channel, its message queue and its entanglement.
//!
//! Spec: <https://html.spec.whatwg.org/multipage/web-messaging.html#message-ports>

use std::collections::VecDeque;
use std::fmt;
use std::sync::atomic::AtomicU32;
use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::sync::Mutex;
use std::sync::MutexGuard;
use std::sync::Weak;

use crate::Agent;

/// Taken by every post that ships ports, so that the check for a cycle of
/// ports holding each other and the shipping itself are one step.
static SHIPPING: Mutex<()> = Mutex::new(());

/// A process-wide unique port number (it survives transfers between agents).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct PortId(u32);

impl PortId {
  fn next() -> PortId {
    static NEXT: AtomicU32 = AtomicU32::new(1);
    PortId(NEXT.fetch_add(1, Ordering::Relaxed))
  }

  pub fn get(self) -> u32 {
    self.0
  }
}

impl From<u32> for PortId {
  fn from(id: u32) -> Self {
    PortId(id)
  }
}

impl fmt::Display for PortId {
  fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
    write!(f, "port#{}", self.0)
  }
}

/// One message in a port message queue: the payload and the ports that were
/// transferred with it, in transfer-list order. Shipped ports carry their own
/// queued messages along.
pub struct Envelope<P> {
  pub payload: P,
  pub ports: Vec<Endpoint<P>>,
}

impl<P> Envelope<P> {
  /// Wraps `payload`, shipping `ports` with it: each leaves its agent and its
  /// queue is disabled until the receiver adopts and starts it.
  pub fn new(payload: P, ports: Vec<Endpoint<P>>) -> Self {
    for port in &ports {
      port.ship();
    }
    Envelope { payload, ports }
  }
}

impl<P> fmt::Debug for Envelope<P> {
  fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
    f.debug_struct("Envelope")
      .field("ports", &self.ports)
      .finish_non_exhaustive()
  }
}

/// Why a message could not be posted; the envelope is handed back.
#[derive(Debug, thiserror::Error)]
pub enum Undelivered<P> {
  /// The port is not entangled (it or its partner was closed).
  #[error("the port is not entangled")]
  Disentangled(Envelope<P>),
}

impl<P> Undelivered<P> {
  /// The envelope that was not sent.
  pub fn into_envelope(self) -> Envelope<P> {
    match self {
      Undelivered::Disentangled(envelope) => envelope,
    }
  }
}

/// The owning handle of one end of a channel. Dropping it disentangles the
/// port, as `close()` does.
pub struct Endpoint<P> {
  shared: Arc<Shared<P>>,
}

struct Shared<P> {
  id: PortId,
  state: Mutex<State<P>>,
}

struct State<P> {
  /// HTML's "port message queue".
  queue: VecDeque<Envelope<P>>,
  /// Whether the port message queue is enabled (`start()` was called).
  enabled: bool,
  /// The entangled port, if any.
  partner: Option<Weak<Shared<P>>>,
  /// The agent that receives this port's deliveries; `None` while shipped.
  owner: Option<Agent>,
  /// Whether this port is on its owner's ready list.
  scheduled: bool,
  /// The partner disentangled: a `close` event is owed to this port.
  close_pending: bool,
  /// The port whose queue holds this one, shipped in a message. Only the
  /// agent of the topmost holder can ever take it out again.
  held_by: Option<Weak<Shared<P>>>,
}

impl<P> State<P> {
  fn has_delivery(&self) -> bool {
    (self.enabled && !self.queue.is_empty()) || self.close_pending
  }

  /// Keeps the port scheduled when `more` is left to deliver after a
  /// batch; returns the agent to notify (after the lock is dropped).
  fn reschedule_if(&mut self, more: bool) -> Option<Agent> {
    if !more {
      return None;
    }
    self.scheduled = true;
    self.owner.clone()
  }

  /// Marks the port scheduled if it has something to deliver and is not on a
  /// ready list yet; returns the agent to notify (after the lock is dropped).
  fn needs_schedule(&mut self) -> Option<Agent> {
    if self.scheduled || !self.has_delivery() {
      return None;
    }
    let owner = self.owner.clone()?;
    self.scheduled = true;
    Some(owner)
  }
}

impl<P> Endpoint<P> {
  /// Creates two entangled ports owned by `owner` (HTML's `new MessageChannel()`).
  pub fn entangled_pair(owner: &Agent) -> (Endpoint<P>, Endpoint<P>) {
    let a = Endpoint::new(owner.clone());
    let b = Endpoint::new(owner.clone());
    a.lock().partner = Some(Arc::downgrade(&b.shared));
    b.lock().partner = Some(Arc::downgrade(&a.shared));
    (a, b)
  }

  /// A port with no partner whose queue is enabled from the start: a
  /// broadcast channel's inbox, fed through [`Endpoint::push`].
  pub(crate) fn inbox(owner: &Agent) -> Endpoint<P> {
    let inbox = Endpoint::new(owner.clone());
    inbox.lock().enabled = true;
    inbox
  }

  /// Queues `envelope` here, as a post from a partner would.
  pub(crate) fn push(&self, envelope: Envelope<P>) {
    self.shared.enqueue(envelope);
  }

  fn new(owner: Agent) -> Endpoint<P> {
    Endpoint {
      shared: Arc::new(Shared {
        id: PortId::next(),
        state: Mutex::new(State {
          queue: VecDeque::new(),
          enabled: false,
          partner: None,
          owner: Some(owner),
          scheduled: false,
          close_pending: false,
          held_by: None,
        }),
      }),
    }
  }

  pub fn id(&self) -> PortId {
    self.shared.id
  }

  fn lock(&self) -> MutexGuard<'_, State<P>> {
    self.shared.lock()
  }

  /// Whether the port is entangled with a live partner.
  pub fn is_entangled(&self) -> bool {
    self.partner().is_some()
  }

  fn partner(&self) -> Option<Arc<Shared<P>>> {
    self.lock().partner.as_ref().and_then(Weak::upgrade)
  }

  /// Whether what is posted here goes to a JavaScript isolate: `false` when
  /// the partner is held by Rust code ([`Agent::without_isolate`]), `true`
  /// otherwise (also while the partner is in flight or gone).
  pub fn partner_has_isolate(&self) -> bool {
    let Some(partner) = self.partner() else {
      return true;
    };
    let owner = partner.lock().owner.clone();
    owner.is_none_or(|agent| agent.has_isolate())
  }

  /// Whether `self`'s partner is `port` (HTML's "target port").
  pub fn is_entangled_with(&self, port: PortId) -> bool {
    self.partner().is_some_and(|p| p.id == port)
  }

  /// Posts `envelope` to the entangled port's queue.
  ///
  /// If the envelope ships the partner itself, the message is "doomed": it is
  /// dropped silently, and with it the partner, so the channel is lost (HTML
  /// "message port post message steps", step 3).
  ///
  /// The same goes for a partner held, through any chain of queued
  /// messages, by a port the envelope ships: the message would close a
  /// cycle of ports that only hold each other, which no agent can reach
  /// again. A browser's garbage collector would collect such ports and
  /// disentangle them (HTML "ports and garbage collection", and the `close`
  /// event); here they are dropped at once, so nothing leaks.
  pub fn post(&self, envelope: Envelope<P>) -> Result<(), Undelivered<P>> {
    let Some(partner) = self.partner() else {
      return Err(Undelivered::Disentangled(envelope));
    };
    if envelope.ports.is_empty() {
      partner.enqueue(envelope);
      return Ok(());
    }
    // Two posts at once could each close half of a cycle unseen.
    let shipping = SHIPPING.lock().unwrap_or_else(|e| e.into_inner());
    if partner.is_held_by_any(&envelope.ports) {
      drop(shipping);
      drop(partner);
      drop(envelope);
      return Ok(());
    }
    for port in &envelope.ports {
      port.lock().held_by = Some(Arc::downgrade(&partner));
    }
    drop(shipping);
    partner.enqueue(envelope);
    Ok(())
  }

  /// Enables the port message queue (HTML `start()`).
  pub fn start(&self) {
    let agent = {
      let mut state = self.lock();
      state.enabled = true;
      state.needs_schedule()
    };
    if let Some(agent) = agent {
      agent.schedule(self.id());
    }
  }

  /// Begins delivering a batch of at most `max` messages: takes the port off
  /// the ready list and returns how many to deliver now. Messages that
  /// arrive later schedule the port again, and so does a queue longer than
  /// `max`: a handler that posts to its own port, or a flood from another
  /// thread, cannot starve the event loop.
  pub fn begin_batch(&self, max: usize) -> usize {
    let (count, agent) = {
      let mut state = self.lock();
      state.scheduled = false;
      if !state.enabled {
        return 0;
      }
      let queued = state.queue.len();
      (queued.min(max), state.reschedule_if(queued > max))
    };
    if let Some(agent) = agent {
      agent.schedule(self.id());
    }
    count
  }

  /// Takes a batch of messages to deliver from an enabled queue, into
  /// `out`: up to `max` messages that ship no ports, or else the one at the
  /// head, which does (its ports belong to the caller now). `fits` is shown
  /// each payload in turn (it may count them) and the batch ends before the
  /// first it refuses, though never empty. Like [`Endpoint::begin_batch`],
  /// takes the port off the ready list; what stays queued schedules it
  /// again.
  ///
  /// Taking messages ahead of delivering them is safe because what was not
  /// delivered can go back with [`Endpoint::requeue`] before the port is
  /// shipped: a shipped port carries its whole queue.
  pub fn recv_batch(
    &self,
    max: usize,
    mut fits: impl FnMut(&P) -> bool,
    out: &mut Vec<Envelope<P>>,
  ) {
    let agent = {
      let mut state = self.lock();
      state.scheduled = false;
      if !state.enabled {
        return;
      }
      while out.len() < max {
        let Some(head) = state.queue.front() else {
          break;
        };
        let ships_ports = !head.ports.is_empty();
        if ships_ports && !out.is_empty() {
          break;
        }
        // Shown to `fits` even when first, so that it counts it.
        if !fits(&head.payload) && !out.is_empty() {
          break;
        }
        out.extend(state.queue.pop_front());
        if ships_ports {
          break;
        }
      }
      let more = !state.queue.is_empty();
      state.reschedule_if(more)
    };
    for envelope in out.iter() {
      for port in &envelope.ports {
        port.lock().held_by = None;
      }
    }
    if let Some(agent) = agent {
      agent.schedule(self.id());
    }
  }

  /// Puts messages taken by [`Endpoint::recv_batch`] and not delivered back
  /// at the head of the queue, in their order, and schedules the port.
  pub fn requeue(&self, envelopes: Vec<Envelope<P>>) {
    for envelope in &envelopes {
      for port in &envelope.ports {
        port.lock().held_by = Some(Arc::downgrade(&self.shared));
      }
    }
    let agent = {
      let mut state = self.lock();
      for envelope in envelopes.into_iter().rev() {
        state.queue.push_front(envelope);
      }
      state.needs_schedule()
    };
    if let Some(agent) = agent {
      agent.schedule(self.id());
    }
  }

  /// Takes the next message from an enabled queue. The ports it ships
  /// belong to the caller now.
  pub fn recv(&self) -> Option<Envelope<P>> {
    let envelope = {
      let mut state = self.lock();
      if !state.enabled {
        return None;
      }
      state.queue.pop_front()?
    };
    for port in &envelope.ports {
      port.lock().held_by = None;
    }
    Some(envelope)
  }

  /// Number of messages waiting in the queue.
  pub fn queued(&self) -> usize {
    self.lock().queue.len()
  }

  /// Whether a `close` event is owed to this port; clears the flag.
  pub fn take_close_event(&self) -> bool {
    std::mem::take(&mut self.lock().close_pending)
  }

  /// Disentangles the port (HTML "disentangle"): the partner is told through
  /// a `close` event on its agent. Messages still queued here are dropped.
  pub fn close(&self) {
    let (partner, dropped) = {
      let mut state = self.lock();
      (state.partner.take(), std::mem::take(&mut state.queue))
    };
    drop(dropped);
    if let Some(partner) = partner.as_ref().and_then(Weak::upgrade) {
      partner.lose_partner(self.id());
    }
  }

  /// Makes `owner` the port's agent (the receiving side of a transfer).
  /// The queue stays disabled until [`Endpoint::start`].
  pub fn adopt(&self, owner: &Agent) {
    let agent = {
      let mut state = self.lock();
      state.owner = Some(owner.clone());
      state.scheduled = false;
      state.needs_schedule()
    };
    if let Some(agent) = agent {
      agent.schedule(self.id());
    }
  }

  /// Detaches the port from its agent, as a transfer does: its queue is
  /// disabled until another agent adopts and starts it.
  pub fn ship(&self) {
    let mut state = self.lock();
    state.owner = None;
    state.enabled = false;
    state.scheduled = false;
  }
}

impl<P> Shared<P> {
  fn lock(&self) -> MutexGuard<'_, State<P>> {
    // A panic while holding a port lock cannot leave the state half-updated
    // in a way later users could observe, so poisoning is ignored.
    self.state.lock().unwrap_or_else(|e| e.into_inner())
  }

  /// Whether one of `ports` is this port or holds it, however deep down in
  /// queued messages.
  fn is_held_by_any(self: &Arc<Self>, ports: &[Endpoint<P>]) -> bool {
    let mut current = Some(self.clone());
    while let Some(port) = current {
      if ports.iter().any(|p| Arc::ptr_eq(&p.shared, &port)) {
        return true;
      }
      current = port.lock().held_by.as_ref().and_then(Weak::upgrade);
    }
    false
  }

  fn enqueue(&self, envelope: Envelope<P>) {
    let agent = {
      let mut state = self.lock();
      // Most queues never hold more than a message at a time: the first
      // gets room for one, not the four a queue starts with.
      if state.queue.capacity() == 0 {
        state.queue.reserve_exact(1);
      }
      state.queue.push_back(envelope);
      state.needs_schedule()
    };
    if let Some(agent) = agent {
      agent.schedule(self.id);
    }
  }

  fn lose_partner(&self, partner: PortId) {
    let agent = {
      let mut state = self.lock();
      let entangled_with_partner = state
        .partner
        .as_ref()
        .is_some_and(|p| p.upgrade().is_none_or(|p| p.id == partner));
      if !entangled_with_partner {
        return;
      }
      state.partner = None;
      state.close_pending = true;
      state.needs_schedule()
    };
    if let Some(agent) = agent {
      agent.schedule(self.id);
    }
  }
}

impl<P> Drop for Endpoint<P> {
  fn drop(&mut self) {
    self.close();
  }
}

impl<P> fmt::Debug for Endpoint<P> {
  fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
    let state = self.lock();
    f.debug_struct("Endpoint")
      .field("id", &self.shared.id)
      .field("queued", &state.queue.len())
      .field("enabled", &state.enabled)
      .field("entangled", &state.partner.is_some())
      .finish()
  }
}
