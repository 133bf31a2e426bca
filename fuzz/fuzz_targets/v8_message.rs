//! Fuzzes the message deserializer of the runtime itself: arbitrary bytes
//! are posted from a Rust port to a JS `MessagePort`, where the fast path
//! (primitives, strings, plain objects and dense arrays) or else V8's
//! `ValueDeserializer` with Entangle's host-object and transfer hooks reads
//! them. Each input must become exactly one `message` or `messageerror`
//! event, and the isolate must survive it — unless what the bytes describe
//! does not fit the heap: V8 allocates what a message says (a sparse array
//! of length 21,000,000 is 160 MB in any V8, from six bytes), and then the
//! one allowed end is `Error::HeapLimitExceeded`, after which the harness
//! starts a new runtime.

#![no_main]

use std::cell::RefCell;

use entangle::Error;
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

/// The heap each runtime gets: small, so inputs that do not fit end soon.
const HEAP_LIMIT: usize = 256 << 20;

thread_local! {
  static HARNESS: RefCell<Option<Harness>> = const { RefCell::new(None) };
}

impl Harness {
  fn new() -> Harness {
    let tokio = tokio::runtime::Builder::new_current_thread()
      .enable_all()
      .build()
      .unwrap();
    let mut runtime = Runtime::builder().heap_limit(HEAP_LIMIT).build().unwrap();
    let port = runtime.create_port("fuzz").unwrap();
    runtime
      .execute_script(
        "fuzz.js",
        "globalThis.events = 0;
         // Touches what arrived, as a script would, but at most `budget`
         // values: printing it whole could take exponential time and memory
         // (sparse arrays of length 97 nested 30 deep), which is the
         // script's doing, not the runtime's.
         const touch = (value, budget) => {
           if (budget.left-- <= 0) return;
           if (typeof value !== 'object' || value === null) return void String(value);
           const entries = value instanceof Map ? [...value].flat()
             : value instanceof Set ? [...value]
             : Reflect.ownKeys(value).map((key) => value[key]);
           for (const entry of entries) touch(entry, budget);
         };
         fuzz.onmessage = fuzz.onmessageerror = (e) => {
           events++;
           try { touch(e.data, { left: 1000 }); } catch {}
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

  /// Delivers one message; `false` if it did not fit the heap (the runtime
  /// is spent then).
  fn deliver(&mut self, bytes: Vec<u8>) -> bool {
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
        count = port.recv::<u32>() => Some(count),
        result = runtime.run_event_loop() => match result {
          Err(Error::HeapLimitExceeded { .. }) => None,
          other => panic!("the loop ended: {other:?}"),
        },
      }
    });
    let Some(count) = count else { return false };
    assert_eq!(count.unwrap(), Some(*events), "one event per message");
    true
  }
}

fuzz_target!(|data: &[u8]| {
  let mut bytes = data.to_vec();
  // Most inputs get V8's header, so the fuzzer explores the values.
  if bytes.first() != Some(&0xFF) {
    bytes.splice(0..0, [0xFF, 0x0F]);
  }
  HARNESS.with_borrow_mut(|slot| {
    let harness = slot.get_or_insert_with(Harness::new);
    if !harness.deliver(bytes) {
      // Drop the spent runtime before the next one is made.
      *slot = None;
    }
  });
});
