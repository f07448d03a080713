#!/usr/bin/env python3
"""The relay's lag, measured as a consumer sees it: tweets posted through the
API at a steady rate, each timed from the API's 201 to its arrival on
chirp.tweets in a consumer of our own (same clock, same machine).

    relay_lag.py --base URL --brokers HOST:PORT [--rate 1000] [--secs 20]

Prints one RESULT line: the rate asked and achieved, how many tweets were
answered 201 and how many arrived, and the lag's p50, p99 and max in ms.
Exits 1 when a tweet answered 201 never arrives (a lost event): the only
failure; the figures never fail the run.
"""

import argparse
import http.client
import json
import sys
import threading
import time
import urllib.parse

from confluent_kafka import Consumer, TopicPartition

TOPIC = "chirp.tweets"


def request(conn, method, path, body=None, cookie=None):
    headers = {"Content-Type": "application/json", "Origin": BASE}
    if cookie:
        headers["Cookie"] = cookie
    conn.request(method, path, json.dumps(body) if body is not None else None, headers)
    response = conn.getresponse()
    return response.status, response.getheader("Set-Cookie"), response.read()


def connect():
    url = urllib.parse.urlparse(BASE)
    return http.client.HTTPConnection(url.hostname, url.port, timeout=30)


def sign_up(name):
    status, set_cookie, _ = request(
        connect(),
        "POST",
        "/api/v1/users",
        {"username": name, "email": f"{name}@example.com", "name": name, "password": "bench password"},
    )
    assert status == 201, status
    return set_cookie.split(";", 1)[0]


def main():
    global BASE
    parser = argparse.ArgumentParser()
    parser.add_argument("--base", required=True)
    parser.add_argument("--brokers", required=True)
    parser.add_argument("--rate", type=float, default=1000)
    parser.add_argument("--secs", type=float, default=20)
    parser.add_argument("--threads", type=int, default=8)
    args = parser.parse_args()
    BASE = args.base

    consumer = Consumer({"bootstrap.servers": args.brokers, "group.id": f"relay-lag-{time.time_ns()}",
                         "enable.auto.commit": False, "fetch.wait.max.ms": 10})
    partitions = consumer.list_topics(TOPIC, timeout=10).topics[TOPIC].partitions
    start = []
    for p in partitions:
        _, high = consumer.get_watermark_offsets(TopicPartition(TOPIC, p), timeout=10)
        start.append(TopicPartition(TOPIC, p, high))
    consumer.assign(start)

    answered = {}  # tweet id -> when the API answered 201
    arrived = {}  # tweet id -> when the consumer got it
    lock = threading.Lock()
    posting = threading.Event()
    posting.set()

    def consume():
        while posting.is_set() or len(arrived) < len(answered):
            message = consumer.poll(0.05)
            if message is None or message.error():
                continue
            now = time.monotonic()
            envelope = json.loads(message.value())
            if envelope["type"] == "tweet_posted":
                with lock:
                    arrived.setdefault(envelope["stream_id"], now)
            if not posting.is_set() and time.monotonic() > drain_deadline[0]:
                return

    drain_deadline = [float("inf")]
    reader = threading.Thread(target=consume, daemon=True)
    reader.start()

    # One user per thread: the per-user post limit is a burst, lifted by
    # the bench's settings, and each thread keeps one connection alive.
    cookies = [sign_up(f"lag{time.time_ns() % 10**9}{t}") for t in range(args.threads)]
    interval = args.threads / args.rate
    began = time.monotonic()
    stop_at = began + args.secs

    def post(cookie, offset):
        conn = connect()
        due = began + offset
        n = 0
        while due < stop_at:
            pause = due - time.monotonic()
            if pause > 0:
                time.sleep(pause)
            status, _, body = request(conn, "POST", "/api/v2/tweets", {"body": f"lag probe {n}"}, cookie)
            now = time.monotonic()
            if status == 201:
                with lock:
                    answered[json.loads(body)["id"]] = now
            n += 1
            due += interval

    posters = [threading.Thread(target=post, args=(c, i * interval / args.threads)) for i, c in enumerate(cookies)]
    for t in posters:
        t.start()
    for t in posters:
        t.join()
    took = time.monotonic() - began
    drain_deadline[0] = time.monotonic() + 30
    posting.clear()
    reader.join(timeout=35)
    consumer.close()

    lags = sorted((arrived[i] - answered[i]) * 1000 for i in answered if i in arrived)
    lost = len([i for i in answered if i not in arrived])

    def pct(q):
        return lags[min(len(lags) - 1, int(q * len(lags)))] if lags else float("nan")

    print(
        f"RESULT rate={args.rate:.0f} achieved={len(answered) / took:.0f} answered={len(answered)} "
        f"arrived={len(lags)} lost={lost} p50_ms={pct(0.50):.1f} p99_ms={pct(0.99):.1f} "
        f"max_ms={(lags[-1] if lags else float('nan')):.1f}"
    )
    if lost:
        print(f"relay_lag: {lost} tweets answered 201 never arrived on {TOPIC}", file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
