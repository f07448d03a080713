#!/usr/bin/env bash
# Load, scale and fault harness: the release server on the embedded store,
# wrk as a separate process on loopback. Prints a table at the end (also
# saved to target/bench/last-run.md).
#
#   scripts/bench.sh           everything (about 4 minutes on 2 cores)
#   scripts/bench.sh --quick   fault checks + short timeline and write runs (CI)
#
# Speed figures never fail the run. Correctness checks do (exit 1): tweets
# answered 201 missing from the store, unexpected 5xx, a failed
# integrity_check, the write-lock, slow-socket and SIGTERM checks.
#
# Set CHIRP_BENCH_NO_BUILD=1 to use target/release as it is.
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$CHIRP_ROOT"

QUICK=0
for arg in "$@"; do
  case "$arg" in
    --quick) QUICK=1 ;;
    -h | --help) sed -n '2,13p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "unknown argument: $arg (try --help)" >&2; exit 2 ;;
  esac
done

started=$SECONDS
HOST=127.0.0.1
PORT=${CHIRP_BENCH_PORT:-3200}
CEILING_PORT=$((PORT + 1))
BASE="http://$HOST:$PORT"
BIN=target/release/chirp-server
CEILING=target/release/chirp-ceiling
HELPER=bench/helper.py
WORK="$(mktemp -d /tmp/chirp-bench.XXXXXX)"
ROWS="$WORK/rows.md"
FAILURES="$WORK/failures"
: >"$ROWS"
: >"$FAILURES"

if [ "$QUICK" = 1 ]; then
  READ_SECS=4 WRITE_SECS=4 FILL_SIZES=(10000)
  KILL_SECS=4 HEADER_TIMEOUT=3 SLOW_SECS=8
else
  READ_SECS=10 WRITE_SECS=10 FILL_SIZES=(10000 100000 1000000)
  KILL_SECS=6 HEADER_TIMEOUT=10 SLOW_SECS=16
fi

say() { printf '\033[1mbench:\033[0m %s\n' "$*" >&2; }
fail() {
  printf '\033[1;31mbench: FAILED: %s\033[0m\n' "$*" >&2
  echo "$*" >>"$FAILURES"
}
row() { printf '| %s |\n' "$(IFS='|'; echo "$*" | sed 's/|/ | /g')" >>"$ROWS"; }
section() { printf '| **%s** | | | | | |\n' "$*" >>"$ROWS"; }
# Field of a wrk RESULT line: field <line> <name>
# (empty when missing: a missing figure is reported as such, not a crash).
field() { { grep -o "\b$2=[^ ]*" <<<"$1" || true; } | head -1 | cut -d= -f2; }
num() { printf "%'.0f" "$1"; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.0f%%", 100 * a / b; else print "n/a" }'; }

# --- Tools and build ---------------------------------------------------------
command -v wrk >/dev/null || scripts/bootstrap.sh
command -v wrk >/dev/null || { echo "bench: wrk is missing (apt-get install wrk)" >&2; exit 1; }
command -v python3 >/dev/null || { echo "bench: python3 is missing" >&2; exit 1; }
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
if [ "${CHIRP_BENCH_NO_BUILD:-0}" != 1 ]; then
  if ! ls target/site/pkg/*.wasm >/dev/null 2>&1; then
    say "no built site: scripts/build-release.sh"
    scripts/build-release.sh
  fi
  # With the arguments and LEPTOS_* variables cargo-leptos uses for the
  # server (leptos reads LEPTOS_OUTPUT_NAME at compile time), so this reuses
  # its build rather than rebuilding the server with other settings.
  say "cargo build --release -p server (chirp-server, chirp-ceiling)"
  LEPTOS_OUTPUT_NAME=chirp LEPTOS_SITE_ROOT=target/site LEPTOS_SITE_PKG_DIR=pkg \
    LEPTOS_SITE_ADDR=127.0.0.1:3000 LEPTOS_RELOAD_PORT=3001 LEPTOS_LIB_DIR=frontend \
    LEPTOS_BIN_DIR=server LEPTOS_JS_MINIFY=true LEPTOS_HASH_FILES=true \
    cargo build -q --package=server --bin=chirp-server --bin=chirp-ceiling --no-default-features --release
fi

# --- Processes ---------------------------------------------------------------
SERVER_PID=""
CEILING_PID=""
SAMPLER_PID=""
OTHER_PIDS=()
cleanup() {
  for pid in $SAMPLER_PID $CEILING_PID $SERVER_PID "${OTHER_PIDS[@]}"; do
    kill -9 "$pid" 2>/dev/null || true
  done
  # The servers' logs (warnings and errors only), to find why a check failed.
  mkdir -p target/bench
  cp "$WORK/server.log" target/bench/server.log 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT

# start_server <data dir> [VAR=value ...]: the release server on $PORT.
start_server() {
  local dir="$1"
  shift
  env CHIRP_ADDR="$HOST:$PORT" CHIRP_DATA_DIR="$dir" CHIRP_INSECURE_COOKIES=1 \
    CHIRP_AUTH_RATE_BURST=100000000 \
    CHIRP_POST_RATE_BURST=100000000 CHIRP_PROFILE_RATE_BURST=100000000 RUST_LOG=warn LEPTOS_SITE_ROOT=target/site \
    "$@" "$BIN" >>"$WORK/server.log" 2>&1 &
  SERVER_PID=$!
  for _ in $(seq 1 200); do
    curl -fsS -o /dev/null "$BASE/healthz" 2>/dev/null && return 0
    kill -0 "$SERVER_PID" 2>/dev/null || break
    sleep 0.05
  done
  tail -20 "$WORK/server.log" >&2
  echo "bench: the server did not start" >&2
  exit 1
}

# stop_server: SIGTERM, wait; a non-zero exit code fails the run.
stop_server() {
  local code=0
  stop_sampler
  kill -TERM "$SERVER_PID" 2>/dev/null || true
  wait "$SERVER_PID" || code=$?
  SERVER_PID=""
  [ "$code" = 0 ] || fail "the server exited with $code on SIGTERM"
}

rss_kb() { awk '/^VmRSS/ { print $2 }' "/proc/$1/status" 2>/dev/null || echo 0; }
mb() { awk -v kb="$1" 'BEGIN { printf "%.0f MB", kb / 1024 }'; }

# Samples the server's RSS every 100 ms; stop_sampler prints the peak (kB).
start_sampler() {
  local pid="$SERVER_PID" out="$WORK/peak"
  echo 0 >"$out"
  (
    peak=0
    while kill -0 "$pid" 2>/dev/null; do
      now=$(rss_kb "$pid")
      if [ "${now:-0}" -gt "$peak" ]; then peak=$now && echo "$peak" >"$out"; fi
      sleep 0.1
    done
  ) &
  SAMPLER_PID=$!
}
stop_sampler() {
  if [ -n "$SAMPLER_PID" ]; then
    kill "$SAMPLER_PID" 2>/dev/null || true
    wait "$SAMPLER_PID" 2>/dev/null || true
    SAMPLER_PID=""
  fi
}
peak_kb() { cat "$WORK/peak"; }

fill() { # fill <data dir> <tweets> [fill-tweets arguments]: prints its JSON report
  local dir="$1"
  shift
  CHIRP_DATA_DIR="$dir" RUST_LOG=warn "$BIN" fill-tweets "$@" 2>>"$WORK/server.log"
}
json() { python3 -c "import json,sys; print(json.load(sys.stdin)[sys.argv[1]])" "$1"; }

login_cookie() { # login_cookie <username>: "chirp_session=..."
  curl -fsS -D - -o /dev/null -H 'content-type: application/json' \
    -d "{\"username\":\"$1\",\"password\":\"bench-password\"}" "$BASE/api/v1/auth/login" |
    tr -d '\r' | sed -n 's/^[Ss]et-[Cc]ookie: \([^;]*\).*/\1/p' | head -1
}

