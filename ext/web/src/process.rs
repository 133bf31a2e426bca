//! The ops behind the `Entangle` namespace (js/40_entangle.js): the
//! script's arguments, the versions, the process's exit code, ending the
//! process, and memory usage. Nothing here reaches files, the network or
//! the environment.

use std::io::Write;
use std::sync::atomic::AtomicI32;
use std::sync::atomic::Ordering;

use deno_core::op2;
use deno_core::v8;
use deno_core::OpState;
use serde::Serialize;

/// The arguments after the script (`entangle run app.js a b`): the same in
/// every isolate of the process.
#[derive(Clone, Debug, Default)]
pub struct ScriptArgs(pub Vec<String>);

/// `Entangle.exitCode`: what the process exits with when it ends by itself.
static EXIT_CODE: AtomicI32 = AtomicI32::new(0);

/// The exit code scripts chose with `Entangle.exitCode` (0 by default).
pub fn exit_code() -> i32 {
  EXIT_CODE.load(Ordering::SeqCst)
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ProcessInfo {
  args: Vec<String>,
  entangle: &'static str,
  v8: &'static str,
}

/// `Entangle.args` and `Entangle.version`.
#[op2]
#[serde]
pub fn op_entangle_info(state: &mut OpState) -> ProcessInfo {
  ProcessInfo {
    args: state
      .try_borrow::<ScriptArgs>()
      .map(|a| a.0.clone())
      .unwrap_or_default(),
    entangle: env!("CARGO_PKG_VERSION"),
    v8: v8::VERSION_STRING,
  }
}

/// Reads `Entangle.exitCode`.
#[op2(fast)]
pub fn op_entangle_exit_code() -> i32 {
  exit_code()
}

/// Sets `Entangle.exitCode`.
#[op2(fast)]
pub fn op_entangle_set_exit_code(code: i32) {
  EXIT_CODE.store(code, Ordering::SeqCst);
}

/// `Entangle.exit(code)`: flushes what was written and ends the process at
/// once, from any thread (no more JavaScript runs anywhere).
#[op2(fast)]
pub fn op_entangle_exit(code: i32) {
  let _ = std::io::stdout().flush();
  let _ = std::io::stderr().flush();
  std::process::exit(code);
}

/// `Entangle.memoryUsage()`: writes `[rss, heapTotal, heapUsed, external]`,
/// in bytes, into `out`.
#[op2(fast)]
pub fn op_entangle_memory_usage(scope: &mut v8::PinScope<'_, '_>, #[buffer] out: &mut [f64]) {
  let heap = scope.get_heap_statistics();
  let usage = [
    resident_set_size() as f64,
    heap.total_heap_size() as f64,
    heap.used_heap_size() as f64,
    heap.external_memory() as f64,
  ];
  for (slot, value) in out.iter_mut().zip(usage) {
    *slot = value;
  }
}

/// The process's resident memory in bytes (Linux: `VmRSS` in
/// /proc/self/status), 0 when unknown.
fn resident_set_size() -> u64 {
  let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
  let kib: u64 = status
    .lines()
    .find_map(|l| l.strip_prefix("VmRSS:"))
    .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
    .unwrap_or(0);
  kib * 1024
}
