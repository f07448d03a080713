#!/usr/bin/env bash
# Installs everything Chirp needs to build, run and test, and only what is
# missing: a second run on a ready machine checks and exits in seconds.
#
# Uses apt-get, so it must run as root (or with sudo available).
# Everything comes from package registries (Debian, crates.io, npm); nothing
# is downloaded from anywhere else, so it works on machines whose network only
# reaches those.
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$CHIRP_ROOT"

CARGO_LEPTOS_VERSION=0.3.11
NISSHI_VERSION=0.8.1
# Tool installs need no LTO; this halves their build time on 2 cores.
export CARGO_PROFILE_RELEASE_LTO=off CARGO_PROFILE_RELEASE_CODEGEN_UNITS=16

say() { printf '\033[1mbootstrap:\033[0m %s\n' "$*"; }
die() {
  printf '\033[1;31mbootstrap: missing %s\033[0m\n  fix: %s\n' "$1" "$2" >&2
  exit 1
}

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null || die "root rights for apt-get" "run this script as root, or install sudo"
  SUDO="sudo"
fi

# --- Debian packages -------------------------------------------------------
# rustc-web & co. are Debian's Rust 1.96 with a wasm32-capable LLVM and lld;
# they stand in where rustup cannot download the wasm32 target.
# wrk is the load generator of scripts/bench.sh; zopfli gzips the site
# files at the best ratio (scripts/build-release.sh). cmake, g++ and
# libcurl4-openssl-dev build librdkafka for the rdkafka crate (cmake-build).
# fonts-noto-color-emoji gives Chromium colour emoji, so the screenshots
# show them instead of empty boxes.
APT_PACKAGES=(pkg-config chromium fonts-dejavu-core fonts-noto-color-emoji wrk zopfli cmake g++
  libcurl4-openssl-dev rustc-web cargo-web rust-web-src rust-web-llvm lld-22 rust-web-clippy rustfmt-web)
missing=()
for p in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  say "apt-get install ${missing[*]}"
  $SUDO apt-get update -qq || die "Debian package lists" "check that the Debian mirror is reachable"
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null ||
    die "Debian packages ${missing[*]}" "apt-get install ${missing[*]}"
fi

command -v rustup >/dev/null || die "rustup" "install rustup (https://rustup.rs) with a stable toolchain"
command -v node >/dev/null && command -v npm >/dev/null || die "node and npm" "apt-get install nodejs npm"

# --- The Rust toolchain with wasm32 ----------------------------------------
mkdir -p .tools
wasm_std_ok() { ls "$1"/lib/rustlib/wasm32-unknown-unknown/lib/libstd-*.rlib >/dev/null 2>&1; }
toolchain=""
if [ -f .tools/toolchain ]; then
  toolchain="$(cat .tools/toolchain)"
  sysroot="$(rustc +"$toolchain" --print sysroot 2>/dev/null || true)"
  if [ -z "$sysroot" ] || ! wasm_std_ok "$sysroot"; then toolchain=""; fi
fi
if [ -z "$toolchain" ]; then
  # CHIRP_TOOLCHAIN=web forces the Debian route (to test it where rustup works).
  if [ "${CHIRP_TOOLCHAIN:-}" != web ] && wasm_std_ok "$(rustc +stable --print sysroot)"; then
    toolchain=stable
  elif [ "${CHIRP_TOOLCHAIN:-}" != web ] && timeout 30 rustup target add --toolchain stable wasm32-unknown-unknown >/dev/null 2>&1 &&
    wasm_std_ok "$(rustc +stable --print sysroot)"; then
    say "rustup added wasm32-unknown-unknown to stable"
    toolchain=stable
  else
    # rustup cannot download the target here: build wasm32's std from
    # Debian's rust-web-src with Debian's rustc, once, into its sysroot.
    if ! wasm_std_ok /usr; then
      say "building the wasm32 standard library from rust-web-src (about a minute)"
      dummy="$(mktemp -d)"
      mkdir -p "$dummy/src" && : >"$dummy/src/lib.rs"
      cat >"$dummy/Cargo.toml" <<'EOF'
[package]
name = "wasm-std-builder"
version = "0.0.0"
edition = "2021"
[lib]
path = "src/lib.rs"
[profile.release]
opt-level = "z"
lto = true
codegen-units = 1
panic = "abort"
EOF
      (cd "$dummy" && RUSTC=/usr/bin/rustc RUSTC_BOOTSTRAP=1 /usr/bin/cargo build -q --release \
        --target wasm32-unknown-unknown -Zbuild-std=std,panic_abort) ||
        die "the wasm32 standard library" "apt-get install --reinstall rust-web-src rustc-web cargo-web lld-22, then rerun"
      $SUDO mkdir -p /usr/lib/rustlib/wasm32-unknown-unknown/lib
      find "$dummy/target/wasm32-unknown-unknown/release/deps" -name 'lib*.rlib' \
        ! -name 'libwasm_std_builder*' -exec $SUDO cp {} /usr/lib/rustlib/wasm32-unknown-unknown/lib/ \;
      rm -rf "$dummy"
    fi
    if ! rustup toolchain list | grep -q '^web'; then
      say "rustup toolchain link web /usr"
      rustup toolchain link web /usr
    fi
    toolchain=web
  fi
  echo "$toolchain" >.tools/toolchain
