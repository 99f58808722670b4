#!/usr/bin/env python3
"""The batch gallery page as a person sees it, speaking TAP: a batch with
three good events and a broken one, index.html loaded in headless Chromium.
Asserts that every cloud's <img> is in the rendered DOM with its alt text,
that every image really decoded (the page's own script marks <body> when each
img has naturalWidth > 0), that the failed event shows its error, and that
the page has no external assets.  Saves a screenshot as an artifact
(argv[1], default ./batch-gallery.png)."""
import html.parser
import os
import re
import shutil
import struct
import subprocess
import sys
import tempfile

VC = os.environ.get("VOTECLOUD")
ARTIFACT = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else "batch-gallery.png")
n = 0
failed = 0


def ok(cond, desc, detail=None):
    global n, failed
    n += 1
    print(("ok" if cond else "not ok"), n, "-", desc)
    if not cond:
        failed += 1
        if detail:
            for line in str(detail).splitlines()[:20]:
                print("#  ", line)


def chromium():
    for name in ("chromium", "chromium-browser", "google-chrome"):
        path = shutil.which(name)
        if path:
            return path
    return None


def run_chromium(browser, profile, url, extra):
    cmd = [browser, "--headless", "--no-sandbox", "--disable-gpu",
           "--disable-background-networking", "--disable-component-update",
           "--disable-sync", "--no-first-run", "--disable-quic",
           "--disable-dev-shm-usage", "--hide-scrollbars",
           "--user-data-dir=" + profile] + extra + [url]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=180)


class Page(html.parser.HTMLParser):
    """Collects what the tests look at: body attributes, images, sections,
    tables and every URL the page refers to."""

    def __init__(self):
        super().__init__()
        self.body = {}
        self.imgs = []
        self.sections = []
        self.tables = 0
        self.urls = []
        self.text = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "body":
            self.body = a
        elif tag == "img":
            self.imgs.append(a)
        elif tag == "section":
            self.sections.append(a)
        elif tag == "table":
            self.tables += 1
        for key in ("src", "href"):
            if a.get(key):
                self.urls.append(a[key])

    def handle_data(self, data):
        self.text.append(data)


def main():
    browser = chromium()
    if not VC:
        print("1..0 # SKIP VOTECLOUD is not set")
        return 0
    if not browser:
        print("1..0 # SKIP chromium is not installed (apt-get install chromium)")
        return 0
    tmp = tempfile.mkdtemp(prefix="vc-gallery-")
    try:
        return check(browser, tmp)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def check(browser, tmp):
    data = os.path.join(tmp, "data")
    os.makedirs(data)
    events = {
        "north.tsv": "prevention\t30\nwellbeing\t22\nkindness\t12\ntrust\t9\ncare\t5\n",
        "south.tsv": "community\t40\nhomes\t25\nlisten\t12\nvoice\t6\n",
        "youth.tsv": "climate\t18\njobs\t15\nmental health\t14\nsport\t6\n",
    }
    for name, text in events.items():
        with open(os.path.join(data, name), "w") as f:
            f.write(text)
    with open(os.path.join(tmp, "events.csv"), "w") as f:
        f.write("event,input,title\n"
                "North,data/north.tsv,North area forum\n"
                "\"South & Central\",data/south.tsv,\"South <and> Central\"\n"
                "Youth,data/youth.tsv,Youth parliament\n"
                "Lost,data/lost.tsv,An event whose file is missing\n")
    out = os.path.join(tmp, "out")
    r = subprocess.run([VC, "batch", "--format", "counts", "--manifest",
                        os.path.join(tmp, "events.csv"), "-o", out, "--width", "800",
                        "--height", "450", "--title", "Engagement events"],
                       capture_output=True, text=True, timeout=300)
    ok(r.returncode == 66, "batch exits 66 for the missing file (got %d)" % r.returncode,
       r.stderr)
    index = os.path.join(out, "index.html")
    ok(os.path.exists(index), "index.html written", r.stderr)
    if not os.path.exists(index):
        print("1..%d" % n)
        return 1
    source = open(index, encoding="utf-8").read()
    static = Page()
    static.feed(source)
    external = [u for u in static.urls if re.match(r"^([a-z]+:)?//", u, re.I)]
    ok(not external, "no external assets", external)
    ok(not re.search(r"<link\b|@import|url\(", source), "no stylesheet or font links")

    url = "file://" + index
    profile = os.path.join(tmp, "profile")
    budget = ["--run-all-compositor-stages-before-draw", "--virtual-time-budget=5000"]
    dom = run_chromium(browser, profile, url, budget + ["--dump-dom"])
    ok(dom.returncode == 0 and "<body" in dom.stdout, "chromium loads the page",
       dom.stderr[-2000:])
    page = Page()
    page.feed(dom.stdout)
    slugs = ["north", "south-central", "youth"]
    srcs = [img.get("src") for img in page.imgs]
    ok(srcs == [s + ".png" for s in slugs], "one <img> per good event, in order", srcs)
    for slug, img in zip(slugs, page.imgs):
        alt = open(os.path.join(out, slug + ".txt"), encoding="utf-8").read().strip()
        ok(alt and img.get("alt") == alt, "%s: the img alt is the alt text" % slug,
           (img.get("alt"), alt))
    ok(page.body.get("data-images-loaded") == "3/3",
       "every cloud decoded in the browser (naturalWidth > 0)", page.body)
    ok(page.body.get("data-images-ready") == "true", "the page marks itself ready",
       page.body)
    failed_sections = [s for s in page.sections if "failed" in s.get("class", "")]
    ok([s.get("id") for s in failed_sections] == ["lost"], "the failed event has its section",
       page.sections)
    text = " ".join(page.text)
    ok("Failed:" in text and "lost.tsv" in text, "the failed event shows its error")
    ok("South <and> Central" in text, "titles are escaped in the source, shown as text")
    ok(page.tables == 3, "a table of counts per good event (got %d)" % page.tables)
    ok("mental health" in text and "Engagement events" in text,
       "the words and the page title are on the page")

    os.makedirs(os.path.dirname(ARTIFACT) or ".", exist_ok=True)
    shot = run_chromium(browser, os.path.join(tmp, "profile2"), url,
                        budget + ["--screenshot=" + ARTIFACT, "--window-size=1280,2000"])
    size = None
    if os.path.exists(ARTIFACT):
        with open(ARTIFACT, "rb") as f:
            head = f.read(24)
        if head[:8] == b"\x89PNG\r\n\x1a\n":
            size = struct.unpack(">II", head[16:24])
    ok(shot.returncode == 0 and size == (1280, 2000),
       "screenshot saved as %s (%s)" % (ARTIFACT, size), shot.stderr[-2000:])
    print("1..%d" % n)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
