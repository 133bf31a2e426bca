//! Fuzzes the message deserializer of the runtime itself: arbitrary bytes
//! are posted from a Rust port to a JS `MessagePort`, where V8's
//! `ValueDeserializer` with Entangle's host-object and transfer hooks reads
//! them. Each input must become exactly one `message` or `messageerror`
//! event, and the isolate must survive it.

#![no_main]

use std::cell::RefCell;

use entangle::Message;
use entangle::Port;
use entangle::Runtime;
use libfuzzer_sys::fuzz_target;

struct Harness {
  tokio: tokio::runtime::Runtime,
  runtime: Runtime,
  port: Port,
  events: u32,
}

thread_local! {
  static HARNESS: RefCell<Harness> = RefCell::new(Harness::new());
}

impl Harness {
  fn new() -> Harness {
    let tokio = tokio::runtime::Builder::new_current_thread()
      .enable_all()
      .build()
      .unwrap();
    let mut runtime = Runtime::new();
    let port = runtime.create_port("fuzz").unwrap();
    runtime
      .execute_script(
        "fuzz.js",
        "globalThis.events = 0;
         fuzz.onmessage = fuzz.onmessageerror = (e) => {
           events++;
           // Touch what arrived, as a script would.
           try { String(e.data); JSON.stringify(e.data); } catch {}
           fuzz.postMessage(events);
         };",
      )
      .unwrap();
    Harness {
      tokio,
      runtime,
      port,
      events: 0,
    }
  }

  fn deliver(&mut self, bytes: Vec<u8>) {
    self.port.post_message(Message::from_bytes(bytes)).unwrap();
    self.events += 1;
    let Harness {
      tokio,
      runtime,
      port,
      events,
    } = self;
    let count = tokio.block_on(async {
      tokio::select! {
        count = port.recv::<u32>() => count,
        result = runtime.run_event_loop() => panic!("the loop ended: {result:?}"),
      }
    });
    assert_eq!(count.unwrap(), Some(*events), "one event per message");
  }
}

fuzz_target!(|data: &[u8]| {
  let mut bytes = data.to_vec();
  // Most inputs get V8's header, so the fuzzer explores the values.
  if bytes.first() != Some(&0xFF) {
    bytes.splice(0..0, [0xFF, 0x0F]);
  }
  HARNESS.with_borrow_mut(|harness| harness.deliver(bytes));
});
