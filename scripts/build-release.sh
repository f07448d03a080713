#!/usr/bin/env bash
# The release build every other script uses: the server binary and the site,
# with the WASM split per route (only `/`'s code loads on `/`) and every
# static file precompressed for the server to send as is.
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$CHIRP_ROOT"

cargo leptos build --release --precompress --split "$@"

# cargo-leptos gzips at a fast level. The files are compressed once and sent
# many times, so spend the two seconds zopfli takes: the WASM's .gz shrinks
# by a fifth, and gzip is what browsers without brotli fetch.
for file in target/site/pkg/*.wasm target/site/pkg/*.js target/site/pkg/*.css; do
  zopfli -c "$file" >"$file.gz.tmp"
  mv "$file.gz.tmp" "$file.gz"
done
