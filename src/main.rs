//! The `entangle` command line.
//!
//! Exit codes: 0 success (or `Entangle.exitCode`), 1 uncaught error, 2
//! usage error; `Entangle.exit(code)` exits with `code`.

use std::io::IsTerminal;
use std::process::ExitCode;

use std::path::PathBuf;

use clap::Args;
use clap::Parser;
use clap::Subcommand;
use entangle::Error;
use entangle::Runtime;
use entangle::RuntimeBuilder;

mod wpt_child;

/// A headless JavaScript runtime with a spec-conformant MessageChannel.
#[derive(Parser)]
#[command(
  name = "entangle",
  version,
  about,
  after_help = "Exit codes:\n  0  success, or the code a script set with Entangle.exitCode\n  1  an uncaught exception or unhandled rejection, a module that cannot be loaded, a top-level await that can never finish\n  2  a usage error\n  N  Entangle.exit(N)"
)]
struct Cli {
  #[command(subcommand)]
  command: Command,
}

#[derive(Subcommand)]
enum Command {
  /// Run an ES module.
  Run {
    #[command(flatten)]
    isolate: IsolateArgs,
    /// The module to run: a path or a file: URL.
    file: String,
    /// Arguments after the module: `Entangle.args`.
    #[arg(trailing_var_arg = true, allow_hyphen_values = true)]
    args: Vec<String>,
  },
  /// Evaluate code given on the command line as an ES module.
  Eval {
    #[command(flatten)]
    isolate: IsolateArgs,
    /// The code.
    code: String,
  },
  /// Run web-platform-tests (testharness.js) against the expectations.
  Wpt(WptArgs),
  /// Run one WPT job read from stdin (used by `entangle wpt`).
  #[command(hide = true)]
  WptChild,
}

/// Settings of every isolate (the main one and each worker).
#[derive(Args)]
struct IsolateArgs {
  /// Heap limit of each isolate, in MiB: one that reaches it is terminated
  /// (a worker's parent gets an error event).
  #[arg(long, value_name = "MIB", value_parser = clap::value_parser!(u32).range(8..))]
  heap_limit: Option<u32>,
  /// V8 flags, space-separated (e.g. "--stack-size=500").
  #[arg(long, value_name = "FLAGS", allow_hyphen_values = true)]
  v8_flags: Option<String>,
}

impl IsolateArgs {
  fn builder(&self) -> RuntimeBuilder {
    let mut builder = Runtime::builder().colors(colors_enabled());
    if let Some(mib) = self.heap_limit {
      builder = builder.heap_limit((mib as usize) << 20);
    }
    if let Some(flags) = &self.v8_flags {
      builder = builder.v8_flags(flags.split_whitespace());
    }
    builder
  }
}

#[derive(Args)]
struct WptArgs {
  /// Test files, directories or id prefixes (e.g. webmessaging/ or
  /// /workers/Worker-call.worker.html); all tests when none.
  paths: Vec<String>,
  /// The WPT checkout [env: WPT_ROOT].
  #[arg(long, env = "WPT_ROOT")]
  wpt_root: PathBuf,
  /// The expectations file.
  #[arg(long, default_value = "wpt/expectations.json")]
  expectations: PathBuf,
  /// Rewrite the expectations from this run's results.
  #[arg(long)]
  update_expectations: bool,
  /// Tests run at once (default: the number of CPUs).
  #[arg(short = 'j', long)]
  jobs: Option<usize>,
  /// Time budget of one test file, in seconds (META: timeout=long: 6x).
  #[arg(long, default_value_t = 10)]
  timeout: u64,
  /// Write all results as JSON.
  #[arg(long)]
  json: Option<PathBuf>,
  /// Write results in the wptreport format (wpt.fyi).
  #[arg(long)]
  wptreport: Option<PathBuf>,
}

fn main() -> ExitCode {
  let cli = match Cli::try_parse() {
    Ok(cli) => cli,
    Err(error) => {
      let code = if error.use_stderr() { 2 } else { 0 };
      let _ = error.print();
      return ExitCode::from(code);
    }
  };
  if let Command::Wpt(args) = cli.command {
    return run_wpt(args);
  }
  let tokio = tokio::runtime::Builder::new_current_thread()
    .enable_all()
    .build()
    .expect("failed to start the tokio runtime");
  match tokio.block_on(run(cli.command)) {
    Ok(code) => ExitCode::from(code as u8),
    Err(error) => {
      eprintln!("{}", format_error(&error, stderr_colors()));
      ExitCode::from(1)
    }
  }
}

/// Runs a command; its exit code when it ends without an error.
async fn run(command: Command) -> Result<i32, Error> {
  match command {
    Command::Run {
      isolate,
      file,
      args,
    } => {
      let mut runtime = isolate.builder().args(args).build()?;
      let cwd = std::env::current_dir().map_err(|source| Error::Io {
        context: "the current directory".into(),
        source,
      })?;
      let specifier = deno_core::resolve_url_or_path(&file, &cwd)
        .map_err(|e| Error::InvalidModule(format!("Invalid module path \"{file}\": {e}")))?;
      if specifier.scheme() == "file" {
        let path = specifier.to_file_path().unwrap_or_default();
        if !path.is_file() {
          return Err(Error::InvalidModule(format!(
            "Module not found \"{specifier}\""
          )));
        }
      }
      runtime.run_module(&specifier).await?;
      Ok(runtime.exit_code())
    }
    Command::WptChild => wpt_child::run().await.map(|()| 0),
    Command::Wpt(_) => unreachable!("handled before the runtime starts"),
    Command::Eval { isolate, code } => {
      let mut runtime = isolate.builder().build()?;
      let cwd = std::env::current_dir().map_err(|source| Error::Io {
        context: "the current directory".into(),
        source,
      })?;
      let specifier = deno_core::resolve_path("$entangle$eval.js", &cwd)
        .map_err(|e| Error::InvalidModule(e.to_string()))?;
      runtime.run_module_code(&specifier, code).await?;
      Ok(runtime.exit_code())
    }
  }
}

fn run_wpt(args: WptArgs) -> ExitCode {
  let exe = match std::env::current_exe() {
    Ok(exe) => exe.display().to_string(),
    Err(error) => {
      eprintln!("error: cannot find the entangle binary: {error}");
      return ExitCode::from(1);
    }
  };
  let config = entangle_wpt::Config {
    root: args.wpt_root,
    filters: args.paths,
    expectations: args.expectations,
    update_expectations: args.update_expectations,
    parallel: args
      .jobs
      .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get())),
    timeout_ms: args.timeout * 1000,
    json: args.json,
    wptreport: args.wptreport,
    child_command: vec![exe, "wpt-child".into()],
    terminal: std::io::stdout().is_terminal(),
  };
  match entangle_wpt::run(&config) {
    Ok(true) => ExitCode::SUCCESS,
    Ok(false) => ExitCode::from(1),
    Err(error) => {
      eprintln!("error: {error}");
      ExitCode::from(2)
    }
  }
}

/// Colors on a terminal, unless `NO_COLOR` is set (https://no-color.org).
fn colors_enabled() -> bool {
  std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()) && std::io::stdout().is_terminal()
}

/// Colors on stderr when it is a terminal, unless `NO_COLOR` is set.
fn stderr_colors() -> bool {
  std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()) && std::io::stderr().is_terminal()
}

fn format_error(error: &Error, colors: bool) -> String {
  let prefix = if colors {
    "\x1b[1;31merror\x1b[0m"
  } else {
    "error"
  };
  format!("{prefix}: {}", error.format(colors))
}
