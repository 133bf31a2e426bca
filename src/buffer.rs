//! [`ArrayBuffer`]: memory that moves between Rust and JavaScript without a
//! copy.
//!
//! An `ArrayBuffer` in a value posted from Rust is *transferred*, as if it
//! were in JS's transfer list: the JS side receives an `ArrayBuffer` over the
//! same memory, and the Rust value is left detached (empty). An
//! `ArrayBuffer` that JS transfers to Rust arrives the same way. While a
//! message is encoded or decoded, the buffers it moves wait in a
//! thread-local list, so that serde's `Serialize`/`Deserialize` can carry
//! them: the wire bytes hold only their index (`entangle_wire::TRANSFER`).

use std::cell::RefCell;
use std::fmt;
use std::sync::Mutex;
use std::sync::MutexGuard;
use std::sync::TryLockError;

use deno_core::v8;
use serde::de;
use serde::Deserialize;
use serde::Serialize;

use crate::PostError;

/// The backing store of a transferred buffer.
pub(crate) type Store = v8::SharedRef<v8::BackingStore>;

thread_local! {
  /// Buffers taken by the value being encoded, by transfer index.
  static OUTGOING: RefCell<Option<Vec<Store>>> = const { RefCell::new(None) };
  /// Buffers of the message being decoded, by transfer index.
  static INCOMING: RefCell<Option<Vec<Option<Store>>>> = const { RefCell::new(None) };
}

/// A JS `ArrayBuffer` held by Rust: bytes that [`Port::post`](crate::Port::post)
/// transfers to JavaScript, and that JavaScript can transfer back, without
/// copying. `Send` and `Sync`.
///
/// ```
/// let buffer = entangle::ArrayBuffer::from(vec![0u8; 1 << 20]);
/// buffer.bytes_mut()[0] = 7;
/// assert_eq!((buffer.len(), buffer.bytes()[0]), (1 << 20, 7));
/// ```
pub struct ArrayBuffer {
  /// `None` once transferred (detached).
  store: Mutex<Option<Store>>,
}

/// The bytes of an [`ArrayBuffer`], borrowed: while this lives, posting the
/// buffer fails instead of detaching memory in use.
pub struct Bytes<'a>(MutexGuard<'a, Option<Store>>);

/// The bytes of an [`ArrayBuffer`], borrowed for writing.
pub struct BytesMut<'a>(MutexGuard<'a, Option<Store>>);

impl ArrayBuffer {
  /// The buffer's bytes; empty once it is detached.
  pub fn bytes(&self) -> Bytes<'_> {
    Bytes(self.lock())
  }

  /// The buffer's bytes, writable; empty once it is detached.
  pub fn bytes_mut(&self) -> BytesMut<'_> {
    BytesMut(self.lock())
  }

  /// The length in bytes (0 once detached).
  pub fn len(&self) -> usize {
    self.lock().as_ref().map_or(0, |store| store.byte_length())
  }

  /// Whether the buffer holds no bytes (it may be detached).
  pub fn is_empty(&self) -> bool {
    self.len() == 0
  }

  /// Whether the buffer was transferred away (it is then empty).
  pub fn is_detached(&self) -> bool {
    self.lock().is_none()
  }

  pub(crate) fn from_store(store: Store) -> Self {
    ArrayBuffer {
      store: Mutex::new(Some(store)),
    }
  }

  fn lock(&self) -> MutexGuard<'_, Option<Store>> {
    self.store.lock().unwrap_or_else(|e| e.into_inner())
  }
}

fn raw_parts(store: &Option<Store>) -> (*mut u8, usize) {
  match store
    .as_ref()
    .and_then(|store| Some((store.data()?, store.byte_length())))
  {
    Some((data, length)) => (data.as_ptr().cast(), length),
    None => (std::ptr::NonNull::dangling().as_ptr(), 0),
  }
}

impl std::ops::Deref for Bytes<'_> {
  type Target = [u8];

  fn deref(&self) -> &[u8] {
    let (data, length) = raw_parts(&self.0);
    // SAFETY: the store lives while the guard holds the lock (a transfer
    // takes it), and only this side holds it: a transfer detaches the side
    // that sends it.
    unsafe { std::slice::from_raw_parts(data, length) }
  }
}

impl std::ops::Deref for BytesMut<'_> {
  type Target = [u8];

  fn deref(&self) -> &[u8] {
    let (data, length) = raw_parts(&self.0);
    // SAFETY: as for `Bytes`.
    unsafe { std::slice::from_raw_parts(data, length) }
  }
}

