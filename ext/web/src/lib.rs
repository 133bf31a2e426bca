//! Entangle's deno_core extension: the op layer under the web APIs in `js/`.
//!
//! * [`messaging`]: `MessageChannel`, `MessagePort`, `structuredClone`;
//! * [`serialize`]: structured serialization with transfer over V8's
//!   `ValueSerializer`;
//! * [`url`], [`blob`]: `URL` parsing and the `blob:` URL store;
//! * [`worker`]: dedicated workers, over a host the runtime provides;
//! * `op_now`: the clock behind `performance.now()`.
//!
//! The JS glue is loaded as ES modules (`ext:entangle/...`) into the startup
//! snapshot; `ext:entangle/90_bootstrap.js` is the entry point.

use std::time::Instant;

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

use deno_core::op2;
use deno_core::OpState;

pub mod blob;
mod fast_path;
pub mod messaging;
pub mod serialize;
pub mod url;
pub mod worker;

pub use messaging::keeps_alive;

/// When the runtime started: `performance.timeOrigin`'s moment.
struct TimeOrigin(Instant);

/// Milliseconds since the time origin, with microsecond resolution.
#[op2(fast)]
fn op_now(state: &mut OpState) -> f64 {
  let elapsed = state.borrow::<TimeOrigin>().0.elapsed();
  (elapsed.as_micros() as f64) / 1000.0
}

/// Milliseconds since the Unix epoch at the time origin.
#[op2(fast)]
fn op_time_origin(state: &mut OpState) -> f64 {
  let since_start = state.borrow::<TimeOrigin>().0.elapsed();
  let now = std::time::SystemTime::now()
    .duration_since(std::time::UNIX_EPOCH)
    .unwrap_or_default();
  (now.saturating_sub(since_start).as_micros() as f64) / 1000.0
}

deno_core::extension!(
  entangle,
  ops = [
    op_now,
    op_time_origin,
    messaging::op_messaging_init,
    messaging::op_message_channel,
    messaging::op_brand_host_object,
    messaging::op_port_attach,
    messaging::op_port_post,
    messaging::op_clone_with_transfer,
    messaging::op_port_recv,
    messaging::op_messaging_take_ready,
    messaging::op_port_begin_batch,
    messaging::op_port_take_close_event,
    messaging::op_port_start,
    messaging::op_port_close,
    messaging::op_port_is_entangled,
    url::op_url_parse,
    url::op_url_set,
    blob::op_blob_url_create,
    blob::op_blob_url_revoke,
    worker::op_worker_spawn,
    worker::op_worker_terminate,
    worker::op_worker_scope,
    worker::op_worker_close,
    worker::op_base_url,
    worker::op_worker_read_script,
  ],
  esm_entry_point = "ext:entangle/90_bootstrap.js",
  esm = [
    dir "../../js",
    "00_webidl.js",
    "01_dom_exception.js",
    "02_event.js",
    "03_console.js",
    "04_encoding.js",
    "05_blob.js",
    "06_url.js",
    "10_message_port.js",
    "20_timers.js",
    "30_worker.js",
    "90_bootstrap.js",
  ],
  state = |state| state.put(TimeOrigin(Instant::now())),
);
