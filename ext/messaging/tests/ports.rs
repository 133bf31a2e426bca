//! Behaviour of ports and agents without any JS engine.

mod common;

use std::sync::atomic::Ordering;
use std::sync::Arc;

use entangle_messaging::Agent;
use entangle_messaging::AgentCluster;
use entangle_messaging::Endpoint;
use entangle_messaging::Envelope;
use entangle_messaging::Undelivered;

use common::counting_agent;

type TestPort = Endpoint<&'static str>;

fn msg(text: &'static str) -> Envelope<&'static str> {
  Envelope::new(text, vec![])
}

fn drain(port: &TestPort) -> Vec<&'static str> {
  let n = port.begin_batch(usize::MAX);
  (0..n)
    .map_while(|_| port.recv())
    .map(|e| e.payload)
    .collect()
}

#[test]
fn queue_starts_disabled_and_start_schedules_once() {
  let (agent, wakes) = counting_agent(&AgentCluster::new());
  let (a, b): (TestPort, TestPort) = Endpoint::entangled_pair(&agent);
  a.post(msg("one")).unwrap();
  a.post(msg("two")).unwrap();
  assert_eq!(
    b.recv().map(|e| e.payload),
    None,
    "disabled queue delivers nothing"
  );
  assert_eq!(wakes.load(Ordering::SeqCst), 0);
  assert!(agent.take_ready().is_empty());

  b.start();
  assert_eq!(agent.take_ready(), vec![b.id()]);
  assert_eq!(wakes.load(Ordering::SeqCst), 1);
  assert_eq!(drain(&b), vec!["one", "two"], "FIFO");
}

#[test]
fn one_wake_per_batch() {
  let (agent, wakes) = counting_agent(&AgentCluster::new());
  let (a, b): (TestPort, TestPort) = Endpoint::entangled_pair(&agent);
  b.start();
  for _ in 0..100 {
    a.post(msg("x")).unwrap();
  }
  assert_eq!(wakes.load(Ordering::SeqCst), 1);
  assert_eq!(agent.take_ready(), vec![b.id()], "listed once");
  assert_eq!(drain(&b).len(), 100);
  a.post(msg("y")).unwrap();
  assert_eq!(wakes.load(Ordering::SeqCst), 2, "next batch wakes again");
}

#[test]
fn batch_is_bounded_by_messages_present_at_its_start() {
  let (agent, _) = counting_agent(&AgentCluster::new());
  let (a, b): (TestPort, TestPort) = Endpoint::entangled_pair(&agent);
  b.start();
  a.post(msg("first")).unwrap();
  agent.take_ready();
  let n = b.begin_batch(usize::MAX);
  assert_eq!(n, 1);
  // A handler posting back into the same queue mid-batch reschedules it.
  a.post(msg("later")).unwrap();
  assert_eq!(b.recv().unwrap().payload, "first");
  assert_eq!(agent.take_ready(), vec![b.id()]);
  assert_eq!(drain(&b), vec!["later"]);
}

#[test]
fn a_batch_stops_before_a_message_with_ports_and_requeued_messages_come_first() {
  let (agent, _) = counting_agent(&AgentCluster::new());
  let (a, b): (TestPort, TestPort) = Endpoint::entangled_pair(&agent);
  let (carried, _other): (TestPort, TestPort) = Endpoint::entangled_pair(&agent);
  b.start();
  a.post(msg("one")).unwrap();
  a.post(msg("two")).unwrap();
  a.post(Envelope::new("with a port", vec![carried])).unwrap();
  a.post(msg("after")).unwrap();
  agent.take_ready();
  let mut batch = Vec::new();
  b.recv_batch(usize::MAX, |_| true, &mut batch);
  let payloads: Vec<_> = batch.iter().map(|e| e.payload).collect();
  assert_eq!(
    payloads,
    ["one", "two"],
    "a message with ports is not taken ahead"
  );
  assert_eq!(
    agent.take_ready(),
    vec![b.id()],
    "what is left schedules the port"
  );
  // "one" was delivered; "two" goes back before what was still queued.
  a.post(msg("posted meanwhile")).unwrap();
  b.requeue(batch.split_off(1));
  let mut next = Vec::new();
  b.recv_batch(usize::MAX, |_| true, &mut next);
  let payloads: Vec<_> = next.iter().map(|e| e.payload).collect();
  assert_eq!(payloads, ["two"]);
  next.clear();
  b.recv_batch(usize::MAX, |_| true, &mut next);
  assert_eq!(next.len(), 1, "a message with ports comes alone");
  assert_eq!(next[0].ports.len(), 1);
  next.clear();
  b.recv_batch(1, |_| true, &mut next);
  assert_eq!(next[0].payload, "after");
  assert_eq!(drain(&b), vec!["posted meanwhile"]);
}