fi
export RUSTUP_TOOLCHAIN="$toolchain"
# Whatever builds the rest, the release WASM is built by Debian's rustc-web,
# which rebuilds std from rust-web-src for size (scripts/build-release.sh).
[ -f /usr/lib/rustlib/src/rust/library/std/Cargo.toml ] ||
  die "rust-web-src's standard library sources" "apt-get install --reinstall rust-web-src"
if ! rustup toolchain list | grep -q '^web'; then
  say "rustup toolchain link web /usr"
  rustup toolchain link web /usr
fi
rustc --version >/dev/null 2>&1 || die "the $toolchain toolchain" "rm -rf .tools and rerun this script"
cargo clippy --version >/dev/null 2>&1 || die "clippy for $toolchain" "apt-get install rust-web-clippy (or rustup component add clippy)"
cargo fmt --version >/dev/null 2>&1 || die "rustfmt for $toolchain" "apt-get install rustfmt-web (or rustup component add rustfmt)"

# --- Cargo tools -----------------------------------------------------------
# cargo-leptos' lock file wants rustc >= 1.96: use Debian's when stable is older.
leptos_rustc="$(command -v rustc)"
[ -x /usr/bin/rustc ] && leptos_rustc=/usr/bin/rustc
if ! cargo-leptos --version 2>/dev/null | grep -q "$CARGO_LEPTOS_VERSION"; then
  say "cargo install cargo-leptos $CARGO_LEPTOS_VERSION (about 15 minutes on 2 cores)"
  RUSTC="$leptos_rustc" cargo +stable install -q cargo-leptos --version "$CARGO_LEPTOS_VERSION" --locked ||
    die "cargo-leptos" "RUSTC=/usr/bin/rustc cargo +stable install cargo-leptos --version $CARGO_LEPTOS_VERSION --locked"
fi

# wasm-bindgen's CLI must match the library version in Cargo.lock exactly.
wb_version="$(grep -A1 '^name = "wasm-bindgen"$' Cargo.lock | sed -n 's/^version = "\(.*\)"/\1/p')"
[ -n "$wb_version" ] || die "wasm-bindgen in Cargo.lock" "run cargo generate-lockfile"
if ! wasm-bindgen --version 2>/dev/null | grep -q " $wb_version\$"; then
  say "cargo install wasm-bindgen-cli $wb_version (about 2 minutes)"
  # Not --locked: the registry here lacks a version its lock file pins.
  RUSTC="$leptos_rustc" cargo +stable install -q wasm-bindgen-cli --version "$wb_version" --force ||
    die "wasm-bindgen-cli $wb_version" "cargo install wasm-bindgen-cli --version $wb_version"
fi

# nisshi (formerly tansu) is a Kafka-compatible broker (Apache-2.0) that the
# tests run as a separate process with SQLite storage (scripts/services.sh,
# start_kafka); it is never linked, shipped or used in production.
if ! nisshi --version 2>/dev/null | grep -qF "$NISSHI_VERSION"; then
  say "cargo install nisshi $NISSHI_VERSION, SQLite storage only (about 15 minutes on 2 cores)"
  RUSTC="$leptos_rustc" cargo +stable install -q nisshi --version "$NISSHI_VERSION" --locked \
    --no-default-features --features libsql ||
    die "nisshi $NISSHI_VERSION" "cargo install nisshi --version $NISSHI_VERSION --locked --no-default-features --features libsql"
fi

# --- npm: Playwright and wasm-opt (binaryen), locked in end2end/ -----------
stamp=end2end/node_modules/.chirp-installed
if [ ! -f "$stamp" ] || [ end2end/package-lock.json -nt "$stamp" ]; then
  say "npm ci in end2end/ (@playwright/test, binaryen)"
  (cd end2end && npm ci --no-audit --no-fund --loglevel=error) || die "npm packages" "cd end2end && npm ci"
  touch "$stamp"
fi
command -v wasm-opt >/dev/null || die "wasm-opt" "cd end2end && npm ci"
[ -x /usr/bin/chromium ] || die "chromium" "apt-get install chromium"

# --- PyPI: the test servers and the API fuzzer, in .tools/venv -------------
# SecantusDB is a MongoDB-wire server (GPL-2.0, beta) that the test command
# runs as a separate process so the MongoDB half of the tests has a real
# replica set to talk to; it is never linked, shipped or used in production.
# confluent-kafka (librdkafka in its wheel) is the scripts' Kafka client: it
# checks and fills the test broker (scripts/services.sh, kafka-smoke.sh).
PY_PACKAGES=("SecantusDB==0.7.0b3" "schemathesis>=4.3,<5" "confluent-kafka>=2.13,<3")
venv=.tools/venv
py_stamp="$venv/.chirp-$(printf '%s\n' "${PY_PACKAGES[@]}" | sha1sum | cut -c1-12)"
if [ ! -f "$py_stamp" ]; then
  say "pip install ${PY_PACKAGES[*]} into $venv"
  [ -x "$venv/bin/pip" ] || python3 -m venv "$venv" || die "a Python venv" "apt-get install python3-venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check "${PY_PACKAGES[@]}" ||
    die "Python packages ${PY_PACKAGES[*]}" "$venv/bin/pip install ${PY_PACKAGES[*]}"
  rm -f "$venv"/.chirp-*
  touch "$py_stamp"
fi

say "ready (toolchain: $toolchain, $(rustc --version | cut -d' ' -f2), cargo-leptos $CARGO_LEPTOS_VERSION, wasm-bindgen $wb_version, nisshi $NISSHI_VERSION)"
