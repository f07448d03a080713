# Sourced by the scripts that need servers of their own (the test command,
# the fuzz and bench runs): starts them on free loopback ports with
# throw-away storage, and stops them when the sourcing script exits, also on
# failure. Nothing has to be running beforehand.
#
#   start_mongo    SecantusDB (a MongoDB-wire test server, PyPI, GPL-2.0,
#                  beta: a separate process for tests only, never linked or
#                  shipped) as the one-node replica set `secantus`; exports
#                  MONGODB_URI
#   start_kafka    nisshi (a Kafka-compatible broker, crates.io, Apache-2.0:
#                  a separate process for tests only) storing in SQLite, with
#                  chirp.user-events and chirp.tweets (3 partitions each);
#                  exports CHIRP_KAFKA_BROKERS, and CHIRP_NISSHI for the
#                  tests that run brokers of their own
#
# The tools come from scripts/bootstrap.sh (.tools/venv, ~/.cargo/bin).
# shellcheck shell=bash

CHIRP_SERVICE_PIDS=()
CHIRP_SERVICE_DIRS=()

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

stop_services() {
  local pid
  for pid in "${CHIRP_SERVICE_PIDS[@]}"; do
    kill "$pid" 2>/dev/null || true
  done
  for pid in "${CHIRP_SERVICE_PIDS[@]}"; do
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  done
  CHIRP_SERVICE_PIDS=()
  rm -rf "${CHIRP_SERVICE_DIRS[@]}"
  CHIRP_SERVICE_DIRS=()
}
trap stop_services EXIT

# start_mongo [port]: SecantusDB with its data in a fresh directory.
start_mongo() {
  local venv="$CHIRP_ROOT/.tools/venv" port="${1:-$(free_port)}" dir
  [ -x "$venv/bin/secantusd-py" ] || {
    echo "services: SecantusDB is missing (scripts/bootstrap.sh installs it)" >&2
    return 1
  }
  dir="$(mktemp -d /tmp/chirp-mongo.XXXXXX)"
  CHIRP_SERVICE_DIRS+=("$dir")
  # --sync-on-commit: SecantusDB syncs a transaction's commit to disk only
  # with it (measured: without it, commits the Rust driver sent with j:true
  # were gone after a SIGKILL); MongoDB does so for every j:true commit,
  # which is what Chirp's write concern asks.
  "$venv/bin/secantusd-py" --host 127.0.0.1 --port "$port" --storage-path "$dir/data" \
    --sync-on-commit --log-level WARNING >"$dir/server.log" 2>&1 &
  CHIRP_SERVICE_PIDS+=("$!")
  export MONGODB_URI="mongodb://127.0.0.1:$port/?replicaSet=secantus"
  # The fault tests run servers of their own, which they stop and start.
  export CHIRP_SECANTUSD="$venv/bin/secantusd-py"
  CHIRP_MONGO_PID=$!
  CHIRP_MONGO_LOG="$dir/server.log"
  export CHIRP_MONGO_PID CHIRP_MONGO_LOG
  if ! "$venv/bin/python" - "$MONGODB_URI" <<'PY'; then
import sys, time, pymongo
deadline = time.time() + 60
while True:
    try:
        hello = pymongo.MongoClient(sys.argv[1], serverSelectionTimeoutMS=1000).admin.command("hello")
        if hello.get("setName") == "secantus" and hello.get("isWritablePrimary"):
            break
    except Exception:
        pass
    if time.time() > deadline:
        sys.exit(1)
    time.sleep(0.2)
PY
    echo "services: SecantusDB did not answer on port $port:" >&2
    tail -20 "$dir/server.log" >&2
    return 1
  fi
  echo "services: SecantusDB (MongoDB wire, replica set secantus) on 127.0.0.1:$port"
}

# start_kafka [port]: nisshi with its data in a fresh directory, and the
# topics Chirp publishes to.
start_kafka() {
  local port="${1:-$(free_port)}" dir topic
  command -v nisshi >/dev/null || {
    echo "services: nisshi is missing (scripts/bootstrap.sh installs it)" >&2
    return 1
  }
  dir="$(mktemp -d /tmp/chirp-kafka.XXXXXX)"
  CHIRP_SERVICE_DIRS+=("$dir")
  # The storage URL is relative to the broker's working directory.
  (cd "$dir" && exec nisshi broker --storage-engine sqlite://broker.sqlite \
    --listener-url "tcp://127.0.0.1:$port" --advertised-listener-url "tcp://127.0.0.1:$port" \
    --group-initial-rebalance-delay 100ms >"$dir/broker.log" 2>&1) &
  CHIRP_SERVICE_PIDS+=("$!")
  CHIRP_KAFKA_LOG="$dir/broker.log"
  for topic in chirp.user-events chirp.tweets; do
    local created=""
    for _ in $(seq 1 100); do
      if (cd "$dir" && nisshi topic create "$topic" --partitions 3 --config retention.ms=-1 \
        --broker "tcp://127.0.0.1:$port" >>"$dir/topics.log" 2>&1); then
        created=1
        break
      fi
      sleep 0.2
    done
    [ -n "$created" ] || {
      echo "services: nisshi did not create $topic on port $port:" >&2
      tail -20 "$CHIRP_KAFKA_LOG" "$dir/topics.log" >&2
      return 1
    }
  done
  export CHIRP_KAFKA_BROKERS="127.0.0.1:$port"
  CHIRP_NISSHI="$(command -v nisshi)"
  export CHIRP_NISSHI CHIRP_KAFKA_LOG
  echo "services: nisshi (Kafka wire, topics chirp.user-events and chirp.tweets) on 127.0.0.1:$port"
}

# start_chirp BIN STORE [VAR=value ...]: a Chirp server on a free port with
# throw-away storage (SQLite in a fresh directory, or a fresh database on
# MONGODB_URI), limits lifted for scripted clients; exports CHIRP_BASE once
# it answers /healthz.
start_chirp() {
  local bin="$1" store="$2" port dir
  shift 2
  port="$(free_port)"
  dir="$(mktemp -d /tmp/chirp-server.XXXXXX)"
  CHIRP_SERVICE_DIRS+=("$dir")
  env CHIRP_ADDR="127.0.0.1:$port" CHIRP_STORE="$store" CHIRP_DATA_DIR="$dir/store" \
    CHIRP_MONGODB_DATABASE="chirp_script_$port" CHIRP_INSECURE_COOKIES=1 \
    CHIRP_AUTH_RATE_BURST=1000000000 CHIRP_POST_RATE_BURST=1000000000 \
    CHIRP_PROFILE_RATE_BURST=1000000000 RUST_LOG="${RUST_LOG:-warn}" \
    LEPTOS_SITE_ROOT="${LEPTOS_SITE_ROOT:-target/site}" \
    "$@" "$bin" >"$dir/server.log" 2>&1 &
  CHIRP_SERVICE_PIDS+=("$!")
  CHIRP_PID=$!
  CHIRP_LOG="$dir/server.log"
  export CHIRP_BASE="http://127.0.0.1:$port"
  for _ in $(seq 1 300); do
    curl -fsS -o /dev/null "$CHIRP_BASE/healthz" 2>/dev/null && return 0
    kill -0 "$CHIRP_PID" 2>/dev/null || break
    sleep 0.1
  done
  echo "services: chirp on $store did not start:" >&2
  tail -20 "$CHIRP_LOG" >&2
  return 1
}

# stop_chirp: SIGTERM the server start_chirp started and wait for it.
stop_chirp() {
  kill -TERM "$CHIRP_PID" 2>/dev/null || true
  wait "$CHIRP_PID" 2>/dev/null || true
}
