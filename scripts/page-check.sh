#!/usr/bin/env bash
# Server-rendered pages under load, on the release build and both stores:
# a user page fetched 500 times one after another and 2000 times from 32
# connections must answer 200 every time. (The release build splits lazy
# routes, which a debug build does not: a user page once answered some of
# these with a 500 that no debug-build test saw.)
#
#   scripts/page-check.sh            # needs scripts/build-release.sh first
set -euo pipefail
# shellcheck source=scripts/env.sh
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$CHIRP_ROOT"
# shellcheck source=scripts/services.sh
source scripts/services.sh

bin="${CHIRP_SERVER_BIN:-target/release/chirp-server}"
[ -n "${MONGODB_URI:-}" ] || start_mongo
status=0
for store in sqlite mongodb; do
  start_chirp "$bin" "$store"
  echo "page-check: $store"
  python3 bench/user_pages.py "$CHIRP_BASE" 500 2000 32 || status=1
  if grep -qiE "panicked|internal error" "$CHIRP_LOG"; then
    grep -iE "panicked|internal error" "$CHIRP_LOG" | head -5 >&2
    status=1
  fi
  stop_chirp
done
[ "$status" = 0 ] && echo "page-check: passed" || echo "page-check: FAILED" >&2
exit "$status"
