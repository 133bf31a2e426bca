# Sourced by the scripts: points the `v8` crate at the prebuilt V8 archive in
# ../shared/v8 and makes sure lld (our linker, see .cargo/config.toml) is here.
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
v8_env="${ENTANGLE_V8_ENV:-$root/../shared/v8/env.sh}"
if [ -f "$v8_env" ]; then
  # shellcheck disable=SC1090
  source "$v8_env"
else
  echo "warning: $v8_env not found; the v8 crate will try to download V8" >&2
fi
if ! command -v ld.lld >/dev/null 2>&1; then
  echo "installing lld (the linker for V8) ..." >&2
  if [ "$(id -u)" = 0 ]; then
    (apt-get install -y lld >/dev/null 2>&1 || (apt-get update >/dev/null && apt-get install -y lld >/dev/null)) \
      || { echo "error: could not install lld" >&2; exit 1; }
  else
    echo "error: lld is missing: sudo apt-get install lld" >&2
    exit 1
  fi
fi
