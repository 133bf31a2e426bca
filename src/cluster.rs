//! [`Cluster`]: the public face of a group of runtimes that can message
//! each other (`entangle_messaging`'s [`AgentCluster`] underneath).

use entangle_messaging::AgentCluster;

/// A group of runtimes that can message each other: a runtime and its
/// workers, plus the runtimes built to join it ([`RuntimeBuilder::cluster`](crate::RuntimeBuilder::cluster)).
/// Cheap to clone, `Send` and `Sync`.
#[derive(Clone, Debug, Default)]
pub struct Cluster(pub(crate) AgentCluster);

impl Cluster {
  /// A new, empty cluster.
  pub fn new() -> Self {
    Self::default()
  }
}
