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
use std::collections::VecDeque;
use std::fmt;
use std::sync::atomic::AtomicU64;
use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::sync::Mutex;
use std::sync::MutexGuard;
use std::sync::Weak;

use crate::Agent;
use crate::Endpoint;
use crate::Envelope;
use crate::PortId;

/// The open channels of one name, in the order they were opened.
type Group<P> = Vec<Weak<Member<P>>>;

/// The open channels of one cluster, by name, each group in the order the
/// channels were opened. Kept by the [`AgentCluster`](crate::AgentCluster),
/// one per payload type.
pub(crate) struct Registry<P> {
  names: Mutex<HashMap<Arc<str>, Group<P>>>,
  /// Numbers the posts, so that an agent with several channels can deliver
  /// their messages in the order they were posted.
  posts: AtomicU64,
}

impl<P> Default for Registry<P> {
  fn default() -> Self {
    Registry {
      names: Mutex::default(),
      posts: AtomicU64::new(0),
    }
  }
}

impl<P> Registry<P> {
  fn lock(&self) -> MutexGuard<'_, HashMap<Arc<str>, Group<P>>> {
    self.names.lock().unwrap_or_else(|e| e.into_inner())
  }
}

/// One open channel's inbox, and the number of the post of each message in
/// it (the two change together, under the `posts` lock).
struct Member<P> {
  inbox: Endpoint<P>,
  posts: Mutex<VecDeque<u64>>,
}

impl<P> Member<P> {
  fn lock(&self) -> MutexGuard<'_, VecDeque<u64>> {
    self.posts.lock().unwrap_or_else(|e| e.into_inner())
  }

  fn push(&self, post: u64, payload: P) {
    let mut posts = self.lock();
    posts.push_back(post);
    self.inbox.push(Envelope::new(payload, Vec::new()));
  }
}

/// One open channel of a name: posts reach every other open channel of the
/// name in the cluster, and theirs arrive here. Dropping it closes the
/// channel.
pub struct Subscription<P: Send + 'static> {
  member: Arc<Member<P>>,
  name: Arc<str>,
  registry: Arc<Registry<P>>,
}

impl<P: Send + 'static> Subscription<P> {
  /// Opens a channel named `name` whose messages `agent` receives, in the
  /// agent's cluster (HTML `new BroadcastChannel(name)`).
  pub fn join(agent: &Agent, name: &str) -> Subscription<P> {
    let registry = agent.cluster().broadcast_registry::<P>();
    let member = Arc::new(Member {
      inbox: Endpoint::inbox(agent),
      posts: Mutex::default(),
    });
    let name: Arc<str> = Arc::from(name);
    registry
      .lock()
      .entry(name.clone())
      .or_default()
      .push(Arc::downgrade(&member));
    Subscription {
      member,
      name,
      registry,
    }
  }

  /// The channel's id: what the agent's ready list holds for it.
  pub fn id(&self) -> PortId {
    self.member.inbox.id()
  }

  /// The channel's name.
  pub fn name(&self) -> &str {
    &self.name
  }

  /// Begins delivering: takes the channel off its agent's ready list and
  /// returns how many messages wait (see [`Endpoint::begin_batch`]).
  pub fn begin_batch(&self) -> usize {
    self.member.inbox.begin_batch(usize::MAX)
  }

  /// Puts the channel back on its agent's ready list if messages wait: for
  /// a loop that stopped delivering before the end.
  pub fn reschedule(&self) {
    self.member.inbox.begin_batch(0);
  }

  /// Takes the next message.
  pub fn recv(&self) -> Option<Envelope<P>> {
    let mut posts = self.member.lock();
    let envelope = self.member.inbox.recv()?;
    posts.pop_front();
    Some(envelope)
  }

  /// The number of the post of the next message, if one waits: of several
  /// channels, the one with the lowest number has the message posted first.
  pub fn next_post(&self) -> Option<u64> {
    self.member.lock().front().copied()
  }

  /// Number of messages waiting.
  pub fn queued(&self) -> usize {
    self.member.lock().len()
  }

  /// The other open channels of the name, in the order they were opened,
  /// and the number of this post.
  fn others(&self) -> (u64, Vec<Arc<Member<P>>>) {
    let names = self.registry.lock();
    let post = self.registry.posts.fetch_add(1, Ordering::Relaxed);
    let others = names
      .get(&self.name)
      .into_iter()
      .flatten()
      .filter_map(Weak::upgrade)
      .filter(|other| !Arc::ptr_eq(other, &self.member))
      .collect();
    (post, others)
  }

  /// Queues a payload made by `clone` at every other open channel of the
  /// name, in the order they were opened; returns how many got one. Never
  /// at this channel itself (HTML: the source is removed from the
  /// destinations).
  pub fn post_with(&self, mut clone: impl FnMut() -> P) -> usize {
    let (post, others) = self.others();
    for other in &others {
      other.push(post, clone());
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
    names.get(&self.name).is_some_and(|group| {
      group
        .iter()
        .any(|other| !std::ptr::eq(other.as_ptr(), Arc::as_ptr(&self.member)))
    })
  }
}

impl<P: Send + 'static> Drop for Subscription<P> {
  fn drop(&mut self) {
    let mut names = self.registry.lock();
    if let Some(group) = names.get_mut(&self.name) {
      group.retain(|other| !std::ptr::eq(other.as_ptr(), Arc::as_ptr(&self.member)));
      if group.is_empty() {
        names.remove(&self.name);
      }
    }
    // The member goes next (a post holding it for a moment drops it after),
    // and what was queued for it with it.
  }
}

impl<P: Send + 'static> fmt::Debug for Subscription<P> {
  fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
    f.debug_struct("Subscription")
      .field("name", &self.name)
      .field("inbox", &self.member.inbox)
      .finish()
  }
}
