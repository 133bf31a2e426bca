//! Entangle's deno_core extension: the op layer under `MessageChannel`,
//! `MessagePort`, `structuredClone` and workers, on top of deno_web.
//!
//! * [`messaging`]: `MessageChannel`, `MessagePort`, `structuredClone`;
//! * [`serialize`]: structured serialization with transfer over V8's
//!   `ValueSerializer`;
//! * [`worker`]: dedicated workers, over a host the runtime provides;
//! * [`process`]: the `Entangle` namespace (arguments, exit, memory);
//! * `navigator`: what `navigator` tells of the machine;
//! * [`extensions`]: every extension an isolate needs: deno_webidl, deno_web
//!   and deno_crypto (the general web platform) below Entangle's own.
//!
//! The JS glue is loaded as ES modules (`ext:entangle/...`) into the startup
//! snapshot; `ext:entangle/90_bootstrap.js` is the entry point.

use std::sync::Arc;

use deno_core::op2;
use deno_core::v8;
use deno_core::Extension;
use deno_core::ExtensionFileSource;
use deno_core::FastStaticString;
use deno_core::JsRuntime;
use deno_core::OpDecl;
use deno_core::OpState;
use deno_web::BlobStoreTrait;
use deno_web::InMemoryBroadcastChannel;

/// Enters a `JsRuntime`'s main context from Rust, outside any op:
/// `main_scope!(let scope, runtime);` makes `scope` a context scope.
#[macro_export]
macro_rules! main_scope {
  (let $scope:ident, $runtime:expr) => {
    let context = $runtime.main_context();
    let isolate = $runtime.v8_isolate();
    deno_core::v8::scope!(let $scope, isolate);
    let context = deno_core::v8::Local::new($scope, context);
    let $scope = &mut deno_core::v8::ContextScope::new($scope, context);
  };
}

mod fast_path;
mod large_copy;
pub mod messaging;
mod navigator;
pub mod process;
pub mod serialize;
pub mod worker;

pub use messaging::keeps_alive;

/// The extensions of one isolate, in dependency order: deno_webidl,
/// deno_web, deno_crypto, then Entangle's. `blobs` is the blob store of the
/// isolate's cluster: `blob:` URLs and `Blob` bytes are shared by all its
/// runtimes.
pub fn extensions(blobs: Arc<dyn BlobStoreTrait>) -> Vec<Extension> {
  let mut web = deno_web::deno_web::init(blobs, None, false, InMemoryBroadcastChannel::default());
  web.lazy_loaded_js_files = web
    .lazy_loaded_js_files
    .iter()
    .map(|file| match file.specifier {
      MESSAGE_PORT_SPECIFIER => ExtensionFileSource::new(MESSAGE_PORT_SPECIFIER, MESSAGE_PORT_SHIM),
      EVENT_SPECIFIER => trusted_error_events(file),
      _ => file.clone(),
    })
    .collect::<Vec<_>>()
    .into();
  vec![
    deno_webidl::deno_webidl::init(),
    web,
    deno_crypto::deno_crypto::init(None),
    entangle::init(),
  ]
}

/// deno_web's own `MessagePort` module, which its other modules load.
const MESSAGE_PORT_SPECIFIER: &str = "ext:deno_web/13_message_port.js";

/// What deno_web's modules get instead: Entangle's messaging, which
/// `ext:entangle/10_message_port.js` hands over when it is evaluated.
const MESSAGE_PORT_SHIM: FastStaticString =
  deno_core::ascii_str!("(() => globalThis.__bootstrap.internals.entangleMessaging)();");

/// deno_web's events module.
const EVENT_SPECIFIER: &str = "ext:deno_web/02_event.js";

