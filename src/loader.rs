//! Module loading: `file:` modules from disk, `blob:` modules from the blob
//! URL store, and what the runtime's [`ScriptSources`] testing hook serves.
//! Nothing else is reachable, so a script has no ambient access beyond the
//! modules it names.

use std::sync::Arc;

use deno_core::FsModuleLoader;
use deno_core::ModuleLoadOptions;
use deno_core::ModuleLoadReferrer;
use deno_core::ModuleLoadResponse;
use deno_core::ModuleLoader;
use deno_web::BlobStoreTrait;
use deno_core::ModuleResolveResponse;
use deno_core::ModuleSource;
use deno_core::ModuleSourceCode;
use deno_core::ModuleSpecifier;
use deno_core::ModuleType;
use deno_core::ResolutionKind;
use deno_error::JsErrorBox;
use entangle_web::worker::read_script;
use entangle_web::worker::ScriptSources;

pub struct Loader {
  pub sources: Arc<ScriptSources>,
  /// The cluster's blob store, where `blob:` modules are.
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
    let code = read_script(&self.sources, self.blobs.as_ref(), specifier).map_err(|reason| {
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
