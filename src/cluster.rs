//! [`Cluster`]: the public face of a group of runtimes that can message
//! each other (`entangle_messaging`'s [`AgentCluster`] underneath) and share
//! their blobs.

use std::sync::Arc;

use entangle_messaging::AgentCluster;

use crate::BroadcastChannel;

/// A group of runtimes that can message each other: a runtime and its
/// workers, plus the runtimes built to join it ([`RuntimeBuilder::cluster`](crate::RuntimeBuilder::cluster)).
/// They also share one blob store: a `blob:` URL made in one of them can be
/// loaded in any other, and a `Blob` posted between them shares its bytes.
/// Cheap to clone, `Send` and `Sync`.
#[derive(Clone, Debug, Default)]
pub struct Cluster {
  pub(crate) agents: AgentCluster,
  /// `blob:` URLs and the bytes of `Blob`s.
  pub(crate) blobs: Arc<deno_web::BlobStore>,
}

impl Cluster {
  /// A new, empty cluster.
  pub fn new() -> Self {
    Self::default()
  }

  /// Joins the cluster's broadcast channels named `name`: JS's
  /// `new BroadcastChannel(name)`, from Rust.
  pub fn broadcast_channel(&self, name: &str) -> BroadcastChannel {
    BroadcastChannel::join(&self.agents, name)
  }
}
