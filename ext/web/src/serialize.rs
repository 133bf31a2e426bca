//! Structured serialization over V8's `ValueSerializer`.
//!
//! Spec: <https://html.spec.whatwg.org/multipage/structured-data.html#safe-passing-of-structured-data>
//!
//! V8 implements StructuredSerializeInternal for every JavaScript type; this
//! module adds what belongs to the host:
//! * *platform objects*: a `MessagePort` carries its port id under the
//!   [`host_brand`] private key and may only appear if it is in the transfer
//!   list; deno_web's interfaces carry deno_core's `hostObjectBrand` symbol
//!   (`Symbol.for("Deno.core.hostObject")`), under which serializable ones
//!   (`Blob`, `File`, `DOMException`) keep their serialization steps. A JS
//!   hook runs those steps (or throws a `DataCloneError`) and another rebuilds
//!   the object on the receiving side.
//! * *transfers*: `ArrayBuffer`s in the transfer list are written as transfer
//!   indices and their backing stores moved into the [`Payload`]; no byte is
//!   copied. `SharedArrayBuffer` backing stores are shared the same way.

use std::cell::RefCell;
use std::rc::Rc;

use deno_core::v8;
use deno_core::v8::ValueDeserializerHelper;
use deno_core::v8::ValueSerializerHelper;

/// A serialized message: V8 wire bytes plus the memory that moves with them.
/// `Send`, so it can cross to another isolate's thread.
pub struct Payload {
  pub bytes: Vec<u8>,
  /// Backing stores of transferred `ArrayBuffer`s, by transfer index.
  pub buffers: Vec<v8::SharedRef<v8::BackingStore>>,
  /// Backing stores of `SharedArrayBuffer`s, by id.
  pub shared: Vec<v8::SharedRef<v8::BackingStore>>,
}

/// JS functions the serializer calls back into, set once at bootstrap, and
/// what it needs of this isolate.
pub struct Hooks<'s> {
  /// The private key of a `MessagePort`'s id ([`host_brand`]).
  pub brand: v8::Local<'s, v8::Private>,
  /// deno_core's `hostObjectBrand` ([`host_object_symbol`]).
  pub host_object: v8::Local<'s, v8::Symbol>,
  /// `(message) => DOMException("DataCloneError")`
  pub clone_error: v8::Local<'s, v8::Function>,
  /// `(platformObject) => data`: serialization steps of serializable objects.
  pub serialize_platform: v8::Local<'s, v8::Function>,
  /// `(data) => platformObject`: their deserialization steps.
  pub deserialize_platform: v8::Local<'s, v8::Function>,
}

/// The symbol under which deno_web's interfaces keep their serialization
/// steps: deno_core's `hostObjectBrand`.
pub fn host_object_symbol<'s>(scope: &v8::PinScope<'s, '_, ()>) -> v8::Local<'s, v8::Symbol> {
  let name = v8::String::new(scope, "Deno.core.hostObject").unwrap();
  v8::Symbol::for_key(scope, name)
}

/// Where a `MessagePort` keeps its port id: a private symbol, invisible to
/// scripts and impossible for them to forge.
pub fn host_brand<'s>(scope: &v8::PinScope<'s, '_, ()>) -> v8::Local<'s, v8::Private> {
  let name = v8::String::new(scope, "entangle#host").unwrap();
  v8::Private::for_api(scope, Some(name))
}

const TAG_PORT: u32 = 0;
const TAG_PLATFORM: u32 = 1;

struct Serializer<'a, 's> {
  hooks: &'a Hooks<'s>,
  /// Port ids in transfer-list order.
  ports: &'a [u32],
  shared: Rc<RefCell<Vec<v8::SharedRef<v8::BackingStore>>>>,
}

impl v8::ValueSerializerImpl for Serializer<'_, '_> {
  fn throw_data_clone_error<'s, 'i>(
    &self,
    scope: &mut v8::PinScope<'s, 'i>,
    message: v8::Local<'s, v8::String>,
  ) {
    throw_data_clone_error(scope, self.hooks.clone_error, message);
  }

