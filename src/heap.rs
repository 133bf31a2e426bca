//! Keeps an isolate within its heap limit: when the JavaScript heap is full,
//! the script is terminated and the runtime reports
//! [`Error::HeapLimitExceeded`](crate::Error::HeapLimitExceeded), where V8
//! alone would abort the process.
//!
//! V8 calls the near-heap-limit callback in two situations that look alike
//! from inside it:
//!
//! 1. the heap really is full (the limit is reached, garbage collection is
//!    ineffective, or an object does not fit);
//! 2. a last-resort collection before V8 gives up on memory outside the heap,
//!    such as the address space for `new ArrayBuffer(0, { maxByteLength:
//!    2 ** 47 })`, which then fails with a `RangeError` as it should.
//!
//! So the callback always makes room (V8 would abort if it did not). A full
//! heap terminates the script at once. Otherwise the callback asks for an
//! interrupt, which runs once the allocation is over, back in JavaScript, and
//! looks again: full means terminate (an object that did not fit is in now),
//! anything else means the room is taken back and the script goes on.
//!
//! Termination lands where JavaScript checks for interrupts, and optimized
//! code may never check: a loop of nothing but built-in calls (`for (;;)
//! a.push(new Array(1000))`) runs on until V8 gives up, after the room given
//! has grown to [`MAX_HEADROOM`] times the limit. V8 then ends the process;
//! [`out_of_memory`] makes that a one-line error and exit status 1 instead
//! of an abort with a stack dump.

use std::cell::Cell;
use std::ffi::c_void;
use std::ffi::CStr;
use std::io::Write;

use deno_core::v8;

use crate::Error;

/// The share of the initial limit above which a heap counts as full: V8
/// calls its collections ineffective from 95% on.
const FULL_PERCENT: usize = 90;

/// How many times its initial limit the heap may grow to while a terminated
/// script makes its way to the next interrupt check.
const MAX_HEADROOM: usize = 4;

thread_local! {
  /// The heap limit of the isolate on this thread, for [`out_of_memory`].
  static LIMIT: Cell<usize> = const { Cell::new(0) };
}

/// The state V8's callbacks share with the runtime. It is boxed by the
/// runtime, which outlives its isolate, so the pointer given to V8 stays
/// valid for as long as V8 may call back.
pub(crate) struct HeapGuard {
  /// The isolate, for V8's callbacks, which run on its thread.
  raw: v8::UnsafeRawIsolatePtr,
  /// The isolate, for asking for an interrupt.
  isolate: v8::IsolateHandle,
  /// The heap limit, as the user knows it (bytes).
  limit: usize,
  /// The limit the isolate started with, learnt at the first callback.
  initial: Cell<usize>,
  /// Whether an interrupt is on its way.
  pending: Cell<bool>,
  /// Whether the heap was found full and the script terminated.
  exceeded: Cell<bool>,
}

impl HeapGuard {
  /// Watches `isolate`'s heap from now on; `limit` is its heap limit, as
  /// configured or V8's default.
  pub(crate) fn install(isolate: &mut v8::Isolate, limit: usize) -> Box<HeapGuard> {
    let guard = Box::new(HeapGuard {
      // SAFETY: only used on the isolate's thread, inside V8's callbacks.
      raw: unsafe { isolate.as_raw_isolate_ptr() },
      isolate: isolate.thread_safe_handle(),
      limit,
      initial: Cell::new(0),
      pending: Cell::new(false),
      exceeded: Cell::new(false),
    });
    isolate.add_near_heap_limit_callback(near_heap_limit, guard.data());
    isolate.set_oom_error_handler(out_of_memory);
    LIMIT.set(limit);
    guard
  }

  /// [`Error::HeapLimitExceeded`] if the script was terminated because its
  /// heap was full.
  pub(crate) fn exceeded(&self) -> Option<Error> {
    self
      .exceeded
      .get()
      .then_some(Error::HeapLimitExceeded { limit: self.limit })
  }

  fn data(&self) -> *mut c_void {
    self as *const HeapGuard as *mut c_void
  }

  /// Whether the heap is full: terminates the script if it is.
  fn terminate_if_full(&self, isolate: &mut v8::Isolate) -> bool {
    let used = isolate.get_heap_statistics().used_heap_size();
    let full = used >= self.initial.get() / 100 * FULL_PERCENT;
    if full {
      self.exceeded.set(true);
      isolate.terminate_execution();
    }
    full
  }
}

/// V8's near-heap-limit callback: raise the limit so the allocation in
/// progress can finish; terminate a full heap's script, or decide in
/// [`check_heap`] once the allocation is over.
unsafe extern "C" fn near_heap_limit(data: *mut c_void, current: usize, initial: usize) -> usize {
  // SAFETY: `data` is the boxed guard, alive as long as the isolate; V8
  // calls this on the isolate's thread.
  let guard = unsafe { &*(data as *const HeapGuard) };
  let mut raw = guard.raw;
  let isolate = unsafe { v8::Isolate::ref_from_raw_isolate_ptr_mut(&mut raw) };
  guard.initial.set(initial);
  if !guard.terminate_if_full(isolate) && !guard.pending.replace(true) {
    guard.isolate.request_interrupt(check_heap, data);
  }
  if current < initial * MAX_HEADROOM {
    current * 2
  } else {
    current
  }
}

/// Runs on the isolate's thread after the allocation that called
/// [`near_heap_limit`]: terminates a full heap's script, or restores the
/// initial limit when the memory asked for was not heap.
unsafe extern "C" fn check_heap(mut isolate: v8::UnsafeRawIsolatePtr, data: *mut c_void) {
  // SAFETY: as in `near_heap_limit`; V8 runs interrupts on the isolate's
  // own thread, where nothing else holds it.
  let guard = unsafe { &*(data as *const HeapGuard) };
  let isolate = unsafe { v8::Isolate::ref_from_raw_isolate_ptr_mut(&mut isolate) };
  guard.pending.set(false);
  if !guard.terminate_if_full(isolate) {
    // Removing the callback is V8's way to lower the limit again.
    isolate.remove_near_heap_limit_callback(near_heap_limit, guard.initial.get());
    isolate.add_near_heap_limit_callback(near_heap_limit, data);
  }
}

/// V8 gave up on memory: the process must end, as V8 would end it. Say so in
/// one line, as the CLI reports a terminated script, and exit with status 1.
unsafe extern "C" fn out_of_memory(location: *const std::ffi::c_char, details: &v8::OomDetails) {
  // SAFETY: V8 passes a C string, or null.
  let location = if location.is_null() {
    "".into()
  } else {
    unsafe { CStr::from_ptr(location) }.to_string_lossy()
  };
  let what = if details.is_heap_oom {
    format!(
      "the JavaScript heap reached its limit ({} MiB) and the script could not be stopped",
      LIMIT.get() >> 20
    )
  } else {
    "the process ran out of memory".to_owned()
  };
  let _ = writeln!(std::io::stderr(), "error: {what} ({location})");
  // Not `exit`: other threads may still be running V8.
  unsafe { libc::_exit(1) }
}
