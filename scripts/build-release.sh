#!/usr/bin/env bash
# The release build every other script uses: the server binary and the site,
# with the WASM split per route (only `/`'s code loads on `/`) and every
# static file precompressed for the server to send as is.
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$CHIRP_ROOT"

# The WASM is built by Debian's rustc-web (the `web` toolchain that
# scripts/bootstrap.sh links) with the standard library rebuilt from its
# rust-web-src for size: no Debug formatting or panic locations, and a panic
# aborts at once instead of formatting a message nobody reads. That is a
# tenth of the download (BENCHMARKS.md, "Page weight"). These are unstable
# flags, hence RUSTC_BOOTSTRAP, on a pinned Debian compiler; the debug build
# (`make dev`) keeps the normal toolchain and its panic messages.
wasm_rustflags=(--cfg erase_components -Zfmt-debug=none -Zlocation-detail=none
  -Zunstable-options -Cpanic=immediate-abort)
RUSTUP_TOOLCHAIN=web RUSTC_BOOTSTRAP=1 \
  CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS="${wasm_rustflags[*]}" \
  cargo leptos build --release --precompress --split --frontend-only \
  --lib-cargo-args=-Zbuild-std=std,panic_abort
cargo leptos build --release --precompress --server-only

# A second wasm-opt -Oz pass over the first page's module: cargo-leptos'
# own pass leaves about 700 bytes gzipped on the table (BENCHMARKS.md,
# "Page weight"). Its exports, which the JS glue and the split chunks call,
# stay as they are. The module keeps the name cargo-leptos hashed it under;
# its brotli copy is written again here, its gzip one below.
main_wasm="$(ls -t target/site/pkg/chirp.*.wasm | head -1)"
wasm-opt -Oz --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext \
  --enable-mutable-globals --enable-reference-types --enable-multivalue \
  "$main_wasm" -o "$main_wasm.opt"
mv "$main_wasm.opt" "$main_wasm"
node -e '
  const zlib = require("zlib"), fs = require("fs"), file = process.argv[1];
  const q = { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11 } };
  fs.writeFileSync(file + ".br", zlib.brotliCompressSync(fs.readFileSync(file), q));
' "$main_wasm"

# cargo-leptos gzips at a fast level. The files are compressed once and sent
# many times, so spend the two seconds zopfli takes: the WASM's .gz shrinks
# by a fifth, and gzip is what browsers without brotli fetch.
# The first page's files (its WASM chunk, the JS, the CSS) get 1,000
# iterations instead of 15: a minute more for the WASM, about 180 bytes less
# of it on every first visit, and with the split loader's hashed name written
# into that WASM the gzip size varies by about 100 bytes from build to build,
# which the page-weight budget must absorb.
for file in target/site/pkg/*.wasm target/site/pkg/*.js target/site/pkg/*.css; do
  iterations=15
  case "$file" in "$main_wasm" | *.js | *.css) iterations=1000 ;; esac
  zopfli --i"$iterations" -c "$file" >"$file.gz.tmp"
  mv "$file.gz.tmp" "$file.gz"
done
