//! What running a test produced.

use serde::Deserialize;
use serde::Serialize;

/// One subtest's outcome, as testharness.js names it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Subtest {
  pub name: String,
  pub status: String,
  pub message: Option<String>,
}

/// One test file's outcome. `status` is testharness.js's harness status
/// (`OK`, `ERROR`, `TIMEOUT`, `PRECONDITION_FAILED`) or one of ours:
/// `CRASH` (the runtime died before reporting) and `SKIP`.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct FileResult {
  pub id: String,
  pub status: String,
  pub message: Option<String>,
  pub subtests: Vec<Subtest>,
  /// Milliseconds.
  pub duration: u64,
}

/// The JSON line a child prints.
#[derive(Deserialize)]
pub struct HarnessReport {
  pub status: String,
  pub message: Option<String>,
  pub subtests: Vec<Subtest>,
}

impl FileResult {
  pub fn skipped(id: &str, reason: &str) -> FileResult {
    FileResult {
      id: id.to_string(),
      status: "SKIP".into(),
      message: Some(reason.to_string()),
      subtests: Vec::new(),
      duration: 0,
    }
  }

  /// Whether the file ran and everything in it passed.
  pub fn all_passed(&self) -> bool {
    self.status == "OK" && self.subtests.iter().all(|s| s.status == "PASS")
  }
}
