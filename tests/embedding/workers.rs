//! Workers started from Rust: their ports, their errors, terminate, and a
//! heap limit that stops a worker instead of the process.

use entangle::ModuleSpecifier;
use entangle::Runtime;

/// A worker module served by the testing hook.
fn runtime_with(scripts: &[(&str, &str)]) -> Runtime {
  let sources = entangle::ScriptSources {
    generated: scripts
      .iter()
      .map(|(url, code)| (url.to_string(), code.to_string()))
      .collect(),
    ..Default::default()
  };
  Runtime::builder().script_sources(sources).build().unwrap()
}

fn url(text: &str) -> ModuleSpecifier {
  ModuleSpecifier::parse(text).unwrap()
}

#[tokio::test(flavor = "current_thread")]
async fn a_worker_spawned_from_rust_talks_through_its_port() {
  let _guard = super::worker_threads_lock().await;
  let mut runtime = runtime_with(&[(
    "file:///virtual/square.js",
    "onmessage = ({ data }) => postMessage({ square: data * data, name: self.name });",
  )]);
  let mut worker = runtime
    .spawn_worker(&url("file:///virtual/square.js"))
    .unwrap();
  let rust = async move {
    let port = worker.port();
    let mut squares = Vec::new();
    for n in 1..=5u32 {
      port.post(&n).unwrap();
      let reply: serde_json::Value = port.recv().await.unwrap().unwrap();
      squares.push(reply["square"].as_u64().unwrap());
    }
    worker.terminate();
    // A terminated worker's port closes.
    assert!(worker.port().recv::<u32>().await.unwrap().is_none());
    squares
  };
  let (squares, result) = tokio::join!(rust, runtime.run_event_loop());
  result.unwrap();
  assert_eq!(squares, [1, 4, 9, 16, 25]);
}

#[tokio::test(flavor = "current_thread")]
async fn a_worker_error_reaches_rust_and_a_missing_script_is_an_error() {
  let _guard = super::worker_threads_lock().await;
  let mut runtime = runtime_with(&[(
    "file:///virtual/throws.js",
    "onmessage = () => { throw new RangeError('no such job'); };",
  )]);
  let mut worker = runtime
    .spawn_worker(&url("file:///virtual/throws.js"))
    .unwrap();
  worker.port().post("go").unwrap();
  // Dropping the worker's port once the report is in lets the worker, and
  // then the event loop, finish.
  let report = async move { worker.next_error().await };
  let (report, result) = tokio::join!(report, runtime.run_event_loop());
  result.unwrap();
  let report = report.expect("an error report");
  assert_eq!(report.message, "Uncaught RangeError: no such job");
  assert_eq!(report.filename, "file:///virtual/throws.js");
  assert_eq!((report.lineno, report.colno), (1, 27));

  let error = runtime
    .spawn_worker(&url("file:///virtual/missing.js"))
    .err()
    .expect("no such script");
  assert!(error.to_string().contains("missing.js"), "{error}");
}

#[tokio::test(flavor = "current_thread")]
async fn a_worker_over_its_heap_limit_is_stopped_with_an_error_event() {
  let _guard = super::worker_threads_lock().await;
  let sources = entangle::ScriptSources {
    generated: [(
      "file:///virtual/hog.js".to_string(),
      "const hoard = []; onmessage = () => { for (;;) hoard.push({ at: hoard.length }); };"
        .to_string(),
    )]
    .into(),
    ..Default::default()
  };
  let mut runtime = Runtime::builder()
    .heap_limit(64 << 20)
    .script_sources(sources)
    .build()
    .unwrap();
  runtime
    .execute_script(
      "parent.js",
      "globalThis.events = [];
       const worker = new Worker('file:///virtual/hog.js', { type: 'module' });
       worker.onerror = (e) => { events.push(e.message); e.preventDefault(); };
       worker.postMessage('eat');
       // The parent is unaffected: it keeps running timers.
       setTimeout(() => events.push('parent alive'), 10);",
    )
    .unwrap();
  runtime.run_event_loop().await.unwrap();
  let events: Vec<String> = runtime.eval("events.js", "events").unwrap();
  assert_eq!(events.len(), 2, "{events:?}");
  assert!(events.contains(&"parent alive".to_string()), "{events:?}");
  let error = events.iter().find(|e| *e != "parent alive").unwrap();
  assert!(
    error.starts_with("Uncaught RangeError: the JavaScript heap reached its limit (64 MiB)"),
    "{error}"
  );
}
