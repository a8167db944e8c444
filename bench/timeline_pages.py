#!/usr/bin/env python3
"""Reads citizens' timeline pages and the dispatchers' feed over HTTP against a running server, and prints latencies.

Usage (server on a demo city, a supervisor account; loopback only):
  python3 bench/timeline_pages.py --api http://127.0.0.1:5095 --token "$SUP" --db /tmp/demo/citizencrm.db [--requests 300]

Each page read also writes its audit row (synchronous=FULL), so the figures are what a clerk's screen waits for.
The request count is bounded; the script stops by itself.
"""
import argparse, json, sqlite3, statistics, time, urllib.request

p = argparse.ArgumentParser()
p.add_argument("--api", required=True)
p.add_argument("--token", required=True)
p.add_argument("--db", required=True, help="the SQLite file, read only to pick citizens with many events")
p.add_argument("--requests", type=int, default=300)
a = p.parse_args()
if not a.api.startswith(("http://127.", "http://localhost", "http://[::1]")):
    raise SystemExit("Benchmarks run against this machine only (loopback).")

db = sqlite3.connect(f"file:{a.db}?mode=ro", uri=True)
ids = [r[0].lower() for r in db.execute(
    "SELECT citizen_id FROM timeline WHERE citizen_id IS NOT NULL GROUP BY citizen_id ORDER BY COUNT(*) DESC LIMIT 50")]
total = db.execute("SELECT COUNT(*) FROM timeline").fetchone()[0]

def get(path):
    req = urllib.request.Request(a.api + path, headers={"Authorization": "Bearer " + a.token})
    t = time.perf_counter()
    body = urllib.request.urlopen(req, timeout=10).read()
    return (time.perf_counter() - t) * 1000, json.loads(body)

def report(name, lat):
    lat.sort()
    print(f"{name}: n={len(lat)} median={statistics.median(lat):.1f} ms p95={lat[int(len(lat) * 0.95)]:.1f} ms max={lat[-1]:.1f} ms")

pages = []
for i in range(a.requests):
    cid = ids[i % len(ids)]
    ms, page = get(f"/api/citizens/{cid}/timeline?limit=50")
    pages.append(ms)
    if page["nextBefore"]:
        pages.append(get(f"/api/citizens/{cid}/timeline?limit=50&before={page['nextBefore']}")[0])
feed = [get("/api/timeline?limit=50&channel=email")[0] for _ in range(min(a.requests, 100))]
print(f"timeline events in the database: {total:,}")
report("citizen timeline page (50 events, first and next)", pages)
report("dispatchers' feed filtered by channel (50 events)", feed)
