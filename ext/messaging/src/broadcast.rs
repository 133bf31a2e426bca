//! Broadcast channels: every open channel of a name hears what any other
//! one of that name posts.
//!
//! A [`Subscription`] is one open channel (HTML's `BroadcastChannel`, or a
//! Rust participant). It owns an inbox: a port with no partner whose queue
//! is always enabled, owned by the subscriber's [`Agent`], so deliveries go
//! through the agent's ready list with one wake-up per batch, exactly as
//! port messages do. The subscriptions of one cluster are grouped by name,
//! in the order they were made; a post puts one clone of the payload in the
//! inbox of every other subscription of the name. Dropping a subscription
//! (closing the channel) takes it out of its name's group and frees what
//! was queued for it.
//!
//! Spec: <https://html.spec.whatwg.org/multipage/web-messaging.html#broadcasting-to-other-browsing-contexts>

use std::collections::HashMap;
use std::fmt;
use std::sync::Arc;
use std::sync::Mutex;
use std::sync::MutexGuard;

use crate::port::WeakEndpoint;
use crate::Agent;
use crate::Endpoint;
use crate::Envelope;
use crate::PortId;

/// The open channels of one cluster, by name, each group in the order the
/// channels were opened. Kept by the [`AgentCluster`](crate::AgentCluster),
/// one per payload type.
pub(crate) struct Registry<P> {
  names: Mutex<HashMap<Arc<str>, Vec<WeakEndpoint<P>>>>,
}

impl<P> Default for Registry<P> {
  fn default() -> Self {
    Registry {
      names: Mutex::default(),
    }
  }
}

impl<P> Registry<P> {
  fn lock(&self) -> MutexGuard<'_, HashMap<Arc<str>, Vec<WeakEndpoint<P>>>> {
    self.names.lock().unwrap_or_else(|e| e.into_inner())
  }
}

/// One open channel of a name: posts reach every other open channel of the
/// name in the cluster, and theirs arrive in [`Subscription::inbox`].
/// Dropping it closes the channel.
pub struct Subscription<P: Send + 'static> {
  inbox: Endpoint<P>,
  name: Arc<str>,
  registry: Arc<Registry<P>>,
}

impl<P: Send + 'static> Subscription<P> {
  /// Opens a channel named `name` whose messages `agent` receives, in the
  /// agent's cluster (HTML `new BroadcastChannel(name)`).
  pub fn join(agent: &Agent, name: &str) -> Subscription<P> {
    let registry = agent.cluster().broadcast_registry::<P>();
    let inbox = Endpoint::inbox(agent);
    let name: Arc<str> = Arc::from(name);
    registry
      .lock()
      .entry(name.clone())
      .or_default()
      .push(inbox.downgrade());
    Subscription {
      inbox,
      name,
      registry,
    }
  }

  /// The channel's id: what the agent's ready list holds for it.
  pub fn id(&self) -> PortId {
    self.inbox.id()
  }

  /// The channel's name.
  pub fn name(&self) -> &str {
    &self.name
  }

  /// Where the messages for this channel wait: receive them with
  /// [`Endpoint::begin_batch`] and [`Endpoint::recv`].
  pub fn inbox(&self) -> &Endpoint<P> {
    &self.inbox
  }

  /// The other open channels of the name, in the order they were opened.
  fn others(&self) -> Vec<WeakEndpoint<P>> {
    let names = self.registry.lock();
    names
      .get(&self.name)
      .into_iter()
      .flatten()
      .filter(|other| !other.is(&self.inbox))
      .cloned()
      .collect()
  }

  /// Queues a payload made by `clone` at every other open channel of the
  /// name, in the order they were opened; returns how many got one. Never
  /// at this channel itself (HTML: the source is removed from the
  /// destinations).
  pub fn post_with(&self, mut clone: impl FnMut() -> P) -> usize {
    let others = self.others();
    for other in &others {
      other.enqueue(Envelope::new(clone(), Vec::new()));
    }
    others.len()
  }

  /// [`Subscription::post_with`] for payloads that clone themselves.
  pub fn post(&self, payload: &P) -> usize
  where
    P: Clone,
  {
    self.post_with(|| payload.clone())
  }

  /// Whether another channel of the name is open in the cluster: only then
  /// can a message still arrive here.
  pub fn has_others(&self) -> bool {
    let names = self.registry.lock();
    names
      .get(&self.name)
      .is_some_and(|group| group.iter().any(|other| !other.is(&self.inbox)))
  }
}

impl<P: Send + 'static> Drop for Subscription<P> {
  fn drop(&mut self) {
    let mut names = self.registry.lock();
    if let Some(group) = names.get_mut(&self.name) {
      group.retain(|other| !other.is(&self.inbox));
      if group.is_empty() {
        names.remove(&self.name);
      }
    }
    // The inbox is dropped next, and what was queued in it with it.
  }
}

impl<P: Send + 'static> fmt::Debug for Subscription<P> {
  fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
    f.debug_struct("Subscription")
      .field("name", &self.name)
      .field("inbox", &self.inbox)
      .finish()
  }
}
