//! Entangle: a headless JavaScript runtime whose heart is a spec-conformant
//! `MessageChannel`, as a Rust library.
//!
//! ```
//! # async fn demo() -> Result<(), entangle::Error> {
//! let mut runtime = entangle::Runtime::new();
//! runtime.execute_script("hello.js", "console.log(structuredClone({ hello: 'world' }))")?;
//! runtime.run_event_loop().await?;
//! # Ok(()) }
//! # tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(demo()).unwrap();
//! ```
//!
//! # Threading model
//!
//! A [`Runtime`] is one V8 isolate with the global scope of a web worker
//! (console, timers, events, `MessageChannel`, `Worker`, `structuredClone`,
//! URL, Blob, ...), started from a snapshot made at build time. It is not
//! `Send`: build it on the thread that runs it, and drive its futures
//! ([`Runtime::run_module`], [`Runtime::run_event_loop`]) on a
//! current-thread tokio runtime there. Each JS worker gets a thread, a
//! current-thread tokio runtime and an isolate of its own; dropping a
//! runtime terminates and joins its workers. Several runtimes can live in
//! one process on different threads; to message each other they join one
//! [`Cluster`].
//!
//! # Ports held by Rust
//!
//! [`Runtime::create_port`] makes a channel whose one end is a JS
//! `MessagePort` (a global of the script) and whose other end is a Rust
//! [`Port`]. A `Port` is `Send`: move it into a task on any thread. It posts
//! and receives serde values, encoded in V8's structured-serialization wire
//! format exactly as JavaScript would encode the same object, and moves
//! [`ArrayBuffer`]s without copying them. [`Runtime::spawn_worker`] gives a
//! worker's implicit port the same way.
//!
//! # Broadcast channels
//!
//! [`Runtime::broadcast_channel`] (or [`Cluster::broadcast_channel`]) joins
//! the cluster's `BroadcastChannel`s of a name: a [`BroadcastChannel`] posts
//! serde values to every JS channel of that name, in the main isolate and
//! in every worker, and receives what they post.
//!
//! # Lifetime of ports
//!
//! A port lives until it is closed or dropped (Rust) or closed or collected
//! (JS; a port nobody can reach is collected like any object). Either way
//! the other end gets a `close` event, and [`Port::recv`] returns `None`
//! once everything sent before was received. While a Rust `Port` exists,
//! its runtime's event loop keeps running if a started JS port with a
//! listener may still receive from it; when all are dropped, the loop ends
//! as soon as nothing else is left to do.

#![deny(missing_docs)]

mod broadcast;
mod buffer;
mod builder;
mod cluster;
mod error;
mod heap;
mod loader;
mod port;
mod runtime;
mod worker;

pub use broadcast::BroadcastChannel;
pub use buffer::ArrayBuffer;
pub use buffer::Bytes;
pub use buffer::BytesMut;
pub use builder::RuntimeBuilder;
pub use cluster::Cluster;
pub use deno_core::Extension;
pub use deno_core::ModuleSpecifier;
pub use entangle_web::worker::ErrorReport;
pub use error::Error;
pub use loader::LoadError;
pub use loader::ScriptSources;
pub use port::Message;
pub use port::Port;
pub use port::PostError;
pub use runtime::Runtime;
pub use worker::Worker;

/// The README's Rust snippets, compiled and run as doc tests.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeSnippets;
