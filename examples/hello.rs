//! Embedding hello world: run a script, and exchange messages with it
//! through a port whose other end Rust holds.
//!
//! `cargo run --example hello`

use serde::Deserialize;
use serde::Serialize;

#[derive(Serialize)]
struct Greeting<'a> {
  text: &'a str,
  from: &'a str,
}

#[derive(Deserialize)]
struct Reply {
  text: String,
  length: usize,
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), entangle::Error> {
  let mut runtime = entangle::Runtime::new();
  // `globalThis.rust` becomes a MessagePort; `port` is its partner.
  let mut port = runtime.create_port("rust")?;
  runtime.execute_script(
    "hello.js",
    r#"rust.onmessage = ({ data }) => {
         console.log(`JS got ${JSON.stringify(data)}`);
         rust.postMessage({ text: `hello, ${data.from}!`, length: data.text.length });
         rust.close();
       };"#,
  )?;
  port.post(&Greeting {
    text: "hi from Rust",
    from: "Rust",
  })?;
  // Runs JS until the reply is here.
  let reply = runtime.run_until(port.recv::<Reply>()).await??;
  let reply = reply.expect("JS replies before closing");
  println!(
    "Rust got {:?} ({} characters were sent)",
    reply.text, reply.length
  );
  Ok(())
}