  fn get_shared_array_buffer_id<'s, 'i>(
    &self,
    _scope: &mut v8::PinScope<'s, 'i>,
    shared_array_buffer: v8::Local<'s, v8::SharedArrayBuffer>,
  ) -> Option<u32> {
    let mut shared = self.shared.borrow_mut();
    shared.push(shared_array_buffer.get_backing_store());
    Some(shared.len() as u32 - 1)
  }

  fn has_custom_host_object(&self, _isolate: &v8::Isolate) -> bool {
    true
  }

  fn is_host_object<'s, 'i>(
    &self,
    scope: &mut v8::PinScope<'s, 'i>,
    object: v8::Local<'s, v8::Object>,
  ) -> Option<bool> {
    if object.has_private(scope, self.hooks.brand)? {
      return Some(true);
    }
    object.has(scope, self.hooks.host_object.into())
  }

  fn write_host_object<'s, 'i>(
    &self,
    scope: &mut v8::PinScope<'s, 'i>,
    object: v8::Local<'s, v8::Object>,
    serializer: &dyn v8::ValueSerializerHelper,
  ) -> Option<bool> {
    let brand = object.get_private(scope, self.hooks.brand)?;
    if let Some(id) = brand.uint32_value(scope).filter(|_| brand.is_number()) {
      // A MessagePort is transferable, not serializable: it must be in the
      // transfer list (StructuredSerializeInternal, step 13).
      let Some(index) = self.ports.iter().position(|&p| p == id) else {
        let message = v8::String::new(
          scope,
          "A MessagePort could not be cloned because it was not transferred.",
        )?;
        throw_data_clone_error(scope, self.hooks.clone_error, message);
        return None;
      };
      serializer.write_uint32(TAG_PORT);
      serializer.write_uint32(index as u32);
      return Some(true);
    }
    let scope = std::pin::pin!(v8::AllowJavascriptExecutionScope::new(scope));
    let scope = &mut scope.init();
    let undefined = v8::undefined(scope).into();
    let serialize_platform = v8::Local::new(scope, self.hooks.serialize_platform);
    let data = serialize_platform.call(scope, undefined, &[object.into()])?;
    serializer.write_uint32(TAG_PLATFORM);
    serializer.write_value(scope.get_current_context(), data)
  }
}

fn throw_data_clone_error(
  scope: &mut v8::PinScope<'_, '_>,
  clone_error: v8::Local<v8::Function>,
  message: v8::Local<v8::String>,
) {
  let scope = std::pin::pin!(v8::AllowJavascriptExecutionScope::new(scope));
  let scope = &mut scope.init();
  let clone_error = v8::Local::new(scope, clone_error);
  let message = v8::Local::new(scope, message);
  let undefined = v8::undefined(scope).into();
  if let Some(error) = clone_error.call(scope, undefined, &[message.into()]) {
    scope.throw_exception(error);
  }
}

/// StructuredSerializeWithTransfer, minus the transfer-list checks that the
/// JS glue has already made. On failure a JS exception is pending on `scope`
/// and `None` is returned; nothing has been detached then.
///
/// `buffers` are the `ArrayBuffer`s of the transfer list; on success they are
/// detached and their backing stores are in the payload.
pub fn serialize<'s>(
  scope: &mut v8::PinScope<'s, '_>,
  hooks: &Hooks<'s>,
  value: v8::Local<'s, v8::Value>,
  ports: &[u32],
  buffers: &[v8::Local<'s, v8::ArrayBuffer>],
) -> Option<Payload> {
  if ports.is_empty() && buffers.is_empty() {
    if let Some(bytes) = crate::fast_path::encode(scope, value) {
      return Some(Payload {
        bytes,
        buffers: Vec::new(),
        shared: Vec::new(),
      });
    }
  }
  let shared = Rc::new(RefCell::new(Vec::new()));
  let serializer = v8::ValueSerializer::new(
    scope,
    Box::new(Serializer {
      hooks,
      ports,
      shared: shared.clone(),
    }),
  );
  serializer.write_header();
  for (index, buffer) in buffers.iter().enumerate() {
    serializer.transfer_array_buffer(index as u32, *buffer);
  }
  // Buffers stay attached until the value is written: V8 looks at
  // `was_detached()` before its transfer map when writing a view.
  if serializer.write_value(scope.get_current_context(), value) != Some(true) {
    return None;
  }
  let bytes = serializer.release();
  let shared = shared.take();
  let buffers = buffers
    .iter()
    .map(|buffer| {
      let store = buffer.get_backing_store();
      buffer.detach(None);
      store
    })
    .collect();
  Some(Payload {
    bytes,
    buffers,
    shared,
  })
}

