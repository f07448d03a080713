#!/usr/bin/env bash
# Property-based fuzzing of the REST API from its own OpenAPI document.
#
# Uses schemathesis from .tools/venv (scripts/bootstrap.sh), starts the server
# on a free port with a fresh temporary data directory, and lets schemathesis
# generate requests for every operation in /api/openapi.json: valid ones,
# boundary cases and invalid ones. It fails on any 5xx (not_a_server_error)
# and on any response that does not match the documented schema
# (response_schema_conformance), and if the server died or logged a panic.
#
#   scripts/fuzz-api.sh                      # debug build, 50 examples/op
#   FUZZ_EXAMPLES=100 scripts/fuzz-api.sh    # more examples
#   CHIRP_SERVER_BIN=target/release/chirp-server scripts/fuzz-api.sh
#   FUZZ_SEED=42 scripts/fuzz-api.sh         # reproduce a run
#   CHIRP_STORE=mongodb scripts/fuzz-api.sh  # on MongoDB (MONGODB_URI), in a
#                                            # database of this run's own
#
# Bounded: a run takes one to three minutes on two cores.
set -euo pipefail

# shellcheck source=scripts/env.sh
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$CHIRP_ROOT"

examples="${FUZZ_EXAMPLES:-50}"
venv=.tools/venv

[ -x "$venv/bin/st" ] || scripts/bootstrap.sh

bin="${CHIRP_SERVER_BIN:-}"
if [ -z "$bin" ]; then
  cargo build --quiet -p server --bin chirp-server
  bin="${CARGO_TARGET_DIR:-target}/debug/chirp-server"
fi

data="$(mktemp -d)"
port="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
base="http://127.0.0.1:$port"
log="$data/server.log"

# The fuzzer signs up, logs in, posts and edits far more often than a
# person: lift the rate limits and allow plain-HTTP cookies.
CHIRP_ADDR="127.0.0.1:$port" \
  CHIRP_STORE="${CHIRP_STORE:-sqlite}" \
  CHIRP_DATA_DIR="$data/store" \
  CHIRP_MONGODB_DATABASE="chirp_fuzz_$port" \
  CHIRP_INSECURE_COOKIES=1 \
  CHIRP_AUTH_RATE_BURST=1000000000 \
  CHIRP_POST_RATE_BURST=1000000000 \
  CHIRP_PROFILE_RATE_BURST=1000000000 \
  RUST_LOG="${RUST_LOG:-warn}" \
  "$bin" >"$log" 2>&1 &
server=$!

cleanup() {
  kill "$server" 2>/dev/null || true
  wait "$server" 2>/dev/null || true
  rm -rf "$data"
}
trap cleanup EXIT

healthy() {
  python3 - "$base/healthz" <<'PY'
import sys, urllib.request
try:
    with urllib.request.urlopen(sys.argv[1], timeout=1) as r:
        sys.exit(0 if r.status == 200 else 1)
except Exception:
    sys.exit(1)
PY
}

for _ in $(seq 1 100); do
  healthy && break
  if ! kill -0 "$server" 2>/dev/null; then
    echo "fuzz-api: the server did not start:" >&2
    cat "$log" >&2
    exit 1
  fi
  sleep 0.2
done
healthy || { echo "fuzz-api: the server is not answering" >&2; cat "$log" >&2; exit 1; }

# One worker: hypothesis parses lambdas with `ast` while generating, and
# CPython 3.11's parser is not safe to run from two threads at once
# ("AST constructor recursion depth mismatch").
fuzz() {
  "$venv/bin/st" run "$base/api/openapi.json" \
    --checks not_a_server_error,response_schema_conformance \
    --phases examples,coverage,fuzzing \
    --max-examples "$examples" \
    --workers 1 \
    --request-timeout 10 \
    --generation-database none \
    --suppress-health-check too_slow,filter_too_much \
    ${FUZZ_SEED:+--seed "$FUZZ_SEED"} \
    --no-color "$@"
}

status=0
echo "fuzz-api: anonymous pass over $base/api/openapi.json on ${CHIRP_STORE:-sqlite}, $examples examples per operation"
fuzz || status=$?

# Second pass as a logged-in user, so the operations behind the session are
# fuzzed past their 401. Sign-up, login and logout are left out: each would
# replace or end the session the pass runs on.
cookie="$(python3 - "$base" <<'PY'
import json, secrets, sys, urllib.request
name = "fuzz_" + secrets.token_hex(8)
body = json.dumps({"username": name, "email": name + "@example.com",
                   "password": secrets.token_hex(12)}).encode()
request = urllib.request.Request(sys.argv[1] + "/api/v1/users", data=body,
                                 headers={"Content-Type": "application/json"})
with urllib.request.urlopen(request, timeout=10) as response:
    print(response.headers["Set-Cookie"].split(";")[0])
PY
)"
echo "fuzz-api: logged-in pass"
fuzz -H "Cookie: $cookie" \
  --exclude-name "POST /api/v1/users" \
  --exclude-name "POST /api/v1/auth/login" \
  --exclude-name "POST /api/v1/auth/logout" || status=$?

if ! healthy; then
  echo "fuzz-api: the server stopped answering during the run" >&2
  status=1
fi
if grep -qiE "panicked|internal error" "$log"; then
  echo "fuzz-api: the server logged errors:" >&2
  grep -iE "panicked|internal error" "$log" | head -20 >&2
  status=1
fi
if [ "$status" -ne 0 ]; then
  echo "fuzz-api: FAILED" >&2
else
  echo "fuzz-api: passed (no 5xx, no schema violations)"
fi
exit "$status"
