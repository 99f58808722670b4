#!/usr/bin/env python3
"""test-pack-axtree.py - the publish pack's index.html as a screen reader
and a keyboard user get it, in headless Chromium's accessibility tree
(tests/cdp.py): the page's language and title, a main landmark, one h1
then h2 sections in order, the cloud and chart images named by their alt
text files, every link named and pointing at a pack file, and WCAG 2.2 AA
checks run in the page: text contrast 4.5:1 (computed colours), a visible
focus style on links, and no horizontal scrolling at 320 CSS px (reflow).
Saves index-axtree.json and index-screenshot.png to --out.  Prints TAP;
skips when Chromium is not installed."""
import argparse
import base64
import json
import os
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from taplib import done, ok  # noqa: E402
from cdp import Browser, chromium_or_skip  # noqa: E402
from a11y.axtree import ax_value  # noqa: E402  (one copy of the tree helpers)

TIMEOUT = 25.0
SRC = os.environ.get("SRCDIR", os.path.join(os.path.dirname(__file__), "..", ".."))
EX = os.path.join(SRC, "examples")
TITLE = "Healthier Together: the words that matter most"

# Runs in the page: the WCAG 2.2 AA checks a tree does not show.
CHECKS_JS = r"""
(() => {
  const lum = c => {
    const m = c.match(/\d+(\.\d+)?/g).map(Number);
    const f = v => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); };
    return 0.2126 * f(m[0]) + 0.7152 * f(m[1]) + 0.0722 * f(m[2]);
  };
  const bg = el => {
    for (; el; el = el.parentElement) {
      const c = getComputedStyle(el).backgroundColor;
      if (c && !/rgba\(.*,\s*0\)$/.test(c) && c !== 'transparent') return c;
    }
    return 'rgb(255, 255, 255)';
  };
  const ratio = (a, b) => { const x = lum(a), y = lum(b); return (Math.max(x, y) + 0.05) / (Math.min(x, y) + 0.05); };
  let worst = 99, where = '', texts = 0;
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const n = walker.currentNode;
    if (!n.textContent.trim()) continue;
    const el = n.parentElement;
    const r = el.getBoundingClientRect();
    if (r.width === 0 || r.left < -100) continue;  // the skip link until focused
    texts++;
    const cr = ratio(getComputedStyle(el).color, bg(el));
    if (cr < worst) { worst = cr; where = el.tagName + ': ' + n.textContent.trim().slice(0, 40); }
  }
  const link = document.querySelector('main a');
  link.focus();
  const st = getComputedStyle(link);
  const focus = st.outlineStyle !== 'none' && parseFloat(st.outlineWidth) >= 2;
  const skip = document.querySelector('a.skip');
  skip.focus();
  const skipShown = skip.getBoundingClientRect().left >= 0;
  return JSON.stringify({worst, where, texts, focus, skipShown,
                         scrollW: document.documentElement.scrollWidth,
                         clientW: document.documentElement.clientWidth,
                         lang: document.documentElement.lang, title: document.title});
})()
"""


def render_pack(out):
    pack = os.path.join(out, "index-pack")
    env = dict(os.environ, SOURCE_DATE_EPOCH="1764547200")
    r = subprocess.run([os.environ["VOTECLOUD"], "render", os.path.join(EX, "consultation.csv"),
                        "--columns", "Word 1,Word 2,Word 3",
                        "--free-text-columns", "Any words missing?",
                        "--vocabulary", os.path.join(EX, "vocabulary.txt"), "--merge-plurals",
                        "--color-by", "group", "--legend", "--title", TITLE,
                        "--question", "Which three words matter most?", "-q",
                        "--pack", pack], capture_output=True, text=True, env=env, timeout=120)
    ok(r.returncode == 0, "votecloud render --pack %s" % r.stderr.strip()[:200])
    return pack


def check_tree(nodes, pack):
    by_id = {n["nodeId"]: n for n in nodes}
    live = [n for n in nodes if not n.get("ignored")]
    roles = [ax_value(n, "role") for n in live]
    root = next(n for n in nodes if ax_value(n, "role") == "RootWebArea")
    ok(ax_value(root, "name") == TITLE + ": publish pack", "page title: %r" % ax_value(root, "name"))
    ok(roles.count("main") == 1, "one main landmark")
    heads = [(n, ax_value(n, "name")) for n in live if ax_value(n, "role") == "heading"]
    levels = []
    for n, _ in heads:
        lv = [p["value"]["value"] for p in n.get("properties", []) if p["name"] == "level"]
        levels.append(lv[0] if lv else 0)
    ok(levels and levels[0] == 1 and levels.count(1) == 1 and all(x == 2 for x in levels[1:]),
       "one h1, then h2 sections: %s" % [h for _, h in heads])
    names = [h for _, h in heads]
    want = ["Word cloud", "Bar chart", "Summary", "Top words", "How size shows votes",
            "What was merged and excluded", "What the image leaves out", "Method note",
            "Date and version", "Files in this pack"]
    ok(names[1:] == want, "sections in order: %s" % names[1:])
    imgs = {ax_value(n, "name") for n in live if ax_value(n, "role") == "image"}
    for f in ("cloud-alt-text.txt", "chart-alt-text.txt"):
        with open(os.path.join(pack, f), encoding="utf-8") as fh:
            alt = fh.read().strip()
        ok(alt in imgs, "an image is named by %s" % f)
    links = [n for n in live if ax_value(n, "role") == "link"]
    unnamed = [n["nodeId"] for n in links if not (ax_value(n, "name") or "").strip()]
    ok(links and not unnamed, "%d links, every one named" % len(links))
    files = set(os.listdir(pack)) - {"index.html"}
    named = {ax_value(n, "name") for n in links}
    ok(files <= named, "a link named after every file of the pack (missing %s)"
       % sorted(files - named))
    lists = [n for n in live if ax_value(n, "role") == "list"]
    items = sum(len([c for c in n.get("childIds", []) if by_id.get(c) and
                     ax_value(by_id[c], "role") == "listitem"]) for n in lists)
    ok(items >= len(files), "files and facts are real lists (%d items)" % items)