/// deno_web's "report an exception" fires its `error` event untrusted;
/// HTML fires it as the user agent, `isTrusted` true. One line added to the
/// module fixes that. A deno_web whose source no longer matches fails the
/// snapshot build here.
fn trusted_error_events(file: &ExtensionFileSource) -> ExtensionFileSource {
  const AT: &str = "  // Avoid recursing `reportException()` via error handlers more than once.\n";
  let source = file.load().expect("deno_web's events module is built in");
  assert!(
    source.contains(AT),
    "deno_web's reportException changed: {EVENT_SPECIFIER}"
  );
  let patched = source.replacen(AT, &format!("  setIsTrusted(event, true);\n{AT}"), 1);
  ExtensionFileSource::new_computed(EVENT_SPECIFIER, patched.into())
}

/// Puts [`op_report_uncaught`] in the place of deno_core's
/// `op_dispatch_exception`, the op behind `core.reportUnhandledException`.
fn replace_dispatch_exception(op: OpDecl) -> OpDecl {
  match op.name {
    "op_dispatch_exception" => op_report_uncaught(),
    _ => op,
  }
}

/// The function a worker installs to hand uncaught exceptions to its parent.
struct UncaughtHook(v8::Global<v8::Function>);

/// An exception nothing handled. In the main isolate deno_core ends the
/// script (the process then exits 1); in a worker the exception goes to the
/// `Worker` object in the parent and the worker goes on, as HTML says.
/// <https://html.spec.whatwg.org/multipage/workers.html#runtime-script-errors-2>
#[op2(nofast, reentrant)]
fn op_report_uncaught<'s>(
  scope: &mut v8::PinScope<'s, '_>,
  exception: v8::Local<'s, v8::Value>,
  promise: bool,
) {
  let hook = {
    let state = JsRuntime::op_state_from(scope);
    let state = state.borrow();
    state
      .try_borrow::<UncaughtHook>()
      .map(|hook| hook.0.clone())
  };
  match hook {
    Some(hook) => {
      let hook = v8::Local::new(scope, hook);
      let undefined = v8::undefined(scope).into();
      hook.call(scope, undefined, &[exception]);
    }
    None => deno_core::error::dispatch_exception(scope, exception, promise),
  }
}

/// Installs a worker's [`UncaughtHook`].
#[op2]
fn op_set_uncaught_hook(state: &mut OpState, #[scoped] hook: v8::Global<v8::Function>) {
  state.put(UncaughtHook(hook));
}

deno_core::extension!(
  entangle,
  deps = [deno_webidl, deno_web, deno_crypto],
  ops = [
    op_set_uncaught_hook,
    navigator::op_navigator,
    messaging::op_messaging_init,
    messaging::op_message_channel,
    messaging::op_port_attach,
    messaging::op_port_post,
    messaging::op_port_post_number,
    messaging::op_clone_with_transfer,
    messaging::op_messaging_next,
    messaging::op_port_requeue,
    messaging::op_port_end_batch,
    messaging::op_port_start,
    messaging::op_port_close,
    messaging::op_port_is_entangled,
    messaging::op_broadcast_open,
    messaging::op_broadcast_post,
    messaging::op_broadcast_begin,
    messaging::op_broadcast_recv_next,
    messaging::op_broadcast_end,
    messaging::op_broadcast_close,
    messaging::op_broadcast_has_others,
    worker::op_worker_spawn,
    worker::op_worker_terminate,
    worker::op_worker_scope,
    worker::op_worker_close,
    worker::op_base_url,
    worker::op_worker_read_script,
    worker::op_script_syntax_error_location,
    process::op_entangle_info,
    process::op_entangle_exit_code,
    process::op_entangle_set_exit_code,
    process::op_entangle_exit,
    process::op_entangle_memory_usage,
  ],
  esm_entry_point = "ext:entangle/90_bootstrap.js",
  esm = [
    dir "../../js",
    "00_web.js",
    "10_message_port.js",
    "15_broadcast_channel.js",
    "20_navigator.js",
    "30_worker.js",
    "40_entangle.js",
    "90_bootstrap.js",
  ],
  middleware = replace_dispatch_exception,
);
