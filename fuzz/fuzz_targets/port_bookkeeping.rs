//! Fuzzes the transfer bookkeeping of `entangle_messaging` against a model.
//!
//! The input is a program: each step creates a channel, posts (shipping
//! ports, or a port's own partner: a doomed message), starts, receives
//! (one by one, or a batch taken ahead whose rest goes back to the queue),
//! closes, drops or moves ports between agents. Every message carries a
//! unique number. Checked after every step and at the end:
//! * a message is received at most once, and only by the partner of the
//!   port that posted it;
//! * messages from one port arrive in the order they were posted;
//! * a port shipped in a message arrives with its partner unchanged;
//! * nothing panics, deadlocks or leaks (libFuzzer's LeakSanitizer).

#![no_main]

use std::collections::HashMap;
use std::collections::HashSet;

use entangle_messaging::Agent;
use entangle_messaging::AgentCluster;
use entangle_messaging::Envelope;
use entangle_messaging::Endpoint;
use libfuzzer_sys::fuzz_target;

/// A message: its number and the port that posted it.
#[derive(Clone, Copy)]
struct Payload {
  number: u64,
  sender: u32,
}

struct Model {
  agents: Vec<Agent>,
  /// Ports held by "the program"; `None` once dropped or shipped.
  ports: Vec<Option<Endpoint<Payload>>>,
  /// Partner of each port id, fixed at creation.
  partner: HashMap<u32, u32>,
  next_number: u64,
  received: HashSet<u64>,
  /// Last number received from each sender.
  last_from: HashMap<u32, u64>,
}

impl Model {
  fn port(&self, index: u8) -> Option<&Endpoint<Payload>> {
    let len = self.ports.len();
    if len == 0 {
      return None;
    }
    self.ports[index as usize % len].as_ref()
  }

  fn take_port(&mut self, index: u8) -> Option<Endpoint<Payload>> {
    let len = self.ports.len();
    if len == 0 {
      return None;
    }
    self.ports[index as usize % len].take()
  }

  fn receive(&mut self, receiver: u32, envelope: Envelope<Payload>, agent: &Agent) {
    let Payload { number, sender } = envelope.payload;
    assert!(
      self.received.insert(number),
      "message {number} received twice"
    );
    assert_eq!(
      self.partner[&sender], receiver,
      "delivered to a port that is not the partner"
    );
    let last = self.last_from.insert(sender, number);
    assert!(
      last.is_none_or(|last| last < number),
      "out of order from port {sender}"
    );
    for port in envelope.ports {
      let id = port.id().get();
      if let Some(&partner) = self.partner.get(&id) {
        if port.is_entangled() {
          assert!(port.is_entangled_with(entangle_messaging::PortId::from(partner)));
        }
      }
      port.adopt(agent);
      self.ports.push(Some(port));
    }
  }

  fn step(&mut self, op: u8, a: u8, b: u8) {
    match op % 8 {
      0 if self.ports.len() < 64 => {
        let agent = &self.agents[a as usize % self.agents.len()];
        let (one, two) = Endpoint::entangled_pair(agent);
        let (x, y) = (one.id().get(), two.id().get());
        self.partner.insert(x, y);
        self.partner.insert(y, x);
        self.ports.push(Some(one));
        self.ports.push(Some(two));
      }
      1 => {
        // Post from port a, shipping port b when b's low bit says so.
        let ship = if b & 1 == 1 {
          self.take_port(b >> 1)
        } else {
          None
        };
        if self.port(a).is_none() {
          self.ports.extend(ship.map(Some));
          return;
        }
        self.next_number += 1;
        let sender = self.port(a).expect("checked above");
        let payload = Payload {
          number: self.next_number,
          sender: sender.id().get(),
        };
        let ports = ship.into_iter().collect();
        if let Err(error) = sender.post(Envelope::new(payload, ports)) {
          // Handed back: the shipped ports are ours again.
          let envelope = error.into_envelope();
          for port in envelope.ports {
            port.adopt(&self.agents[0]);
            self.ports.push(Some(port));
          }
        }
      }
      2 => {
        if let Some(port) = self.port(a) {
          port.start();
        }
      }
      3 => {
        let index = a;
        let Some(port) = self.port(index) else { return };
        let id = port.id().get();
        let mut got = Vec::new();
        if b & 0x80 == 0 {
          let n = port.begin_batch(b as usize % 8 + 1);
          for _ in 0..n {
            match self.port(index).and_then(|p| p.recv()) {
              Some(envelope) => got.push(envelope),
              None => break,
            }
          }
        } else {
          // A batch taken ahead of delivery: the first few messages are
          // delivered, the rest go back to the queue (as when a handler
          // ships its own port mid-batch).
          // A filter that lets a few messages join, as the byte budget does.
          let mut room = (b as usize >> 5) % 4;
          let fits = |_: &Payload| {
            let fits = room > 0;
            room = room.saturating_sub(1);
            fits
          };
          port.recv_batch(b as usize % 8 + 1, fits, &mut got);
          let delivered = (b as usize >> 3) % 4;
          if delivered < got.len() {
            port.requeue(got.split_off(delivered));
          }
        }
        let agent = self.agents[b as usize % self.agents.len()].clone();
        for envelope in got {
          self.receive(id, envelope, &agent);
        }
        if let Some(port) = self.port(index) {
          port.take_close_event();
        }
      }
      4 => {
        if let Some(port) = self.port(a) {
          port.close();
        }
      }
      5 => drop(self.take_port(a)),
      6 => {
        if let Some(port) = self.port(a) {
          port.ship();
          port.adopt(&self.agents[b as usize % self.agents.len()]);
        }
      }
      _ => {
        let agent = &self.agents[a as usize % self.agents.len()];
        agent.take_ready();
        agent.set_idle();
        agent.set_busy();
      }
    }
  }
}

fuzz_target!(|data: &[u8]| {
  let cluster = AgentCluster::new();
  let mut model = Model {
    agents: (0..3).map(|_| Agent::new(&cluster, || {})).collect(),
    ports: Vec::new(),
    partner: HashMap::new(),
    next_number: 0,
    received: HashSet::new(),
    last_from: HashMap::new(),
  };
  for step in data.chunks_exact(3) {
    model.step(step[0], step[1], step[2]);
  }
  assert!(model.received.len() as u64 <= model.next_number);
});
