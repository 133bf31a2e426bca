//! `wpt/expectations.json`: what we expect of each test, and why.
//!
//! A test id missing from the file is expected to pass entirely: harness
//! status `OK`, every subtest `PASS`. Otherwise an entry says one of:
//!
//! ```json
//! { "/dir/x.any.html": { "skip": "why it is not run" },
//!   "/dir/y.any.worker.html": { "status": "TIMEOUT", "reason": "why" },
//!   "/dir/z.html": { "subtests": { "name": { "status": "FAIL", "reason": "why" } } } }
//! ```

use std::collections::BTreeMap;
use std::path::Path;

use serde::Deserialize;
use serde::Serialize;

use crate::result::FileResult;

#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct Expectations(pub BTreeMap<String, FileExpectation>);

#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct FileExpectation {
  /// The test is not run, for this reason.
  #[serde(default, skip_serializing_if = "Option::is_none")]
  pub skip: Option<String>,
  /// The expected harness status, when not `OK`.
  #[serde(default, skip_serializing_if = "Option::is_none")]
  pub status: Option<String>,
  #[serde(default, skip_serializing_if = "Option::is_none")]
  pub reason: Option<String>,
  /// Subtests expected not to pass.
  #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
  pub subtests: BTreeMap<String, SubtestExpectation>,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct SubtestExpectation {
  pub status: String,
  pub reason: String,
}

/// A result that is not what the expectations say.
#[derive(Clone, Debug)]
pub struct Unexpected {
  pub id: String,
  pub subtest: Option<String>,
  pub expected: String,
  pub actual: String,
  pub message: Option<String>,
}

/// What `--update-expectations` writes for a failure nobody explained yet.
const UNTRIAGED: &str = "untriaged";

impl Expectations {
  /// Reads the file; a missing file expects everything to pass.
  pub fn load(path: &Path) -> Result<Expectations, crate::Error> {
    match std::fs::read_to_string(path) {
      Ok(text) => serde_json::from_str(&text).map_err(|source| crate::Error::Expectations {
        path: path.into(),
        source,
      }),
      Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Expectations::default()),
      Err(source) => Err(crate::Error::Io {
        path: path.into(),
        source,
      }),
    }
  }

  pub fn save(&self, path: &Path) -> std::io::Result<()> {
    let mut text = serde_json::to_string_pretty(self).unwrap();
    text.push('\n');
    std::fs::write(path, text)
  }

  pub fn skip_reason(&self, id: &str) -> Option<&str> {
    self.0.get(id)?.skip.as_deref()
  }

  /// Every difference between `result` and its expectation.
  pub fn compare(&self, result: &FileResult) -> Vec<Unexpected> {
    let expected = self.0.get(&result.id).cloned().unwrap_or_default();
    let mut out = Vec::new();
    let want = expected.status.as_deref().unwrap_or("OK");
    if result.status != want && result.status != "SKIP" {
      out.push(Unexpected {
        id: result.id.clone(),
        subtest: None,
        expected: want.to_string(),
        actual: result.status.clone(),
        message: result.message.clone(),
      });
    }
    for subtest in &result.subtests {
      let want = expected
        .subtests
        .get(&subtest.name)
        .map_or("PASS", |e| e.status.as_str());
      if subtest.status != want {
        out.push(Unexpected {
          id: result.id.clone(),
          subtest: Some(subtest.name.clone()),
          expected: want.to_string(),
          actual: subtest.status.clone(),
          message: subtest.message.clone(),
        });
      }
    }
    // Expected failures of subtests that no longer exist are stale.
    for (name, expectation) in &expected.subtests {
      if result.status == "OK" && !result.subtests.iter().any(|s| &s.name == name) {
        out.push(Unexpected {
          id: result.id.clone(),
          subtest: Some(name.clone()),
          expected: expectation.status.clone(),
          actual: "MISSING".into(),
          message: None,
        });
      }
    }
    out
  }

  /// The expectations that `results` would meet, keeping known reasons.
  pub fn updated(&self, results: &[FileResult]) -> Expectations {
    let mut next = self.clone();
    for result in results {
      if result.status == "SKIP" {
        continue;
      }
      let old = self.0.get(&result.id).cloned().unwrap_or_default();
      let mut entry = FileExpectation::default();
      if result.status != "OK" {
        entry.status = Some(result.status.clone());
        entry.reason = Some(match (&old.status, &old.reason) {
          (Some(status), Some(reason)) if status == &result.status => reason.clone(),
          _ => UNTRIAGED.to_string(),
        });
      }
      for subtest in result.subtests.iter().filter(|s| s.status != "PASS") {
        let reason = match old.subtests.get(&subtest.name) {
          Some(old) if old.status == subtest.status => old.reason.clone(),
          _ => UNTRIAGED.to_string(),
        };
        entry.subtests.insert(
          subtest.name.clone(),
          SubtestExpectation {
            status: subtest.status.clone(),
            reason,
          },
        );
      }
      if entry.status.is_none() && entry.subtests.is_empty() {
        next.0.remove(&result.id);
      } else {
        next.0.insert(result.id.clone(), entry);
      }
    }
    next
  }
}

#[cfg(test)]
mod tests {
  use super::*;
  use crate::result::Subtest;

  fn result(status: &str, subtests: &[(&str, &str)]) -> FileResult {
    FileResult {
      id: "/t.any.html".into(),
      status: status.into(),
      message: None,
      subtests: subtests
        .iter()
        .map(|(n, s)| Subtest {
          name: n.to_string(),
          status: s.to_string(),
          message: None,
        })
        .collect(),
      duration: 0,
    }
  }

  #[test]
  fn missing_entry_expects_all_pass() {
    let none = Expectations::default();
    assert!(none.compare(&result("OK", &[("a", "PASS")])).is_empty());
    let diff = none.compare(&result("OK", &[("a", "FAIL")]));
    assert_eq!(diff.len(), 1);
    assert_eq!(diff[0].expected, "PASS");
    assert_eq!(none.compare(&result("TIMEOUT", &[])).len(), 1);
  }

  #[test]
  fn update_then_compare_is_clean_and_keeps_reasons() {
    let mut known = Expectations::default();
    known.0.insert(
      "/t.any.html".into(),
      FileExpectation {
        subtests: [(
          "a".to_string(),
          SubtestExpectation {
            status: "FAIL".into(),
            reason: "known bug".into(),
          },
        )]
        .into(),
        ..Default::default()
      },
    );
    let results = vec![result(
      "OK",
      &[("a", "FAIL"), ("b", "TIMEOUT"), ("c", "PASS")],
    )];
    let next = known.updated(&results);
    assert!(next.compare(&results[0]).is_empty());
    let entry = &next.0["/t.any.html"];
    assert_eq!(entry.subtests["a"].reason, "known bug");
    assert_eq!(entry.subtests["b"].reason, UNTRIAGED);
    // An unexpected pass is reported too.
    assert_eq!(
      next
        .compare(&result(
          "OK",
          &[("a", "PASS"), ("b", "TIMEOUT"), ("c", "PASS")]
        ))
        .len(),
      1
    );
    // Fixing everything removes the entry.
    assert!(next.updated(&[result("OK", &[("a", "PASS")])]).0.is_empty());
  }
}
