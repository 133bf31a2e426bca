//! The `entangle` command line.
//!
//! Exit codes: 0 success, 1 uncaught error, 2 usage error.

use std::io::IsTerminal;
use std::process::ExitCode;

use clap::Parser;
use clap::Subcommand;
use entangle::Error;
use entangle::Runtime;
use entangle::RuntimeOptions;

/// A headless JavaScript runtime with a spec-conformant MessageChannel.
#[derive(Parser)]
#[command(name = "entangle", version, about)]
struct Cli {
  #[command(subcommand)]
  command: Command,
}

#[derive(Subcommand)]
enum Command {
  /// Run an ES module.
  Run {
    /// The module to run: a path or a file: URL.
    file: String,
    /// Arguments for the script.
    #[arg(trailing_var_arg = true, allow_hyphen_values = true)]
    args: Vec<String>,
  },
  /// Evaluate code given on the command line as an ES module.
  Eval {
    /// The code.
    code: String,
  },
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
  let tokio = tokio::runtime::Builder::new_current_thread()
    .enable_all()
    .build()
    .expect("failed to start the tokio runtime");
  match tokio.block_on(run(cli.command)) {
    Ok(()) => ExitCode::SUCCESS,
    Err(error) => {
      eprintln!("{}", format_error(&error));
      ExitCode::from(1)
    }
  }
}

async fn run(command: Command) -> Result<(), Error> {
  let options = RuntimeOptions {
    colors: colors_enabled(),
  };
  let mut runtime = Runtime::new(options);
  match command {
    Command::Run { file, args: _ } => {
      let cwd = std::env::current_dir().map_err(|e| Error::Module(e.to_string()))?;
      let specifier = deno_core::resolve_url_or_path(&file, &cwd)
        .map_err(|e| Error::Module(format!("Invalid module path \"{file}\": {e}")))?;
      if specifier.scheme() == "file" {
        let path = specifier.to_file_path().unwrap_or_default();
        if !path.is_file() {
          return Err(Error::Module(format!("Module not found \"{specifier}\"")));
        }
      }
      runtime.run_main_module(&specifier).await
    }
    Command::Eval { code } => {
      let cwd = std::env::current_dir().map_err(|e| Error::Module(e.to_string()))?;
      let specifier = deno_core::resolve_path("$entangle$eval.js", &cwd)
        .map_err(|e| Error::Module(e.to_string()))?;
      runtime.run_side_module(&specifier, code).await
    }
  }
}

/// Colors on a terminal, unless `NO_COLOR` is set (https://no-color.org).
fn colors_enabled() -> bool {
  std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()) && std::io::stdout().is_terminal()
}

fn format_error(error: &Error) -> String {
  format!("error: {error}")
}
