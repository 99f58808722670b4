#!/usr/bin/env python3
"""live-load.py - a live event against `votecloud serve` on loopback, with
the standard library only.

PARTICIPANTS people (words from tests/live/replay.py: 3 different words
each, Zipf-like) open the join page (which gives them their cookie) and
send their words, spread evenly over DURATION seconds, from CONNECTIONS
concurrent keep-alive connections, while PRESENTERS screens follow the
room's Server-Sent Events.  Prints submit latency p50/p99, errors,
presenter update lag p99 (an answer's acknowledgement to the first frame
counting that many participants), the server's peak RSS and CPU time.

--crash-after K: kill -9 the server once K answers were acknowledged,
start it again on the same data and port, and check what it kept: every
acknowledged answer, and of the answers in flight at the kill (sent, no
answer seen) at most those.  Then the phones whose answers were in
flight send again (same cookie), and at the end the stored counts must
equal the answers the generator saw acknowledged: none lost, none
doubled.  With --tap the checks are TAP lines (the meson test); the
figures are printed, never asserted.

    live-load.py [--participants 1000] [--connections 50] [--presenters 5]
                 [--duration 60] [--crash-after K] [--tap]
"""
import argparse
import collections
import http.client
import json
import os
import queue
import signal
import subprocess
import sys
import tempfile
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, ".."))
sys.path.insert(0, HERE)
from servelib import Server, sanitizer_reports  # noqa: E402
from livelib import create_room, form, cookie_of, parse_counts, bearer  # noqa: E402

TICKS = os.sysconf("SC_CLK_TCK")


def answers(n):
    out = subprocess.run([sys.executable, os.path.join(HERE, "..", "live", "replay.py"),
                          "--participants", str(n)], check=True, capture_output=True)
    return [line.split("\t") for line in out.stdout.decode().splitlines()]


def percentile(xs, p):
    if not xs:
        return float("nan")
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(round(p / 100.0 * (len(xs) - 1))))]


class ServerWatch:
    """Peak RSS and CPU of the server process (sampled; VmHWM at the end)."""

    def __init__(self):
        self.peak_kb = 0
        self.cpu_s = 0.0

    def sample(self, pid):
        try:
            with open("/proc/%d/status" % pid) as f:
                for line in f:
                    if line.startswith("VmHWM:"):
                        self.peak_kb = max(self.peak_kb, int(line.split()[1]))
            with open("/proc/%d/stat" % pid) as f:
                fields = f.read().rsplit(")", 1)[1].split()
                return (int(fields[11]) + int(fields[12])) / TICKS
        except OSError:
            return None


