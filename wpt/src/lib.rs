//! Entangle's web-platform-tests runner, minus the JavaScript engine.
//!
//! * [`discover`] finds the tests under a WPT checkout and the variants each
//!   one runs as (`.any.js` in the main scope and in a worker, …), honouring
//!   `// META:` lines;
//! * [`job`] turns a variant into what a fresh runtime must execute: the
//!   page's scripts in order, and generated worker wrappers;
//! * [`run`] executes jobs in parallel child processes with a time budget
//!   each, and reads back testharness.js's results;
//! * [`expectations`] compares results with `wpt/expectations.json`;
//! * [`report`] prints the summary and writes JSON and wptreport files.
//!
//! The runtime side (running one job) is the `entangle wpt-child` command.

pub mod discover;
pub mod expectations;
pub mod job;
pub mod report;
pub mod result;
pub mod run;

/// The origin the suite is served from: tests see `http://web-platform.test`
/// URLs, and the runtime reads them from the WPT root.
pub const ORIGIN: &str = "http://web-platform.test";

/// Our `testharnessreport.js`; `__ENTANGLE_WPT_TIMEOUT__` is the harness
/// time budget in milliseconds.
pub const REPORT_JS: &str = include_str!("../harness/report.js");

/// The stdout prefix of the result line a child prints.
pub const RESULT_MARKER: &str = "@@entangle-wpt@@";

use std::path::PathBuf;
use std::time::SystemTime;
use std::time::UNIX_EPOCH;

use crate::expectations::Expectations;
use crate::job::Job;
use crate::result::FileResult;

/// What `entangle wpt` was asked to do.
pub struct Config {
  pub root: PathBuf,
  /// Test paths or id prefixes; all tests when empty.
  pub filters: Vec<String>,
  pub expectations: PathBuf,
  pub update_expectations: bool,
  pub parallel: usize,
  /// The time budget of a test file (`META: timeout=long` gets more).
  pub timeout_ms: u64,
  pub json: Option<PathBuf>,
  pub wptreport: Option<PathBuf>,
  /// How to start one job: a program and its arguments.
  pub child_command: Vec<String>,
  /// Whether stdout is a terminal (a live progress bar).
  pub terminal: bool,
}

/// Why the suite could not be run.
#[derive(Debug, thiserror::Error)]
pub enum Error {
  /// A file or directory could not be read or written.
  #[error("{}: {source}", .path.display())]
  Io {
    /// Which.
    path: PathBuf,
    /// Why.
    source: std::io::Error,
  },
  /// The root is no WPT checkout.
  #[error("{} is not a WPT checkout: resources/testharness.js is missing", .0.display())]
  NotACheckout(PathBuf),
  /// The expectations file is not valid.
  #[error("{}: {source}", .path.display())]
  Expectations {
    /// The file.
    path: PathBuf,
    /// What is wrong in it.
    source: serde_json::Error,
  },
  /// No test matches the filters.
  #[error("no tests match {filters:?} under {}", .root.display())]
  NoTests {
    /// The filters.
    filters: Vec<String>,
    /// The root.
    root: PathBuf,
  },
}

fn io(path: impl Into<PathBuf>) -> impl FnOnce(std::io::Error) -> Error {
  let path = path.into();
  move |source| Error::Io { path, source }
}

/// Runs the suite; `Ok(true)` when every result was expected.
pub fn run(config: &Config) -> Result<bool, Error> {
  let root = config.root.canonicalize().map_err(io(&config.root))?;
  if !root.join("resources/testharness.js").is_file() {
    return Err(Error::NotACheckout(root));
  }
  let expectations = Expectations::load(&config.expectations)?;
  let variants = discover::discover(&root, &config.filters).map_err(io(&root))?;
  if variants.is_empty() {
    return Err(Error::NoTests {
      filters: config.filters.clone(),
      root,
    });
  }
  let started = now_ms();
  let mut results = Vec::new();
  let mut jobs = Vec::new();
  for variant in &variants {
    let skip = variant
      .skip
      .as_deref()
      .or_else(|| expectations.skip_reason(&variant.id));
    match skip {
      Some(reason) => results.push(FileResult::skipped(&variant.id, reason)),
      None => jobs.push(Job::new(variant, &root, config.timeout_ms).map_err(io(&variant.path))?),
    }
  }
  let mut progress = report::Progress::new(variants.len(), config.terminal);
  let mut unexpected = Vec::new();
  for result in &results {
    progress.record(result, false);
  }
  run::run_jobs(jobs, &config.child_command, config.parallel, |result| {
    let diff = expectations.compare(&result);
    progress.record(&result, !diff.is_empty());
    unexpected.extend(diff);
    results.push(result);
  });
  results.sort_by(|a, b| a.id.cmp(&b.id));
  unexpected.sort_by(|a, b| (&a.id, &a.subtest).cmp(&(&b.id, &b.subtest)));
  println!("\n{}", report::summary(&results));
  if let Some(path) = &config.json {
    report::write_json(path, &results).map_err(io(path))?;
  }
  if let Some(path) = &config.wptreport {
    report::write_wptreport(path, &results, started, now_ms()).map_err(io(path))?;
  }
  if config.update_expectations {
    let updated = expectations.updated(&results);
    updated
      .save(&config.expectations)
      .map_err(io(&config.expectations))?;
    println!("Updated {}", config.expectations.display());
    return Ok(true);
  }
  if unexpected.is_empty() {
    println!("All results as expected.");
    Ok(true)
  } else {
    println!(
      "Unexpected results:\n{}",
      report::unexpected_diff(&unexpected)
    );
    Ok(false)
  }
}

fn now_ms() -> u64 {
  SystemTime::now()
    .duration_since(UNIX_EPOCH)
    .map_or(0, |d| d.as_millis() as u64)
}