# wrk_run <connections> <seconds> <script> <url> [extra wrk args]: RESULT line
wrk_run() {
  local c="$1" d="$2" script="$3" url="$4"
  shift 4
  local threads=2
  [ "$c" -lt 2 ] && threads=1
  local out
  out=$(wrk -t"$threads" -c"$c" -d"${d}s" --timeout 10s -s "bench/$script" "$@" "$url" 2>&1 || true)
  if grep -q '^RESULT' <<<"$out"; then
    grep '^RESULT' <<<"$out"
  else
    printf 'bench: wrk gave no result:\n%s\n' "$(tail -5 <<<"$out")" >&2
    echo "RESULT requests=0 rps=0 p50_ms=0 p99_ms=0 non2xx=0 connect_errors=1"
  fi
}

# Read scenario row: label, RESULT line, ceiling rps (or empty), note.
read_row() {
  local label="$1" r="$2" ceiling="$3" note="${4:-}"
  local rps share=""
  rps=$(field "$r" rps)
  [ -n "$ceiling" ] && share=$(ratio "$rps" "$ceiling")
  row "$label" "$(num "$rps") req/s" "$(field "$r" p50_ms) ms" "$(field "$r" p99_ms) ms" "$share" "$note"
  local bad non2xx connect timeouts
  non2xx=$(field "$r" non2xx) connect=$(field "$r" connect_errors) timeouts=$(field "$r" timeouts)
  bad=$((${non2xx:-0} + ${connect:-0} + ${timeouts:-0}))
  if [ "$bad" -gt 0 ]; then
    fail "$label: $(field "$r" non2xx) non-2xx answers, $(field "$r" connect_errors) connect errors, $(field "$r" timeouts) timeouts"
  fi
}

cores=$(nproc)
mem=$(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo)
cpu=$(sed -n 's/^model name[^:]*: //p' /proc/cpuinfo | head -1)
say "$( [ "$QUICK" = 1 ] && echo quick || echo full) run on $cores cores, $mem ($cpu), $(date -u '+%Y-%m-%d %H:%M UTC')"

