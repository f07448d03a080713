# Sourced by the project's scripts: puts the project's tools on PATH and picks
# the one Rust toolchain that can build both the server and the WASM.
# shellcheck shell=bash
CHIRP_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export CHIRP_ROOT
export PATH="$CHIRP_ROOT/end2end/node_modules/.bin:$HOME/.cargo/bin:$PATH"

# bootstrap.sh records which toolchain has the wasm32 target: "stable" where
# rustup could add it, "web" (Debian's rustc-web linked into rustup) where not.
if [ -z "${RUSTUP_TOOLCHAIN:-}" ] && [ -f "$CHIRP_ROOT/.tools/toolchain" ]; then
  RUSTUP_TOOLCHAIN="$(cat "$CHIRP_ROOT/.tools/toolchain")"
  export RUSTUP_TOOLCHAIN
fi