class Event:
    def __init__(self, a, srv, room, words):
        self.a = a
        self.srv = srv
        self.room = room
        self.words = words
        self.lock = threading.Lock()
        self.up = threading.Event()  # the server answers
        self.up.set()
        self.latencies = []
        self.errors = 0           # answers refused (never retried)
        self.retried = 0          # broken or refused connections, sent again
        self.acked = {}           # participant -> words, acknowledged
        self.ack_times = []       # (time, number acknowledged so far)
        self.in_flight = set()    # participants sent but not answered at the kill
        self.cookies = {}         # participant -> cookie
        self.frames = collections.defaultdict(list)  # presenter -> [(time, participants)]
        self.stop = threading.Event()
        self.crashed = False
        self.generation = 0

    # -- participants ------------------------------------------------------

    def conn(self):
        return http.client.HTTPConnection("127.0.0.1", self.srv.port, timeout=30)

    def one(self, c, i):
        """GET the page (first time: the cookie, kept like a phone keeps
        it) and POST the words; returns the status; raises on a broken
        connection."""
        j = self.room["join_url"]
        cookie = self.cookies.get(i)
        if cookie is None:
            c.request("GET", j)
            r = c.getresponse()
            r.read()
            cookie = self.cookies[i] = cookie_of(dict((k.lower(), v) for k, v in r.getheaders()))
        t0 = time.monotonic()
        with self.lock:
            gen = self.generation
            self.in_flight.add(i)
        c.request("POST", j, body=form(self.words[i]),
                  headers={"Content-Type": "application/x-www-form-urlencoded",
                           "Cookie": "vcj=%s" % cookie})
        r = c.getresponse()
        r.read()
        t1 = time.monotonic()
        with self.lock:
            if gen == self.generation:
                self.in_flight.discard(i)
            if r.status == 303:
                self.latencies.append(t1 - t0)
                self.acked[i] = self.words[i]
                self.ack_times.append((t1, len(self.acked)))
        return r.status

    def participant(self, c, i):
        for attempt in range(200):
            self.up.wait()
            try:
                status = self.one(c, i)
                if status == 303:
                    return c
                if status >= 500 or status == 429:
                    time.sleep(0.2)
                    continue
                with self.lock:
                    self.errors += 1
                return c
            except (OSError, http.client.HTTPException):
                with self.lock:
                    self.retried += 1
                c.close()
                c = self.conn()
                time.sleep(0.1)
        with self.lock:
            self.errors += 1
        return c

    def worker(self, jobs):
        c = self.conn()
        while True:
            job = jobs.get()
            if job is None:
                c.close()
                return
            i, at = job
            delay = at - time.monotonic()
            if delay > 0:
                time.sleep(delay)
            c = self.participant(c, i)

    # -- presenters ----------------------------------------------------------

    def presenter(self, k):
        while not self.stop.is_set():
            self.up.wait()
            try:
                c = http.client.HTTPConnection("127.0.0.1", self.srv.port, timeout=5)
                c.request("GET", "/api/events/%s/stream" % self.room["id"],
                          headers=bearer(self.room["presenter_key"]))
                r = c.getresponse()
                name = None
                while not self.stop.is_set():
                    line = r.readline()
                    if not line:
                        break
                    line = line.decode().rstrip("\n")
                    if line.startswith("event: "):
                        name = line[7:]
                    elif line.startswith("data: ") and name == "stats":
                        n = json.loads(line[6:])["participants"]
                        with self.lock:
                            self.frames[k].append((time.monotonic(), n))
                c.close()
            except (OSError, http.client.HTTPException, ValueError):
                time.sleep(0.1)

    # -- the crash ----------------------------------------------------------

    def crash(self, watch, tap):
        with self.lock:
            self.up.clear()
            self.generation += 1
            self.srv.proc.send_signal(signal.SIGKILL)
            in_flight = set(self.in_flight)
            acked = dict(self.acked)
        self.srv.proc.wait()
        watch.sample(self.srv.proc.pid)
        self.srv.proc.stdout.close()
        self.srv.err.close()
        port = self.srv.port
        self.srv.start_on(port)
        stored = parse_counts(self.counts())
        want = collections.Counter(w for ws in acked.values() for w in ws)
        extra = collections.Counter(w for i in in_flight if i not in acked for w in self.words[i])
        lost = [w for w in want if stored.get((w, "suggested"), 0) < want[w]]
        over = [w for w in stored if stored[w] > want[w[0]] + extra[w[0]]]
        tap(not lost, "after kill -9: every acknowledged answer is stored (%d acknowledged, "
            "%d in flight)" % (len(acked), len(in_flight)))
        tap(not over, "and nothing beyond the answers in flight at the kill")
        self.crashed = True
        self.restarted_at = time.monotonic()
        self.up.set()

    def counts(self):
        st, h, body = self.srv.request("GET", "/api/events/%s/counts" % self.room["id"],
                                       headers=bearer(self.room["presenter_key"]))
        return body.decode()


def lag_p99(ev):
    lags = []
    for frames in ev.frames.values():
        frames = sorted(frames)
        for t_ack, n in ev.ack_times:
            first = next((t for t, p in frames if p >= n), None)
            if first is not None:
                lags.append(max(0.0, first - t_ack))
    return percentile(lags, 99), len(lags)


