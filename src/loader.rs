//! Module loading: `file:` modules from disk and `blob:` modules from the
//! blob URL store. Nothing else is reachable, so a script has no ambient
//! access beyond the modules it names.

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

pub struct Loader;

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
    match specifier.scheme() {
      "file" => FsModuleLoader.load(specifier, referrer, options),
      "blob" => ModuleLoadResponse::Sync(load_blob(specifier)),
      scheme => ModuleLoadResponse::Sync(Err(JsErrorBox::type_error(format!(
        "Unsupported scheme \"{scheme}\" for module \"{specifier}\": only file: and blob: modules can be loaded"
      )))),
    }
  }
}

fn load_blob(specifier: &ModuleSpecifier) -> Result<ModuleSource, JsErrorBox> {
  let Some(blob) = entangle_web::blob::resolve_blob_url(specifier.as_str()) else {
    return Err(JsErrorBox::type_error(format!(
      "Module not found \"{specifier}\""
    )));
  };
  Ok(ModuleSource::new(
    ModuleType::JavaScript,
    ModuleSourceCode::Bytes(blob.bytes.to_vec().into_boxed_slice().into()),
    specifier,
    None,
  ))
}