# --- Scenarios 1, 2, 7: ceiling, timeline reads at each size, memory ---------
DATA="$WORK/reads"
mkdir -p "$DATA"
filled=0
ceiling_rps=""
for size in "${FILL_SIZES[@]}"; do
  t0=$SECONDS
  report=$(fill "$DATA" $((size - filled)))
  filled=$size
  deep=$("$HELPER" id-at "$DATA/chirp.sqlite3" $((size / 10)))
  say "filled the store to $(num "$size") tweets in $(json seconds <<<"$report" | cut -c1-5) s (fill-tweets)"
  [ "$size" = "${FILL_SIZES[0]}" ] && row "fill-tweets to $(num "$size")" "$(json seconds <<<"$report" | cut -c1-5) s" "" "" "" "bulk load, same rows as the API writes"
  [ "$size" != "${FILL_SIZES[0]}" ] && row "fill-tweets to $(num "$size")" "$(json seconds <<<"$report" | cut -c1-5) s" "" "" "" ""

  start_server "$DATA"
  sleep 1
  idle=$(rss_kb "$SERVER_PID")

  if [ -z "$ceiling_rps" ]; then
    # Scenario 1: the same bytes as this 20-tweet page, from memory.
    curl -fsS "$BASE/api/v2/tweets?limit=20" >"$WORK/page.json"
    "$CEILING" "$HOST:$CEILING_PORT" "$WORK/page.json" &
    CEILING_PID=$!
    for _ in $(seq 1 100); do curl -fsS -o /dev/null "http://$HOST:$CEILING_PORT/" 2>/dev/null && break; sleep 0.05; done
    say "scenario 1: the ceiling ($(stat -c %s "$WORK/page.json") bytes from memory), 64 connections, ${READ_SECS} s"
    r=$(wrk_run 64 "$READ_SECS" report.lua "http://$HOST:$CEILING_PORT/api/v2/tweets?limit=20")
    ceiling_rps=$(field "$r" rps)
    section "Reads at 64 connections (share of the ceiling measured in this run)"
    read_row "1. ceiling: minimal axum handler, same $(stat -c %s "$WORK/page.json") bytes from memory" "$r" "$ceiling_rps"
    kill "$CEILING_PID" && wait "$CEILING_PID" 2>/dev/null || true
    CEILING_PID=""
    # Not a scenario: the same server's cheapest route, through every layer
    # (shedding, timeout, CSRF, headers, error shape, tracing) but no store.
    r=$(wrk_run 64 "$READ_SECS" report.lua "$BASE/healthz")
    read_row "reference: \`GET /healthz\` on the same server (all layers, no store)" "$r" "$ceiling_rps"
  fi

  start_sampler
  say "scenario 2: timeline at $(num "$size") tweets, 64 connections, ${READ_SECS} s"
  r=$(wrk_run 64 "$READ_SECS" report.lua "$BASE/api/v2/tweets?limit=20")
  read_row "2. \`GET /api/v2/tweets?limit=20\`, $(num "$size") tweets" "$r" "$ceiling_rps"
  eval "p99_newest_$size=$(field "$r" p99_ms)"
  eval "rps_newest_$size=$(field "$r" rps)"
  r=$(wrk_run 64 "$READ_SECS" report.lua "$BASE/api/v2/tweets?limit=20&max_id=$deep")
  read_row "2. … \`&max_id=\` 10% from the oldest, $(num "$size") tweets" "$r" "$ceiling_rps"
  eval "p99_deep_$size=$(field "$r" p99_ms)"
  peak=$(peak_kb)

  if [ "$size" = 100000 ]; then
    # Scenario 3: the server-rendered home page for a logged-in user.
    cookie=$(login_cookie bench_0)
    if ! curl -fsS -H "Cookie: $cookie" "$BASE/" | grep -q 'bench_'; then
      fail "the home page for a logged-in user does not show the timeline"
    fi
    say "scenario 3: server-rendered home page, logged in, 64 connections, ${READ_SECS} s"
    r=$(BENCH_COOKIE="$cookie" wrk_run 64 "$READ_SECS" report.lua "$BASE/")
    read_row "3. server-rendered \`/\`, logged in, 20 tweets, $(num "$size") tweets" "$r" "$ceiling_rps" "HTML $(curl -fsS -H "Cookie: $cookie" "$BASE/" | wc -c) bytes"
  fi

  if [ "$size" = 1000000 ] && command -v perf >/dev/null && [ "${CHIRP_BENCH_PROFILE:-1}" = 1 ]; then
    say "profile: perf record of the timeline at 1M (not part of the figures)"
    wrk -t2 -c64 -d8s "$BASE/api/v2/tweets?limit=20" >/dev/null 2>&1 &
    wrk_pid=$!
    sleep 1
    perf record -F 499 -g -p "$SERVER_PID" -o "$WORK/perf.data" -- sleep 5 >/dev/null 2>&1 || true
    wait "$wrk_pid" || true
    perf report -i "$WORK/perf.data" --no-children --sort dso,symbol --stdio --percent-limit 1.2 -g none 2>/dev/null |
      grep -E '^ +[0-9]' | head -25 >"$WORK/profile.txt" || true
    mkdir -p target/bench
    cp "$WORK/profile.txt" target/bench/profile-timeline-1m.txt
  fi
  stop_server
  row "7. RSS idle after start, $(num "$size") tweets" "$(mb "$idle")" "" "" "" "peak during scenario 2: $(mb "$peak")"
