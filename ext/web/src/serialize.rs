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
//! * *streams*: a `ReadableStream`, `WritableStream` or `TransformStream` in
//!   the transfer list is written as its kind and the index of its first
//!   port in the message's ports; the JS glue runs the Streams standard's
//!   transfer steps, which make those ports, once the value is written.
//! * *`WebAssembly.Module`s*: the compiled module moves in the [`Payload`]
//!   (within one process, as HTML allows within an agent cluster); the
//!   receiver makes a module object over the same compiled code.

use std::cell::RefCell;
use std::rc::Rc;
use std::sync::Arc;

use deno_core::v8;
use deno_core::v8::ValueDeserializerHelper;
use deno_core::v8::ValueSerializerHelper;

/// A serialized message: V8 wire bytes plus the memory that moves with them.
/// `Send`, so it can cross to another isolate's thread. Small, as it waits
/// in port queues: what few messages attach lives in a box of its own.
pub struct Payload {
  pub bytes: Vec<u8>,
  attached: Option<Box<Attached>>,
}

/// What moves with a message's bytes.
#[derive(Default)]
pub struct Attached {
  /// Backing stores of transferred (or cloned) `ArrayBuffer`s, by transfer
  /// index.
  pub buffers: Vec<v8::SharedRef<v8::BackingStore>>,
  /// Backing stores of `SharedArrayBuffer`s, by id.
  pub shared: Vec<v8::SharedRef<v8::BackingStore>>,
  /// Compiled code of `WebAssembly.Module`s, by id (shared: a broadcast
  /// hands each receiver the same code).
  pub modules: Vec<Arc<v8::CompiledWasmModule>>,
  /// How many of the message's ports, at the end, are transferred streams'
  /// own (the receiver's `event.ports` leaves them out).
  pub stream_ports: usize,
}

impl Attached {
  fn is_empty(&self) -> bool {
    self.buffers.is_empty()
      && self.shared.is_empty()
      && self.modules.is_empty()
      && self.stream_ports == 0
  }
}

impl Payload {
  /// A payload of wire bytes alone, moving no memory.
  pub fn from_bytes(bytes: Vec<u8>) -> Payload {
    Payload {
      bytes,
      attached: None,
    }
  }

  /// Wire bytes and what moves with them.
  pub fn new(bytes: Vec<u8>, attached: Attached) -> Payload {
    Payload {
      bytes,
      attached: (!attached.is_empty()).then(|| Box::new(attached)),
    }
  }

  /// What moves with the bytes, if anything.
  pub fn attached(&self) -> Option<&Attached> {
    self.attached.as_deref()
  }

  /// The bytes, and what moves with them.
  pub fn into_parts(self) -> (Vec<u8>, Attached) {
    (self.bytes, self.attached.map(|a| *a).unwrap_or_default())
  }

  /// Notes how many of the message's ports are its streams' own.
  pub fn set_stream_ports(&mut self, count: usize) {
    if count > 0 {
      self.attached.get_or_insert_default().stream_ports = count;
    }
  }

  /// How many of the message's ports are its streams' own.
  pub fn stream_ports(&self) -> usize {
    self.attached().map_or(0, |a| a.stream_ports)
  }
}

/// JS functions the serializer calls back into, set once at bootstrap, and
/// what it needs of this isolate.
pub struct Hooks {
  /// The private key of a `MessagePort`'s id ([`host_brand`]).
  pub brand: v8::Global<v8::Private>,
  /// deno_core's `hostObjectBrand` ([`host_object_symbol`]).
  pub host_object: v8::Global<v8::Symbol>,
  /// `(message) => DOMException("DataCloneError")`
  pub clone_error: v8::Global<v8::Function>,
  /// `(platformObject) => data`: serialization steps of serializable objects.
  pub serialize_platform: v8::Global<v8::Function>,
  /// `(data) => platformObject`: their deserialization steps.
  pub deserialize_platform: v8::Global<v8::Function>,
  /// `(kind, port, secondPort) => stream`: the transfer-receiving steps of
  /// a stream of the [`TransferredStream::kind`] `kind`.
  pub receive_stream: v8::Global<v8::Function>,
}

/// A stream in the transfer list, and where its ports are.
pub struct TransferredStream<'s> {
  pub object: v8::Local<'s, v8::Object>,
  /// Its kind, as the JS glue numbers them: 0 readable, 1 writable, 2
  /// transform.
  pub kind: u32,
  /// Index of its first port among the message's ports; a
  /// `TransformStream` has a second one right after.
  pub port: u32,
}

