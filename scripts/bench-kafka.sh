#!/usr/bin/env bash
# The Kafka relay, measured: the release server on the embedded store and a
# nisshi broker of its own (scripts/services.sh), both on loopback.
#
#   scripts/bench-kafka.sh           100,000 events, lag at 1,000 writes/s for 20 s
#   scripts/bench-kafka.sh --quick   20,000 events, 5 s of lag (the test command)
#
# 1. Throughput: the outbox filled with tweets while no broker is set
#    (`chirp-server fill-tweets`), then the server started with
#    CHIRP_KAFKA_BROKERS: events/s until `/readyz` says the outbox is empty.
# 2. Lag: tweets posted at a steady rate (bench/relay_lag.py), each timed
#    from the API's 201 to its arrival at a consumer of chirp.tweets.
#
# Only lost events fail the run (exit 1); the figures never do.
# Uses target/release/chirp-server as scripts/bench.sh builds it.
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$CHIRP_ROOT"

EVENTS=100000 LAG_SECS=20 RATE=1000
[ "${1:-}" = --quick ] && EVENTS=20000 LAG_SECS=5
BIN=target/release/chirp-server
PY=.tools/venv/bin/python
say() { printf '\033[1mbench-kafka:\033[0m %s\n' "$*" >&2; }
backlog() {
  curl -fsS "$CHIRP_BASE/readyz" | "$PY" -c \
    'import json, sys; o = json.load(sys.stdin)["outbox"]; print(o["user_events"] + o["tweet_events"])'
}
now() { date +%s.%N; }

[ -x "$BIN" ] || { echo "bench-kafka: $BIN is missing (scripts/bench.sh builds it)" >&2; exit 1; }
source scripts/services.sh
start_kafka

say "1. filling the outbox: $EVENTS tweets, no broker set"
data="$(mktemp -d /tmp/chirp-bench-kafka.XXXXXX)"
CHIRP_SERVICE_DIRS+=("$data")
env -u CHIRP_KAFKA_BROKERS CHIRP_STORE=sqlite CHIRP_DATA_DIR="$data" "$BIN" fill-tweets "$EVENTS" 8 >/dev/null
start_chirp "$BIN" sqlite CHIRP_DATA_DIR="$data" CHIRP_KAFKA_BROKERS="$CHIRP_KAFKA_BROKERS"
began=$(now)
full=$(backlog)
while [ "$(backlog)" -gt 0 ]; do
  sleep 0.05
  awk -v b="$began" -v n="$(now)" 'BEGIN { exit !(n - b > 300) }' && {
    echo "bench-kafka: FAILED: the outbox did not drain in 300 s" >&2
    exit 1
  }
done
secs=$(awk -v b="$began" -v n="$(now)" 'BEGIN { printf "%.2f", n - b }')
rate=$(awk -v e="$full" -v s="$secs" 'BEGIN { printf "%.0f", e / s }')
echo "RESULT relay_throughput events=$full seconds=$secs events_per_s=$rate target=5000 $(
  [ "$rate" -ge 5000 ] && echo met || echo NOT-met)"
stop_chirp

say "2. lag at $RATE writes/s for $LAG_SECS s"
start_chirp "$BIN" sqlite CHIRP_KAFKA_BROKERS="$CHIRP_KAFKA_BROKERS"
result=$("$PY" bench/relay_lag.py --base "$CHIRP_BASE" --brokers "$CHIRP_KAFKA_BROKERS" \
  --rate "$RATE" --secs "$LAG_SECS")
p99=$(grep -o 'p99_ms=[0-9.]*' <<<"$result" | cut -d= -f2)
echo "$result target_p99_ms=500 $(awk -v p="$p99" 'BEGIN { print (p <= 500) ? "met" : "NOT-met" }')"
stop_chirp
echo "bench-kafka: passed"
