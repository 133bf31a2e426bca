//! From a test variant to what one fresh runtime executes.
//!
//! This mirrors what wptserve generates for each variant: the page's
//! scripts (testharness.js, our reporter, `META: script=` dependencies, the
//! test), and for worker variants the worker script that imports them.

use std::path::Path;
use std::path::PathBuf;

use serde::Deserialize;
use serde::Serialize;

use crate::discover::Scope;
use crate::discover::Variant;
use crate::ORIGIN;
use crate::REPORT_JS;

/// Default time budget of a test file; `META: timeout=long` multiplies it.
pub const DEFAULT_TIMEOUT_MS: u64 = 10_000;
const LONG_TIMEOUT_FACTOR: u64 = 6;

/// A classic script of the page: fetched by URL, or inline.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub enum Script {
  Url(String),
  Inline(String),
}

/// Everything `entangle wpt-child` needs to run one variant.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Job {
  pub id: String,
  /// The WPT root the origin is served from.
  pub root: PathBuf,
  /// The page's URL: `location`, and the base of relative URLs.
  pub page: String,
  /// The page's scripts, in order, in the main scope.
  pub scripts: Vec<Script>,
  /// Generated scripts (worker wrappers), by URL.
  pub generated: Vec<(String, String)>,
  pub timeout_ms: u64,
}

impl Job {
  pub fn new(variant: &Variant, root: &Path, base_timeout_ms: u64) -> std::io::Result<Job> {
    let factor = if variant.meta.long_timeout {
      LONG_TIMEOUT_FACTOR
    } else {
      1
    };
    let timeout_ms = base_timeout_ms * factor;
    let test_url = format!("{ORIGIN}{}", variant.path);
    let mut job = Job {
      id: variant.id.clone(),
      root: root.to_path_buf(),
      page: format!("{ORIGIN}{}", variant.id),
      scripts: vec![
        Script::Url(format!("{ORIGIN}/resources/testharness.js")),
        Script::Inline(REPORT_JS.replace("__ENTANGLE_WPT_TIMEOUT__", &timeout_ms.to_string())),
      ],
      generated: Vec::new(),
      timeout_ms,
    };
    let title = variant
      .meta
      .title
      .as_deref()
      .map(|t| format!("self.META_TITLE = {};", json(t)));
    // wptserve's `.any.js` wrappers tell the test where it runs. The main
    // scope stands in for the window variant, but it is no Window: it has
    // no document, and tests asking `isWindow()` want one.
    let global = |worker: bool| {
      format!("self.GLOBAL = {{ isWindow: () => false, isWorker: () => {worker}, isShadowRealm: () => false }};")
    };
    let meta_scripts: Vec<String> = variant
      .meta
      .scripts
      .iter()
      .map(|s| resolve(&test_url, s))
      .collect();
    match variant.scope {
      Scope::Main => {
        job.scripts.push(Script::Inline(global(false)));
        job.scripts.extend(title.map(Script::Inline));
        job
          .scripts
          .extend(meta_scripts.into_iter().map(Script::Url));
        job.scripts.push(Script::Url(test_url));
      }
      Scope::Worker => {
        // wptserve's `.any.worker.js`: import everything, then done().
        let worker_url = test_url.trim_end_matches(".js").to_string() + ".worker.js";
        let mut source = global(true);
        source.push_str(&title.unwrap_or_default());
        source.push_str(&format!(
          "\nimportScripts({});\n",
          json("/resources/testharness.js")
        ));
        for script in meta_scripts.iter().chain([&test_url]) {
          source.push_str(&format!("importScripts({});\n", json(script)));
        }
        source.push_str("done();\n");
        job.generated.push((worker_url.clone(), source));
        job.scripts.push(fetch_from_worker(&worker_url));
      }
      Scope::WorkerFile => job.scripts.push(fetch_from_worker(&test_url)),
      Scope::Page => {
        let html = std::fs::read_to_string(root.join(variant.path.trim_start_matches('/')))?;
        job.scripts = page_scripts(&html, &test_url, &job.scripts[1]);
      }
    }
    Ok(job)
  }
}

fn fetch_from_worker(url: &str) -> Script {
  Script::Inline(format!(
    "fetch_tests_from_worker(new Worker({}));",
    json(url)
  ))
}

fn json(text: &str) -> String {
  serde_json::to_string(text).unwrap()
}

