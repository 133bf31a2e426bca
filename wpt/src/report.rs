//! What the runner prints and writes: progress, the per-directory summary,
//! the unexpected results, `--json` and `--wptreport` files.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::Path;

use serde::Serialize;

use crate::expectations::Unexpected;
use crate::result::FileResult;

/// Progress while tests run: a bar that redraws itself on a terminal,
/// plain lines otherwise.
pub struct Progress {
  pub terminal: bool,
  pub total: usize,
  done: usize,
  passed: usize,
  failed: usize,
}

impl Progress {
  pub fn new(total: usize, terminal: bool) -> Progress {
    Progress {
      terminal,
      total,
      done: 0,
      passed: 0,
      failed: 0,
    }
  }

  pub fn record(&mut self, result: &FileResult, unexpected: bool) {
    self.done += 1;
    let ok = result.all_passed();
    if result.status != "SKIP" {
      if ok {
        self.passed += 1;
      } else {
        self.failed += 1;
      }
    }
    let mut out = std::io::stdout().lock();
    if self.terminal {
      const WIDTH: usize = 30;
      let filled = WIDTH * self.done / self.total.max(1);
      let _ = write!(
        out,
        "\r\x1b[2K[{}{}] {}/{} files, {} passed, {} not, {}",
        "#".repeat(filled),
        " ".repeat(WIDTH - filled),
        self.done,
        self.total,
        self.passed,
        self.failed,
        result.id
      );
      if self.done == self.total {
        let _ = writeln!(out);
      }
    } else {
      let passed = result
        .subtests
        .iter()
        .filter(|s| s.status == "PASS")
        .count();
      let mark = if unexpected { " (unexpected)" } else { "" };
      let _ = writeln!(
        out,
        "{:<7} {} ({passed}/{} subtests){mark}",
        result.status,
        result.id,
        result.subtests.len()
      );
    }
    let _ = out.flush();
  }
}

#[derive(Default)]
struct Counts {
  files: [usize; 3],
  subtests: [usize; 3],
}

/// Files and subtests per directory: passed, not passed, skipped.
pub fn summary(results: &[FileResult]) -> String {
  let mut dirs: BTreeMap<String, Counts> = BTreeMap::new();
  for result in results {
    let dir = result
      .id
      .rsplit_once('/')
      .map_or("/", |(d, _)| d)
      .to_string();
    for key in [dir, "total".to_string()] {
      let counts = dirs.entry(key).or_default();
      let file = match () {
        _ if result.status == "SKIP" => 2,
        _ if result.all_passed() => 0,
        _ => 1,
      };
      counts.files[file] += 1;
      for subtest in &result.subtests {
        let slot = match subtest.status.as_str() {
          "PASS" => 0,
          "NOTRUN" | "PRECONDITION_FAILED" => 2,
          _ => 1,
        };
        counts.subtests[slot] += 1;
      }
    }
  }
  let total = dirs.remove("total").unwrap_or_default();
  let width = dirs.keys().map(String::len).max().unwrap_or(5).max(9);
  let mut text = format!(
    "{:<width$}  {:>27}  {:>27}\n{:<width$}  {:>8} {:>8} {:>9}  {:>8} {:>8} {:>9}\n",
    "", "files", "subtests", "directory", "pass", "fail", "skip", "pass", "fail", "skip/notrun"
  );
  let mut row = |name: &str, c: &Counts| {
    text.push_str(&format!(
      "{name:<width$}  {:>8} {:>8} {:>9}  {:>8} {:>8} {:>9}\n",
      c.files[0], c.files[1], c.files[2], c.subtests[0], c.subtests[1], c.subtests[2]
    ));
  };
  for (dir, counts) in &dirs {
    row(dir, counts);
  }
  row("total", &total);
  text
}

/// The unexpected results, grouped by test.
pub fn unexpected_diff(unexpected: &[Unexpected]) -> String {
  let mut text = String::new();
  let mut current = "";
  for u in unexpected {
    if u.id != current {
      text.push_str(&format!("{}\n", u.id));
      current = &u.id;
    }
    let what = u
      .subtest
      .as_deref()
      .map_or("harness".to_string(), |s| format!("{s:?}"));
    text.push_str(&format!(
      "  {what}: expected {}, got {}",
      u.expected, u.actual
    ));
    if let Some(message) = u.message.as_deref().filter(|m| !m.is_empty()) {
      let first = message.lines().next().unwrap_or_default();
      text.push_str(&format!(" ({first})"));
    }
    text.push('\n');
  }
  text
}

/// `--json`: every result as we keep it.
pub fn write_json(path: &Path, results: &[FileResult]) -> std::io::Result<()> {
  std::fs::write(path, serde_json::to_string_pretty(results).unwrap())
}

#[derive(Serialize)]
struct WptReport<'a> {
  run_info: RunInfo,
  time_start: u64,
  time_end: u64,
  results: Vec<WptReportResult<'a>>,
}

#[derive(Serialize)]
struct RunInfo {
  product: &'static str,
  browser_version: &'static str,
  os: &'static str,
}

#[derive(Serialize)]
struct WptReportResult<'a> {
  test: &'a str,
  status: &'a str,
  message: Option<&'a str>,
  duration: u64,
  subtests: Vec<WptReportSubtest<'a>>,
}

#[derive(Serialize)]
struct WptReportSubtest<'a> {
  name: &'a str,
  status: &'a str,
  message: Option<&'a str>,
}

/// `--wptreport`: the format wpt.fyi and upstream tooling read.
pub fn write_wptreport(
  path: &Path,
  results: &[FileResult],
  time_start: u64,
  time_end: u64,
) -> std::io::Result<()> {
  let report = WptReport {
    run_info: RunInfo {
      product: "entangle",
      browser_version: env!("CARGO_PKG_VERSION"),
      os: std::env::consts::OS,
    },
    time_start,
    time_end,
    results: results
      .iter()
      .map(|r| WptReportResult {
        test: &r.id,
        status: &r.status,
        message: r.message.as_deref(),
        duration: r.duration,
        subtests: r
          .subtests
          .iter()
          .map(|s| WptReportSubtest {
            name: &s.name,
            status: &s.status,
            message: s.message.as_deref(),
          })
          .collect(),
      })
      .collect(),
  };
  std::fs::write(path, serde_json::to_string(&report).unwrap())
}
