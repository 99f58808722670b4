#!/usr/bin/env python3
"""measure.py - the web app's figures for the report (not a test, nothing
asserted): preview latency (POST .../clouds, the request the page makes on
every change) for a 545-respondent survey, median and p95; the same change
seen in headless Chromium (a palette change until the new SVG is decoded,
with where the time went; skipped without chromium); and peak memory
with 10 concurrent users (each uploads and makes 5 previews): the server's
peak RSS (VmHWM) and the largest sum of server + render children sampled.

usage: VOTECLOUD=build/src/cli/votecloud measure.py [N_PREVIEWS]
"""
import json
import re
import shutil
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from servelib import Server  # noqa: E402

PALETTES = ["nhs", "okabe-ito", "viridis", "#005eb8,#330072,#ae2573"]


def rss_kb(pid):
    try:
        with open("/proc/%d/status" % pid) as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def hwm_kb(pid):
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    return 0


def descendants(pid):
    """Children and their children: renders run under the zygote helper."""
    out = []
    for c in children(pid):
        out += [c] + descendants(c)
    return out


def children(pid):
    out = []
    for d in os.listdir("/proc"):
        if d.isdigit():
            try:
                with open("/proc/%s/stat" % d) as f:
                    fields = f.read().rsplit(")", 1)[1].split()
                if int(fields[1]) == pid:
                    out.append(int(d))
            except (OSError, IndexError, ValueError):
                pass
    return out


# In the page: change the palette, wait until the new SVG has loaded.
CHANGE = """(async () => {
  const img = document.getElementById('preview');
  const before = img.dataset.cloud;
  const sel = document.getElementById('palette');
  const t0 = performance.now();
  sel.value = sel.value === 'nhs' ? 'okabe-ito' : 'nhs';
  sel.dispatchEvent(new Event('change'));
  // Waits on events, not a busy loop: the page must not take the CPU the
  // render needs (two cores, shared).
  await new Promise((resolve) => {
    const seen = () => img.dataset.cloud !== before;
    const obs = new MutationObserver(() => { if (seen()) { obs.disconnect(); img.decode().then(resolve, resolve); } });
    obs.observe(img, { attributes: true });
  });
  const total = performance.now() - t0;
  const res = performance.getEntriesByType('resource').filter((e) => e.startTime >= t0);
  const post = res.find((e) => e.name.endsWith('/clouds'));
  const svg = res.find((e) => e.name.endsWith('/cloud.svg'));
  performance.clearResourceTimings();
  return [total, post ? post.startTime - t0 : -1, post ? post.duration : -1, svg ? svg.duration : -1,
          svg ? total - (svg.responseEnd - t0) : -1];
})()"""


# In the page: three palette changes 80 ms apart (an officer trying
# colours), until the preview of the last one is shown.  fetch is wrapped
# to learn which cloud each POST made.
BURST = """(async () => {
  const img = document.getElementById('preview');
  const sel = document.getElementById('palette');
  const posts = [];
  const real = window.fetch;
  window.fetch = async function (url, init) {
    const rec = { start: performance.now(), id: null };
    if (String(url).endsWith('/clouds')) { posts.push(rec); }
    const r = await real(url, init);
    if (String(url).endsWith('/clouds')) { r.clone().json().then((j) => { rec.id = j.id; }, () => {}); }
    return r;
  };
  const t0 = performance.now();
  let last = t0;
  for (const p of ['viridis', 'okabe-ito', sel.value === 'nhs' ? 'viridis' : 'nhs']) {
    sel.value = p;
    last = performance.now();
    sel.dispatchEvent(new Event('change'));
    await new Promise((r) => setTimeout(r, 80));
  }
  await new Promise((resolve) => {
    const check = () => {
      const fin = posts.filter((p) => p.start >= last);
      if (fin.length && fin[fin.length - 1].id && img.dataset.cloud === fin[fin.length - 1].id) {
        img.decode().then(resolve, resolve);
      } else { setTimeout(check, 5); }
    };
    check();
  });
  window.fetch = real;
  return [performance.now() - last, posts.length];
})()"""