/// Resolves `relative` against `base` (both http URLs of the origin).
fn resolve(base: &str, relative: &str) -> String {
  if relative.contains("://") {
    return relative.to_string();
  }
  if relative.starts_with('/') {
    return format!("{ORIGIN}{relative}");
  }
  let dir = &base[..base.rfind('/').map_or(base.len(), |i| i + 1)];
  let mut parts: Vec<&str> = dir.trim_start_matches(ORIGIN).split('/').collect();
  parts.pop();
  for segment in relative.split('/') {
    match segment {
      ".." => {
        if parts.len() > 1 {
          parts.pop();
        }
      }
      "." => {}
      other => parts.push(other),
    }
  }
  format!("{ORIGIN}{}", parts.join("/"))
}

/// The `<script>` elements of a page in order; upstream's
/// testharnessreport.js becomes ours, and `<title>` becomes `META_TITLE`.
fn page_scripts(html: &str, page_url: &str, report: &Script) -> Vec<Script> {
  let mut scripts = Vec::new();
  if let Some(title) = between(html, "<title>", "</title>") {
    scripts.push(Script::Inline(format!(
      "self.META_TITLE = {};",
      json(title.trim())
    )));
  }
  let mut rest = html;
  while let Some(start) = find_ci(rest, "<script") {
    let after = &rest[start..];
    let Some(tag_end) = after.find('>') else {
      break;
    };
    let tag = &after[..tag_end];
    let body_start = tag_end + 1;
    let Some(body_len) = find_ci(&after[body_start..], "</script>") else {
      break;
    };
    let body = &after[body_start..body_start + body_len];
    match attribute(tag, "src") {
      Some(src) if src.ends_with("/resources/testharnessreport.js") => scripts.push(report.clone()),
      Some(src) => scripts.push(Script::Url(resolve(page_url, &src))),
      None => scripts.push(Script::Inline(body.to_string())),
    }
    rest = &after[body_start + body_len + "</script>".len()..];
  }
  scripts
}

fn between<'a>(text: &'a str, open: &str, close: &str) -> Option<&'a str> {
  let start = find_ci(text, open)? + open.len();
  let end = find_ci(&text[start..], close)?;
  Some(&text[start..start + end])
}

fn find_ci(haystack: &str, needle: &str) -> Option<usize> {
  haystack
    .to_ascii_lowercase()
    .find(&needle.to_ascii_lowercase())
}

fn attribute(tag: &str, name: &str) -> Option<String> {
  let at = find_ci(tag, &format!("{name}="))? + name.len() + 1;
  let value = &tag[at..];
  let (quote, value) = match value.chars().next()? {
    q @ ('"' | '\'') => (Some(q), &value[1..]),
    _ => (None, value),
  };
  let end = match quote {
    Some(q) => value.find(q)?,
    None => value
      .find(|c: char| c.is_whitespace() || c == '>')
      .unwrap_or(value.len()),
  };
  Some(value[..end].to_string())
}

#[cfg(test)]
mod tests {
  use super::*;

  #[test]
  fn resolves_like_urls() {
    let base = "http://web-platform.test/a/b/c.html";
    assert_eq!(resolve(base, "d.js"), "http://web-platform.test/a/b/d.js");
    assert_eq!(resolve(base, "../d.js"), "http://web-platform.test/a/d.js");
    assert_eq!(resolve(base, "/r/t.js"), "http://web-platform.test/r/t.js");
    assert_eq!(
      resolve(base, "./x/y.js"),
      "http://web-platform.test/a/b/x/y.js"
    );
  }

  #[test]
  fn extracts_page_scripts_in_order() {
    let html = r#"<!doctype html><title> T </title>
<script src="/resources/testharness.js"></script>
<script src='/resources/testharnessreport.js'></script>
<SCRIPT>test(() => {});</SCRIPT><script src=helper.js></script>"#;
    let report = Script::Inline("report".into());
    let scripts = page_scripts(html, "http://web-platform.test/d/p.html", &report);
    let shown: Vec<String> = scripts
      .iter()
      .map(|s| match s {
        Script::Url(u) => format!("url {u}"),
        Script::Inline(c) => format!("inline {c}"),
      })
      .collect();
    assert_eq!(
      shown,
      vec![
        "inline self.META_TITLE = \"T\";",
        "url http://web-platform.test/resources/testharness.js",
        "inline report",
        "inline test(() => {});",
        "url http://web-platform.test/d/helper.js",
      ]
    );
  }
}
