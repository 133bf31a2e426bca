//! Runs every JavaScript case under `tests/cases` through the real
//! `entangle` binary and compares what it prints with golden files.
//!
//! A case `tests/cases/<area>/<name>.js` may have:
//! * `<name>.out`: the expected stdout (default: empty);
//! * `<name>.err`: the expected stderr (default: empty);
//! * a first-line comment `// exit: N`: the expected exit code (default 0);
//! * a first-line comment `// stderr: last line`: only the last line of
//!   stderr is compared (what V8 prints before it gives up on memory has
//!   timings in it);
//! * a first-line comment `// args: ...`: the CLI arguments, with `$FILE`
//!   standing for the case, `$ROOT` for the repository and `$STRESS_SCALE`
//!   for `ENTANGLE_STRESS_SCALE` (default 0.1; 1 runs the stress cases at
//!   full size) (default `run $FILE`).
//!
//! In the golden files, `$DIR` stands for the cases folder's `file://` URL.
//! `BLESS=1 cargo test --test js` rewrites the golden files from the output.

use std::path::Path;
use std::path::PathBuf;
use std::process::Command;
use std::process::Stdio;
use std::time::Duration;
use std::time::Instant;

use libtest_mimic::Arguments;
use libtest_mimic::Failed;
use libtest_mimic::Trial;

/// A case that runs longer than this has hung.
const TIMEOUT: Duration = Duration::from_secs(60);

fn main() {
  let args = Arguments::from_args();
  let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/cases");
  let mut cases = Vec::new();
  collect(&root, &mut cases);
  cases.sort();
  let mut trials: Vec<Trial> = cases
    .into_iter()
    .map(|case| {
      let name = case
        .strip_prefix(&root)
        .unwrap()
        .with_extension("")
        .display()
        .to_string();
      let root = root.clone();
      Trial::test(name, move || run_case(&root, &case))
    })
    .collect();
  trials.push(wpt_corpus());
  trials.push(million_channels_memory(&root));
  trials.push(shared_blob_memory(&root));
  trials.push(worker_churn(&root));
  libtest_mimic::run(&args, trials).exit();
}

/// The whole WPT corpus against `wpt/expectations.json`: from `WPT_ROOT`, or
/// `../shared/wpt` beside the repository; ignored when there is none.
fn wpt_corpus() -> Trial {
  let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
  let wpt_root = std::env::var_os("WPT_ROOT")
    .map(PathBuf::from)
    .unwrap_or_else(|| repo.join("../shared/wpt"));
  let present = wpt_root.join("resources/testharness.js").is_file();
  Trial::test("wpt/corpus", move || {
    let output = Command::new(env!("CARGO_BIN_EXE_entangle"))
      .arg("wpt")
      .arg("--wpt-root")
      .arg(&wpt_root)
      .current_dir(repo)
      .stdin(Stdio::null())
      .output()
      .unwrap();
    if output.status.success() {
      Ok(())
    } else {
      Err(
        format!(
          "entangle wpt failed:\n{}{}",
          String::from_utf8_lossy(&output.stdout),
          String::from_utf8_lossy(&output.stderr)
        )
        .into(),
      )
    }
  })
  .with_ignored_flag(!present)
}

fn collect(dir: &Path, cases: &mut Vec<PathBuf>) {
  for entry in std::fs::read_dir(dir).unwrap() {
    let path = entry.unwrap().path();
    let name = path.file_name().unwrap().to_string_lossy();
    if path.is_dir() {
      if !name.starts_with('_') {
        collect(&path, cases);
      }
    } else if name.ends_with(".js") && !name.starts_with('_') {
      cases.push(path);
    }
  }
}

struct Expectation {
  args: Vec<String>,
  exit: i32,
  /// Compare only the last line of stderr.
  stderr_last_line: bool,
}

