#!/usr/bin/env python3
"""Fetches one user's page (`/u/<name>`, server-rendered) many times, one
after another and then from many connections at once, and prints how many
answers had each status. Exits 1 unless every answer was 200.

    bench/user_pages.py BASE_URL USERNAME SEQUENTIAL CONCURRENT CONNECTIONS
"""
import collections
import concurrent.futures
import http.client
import sys
import urllib.parse


def fetch_many(base, path, count):
    url = urllib.parse.urlsplit(base)
    statuses = collections.Counter()
    conn = http.client.HTTPConnection(url.hostname, url.port, timeout=30)
    for _ in range(count):
        conn.request("GET", path)
        response = conn.getresponse()
        response.read()
        statuses[response.status] += 1
    conn.close()
    return statuses


def main():
    base, username, sequential, parallel, connections = sys.argv[1:6]
    path = "/u/" + urllib.parse.quote(username)
    sequential, parallel, connections = int(sequential), int(parallel), int(connections)
    one = fetch_many(base, path, sequential)
    print(f"user pages: {sequential} sequential requests to {path}: {dict(one)}")
    many = collections.Counter()
    per = [parallel // connections + (1 if i < parallel % connections else 0) for i in range(connections)]
    with concurrent.futures.ThreadPoolExecutor(max_workers=connections) as pool:
        for statuses in pool.map(lambda n: fetch_many(base, path, n), per):
            many.update(statuses)
    print(f"user pages: {parallel} requests on {connections} connections: {dict(many)}")
    ok = one.get(200, 0) == sequential and many.get(200, 0) == parallel
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