done

last=${FILL_SIZES[-1]}
first=${FILL_SIZES[0]}

# --- Scenario 8: the social graph --------------------------------------------
# Home (whom you follow, and you) is read per reader, everyone's timeline
# is one page for all: the first is measured against the second, both read
# by many logged-in readers in turn (bench/rotate.lua), and against the
# ceiling of this run.
SOCIAL_TWEETS=${CHIRP_BENCH_SOCIAL_TWEETS:-1000000} SOCIAL_USERS=${CHIRP_BENCH_SOCIAL_USERS:-10000}
SOCIAL_FOLLOWS=200 THREAD=500
[ "$QUICK" = 1 ] || {
DATA="$WORK/social"
mkdir -p "$DATA"
say "scenario 8: filling $(num "$SOCIAL_USERS") users following $SOCIAL_FOLLOWS each, $(num "$SOCIAL_TWEETS") tweets, threads of $THREAD"
report=$(fill "$DATA" "$SOCIAL_TWEETS" "$SOCIAL_USERS" --follows "$SOCIAL_FOLLOWS" --thread "$THREAD")
section "The social graph: $(num "$SOCIAL_USERS") users following $SOCIAL_FOLLOWS each, $(num "$SOCIAL_TWEETS") tweets (64 connections unless said)"
row "8. fill-tweets $SOCIAL_TWEETS $SOCIAL_USERS --follows $SOCIAL_FOLLOWS --thread $THREAD" "$(json seconds <<<"$report" | cut -c1-5) s" "" "" "" "$(num "$(json follows <<<"$report")") follows, each its follower's event"
start_server "$DATA"
READERS=32
for i in $(seq 0 $((READERS - 1))); do login_cookie "bench_$((i * SOCIAL_USERS / READERS))"; done >"$WORK/cookies"
[ "$(grep -c chirp_session "$WORK/cookies")" = "$READERS" ] || fail "social: not every reader could log in"
home_shows=$(curl -fsS -H "Cookie: $(head -1 "$WORK/cookies")" "$BASE/api/v2/timelines/home?limit=20" |
  python3 -c 'import json,sys; print(len({t["tweetedby"] for t in json.load(sys.stdin)["tweets_list"]}))')
[ "$home_shows" -gt 1 ] || fail "social: bench_0's home shows $home_shows authors, expected those it follows"
r=$(wrk_run 64 "$READ_SECS" report.lua "$BASE/api/v2/tweets?limit=20")
read_row "8. everyone's timeline, logged out" "$r" "$ceiling_rps"
r=$(COOKIES_FILE="$WORK/cookies" wrk_run 64 "$READ_SECS" rotate.lua "$BASE/api/v2/tweets?limit=20")
read_row "8. everyone's timeline, $READERS readers logged in" "$r" "$ceiling_rps"
p99_everyone=$(field "$r" p99_ms)
r=$(COOKIES_FILE="$WORK/cookies" wrk_run 64 "$READ_SECS" rotate.lua "$BASE/api/v2/timelines/home?limit=20")
p99_home=$(field "$r" p99_ms)
home_share=$(ratio "$(field "$r" rps)" "$ceiling_rps")
read_row "8. \`GET /api/v2/timelines/home?limit=20\`, $READERS readers" "$r" "$ceiling_rps" "p99 $(awk -v a="$p99_home" -v b="$p99_everyone" 'BEGIN { printf "%.2f", a / b }')× everyone's logged in"
r=$(COOKIES_FILE="$WORK/cookies" wrk_run 64 "$READ_SECS" rotate.lua "$BASE/")
read_row "8. server-rendered home \`/\`, $READERS readers" "$r" "$ceiling_rps"
root=$(json thread_root <<<"$report")
tip=$(json chain_tip <<<"$report")
r=$(wrk_run 1 "$READ_SECS" report.lua "$BASE/t/$root")
p99_thread=$(field "$r" p99_ms)
read_row "8. server-rendered \`/t/<id>\` of a tweet with $THREAD replies, 1 connection" "$r" "" "HTML $(curl -fsS "$BASE/t/$root" | wc -c) bytes (the first page of replies)"
r=$(wrk_run 1 "$READ_SECS" report.lua "$BASE/t/$tip")
p99_chain=$(field "$r" p99_ms)
read_row "8. … the last of a chain of $THREAD replies, 1 connection" "$r" "" "HTML $(curl -fsS "$BASE/t/$tip" | wc -c) bytes (the nearest 50 above it)"
r=$(wrk_run 64 "$READ_SECS" report.lua "$BASE/api/v2/search/tweets?q=coffee")
p99_search=$(field "$r" p99_ms)
read_row "8. \`GET /api/v2/search/tweets?q=coffee\` (one tweet in 8 has it)" "$r" "$ceiling_rps"
r=$(wrk_run 64 "$READ_SECS" report.lua "$BASE/api/v2/search/tweets?q=benchmark+tomorrow+$((SOCIAL_TWEETS / 2 + 3))")
read_row "8. … three words, one tweet has them all" "$r" "$ceiling_rps"
p99_search=$(awk -v a="$p99_search" -v b="$(field "$r" p99_ms)" 'BEGIN { print (a > b) ? a : b }')
r=$(wrk_run 64 "$READ_SECS" report.lua "$BASE/api/v2/search/users?q=bench_12")
read_row "8. \`GET /api/v2/search/users?q=bench_12\` (a name prefix)" "$r" "$ceiling_rps"
p99_search=$(awk -v a="$p99_search" -v b="$(field "$r" p99_ms)" 'BEGIN { print (a > b) ? a : b }')
stop_server
met() { awk "BEGIN { print ($1) ? \"met\" : \"NOT met\" }"; }
social_targets="home p99 ≤ 2× everyone's: $p99_home vs $p99_everyone ms ($(met "$p99_home <= 2 * $p99_everyone")); home ≥ 25% of the ceiling: $home_share ($(met "${home_share%\%} >= 25")); threads of $THREAD replies ≤ 50 ms: p99 $p99_thread and $p99_chain ms ($(met "$p99_thread <= 50 && $p99_chain <= 50")); search p99 ≤ 50 ms: worst $p99_search ms ($(met "$p99_search <= 50"))."
}

