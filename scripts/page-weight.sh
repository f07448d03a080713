#!/usr/bin/env bash
# Measures the page weight of "/" (WASM + JS + CSS, gzip) and the time to
# hydrated in Chromium, and writes the "## Page weight" section of
# BENCHMARKS.md. Builds the release app first unless SKIP_BUILD=1, with
# --precompress so the server has the .gz/.br files it serves to browsers
# that accept them (leptos_axum's file handler looks for them).
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$CHIRP_ROOT"
if [ "${SKIP_BUILD:-0}" != 1 ]; then
  scripts/build-release.sh
fi
node end2end/page-weight.mjs
