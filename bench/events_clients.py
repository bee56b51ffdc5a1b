#!/usr/bin/env python3
"""Many event-stream clients and one batch, for bench/events.sh.

Usage: events_clients.py --url http://127.0.0.1:PORT --token TOKEN --writer TOKEN --units U1,...
                         [--clients 10000] [--procs 4] [--batches 5] [--size 1000]
                         [--pid SERVER_PID]

Opens --clients connections to GET /api/v1/events (split over --procs processes, each an asyncio
loop; or, with --native BIN, in one process of bench/events_clients.cc, which costs the machine
far less than the server it measures), waits until every one has its "hello", reads the server's resident memory (--pid) before
and after they connected, then POSTs --batches batches of --size new dossiers of the units given
(received in November 2025, half online) as --writer to /api/v1/datasets/dossiers/batches?format=csv, one
every two seconds. For each batch and client it measures from just before the POST is sent to the
arrival
of the "values" event (the wall clock, shared by the processes); a client is read as its bytes
come, so the figure includes the clients' own reading. Prints p50, p99 and the worst over every
client and batch, how many missed an event, the POST's own time, and the memory per client.
"""
import argparse
import asyncio
import http.client
import json
import multiprocessing as mp
import os
import subprocess
import sys
import time
import urllib.parse

from engine_latency import percentile


