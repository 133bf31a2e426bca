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
//! So the callback only makes room (V8 would abort if it did not) and asks
//! for an interrupt. The interrupt runs once the allocation is over, back in
//! JavaScript, and looks at the heap: full means terminate, anything else
//! means the room is taken back and the script goes on.

use std::cell::Cell;
use std::ffi::c_void;

use deno_core::v8;

/// The share of the initial limit above which a heap counts as full: V8
/// calls its collections ineffective from 95% on.
const FULL_PERCENT: usize = 90;

/// How far the limit may be raised to let a terminated script unwind. A loop
/// of nothing but built-in calls (`for (;;) a.push(new Array(1000))`) has no
/// interrupt check; past this much, V8 aborts the process.
const MAX_HEADROOM: usize = 4;

/// The state V8's callbacks share with the runtime. It is boxed by the
/// runtime, which outlives its isolate, so the pointer given to V8 stays
/// valid for as long as V8 may call back.
pub(crate) struct HeapGuard {
  isolate: v8::IsolateHandle,
  /// The limit the isolate started with, learnt at the first callback.
  initial: Cell<usize>,
  /// Whether an interrupt is on its way.
  pending: Cell<bool>,
  /// Whether the heap was found full and the script terminated.
  exceeded: Cell<bool>,
}

impl HeapGuard {
  /// Watches `isolate`'s heap from now on.
  pub(crate) fn install(isolate: &mut v8::Isolate) -> Box<HeapGuard> {
    let guard = Box::new(HeapGuard {
      isolate: isolate.thread_safe_handle(),
      initial: Cell::new(0),
      pending: Cell::new(false),
      exceeded: Cell::new(false),
    });
    isolate.add_near_heap_limit_callback(near_heap_limit, guard.data());
    guard
  }

  /// Whether the script was terminated because its heap was full.
  pub(crate) fn exceeded(&self) -> bool {
    self.exceeded.get()
  }

  fn data(&self) -> *mut c_void {
    self as *const HeapGuard as *mut c_void
  }
}

/// V8's near-heap-limit callback: raise the limit so the allocation in
/// progress can finish, and decide in [`check_heap`] what it meant.
unsafe extern "C" fn near_heap_limit(data: *mut c_void, current: usize, initial: usize) -> usize {
  // SAFETY: `data` is the boxed guard, alive as long as the isolate.
  let guard = unsafe { &*(data as *const HeapGuard) };
  guard.initial.set(initial);
  if !guard.pending.replace(true) {
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
  let initial = guard.initial.get();
  let used = isolate.get_heap_statistics().used_heap_size();
  if used >= initial / 100 * FULL_PERCENT {
    guard.exceeded.set(true);
    isolate.terminate_execution();
  } else {
    // Removing the callback is V8's way to lower the limit again.
    isolate.remove_near_heap_limit_callback(near_heap_limit, initial);
    isolate.add_near_heap_limit_callback(near_heap_limit, data);
  }
}
