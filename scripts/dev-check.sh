#!/usr/bin/env bash
# The development loop, checked as a contributor meets it: starts `make dev`
# (cargo leptos watch) on free ports with a fresh store and its own site
# directory, and drives Chromium (end2end/dev/dev-loop.spec.ts): the page
# hydrates with no console error or warning, a colour changed in
# style/main.css is applied without a reload, a string changed in an app/
# component rebuilds and reloads the page. The files are restored and the
# server stopped at the end, also on failure.
#
#   scripts/dev-check.sh       (the test command runs it; also `make dev-check`)
set -euo pipefail
# shellcheck source=scripts/env.sh
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$CHIRP_ROOT"
# shellcheck source=scripts/services.sh
source scripts/services.sh

work="$(mktemp -d /tmp/chirp-dev-check.XXXXXX)"
CHIRP_SERVICE_DIRS+=("$work")
site_port="$(free_port)"
reload_port="$(free_port)"
files=(style/main.css app/src/components/header.rs)
for file in "${files[@]}"; do cp "$file" "$work/$(basename "$file")"; done
restore() {
  for file in "${files[@]}"; do cp "$work/$(basename "$file")" "$file"; done
  if [ -n "${dev_pid:-}" ]; then
    kill -TERM -- "-$dev_pid" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$dev_pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL -- "-$dev_pid" 2>/dev/null || true
  fi
  stop_services
}
trap restore EXIT

# Its own site directory, so the release build's files are left alone.
started=$SECONDS
setsid env -u CHIRP_ADDR LEPTOS_SITE_ADDR="127.0.0.1:$site_port" LEPTOS_RELOAD_PORT="$reload_port" \
  LEPTOS_SITE_ROOT=target/dev-site CHIRP_DATA_DIR="$work/data" \
  scripts/dev.sh >"$work/dev.log" 2>&1 &
dev_pid=$!
echo "dev-check: make dev on 127.0.0.1:$site_port (live reload on $reload_port), log $work/dev.log"
until curl -fsS -o /dev/null "http://127.0.0.1:$site_port/healthz" 2>/dev/null; do
  if ! kill -0 "$dev_pid" 2>/dev/null; then
    tail -30 "$work/dev.log" >&2
    echo "dev-check: make dev stopped before serving" >&2
    exit 1
  fi
  if [ $((SECONDS - started)) -gt 1800 ]; then
    tail -30 "$work/dev.log" >&2
    echo "dev-check: make dev did not serve within 30 min" >&2
    exit 1
  fi
  sleep 2
done
echo "dev-check: serving after $((SECONDS - started)) s (first build)"
(cd end2end && CHIRP_E2E_URL="http://127.0.0.1:$site_port" npx playwright test --config dev.config.ts)
echo "dev-check: passed in $((SECONDS - started)) s"
