#!/usr/bin/env python3
"""Latency from a batch of dossiers to the indicator values it changes, for bench/engine.sh (and
to the quality scores that follow it, for bench/quality.sh: --event quality).

Usage: engine_latency.py --url http://127.0.0.1:PORT --token TOKEN --csv NEW.csv
                         [--batches 200] [--size 1000] [--timeout 10] [--json OUT]
                         [--event values|quality]

Subscribes to GET /api/v1/events (server-sent events), then POSTs NEW.csv in batches of --size
rows to /api/v1/datasets/dossiers/batches?format=csv, one at a time. For each batch it measures
from just before the POST is sent to the arrival of the first "values" event whose data carries
at least one changed cell ({"at": ..., "cells": N, "indicators": [...], "units": [...],
"periods": [...]}), and
also the POST's own response time; with --event quality, to the first "quality" event after the
POST started, whatever its data. Events are timestamped by a reader thread as their last line
arrives. Prints p50, p99 and the worst; exits 1 when a batch is not committed or no event comes
within --timeout seconds.
"""
import argparse
import http.client
import json
import math
import queue
import sys
import threading
import time
import urllib.parse


def percentile(xs, p):
    s = sorted(xs)
    return s[max(0, math.ceil(p / 100 * len(s)) - 1)]


class Events(threading.Thread):
    def __init__(self, host, port, token):
        super().__init__(daemon=True)
        self.q = queue.Queue()
        self.ready = threading.Event()
        self.error = None
        self.conn = http.client.HTTPConnection(host, port, timeout=None)
        self.token = token

    def run(self):
        try:
            self.conn.request("GET", "/api/v1/events", headers={
                "Accept": "text/event-stream", "Authorization": f"Bearer {self.token}"})
            resp = self.conn.getresponse()
            if resp.status != 200:
                self.error = f"GET /api/v1/events: {resp.status} {resp.read(500)!r}"
                self.ready.set()
                return
            self.ready.set()
            event, data = "message", []
            while True:
                line = resp.fp.readline()
                if not line:
                    self.error = "the event stream ended"
                    self.q.put(None)
                    return
                line = line.decode("utf-8").rstrip("\r\n")
                if line == "":
                    if data:
                        self.q.put((time.monotonic(), event, "\n".join(data)))
                    event, data = "message", []
                elif line.startswith(":"):
                    continue
                else:
                    field, _, value = line.partition(":")
                    value = value[1:] if value.startswith(" ") else value
                    if field == "event":
                        event = value
                    elif field == "data":
                        data.append(value)
        except Exception as e:  # noqa: BLE001 - reported by the main thread
            self.error = f"event stream: {e}"
            self.ready.set()
            self.q.put(None)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--url", required=True)
    ap.add_argument("--token", required=True)
    ap.add_argument("--csv", required=True)
    ap.add_argument("--dataset", default="dossiers")
    ap.add_argument("--batches", type=int, default=200)
    ap.add_argument("--size", type=int, default=1000)
    ap.add_argument("--timeout", type=float, default=10.0)
    ap.add_argument("--json")
    ap.add_argument("--event", default="values", choices=["values", "quality"])
    a = ap.parse_args()
    u = urllib.parse.urlsplit(a.url)

    with open(a.csv, encoding="utf-8") as f:
        header = f.readline()
        lines = f.readlines()
    need = a.batches * a.size
    if len(lines) < need:
        sys.exit(f"{a.csv} has {len(lines)} rows, {need} needed")

    ev = Events(u.hostname, u.port, a.token)
    ev.start()
    if not ev.ready.wait(10) or ev.error:
        sys.exit(ev.error or "no answer from /api/v1/events within 10 s")
    time.sleep(0.2)
    while not ev.q.empty():  # whatever the server sends on connecting
        ev.q.get_nowait()

    post = http.client.HTTPConnection(u.hostname, u.port, timeout=60)
    path = f"/api/v1/datasets/{a.dataset}/batches?format=csv"
    latencies, posts, changes, stray = [], [], [], 0
    for b in range(a.batches):
        body = (header + "".join(lines[b * a.size:(b + 1) * a.size])).encode("utf-8")
        while not ev.q.empty():
            item = ev.q.get_nowait()
            if item is None:
                sys.exit(ev.error)
            stray += 1
        t0 = time.monotonic()
        post.request("POST", path, body=body, headers={
            "Content-Type": "text/csv; charset=utf-8", "Authorization": f"Bearer {a.token}"})
        resp = post.getresponse()
        text = resp.read()
        t_resp = time.monotonic()
        if resp.status != 200:
            sys.exit(f"batch {b + 1}: POST {path}: {resp.status} {text[:800]!r}")
        report = json.loads(text)
        if isinstance(report, list):
            report = report[0]
        counts = report.get("counts", {})
        if report.get("status") != "committed" or counts.get("imported") != a.size:
            sys.exit(f"batch {b + 1}: not committed whole: {json.dumps(report)[:800]}")
        got = None
        deadline = t0 + a.timeout
        while got is None:
            left = deadline - time.monotonic()
            if left <= 0:
                sys.exit(f"batch {b + 1}: no '{a.event}' event within {a.timeout} s")
            try:
                item = ev.q.get(timeout=left)
            except queue.Empty:
                continue
            if item is None:
                sys.exit(ev.error)
            at, event, data = item
            if event != a.event or at < t0:
                stray += 1
                continue
            if a.event != "values":
                got = (at, 0)
                break
            try:
                n = int(json.loads(data).get("cells") or 0)
            except ValueError:
                sys.exit(f"batch {b + 1}: event data is not JSON: {data[:300]!r}")
            if n == 0:
                continue
            got = (at, n)
        latencies.append((got[0] - t0) * 1000)
        posts.append((t_resp - t0) * 1000)
        changes.append(got[1])
    res = {
        "batches": a.batches, "size": a.size,
        "event_ms": {"p50": percentile(latencies, 50), "p99": percentile(latencies, 99),
                     "max": max(latencies), "min": min(latencies)},
        "post_ms": {"p50": percentile(posts, 50), "p99": percentile(posts, 99), "max": max(posts)},
        "changes_per_event": {"p50": percentile(changes, 50), "max": max(changes)},
        "other_events": stray,
    }
    print(f"{a.batches} batches of {a.size}: POST start -> first '{a.event}' event"
          f"{' with a change' if a.event == 'values' else ''}: "
          f"p50 {res['event_ms']['p50']:.1f} ms, p99 {res['event_ms']['p99']:.1f} ms, "
          f"worst {res['event_ms']['max']:.1f} ms; POST answered p50 {res['post_ms']['p50']:.1f} ms, "
          f"p99 {res['post_ms']['p99']:.1f} ms; changes in that event p50 {res['changes_per_event']['p50']}")
    if a.json:
        with open(a.json, "w", encoding="utf-8") as f:
            json.dump(res, f)


if __name__ == "__main__":
    main()
