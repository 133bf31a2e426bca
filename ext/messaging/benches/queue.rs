//! The port machinery alone, without V8: what a message costs in queues,
//! wake-ups and transfers. `cargo bench -p entangle_messaging`.

use std::hint::black_box;
use std::sync::atomic::AtomicUsize;
use std::sync::atomic::Ordering;
use std::sync::Arc;

use criterion::criterion_group;
use criterion::criterion_main;
use criterion::BatchSize;
use criterion::Criterion;
use criterion::Throughput;
use entangle_messaging::Agent;
use entangle_messaging::AgentCluster;
use entangle_messaging::Endpoint;
use entangle_messaging::Envelope;

type BenchPort = Endpoint<Vec<u8>>;

fn agent() -> Agent {
  let wakes = Arc::new(AtomicUsize::new(0));
  Agent::new(&AgentCluster::new(), move || {
    wakes.fetch_add(1, Ordering::Relaxed);
  })
}

fn drain(agent: &Agent, port: &BenchPort) -> usize {
  let mut delivered = 0;
  for _ in agent.take_ready() {
    let n = port.begin_batch(usize::MAX);
    for _ in 0..n {
      black_box(port.recv());
      delivered += 1;
    }
  }
  delivered
}

fn same_thread(c: &mut Criterion) {
  let mut group = c.benchmark_group("same thread");
  let agent = agent();
  let (a, b): (BenchPort, BenchPort) = Endpoint::entangled_pair(&agent);
  b.start();
  group.throughput(Throughput::Elements(1));
  group.bench_function("post + deliver one message", |bench| {
    bench.iter(|| {
      a.post(Envelope::new(vec![1, 2, 3], vec![])).unwrap();
      drain(&agent, &b)
    })
  });
  group.throughput(Throughput::Elements(1000));
  group.bench_function("post 1000, deliver as one batch", |bench| {
    bench.iter(|| {
      for i in 0..1000u32 {
        a.post(Envelope::new(i.to_le_bytes().to_vec(), vec![]))
          .unwrap();
      }
      drain(&agent, &b)
    })
  });
  group.finish();
}

fn cross_thread(c: &mut Criterion) {
  let mut group = c.benchmark_group("cross thread");
  group.throughput(Throughput::Elements(100_000));
  group.bench_function("100k messages from another thread", |bench| {
    bench.iter_batched(
      || {
        let agent = agent();
        let (a, b): (BenchPort, BenchPort) = Endpoint::entangled_pair(&agent);
        b.start();
        (agent, a, b)
      },
      |(agent, a, b)| {
        let sender = std::thread::spawn(move || {
          for i in 0..100_000u32 {
            a.post(Envelope::new(i.to_le_bytes().to_vec(), vec![]))
              .unwrap();
          }
          a
        });
        let mut received = 0;
        while received < 100_000 {
          received += drain(&agent, &b);
          std::hint::spin_loop();
        }
        drop(sender.join().unwrap());
        received
      },
      BatchSize::PerIteration,
    )
  });
  group.finish();
}

fn transfers(c: &mut Criterion) {
  let mut group = c.benchmark_group("transfer");
  group.bench_function("ship a port with 100 queued messages", |bench| {
    bench.iter_batched(
      || {
        let main = agent();
        let (carrier_a, carrier_b): (BenchPort, BenchPort) = Endpoint::entangled_pair(&main);
        let (a, b): (BenchPort, BenchPort) = Endpoint::entangled_pair(&main);
        for _ in 0..100 {
          a.post(Envelope::new(vec![0; 16], vec![])).unwrap();
        }
        carrier_b.start();
        (main, carrier_a, carrier_b, a, b)
      },
      |(main, carrier_a, carrier_b, a, b)| {
        carrier_a.post(Envelope::new(vec![], vec![b])).unwrap();
        let worker = agent();
        let mut envelope = carrier_b.recv().unwrap();
        let b = envelope.ports.pop().unwrap();
        b.adopt(&worker);
        b.start();
        black_box((main, a, b, worker))
      },
      BatchSize::SmallInput,
    )
  });
  group.bench_function("entangle and drop a channel", |bench| {
    let main = agent();
    bench.iter(|| {
      let pair: (BenchPort, BenchPort) = Endpoint::entangled_pair(&main);
      black_box(pair)
    })
  });
  group.finish();
}

criterion_group!(benches, same_thread, cross_thread, transfers);
criterion_main!(benches);
