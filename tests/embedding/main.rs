//! The `entangle` library driven from Rust: runtimes, Rust-held ports,
//! workers and clusters, and what a message that cannot be deserialized
//! does. One test binary (linking V8 is slow); a module per area.

mod broadcast;
mod builder;
mod clusters;
mod ports;
mod workers;

use entangle::Error;
use entangle::Message;
use entangle::Port;
use entangle::Runtime;

/// V8's wire bytes for a one-byte string (version 15 header).
fn wire_string(text: &str) -> Vec<u8> {
  let mut bytes = vec![0xFF, 0x0F, b'"', text.len() as u8];
  bytes.extend_from_slice(text.as_bytes());
  bytes
}

fn runtime() -> Runtime {
  Runtime::new()
}

/// A port exposed to JS as `rustPort`, whose events JS logs in `log`.
fn logging_port(runtime: &mut Runtime) -> Port {
  let port = runtime.create_port("rustPort").unwrap();
  runtime
    .execute_script(
      "setup",
      "globalThis.log = [];
       rustPort.onmessage = (e) => log.push(`message ${e.data}`);
       rustPort.onmessageerror = (e) => log.push(`messageerror ${e.data} ${e.isTrusted}`);",
    )
    .unwrap();
  port
}

/// Posts raw wire bytes.
fn post_raw(port: &Port, bytes: Vec<u8>) {
  port.post_message(Message::from_bytes(bytes)).unwrap();
}

/// Posts each of `messages` (raw wire bytes), then the string "after", to
/// a logging port of `runtime`, and returns what JS logged: one line per
/// `message` or `messageerror`.
async fn log_of_raw(mut runtime: Runtime, messages: Vec<Vec<u8>>) -> Vec<String> {
  let port = logging_port(&mut runtime);
  for bytes in messages {
    post_raw(&port, bytes);
  }
  post_raw(&port, wire_string("after"));
  drop(port); // closes the channel; what was sent is still delivered
  runtime.run_event_loop().await.unwrap();
  runtime.eval("read", "log").unwrap()
}

#[test]
fn public_types_are_send_and_sync_where_promised() {
  fn send_sync<T: Send + Sync>() {}
  fn send<T: Send>() {}
  send_sync::<Port>();
  send_sync::<Message>();
  send_sync::<entangle::PostError>();
  send_sync::<entangle::Error>();
  send_sync::<entangle::ArrayBuffer>();
  send_sync::<entangle::Cluster>();
  send_sync::<entangle::ErrorReport>();
  send::<entangle::Worker>();
  send::<entangle::RuntimeBuilder>();
}

#[tokio::test(flavor = "current_thread")]
async fn a_corrupt_message_fires_messageerror_and_later_messages_still_arrive() {
  // Truncated bytes: an object that never ends.
  let log = log_of_raw(runtime(), vec![vec![0xFF, 0x0F, b'o', b'"', 0x01]]).await;
  assert_eq!(log, vec!["messageerror null true", "message after"]);
}

#[tokio::test(flavor = "current_thread")]
async fn objects_and_arrays_read_by_the_fast_path_are_what_v8_reads() {
  let mut runtime = runtime();
  let port = runtime.create_port("rustPort").unwrap();
  runtime
    .execute_script(
      "setup",
      "globalThis.log = [];
       rustPort.onmessage = (e) => log.push(JSON.stringify(e.data) + ' ' + Object.getPrototypeOf(e.data ?? {}).constructor.name);
       rustPort.onmessageerror = () => log.push('messageerror');",
    )
    .unwrap();
  let key = |name: &str| [&[b'"', name.len() as u8], name.as_bytes()].concat();
  let messages = [
    // {a: 1, b: "x"}, as V8 writes it.
    [
      vec![0xFF, 0x0F, b'o'],
      key("a"),
      vec![b'I', 0x02],
      key("b"),
      key("x"),
      vec![b'{', 0x02],
    ]
    .concat(),
    // A key written twice: the last value wins, in the first one's place.
    [
      vec![0xFF, 0x0F, b'o'],
      key("a"),
      vec![b'I', 0x02],
      key("b"),
      vec![b'0'],
      key("a"),
      vec![b'T', b'{', 0x03],
    ]
    .concat(),
    // [1, [2], {}], dense.
    vec![
      0xFF, 0x0F, b'A', 0x03, b'I', 0x02, b'A', 0x01, b'I', 0x04, b'$', 0x00, 0x01, b'o', b'{',
      0x00, b'$', 0x00, 0x03,
    ],
    // A property count that does not match, and an array whose length does not.
    [
      vec![0xFF, 0x0F, b'o'],
      key("a"),
      vec![b'I', 0x02, b'{', 0x02],
    ]
    .concat(),
    vec![0xFF, 0x0F, b'A', 0x01, b'I', 0x02, b'$', 0x00, 0x02],
  ];
  for bytes in messages {
    post_raw(&port, bytes);
  }
  drop(port);
  runtime.run_event_loop().await.unwrap();
  let log: Vec<String> = runtime.eval("read", "log").unwrap();
  assert_eq!(
    log,
    [
      r#"{"a":1,"b":"x"} Object"#,
      r#"{"a":true,"b":null} Object"#,
      r#"[1,[2],{}] Array"#,
      "messageerror",
      "messageerror"
    ]
  );
}

