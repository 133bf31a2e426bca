//! Builds the V8 startup snapshot: the `entangle` extension's JS glue,
//! evaluated once at compile time so that a runtime starts in milliseconds.

use std::path::PathBuf;

use deno_core::snapshot::create_snapshot;
use deno_core::snapshot::CreateSnapshotOptions;

fn main() {
  let out = PathBuf::from(std::env::var_os("OUT_DIR").unwrap()).join("ENTANGLE_SNAPSHOT.bin");
  let snapshot = create_snapshot(
    CreateSnapshotOptions {
      cargo_manifest_dir: env!("CARGO_MANIFEST_DIR"),
      startup_snapshot: None,
      skip_op_registration: false,
      extensions: entangle_web::extensions(deno_web::BlobStore::default_arc()),
      extension_transpiler: None,
      with_runtime_cb: None,
    },
    None,
  )
  .expect("creating the startup snapshot failed");
  std::fs::write(&out, snapshot.output).unwrap();
  for file in snapshot.files_loaded_during_snapshot {
    println!("cargo:rerun-if-changed={}", file.display());
  }
  println!("cargo:rerun-if-changed=js");
}
