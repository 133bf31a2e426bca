//! Rust-held ports: serde values both ways, ArrayBuffers moved without a
//! copy, ports shipped in messages, the Stream/Sink view, closing from
//! either side, and a port used from another thread.

use futures::SinkExt;
use futures::StreamExt;
use serde::Deserialize;
use serde::Serialize;

use entangle::ArrayBuffer;
use entangle::Error;
use entangle::Message;
use entangle::Runtime;

#[derive(Debug, PartialEq, Serialize, Deserialize)]
struct Job {
  id: u32,
  name: String,
  weights: Vec<f64>,
  tags: Option<Vec<String>>,
}

#[tokio::test(flavor = "current_thread")]
async fn serde_values_reach_js_as_ordinary_objects_and_come_back() {
  let mut runtime = Runtime::new();
  let mut port = runtime.create_port("host").unwrap();
  runtime
    .execute_script(
      "describe.js",
      r#"host.onmessage = ({ data }) => {
           const shape = [Object.getPrototypeOf(data) === Object.prototype,
             Array.isArray(data.weights), data.tags, JSON.stringify(data)].join(" | ");
           host.postMessage({ ...data, id: data.id + 1, name: data.name + " é ✓", tags: [shape] });
         };"#,
    )
    .unwrap();
  let job = Job {
    id: 41,
    name: "résumé".into(),
    weights: vec![0.5, -2.0, 1e300],
    tags: None,
  };
  port.post(&job).unwrap();
  // The port moves into the future, so that it is dropped (and the event
  // loop may end) whatever `recv` gives.
  let reply = async move { port.recv::<Job>().await };
  let (reply, result) = tokio::join!(reply, runtime.run_event_loop());
  result.unwrap();
  let reply = reply.unwrap().expect("a reply");
  let shape = r#"true | true |  | {"id":41,"name":"résumé","weights":[0.5,-2,1e+300],"tags":null}"#;
  assert_eq!(
    reply,
    Job {
      id: 42,
      name: "résumé é ✓".into(),
      weights: job.weights.clone(),
      tags: Some(vec![shape.into()]),
    }
  );
}

#[tokio::test(flavor = "current_thread")]
async fn array_buffers_move_both_ways_without_a_copy() {
  const SIZE: usize = 64 << 20;
  let mut runtime = Runtime::new();
  let mut port = runtime.create_port("host").unwrap();
  runtime
    .execute_script(
      "bounce.js",
      "host.onmessage = ({ data }) => {
         const bytes = new Uint8Array(data.buffer);
         bytes[1] = bytes[0] + 1;
         host.postMessage({ buffer: data.buffer, length: data.buffer.byteLength }, [data.buffer]);
       };",
    )
    .unwrap();
  let buffer = ArrayBuffer::from(vec![7u8; SIZE]);
  let address = buffer.bytes().as_ptr();

  #[derive(Serialize)]
  struct Out<'a> {
    buffer: &'a ArrayBuffer,
  }
  #[derive(Deserialize)]
  struct Back {
    buffer: ArrayBuffer,
    length: usize,
  }
  port.post(&Out { buffer: &buffer }).unwrap();
  assert!(buffer.is_detached(), "posting transfers the buffer");
  assert_eq!(buffer.len(), 0);
  let back = async move { port.recv::<Back>().await };
  let (back, result) = tokio::join!(back, runtime.run_event_loop());
  result.unwrap();
  let back = back.unwrap().unwrap();
  assert_eq!(back.length, SIZE);
  let bytes = back.buffer.bytes();
  assert_eq!((bytes.len(), bytes[0], bytes[1]), (SIZE, 7, 8));
  assert_eq!(
    bytes.as_ptr(),
    address,
    "the same memory came back: no copy"
  );
}

