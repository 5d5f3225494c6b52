#!/usr/bin/env python3
"""Clients for bench/http.sh, each bounded in time, all to 127.0.0.1 only.

  load.py scrape   PORT SECONDS INTERVAL         GET /metrics every INTERVAL s on a kept-alive
                                                 connection (as Prometheus does); prints the
                                                 latencies' p50, p99, max and the failures
  load.py idle     PORT SECONDS CONNECTIONS      opens CONNECTIONS connections, sends nothing,
                                                 holds them; prints how many the server closed
  load.py slowloris PORT SECONDS CONNECTIONS     CONNECTIONS connections that send a header line
                                                 every 2 s and never finish their request; one
                                                 closed is opened again; prints how long the
                                                 server let each live
  load.py profiles PORT SECONDS CLIENTS          CLIENTS threads pulling /api/v1/profiles in a
                                                 loop; prints answers by status and bytes
Each prints one line of key=value pairs.
"""
import errno
import http.client
import selectors
import socket
import sys
import threading
import time


def percentile(values, p):
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def scrape(port, seconds, interval):
    latencies, failures = [], 0
    end = time.monotonic() + seconds
    conn = None
    while time.monotonic() < end:
        start = time.monotonic()
        try:
            if conn is None:
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
            conn.request("GET", "/metrics")
            response = conn.getresponse()
            response.read()
            if response.status != 200:
                failures += 1
            else:
                latencies.append((time.monotonic() - start) * 1000)
        except (OSError, http.client.HTTPException):
            failures += 1
            if conn is not None:
                conn.close()
            conn = None
        time.sleep(max(0.0, interval - (time.monotonic() - start)))
    print("scrapes=%d failures=%d p50_ms=%.1f p99_ms=%.1f max_ms=%.1f" % (
        len(latencies), failures, percentile(latencies, 50), percentile(latencies, 99),
        max(latencies) if latencies else float("nan")))


def connect_nonblocking(port):
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.setblocking(False)
    err = s.connect_ex(("127.0.0.1", port))
    if err not in (0, errno.EINPROGRESS):
        s.close()
        return None
    return s


def idle(port, seconds, connections):
    sel = selectors.DefaultSelector()
    opened = failed = closed = 0
    end = time.monotonic() + seconds
    for _ in range(connections):
        s = connect_nonblocking(port)
        if s is None:
            failed += 1
            continue
        opened += 1
        sel.register(s, selectors.EVENT_READ)
        # Drain the events of the ones closed meanwhile, so the loop does not hold them all.
        for key, _ in sel.select(timeout=0):
            sel.unregister(key.fileobj)
            key.fileobj.close()
            closed += 1
    opened_at = time.monotonic()
    while time.monotonic() < end:
        for key, _ in sel.select(timeout=0.5):
            try:
                data = key.fileobj.recv(1)
            except OSError:
                data = b""
            if not data:
                sel.unregister(key.fileobj)
                key.fileobj.close()
                closed += 1
    held = len(sel.get_map())
    for key in list(sel.get_map().values()):
        key.fileobj.close()
    print("opened=%d connect_failed=%d closed_by_server=%d held_at_end=%d open_s=%.1f" % (
        opened, failed, closed, held, opened_at - (end - seconds)))


def slowloris(port, seconds, connections):
    sel = selectors.DefaultSelector()
    born = {}
    lived = []
    end = time.monotonic() + seconds

    def open_one():
        s = connect_nonblocking(port)
        if s is not None:
            sel.register(s, selectors.EVENT_READ)
            born[s] = time.monotonic()
            try:
                s.send(b"GET /metrics HTTP/1.1\r\nHost: x\r\n")
            except OSError:
                pass

    for _ in range(connections):
        open_one()
    next_line = time.monotonic() + 2
    line = 0
    while time.monotonic() < end:
        for key, _ in sel.select(timeout=0.2):
            s = key.fileobj
            try:
                data = s.recv(4096)
            except OSError:
                data = b""
            if not data:
                sel.unregister(s)
                lived.append(time.monotonic() - born.pop(s))
                s.close()
                open_one()
        if time.monotonic() >= next_line:
            line += 1
            for s in list(born):
                try:
                    s.send(b"X-Slow-%d: 1\r\n" % line)
                except OSError:
                    pass
            next_line += 2
    for s in list(born):
        s.close()
    print("closed_by_server=%d lived_p50_s=%.1f lived_max_s=%.1f open_at_end=%d" % (
        len(lived), percentile(lived, 50), max(lived) if lived else float("nan"), len(born)))


def profiles(port, seconds, clients):
    counts = {}
    total_bytes = [0]
    lock = threading.Lock()
    end = time.monotonic() + seconds

    def pull():
        while time.monotonic() < end:
            try:
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                conn.request("GET", "/api/v1/profiles")
                response = conn.getresponse()
                body = response.read()
                conn.close()
                key = str(response.status)
                if response.status == 503:
                    time.sleep(float(response.getheader("Retry-After", "1")))
            except (OSError, http.client.HTTPException):
                key, body = "error", b""
            with lock:
                counts[key] = counts.get(key, 0) + 1
                total_bytes[0] += len(body)

    threads = [threading.Thread(target=pull, daemon=True) for _ in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(seconds + 60)
    print(" ".join("status_%s=%d" % kv for kv in sorted(counts.items()))
          + " mb=%.0f" % (total_bytes[0] / 1e6))


if __name__ == "__main__":
    mode, port, seconds, n = sys.argv[1], int(sys.argv[2]), float(sys.argv[3]), sys.argv[4]
    {"scrape": lambda: scrape(port, seconds, float(n)),
     "idle": lambda: idle(port, seconds, int(n)),
     "slowloris": lambda: slowloris(port, seconds, int(n)),
     "profiles": lambda: profiles(port, seconds, int(n))}[mode]()