fn expectation(source: &str, case: &Path) -> Expectation {
  let mut expectation = Expectation {
    args: vec!["run".into(), case.display().to_string()],
    exit: 0,
    stderr_last_line: false,
  };
  for line in source.lines().take_while(|l| l.starts_with("//")) {
    let line = line.trim_start_matches("//").trim();
    if let Some(code) = line.strip_prefix("exit:") {
      expectation.exit = code.trim().parse().expect("bad `// exit:` line");
    } else if line == "stderr: last line" {
      expectation.stderr_last_line = true;
    } else if let Some(args) = line.strip_prefix("args:") {
      let file = case.display().to_string();
      let root = env!("CARGO_MANIFEST_DIR");
      let scale = std::env::var("ENTANGLE_STRESS_SCALE").unwrap_or_else(|_| "0.1".into());
      expectation.args = args
        .split_whitespace()
        .map(|a| {
          a.replace("$FILE", &file)
            .replace("$ROOT", root)
            .replace("$STRESS_SCALE", &scale)
        })
        .collect();
    }
  }
  expectation
}

fn run_case(root: &Path, case: &Path) -> Result<(), Failed> {
  let source = std::fs::read_to_string(case).unwrap();
  let expected = expectation(&source, case);
  let mut child = Command::new(env!("CARGO_BIN_EXE_entangle"))
    .args(&expected.args)
    .current_dir(case.parent().unwrap())
    .env("NO_COLOR", "1")
    .stdin(Stdio::null())
    .stdout(Stdio::piped())
    .stderr(Stdio::piped())
    .spawn()
    .unwrap();
  let started = Instant::now();
  while child.try_wait().unwrap().is_none() {
    if started.elapsed() > TIMEOUT {
      child.kill().ok();
      return Err(format!("timed out after {TIMEOUT:?}").into());
    }
    std::thread::sleep(Duration::from_millis(5));
  }
  let output = child.wait_with_output().unwrap();
  let dir_url = format!("file://{}", root.display());
  let normalize = |bytes: &[u8]| String::from_utf8_lossy(bytes).replace(&dir_url, "$DIR");
  let stdout = normalize(&output.stdout);
  let mut stderr = normalize(&output.stderr);
  if expected.stderr_last_line {
    stderr = stderr
      .lines()
      .last()
      .map(|l| format!("{l}\n"))
      .unwrap_or_default();
  }
  let code = output.status.code().unwrap_or(-1);

  let bless = std::env::var_os("BLESS").is_some();
  let mut problems = Vec::new();
  for (ext, actual) in [("out", &stdout), ("err", &stderr)] {
    let golden = case.with_extension(ext);
    let wanted = std::fs::read_to_string(&golden).unwrap_or_default();
    if wanted != *actual {
      if bless {
        if actual.is_empty() {
          std::fs::remove_file(&golden).ok();
        } else {
          std::fs::write(&golden, actual).unwrap();
        }
      } else {
        problems.push(format!(
          "{ext} differs\n--- expected\n{wanted}\n--- actual\n{actual}\n---"
        ));
      }
    }
  }
  if code != expected.exit {
    problems.push(format!(
      "exit code {code}, expected {}\nstderr:\n{stderr}",
      expected.exit
    ));
  }
  if problems.is_empty() {
    Ok(())
  } else {
    Err(problems.join("\n").into())
  }
}

/// 1,000,000 channels made and dropped, each with a queued message: ports
/// nobody can reach are collected with their Rust state and queued message,
/// so the peak RSS stays under 400 MB at full size (40 MB plus 360 MB times
/// `ENTANGLE_STRESS_SCALE`, default 0.1).
fn million_channels_memory(root: &Path) -> Trial {
  let scale: f64 = std::env::var("ENTANGLE_STRESS_SCALE")
    .ok()
    .and_then(|s| s.parse().ok())
    .unwrap_or(0.1);
  let bound_mb = 40.0 + 360.0 * scale;
  peak_rss_trial(
    root,
    "stress/million_channels_memory",
    "stress/_million_channels.js",
    &format!("scale={scale}"),
    bound_mb,
  )
}

/// A 256 MiB `Blob` posted to four workers, each reading a byte of it: the
/// workers share its bytes through the cluster's blob store, so the peak
/// RSS stays far below the 1.25 GB that copies would take.
fn shared_blob_memory(root: &Path) -> Trial {
  peak_rss_trial(
    root,
    "messaging/blob_bytes_are_shared",
    "messaging/_shared_blob.js",
    "",
    480.0,
  )
}

