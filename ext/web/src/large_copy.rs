//! Copies of large `ArrayBuffer`s, for cloning, in recycled memory.
//!
//! A fresh copy of 64 MiB spends most of its time in page faults: the
//! kernel hands out and zeroes its memory a page at a time (and a huge page
//! is no better, its zeroing dominates). So the memory of a large copy goes
//! back to a small pool when its `ArrayBuffer` is collected, and the next
//! large copy reuses it, its pages already mapped. The pool holds at most
//! [`POOL_BYTES`]; smaller copies use the allocator.

use std::ffi::c_void;
use std::sync::Mutex;

use deno_core::v8;

/// The smallest copy worth recycling.
const MIN_RECYCLED: usize = 1 << 20;
/// The most memory the pool keeps for reuse.
const POOL_BYTES: usize = 256 << 20;

/// Memory of collected copies, ready for reuse.
static POOL: Mutex<Vec<Vec<u8>>> = Mutex::new(Vec::new());

/// A backing store holding a copy of `bytes`.
pub fn backing_store_with(bytes: &[u8]) -> v8::UniqueRef<v8::BackingStore> {
  if bytes.len() < MIN_RECYCLED {
    return v8::ArrayBuffer::new_backing_store_from_vec(bytes.to_vec());
  }
  let mut memory = reuse(bytes.len()).unwrap_or_default();
  memory.clear();
  memory.extend_from_slice(bytes);
  let mut memory = std::mem::ManuallyDrop::new(memory);
  // SAFETY: the store takes over the vector's allocation: `recycle` gets it
  // back, with its length and capacity, once V8 no longer uses it.
  unsafe {
    v8::ArrayBuffer::new_backing_store_from_ptr(
      memory.as_mut_ptr().cast(),
      memory.len(),
      recycle,
      memory.capacity() as *mut c_void,
    )
  }
}

/// Pooled memory for `length` bytes that does not waste more than it uses.
fn reuse(length: usize) -> Option<Vec<u8>> {
  let mut pool = POOL.lock().unwrap_or_else(|e| e.into_inner());
  let fits = |memory: &Vec<u8>| memory.capacity() >= length && memory.capacity() / 2 <= length;
  let index = pool.iter().position(fits)?;
  Some(pool.swap_remove(index))
}

/// The deleter of a copy: `data`, `length` and `capacity` are its vector's.
unsafe extern "C" fn recycle(data: *mut c_void, length: usize, capacity: *mut c_void) {
  // SAFETY: they describe the vector `backing_store_with` gave up.
  let memory = unsafe { Vec::from_raw_parts(data.cast::<u8>(), length, capacity as usize) };
  let mut pool = POOL.lock().unwrap_or_else(|e| e.into_inner());
  let pooled: usize = pool.iter().map(Vec::capacity).sum();
  if pooled + memory.capacity() <= POOL_BYTES {
    pool.push(memory);
  }
}
