//! Finding tests and their variants.
//!
//! Upstream's naming: `x.any.js` runs as `x.any.html` (a window, here the
//! main scope) and `x.any.worker.html` (a dedicated worker); `x.worker.js` as
//! `x.worker.html`; `x.window.js` as `x.window.html`; an `.html` file that
//! loads testharness.js is a test of its own.

use std::path::Path;
use std::path::PathBuf;

/// How a variant runs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scope {
  /// `.any.js` in the main scope (upstream's window variant).
  Main,
  /// `.any.js` inside a dedicated worker.
  Worker,
  /// A `.worker.js` file: the worker script is the test itself.
  WorkerFile,
  /// An `.html` page's scripts, in the main scope without a document.
  Page,
}

/// One runnable test: a test file in one scope.
#[derive(Clone, Debug)]
pub struct Variant {
  /// The test id, as wpt.fyi names it: `/webmessaging/x.any.worker.html`.
  pub id: String,
  /// The test file, relative to the root, with a leading `/`.
  pub path: String,
  pub scope: Scope,
  pub meta: Meta,
  /// Why it is not run, when it is not.
  pub skip: Option<String>,
}

/// The `// META:` lines of a `.js` test.
#[derive(Clone, Debug, Default)]
pub struct Meta {
  pub globals: Option<Vec<String>>,
  pub scripts: Vec<String>,
  pub title: Option<String>,
  pub long_timeout: bool,
  pub variants: Vec<String>,
}

impl Meta {
  pub fn parse(source: &str) -> Meta {
    let mut meta = Meta::default();
    for line in source.lines() {
      let Some(rest) = line.trim().strip_prefix("// META:") else {
        if line.trim().is_empty() {
          continue;
        }
        break;
      };
      let Some((key, value)) = rest.trim().split_once('=') else {
        continue;
      };
      let value = value.trim().to_string();
      match key.trim() {
        "global" => meta.globals = Some(value.split(',').map(|g| g.trim().to_string()).collect()),
        "script" => meta.scripts.push(value),
        "title" => meta.title = Some(value),
        "timeout" => meta.long_timeout = value == "long",
        "variant" => meta.variants.push(value),
        _ => {}
      }
    }
    meta
  }

  /// Whether `.any.js` runs in this scope, per `global=` (default: window
  /// and dedicated worker).
  fn runs_in(&self, scope: Scope) -> bool {
    let Some(globals) = &self.globals else {
      return true;
    };
    globals.iter().any(|g| match scope {
      Scope::Main => g == "window",
      Scope::Worker => g == "worker" || g == "dedicatedworker",
      _ => false,
    })
  }
}

/// Every test variant under `root` whose id starts with one of `filters`
/// (all when empty), sorted by id.
pub fn discover(root: &Path, filters: &[String]) -> std::io::Result<Vec<Variant>> {
  let mut files = Vec::new();
  walk(root, &mut files)?;
  let mut variants = Vec::new();
  for path in files {
    let relative = format!("/{}", path.strip_prefix(root).unwrap().display());
    variants.extend(variants_of(&path, &relative)?);
  }
  variants.retain(|v| {
    filters.is_empty()
      || filters.iter().any(|f| {
        let f = if f.starts_with('/') {
          f.clone()
        } else {
          format!("/{f}")
        };
        v.id.starts_with(&f) || v.path.starts_with(&f)
      })
  });
  variants.sort_by(|a, b| a.id.cmp(&b.id));
  Ok(variants)
}

/// Directories of helpers, never of tests.
const HELPER_DIRS: [&str; 4] = ["resources", "support", "common", "tools"];

fn walk(dir: &Path, files: &mut Vec<PathBuf>) -> std::io::Result<()> {
  for entry in std::fs::read_dir(dir)? {
    let path = entry?.path();
    let name = path.file_name().unwrap().to_string_lossy().to_string();
    if path.is_dir() {
      if !HELPER_DIRS.contains(&name.as_str()) {
        walk(&path, files)?;
      }
    } else {
      files.push(path);
    }
  }
  Ok(())
}

