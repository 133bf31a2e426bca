//! Copies of large `ArrayBuffer`s, for cloning, in memory mapped for them.
//!
//! A fresh copy of 64 MiB from the allocator spends most of its time in
//! page faults, one per 4 KiB page. Here a large copy gets its memory from
//! one `mmap` that maps every page at once (`MAP_POPULATE`), and that
//! memory goes back to a small pool when its `ArrayBuffer` is collected,
//! for the next large copy to reuse as it is. The pool keeps at most
//! [`POOL_BYTES`]; smaller copies, and any mapping that fails, use the
//! allocator.

use std::ffi::c_void;
use std::sync::atomic::AtomicUsize;
use std::sync::atomic::Ordering;
use std::sync::Mutex;

use deno_core::v8;

/// The smallest copy worth mapping.
const MIN_MAPPED: usize = 1 << 20;
/// The most memory the pool keeps for reuse.
const POOL_BYTES: usize = 256 << 20;

/// A mapped region: its start and length.
struct Region {
  start: usize,
  length: usize,
}

/// Regions of collected copies, ready for reuse.
static POOL: Mutex<Vec<Region>> = Mutex::new(Vec::new());

/// Bytes of copies made and not yet collected, in every isolate.
static LIVE: AtomicUsize = AtomicUsize::new(0);

/// How many bytes of copies may wait for the garbage collector before it is
/// asked to run (see [`collect_if_due`]).
const COLLECT_AFTER: usize = 512 << 20;

/// A backing store holding a copy of `bytes`.
pub fn backing_store_with(bytes: &[u8]) -> v8::UniqueRef<v8::BackingStore> {
  if bytes.len() >= MIN_MAPPED {
    if let Some(region) = reuse(bytes.len()).or_else(|| map(bytes.len())) {
      // SAFETY: the region is `region.length >= bytes.len()` writable bytes
      // that nothing else uses; the store owns it from here on, and
      // `recycle` gets it back, with its length, once V8 no longer uses it.
      LIVE.fetch_add(region.length, Ordering::Relaxed);
      unsafe {
        std::ptr::copy_nonoverlapping(bytes.as_ptr(), region.start as *mut u8, bytes.len());
        return v8::ArrayBuffer::new_backing_store_from_ptr(
          region.start as *mut c_void,
          bytes.len(),
          recycle,
          region.length as *mut c_void,
        );
      }
    }
  }
  v8::ArrayBuffer::new_backing_store_from_vec(bytes.to_vec())
}

/// A pooled region for `length` bytes that does not waste more than it uses.
fn reuse(length: usize) -> Option<Region> {
  let mut pool = POOL.lock().unwrap_or_else(|e| e.into_inner());
  let fits = |region: &Region| region.length >= length && region.length / 2 <= length;
  let index = pool.iter().position(fits)?;
  Some(pool.swap_remove(index))
}

/// A new region of `length` bytes, its pages mapped.
fn map(length: usize) -> Option<Region> {
  // SAFETY: an anonymous private mapping, owned by the returned region.
  let start = unsafe {
    libc::mmap(
      std::ptr::null_mut(),
      length,
      libc::PROT_READ | libc::PROT_WRITE,
      libc::MAP_PRIVATE | libc::MAP_ANONYMOUS | libc::MAP_POPULATE,
      -1,
      0,
    )
  };
  (start != libc::MAP_FAILED).then_some(Region {
    start: start as usize,
    length,
  })
}

/// The deleter of a copy: `data` is its region's start, `length` the
/// region's length.
unsafe extern "C" fn recycle(data: *mut c_void, _byte_length: usize, length: *mut c_void) {
  let region = Region {
    start: data as usize,
    length: length as usize,
  };
  LIVE.fetch_sub(region.length, Ordering::Relaxed);
  let mut pool = POOL.lock().unwrap_or_else(|e| e.into_inner());
  let pooled: usize = pool.iter().map(|r| r.length).sum();
  if pooled + region.length <= POOL_BYTES {
    pool.push(region);
    return;
  }
  drop(pool);
  // SAFETY: the region was mapped by `map` and V8 no longer uses it.
  unsafe {
    libc::munmap(data, region.length);
  }
}

/// Asks for a full garbage collection once copies made since the last one
/// hold more than [`COLLECT_AFTER`] bytes. V8 counts them as external
/// memory, but a script that clones large buffers in a loop allocates little
/// on its own heap, so its incremental marking crawls while gigabytes of
/// dead copies wait; a collection of a small heap takes a millisecond or
/// two, a 64 MiB copy into fresh pages tens of them.
pub fn collect_if_due(isolate: &mut v8::Isolate) {
  static AT_LAST: AtomicUsize = AtomicUsize::new(0);
  let live = LIVE.load(Ordering::Relaxed);
  let at_last = AT_LAST.load(Ordering::Relaxed);
  if live > at_last.saturating_add(COLLECT_AFTER) {
    AT_LAST.store(live, Ordering::Relaxed);
    isolate.memory_pressure_notification(v8::MemoryPressureLevel::Critical);
  } else if live < at_last {
    // Collections freed copies: the next one is due relative to what is
    // left.
    AT_LAST.store(live, Ordering::Relaxed);
  }
}
