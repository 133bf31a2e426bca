//! Building a [`Runtime`]: everything an embedder can configure.
//!
//! Most settings hold for every isolate of the runtime, its workers
//! included: a worker's isolate is built from the same [`Config`]. V8 flags
//! are the exception: they are process-wide and only take effect before the
//! first isolate of the process starts.

use std::sync::atomic::AtomicBool;
use std::sync::atomic::Ordering;
use std::sync::Arc;

use crate::loader::ScriptSources;
use crate::Cluster;
use crate::Error;
use crate::Runtime;
use deno_core::Extension;

/// Makes the extra deno_core extensions of one isolate (an `Extension` is
/// consumed by the isolate it is installed in, so each worker gets its own).
pub(crate) type ExtensionFactory = Arc<dyn Fn() -> Vec<Extension> + Send + Sync>;

/// What every isolate of one runtime is built from.
#[derive(Clone, Default)]
pub(crate) struct Config {
  pub colors: bool,
  pub heap_limit: Option<usize>,
  pub script_sources: Arc<ScriptSources>,
  pub extensions: Option<ExtensionFactory>,
  pub args: Vec<String>,
}

/// Set once the first isolate of the process is created: V8 flags are
/// frozen from then on.
static V8_STARTED: AtomicBool = AtomicBool::new(false);

pub(crate) fn note_v8_started() {
  V8_STARTED.store(true, Ordering::SeqCst);
}

/// Configures and builds a [`Runtime`]; made by [`Runtime::builder`].
///
/// ```
/// # fn demo() -> Result<(), entangle::Error> {
/// let mut runtime = entangle::Runtime::builder()
///   .colors(false)
///   .heap_limit(256 << 20)
///   .build()?;
/// let answer: u32 = runtime.eval("answer.js", "6 * 7")?;
/// assert_eq!(answer, 42);
/// # Ok(()) }
/// # demo().unwrap();
/// ```
#[must_use]
#[derive(Default)]
pub struct RuntimeBuilder {
  config: Config,
  v8_flags: Vec<String>,
  cluster: Option<Cluster>,
}

impl RuntimeBuilder {
  /// Whether `console` output uses ANSI colors (default: no).
  pub fn colors(mut self, colors: bool) -> Self {
    self.config.colors = colors;
    self
  }

  /// The most heap, in bytes, that one isolate (the main one or a worker)
  /// may use. An isolate that reaches it is terminated instead of taking
  /// the process down: the main isolate's event loop ends with
  /// [`Error::HeapLimitExceeded`]; a worker's parent gets an `error` event.
  ///
  /// Termination lands where JavaScript checks for interrupts, and code V8
  /// has optimized may never check: a loop of nothing but built-in calls
  /// (`for (;;) a.push(new Array(1000))`) grows the heap to four times the
  /// limit, and then V8 gives up, which ends the process. It then prints
  /// one line to stderr (`error: the JavaScript heap reached its limit …
  /// and the script could not be stopped`) and exits with status 1.
  /// `ArrayBuffer` contents live outside the heap and do not count.
  pub fn heap_limit(mut self, bytes: usize) -> Self {
    self.config.heap_limit = Some(bytes);
    self
  }

  /// Extra deno_core extensions (ops, and ES modules or scripts of their
  /// own), installed beside Entangle's in every isolate: `make` is called
  /// once per isolate, workers included.
  pub fn extensions(mut self, make: impl Fn() -> Vec<Extension> + Send + Sync + 'static) -> Self {
    self.config.extensions = Some(Arc::new(make));
    self
  }

  /// V8 command-line flags, such as `--max-old-space-size=64` or
  /// `--stack-size=2000`. V8 reads flags once per process: they can only be
  /// set before the first runtime of the process is built, otherwise
  /// [`build`](Self::build) fails with [`Error::Config`].
  pub fn v8_flags<S: Into<String>>(mut self, flags: impl IntoIterator<Item = S>) -> Self {
    self.v8_flags.extend(flags.into_iter().map(Into::into));
    self
  }

  /// Joins `cluster` (another runtime's [`Runtime::cluster`]) instead of
  /// starting a new one. Runtimes of one cluster, typically on different
  /// threads, can hand each other ports ([`Runtime::expose_port`]), and each
  /// one's event loop runs while another may still post to it.
  pub fn cluster(mut self, cluster: Cluster) -> Self {
    self.cluster = Some(cluster);
    self
  }

  /// The script's arguments, `Entangle.args` in every isolate (`entangle
  /// run app.js a b` passes `["a", "b"]`).
  pub fn args<S: Into<String>>(mut self, args: impl IntoIterator<Item = S>) -> Self {
    self.config.args = args.into_iter().map(Into::into).collect();
    self
  }

  /// Testing hook, off by default: scripts served beyond `file:` and `blob:`
  /// URLs (`entangle wpt` serves its suite from an http origin this way).
  pub fn script_sources(mut self, sources: ScriptSources) -> Self {
    self.config.script_sources = Arc::new(sources);
    self
  }

  /// Builds the runtime: one isolate, started from Entangle's snapshot.
  pub fn build(self) -> Result<Runtime, Error> {
    if !self.v8_flags.is_empty() {
      set_v8_flags(self.v8_flags)?;
    }
    let cluster = self.cluster.unwrap_or_default();
    Runtime::build(self.config, cluster, None)
  }
}

fn set_v8_flags(flags: Vec<String>) -> Result<(), Error> {
  if V8_STARTED.load(Ordering::SeqCst) {
    return Err(Error::Config(
      "V8 flags can only be set before the first runtime of the process is built".into(),
    ));
  }
  let args = std::iter::once("entangle".to_string())
    .chain(flags)
    .collect();
  let unknown: Vec<String> = deno_core::v8_set_flags(args).into_iter().skip(1).collect();
  if unknown.is_empty() {
    Ok(())
  } else {
    Err(Error::Config(format!(
      "unrecognized V8 flags: {}",
      unknown.join(" ")
    )))
  }
}