def render_compare(out):
    """A coordinated batch of the generated 12-event series."""
    series = os.path.join(out, "compare-series")
    subprocess.run([sys.executable, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                                 "make-series.py"), series], check=True)
    gallery = os.path.join(series, "out")
    r = subprocess.run([os.environ["VOTECLOUD"], "batch", "--manifest",
                        os.path.join(series, "events.csv"), "-o", gallery, "--coordinate",
                        "--width", "800", "--height", "450", "-q"],
                       capture_output=True, text=True, timeout=300)
    ok(r.returncode == 0, "votecloud batch --coordinate %s" % r.stderr.strip()[:200])
    return gallery


def check_compare(dt, gallery, out):
    dt.call("Emulation.setDeviceMetricsOverride", width=1400, height=1200,
            deviceScaleFactor=1, mobile=False)
    dt.call("Page.navigate", url="file://" + os.path.join(gallery, "compare.html"))
    dt.wait_event("Page.loadEventFired", time.monotonic() + TIMEOUT)
    nodes = dt.call("Accessibility.getFullAXTree").get("nodes", [])
    live = [n for n in nodes if not n.get("ignored")]
    imgs = [n for n in live if ax_value(n, "role") == "image"]
    ok(len(imgs) == 12 and all((ax_value(n, "name") or "").startswith("Word cloud")
                               for n in imgs),
       "compare view: 12 clouds, each named by its alt text (%d)" % len(imgs))
    cols = [ax_value(n, "name") for n in live if ax_value(n, "role") == "columnheader"]
    ok(cols[:1] == ["Word"] and len(cols) == 14 and cols[-1] == "All events",
       "words x events table: Word, 12 events, All events (%d columns)" % len(cols))
    cells = [ax_value(n, "name") or "" for n in live if ax_value(n, "role") == "cell"]
    tops = sum(1 for c in cells if c.endswith("top 3"))
    ok(tops == 36, "top three marked in words for each of 12 events (%d)" % tops)
    shot = dt.call("Page.captureScreenshot", format="png", captureBeyondViewport=True)
    path = os.path.join(out, "compare-screenshot.png")
    with open(path, "wb") as f:
        f.write(base64.b64decode(shot["data"]))
    ok(os.path.getsize(path) > 1000, "screenshot saved: " + path)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", default=".")
    args = ap.parse_args()
    if chromium_or_skip() is None:
        return 0
    os.makedirs(args.out, exist_ok=True)
    pack = render_pack(args.out)
    gallery = render_compare(args.out)
    with tempfile.TemporaryDirectory() as tmp:
        browser = Browser(domains=(), width=1000, height=1200, home=tmp)
        try:
            dt = browser.start().dt
            browser.open("file://" + os.path.join(pack, "index.html"))
            ok(True, "chromium loaded index.html")
            # A headless page never has the window's focus: emulate it, so
            # :focus styles apply as for a keyboard user.
            dt.call("Emulation.setFocusEmulationEnabled", enabled=True)
            dt.call("Accessibility.enable")
            nodes = dt.call("Accessibility.getFullAXTree").get("nodes", [])
            with open(os.path.join(args.out, "index-axtree.json"), "w") as f:
                json.dump(nodes, f, indent=1)
            check_tree(nodes, pack)
            shot = dt.call("Page.captureScreenshot", format="png", captureBeyondViewport=True)
            path = os.path.join(args.out, "index-screenshot.png")
            with open(path, "wb") as f:
                f.write(base64.b64decode(shot["data"]))
            ok(os.path.getsize(path) > 1000, "screenshot saved: " + path)
            res = json.loads(dt.call("Runtime.evaluate", expression=CHECKS_JS,
                                     returnByValue=True)["result"]["value"])
            ok(res["lang"] == "en", "html lang=en")
            ok(res["texts"] > 20 and res["worst"] >= 4.5,
               "all %d text runs meet 4.5:1 (lowest %.2f at %s)" % (res["texts"], res["worst"],
                                                                   res["where"]))
            ok(res["focus"], "a focused link shows an outline of 2px or more")
            ok(res["skipShown"], "the skip link appears when focused")
            dt.call("Emulation.setDeviceMetricsOverride", width=320, height=800,
                    deviceScaleFactor=1, mobile=True)
            dt.call("Page.reload")
            dt.wait_event("Page.loadEventFired", time.monotonic() + TIMEOUT)
            res = json.loads(dt.call("Runtime.evaluate", expression=CHECKS_JS,
                                     returnByValue=True)["result"]["value"])
            ok(res["scrollW"] <= res["clientW"],
               "reflow at 320 px: no horizontal scroll (%d <= %d)" % (res["scrollW"],
                                                                     res["clientW"]))
            check_compare(dt, gallery, args.out)
        except Exception as e:  # report, never hang the suite
            ok(False, "%s: %s" % (type(e).__name__, e))
        finally:
            browser.close()
    return done()


if __name__ == "__main__":
    sys.exit(main())
