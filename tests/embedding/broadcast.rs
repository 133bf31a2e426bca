//! Rust participants in BroadcastChannels: Rust hears JS channels of its
//! name and JS channels hear Rust, in the main isolate and in workers.

use serde::Deserialize;
use serde::Serialize;

use entangle::ArrayBuffer;
use entangle::Cluster;
use entangle::PostError;
use entangle::Runtime;

#[derive(Debug, PartialEq, Serialize, Deserialize)]
struct News {
  id: u32,
  text: String,
}

#[tokio::test(flavor = "current_thread")]
async fn js_posts_rust_receives_rust_posts_js_receives() {
  let mut runtime = Runtime::new();
  let mut channel = runtime.broadcast_channel("news");
  assert_eq!(channel.name(), "news");
  runtime
    .execute_script(
      "news.js",
      r#"const news = new BroadcastChannel("news");
         const other = new BroadcastChannel("other");
         other.onmessage = () => news.postMessage({ id: 0, text: "wrong name" });
         news.onmessage = ({ data, origin, isTrusted }) => {
           news.postMessage({ id: data.id + 1, text: `${data.text} (${typeof origin}, ${isTrusted})` });
           news.close();
           other.close();
         };
         news.postMessage({ id: 1, text: "from JS" });"#,
    )
    .unwrap();
  let first: News = runtime.run_until(channel.recv()).await.unwrap().unwrap();
  assert_eq!(
    first,
    News {
      id: 1,
      text: "from JS".into()
    }
  );

  assert_eq!(
    channel
      .post(&News {
        id: 41,
        text: "from Rust".into()
      })
      .unwrap(),
    1
  );
  let reply: News = runtime.run_until(channel.recv()).await.unwrap().unwrap();
  assert_eq!(
    reply,
    News {
      id: 42,
      text: "from Rust (string, true)".into()
    }
  );
  assert!(
    channel.try_recv::<News>().unwrap().is_none(),
    "the sender hears nothing of its own"
  );

  // The JS channel closed itself after replying: nobody is left to hear.
  assert_eq!(
    channel
      .post(&News {
        id: 0,
        text: "nobody".into()
      })
      .unwrap(),
    0
  );
}

#[tokio::test(flavor = "current_thread")]
async fn a_worker_hears_a_channel_joined_through_the_cluster() {
  let cluster = Cluster::new();
  let mut runtime = Runtime::builder().cluster(cluster.clone()).build().unwrap();
  let mut channel = cluster.broadcast_channel("jobs");
  runtime
    .execute_script(
      "jobs.js",
      r#"const source = `const jobs = new BroadcastChannel("jobs");
           jobs.onmessage = ({ data }) => { jobs.postMessage("worker did " + data); jobs.close(); };
           jobs.postMessage("worker ready");`;
         const url = URL.createObjectURL(new Blob([source], { type: "text/javascript" }));
         new Worker(url, { type: "module" });"#,
    )
    .unwrap();
  let ready: String = runtime.run_until(channel.recv()).await.unwrap().unwrap();
  assert_eq!(ready, "worker ready");
  channel.post("sweeping").unwrap();
  let done: String = runtime.run_until(channel.recv()).await.unwrap().unwrap();
  assert_eq!(done, "worker did sweeping");
}

#[tokio::test(flavor = "current_thread")]
async fn bytes_js_cannot_deserialize_fire_messageerror() {
  let mut runtime = Runtime::new();
  let mut channel = runtime.broadcast_channel("raw");
  runtime
    .execute_script(
      "raw.js",
      r#"const raw = new BroadcastChannel("raw");
         raw.onmessage = ({ data }) => raw.postMessage(`message ${data}`);
         raw.onmessageerror = (e) => raw.postMessage(`${e.type} ${e.data} ${e.isTrusted}`);"#,
    )
    .unwrap();
  assert_eq!(channel.post_bytes(vec![0xFF, 0x0F, 0xEE, 0xEE]), 1);
  let reply: String = runtime.run_until(channel.recv()).await.unwrap().unwrap();
  assert_eq!(reply, "messageerror null true");
  assert_eq!(channel.post_bytes(vec![0xFF, 0x0F, b'"', 2, b'o', b'k']), 1);
  let reply: String = runtime.run_until(channel.recv()).await.unwrap().unwrap();
  assert_eq!(reply, "message ok");
}

#[test]
fn array_buffers_are_refused_and_handed_back() {
  let runtime = Runtime::new();
  let channel = runtime.broadcast_channel("bytes");
  let buffer = ArrayBuffer::from(vec![1, 2, 3]);
  match channel.post(&buffer) {
    Err(PostError::Serialize { buffers, .. }) => assert_eq!(buffers[0].bytes().to_vec(), [1, 2, 3]),
    other => panic!("expected a refusal, got {other:?}"),
  }
}

#[test]
fn a_collected_channel_leaves_its_name_but_a_listening_one_stays() {
  let mut runtime = Runtime::new();
  let channel = runtime.broadcast_channel("gc");
  runtime
    .execute_script(
      "channels.js",
      r#"new BroadcastChannel("gc");
         globalThis.kept = new BroadcastChannel("gc");
         new BroadcastChannel("gc").onmessage = () => {};
         new BroadcastChannel("gc").addEventListener("messageerror", () => {});"#,
    )
    .unwrap();
  assert_eq!(channel.post(&1).unwrap(), 4);
  runtime.js_runtime().v8_isolate().low_memory_notification();
  // The next channel opened is a safe point: collected ones are closed.
  runtime
    .execute_script("sweep.js", "new BroadcastChannel('other').close()")
    .unwrap();
  assert_eq!(
    channel.post(&2).unwrap(),
    3,
    "only the unreachable channel without listeners is gone"
  );
  runtime.execute_script("close.js", "kept.close()").unwrap();
  assert_eq!(channel.post(&3).unwrap(), 2);
}