# --- Scenario 4 + fault: writes; SIGKILL during writes -----------------------
DATA="$WORK/writes"
mkdir -p "$DATA"
fill "$DATA" 1000 >/dev/null
start_server "$DATA"
cookie=$(login_cookie bench_0)
before=$("$HELPER" count "$DATA/chirp.sqlite3")
say "scenario 4: authenticated POST /api/v2/tweets, 16 connections, ${WRITE_SECS} s"
r=$(BENCH_COOKIE="$cookie" IDS_FILE="$WORK/ids" wrk_run 16 "$WRITE_SECS" post.lua "$BASE/api/v2/tweets")
created=$(field "$r" s201)
created=${created:-0}
sent=$(field "$r" sent)
after=$("$HELPER" count "$DATA/chirp.sqlite3")
new=$((after - before))
others=$(grep -o '\bs[0-9]*=' <<<"$r" | grep -vc '^s201=' || true)
section "Writes"
row "4. \`POST /api/v2/tweets\`, 16 connections" "$(num "$(awk -v n="$created" -v s="$(field "$r" seconds)" 'BEGIN { print n / s }')") tweets/s" "$(field "$r" p50_ms) ms" "$(field "$r" p99_ms) ms" "" "$created answered 201; $new new rows; $((sent - created)) requests cut off by wrk's stop"
ids_check=$("$HELPER" check-ids "$DATA/chirp.sqlite3" "$WORK/ids") || fail "writes: tweets answered 201 are missing: $ids_check"
# wrk abandons the requests in flight when its time is up: those may be
# stored without their 201 having been read, never the other way round.
if [ "$new" -lt "$created" ] || [ "$new" -gt "$sent" ]; then
  fail "writes: $created answered 201, $sent sent, but $new new tweets in the store"
fi
[ "$others" = 0 ] || fail "writes: answers other than 201: $r"
[ "$created" -gt 0 ] || fail "writes: no tweet was created"
row "4. store after the run" "$new new tweets" "" "" "" "every 201 id stored: $ids_check"

say "fault: SIGKILL during writes, then restart"
before=$("$HELPER" count "$DATA/chirp.sqlite3")
BENCH_COOKIE="$cookie" IDS_FILE="$WORK/killed-ids" wrk_run 16 "$KILL_SECS" post.lua "$BASE/api/v2/tweets" >"$WORK/kill-result" &
wrk_pid=$!
sleep $((KILL_SECS / 2))
kill -9 "$SERVER_PID"
wait "$SERVER_PID" 2>/dev/null || true
SERVER_PID=""
wait "$wrk_pid" || true
r=$(cat "$WORK/kill-result")
acked=$(field "$r" s201)
start_server "$DATA"
ids_check=$("$HELPER" check-ids "$DATA/chirp.sqlite3" "$WORK/killed-ids") || fail "SIGKILL: tweets answered 201 lost: $ids_check"
integrity=$("$HELPER" integrity "$DATA/chirp.sqlite3") || fail "SIGKILL: integrity_check says $integrity"
section "Faults (each fails the run when violated)"
row "SIGKILL mid-writes, restart" "${acked:-0} answered 201 before the kill" "" "" "" "after restart: $ids_check; integrity_check: $integrity"

# --- Fault: another process holds the write lock -------------------------------
post_tweet() { # prints "status seconds retry-after"
  curl -sS -o /dev/null -D "$WORK/post-headers" -w '%{http_code} %{time_total}' \
    -H "Cookie: $cookie" -H 'content-type: application/json' \
    -d '{"body":"written while another process holds the lock"}' "$BASE/api/v2/tweets"
  printf ' %s\n' "$(tr -d '\r' <"$WORK/post-headers" | sed -n 's/^[Rr]etry-[Aa]fter: //p')"
}
say "fault: another process holds the SQLite write lock for 3 s"
"$HELPER" hold-lock "$DATA/chirp.sqlite3" 3 >"$WORK/lock3" &
lock_pid=$!
until grep -q locked "$WORK/lock3" 2>/dev/null; do sleep 0.05; done
read -r status secs _ <<<"$(post_tweet)"
wait "$lock_pid"
[ "$status" = 201 ] || fail "write lock held 3 s: the write got $status, expected to wait and succeed"
row "write lock held 3 s" "POST → $status after ${secs} s" "" "" "" "waits (busy_timeout 5 s), then succeeds"

