//! Several runtimes in one process, on different threads, wired together
//! with ports.

use entangle::Runtime;

#[test]
fn runtimes_on_two_threads_talk_through_a_port() {
  let tokio = || {
    tokio::runtime::Builder::new_current_thread()
      .enable_all()
      .build()
      .unwrap()
  };
  let mut pinger = Runtime::new();
  let port = pinger.create_port("peer").unwrap();
  let cluster = pinger.cluster();
  pinger
    .execute_script(
      "pinger.js",
      "let expected = 1;
       peer.onmessage = ({ data }) => {
         if (data !== expected) throw new Error(`out of order: ${data}, expected ${expected}`);
         if (expected === 1000) { globalThis.done = data; peer.close(); }
         else { peer.postMessage(data); expected++; }
       };
       peer.postMessage(0);",
    )
    .unwrap();
  let ponger = std::thread::spawn(move || {
    let mut ponger = Runtime::builder().cluster(cluster).build().unwrap();
    ponger.expose_port("peer", port).unwrap();
    ponger
      .execute_script(
        "ponger.js",
        "globalThis.seen = 0;
         peer.onmessage = ({ data }) => { seen++; peer.postMessage(data + 1); };",
      )
      .unwrap();
    tokio().block_on(ponger.run_event_loop()).unwrap();
    ponger.eval::<u32>("seen.js", "seen").unwrap()
  });
  tokio().block_on(pinger.run_event_loop()).unwrap();
  let done: u32 = pinger.eval("done.js", "done").unwrap();
  assert_eq!(done, 1000);
  assert_eq!(ponger.join().unwrap(), 1000);
}

#[test]
fn a_port_from_another_cluster_is_refused() {
  let port = Runtime::new().create_port("unused").unwrap();
  // One runtime per thread: V8 works with the isolate a thread entered last.
  let error = std::thread::spawn(move || Runtime::new().expose_port("foreign", port).unwrap_err())
    .join()
    .unwrap();
  assert!(error.to_string().contains("another cluster"), "{error}");
}
