//! The runtime builder: extra extensions, heap limit, V8 flags, timeouts,
//! and errors surfacing as `entangle::Error`.

use std::time::Duration;

use entangle::Error;
use entangle::Runtime;

#[deno_core::op2]
#[string]
fn op_greet(#[string] name: &str) -> String {
  format!("hello, {name}")
}

deno_core::extension!(
  greeter,
  ops = [op_greet],
  esm_entry_point = "ext:greeter/greeter.js",
  esm = ["ext:greeter/greeter.js" = {
    source = "import { core } from 'ext:core/mod.js'; globalThis.greet = (name) => core.ops.op_greet(name);"
  }],
);

#[test]
fn extra_extensions_bring_their_ops_and_modules() {
  let mut runtime = Runtime::builder()
    .extensions(|| vec![greeter::init()])
    .build()
    .unwrap();
  let greeting: String = runtime.eval("greet.js", "greet('embedder')").unwrap();
  assert_eq!(greeting, "hello, embedder");
}

#[tokio::test(flavor = "current_thread")]
async fn a_script_that_exceeds_the_heap_limit_is_stopped_with_an_error() {
  let mut runtime = Runtime::builder().heap_limit(32 << 20).build().unwrap();
  runtime
    .execute_script(
      "grow.js",
      "globalThis.hoard = []; setTimeout(() => { for (;;) hoard.push({ at: hoard.length }); });",
    )
    .unwrap();
  let error = runtime.run_event_loop().await.unwrap_err();
  assert!(
    matches!(error, Error::HeapLimitExceeded { limit } if limit == 32 << 20),
    "{error:?}"
  );
  assert!(
    error
      .to_string()
      .contains("heap reached its limit (32 MiB)"),
    "{error}"
  );
}

#[test]
fn v8_flags_are_refused_once_v8_runs_and_unknown_ones_are_named() {
  // Other tests of this binary have started V8 (or will, concurrently): a
  // runtime is built first so that the answer does not depend on order.
  drop(Runtime::new());
  let error = Runtime::builder()
    .v8_flags(["--stack-size=500"])
    .build()
    .err()
    .expect("too late for flags");
  assert!(matches!(error, Error::Config(_)), "{error:?}");
  assert!(
    error.to_string().contains("before the first runtime"),
    "{error}"
  );
}

#[tokio::test(flavor = "current_thread")]
async fn the_event_loop_can_be_run_with_a_timeout() {
  let mut runtime = Runtime::new();
  runtime
    .execute_script("forever.js", "globalThis.timer = setInterval(() => {}, 5);")
    .unwrap();
  let error = runtime
    .run_event_loop_with_timeout(Duration::from_millis(50))
    .await
    .unwrap_err();
  assert!(matches!(error, Error::Timeout(_)), "{error:?}");
  runtime
    .execute_script("stop.js", "clearInterval(timer);")
    .unwrap();
  runtime
    .run_event_loop_with_timeout(Duration::from_secs(10))
    .await
    .unwrap();
}

#[tokio::test(flavor = "current_thread")]
async fn module_errors_keep_the_js_message_and_stack() {
  let mut runtime = Runtime::new();
  let url = entangle::ModuleSpecifier::parse("file:///virtual/main.js").unwrap();
  let error = runtime
    .run_module_code(
      &url,
      "function fail() { throw new TypeError('bad input'); }\nfail();".into(),
    )
    .await
    .unwrap_err();
  let Error::Js(js) = &error else {
    panic!("{error:?}")
  };
  // deno_core reports a module's exception as its evaluation's rejection:
  // "Uncaught (in promise) TypeError: bad input".
  assert!(
    js.exception_message.ends_with("TypeError: bad input"),
    "{js:?}"
  );
  let text = error.to_string();
  assert!(
    text.contains("at fail (file:///virtual/main.js:1:"),
    "{text}"
  );
  let missing = entangle::ModuleSpecifier::parse("file:///nowhere/missing.js").unwrap();
  let error = Runtime::new().run_module(&missing).await.unwrap_err();
  assert!(error.to_string().contains("missing.js"), "{error}");
}