say "fault: another process holds the SQLite write lock for 8 s"
pid_before=$SERVER_PID
"$HELPER" hold-lock "$DATA/chirp.sqlite3" 8 >"$WORK/lock8" &
lock_pid=$!
until grep -q locked "$WORK/lock8" 2>/dev/null; do sleep 0.05; done
read -r status secs retry <<<"$(post_tweet)"
[ "$status" = 503 ] && [ -n "$retry" ] || fail "write lock held 8 s: the write got $status (Retry-After: '${retry}'), expected 503 with Retry-After"
wait "$lock_pid"
read -r status2 secs2 _ <<<"$(post_tweet)"
[ "$status2" = 201 ] && [ "$SERVER_PID" = "$pid_before" ] && kill -0 "$SERVER_PID" ||
  fail "write lock released: the write got $status2, expected 201 from the same process"
row "write lock held 8 s" "POST → $status after ${secs} s, Retry-After: $retry" "" "" "" "after release: POST → $status2 (same process, no restart)"
stop_server

# --- Fault: slow sockets (slowloris) ---------------------------------------------
DATA="$WORK/slow"
mkdir -p "$DATA"
fill "$DATA" 10000 >/dev/null
start_server "$DATA" CHIRP_HEADER_READ_TIMEOUT_SECS="$HEADER_TIMEOUT"
say "fault: 200 sockets trickling a header byte every 2 s (header timeout ${HEADER_TIMEOUT} s), probes meanwhile"
"$HELPER" slowloris "$HOST" "$PORT" 200 2 "$SLOW_SECS" >"$WORK/slow-result" &
slow_pid=$!
sleep 1
probe_secs=$((HEADER_TIMEOUT + 2))
PROBE_DELAY_MS=20 wrk_run 4 "$probe_secs" report.lua "$BASE/healthz" >"$WORK/probe-health" &
probe_pid=$!
r=$(PROBE_DELAY_MS=20 wrk_run 4 "$probe_secs" report.lua "$BASE/api/v2/tweets?limit=20")
wait "$probe_pid" || true
h=$(cat "$WORK/probe-health")
wait "$slow_pid" || true
s=$(grep '^RESULT' "$WORK/slow-result" || echo "RESULT opened=0 closed=0 still_open=200")
for probe in "$h" "$r"; do
  p99=$(field "$probe" p99_ms)
  awk -v p="$p99" 'BEGIN { exit !(p < 100) }' || fail "slow sockets: a probe's p99 is $p99 ms (≥ 100 ms)"
  [ "$(field "$probe" non2xx)" = 0 ] && [ "$(field "$probe" requests)" -gt 0 ] || fail "slow sockets: probe failed: $probe"
done
[ "$(field "$s" closed)" = 200 ] || fail "slow sockets: not all closed by the header timeout: $s"
row "200 slow sockets, 1 header byte / 2 s" "\`/healthz\` p99 $(field "$h" p99_ms) ms" "timeline p99 $(field "$r" p99_ms) ms" "" "" "closed by the server: $(field "$s" closed)/200, after ${HEADER_TIMEOUT} s timeout (median $(field "$s" median_close_s) s, max $(field "$s" max_close_s) s)"
stop_server

# --- Fault: slow request bodies (H-1) ---------------------------------------------
# Bodies are read before a request takes one of the 512 slots, and within
# the body-read timeout: 2,000 trickling connections (from ten loopback
# addresses, as the per-address cap is 256) must not slow anyone else.
start_server "$DATA" CHIRP_BODY_READ_TIMEOUT_SECS="$HEADER_TIMEOUT"
say "fault: 2,000 connections trickling a POST body byte every 1 s (body timeout ${HEADER_TIMEOUT} s), probes meanwhile"
"$HELPER" slowbody "$HOST" "$PORT" 2000 1 "$SLOW_SECS" 10 >"$WORK/slowbody-result" &
slow_pid=$!
sleep 2
PROBE_DELAY_MS=20 wrk_run 4 "$probe_secs" report.lua "$BASE/healthz" >"$WORK/probe-health" &
probe_pid=$!
r=$(PROBE_DELAY_MS=20 wrk_run 4 "$probe_secs" report.lua "$BASE/api/v2/tweets?limit=20")
wait "$probe_pid" || true
h=$(cat "$WORK/probe-health")
wait "$slow_pid" || true
s=$(grep '^RESULT' "$WORK/slowbody-result" || echo "RESULT opened=0 closed=0 s408=0")
for probe in "$h" "$r"; do
  p99=$(field "$probe" p99_ms)
  awk -v p="$p99" 'BEGIN { exit !(p < 100) }' || fail "slow bodies: a probe's p99 is $p99 ms (≥ 100 ms)"
  [ "$(field "$probe" non2xx)" = 0 ] && [ "$(field "$probe" requests)" -gt 0 ] || fail "slow bodies: probe failed: $probe"
