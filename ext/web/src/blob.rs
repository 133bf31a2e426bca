//! The process-wide blob URL store behind `URL.createObjectURL()`.
//!
//! Spec: <https://w3c.github.io/FileAPI/#url-model>. The store is shared by
//! every isolate in the process, so a worker can load a `blob:` URL that the
//! main script created.

use std::collections::HashMap;
use std::sync::Arc;
use std::sync::LazyLock;
use std::sync::Mutex;

use deno_core::op2;

/// A blob registered under a `blob:` URL.
#[derive(Clone, Debug)]
pub struct BlobEntry {
  pub bytes: Arc<[u8]>,
  pub media_type: String,
}

static STORE: LazyLock<Mutex<HashMap<String, BlobEntry>>> = LazyLock::new(Default::default);

/// The blob registered under `url` (a fragment is ignored), if any.
pub fn resolve_blob_url(url: &str) -> Option<BlobEntry> {
  let url = url.split('#').next().unwrap_or(url);
  STORE.lock().unwrap().get(url).cloned()
}

/// Registers a copy of `bytes` and returns its new `blob:` URL.
#[op2]
#[string]
pub fn op_blob_url_create(#[buffer] bytes: &[u8], #[string] media_type: String) -> String {
  let url = format!("blob:null/{}", uuid::Uuid::new_v4());
  let entry = BlobEntry {
    bytes: bytes.into(),
    media_type,
  };
  STORE.lock().unwrap().insert(url.clone(), entry);
  url
}

/// Forgets a `blob:` URL.
#[op2(fast)]
pub fn op_blob_url_revoke(#[string] url: &str) {
  STORE.lock().unwrap().remove(url);
}
