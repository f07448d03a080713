#!/usr/bin/env python3
"""Small helpers for scripts/bench.sh that bash and curl cannot do well.

  count DB                          tweets in the store
  id-at DB OFFSET                   the id of the OFFSET-th oldest tweet
  check-ids DB IDS_FILE             every id in IDS_FILE is a stored tweet
  integrity DB                      PRAGMA integrity_check
  hold-lock DB SECONDS              hold SQLite's write lock (BEGIN IMMEDIATE)
  probe HOST PORT PATH SECONDS       one client sending requests one after
                                    another; latency of 200s and of 503s
                                    apart (wrk only knows all answers at once)
  slowloris HOST PORT N INTERVAL SECONDS
                                    N sockets trickling one header byte every
                                    INTERVAL s; reports when the server closed
                                    them
  slowbody HOST PORT N INTERVAL SECONDS SOURCES
                                    N sockets from SOURCES loopback addresses
                                    (127.0.0.2, ...) sending a POST's headers
                                    and then one body byte every INTERVAL s;
                                    reports the answers (408 expected) and
                                    when the server closed them
"""
import asyncio
import sqlite3
import sys
import time


def connect(db):
    conn = sqlite3.connect(db, timeout=30, isolation_level=None)
    conn.execute("PRAGMA busy_timeout = 30000")
    return conn


def count(db):
    print(connect(db).execute("SELECT count(*) FROM tweets").fetchone()[0])


def id_at(db, offset):
    row = connect(db).execute(
        "SELECT id FROM tweets ORDER BY id LIMIT 1 OFFSET ?", (int(offset),)
    ).fetchone()
    print(row[0])


def check_ids(db, ids_file):
    with open(ids_file) as f:
        ids = [int(line) for line in f if line.strip()]
    conn = connect(db)
    conn.execute("CREATE TEMP TABLE answered (id INTEGER PRIMARY KEY)")
    conn.executemany("INSERT OR IGNORE INTO answered VALUES (?)", [(i,) for i in ids])
    missing = conn.execute(
        "SELECT count(*) FROM answered WHERE id NOT IN (SELECT id FROM tweets)"
    ).fetchone()[0]
    print(f"answered={len(ids)} missing={missing}")
    sys.exit(1 if missing else 0)


def integrity(db):
    rows = [r[0] for r in connect(db).execute("PRAGMA integrity_check")]
    print(" ".join(rows))
    sys.exit(0 if rows == ["ok"] else 1)


def hold_lock(db, seconds):
    conn = connect(db)
    conn.execute("BEGIN IMMEDIATE")
    print("locked", flush=True)
    time.sleep(float(seconds))
    conn.execute("COMMIT")
    print("released", flush=True)


def probe(host, port, path, seconds):
    import http.client

    def pct(values, p):
        if not values:
            return 0.0
        values = sorted(values)
        return values[min(len(values) - 1, int(len(values) * p / 100))]

    ok, shed, other, errors = [], [], 0, 0
    conn = None
    end = time.monotonic() + float(seconds)
    while time.monotonic() < end:
        if conn is None:
            conn = http.client.HTTPConnection(host, int(port), timeout=15)
        started = time.monotonic()
        try:
            conn.request("GET", path)
            response = conn.getresponse()
            response.read()
        except (OSError, http.client.HTTPException):
            errors += 1
            conn.close()
            conn = None
            time.sleep(0.01)
            continue
        ms = (time.monotonic() - started) * 1000
        if response.status == 200:
            ok.append(ms)
        elif response.status == 503:
            shed.append(ms)
        else:
            other += 1
        if response.getheader("connection", "").lower() == "close":
            conn.close()
            conn = None
        time.sleep(0.005)
    print(
        f"RESULT ok={len(ok)} shed={len(shed)} other={other} errors={errors} "
        f"ok_p50_ms={pct(ok, 50):.1f} ok_p99_ms={pct(ok, 99):.1f} "
        f"ok_max_ms={max(ok, default=0):.1f} shed_p99_ms={pct(shed, 99):.1f}"
    )