#[test]
fn a_batch_ends_before_the_first_message_its_filter_refuses_but_is_never_empty() {
  let (agent, _) = counting_agent(&AgentCluster::new());
  let (a, b): (TestPort, TestPort) = Endpoint::entangled_pair(&agent);
  b.start();
  for text in ["one", "two", "three", "four"] {
    a.post(msg(text)).unwrap();
  }
  let mut shown = Vec::new();
  let mut batch = Vec::new();
  b.recv_batch(
    usize::MAX,
    |payload| {
      shown.push(*payload);
      shown.len() <= 2
    },
    &mut batch,
  );
  let payloads: Vec<_> = batch.iter().map(|e| e.payload).collect();
  assert_eq!(payloads, ["one", "two"]);
  assert_eq!(shown, ["one", "two", "three"], "the first is shown too");
  batch.clear();
  b.recv_batch(usize::MAX, |_| false, &mut batch);
  assert_eq!(
    batch.len(),
    1,
    "a refused first message still makes a batch"
  );
  assert_eq!(drain(&b), vec!["four"]);
}

#[test]
fn close_disentangles_and_notifies_partner() {
  let (agent, _) = counting_agent(&AgentCluster::new());
  let (a, b): (TestPort, TestPort) = Endpoint::entangled_pair(&agent);
  assert!(a.is_entangled() && a.is_entangled_with(b.id()));
  a.close();
  assert!(!a.is_entangled());
  assert!(!b.is_entangled());
  assert_eq!(
    agent.take_ready(),
    vec![b.id()],
    "close events need no start()"
  );
  assert!(b.take_close_event());
  assert!(!b.take_close_event(), "fired once");
  assert!(!a.take_close_event(), "the closing side gets no event");
  match b.post(msg("lost")) {
    Err(Undelivered::Disentangled(e)) => assert_eq!(e.payload, "lost"),
    other => panic!("expected the envelope back, got {other:?}"),
  }
}

#[test]
fn messages_sent_before_close_are_still_delivered() {
  let (agent, _) = counting_agent(&AgentCluster::new());
  let (a, b): (TestPort, TestPort) = Endpoint::entangled_pair(&agent);
  a.post(msg("before")).unwrap();
  a.close();
  b.start();
  assert_eq!(drain(&b), vec!["before"]);
  assert!(b.take_close_event());
}

#[test]
fn dropping_a_port_is_closing_it() {
  let (agent, _) = counting_agent(&AgentCluster::new());
  let (a, b): (TestPort, TestPort) = Endpoint::entangled_pair(&agent);
  drop(a);
  assert!(!b.is_entangled());
  assert!(b.take_close_event());
}

