#!/usr/bin/env bash
# Every check and test Chirp has, in the order a failure is cheapest to find.
# Installs what is missing first and starts every server the tests need (a
# MongoDB-wire test server and a Kafka-compatible broker), so it runs on a fresh machine; they are stopped
# at the end, also on failure.
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$CHIRP_ROOT"

started=$SECONDS
logs="$CHIRP_ROOT/.tools/logs"
step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

step "bootstrap"
scripts/bootstrap.sh
mkdir -p "$logs"
rm -f "$logs"/*.log

step "cargo fmt --check"
cargo fmt --all --check

step "cargo clippy (native crates)"
cargo clippy -p app -p server --all-targets -- -D warnings

step "frontend dependency guard"
scripts/check-frontend-deps.sh

step "test servers"
source scripts/services.sh
start_mongo
start_kafka

step "Rust tests (SQLite and MongoDB)"
# Apart: the app's render-count tests turn on reactive effects (a dev
# dependency), which one shared build would turn on in the server too, where
# the release build runs none.
{ cargo test -p app && cargo test -p server; } 2>&1 | tee "$logs/rust-tests.log"
# The later steps measure and drive servers of their own; the Kafka bench
# starts a broker of its own.
unset CHIRP_KAFKA_BROKERS

step "release build (server + WASM)"
scripts/build-release.sh

step "load, scale and fault checks, quick (scripts/bench.sh --quick)"
# Fails on lost tweets, unexpected 5xx, integrity_check, the write-lock,
# slow-socket and SIGTERM checks; never on speed figures.
scripts/bench.sh --quick 2>&1 | tee "$logs/bench-quick.log"

step "the Kafka relay, quick: throughput and lag, nothing lost (scripts/bench-kafka.sh --quick)"
scripts/bench-kafka.sh --quick 2>&1 | tee "$logs/bench-kafka.log"

step "page weight and the second visit, in Chromium (scripts/page-weight.sh)"
SKIP_BUILD=1 CHIRP_WEIGHT_CHECK_ONLY=1 scripts/page-weight.sh 2>&1 | tee "$logs/page-weight.log"

step "server-rendered pages under load, release build, both stores"
scripts/page-check.sh 2>&1 | tee "$logs/page-check.log"

for store in sqlite mongodb; do
  step "API fuzzing from the OpenAPI document (schemathesis), on $store"
  CHIRP_STORE=$store CHIRP_SERVER_BIN=target/release/chirp-server scripts/fuzz-api.sh 2>&1 |
    tee "$logs/fuzz-$store.log"
done

for store in sqlite mongodb; do
  step "Playwright end-to-end tests (Chromium), on $store"
  (cd end2end && CHIRP_E2E_STORE=$store npx playwright test) 2>&1 | tee "$logs/e2e-$store.log"
done

step "the development loop: make dev in Chromium (scripts/dev-check.sh)"
scripts/dev-check.sh 2>&1 | tee "$logs/dev-check.log"

# Counting from the logs: each step above stops the run when it fails, so
# reaching here means every one passed; the counts say how much ran.
sum() { grep -Eo "$1" "$2" | grep -Eo '[0-9]+' | awk '{s += $1} END {print s + 0}'; }
rust_passed=$(sum 'test result: ok\. [0-9]+ passed' "$logs/rust-tests.log")
rust_failed=$(sum '[0-9]+ failed;' "$logs/rust-tests.log")
skipped=$(grep -c '^skipped: ' "$logs/rust-tests.log" || true)
step "summary"
echo "Rust tests (both stores): $rust_passed passed, $rust_failed failed, $skipped skipped"
total=$rust_passed
for store in sqlite mongodb; do
  fuzz_cases=$(sum '[0-9]+ generated' "$logs/fuzz-$store.log")
  e2e=$(sum '^ *[0-9]+ passed' "$logs/e2e-$store.log")
  echo "schemathesis on $store: $(grep -c '^fuzz-api: passed' "$logs/fuzz-$store.log") of 1 runs passed ($fuzz_cases cases generated)"
  echo "Playwright on $store: $e2e passed"
  total=$((total + e2e))
done
echo "Kafka relay bench: $(grep -c '^bench-kafka: passed' "$logs/bench-kafka.log") of 1 runs passed; $(grep '^RESULT' "$logs/bench-kafka.log" | tr '\n' ' ')"
echo "page weight and second visit: $(grep -c '^page-weight: passed' "$logs/page-weight.log") of 1 runs passed"
echo "page check (release build, both stores): $(grep -c '^page-check: passed' "$logs/page-check.log") of 1 runs passed"
dev=$(sum '^ *[0-9]+ passed' "$logs/dev-check.log")
echo "development loop (make dev in Chromium): $dev passed"
total=$((total + dev))
echo "took $((SECONDS - started)) s"
echo "$total passed, $rust_failed failed, $skipped skipped"