/// Runs `script` (which prints `done`) and checks its peak RSS against
/// `bound_mb`.
fn peak_rss_trial(root: &Path, name: &str, script: &str, query: &str, bound_mb: f64) -> Trial {
  let script = root.join(script);
  let query = query.to_string();
  Trial::test(name, move || {
    let mut child = spawn_script(&script, &query);
    // VmHWM is the peak RSS so far: the last reading before exit is the peak.
    let mut peak_kb = 0u64;
    let started = Instant::now();
    while child.try_wait().unwrap().is_none() {
      peak_kb = peak_kb.max(proc_status(child.id(), "VmHWM:"));
      if started.elapsed() > TIMEOUT {
        child.kill().ok();
        return Err("timed out".into());
      }
      std::thread::sleep(Duration::from_millis(2));
    }
    let output = child.wait_with_output().unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    if stdout.trim() != "done" {
      return Err(format!("unexpected output: {stdout}").into());
    }
    let bound_kb = (bound_mb * 1024.0) as u64;
    if peak_kb > bound_kb {
      return Err(format!("peak RSS {peak_kb} kB over {bound_kb} kB").into());
    }
    Ok(())
  })
}

/// `entangle run` of `script` with a query string, its stdout piped.
fn spawn_script(script: &Path, query: &str) -> std::process::Child {
  Command::new(env!("CARGO_BIN_EXE_entangle"))
    .args(["run", &format!("file://{}?{query}", script.display())])
    .stdin(Stdio::null())
    .stdout(Stdio::piped())
    .spawn()
    .unwrap()
}

/// A number from /proc/PID/status (`field` with its colon; kB for sizes),
/// or 0 once the process is gone.
fn proc_status(pid: u32, field: &str) -> u64 {
  let text = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
  text
    .lines()
    .find_map(|l| l.strip_prefix(field))
    .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
    .unwrap_or(0)
}

/// Threads and resident memory (kB) of a running process.
fn threads_and_rss_kb(pid: u32) -> (u64, u64) {
  (proc_status(pid, "Threads:"), proc_status(pid, "VmRSS:"))
}

/// 200 workers started, answering once and terminated leave no thread and
/// no isolate behind: the thread count returns to what it was before, and a
/// second round of 200 adds less than 20 MB of resident memory (a leaked
/// isolate costs over 1 MB: 200 of them would add hundreds). The first round
/// may grow it more: malloc keeps the arenas that worker threads made.
fn worker_churn(root: &Path) -> Trial {
  let script = root.join("workers/_churn.js");
  Trial::test("workers/churn_leaves_nothing_behind", move || {
    use std::io::BufRead;
    let mut child = spawn_script(&script, "count=200");
    let pid = child.id();
    let mut lines = std::io::BufReader::new(child.stdout.take().unwrap()).lines();
    // Waits for `line`, then for the threads of terminated workers to wind
    // down (to `threads` or fewer, if given); returns threads and RSS.
    let mut settle = |line: &str, threads: Option<u64>| {
      let got = lines.next().and_then(Result::ok).unwrap_or_default();
      if got != line {
        return Err(format!("expected {line:?}, got {got:?}"));
      }
      let started = Instant::now();
      let mut now = threads_and_rss_kb(pid);
      while started.elapsed() < Duration::from_millis(1000) {
        std::thread::sleep(Duration::from_millis(20));
        let later = threads_and_rss_kb(pid);
        if threads.is_some_and(|t| later.0 <= t) && later.0 == now.0 {
          break;
        }
        now = later;
      }
      Ok(now)
    };
    let outcome = (|| {
      let (threads, _) = settle("warm", None)?;
      let (after_first, rss_first) = settle("first 200", Some(threads))?;
      let (after_second, rss_second) = settle("second 200", Some(threads))?;
      eprintln!(
        "threads {threads} -> {after_first} -> {after_second}; RSS after each round {} MB, {} MB",
        rss_first >> 10,
        rss_second >> 10
      );
      if after_first > threads || after_second > threads {
        return Err(format!(
          "threads: {threads} before, {after_first} and {after_second} after"
        ));
      }
      if rss_second > rss_first + 20 * 1024 {
        return Err(format!(
          "RSS {rss_first} kB after 200 workers, {rss_second} kB after 400"
        ));
      }
      Ok(())
    })();
    child.kill().ok();
    child.wait().ok();
    outcome.map_err(Failed::from)
  })
}
