# Sourced by scripts/serve and scripts/test: installs what is missing, skips
# what is present, so running either twice is cheap.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
export PATH="$ROOT/node_modules/.bin:$HOME/.cargo/bin:$PATH"

TRUNK_VERSION="0.21"   # 0.22 needs a newer rustc than 1.95

say() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }

ensure_wasm_target() {
  if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
    say "adding the wasm32-unknown-unknown target"
    rustup target add wasm32-unknown-unknown
  fi
}

ensure_trunk() {
  if ! trunk --version 2>/dev/null | grep -q "^trunk ${TRUNK_VERSION}\."; then
    say "installing trunk ${TRUNK_VERSION} (takes about 9 minutes, once)"
    cargo install trunk --version "~${TRUNK_VERSION}" --locked
  fi
}

# Trunk cannot download wasm-bindgen here, and it must match Cargo.lock exactly.
ensure_wasm_bindgen() {
  local want
  want="$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock)"
  if [ -z "$want" ]; then
    say "no wasm-bindgen in Cargo.lock: run cargo generate-lockfile"; exit 1
  fi
  if [ "$(wasm-bindgen --version 2>/dev/null | awk '{print $2}')" != "$want" ]; then
    say "installing wasm-bindgen-cli $want (matches Cargo.lock)"
    # Not --locked: the registry lacks some of its pinned dependencies.
    cargo install wasm-bindgen-cli --version "$want" --force
  fi
}

# npm packages from package-lock.json: wasm-opt (binaryen; Debian's is too old).
ensure_node_tools() {
  if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
    say "installing npm tools (binaryen)"
    npm ci --no-audit --no-fund
  fi
}

# Debian's Chromium and its driver, for the browser tests (never a
# downloaded browser: there is no internet here).
ensure_chromium() {
  if ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null; then
    say "installing Debian's chromium and chromium-driver"
    local sudo=""
    [ "$(id -u)" = 0 ] || sudo="sudo"
    $sudo apt-get update -qq || true
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq chromium chromium-driver
  fi
}

# jq, which the GitHub Action's script (scripts/action.sh) reads JSON with;
# GitHub's runners have it, a fresh Debian may not.
ensure_jq() {
  if ! command -v jq >/dev/null; then
    say "installing jq"
    local sudo=""
    [ "$(id -u)" = 0 ] || sudo="sudo"
    $sudo apt-get update -qq || true
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq jq
  fi
}

ensure_web_tools() {
  ensure_wasm_target
  ensure_trunk
  ensure_wasm_bindgen
  ensure_node_tools
}