done
[ "$(field "$s" opened)" = 2000 ] && [ "$(field "$s" s408)" = 2000 ] ||
  fail "slow bodies: not every trickling request got its 408: $s"
row "2,000 slow bodies, 1 byte / s" "\`/healthz\` p99 $(field "$h" p99_ms) ms" "timeline p99 $(field "$r" p99_ms) ms" "" "" "answered 408 by the server: $(field "$s" s408)/2,000 after the ${HEADER_TIMEOUT} s body timeout (median $(field "$s" median_close_s) s, max $(field "$s" max_close_s) s)"
stop_server

# --- Fault: SIGTERM under load ---------------------------------------------------------
start_server "$DATA"
say "fault: SIGTERM under load"
wrk_run 32 4 report.lua "$BASE/api/v2/tweets?limit=20" >"$WORK/term-load" &
load_pid=$!
sleep 1
# Ten logins, each a bcrypt verification at cost 12 (two at a time): in
# flight for about a second, longer than the shutdown takes to begin.
for i in $(seq 1 10); do
  curl -sS -o /dev/null -w '%{http_code}\n' -H 'content-type: application/json' \
    -d '{"username":"bench_0","password":"bench-password"}' "$BASE/api/v1/auth/login" >"$WORK/inflight-$i" 2>&1 &
  OTHER_PIDS+=($!)
done
sleep 0.2
kill -TERM "$SERVER_PID"
sleep 0.1
if curl -sS -o /dev/null --max-time 2 "$BASE/healthz" 2>/dev/null; then
  fail "SIGTERM: a new connection was accepted after the signal"
  accepted_after=yes
else
  accepted_after=no
fi
code=0
wait "$SERVER_PID" || code=$?
SERVER_PID=""
for pid in "${OTHER_PIDS[@]}"; do wait "$pid" || true; done
OTHER_PIDS=()
wait "$load_pid" || true
inflight_ok=$(cat "$WORK"/inflight-* | grep -c '^200$' || true)
[ "$inflight_ok" = 10 ] || fail "SIGTERM: $inflight_ok of 10 in-flight logins completed ($(cat "$WORK"/inflight-* | tr '\n' ' '))"
[ "$code" = 0 ] || fail "SIGTERM: exit code $code"
lr=$(cat "$WORK/term-load")
[ "$(field "$lr" non2xx)" = 0 ] || fail "SIGTERM: 5xx/4xx under load: $lr"
row "SIGTERM under load" "exit code $code" "" "" "" "in-flight logins completed: $inflight_ok/10; new connection accepted after SIGTERM: $accepted_after; non-2xx under load: $(field "$lr" non2xx)"