/// How many ports a stream of `kind` takes: a `TransformStream` (kind 2 in
/// the JS glue) one for each side, a readable or writable stream one.
pub fn stream_port_count(kind: u32) -> u32 {
  if kind == 2 {
    2
  } else {
    1
  }
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
const TAG_STREAM: u32 = 2;

struct Serializer<'a, 's> {
  hooks: &'a Hooks,
  /// Port ids in transfer-list order.
  ports: &'a [u32],
  streams: &'a [TransferredStream<'s>],
  shared: Rc<RefCell<Vec<v8::SharedRef<v8::BackingStore>>>>,
  modules: Rc<RefCell<Vec<Arc<v8::CompiledWasmModule>>>>,
  /// Whether the message goes to an isolate (not to a Rust port, which has
  /// nothing to compile a `WebAssembly.Module` in); asked only when the
  /// message has a module.
  to_isolate: &'a dyn Fn() -> bool,
}

impl v8::ValueSerializerImpl for Serializer<'_, '_> {
  fn throw_data_clone_error<'s, 'i>(
    &self,
    scope: &mut v8::PinScope<'s, 'i>,
    message: v8::Local<'s, v8::String>,
  ) {
    throw_data_clone_error(scope, &self.hooks.clone_error, message);
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

  fn get_wasm_module_transfer_id(
    &self,
    scope: &mut v8::PinScope<'_, '_>,
    module: v8::Local<v8::WasmModuleObject>,
  ) -> Option<u32> {
    if !(self.to_isolate)() {
      return self.refuse(
        scope,
        "A WebAssembly.Module cannot be sent to a Rust port: it can only go to a JavaScript isolate, which compiles it.",
      );
    }
    let mut modules = self.modules.borrow_mut();
    modules.push(Arc::new(module.get_compiled_module()));
    Some(modules.len() as u32 - 1)
  }

  fn has_custom_host_object(&self, _isolate: &v8::Isolate) -> bool {
    true
  }

  fn is_host_object<'s, 'i>(
    &self,
    scope: &mut v8::PinScope<'s, 'i>,
    object: v8::Local<'s, v8::Object>,
  ) -> Option<bool> {
    let brand = v8::Local::new(scope, &self.hooks.brand);
    if object.has_private(scope, brand)? {
      return Some(true);
    }
    let host_object = v8::Local::new(scope, &self.hooks.host_object);
    object.has(scope, host_object.into())
  }

  fn write_host_object<'s, 'i>(
    &self,
    scope: &mut v8::PinScope<'s, 'i>,
    object: v8::Local<'s, v8::Object>,
    serializer: &dyn v8::ValueSerializerHelper,
  ) -> Option<bool> {
    let brand = v8::Local::new(scope, &self.hooks.brand);
    let brand = object.get_private(scope, brand)?;
    if let Some(id) = brand.uint32_value(scope).filter(|_| brand.is_number()) {
      // A MessagePort is transferable, not serializable: it must be in the
      // transfer list (StructuredSerializeInternal, step 13).
      let Some(index) = self.ports.iter().position(|&p| p == id) else {
        return self.refuse(
          scope,
          "A MessagePort could not be cloned because it was not transferred.",
        );
      };
      serializer.write_uint32(TAG_PORT);
      serializer.write_uint32(index as u32);
      return Some(true);
    }
    if let Some(stream) = self.streams.iter().find(|s| s.object == object) {
      serializer.write_uint32(TAG_STREAM);
      serializer.write_uint32(stream.kind);
      serializer.write_uint32(stream.port);
      return Some(true);
    }
    let scope = std::pin::pin!(v8::AllowJavascriptExecutionScope::new(scope));
    let scope = &mut scope.init();
    let undefined = v8::undefined(scope).into();
    let serialize_platform = v8::Local::new(scope, &self.hooks.serialize_platform);
    let data = serialize_platform.call(scope, undefined, &[object.into()])?;
    serializer.write_uint32(TAG_PLATFORM);
    serializer.write_value(scope.get_current_context(), data)
  }
}

impl Serializer<'_, '_> {
  /// Throws a "DataCloneError" with `message`; always `None`, for the
  /// serializer to stop.
  fn refuse<T>(&self, scope: &mut v8::PinScope<'_, '_>, message: &str) -> Option<T> {
    let message = v8::String::new(scope, message)?;
    throw_data_clone_error(scope, &self.hooks.clone_error, message);
    None
  }
}

fn throw_data_clone_error(
  scope: &mut v8::PinScope<'_, '_>,
  clone_error: &v8::Global<v8::Function>,
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
/// detached and their backing stores are in the payload. `streams` are its
/// streams; their transfer steps are the caller's to run on success.
/// `to_isolate` says false for a message to a Rust port, which cannot take
/// a `WebAssembly.Module` (a "DataCloneError" then).
pub fn serialize<'s>(
  scope: &mut v8::PinScope<'s, '_>,
  hooks: &Hooks,
  value: v8::Local<'s, v8::Value>,
  ports: &[u32],
  streams: &[TransferredStream<'s>],
  buffers: &[v8::Local<'s, v8::ArrayBuffer>],
  to_isolate: &dyn Fn() -> bool,
) -> Option<Payload> {
  let shared = Rc::new(RefCell::new(Vec::new()));
  let modules = Rc::new(RefCell::new(Vec::new()));
  let serializer = v8::ValueSerializer::new(
    scope,
    Box::new(Serializer {
      hooks,
      ports,
      streams,
      shared: shared.clone(),
      modules: modules.clone(),
      to_isolate,
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
  let modules = modules.take();
  let buffers = buffers
    .iter()
    .map(|buffer| {
      let store = buffer.get_backing_store();
      buffer.detach(None);
      store
    })
    .collect();
  Some(Payload::new(
    bytes,
    Attached {
      buffers,
      shared,
      modules,
      stream_ports: 0,
    },
  ))
}

struct Deserializer<'a, 's> {
  hooks: &'a Hooks,
  ports: v8::Local<'s, v8::Array>,
  shared: &'a [v8::SharedRef<v8::BackingStore>],
  modules: &'a [Arc<v8::CompiledWasmModule>],
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
        let deserialize_platform = v8::Local::new(scope, &self.hooks.deserialize_platform);
        let object = deserialize_platform.call(scope, undefined, &[data])?;
        object.try_cast::<v8::Object>().ok()
      }
      TAG_STREAM => {
        let (mut kind, mut index) = (0, 0);
        if !deserializer.read_uint32(&mut kind) || !deserializer.read_uint32(&mut index) {
          return None;
        }
        // The stream's ports are the message's last ones: bytes that name
        // others (from a Rust port or a corrupt message) are refused.
        let count = stream_port_count(kind);
        if index
          .checked_add(count)
          .is_none_or(|end| end > self.ports.length())
        {
          return None;
        }
        let port = self.ports.get_index(scope, index)?;
        let second = match count {
          2 => self.ports.get_index(scope, index + 1)?,
          _ => v8::undefined(scope).into(),
        };
        let kind = v8::Integer::new_from_unsigned(scope, kind).into();
        let scope = std::pin::pin!(v8::AllowJavascriptExecutionScope::new(scope));
        let scope = &mut scope.init();
        let undefined = v8::undefined(scope).into();
        let receive_stream = v8::Local::new(scope, &self.hooks.receive_stream);
        let stream = receive_stream.call(scope, undefined, &[kind, port, second])?;
        stream.try_cast::<v8::Object>().ok()
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

  fn get_wasm_module_from_id<'s>(
    &self,
    scope: &mut v8::PinScope<'s, '_>,
    clone_id: u32,
  ) -> Option<v8::Local<'s, v8::WasmModuleObject>> {
    let module = self.modules.get(clone_id as usize)?;
    v8::WasmModuleObject::from_compiled_module(scope, module)
  }
}

/// StructuredDeserializeWithTransfer. `ports` holds the `MessagePort`
/// objects already made for the shipped ports, in transfer order. Returns
/// `None` when the data cannot be deserialized (HTML fires `messageerror`).
pub fn deserialize<'s>(
  scope: &mut v8::PinScope<'s, '_>,
  hooks: &Hooks,
  payload: &Payload,
  ports: v8::Local<'s, v8::Array>,
) -> Option<v8::Local<'s, v8::Value>> {
  let attached = match payload.attached() {
    Some(attached) => attached,
    None => {
      if let Some(value) = crate::fast_path::decode(scope, &payload.bytes) {
        return Some(value);
      }
      &Attached::default()
    }
  };
  let deserializer = v8::ValueDeserializer::new(
    scope,
    Box::new(Deserializer {
      hooks,
      ports,
      shared: &attached.shared,
      modules: &attached.modules,
    }),
    &payload.bytes,
  );
  if deserializer.read_header(scope.get_current_context()) != Some(true) {
    return None;
  }
  for (index, store) in attached.buffers.iter().enumerate() {
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