#[tokio::test(flavor = "current_thread")]
async fn a_buffer_in_use_or_a_bad_value_is_handed_back_unsent() {
  let mut runtime = Runtime::new();
  let port = runtime.create_port("host").unwrap();
  let buffer = ArrayBuffer::from(vec![1, 2, 3]);
  let borrowed = buffer.bytes();
  let error = port.post(&(1, &buffer)).unwrap_err();
  assert!(error.to_string().contains("borrowed"), "{error}");
  drop(borrowed);
  assert!(!buffer.is_detached(), "still ours");
  // A later field fails: the buffer already taken comes back.
  let mut unsupported = std::collections::BTreeMap::new();
  unsupported.insert(vec![1u8], 2);
  let error = port.post(&(&buffer, unsupported)).unwrap_err();
  match error {
    entangle::PostError::Serialize { buffers, reason } => {
      assert_eq!(buffers.len(), 1, "{reason}");
      assert_eq!(&*buffers[0].bytes(), &[1, 2, 3]);
    }
    other => panic!("{other:?}"),
  }
}

#[tokio::test(flavor = "current_thread")]
async fn ports_travel_in_messages_both_ways() {
  let mut runtime = Runtime::new();
  let mut host = runtime.create_port("host").unwrap();
  runtime
    .execute_script(
      "ports.js",
      "host.onmessage = (e) => {
         const [fromRust] = e.ports;
         fromRust.onmessage = (m) => fromRust.postMessage(`js got ${m.data}`);
         const { port1, port2 } = new MessageChannel();
         port1.onmessage = (m) => { port1.postMessage(`port1 got ${m.data}`); port1.close(); };
         host.postMessage(e.data, [port2]);
       };",
    )
    .unwrap();
  let (mut mine, theirs) = runtime.channel();
  let message = Message::new("take this port")
    .unwrap()
    .with_ports(vec![theirs]);
  host.post_message(message).unwrap();
  let rust = async move {
    let mut reply = host.recv_message().await.unwrap();
    assert_eq!(reply.value::<String>().unwrap(), "take this port");
    let mut from_js = reply.ports.pop().expect("a port from JS");
    mine.post("a").unwrap();
    assert_eq!(mine.recv::<String>().await.unwrap().unwrap(), "js got a");
    from_js.post("b").unwrap();
    assert_eq!(
      from_js.recv::<String>().await.unwrap().unwrap(),
      "port1 got b"
    );
    assert!(
      from_js.recv::<String>().await.unwrap().is_none(),
      "JS closed it"
    );
    assert!(matches!(
      from_js.try_recv::<String>(),
      Err(Error::PortClosed)
    ));
  };
  let ((), result) = tokio::join!(rust, runtime.run_event_loop());
  result.unwrap();
}

#[tokio::test(flavor = "current_thread")]
async fn a_wasm_module_posted_to_a_rust_port_is_a_data_clone_error() {
  let mut runtime = Runtime::new();
  let mut host = runtime.create_port("host").unwrap();
  runtime
    .execute_script(
      "wasm.js",
      r#"const bytes = new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0, 1, 7, 1, 96, 2, 127, 127, 1,
           127, 3, 2, 1, 0, 7, 7, 1, 3, 97, 100, 100, 0, 0, 10, 9, 1, 7, 0, 32, 0, 32, 1, 106, 11]);
         const buffer = new ArrayBuffer(8);
         try {
           host.postMessage({ module: new WebAssembly.Module(bytes), buffer }, [buffer]);
         } catch (error) {
           // Nothing was sent or transferred.
           host.postMessage([error.name, error.message, buffer.byteLength]);
         }"#,
    )
    .unwrap();
  let rust = async move {
    let reply = host.recv::<(String, String, u32)>().await.unwrap().unwrap();
    assert_eq!(reply.0, "DataCloneError");
    assert!(
      reply.1.contains("cannot be sent to a Rust port"),
      "{}",
      reply.1
    );
    assert_eq!(reply.2, 8);
  };
  let ((), result) = tokio::join!(rust, runtime.run_event_loop());
  result.unwrap();
}