fn variants_of(path: &Path, relative: &str) -> std::io::Result<Vec<Variant>> {
  let name = path.file_name().unwrap().to_string_lossy();
  let variant = |id: String, scope: Scope, meta: &Meta, skip: Option<String>| Variant {
    id,
    path: relative.to_string(),
    scope,
    meta: meta.clone(),
    skip,
  };
  let stem = |suffix: &str| relative[..relative.len() - suffix.len()].to_string();
  let mut out = Vec::new();
  if name.ends_with(".any.js") {
    let meta = Meta::parse(&std::fs::read_to_string(path)?);
    let base = stem(".js");
    for (scope, id) in [
      (Scope::Main, format!("{base}.html")),
      (Scope::Worker, format!("{base}.worker.html")),
    ] {
      if meta.runs_in(scope) {
        for id in with_query_variants(&id, &meta) {
          out.push(variant(id, scope, &meta, None));
        }
      }
    }
    if out.is_empty() {
      let globals = meta.globals.clone().unwrap_or_default().join(",");
      out.push(variant(
        format!("{base}.html"),
        Scope::Main,
        &meta,
        Some(format!("global={globals}: no such scope here")),
      ));
    }
  } else if name.ends_with(".worker.js") {
    let meta = Meta::parse(&std::fs::read_to_string(path)?);
    for id in with_query_variants(&format!("{}.html", stem(".js")), &meta) {
      out.push(variant(id, Scope::WorkerFile, &meta, None));
    }
  } else if name.ends_with(".window.js") {
    let meta = Meta::parse(&std::fs::read_to_string(path)?);
    out.push(variant(
      format!("{}.html", stem(".js")),
      Scope::Main,
      &meta,
      Some("window tests need a DOM".into()),
    ));
  } else if name.ends_with(".html") || name.ends_with(".htm") {
    let source = std::fs::read_to_string(path)?;
    if source.contains("/resources/testharness.js") {
      let skip = needs_dom(&source).then(|| "the page's scripts use the DOM".to_string());
      out.push(variant(
        relative.to_string(),
        Scope::Page,
        &Meta::default(),
        skip,
      ));
    }
  }
  Ok(out)
}

fn with_query_variants(id: &str, meta: &Meta) -> Vec<String> {
  if meta.variants.is_empty() {
    vec![id.to_string()]
  } else {
    meta.variants.iter().map(|v| format!("{id}{v}")).collect()
  }
}

/// Whether a page's scripts touch the document: we run pages without one.
fn needs_dom(source: &str) -> bool {
  ["document.", "window.", "<iframe", "parent.", "opener"]
    .iter()
    .any(|n| source.contains(n))
}

#[cfg(test)]
mod tests {
  use super::*;

  #[test]
  fn meta_lines() {
    let meta = Meta::parse("// META: global=window,worker\n// META: script=/common/sab.js\n// META: timeout=long\n// META: title=T\n\ntest(() => {});\n// META: script=ignored.js");
    assert_eq!(
      meta.globals.as_deref(),
      Some(&["window".to_string(), "worker".to_string()][..])
    );
    assert_eq!(meta.scripts, vec!["/common/sab.js"]);
    assert!(meta.long_timeout);
    assert_eq!(meta.title.as_deref(), Some("T"));
  }

  #[test]
  fn any_js_scopes() {
    let meta = Meta::parse("// META: global=worker");
    assert!(!meta.runs_in(Scope::Main));
    assert!(meta.runs_in(Scope::Worker));
    let meta = Meta::parse("// META: global=window,dedicatedworker,shadowrealm");
    assert!(meta.runs_in(Scope::Main) && meta.runs_in(Scope::Worker));
    assert!(Meta::default().runs_in(Scope::Main));
  }
}