async def slowloris(host, port, n, interval, seconds):
    start = time.monotonic()
    closed_after = []

    async def one(i):
        try:
            reader, writer = await asyncio.open_connection(host, int(port))
        except OSError:
            return "refused"
        writer.write(b"GET /healthz HTTP/1.1\r\nHost: bench\r\nX-Slow: ")
        await writer.drain()
        opened = time.monotonic()

        async def trickle():
            while True:
                await asyncio.sleep(float(interval))
                writer.write(b"a")
                await writer.drain()

        trickler = asyncio.ensure_future(trickle())
        reading = asyncio.ensure_future(reader.read())
        try:
            await asyncio.wait(
                {trickler, reading},
                timeout=float(seconds) - (opened - start),
                return_when=asyncio.FIRST_COMPLETED,
            )
        except Exception:
            pass
        done = reading.done() or trickler.done()
        trickler.cancel()
        reading.cancel()
        writer.close()
        if done:
            closed_after.append(time.monotonic() - opened)
            return "closed"
        return "open"

    results = await asyncio.gather(*(one(i) for i in range(int(n))))
    closed = sorted(closed_after)
    median = closed[len(closed) // 2] if closed else 0
    print(
        f"RESULT opened={sum(r != 'refused' for r in results)} "
        f"closed={results.count('closed')} still_open={results.count('open')} "
        f"median_close_s={median:.1f} max_close_s={(closed[-1] if closed else 0):.1f}"
    )


async def slowbody(host, port, n, interval, seconds, sources):
    import resource

    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (max(soft, min(hard, int(n) + 256)), hard))
    start = time.monotonic()
    statuses = {}
    closed_after = []
    head = (
        f"POST /api/v2/tweets HTTP/1.1\r\nHost: {host}\r\n"
        "Content-Type: application/json\r\nContent-Length: 4000\r\n\r\n"
    ).encode()

    async def one(i):
        source = f"127.0.0.{2 + i % int(sources)}"
        try:
            reader, writer = await asyncio.open_connection(host, int(port), local_addr=(source, 0))
        except OSError:
            return "refused"
        writer.write(head + b'{"body":"')
        await writer.drain()
        opened = time.monotonic()

        async def trickle():
            while True:
                await asyncio.sleep(float(interval))
                writer.write(b"a")
                await writer.drain()

        trickler = asyncio.ensure_future(trickle())
        reading = asyncio.ensure_future(reader.read())
        try:
            await asyncio.wait(
                {reading},
                timeout=float(seconds) - (opened - start),
            )
        except Exception:
            pass
        trickler.cancel()
        outcome = "open"
        if reading.done() and not reading.cancelled() and reading.exception() is None:
            answer = reading.result()
            status = answer.split(b" ")[1].decode() if answer.startswith(b"HTTP/") else "none"
            statuses[status] = statuses.get(status, 0) + 1
            closed_after.append(time.monotonic() - opened)
            outcome = "closed"
        reading.cancel()
        writer.close()
        return outcome

    results = await asyncio.gather(*(one(i) for i in range(int(n))))
    closed = sorted(closed_after)
    median = closed[len(closed) // 2] if closed else 0
    answers = ",".join(f"{k}:{v}" for k, v in sorted(statuses.items())) or "none"
    print(
        f"RESULT opened={sum(r != 'refused' for r in results)} "
        f"closed={results.count('closed')} still_open={results.count('open')} "
        f"s408={statuses.get('408', 0)} answers={answers} "
        f"median_close_s={median:.1f} max_close_s={(closed[-1] if closed else 0):.1f}"
    )


def main():
    command, args = sys.argv[1], sys.argv[2:]
    if command == "count":
        count(*args)
    elif command == "id-at":
        id_at(*args)
    elif command == "check-ids":
        check_ids(*args)
    elif command == "integrity":
        integrity(*args)
    elif command == "hold-lock":
        hold_lock(*args)
    elif command == "probe":
        probe(*args)
    elif command == "slowloris":
        asyncio.run(slowloris(*args))
    elif command == "slowbody":
        asyncio.run(slowbody(*args))
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main()