impl std::ops::DerefMut for BytesMut<'_> {
  fn deref_mut(&mut self) -> &mut [u8] {
    let (data, length) = raw_parts(&self.0);
    // SAFETY: as for `Bytes`, and the guard makes this the only view.
    unsafe { std::slice::from_raw_parts_mut(data, length) }
  }
}

impl From<Vec<u8>> for ArrayBuffer {
  /// Takes the vector's memory as the buffer's backing store (no copy).
  fn from(bytes: Vec<u8>) -> Self {
    let store = v8::ArrayBuffer::new_backing_store_from_vec(bytes).make_shared();
    ArrayBuffer::from_store(store)
  }
}

impl fmt::Debug for ArrayBuffer {
  fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
    f.debug_struct("ArrayBuffer")
      .field("byte_length", &self.len())
      .field("detached", &self.is_detached())
      .finish()
  }
}

impl Serialize for ArrayBuffer {
  /// Transfers the buffer: only [`Port::post`](crate::Port::post) and
  /// [`Message::new`](crate::Message::new) can serialize it.
  fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
    let index = OUTGOING.with_borrow_mut(|outgoing| {
      let outgoing = outgoing
        .as_mut()
        .ok_or("an ArrayBuffer can only be serialized into a message")?;
      let mut store = match self.store.try_lock() {
        Ok(store) => store,
        Err(TryLockError::Poisoned(poisoned)) => poisoned.into_inner(),
        Err(TryLockError::WouldBlock) => return Err("the ArrayBuffer's bytes are borrowed"),
      };
      let store = store.take().ok_or("the ArrayBuffer is detached")?;
      outgoing.push(store);
      Ok::<_, &str>(outgoing.len() - 1)
    });
    let index = index.map_err(serde::ser::Error::custom)?;
    serializer.serialize_newtype_struct(entangle_wire::TRANSFER, &(index as u32))
  }
}

impl<'de> Deserialize<'de> for ArrayBuffer {
  /// A transferred buffer (no copy), or a copied one (JS posted it without
  /// transferring it).
  fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
    deserializer.deserialize_newtype_struct(entangle_wire::TRANSFER, BufferVisitor)
  }
}

struct BufferVisitor;

impl<'de> de::Visitor<'de> for BufferVisitor {
  type Value = ArrayBuffer;

  fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
    f.write_str("an ArrayBuffer")
  }

  fn visit_u32<E: de::Error>(self, index: u32) -> Result<ArrayBuffer, E> {
    let store = INCOMING.with_borrow_mut(|incoming| {
      let slot = incoming.as_mut()?.get_mut(index as usize)?;
      slot.take()
    });
    let store = store.ok_or_else(|| E::custom(format!("no transferred ArrayBuffer {index}")))?;
    Ok(ArrayBuffer::from_store(store))
  }

  fn visit_u64<E: de::Error>(self, index: u64) -> Result<ArrayBuffer, E> {
    let index = u32::try_from(index).map_err(|_| E::custom("bad transfer index"))?;
    self.visit_u32(index)
  }

  fn visit_bytes<E: de::Error>(self, bytes: &[u8]) -> Result<ArrayBuffer, E> {
    Ok(ArrayBuffer::from(bytes.to_vec()))
  }

  fn visit_byte_buf<E: de::Error>(self, bytes: Vec<u8>) -> Result<ArrayBuffer, E> {
    Ok(ArrayBuffer::from(bytes))
  }
}

/// Encodes `value`, collecting the [`ArrayBuffer`]s it transfers. On
/// failure the buffers already taken come back in the error.
pub(crate) fn encode<T: Serialize + ?Sized>(value: &T) -> Result<(Vec<u8>, Vec<Store>), PostError> {
  let previous = OUTGOING.replace(Some(Vec::new()));
  let bytes = entangle_wire::to_bytes(value);
  let stores = OUTGOING.replace(previous).unwrap_or_default();
  match bytes {
    Ok(bytes) => Ok((bytes, stores)),
    Err(error) => Err(PostError::Serialize {
      reason: error.to_string(),
      buffers: stores.into_iter().map(ArrayBuffer::from_store).collect(),
    }),
  }
}

/// Decodes `bytes`, handing transferred stores to the [`ArrayBuffer`]s the
/// value asks for; the ones it does not take are left in `stores`.
pub(crate) fn decode<T: de::DeserializeOwned>(
  bytes: &[u8],
  stores: &mut Vec<Option<Store>>,
) -> Result<T, entangle_wire::Error> {
  let previous = INCOMING.replace(Some(std::mem::take(stores)));
  let value = entangle_wire::from_bytes(bytes);
  *stores = INCOMING.replace(previous).unwrap_or_default();
  value
}