def rss_kib(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


async def client(host, port, token, ready, arrivals, batches):
    reader, writer = await asyncio.open_connection(host, port, limit=1 << 24)  # long events
    writer.write(
        (f"GET /api/v1/events HTTP/1.1\r\nHost: {host}\r\nAuthorization: Bearer {token}\r\n"
         "Accept: text/event-stream\r\n\r\n").encode())
    await writer.drain()
    event = None
    hello = False
    seen = 0
    while seen < batches:
        line = await reader.readline()
        if not line:
            break
        text = line.decode("utf-8", "replace").rstrip("\r\n")
        if text.startswith("event:"):
            event = text[6:].strip()
        elif text.startswith("data:") and event == "hello" and not hello:
            hello = True
            ready()
        elif text.startswith("data:") and event == "values":
            arrivals.append(time.time())
            seen += 1
            event = None
    writer.close()


def worker(args, count, ready_q, start_q, out_q):
    u = urllib.parse.urlparse(args.url)

    async def run():
        arrivals = [[] for _ in range(count)]
        ready = 0

        def one_ready():
            nonlocal ready
            ready += 1
            if ready == count:
                ready_q.put(count)

        tasks = []
        for i in range(count):
            tasks.append(asyncio.create_task(
                client(u.hostname, u.port, args.token, one_ready, arrivals[i],
                       args.batches + args.warmup)))
            if i % 200 == 199:
                await asyncio.sleep(0.05)  # a steady arrival, not a SYN flood
        loop = asyncio.get_running_loop()
        await loop.run_in_executor(None, start_q.get)
        try:
            await asyncio.wait_for(asyncio.gather(*tasks, return_exceptions=True),
                                   timeout=args.timeout + 10 * (args.batches + args.warmup))
        except asyncio.TimeoutError:
            pass
        out_q.put(arrivals)

    asyncio.run(run())


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--url", required=True)
    ap.add_argument("--token", required=True)
    ap.add_argument("--writer", required=True)
    ap.add_argument("--units", required=True)
    ap.add_argument("--size", type=int, default=1000)
    ap.add_argument("--clients", type=int, default=10000)
    ap.add_argument("--procs", type=int, default=4)
    ap.add_argument("--batches", type=int, default=5)
    ap.add_argument("--warmup", type=int, default=1,
                    help="batches sent first and not counted (the server's first batch after "
                         "its start prepares what later ones reuse)")
    ap.add_argument("--timeout", type=float, default=30)
    ap.add_argument("--pid", type=int, default=0)
    ap.add_argument("--native", default="", help="bench/events_clients.cc, built: the clients")
    ap.add_argument("--row", action="store_true", help="print a row of bench/README.md's table")
    args = ap.parse_args()
    u = urllib.parse.urlparse(args.url)
    units = args.units.split(",")

    before = rss_kib(args.pid) if args.pid else 0
    procs, native = [], None
    t0 = time.time()
    if args.native:
        native = subprocess.Popen(
            [args.native, u.hostname, str(u.port), args.token, str(args.clients),
             str(args.batches + args.warmup), str(int(args.timeout + 3 * args.batches))],
            stdout=subprocess.PIPE, text=True)
        if native.stdout.readline().strip() != "ready":
            sys.exit("events_clients: the clients did not connect")
    else:
        ready_q, start_q, out_q = mp.Queue(), mp.Queue(), mp.Queue()
        per = [args.clients // args.procs + (1 if i < args.clients % args.procs else 0)
               for i in range(args.procs)]
        procs = [mp.Process(target=worker, args=(args, n, ready_q, start_q, out_q)) for n in per]
        for p in procs:
            p.start()
        for _ in procs:
            ready_q.get(timeout=args.timeout + args.clients / 100)
    connected = time.time() - t0
    time.sleep(1)
    after = rss_kib(args.pid) if args.pid else 0
    for _ in procs:
        start_q.put(1)

    sent, posts = [], []
    run = int(time.time())
    for b in range(args.warmup + args.batches):
        rows = ["dossier_id,receiving_unit,procedure_code,received_at,channel,status"]
        for i in range(args.size):
            channel = "Trực tuyến" if i % 2 else "Trực tiếp"
            rows.append(f"EV{run}-{b}-{i},{units[i % len(units)]},TT01,2025-11-03 08:00,"
                        f"{channel},Đang xử lý")
        batch = "\n".join(rows) + "\n"
        conn = http.client.HTTPConnection(u.hostname, u.port, timeout=60)
        start = time.time()
        conn.request("POST", "/api/v1/datasets/dossiers/batches?format=csv", body=batch.encode(),
                     headers={"Authorization": f"Bearer {args.writer}",
                              "Content-Type": "text/csv; charset=utf-8"})
        r = conn.getresponse()
        r.read()
        posts.append((time.time() - start) * 1000)
        sent.append(start)  # the warm-up batches' too: their events are the first
        if r.status != 200:
            print(f"events_clients: batch {b} answered {r.status}", file=sys.stderr)
            sys.exit(1)
        time.sleep(2)

    if native:
        out, _ = native.communicate()
        per_client = [[int(x) / 1e6 for x in line.split()] for line in out.splitlines()]
    else:
        per_client = []
        for _ in procs:
            per_client.extend(out_q.get())
        for p in procs:
            p.join(timeout=5)
    lat, missed = [], 0
    for arrivals in per_client:
        for b, at in enumerate(sent):
            if b < args.warmup:
                continue
            if b < len(arrivals):
                lat.append((arrivals[b] - at) * 1000)
            else:
                missed += 1
    if os.environ.get("EVENTS_VERBOSE"):
        print("batch latencies (ms), first client: " +
              " ".join(f"{(a - t) * 1000:.0f}" for a, t in zip(per_client[0], sent)), file=sys.stderr)
    result = {
        "clients": args.clients,
        "connected_s": round(connected, 1),
        "batches": args.batches,
        "p50_ms": round(percentile(lat, 50), 1) if lat else None,
        "p99_ms": round(percentile(lat, 99), 1) if lat else None,
        "max_ms": round(max(lat), 1) if lat else None,
        "missed": missed,
        "post_p50_ms": round(percentile(posts, 50), 1),
        "server_rss_before_mib": round(before / 1024, 1),
        "server_rss_after_mib": round(after / 1024, 1),
        "kib_per_client": round((after - before) / args.clients, 1) if args.pid else None,
    }
    if not args.row:
        print(json.dumps(result))
        return
    r = result
    print(f"| {r['clients']:,} | {r['p50_ms']} / {r['p99_ms']} / {r['max_ms']} ms | {r['missed']} "
          f"| {r['post_p50_ms']} ms | {r['server_rss_before_mib']} → {r['server_rss_after_mib']} MiB "
          f"| {r['kib_per_client']} KiB |")


if __name__ == "__main__":
    main()