#[test]
fn shipped_port_keeps_queue_and_partner() {
  let (main, _) = counting_agent(&AgentCluster::new());
  let (worker, worker_wakes) = counting_agent(&AgentCluster::new());
  let (a, b): (TestPort, TestPort) = Endpoint::entangled_pair(&main);
  let (c, d): (TestPort, TestPort) = Endpoint::entangled_pair(&main);
  b.start();
  // Queue two messages on b, then ship b through the other channel.
  a.post(msg("queued-1")).unwrap();
  a.post(msg("queued-2")).unwrap();
  let b_id = b.id();
  c.post(Envelope::new("here is b", vec![b])).unwrap();
  // While b is in transit, more messages queue up without scheduling.
  a.post(msg("in-transit")).unwrap();

  d.start();
  let mut got = d.recv().unwrap();
  assert_eq!(got.payload, "here is b");
  let b = got.ports.pop().unwrap();
  assert_eq!(b.id(), b_id);
  assert!(
    b.is_entangled_with(a.id()),
    "still entangled with its old partner"
  );
  b.adopt(&worker);
  assert_eq!(
    b.recv().map(|e| e.payload),
    None,
    "adopted queue is disabled"
  );
  b.start();
  assert_eq!(worker.take_ready(), vec![b_id]);
  assert_eq!(worker_wakes.load(Ordering::SeqCst), 1);
  assert_eq!(drain(&b), vec!["queued-1", "queued-2", "in-transit"]);
  // And the two ends talk directly.
  b.post(msg("reply")).unwrap();
  a.start();
  assert_eq!(drain(&a), vec!["reply"]);
}

#[test]
fn posting_the_target_port_dooms_the_message_and_loses_the_channel() {
  let (agent, _) = counting_agent(&AgentCluster::new());
  let (a, b): (TestPort, TestPort) = Endpoint::entangled_pair(&agent);
  a.post(Envelope::new("doomed", vec![b])).unwrap();
  assert!(!a.is_entangled(), "channel lost");
  assert!(a.take_close_event());
  assert_eq!(a.queued(), 0);
}

#[test]
fn ports_that_would_hold_each_other_are_dropped_and_their_partners_closed() {
  let (agent, _) = counting_agent(&AgentCluster::new());
  let (a, b): (TestPort, TestPort) = Endpoint::entangled_pair(&agent);
  let (c, d): (TestPort, TestPort) = Endpoint::entangled_pair(&agent);
  let (e, f): (TestPort, TestPort) = Endpoint::entangled_pair(&agent);
  a.post(Envelope::new("d rides in b", vec![d])).unwrap();
  c.post(Envelope::new("f rides in d", vec![f])).unwrap();
  assert!(a.is_entangled() && c.is_entangled() && e.is_entangled());
  // b would ride in f, inside d, inside b: no agent could reach any of
  // them again. The message is doomed and the three ports are dropped.
  e.post(Envelope::new("b rides in f", vec![b])).unwrap();
  for (name, port) in [("a", &a), ("c", &c), ("e", &e)] {
    assert!(!port.is_entangled(), "{name} lost its partner");
    assert!(port.take_close_event(), "{name} is owed a close event");
  }
}

#[test]
fn a_received_port_is_free_to_carry_its_old_carrier() {
  let (agent, _) = counting_agent(&AgentCluster::new());
  let (a, b): (TestPort, TestPort) = Endpoint::entangled_pair(&agent);
  let (c, d): (TestPort, TestPort) = Endpoint::entangled_pair(&agent);
  a.post(Envelope::new("d rides in b", vec![d])).unwrap();
  b.start();
  let mut got = b.recv().unwrap();
  let d = got.ports.pop().unwrap();
  // d was taken out of b's queue: b riding in d is no cycle.
  c.post(Envelope::new("b rides in d", vec![b])).unwrap();
  d.start();
  let mut got = d.recv().unwrap();
  assert_eq!(got.payload, "b rides in d");
  let b = got.ports.pop().unwrap();
  assert!(b.is_entangled_with(a.id()));
}

#[test]
fn dropped_envelope_closes_the_ports_it_carries() {
  let (agent, _) = counting_agent(&AgentCluster::new());
  let (a, b): (TestPort, TestPort) = Endpoint::entangled_pair(&agent);
  let (c, d): (TestPort, TestPort) = Endpoint::entangled_pair(&agent);
  c.post(Envelope::new("carrier", vec![b])).unwrap();
  assert!(a.is_entangled());
  drop(d); // the carrier message dies unread with its queue
  drop(c);
  assert!(!a.is_entangled());
  assert!(a.take_close_event());
}

