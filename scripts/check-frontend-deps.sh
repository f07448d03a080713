#!/usr/bin/env bash
# Fails when a server-only crate leaks into the WASM front end's dependency
# tree: it would bloat the download at best and fail to build at worst.
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$CHIRP_ROOT"

FORBIDDEN=(mongodb sqlx rusqlite libsqlite3-sys rdkafka rdkafka-sys bcrypt axum hyper tower-http)
tree="$(cargo tree -p frontend --target wasm32-unknown-unknown -e normal --prefix none --format '{p}')"
crates="$(awk '{print $1}' <<<"$tree" | sort -u)"
leaks=()
for crate in "${FORBIDDEN[@]}"; do
  grep -qx "$crate" <<<"$crates" && leaks+=("$crate")
done
# tokio itself may appear (some crates use its sync types); its network stack may not.
if grep -qx tokio <<<"$crates" &&
  cargo tree -p frontend --target wasm32-unknown-unknown -e features -i tokio 2>/dev/null | grep -q 'tokio feature "net"'; then
  leaks+=("tokio with the net feature")
fi
if [ ${#leaks[@]} -gt 0 ]; then
  echo "frontend depends on server-only crates: ${leaks[*]}" >&2
  cargo tree -p frontend --target wasm32-unknown-unknown -e normal -i "${leaks[0]%% *}" >&2 || true
  exit 1
fi
echo "frontend dependency tree ($(wc -l <<<"$crates") crates) holds none of: ${FORBIDDEN[*]}, tokio/net"