def start_server(data):
    srv = Server(data, "--threads", "4")

    def start_on(port):
        # The same port after a crash: the presenters' address does not change.
        import servelib
        real = servelib.free_port
        servelib.free_port = lambda: port
        try:
            srv.start()
        finally:
            servelib.free_port = real
        return srv
    srv.start_on = start_on
    return srv.start()


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--participants", type=int, default=1000)
    ap.add_argument("--connections", type=int, default=50)
    ap.add_argument("--presenters", type=int, default=5)
    ap.add_argument("--duration", type=float, default=60.0)
    ap.add_argument("--crash-after", type=int, default=0)
    ap.add_argument("--tap", action="store_true")
    a = ap.parse_args()

    results = []

    def tap(cond, what):
        results.append(cond)
        if a.tap:
            print("%s %d - %s" % ("ok" if cond else "not ok", len(results), what), flush=True)
        elif not cond:
            print("FAILED: " + what, flush=True)

    tmp = tempfile.mkdtemp(prefix="vc-live-load-")
    srv = start_server(os.path.join(tmp, "data"))
    st, room = create_room(srv, {"question": "Which three words matter most?", "max_words": 3})
    words = answers(a.participants)
    ev = Event(a, srv, room, words)
    watch = ServerWatch()

    presenters = [threading.Thread(target=ev.presenter, args=(k,), daemon=True)
                  for k in range(a.presenters)]
    for t in presenters:
        t.start()
    time.sleep(0.5)
    jobs = queue.Queue()
    t0 = time.monotonic()
    for i in range(a.participants):
        jobs.put((i, t0 + a.duration * i / a.participants))
    for _ in range(a.connections):
        jobs.put(None)
    workers = [threading.Thread(target=ev.worker, args=(jobs,), daemon=True)
               for _ in range(a.connections)]
    for t in workers:
        t.start()
    cpu_before = 0.0
    while any(t.is_alive() for t in workers):
        time.sleep(0.05)
        if a.crash_after and not ev.crashed and len(ev.acked) >= a.crash_after:
            cpu_before += watch.sample(srv.proc.pid) or 0.0
            ev.crash(watch, tap)
        watch.sample(srv.proc.pid)
    wall = time.monotonic() - t0
    time.sleep(1.0)  # the last frames
    ev.stop.set()
    cpu = cpu_before + (watch.sample(srv.proc.pid) or 0.0)

    stored = parse_counts(ev.counts())
    want = collections.Counter(w for ws in ev.acked.values() for w in ws)
    equal = {w: n for (w, g), n in stored.items()} == dict(want)
    st, h, body = srv.request("GET", "/api/events/%s/export.csv" % room["id"],
                              headers=bearer(room["presenter_key"]))
    rows = len(body.decode().splitlines()) - 1
    tap(ev.errors == 0, "no answer refused (%d errors)" % ev.errors)
    tap(len(ev.acked) == a.participants, "every participant acknowledged (%d of %d)"
        % (len(ev.acked), a.participants))
    tap(equal, "stored counts equal the acknowledged answers (%d words)" % sum(want.values()))
    tap(rows == a.participants, "one stored row per participant: none lost, none doubled (%d)"
        % rows)
    got_frames = all(ev.frames[k] for k in range(a.presenters))
    tap(got_frames, "every presenter received frames")
    if ev.crashed:
        resumed = all(any(t > ev.restarted_at for t, n in ev.frames[k]) for k in range(a.presenters))
        tap(resumed, "every presenter resumed after the restart")
    p99, n = lag_p99(ev)
    srv.stop()
    reports = sanitizer_reports()
    tap(not reports, "no sanitizer report from the server or its children%s"
        % "".join("\n# " + r for r in reports))
    print("# participants %d x 3 words, %d connections, %d presenters, %.1f s%s"
          % (a.participants, a.connections, a.presenters, wall,
             ", kill -9 after %d" % a.crash_after if a.crash_after else ""))
    print("# submit latency p50 %.1f ms, p99 %.1f ms; errors %d; connections broken or "
          "refused and sent again %d" % (1e3 * percentile(ev.latencies, 50),
                                         1e3 * percentile(ev.latencies, 99), ev.errors,
                                         ev.retried))
    print("# presenter update lag p99 %.0f ms (%d answer x presenter pairs); frames per "
          "presenter %s" % (1e3 * p99, n, [len(ev.frames[k]) for k in range(a.presenters)]))
    print("# server peak RSS %.1f MB, CPU %.2f s (%.0f%% of one core over the run)"
          % (watch.peak_kb / 1024.0, cpu, 100.0 * cpu / wall))
    if a.tap:
        print("1..%d" % len(results))
    import shutil
    shutil.rmtree(tmp, ignore_errors=True)
    return 0 if all(results) else 1


if __name__ == "__main__":
    sys.exit(main())
