//! What `navigator` tells a script about the machine: the number of logical
//! processors, a user agent naming Entangle, and the platform. Nothing is
//! read from the environment.

use deno_core::op2;

/// `[hardwareConcurrency, userAgent, platform]`.
#[op2]
#[serde]
pub fn op_navigator() -> (usize, String, String) {
  let cpus = std::thread::available_parallelism().map_or(1, |n| n.get());
  let user_agent = format!("Entangle/{}", env!("CARGO_PKG_VERSION"));
  (cpus, user_agent, platform())
}

/// HTML's `navigator.platform` as browsers spell it: `Linux x86_64`,
/// `MacIntel`, `Win32`.
fn platform() -> String {
  match std::env::consts::OS {
    "linux" => format!("Linux {}", std::env::consts::ARCH),
    "macos" => "MacIntel".into(),
    "windows" => "Win32".into(),
    os => os.into(),
  }
}
