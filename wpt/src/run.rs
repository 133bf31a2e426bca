//! Running jobs: each in a fresh runtime in a child process (so a crash or
//! a hang costs one test, not the run), `-j` at a time.

use std::collections::VecDeque;
use std::io::BufRead;
use std::io::BufReader;
use std::io::Read;
use std::io::Write;
use std::process::Command;
use std::process::Stdio;
use std::sync::mpsc;
use std::sync::Arc;
use std::sync::Mutex;
use std::time::Duration;
use std::time::Instant;

use crate::job::Job;
use crate::result::FileResult;
use crate::result::HarnessReport;
use crate::RESULT_MARKER;

/// How long past its own time budget a child may take before it is killed.
const GRACE: Duration = Duration::from_secs(5);

/// Runs `jobs` on `parallel` threads, each job as `command` (a program and
/// its arguments) reading the job as JSON on stdin. Results arrive through
/// `on_result` on the calling thread, in completion order.
pub fn run_jobs(
  jobs: Vec<Job>,
  command: &[String],
  parallel: usize,
  mut on_result: impl FnMut(FileResult),
) {
  let queue = Arc::new(Mutex::new(VecDeque::from(jobs)));
  let (sender, receiver) = mpsc::channel();
  let threads: Vec<_> = (0..parallel.max(1))
    .map(|_| {
      let queue = queue.clone();
      let sender = sender.clone();
      let command = command.to_vec();
      std::thread::spawn(move || loop {
        let Some(job) = queue.lock().unwrap().pop_front() else {
          break;
        };
        if sender.send(run_job(&job, &command)).is_err() {
          break;
        }
      })
    })
    .collect();
  drop(sender);
  for result in receiver {
    on_result(result);
  }
  for thread in threads {
    let _ = thread.join();
  }
}

fn run_job(job: &Job, command: &[String]) -> FileResult {
  let started = Instant::now();
  let mut result = match spawn_and_wait(job, command) {
    Ok(outcome) => outcome,
    Err(error) => crashed(job, format!("could not start the runtime: {error}")),
  };
  result.duration = started.elapsed().as_millis() as u64;
  result
}

fn spawn_and_wait(job: &Job, command: &[String]) -> std::io::Result<FileResult> {
  let mut child = Command::new(&command[0])
    .args(&command[1..])
    .stdin(Stdio::piped())
    .stdout(Stdio::piped())
    .stderr(Stdio::piped())
    .env("NO_COLOR", "1")
    .spawn()?;
  let mut stdin = child.stdin.take().unwrap();
  stdin.write_all(serde_json::to_string(job).unwrap().as_bytes())?;
  drop(stdin);

  // The result line, read off stdout as it comes.
  let (lines, reports) = mpsc::channel();
  let stdout = child.stdout.take().unwrap();
  std::thread::spawn(move || {
    for line in BufReader::new(stdout).lines().map_while(Result::ok) {
      if let Some(report) = line.strip_prefix(RESULT_MARKER) {
        let _ = lines.send(report.to_string());
      }
    }
  });
  let mut stderr = child.stderr.take().unwrap();
  let stderr_reader = std::thread::spawn(move || {
    let mut text = String::new();
    let _ = stderr.read_to_string(&mut text);
    text
  });

  let deadline = Duration::from_millis(job.timeout_ms) + GRACE;
  let outcome = reports.recv_timeout(deadline);
  // The harness has reported (or never will): the runtime is done with.
  let _ = child.kill();
  let _ = child.wait();
  let stderr = stderr_reader.join().unwrap_or_default();
  Ok(match outcome {
    Ok(line) => match serde_json::from_str::<HarnessReport>(&line) {
      Ok(report) => FileResult {
        id: job.id.clone(),
        status: report.status,
        message: report.message,
        subtests: report.subtests,
        duration: 0,
      },
      Err(error) => crashed(job, format!("unreadable result: {error}")),
    },
    Err(mpsc::RecvTimeoutError::Timeout) => FileResult {
      id: job.id.clone(),
      status: "TIMEOUT".into(),
      message: Some(format!("no result within {deadline:?}{}", tail(&stderr))),
      subtests: Vec::new(),
      duration: 0,
    },
    Err(mpsc::RecvTimeoutError::Disconnected) => {
      crashed(job, format!("exited before reporting{}", tail(&stderr)))
    }
  })
}

fn crashed(job: &Job, message: String) -> FileResult {
  FileResult {
    id: job.id.clone(),
    status: "CRASH".into(),
    message: Some(message),
    subtests: Vec::new(),
    duration: 0,
  }
}

/// The last lines of a child's stderr, for a message.
fn tail(stderr: &str) -> String {
  let lines: Vec<&str> = stderr.lines().filter(|l| !l.trim().is_empty()).collect();
  if lines.is_empty() {
    return String::new();
  }
  format!(": {}", lines[lines.len().saturating_sub(3)..].join(" | "))
}
