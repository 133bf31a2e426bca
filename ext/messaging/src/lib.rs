//! Port entanglement, per-port message queues and transfer bookkeeping.
//!
//! This crate is the engine room of Entangle's `MessageChannel`: plain Rust,
//! no V8, so its tests build in seconds. The JS runtime (the `#[op2]` layer in
//! `entangle_web`, `ext/web`) and Rust embedders both drive ports through it.
//!
//! # The model
//!
//! * An [`Agent`] is one event loop (a JS isolate, or any Rust consumer). It
//!   owns a *ready list*: the ports that have something to deliver. Pushing a
//!   port onto an empty ready list calls the agent's [`Wake`] hook once, so one
//!   wake-up drains a whole batch of messages.
//! * An [`Endpoint`] is the owning handle of one end of a channel. Two ports made
//!   by [`Endpoint::entangled_pair`] are *entangled*: what one posts lands in the
//!   other's queue. Dropping an `Endpoint` disentangles it, exactly as
//!   `MessagePort.close()` does, so the partner learns about it.
//! * The queue starts disabled (HTML's "port message queue"): messages wait
//!   until [`Endpoint::start`]. A port *shipped* inside an [`Envelope`] keeps its
//!   queue, so queued messages travel with it; the receiver [`Endpoint::adopt`]s it
//!   into its own agent.
//!
//! * A [`Subscription`] is one open broadcast channel: what one channel of a
//!   name posts lands in the queue of every other one of that name in the
//!   cluster, delivered through the ready lists like port messages.
//!
//! * An [`AgentCluster`] groups the agents that can message each other and tells
//!   when none of them can ever run again, so that a process can exit.
//!
//! The payload type `P` is opaque here: the runtime uses serialized V8 data
//! plus moved `ArrayBuffer` backing stores; tests use strings.
//!
//! # Locking
//!
//! Every port has its own mutex, every agent one for its ready list. No code
//! path holds two port locks at once, and a port lock is released before an
//! agent's lock is taken, so there is no lock-order cycle. One process-wide
//! mutex makes posts that ship ports take turns (a cycle of ports holding
//! each other must not form unseen); it is taken before any port lock and
//! released before a message is queued.

mod agent;
mod broadcast;
mod cluster;
mod port;

pub use agent::Agent;
pub use agent::Wake;
pub use broadcast::Subscription;
pub use cluster::AgentCluster;
pub use cluster::Hold;
pub use port::Endpoint;
pub use port::Envelope;
pub use port::PortId;
pub use port::Undelivered;