#[tokio::test(flavor = "current_thread")]
async fn a_message_naming_a_stream_port_it_lacks_is_a_messageerror() {
  // Found by fuzz/fuzz_targets/v8_message.rs: a host object ('\\') with
  // the stream tag (2), kind 2 (a TransformStream, two ports) and the last
  // port index u32::MAX overflowed when its second port was looked up.
  let overflowing = vec![0xFF, 0x0F, b'\\', 0x02, 0x02, 0xFF, 0xFF, 0xFF, 0xFF, 0x0F];
  // A readable stream (kind 0) whose port is not in the message.
  let missing = vec![0xFF, 0x0F, b'\\', 0x02, 0x00, 0x00];
  let log = log_of_raw(runtime(), vec![overflowing, missing]).await;
  assert_eq!(
    log,
    vec![
      "messageerror null true",
      "messageerror null true",
      "message after"
    ]
  );
}

#[tokio::test(flavor = "current_thread")]
async fn blob_data_that_names_no_blob_part_is_a_messageerror() {
  // A platform object (host object '\\', tag 1) whose data claims to be a
  // Blob with a part id that is no id: deno_web's deserialization steps
  // would trust it (and fail later, when the part is released).
  let key = |name: &str| [&[b'"', name.len() as u8], name.as_bytes()].concat();
  let mut bytes = vec![0xFF, 0x0F, b'\\', 0x01, b'o'];
  bytes.extend([key("type"), key("Blob")].concat());
  bytes.extend([key("mimeType"), key("")].concat());
  bytes.extend(key("parts"));
  bytes.extend([b'A', 0x01, b'o']);
  bytes.extend([key("uuid"), key("not-a-part-id")].concat());
  bytes.extend([key("size"), vec![b'I', 0x02, b'{', 0x02]].concat());
  bytes.extend([b'$', 0x00, 0x01]);
  bytes.extend([key("size"), vec![b'I', 0x02, b'{', 0x04]].concat());
  let log = log_of_raw(runtime(), vec![bytes]).await;
  assert_eq!(log, vec!["messageerror null true", "message after"]);
}

#[tokio::test(flavor = "current_thread")]
async fn a_buffer_too_large_to_reserve_is_a_messageerror_not_a_full_heap() {
  // Found by fuzz/fuzz_targets/v8_message.rs: V8 collects garbage as a last
  // resort before it gives up on the address space, which once read as the
  // heap limit and terminated the isolate.
  let runtime = Runtime::builder().heap_limit(64 << 20).build().unwrap();
  // A resizable ArrayBuffer ('~'): 0 bytes long, at most about 2^55.
  let huge_max = [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x0D];
  let mut bytes = vec![0xFF, 0x0F, b'~', 0x00];
  bytes.extend_from_slice(&huge_max);
  let log = log_of_raw(runtime, vec![bytes]).await;
  assert_eq!(log, vec!["messageerror null true", "message after"]);
}

