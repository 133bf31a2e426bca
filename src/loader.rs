//! Module loading: `file:` modules from disk, `blob:` modules from the blob
//! URL store, and what the runtime's [`ScriptSources`] testing hook serves.
//! Nothing else is reachable, so a script has no ambient access beyond the
//! modules it names. Worker scripts and `importScripts()` go through the
//! same policy ([`ScriptSources`] is the worker ops' `ScriptReader`).

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;

use deno_core::FsModuleLoader;
use deno_core::ModuleLoadOptions;
use deno_core::ModuleLoadReferrer;
use deno_core::ModuleLoadResponse;
use deno_core::ModuleLoader;
use deno_core::ModuleResolveResponse;
use deno_core::ModuleSource;
use deno_core::ModuleSourceCode;
use deno_core::ModuleSpecifier;
use deno_core::ModuleType;
use deno_core::ResolutionKind;
use deno_error::JsErrorBox;
use deno_web::BlobStoreTrait;
use entangle_web::worker::ReadError;
use entangle_web::worker::ScriptReader;

/// Where scripts come from beyond `file:` and `blob:` URLs: a testing hook,
/// off by default, that the WPT runner uses to serve a test suite from a
/// directory as if from an http origin, plus scripts generated in memory.
#[derive(Clone, Debug, Default)]
pub struct ScriptSources {
  /// `(origin, dir)`: `origin/a/b.js` is read from `dir/a/b.js`.
  pub http_root: Option<(ModuleSpecifier, PathBuf)>,
  /// Scripts by URL, served before anything on disk.
  pub generated: HashMap<String, String>,
}

/// Why a script could not be read.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
  /// A `file:` URL that names no local path.
  #[error("not a local path")]
  NotALocalPath,
  /// The file could not be read.
  #[error(transparent)]
  Io(#[from] std::io::Error),
  /// A `blob:` URL that was never created or was revoked.
  #[error("no such blob URL")]
  NoSuchBlob,
  /// A scheme scripts cannot come from.
  #[error("the {0}: scheme is not supported")]
  UnsupportedScheme(String),
  /// The bytes are not UTF-8.
  #[error("the script is not UTF-8")]
  NotUtf8(#[from] std::string::FromUtf8Error),
}

impl ScriptSources {
  /// Reads a script: generated, `file:` or under the http root. Nothing
  /// else is reachable (`blob:` URLs are the cluster's: [`Loader::read`]).
  pub fn read(&self, url: &ModuleSpecifier) -> Result<String, LoadError> {
    if let Some(source) = self.generated.get(url.as_str()) {
      return Ok(source.clone());
    }
    let bytes = match url.scheme() {
      "file" => {
        let path = url.to_file_path().map_err(|()| LoadError::NotALocalPath)?;
        std::fs::read(path)?
      }
      _ => match self.http_path(url) {
        Some(path) => std::fs::read(path)?,
        None => return Err(LoadError::UnsupportedScheme(url.scheme().into())),
      },
    };
    Ok(String::from_utf8(bytes)?)
  }

  /// The file behind a URL under the http root.
  pub(crate) fn http_path(&self, url: &ModuleSpecifier) -> Option<PathBuf> {
    let (origin, dir) = self.http_root.as_ref()?;
    if url.origin() != origin.origin() {
      return None;
    }
    let relative = url.path().trim_start_matches('/');
    let path = dir.join(relative);
    // No way out of the root through `..` (URL parsing already removed them).
    path.starts_with(dir).then_some(path)
  }
}

impl ScriptReader for Loader {
  fn read(&self, url: &ModuleSpecifier) -> Result<String, ReadError> {
    Ok(Loader::read(self, url)?)
  }
}

/// One runtime's module loader, and the reader of its workers' scripts:
/// `blob:` URLs from its cluster's blob store, the rest from its
/// [`ScriptSources`].
#[derive(Clone)]
pub struct Loader {
  pub sources: Arc<ScriptSources>,
  pub blobs: Arc<dyn BlobStoreTrait>,
}

impl ModuleLoader for Loader {
  fn resolve(
    &self,
    specifier: &str,
    referrer: &str,
    _kind: ResolutionKind,
  ) -> ModuleResolveResponse {
    deno_core::resolve_import(specifier, referrer).map_err(JsErrorBox::from_err)
  }

  fn load(
    &self,
    specifier: &ModuleSpecifier,
    referrer: Option<&ModuleLoadReferrer>,
    options: ModuleLoadOptions,
  ) -> ModuleLoadResponse {
    let generated = self.sources.generated.contains_key(specifier.as_str());
    match specifier.scheme() {
      "file" if !generated => FsModuleLoader.load(specifier, referrer, options),
      _ => ModuleLoadResponse::Sync(self.load_source(specifier)),
    }
  }
}

impl Loader {
  /// Reads a script: a `blob:` URL from the cluster's store, anything else
  /// through [`ScriptSources::read`].
  pub fn read(&self, url: &ModuleSpecifier) -> Result<String, LoadError> {
    if url.scheme() != "blob" {
      return self.sources.read(url);
    }
    let blob = self
      .blobs
      .get_object_url(url.clone())
      .ok_or(LoadError::NoSuchBlob)?;
    // Blob parts made by scripts are in memory: reading them never waits.
    let bytes = futures::executor::block_on(blob.read_all());
    Ok(String::from_utf8(bytes)?)
  }

  fn load_source(&self, specifier: &ModuleSpecifier) -> Result<ModuleSource, JsErrorBox> {
    let known = matches!(specifier.scheme(), "file" | "blob")
      || self.sources.generated.contains_key(specifier.as_str())
      || self.sources.http_path(specifier).is_some();
    if !known {
      return Err(JsErrorBox::type_error(format!(
        "Unsupported scheme \"{}\" for module \"{specifier}\": only file: and blob: modules can be loaded",
        specifier.scheme()
      )));
    }
    let code = self.read(specifier).map_err(|reason| {
      JsErrorBox::type_error(format!("Module not found \"{specifier}\": {reason}"))
    })?;
    Ok(ModuleSource::new(
      ModuleType::JavaScript,
      ModuleSourceCode::String(code.into()),
      specifier,
      None,
    ))
  }
}