#[test]
fn close_event_of_shipped_port_is_delivered_after_adoption() {
  let (main, _) = counting_agent(&AgentCluster::new());
  let (worker, _) = counting_agent(&AgentCluster::new());
  let (a, b): (TestPort, TestPort) = Endpoint::entangled_pair(&main);
  let (c, d): (TestPort, TestPort) = Endpoint::entangled_pair(&main);
  c.post(Envelope::new("b", vec![b])).unwrap();
  a.close();
  d.start();
  let b = d.recv().unwrap().ports.pop().unwrap();
  b.adopt(&worker);
  assert_eq!(worker.take_ready(), vec![b.id()]);
  assert!(b.take_close_event());
}

#[test]
fn ports_work_across_threads() {
  let (main, _) = counting_agent(&AgentCluster::new());
  let (a, b): (Endpoint<u64>, Endpoint<u64>) = Endpoint::entangled_pair(&main);
  b.start();
  let sender = std::thread::spawn(move || {
    for i in 0..10_000u64 {
      a.post(Envelope::new(i, vec![])).unwrap();
    }
    a
  });
  let a = sender.join().unwrap();
  let n = b.begin_batch(usize::MAX);
  let got: Vec<u64> = (0..n).map_while(|_| b.recv()).map(|e| e.payload).collect();
  assert_eq!(got, (0..10_000).collect::<Vec<_>>());
  drop(a);
  assert!(b.take_close_event());
}

#[test]
fn public_types_are_send_and_sync() {
  fn send_sync<T: Send + Sync>() {}
  send_sync::<Agent>();
  send_sync::<Endpoint<Vec<u8>>>();
  send_sync::<Envelope<Vec<u8>>>();
  send_sync::<Undelivered<Vec<u8>>>();
}

#[test]
fn cluster_is_quiescent_when_every_agent_is_idle_and_nothing_is_in_flight() {
  let cluster = AgentCluster::new();
  let main = Agent::new(&cluster, || {});
  let worker = Agent::new(&cluster, || {});
  assert!(!cluster.is_quiescent(), "agents start busy");
  let (a, b): (TestPort, TestPort) = Endpoint::entangled_pair(&main);
  b.adopt(&worker);
  b.start();
  assert!(worker.set_idle());
  assert!(!cluster.is_quiescent());
  // The main agent posts while busy: the worker is busy again at once.
  a.post(msg("work")).unwrap();
  assert!(main.set_idle());
  assert!(!cluster.is_quiescent(), "a message is in flight");
  assert_eq!(worker.take_ready(), vec![b.id()]);
  assert_eq!(drain(&b), vec!["work"]);
  assert!(worker.set_idle());
  assert!(cluster.is_quiescent());
  main.set_busy();
  assert!(!cluster.is_quiescent());
  drop((b, a, main)); // b first: closing a would owe b a close event
  assert!(
    cluster.is_quiescent(),
    "a dropped busy agent leaves the cluster"
  );
}

#[test]
fn a_hold_keeps_the_cluster_busy() {
  let cluster = AgentCluster::new();
  let hold = cluster.hold();
  assert!(!cluster.is_quiescent());
  drop(hold);
  assert!(cluster.is_quiescent());
}

#[test]
fn quiescence_wakes_every_root_watching() {
  struct Flag(std::sync::atomic::AtomicUsize);
  impl std::task::Wake for Flag {
    fn wake(self: Arc<Self>) {
      self.0.fetch_add(1, Ordering::SeqCst);
    }
  }
  let flag = |_| Arc::new(Flag(std::sync::atomic::AtomicUsize::new(0)));
  let cluster = AgentCluster::new();
  let (first, second) = (Agent::new(&cluster, || {}), Agent::new(&cluster, || {}));
  let flags: Vec<Arc<Flag>> = (0..3).map(flag).collect();
  cluster.watch(&first, &std::task::Waker::from(flags[0].clone()));
  // A loop polled again with another waker replaces its first one.
  cluster.watch(&first, &std::task::Waker::from(flags[1].clone()));
  cluster.watch(&second, &std::task::Waker::from(flags[2].clone()));
  assert!(first.set_idle());
  assert_eq!(flags[2].0.load(Ordering::SeqCst), 0, "second is still busy");
  assert!(second.set_idle());
  let woken: Vec<usize> = flags.iter().map(|f| f.0.load(Ordering::SeqCst)).collect();
  assert_eq!(woken, vec![0, 1, 1]);
}

