//! The `entangle` library driven from Rust: runtimes, Rust-held ports, and
//! what a message that cannot be deserialized does.

use entangle::Port;
use entangle::Runtime;
use entangle::RuntimeOptions;

/// V8's wire bytes for a one-byte string (version 15 header).
fn wire_string(text: &str) -> Vec<u8> {
  let mut bytes = vec![0xFF, 0x0F, b'"', text.len() as u8];
  bytes.extend_from_slice(text.as_bytes());
  bytes
}

fn runtime() -> Runtime {
  Runtime::new(RuntimeOptions::default())
}

#[test]
fn public_types_are_send_where_promised() {
  fn send<T: Send>() {}
  send::<Port>();
  send::<entangle::PostError>();
}

#[tokio::test(flavor = "current_thread")]
async fn a_corrupt_message_fires_messageerror_and_later_messages_still_arrive() {
  let mut runtime = runtime();
  let port = runtime.create_port("rustPort").unwrap();
  runtime
    .execute_script(
      "setup",
      "globalThis.log = [];
       rustPort.onmessage = (e) => log.push(`message ${e.data}`);
       rustPort.onmessageerror = (e) => log.push(`messageerror ${e.data} ${e.isTrusted}`);",
    )
    .unwrap();
  // Truncated bytes: an object that never ends.
  port.post_raw(vec![0xFF, 0x0F, b'o', b'"', 0x01]).unwrap();
  port.post_raw(wire_string("after")).unwrap();
  drop(port); // closes the channel; what was sent is still delivered
  runtime.run_event_loop().await.unwrap();
  let log: Vec<String> = runtime.eval("read", "log").unwrap();
  assert_eq!(log, vec!["messageerror null true", "message after"]);
}

#[tokio::test(flavor = "current_thread")]
async fn rust_and_js_exchange_messages_through_a_port() {
  let mut runtime = runtime();
  let mut port = runtime.create_port("rustPort").unwrap();
  runtime
    .execute_script(
      "echo",
      "rustPort.onmessage = (e) => { rustPort.postMessage(`echo ${e.data}`); rustPort.close(); };",
    )
    .unwrap();
  port.post_raw(wire_string("ping")).unwrap();
  // The Rust side keeps the event loop alive until it drops its port.
  let rust = async move {
    let reply = port.recv_raw().await;
    let end = port.recv_raw().await;
    let late = port.post_raw(wire_string("late"));
    (reply, end, late)
  };
  let ((reply, end, late), result) = tokio::join!(rust, runtime.run_event_loop());
  result.unwrap();
  let reply = reply.expect("a reply");
  assert!(reply.ends_with(b"echo ping"), "{reply:?}");
  assert_eq!(end, None, "closed by JS");
  assert_eq!(
    late.unwrap_err().bytes,
    wire_string("late"),
    "the bytes come back"
  );
}

#[test]
fn eval_returns_values_and_js_exceptions_become_rust_errors() {
  let mut runtime = runtime();
  let sum: u32 = runtime
    .eval("sum", "[1, 2, 3].reduce((a, b) => a + b)")
    .unwrap();
  assert_eq!(sum, 6);
  let error = runtime
    .eval::<u32>("throws", "throw new RangeError('nope')")
    .unwrap_err();
  let text = error.to_string();
  assert!(text.contains("RangeError: nope"), "{text}");
}

/// The worker threads alive in this process, by name.
fn worker_threads() -> usize {
  std::fs::read_dir("/proc/self/task")
    .unwrap()
    .filter_map(|task| std::fs::read_to_string(task.ok()?.path().join("comm")).ok())
    .filter(|name| name.starts_with("entangle-worker"))
    .count()
}

#[tokio::test(flavor = "current_thread")]
async fn terminated_workers_leave_no_thread_behind() {
  let mut runtime = runtime();
  let blob = r#"URL.createObjectURL(new Blob(["onmessage = (e) => postMessage(e.data);"]))"#;
  runtime
    .execute_script(
      "workers",
      format!(
        "const url = {blob};
         for (let i = 0; i < 200; i++) {{
           const worker = new Worker(url);
           worker.postMessage(i);
           worker.terminate();
         }}"
      ),
    )
    .unwrap();
  runtime.run_event_loop().await.unwrap();
  // Terminated threads end on their own; give them a moment.
  for _ in 0..200 {
    if worker_threads() == 0 {
      break;
    }
    tokio::time::sleep(std::time::Duration::from_millis(10)).await;
  }
  assert_eq!(worker_threads(), 0, "threads left after terminate()");
  // A runtime dropped with workers still running joins them.
  runtime
    .execute_script(
      "more",
      format!("for (let i = 0; i < 4; i++) new Worker({blob});"),
    )
    .unwrap();
  drop(runtime);
  assert_eq!(
    worker_threads(),
    0,
    "threads left after dropping the runtime"
  );
}