#[tokio::test(flavor = "current_thread")]
async fn a_port_is_a_stream_and_a_sink() {
  let mut runtime = Runtime::new();
  let mut port = runtime.create_port("host").unwrap();
  runtime
    .execute_script(
      "double.js",
      "host.onmessage = ({ data }) => data === 'done' ? host.close() : host.postMessage(data * 2);",
    )
    .unwrap();
  let rust = async move {
    for n in 1..=100u32 {
      port.send(n).await.unwrap();
    }
    port.send("done").await.unwrap();
    port
      .map(|mut message| message.value::<u32>().unwrap())
      .collect::<Vec<_>>()
      .await
  };
  let (doubled, result) = tokio::join!(rust, runtime.run_event_loop());
  result.unwrap();
  assert_eq!(doubled, (1..=100).map(|n| n * 2).collect::<Vec<_>>());
}

#[tokio::test(flavor = "current_thread")]
async fn dropping_the_rust_end_fires_close_in_js() {
  let mut runtime = Runtime::new();
  let port = runtime.create_port("host").unwrap();
  runtime
    .execute_script(
      "close.js",
      "globalThis.log = [];
       host.onmessage = (e) => log.push(e.data);
       host.addEventListener('close', () => log.push('close'));",
    )
    .unwrap();
  port.post("last words").unwrap();
  drop(port);
  runtime.run_event_loop().await.unwrap();
  let log: Vec<String> = runtime.eval("log.js", "log").unwrap();
  assert_eq!(log, ["last words", "close"]);
}

#[test]
fn a_port_talks_to_js_from_another_thread() {
  let tokio = tokio::runtime::Builder::new_current_thread()
    .enable_all()
    .build()
    .unwrap();
  let mut runtime = Runtime::new();
  let mut port = runtime.create_port("host").unwrap();
  runtime
    .execute_script(
      "echo.js",
      "host.onmessage = ({ data }) => host.postMessage({ n: data.n, thread: 'js' });",
    )
    .unwrap();
  let rust = std::thread::spawn(move || {
    let tokio = tokio::runtime::Builder::new_multi_thread()
      .worker_threads(1)
      .build()
      .unwrap();
    tokio.block_on(async move {
      let mut sum = 0;
      for n in 0..1000u64 {
        port.post(&serde_json::json!({ "n": n })).unwrap();
        let reply: serde_json::Value = port.recv().await.unwrap().unwrap();
        assert_eq!(reply["thread"], "js");
        sum += reply["n"].as_u64().unwrap();
      }
      sum
    })
  });
  tokio.block_on(runtime.run_event_loop()).unwrap();
  assert_eq!(rust.join().unwrap(), (0..1000).sum::<u64>());
}

/// `run_until` returns as soon as the future completes though the port it
/// borrows keeps the loop alive (the README's join! of `recv` and
/// `run_event_loop` would hang here), and returns the loop's errors.
#[tokio::test(flavor = "current_thread")]
async fn run_until_returns_with_the_future_or_the_loop_error() {
  let mut runtime = Runtime::new();
  let mut port = runtime.create_port("host").unwrap();
  runtime
    .execute_script(
      "echo.js",
      "host.onmessage = (e) => { if (e.data < 0) throw new RangeError('negative'); host.postMessage(e.data + 1); }",
    )
    .unwrap();
  for n in 0..3u32 {
    port.post(&n).unwrap();
    let reply = tokio::time::timeout(
      std::time::Duration::from_secs(10),
      runtime.run_until(port.recv::<u32>()),
    )
    .await
    .expect("run_until returns once the reply is here");
    assert_eq!(reply.unwrap().unwrap(), Some(n + 1));
  }
  port.post(&-1).unwrap();
  match runtime.run_until(port.recv::<u32>()).await {
    Err(Error::Js(error)) => assert!(error.exception_message.contains("RangeError: negative")),
    other => panic!("expected the uncaught error, got {other:?}"),
  }
}