def browser_latency(srv, survey, n):
    """Change -> new preview shown, in headless Chromium (skipped without)."""
    sys.path.insert(0, os.path.join(HERE, ".."))
    from cdp import DevTools, WebSocket, find_chromium, page_ws_url, start_chromium, stop_chromium
    exe = find_chromium()
    if exe is None:
        print("in the browser: skipped (no chromium)")
        return
    profile = tempfile.mkdtemp(prefix="vc-measure-chromium-")
    proc, port = start_chromium(exe, profile)
    ws = None
    try:
        ws = WebSocket(page_ws_url(port), 60)
        dt = DevTools(ws)
        dt.call("Page.enable")
        dt.call("Page.navigate", url="http://127.0.0.1:%d/" % srv.port)
        time.sleep(1)
        doc = dt.call("DOM.getDocument")
        node = dt.call("DOM.querySelector", nodeId=doc["root"]["nodeId"], selector="#file")
        dt.call("DOM.setFileInputFiles", nodeId=node["nodeId"], files=[survey])
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            r = dt.call("Runtime.evaluate", expression="!!document.getElementById('preview').dataset.cloud",
                        returnByValue=True)
            if r["result"].get("value"):
                break
            time.sleep(0.1)
        times, parts = [], []
        for _ in range(n):
            r = dt.call("Runtime.evaluate", expression=CHANGE, returnByValue=True, awaitPromise=True)
            times.append(r["result"]["value"][0])
            parts.append(r["result"]["value"][1:])
        bursts, posts = [], []
        for _ in range(max(3, n // 3)):
            r = dt.call("Runtime.evaluate", expression=BURST, returnByValue=True, awaitPromise=True)
            bursts.append(r["result"]["value"][0])
            posts.append(r["result"]["value"][1])
        bursts.sort()
        print("in the browser, 3 palette changes 80 ms apart -> the last one's SVG shown, %d bursts: "
              "median %.0f ms, p95 %.0f ms after the last change; previews drawn per burst: median %g"
              % (len(bursts), statistics.median(bursts), bursts[min(len(bursts) - 1, int(round(0.95 * len(bursts))) - 1)],
                 statistics.median(posts)))
        times.sort()
        p95 = times[min(len(times) - 1, int(round(0.95 * len(times))) - 1)]
        med = [statistics.median(p[k] for p in parts) for k in range(4)]
        print("in the browser, palette change -> new SVG shown, %d changes: median %.0f ms, p95 %.0f ms "
              "(medians: until the POST starts %.0f ms, the POST %.0f ms, the SVG's GET %.0f ms, "
              "decoding and drawing it %.0f ms)" % (n, statistics.median(times), p95, *med))
    finally:
        if ws:
            ws.close()
        stop_chromium(proc)
        shutil.rmtree(profile, ignore_errors=True)


STAGES = re.compile(r"^POST /api/uploads/(\w+)/clouds 201 ([\d.]+)ms \(before ([\d.]+), child ([\d.]+), after ([\d.]+)\)$")


def stages(log, uid):
    """The server's own split of each preview (its request log): before the
    child (options, words files, index reads), the child (fork, read, count,
    lay out, write the SVG), after it (its report read, the index written)."""
    rows = [[float(x) for x in m.groups()[1:]] for m in map(STAGES.match, log.splitlines())
            if m and m.group(1) == uid]
    if not rows:
        print("server stages: none logged")
        return
    med = [statistics.median(r[k] for r in rows) for k in range(4)]
    print("server stages, medians of %d previews: request %.1f ms = before the child %.1f + child %.1f "
          "+ after %.1f (+ %.1f in libmicrohttpd)" % (len(rows), med[0], med[1], med[2], med[3],
                                                       med[0] - med[1] - med[2] - med[3]))


LIB = re.compile(r"timings \(ms\): read ([\d.]+), shape ([\d.]+), raster ([\d.]+), layout ([\d.]+), "
                 r"draw ([\d.]+), encode ([\d.]+), total ([\d.]+)")
CPU = re.compile(r"cpu user ([\d.]+) ms, system ([\d.]+) ms")


def library_stages(survey, n):
    """The child's own stages: `votecloud render --timings` with the
    preview's options (wall ms, and CPU ms, which the load does not
    stretch)."""
    exe = os.environ.get("VOTECLOUD", "votecloud")
    out = tempfile.mkdtemp(prefix="vc-measure-lib-")
    rows, cpu = [], []
    for i in range(min(n, 15)):
        r = subprocess.run([exe, "render", survey, "--columns", "6", "--free-text-columns", "7", "--width", "1200",
                            "--height", "675", "--palette", PALETTES[i % len(PALETTES)], "--title", "Preview %d" % i,
                            "-o", os.path.join(out, "c.svg"), "--alt-text", os.path.join(out, "alt.txt"),
                            "--layout-json", os.path.join(out, "l.json"), "--timings", "--quiet"],
                           capture_output=True, text=True)
        m, c = LIB.search(r.stderr), CPU.search(r.stderr)
        if m and c:
            rows.append([float(x) for x in m.groups()])
            cpu.append(float(c.group(1)) + float(c.group(2)))
    shutil.rmtree(out, ignore_errors=True)
    if rows:
        med = [statistics.median(r[k] for r in rows) for k in range(7)]
        print("the child's stages (votecloud render --timings, %d runs, medians, ms): read+count %.1f, shape %.1f, "
              "raster %.1f, layout %.1f, total %.1f; CPU %.1f" % (len(rows), med[0], med[1], med[2], med[3], med[6],
                                                                 statistics.median(cpu)))


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 40
    tmp = tempfile.mkdtemp(prefix="vc-measure-")
    survey = os.path.join(tmp, "survey.csv")
    subprocess.run([sys.executable, os.path.join(HERE, "make-survey.py"), survey, "545"], check=True)
    srv = Server(os.path.join(tmp, "data"), "--threads", "4").start()
    st, h, body = srv.upload("survey.csv", open(survey, "rb").read())
    uid = json.loads(body)["id"]
    times = []
    for i in range(n):
        opts = {"columns": "6", "free-text-columns": "7", "width": 1200, "height": 675,
                "palette": PALETTES[i % len(PALETTES)], "title": "Preview %d" % i}
        t0 = time.monotonic()
        st, h, body = srv.cloud(uid, opts)
        times.append((time.monotonic() - t0) * 1000)
        assert st == 201, body
    times.sort()
    p95 = times[min(len(times) - 1, int(round(0.95 * len(times))) - 1)]
    print("preview latency, 545 respondents, %d previews: median %.0f ms, p95 %.0f ms, min %.0f ms, max %.0f ms"
          % (n, statistics.median(times), p95, times[0], times[-1]))
    stages(srv.log(), uid)
    library_stages(survey, n)

    browser_latency(srv, survey, n)

    peak = {"sum": 0}
    stop = threading.Event()

    def sample():
        while not stop.is_set():
            total = rss_kb(srv.proc.pid) + sum(rss_kb(c) for c in descendants(srv.proc.pid))
            peak["sum"] = max(peak["sum"], total)
            time.sleep(0.02)

    def user(k):
        s2, _, b2 = srv.upload("survey-%d.csv" % k, open(survey, "rb").read())
        u = json.loads(b2)["id"]
        for i in range(5):
            s3, _, b3 = srv.cloud(u, {"columns": "6", "palette": PALETTES[(i + k) % 4]})
            assert s3 == 201, b3

    sampler = threading.Thread(target=sample)
    sampler.start()
    t0 = time.monotonic()
    users = [threading.Thread(target=user, args=(k,)) for k in range(10)]
    for u in users:
        u.start()
    for u in users:
        u.join()
    wall = time.monotonic() - t0
    stop.set()
    sampler.join()
    print("10 concurrent users (upload + 5 previews each, %.1f s): server peak RSS %.1f MB; "
          "server + zygote + render children, largest sampled sum %.1f MB"
          % (wall, hwm_kb(srv.proc.pid) / 1024, peak["sum"] / 1024))
    srv.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
