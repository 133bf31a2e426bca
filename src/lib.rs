//! Entangle: a headless JavaScript runtime whose heart is a spec-conformant
//! `MessageChannel`.
//!
//! ```no_run
//! # async fn demo() -> Result<(), entangle::Error> {
//! let mut runtime = entangle::Runtime::new(entangle::RuntimeOptions::default());
//! runtime.execute_script("demo.js", "console.log(structuredClone({ ok: true }))")?;
//! runtime.run_event_loop().await?;
//! # Ok(()) }
//! ```
//!
//! A [`Runtime`] owns one V8 isolate with the web APIs of a worker-like
//! global scope, started from a snapshot made at build time. It runs on the
//! current thread, inside a current-thread tokio runtime.

mod error;
mod loader;
mod port;
mod runtime;
mod worker;

pub use entangle_web::worker::ScriptSources;
pub use error::Error;
pub use port::Port;
pub use port::PostError;
pub use runtime::Runtime;
pub use runtime::RuntimeOptions;