#[tokio::test(flavor = "current_thread")]
async fn a_message_that_does_not_fit_the_heap_ends_the_runtime_cleanly() {
  // Found by fuzz/fuzz_targets/v8_message.rs: V8 allocates what the bytes
  // describe. Each sparse array ('a') of length 21,219,215 is a 160 MB
  // backing store; three nested need more than a 256 MiB heap.
  let mut runtime = Runtime::builder().heap_limit(256 << 20).build().unwrap();
  let port = logging_port(&mut runtime);
  let sparse = [b'a', 0x8F, 0x8F, 0x8F, 0x8A, 0x00];
  let mut bytes = vec![0xFF, 0x0F];
  for _ in 0..3 {
    bytes.extend_from_slice(&sparse);
  }
  post_raw(&port, bytes);
  drop(port); // were the message to fit, the loop would end with Ok
  match runtime.run_event_loop().await {
    Err(Error::HeapLimitExceeded { limit }) => assert_eq!(limit, 256 << 20),
    other => panic!("{other:?}"),
  }
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
  post_raw(&port, wire_string("ping"));
  // The Rust side keeps the event loop alive until it drops its port.
  let rust = async move {
    let reply = port.recv_message().await;
    let end = port.recv_message().await;
    let late = port.post_message(Message::from_bytes(wire_string("late")));
    (reply, end, late)
  };
  let ((reply, end, late), result) = tokio::join!(rust, runtime.run_event_loop());
  result.unwrap();
  let reply = reply.expect("a reply").bytes;
  assert!(reply.ends_with(b"echo ping"), "{reply:?}");
  assert!(end.is_none(), "closed by JS");
  match late {
    Err(entangle::PostError::Closed(message)) => {
      assert_eq!(message.bytes, wire_string("late"), "the bytes come back")
    }
    other => panic!("{other:?}"),
  }
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

/// Tests that start workers hold this lock, so that counting worker threads
/// sees only its own test's.
async fn worker_threads_lock() -> tokio::sync::MutexGuard<'static, ()> {
  static LOCK: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());
  LOCK.lock().await
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
  let _guard = worker_threads_lock().await;
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

/// Hostile input: thousands of mutated serializations (seeded with real
/// bytes from JS: objects, arrays, Maps, strings, errors, typed arrays) each
/// become exactly one `message` or `messageerror`, in order; nothing crashes.
#[tokio::test(flavor = "current_thread")]
async fn mutated_messages_become_messages_or_messageerrors() {
  const MUTANTS: usize = 5_000;
  let mut runtime = runtime();
  let mut port = runtime.create_port("rustPort").unwrap();
  runtime
    .execute_script(
      "seeds",
      r#"rustPort.start();
         for (const seed of [
           { a: 1, b: "x", c: [1, 2, { d: null }] },
           [1, , 3, "four", 5.5, -0, 2n ** 70n],
           new Map([[1, new Set(["a"])], ["k", new Date(0)]]),
           "a string with unicode: \u00e9\u{1f600}",
           new RangeError("boom", { cause: 7 }),
           new Uint16Array([1, 2, 3]),
           { nested: { deeper: { deepest: [true, false, undefined] } } },
           new DOMException("m", "DataCloneError"),
         ]) rustPort.postMessage(seed);"#,
    )
    .unwrap();
  let mut seeds = Vec::new();
  while seeds.len() < 8 {
    // Seeds arrive as the event loop runs.
    tokio::select! {
      message = port.recv_message() => seeds.push(message.unwrap().bytes),
      result = runtime.run_event_loop() => result.unwrap(),
    }
  }
  runtime
    .execute_script(
      "count",
      "globalThis.seen = { message: 0, messageerror: 0, last: null };
       rustPort.onmessage = (e) => { seen.message++; seen.last = e.data; };
       rustPort.onmessageerror = () => { seen.messageerror++; seen.last = 'error'; };",
    )
    .unwrap();
  // Seeded, so a failure reproduces.
  let mut rng = fastrand::Rng::with_seed(0x9E37_79B9_7F4A_7C15);
  for _ in 0..MUTANTS {
    let mut bytes = seeds[rng.usize(..seeds.len())].clone();
    for _ in 0..=rng.usize(..4) {
      match rng.usize(..4) {
        0 if !bytes.is_empty() => {
          let at = rng.usize(..bytes.len());
          bytes[at] ^= 1 << rng.u32(..8);
        }
        1 if bytes.len() > 2 => bytes.truncate(rng.usize(2..bytes.len())),
        2 => {
          let at = rng.usize(..=bytes.len());
          bytes.insert(at, rng.u8(..));
        }
        _ if !bytes.is_empty() => {
          let at = rng.usize(..bytes.len());
          bytes[at] = rng.u8(..);
        }
        _ => {}
      }
    }
    post_raw(&port, bytes);
  }
  post_raw(&port, wire_string("end"));
  drop(port);
  runtime.run_event_loop().await.unwrap();
  let (messages, errors, last): (usize, usize, String) = runtime
    .eval(
      "read",
      "[seen.message, seen.messageerror, String(seen.last)]",
    )
    .unwrap();
  assert_eq!(messages + errors, MUTANTS + 1, "every message arrived once");
  assert_eq!(last, "end", "in order");
  assert!(
    errors > 0 && messages > 1,
    "{messages} messages, {errors} messageerrors"
  );
}