struct Deserializer<'a, 's> {
  hooks: &'a Hooks<'s>,
  ports: v8::Local<'s, v8::Array>,
  shared: &'a [v8::SharedRef<v8::BackingStore>],
}

impl v8::ValueDeserializerImpl for Deserializer<'_, '_> {
  fn read_host_object<'s, 'i>(
    &self,
    scope: &mut v8::PinScope<'s, 'i>,
    deserializer: &dyn v8::ValueDeserializerHelper,
  ) -> Option<v8::Local<'s, v8::Object>> {
    let mut tag = 0;
    if !deserializer.read_uint32(&mut tag) {
      return None;
    }
    match tag {
      TAG_PORT => {
        let mut index = 0;
        if !deserializer.read_uint32(&mut index) {
          return None;
        }
        let port = self.ports.get_index(scope, index)?;
        port.try_cast::<v8::Object>().ok()
      }
      TAG_PLATFORM => {
        let data = deserializer.read_value(scope.get_current_context())?;
        let scope = std::pin::pin!(v8::AllowJavascriptExecutionScope::new(scope));
        let scope = &mut scope.init();
        let undefined = v8::undefined(scope).into();
        let deserialize_platform = v8::Local::new(scope, self.hooks.deserialize_platform);
        let object = deserialize_platform.call(scope, undefined, &[data])?;
        object.try_cast::<v8::Object>().ok()
      }
      _ => None,
    }
  }

  fn get_shared_array_buffer_from_id<'s, 'i>(
    &self,
    scope: &mut v8::PinScope<'s, 'i>,
    transfer_id: u32,
  ) -> Option<v8::Local<'s, v8::SharedArrayBuffer>> {
    let store = self.shared.get(transfer_id as usize)?;
    Some(v8::SharedArrayBuffer::with_backing_store(scope, store))
  }
}

/// StructuredDeserializeWithTransfer. `ports` holds the `MessagePort`
/// objects already made for the shipped ports, in transfer order. Returns
/// `None` when the data cannot be deserialized (HTML fires `messageerror`).
pub fn deserialize<'s>(
  scope: &mut v8::PinScope<'s, '_>,
  hooks: &Hooks<'s>,
  payload: &Payload,
  ports: v8::Local<'s, v8::Array>,
) -> Option<v8::Local<'s, v8::Value>> {
  if payload.buffers.is_empty() && payload.shared.is_empty() {
    if let Some(value) = crate::fast_path::decode(scope, &payload.bytes) {
      return Some(value);
    }
  }
  let deserializer = v8::ValueDeserializer::new(
    scope,
    Box::new(Deserializer {
      hooks,
      ports,
      shared: &payload.shared,
    }),
    &payload.bytes,
  );
  if deserializer.read_header(scope.get_current_context()) != Some(true) {
    return None;
  }
  for (index, store) in payload.buffers.iter().enumerate() {
    let buffer = v8::ArrayBuffer::with_backing_store(scope, store);
    deserializer.transfer_array_buffer(index as u32, buffer);
  }
  deserializer.read_value(scope.get_current_context())
}

#[cfg(test)]
mod tests {
  use deno_core::v8;
  use deno_core::v8::ValueSerializerHelper;

  /// `entangle_wire::VERSION`, what the fast path and Rust ports write, is
  /// the version this V8 writes.
  #[test]
  fn wire_version_is_the_one_v8_writes() {
    struct Plain;
    impl v8::ValueSerializerImpl for Plain {
      fn throw_data_clone_error<'s, 'i>(
        &self,
        _scope: &mut v8::PinScope<'s, 'i>,
        _message: v8::Local<'s, v8::String>,
      ) {
      }
    }
    let mut runtime = deno_core::JsRuntime::new(Default::default());
    crate::main_scope!(let scope, runtime);
    let serializer = v8::ValueSerializer::new(scope, Box::new(Plain));
    serializer.write_header();
    let header = serializer.release();
    assert_eq!(
      header,
      [entangle_wire::format::VERSION_TAG, entangle_wire::VERSION]
    );
  }
}
