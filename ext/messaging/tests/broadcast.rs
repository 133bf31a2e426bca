//! Broadcast channels without any JS engine: groups by name and cluster,
//! one clone per receiver, order, one wake-up per batch, closing.

mod common;

use std::sync::atomic::Ordering;
use std::sync::Arc;

use entangle_messaging::AgentCluster;
use entangle_messaging::Subscription;

use common::counting_agent;

type Channel = Subscription<String>;

fn received(channel: &Channel) -> Vec<String> {
  let n = channel.begin_batch();
  (0..n)
    .map_while(|_| channel.recv())
    .map(|e| e.payload)
    .collect()
}

#[test]
fn every_other_channel_of_the_name_receives_in_order() {
  let cluster = AgentCluster::new();
  let (main, main_wakes) = counting_agent(&cluster);
  let (worker, worker_wakes) = counting_agent(&cluster);
  let sender: Channel = Subscription::join(&main, "news");
  let same_agent: Channel = Subscription::join(&main, "news");
  let elsewhere: Channel = Subscription::join(&worker, "news");
  let other_name: Channel = Subscription::join(&worker, "sport");

  assert_eq!(sender.post(&"one".to_string()), 2);
  assert_eq!(sender.post(&"two".to_string()), 2);

  assert_eq!(
    received(&sender),
    Vec::<String>::new(),
    "the sender hears nothing"
  );
  assert_eq!(received(&same_agent), ["one", "two"]);
  assert_eq!(received(&elsewhere), ["one", "two"]);
  assert_eq!(received(&other_name), Vec::<String>::new());
  assert_eq!(
    main_wakes.load(Ordering::SeqCst),
    1,
    "one wake-up per batch"
  );
  assert_eq!(
    worker_wakes.load(Ordering::SeqCst),
    1,
    "one wake-up per batch"
  );
  assert_eq!(main.take_ready(), [same_agent.id()]);
  assert_eq!(worker.take_ready(), [elsewhere.id()]);
}

#[test]
fn each_receiver_gets_its_own_clone() {
  let cluster = AgentCluster::new();
  let (agent, _) = counting_agent(&cluster);
  let sender: Subscription<Vec<u8>> = Subscription::join(&agent, "c");
  let a: Subscription<Vec<u8>> = Subscription::join(&agent, "c");
  let b: Subscription<Vec<u8>> = Subscription::join(&agent, "c");
  let mut clones = 0;
  let sent = sender.post_with(|| {
    clones += 1;
    vec![clones]
  });
  assert_eq!((sent, clones), (2, 2));
  assert_eq!(
    a.recv().map(|e| e.payload),
    Some(vec![1]),
    "oldest channel first"
  );
  assert_eq!(b.recv().map(|e| e.payload), Some(vec![2]));
}

#[test]
fn clusters_do_not_share_channels() {
  let (one, _) = counting_agent(&AgentCluster::new());
  let (two, _) = counting_agent(&AgentCluster::new());
  let a: Channel = Subscription::join(&one, "c");
  let b: Channel = Subscription::join(&two, "c");
  assert_eq!(a.post(&"hello".to_string()), 0);
  assert!(received(&b).is_empty());
  assert!(!a.has_others());
}

#[test]
fn a_closed_channel_leaves_its_group_and_frees_its_queue() {
  let cluster = AgentCluster::new();
  let (agent, _) = counting_agent(&cluster);
  let sender: Channel = Subscription::join(&agent, "c");
  let receiver: Channel = Subscription::join(&agent, "c");
  assert!(sender.has_others());
  assert!(receiver.has_others());

  let payload = Arc::new(());
  let sender_arc: Subscription<Arc<()>> = Subscription::join(&agent, "arc");
  let receiver_arc: Subscription<Arc<()>> = Subscription::join(&agent, "arc");
  sender_arc.post(&payload);
  assert_eq!(Arc::strong_count(&payload), 2, "queued at the receiver");
  drop(receiver_arc);
  assert_eq!(
    Arc::strong_count(&payload),
    1,
    "the queued message is freed"
  );
  assert_eq!(sender_arc.post(&payload), 0);
  assert!(!sender_arc.has_others());

  drop(receiver);
  assert!(!sender.has_others());
  assert_eq!(sender.post(&"lost".to_string()), 0);
}

#[test]
fn a_channel_of_a_new_name_starts_empty_and_payload_types_are_apart() {
  let cluster = AgentCluster::new();
  let (agent, _) = counting_agent(&cluster);
  let text: Channel = Subscription::join(&agent, "c");
  let bytes: Subscription<Vec<u8>> = Subscription::join(&agent, "c");
  assert!(!text.has_others());
  assert!(!bytes.has_others());
  assert_eq!(text.name(), "c");
}

#[test]
fn post_numbers_order_the_messages_of_several_channels() {
  let cluster = AgentCluster::new();
  let (agent, _) = counting_agent(&cluster);
  let c1: Channel = Subscription::join(&agent, "order");
  let c2: Channel = Subscription::join(&agent, "order");
  let c3: Channel = Subscription::join(&agent, "order");
  c1.post(&"from c1".to_string());
  c3.post(&"from c3".to_string());
  c2.post(&"done".to_string());
  // Always take the message posted first: HTML's one task per message and
  // destination, destinations in creation order.
  let channels = [("c1", &c1), ("c2", &c2), ("c3", &c3)];
  let mut order = Vec::new();
  while let Some((name, channel)) = channels
    .iter()
    .filter(|(_, c)| c.next_post().is_some())
    .min_by_key(|(_, c)| c.next_post())
  {
    order.push(format!("{name}: {}", channel.recv().unwrap().payload));
  }
  assert_eq!(
    order,
    [
      "c2: from c1",
      "c3: from c1",
      "c1: from c3",
      "c2: from c3",
      "c1: done",
      "c3: done"
    ]
  );
  assert_eq!(c1.queued(), 0);
}

#[test]
fn reschedule_puts_a_channel_with_messages_back_on_the_ready_list() {
  let cluster = AgentCluster::new();
  let (agent, wakes) = counting_agent(&cluster);
  let sender: Channel = Subscription::join(&agent, "c");
  let receiver: Channel = Subscription::join(&agent, "c");
  sender.post(&"one".to_string());
  assert_eq!(agent.take_ready(), [receiver.id()]);
  assert_eq!(receiver.begin_batch(), 1);
  receiver.reschedule();
  assert_eq!(agent.take_ready(), [receiver.id()], "a message waits");
  receiver.recv().unwrap();
  receiver.begin_batch();
  receiver.reschedule();
  assert!(agent.take_ready().is_empty(), "nothing waits");
  assert_eq!(wakes.load(Ordering::SeqCst), 2);
}
