#!/usr/bin/env python3
"""Fetches one user's page (`/u/<name>`, server-rendered) many times, one
after another and then from many connections at once, and prints how many
answers had each status. Exits 1 unless every answer was 200. The user and
a few tweets are made first through the API.

    bench/user_pages.py BASE_URL SEQUENTIAL CONCURRENT CONNECTIONS
"""
import json
import secrets
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


def seed(base):
    """A new user with three tweets; returns the username."""
    import urllib.request

    name = "pages_" + secrets.token_hex(4)
    body = {"username": name, "email": name + "@example.com", "password": secrets.token_hex(12)}

    def post(path, payload, cookie=None):
        headers = {"Content-Type": "application/json"}
        if cookie:
            headers["Cookie"] = cookie
        request = urllib.request.Request(base + path, data=json.dumps(payload).encode(), headers=headers)
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.headers.get("Set-Cookie", "").split(";")[0]

    cookie = post("/api/v1/users", body)
    for n in range(3):
        post("/api/v2/tweets", {"body": f"tweet {n} from {name}"}, cookie)
    return name


def main():
    base, sequential, parallel, connections = sys.argv[1:5]
    username = seed(base)
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