#[test]
fn a_draining_loop_takes_new_deliveries_without_a_wake() {
  let (agent, wakes) = counting_agent(&AgentCluster::new());
  let (a, b): (TestPort, TestPort) = Endpoint::entangled_pair(&agent);
  b.start();
  a.post(msg("first")).unwrap();
  assert_eq!(wakes.load(Ordering::SeqCst), 1);
  assert_eq!(agent.take_ready_draining(), vec![b.id()]);
  assert_eq!(drain(&b), vec!["first"]);
  // A handler posts while the loop drains: no wake, the loop takes it.
  a.post(msg("second")).unwrap();
  assert_eq!(wakes.load(Ordering::SeqCst), 1);
  assert_eq!(agent.take_ready_draining(), vec![b.id()]);
  assert_eq!(drain(&b), vec!["second"]);
  assert!(agent.take_ready_draining().is_empty(), "the loop is done");
  a.post(msg("third")).unwrap();
  assert_eq!(wakes.load(Ordering::SeqCst), 2, "not draining: woken again");
}

#[test]
fn a_drain_that_stops_early_wakes_the_loop_for_the_rest() {
  let (agent, wakes) = counting_agent(&AgentCluster::new());
  let (a, b): (TestPort, TestPort) = Endpoint::entangled_pair(&agent);
  b.start();
  a.post(msg("first")).unwrap();
  agent.take_ready_draining();
  drain(&b);
  a.post(msg("second")).unwrap();
  assert_eq!(wakes.load(Ordering::SeqCst), 1);
  agent.end_drain(); // budget spent
  assert_eq!(wakes.load(Ordering::SeqCst), 2);
  assert_eq!(agent.take_ready(), vec![b.id()]);
}

#[test]
fn a_long_queue_is_delivered_in_bounded_batches() {
  let (agent, _) = counting_agent(&AgentCluster::new());
  let (a, b): (TestPort, TestPort) = Endpoint::entangled_pair(&agent);
  b.start();
  for _ in 0..5 {
    a.post(msg("m")).unwrap();
  }
  assert_eq!(agent.take_ready(), vec![b.id()]);
  assert_eq!(b.begin_batch(2), 2);
  assert_eq!(agent.take_ready(), vec![b.id()], "rescheduled for the rest");
  b.recv();
  b.recv();
  assert_eq!(b.begin_batch(2), 2);
  b.recv();
  b.recv();
  assert_eq!(agent.take_ready(), vec![b.id()]);
  assert_eq!(b.begin_batch(2), 1);
  assert!(
    agent.take_ready().is_empty(),
    "all delivered: not rescheduled"
  );
}

#[test]
fn a_port_knows_whether_its_partner_is_held_by_an_isolate() {
  let cluster = AgentCluster::new();
  let js = Agent::new(&cluster, || {});
  let rust = Agent::without_isolate(&cluster, || {});
  assert!(js.has_isolate() && !rust.has_isolate());
  let (a, b): (TestPort, TestPort) = Endpoint::entangled_pair(&js);
  assert!(a.partner_has_isolate());
  b.ship();
  assert!(
    a.partner_has_isolate(),
    "in flight: whoever adopts it may be an isolate"
  );
  b.adopt(&rust);
  assert!(!a.partner_has_isolate());
  assert!(b.partner_has_isolate());
  drop(b);
  assert!(a.partner_has_isolate(), "no partner: nothing can go wrong");
}
