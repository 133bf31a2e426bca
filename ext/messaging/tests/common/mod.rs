//! What the tests of ports and of broadcast channels share.

use std::sync::atomic::AtomicUsize;
use std::sync::atomic::Ordering;
use std::sync::Arc;

use entangle_messaging::Agent;
use entangle_messaging::AgentCluster;

/// An agent of `cluster` whose wake-ups are counted.
pub fn counting_agent(cluster: &AgentCluster) -> (Agent, Arc<AtomicUsize>) {
  let wakes = Arc::new(AtomicUsize::new(0));
  let counter = wakes.clone();
  let agent = Agent::new(cluster, move || {
    counter.fetch_add(1, Ordering::SeqCst);
  });
  (agent, wakes)
}