if [ "$QUICK" = 0 ]; then
  # --- Scenario 5: login storm ----------------------------------------------------------
  DATA="$WORK/storm-data"
  mkdir -p "$DATA"
  fill "$DATA" 100000 >/dev/null
  start_server "$DATA"
  say "scenario 5: 20 concurrent logins for 20 s; /healthz and the timeline probed meanwhile"
  BENCH_USER=bench_1 BENCH_PASSWORD=bench-password wrk_run 20 20 login.lua "$BASE/api/v1/auth/login" >"$WORK/storm" &
  storm_pid=$!
  sleep 1
  PROBE_DELAY_MS=20 wrk_run 4 18 report.lua "$BASE/healthz" >"$WORK/storm-health" &
  probe_pid=$!
  r=$(PROBE_DELAY_MS=20 wrk_run 4 18 report.lua "$BASE/api/v2/tweets?limit=20")
  wait "$probe_pid" || true
  wait "$storm_pid" || true
  h=$(cat "$WORK/storm-health")
  l=$(cat "$WORK/storm")
  section "Login storm (20 concurrent logins, bcrypt cost 12, for 20 s)"
  row "5. logins" "$(field "$l" rps) logins/s" "$(field "$l" p50_ms) ms" "$(field "$l" p99_ms) ms" "" "non-2xx: $(field "$l" non2xx)"
  row "5. \`/healthz\` meanwhile (4 connections, 20 ms pacing)" "$(num "$(field "$h" rps)") req/s" "$(field "$h" p50_ms) ms" "$(field "$h" p99_ms) ms" "" "target p99 < 50 ms: $(awk -v p="$(field "$h" p99_ms)" 'BEGIN { print (p < 50) ? "met" : "NOT met" }')"
  row "5. timeline meanwhile (4 connections, 20 ms pacing)" "$(num "$(field "$r" rps)") req/s" "$(field "$r" p50_ms) ms" "$(field "$r" p99_ms) ms" "" "target p99 < 50 ms: $(awk -v p="$(field "$r" p99_ms)" 'BEGIN { print (p < 50) ? "met" : "NOT met" }')"
  [ "$(field "$l" non2xx)" = 0 ] || fail "login storm: logins failed: $l"
  [ "$(field "$h" non2xx)" = 0 ] && [ "$(field "$r" non2xx)" = 0 ] || fail "login storm: probes failed"

  # --- Scenario 6: overload ------------------------------------------------------------
  # wrk's 2,000 connections all come from 127.0.0.1, and 2,000 clients would
  # come from as many addresses: the per-address cap (256) is lifted here,
  # or it, not the shedder, would be what this measures.
  stop_server
  start_server "$DATA" CHIRP_MAX_CONNECTIONS_PER_IP=100000
  say "scenario 6: 2,000 connections on the timeline, 15 s, one client probing meanwhile"
  start_sampler
  "$HELPER" probe "$HOST" "$PORT" "/api/v2/tweets?limit=20" 13 >"$WORK/overload-probe" &
  probe_pid=$!
  r=$(wrk_run 2000 15 statuses.lua "$BASE/api/v2/tweets?limit=20")
  wait "$probe_pid" || true
  p=$(grep '^RESULT' "$WORK/overload-probe" || echo "RESULT ok=0 shed=0")
  peak=$(peak_kb)
  ok=$(field "$r" s200)
  shed=$(field "$r" s503)
  section "Overload: 2,000 connections (CHIRP_MAX_CONCURRENT_REQUESTS=512)"
  row "6. timeline, 100,000 tweets, all answers (wrk)" "$(num "$(field "$r" rps)") req/s" "$(field "$r" p50_ms) ms" "$(field "$r" p99_ms) ms" "" "200: ${ok:-0} ($(num "$(awk -v n="${ok:-0}" -v s="$(field "$r" seconds)" 'BEGIN { print n / s }')")/s), shed 503: ${shed:-0} (without Retry-After: $(field "$r" retry_after_missing)), max $(field "$r" max_ms) ms; peak RSS $(mb "$peak")"
  row "6. … one more client meanwhile, requests one after another" "" "200s: $(field "$p" ok_p50_ms) ms" "200s: $(field "$p" ok_p99_ms) ms" "" "$(field "$p" ok) answered 200 (max $(field "$p" ok_max_ms) ms), $(field "$p" shed) shed (p99 $(field "$p" shed_p99_ms) ms), $(field "$p" other) other, $(field "$p" errors) connection errors"
  other=$(grep -o '\bs[0-9]*=' <<<"$r" | grep -vcE '^s(200|503)=' || true)
  [ "$other" = 0 ] || fail "overload: answers other than 200 and 503: $r"
  [ "$(field "$r" retry_after_missing)" = 0 ] || fail "overload: 503 without Retry-After"
  [ "$(field "$p" ok)" -gt 0 ] || fail "overload: the probing client got no answer: $p"
  stop_server
fi

# --- Table -------------------------------------------------------------------
elapsed=$((SECONDS - started))
table="$WORK/table.md"
{
  echo "\`scripts/bench.sh$([ "$QUICK" = 1 ] && echo ' --quick')\` on $cores cores, $mem ($cpu), $(date -u '+%Y-%m-%d %H:%M UTC'), took $((elapsed / 60)) min $((elapsed % 60)) s"
  echo
  echo "| scenario | throughput | p50 | p99 | share of ceiling | notes |"
  echo "|---|---:|---:|---:|---:|---|"
  cat "$ROWS"
  if [ "$QUICK" = 0 ]; then
    echo
    echo "Targets: timeline at 100k ≥ 50% of the ceiling: $(ratio "$rps_newest_100000" "$ceiling_rps") ($(awk -v a="$rps_newest_100000" -v b="$ceiling_rps" 'BEGIN { print (a >= b / 2) ? "met" : "NOT met" }'));" \
      "p99 at 1M within 2× of p99 at 10k: newest $p99_newest_1000000 vs $p99_newest_10000 ms ($(awk -v a="$p99_newest_1000000" -v b="$p99_newest_10000" 'BEGIN { print (a <= 2 * b) ? "met" : "NOT met" }')), deep page $p99_deep_1000000 vs $p99_deep_10000 ms ($(awk -v a="$p99_deep_1000000" -v b="$p99_deep_10000" 'BEGIN { print (a <= 2 * b) ? "met" : "NOT met" }'))."
  fi
  [ "$QUICK" = 1 ] || echo
  [ "$QUICK" = 1 ] || echo "Targets, the social graph ($(num "$SOCIAL_USERS") users × $SOCIAL_FOLLOWS follows, $(num "$SOCIAL_TWEETS") tweets): $social_targets"
  if [ -s "$WORK/profile.txt" ]; then
    echo
    echo "Top frames, \`perf record\` of the timeline at 1M (self time):"
    echo
    echo '```'
    cat "$WORK/profile.txt"
    echo '```'
  fi
} >"$table"
mkdir -p target/bench
cp "$table" target/bench/last-run.md
echo
cat "$table"
echo
if [ -s "$FAILURES" ]; then
  printf '\033[1;31mbench: %d correctness check(s) failed:\033[0m\n' "$(wc -l <"$FAILURES")"
  sed 's/^/  - /' "$FAILURES"
  exit 1
fi
echo "bench: every correctness check passed (speed figures are reported, never enforced)"
