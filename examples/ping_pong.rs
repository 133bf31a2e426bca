//! Rust <-> JS ping-pong: a tokio task on another thread plays against a
//! script, through one port. Prints the rally; the speed goes to stderr.
//!
//! `cargo run --release --example ping_pong [ROUNDS]`

use std::time::Instant;

use entangle::Port;

async fn play(mut port: Port, rounds: u32) -> Result<u32, entangle::Error> {
  let started = Instant::now();
  let mut ball = 0;
  for _ in 0..rounds {
    port.post(&ball)?;
    ball = port
      .recv::<u32>()
      .await?
      .ok_or(entangle::Error::PortClosed)?;
  }
  let per_round = started.elapsed() / rounds.max(1);
  eprintln!("{rounds} round trips, {per_round:?} each");
  Ok(ball)
}

fn main() -> Result<(), entangle::Error> {
  let rounds: u32 = match std::env::args().nth(1) {
    Some(text) => text
      .parse()
      .map_err(|_| entangle::Error::Config(format!("not a number: {text}")))?,
    None => 10_000,
  };
  let mut runtime = entangle::Runtime::new();
  let port = runtime.create_port("table")?;
  runtime.execute_script(
    "pong.js",
    "table.onmessage = ({ data }) => table.postMessage(data + 1);",
  )?;
  // The Rust player: a multi-threaded tokio runtime on its own thread.
  let player = std::thread::spawn(move || {
    tokio::runtime::Runtime::new()
      .expect("a tokio runtime")
      .block_on(play(port, rounds))
  });
  tokio::runtime::Builder::new_current_thread()
    .enable_all()
    .build()
    .expect("a tokio runtime")
    .block_on(runtime.run_event_loop())?;
  let ball = player.join().expect("the player finished")?;
  println!("JS returned the ball {ball} times");
  Ok(())
}
