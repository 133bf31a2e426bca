//! `entangle wpt-child`: runs one WPT job (read as JSON on stdin) in a fresh
//! runtime. The suite is served from `http://web-platform.test` out of the
//! WPT root, through the runtime's script-sources testing hook; the page's
//! scripts run in order in the main scope, each one's uncaught exception
//! reported to the global scope as a browser would.

use std::collections::HashMap;
use std::io::Read;

use entangle::Error;
use entangle::Runtime;
use entangle::ScriptSources;
use entangle_wpt::job::Job;
use entangle_wpt::job::Script;

pub async fn run() -> Result<(), Error> {
  let mut input = String::new();
  std::io::stdin()
    .read_to_string(&mut input)
    .map_err(|source| Error::Io {
      context: "reading the job".into(),
      source,
    })?;
  let job: Job =
    serde_json::from_str(&input).map_err(|e| Error::Conversion(format!("bad job: {e}")))?;
  let origin = deno_core::ModuleSpecifier::parse(entangle_wpt::ORIGIN).unwrap();
  let sources = ScriptSources {
    http_root: Some((origin, job.root.clone())),
    generated: job.generated.iter().cloned().collect::<HashMap<_, _>>(),
  };
  let mut runtime = Runtime::builder().script_sources(sources.clone()).build()?;
  let page = deno_core::ModuleSpecifier::parse(&job.page)
    .map_err(|e| Error::InvalidModule(e.to_string()))?;
  runtime.set_base_url(page.clone());
  runtime.execute_script(
    "wpt:page",
    format!(
      "Object.defineProperty(globalThis, 'location', {{ value: new URL({}), configurable: true, enumerable: true }});",
      json(&job.page)
    ),
  )?;
  for script in &job.scripts {
    let (source, name) = match script {
      Script::Url(url) => {
        let parsed = deno_core::ModuleSpecifier::parse(url)
          .map_err(|e| Error::InvalidModule(e.to_string()))?;
        let source = sources.read(&parsed).map_err(|source| Error::ScriptLoad {
          url: url.clone(),
          source,
        })?;
        (source, url.clone())
      }
      Script::Inline(source) => (source.clone(), job.page.clone()),
    };
    // A classic script: its top-level `const`s and `let`s are seen by the
    // scripts after it. HTML reports what it throws to the global scope
    // (testharness.js turns that into `ERROR`).
    if let Err(error) = runtime.execute_script(name, source) {
      let report = format!("reportError(new Error({}))", json(&error.to_string()));
      runtime.execute_script("wpt:report", report)?;
    }
  }
  runtime.run_event_loop().await
}

fn json(text: &str) -> String {
  serde_json::to_string(text).unwrap()
}
