#!/usr/bin/env python3
"""axtree.py - opens an SVG (inline) and an HTML data table in headless
Chromium and asserts, through the DevTools protocol's accessibility tree,
what a screen reader would be given: the image with its title as name and
its description, and the table with its caption, column headers and one
row per word.  Saves a screenshot as an artifact.  Prints TAP; skips when
Chromium is not installed.

usage: axtree.py --svg FILE --table FILE.html --rows N [--out DIR]
       axtree.py --render INPUT [--title T] [--out DIR]
         (the meson test: makes the SVG, table and row count with the
         votecloud binary named by $VOTECLOUD, writing into --out)

Python 3 standard library only; the DevTools client is tests/cdp.py.
"""
import argparse
import html
import json
import os
import re
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from taplib import done, ok  # noqa: E402
from cdp import Browser, chromium_or_skip  # noqa: E402


# ---- the page under test -------------------------------------------------

def make_page(svg_path, table_path, out_path):
    with open(svg_path, encoding="utf-8") as f:
        svg = f.read()
    # Inline SVG in HTML: drop the XML declaration, doctype and comments.
    svg = re.sub(r"<\?xml[^>]*\?>", "", svg)
    svg = re.sub(r"<!DOCTYPE[^>]*>", "", svg)
    svg = re.sub(r"<!--.*?-->", "", svg, flags=re.S)
    with open(table_path, encoding="utf-8") as f:
        page = f.read()
    m = re.search(r"<table>.*</table>", page, flags=re.S)
    style = re.search(r"<style>.*?</style>", page, flags=re.S)
    if not m:
        raise ValueError(table_path + ": no <table>")
    doc = ("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
           "<title>axtree check</title>%s</head><body>\n<figure>%s</figure>\n%s\n"
           "</body></html>\n" % (style.group(0) if style else "", svg.strip(),
                                 m.group(0)))
    with open(out_path, "w", encoding="utf-8") as f:
        f.write(doc)


def ax_value(node, key):
    v = node.get(key) or {}
    return v.get("value") if isinstance(v, dict) else None


def check_tree(nodes, title, desc, caption, rows):
    live = [x for x in nodes if not x.get("ignored")]
    by_id = {x["nodeId"]: x for x in nodes}

    # aria-labelledby="title desc" (the markup) names the image
    # with both; aria-labelledby="title" aria-describedby="desc" splits
    # them into name and description.  Either way a screen reader reads
    # the title first and then the description.
    images = [x for x in live if ax_value(x, "role") == "image"]
    img = next((x for x in images
                if (ax_value(x, "name") or "").startswith(title)), None)
    ok(img is not None, "the SVG is an image named first by its <title> (%r)"
       % [ax_value(x, "name") for x in images])
    name = ax_value(img, "name") if img else ""
    got_desc = ax_value(img, "description") if img else None
    ok(got_desc == desc or name == title + " " + desc,
       "the image exposes its <desc> (description %r, name %r)" % (got_desc, name))
    # votecloud uses the split form: Chromium otherwise folds the whole
    # description into the name.
    ok(name == title and got_desc == desc,
       "name is the title alone, description the <desc> alone")

    tables = [x for x in live if ax_value(x, "role") == "table"]
    ok(len(tables) == 1, "one table exposed")
    table = tables[0] if tables else {}
    ok(ax_value(table, "name") == caption, "the table is named by its caption: %r"
       % ax_value(table, "name"))

    def descendants(node):
        out, stack = [], list(node.get("childIds", []))
        while stack:
            c = by_id.get(stack.pop())
            if c is None:
                continue
            out.append(c)
            stack.extend(c.get("childIds", []))
        return out

    inside = [x for x in descendants(table) if not x.get("ignored")]
    roles = [ax_value(x, "role") for x in inside]
    headers = [ax_value(x, "name") for x in inside if ax_value(x, "role") == "columnheader"]
    ok(sorted(headers) == sorted(["Word", "Votes", "Group", "Status"]),
       "column headers exposed: %r" % headers)
    ok(roles.count("row") == rows + 1, "%d rows (header + %d words), want %d"
       % (roles.count("row"), rows, rows + 1))
    ok(roles.count("rowheader") == rows, "each word is its row's header (%d)"
       % roles.count("rowheader"))


def render_inputs(args):
    """The real renderer's output: SVG and HTML table of one survey, and
    the number of table rows (every word, drawn or left out)."""
    os.makedirs(args.out, exist_ok=True)
    args.svg = os.path.join(args.out, "axtree.svg")
    args.table = os.path.join(args.out, "axtree-table.html")
    layout = os.path.join(args.out, "axtree-layout.json")
    r = subprocess.run([os.environ["VOTECLOUD"], "render", args.render,
                        "--title", args.title, "--width", "800", "--height", "450",
                        "-o", args.svg, "--table", args.table,
                        "--layout-json", layout, "-q"],
                       capture_output=True, text=True, timeout=60)
    ok(r.returncode == 0, "votecloud render wrote the SVG and table %s"
       % r.stderr.strip()[:200])
    with open(layout, encoding="utf-8") as f:
        rep = json.load(f)
    args.rows = len(rep["words"]) + len(rep["dropped"])


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--svg")
    ap.add_argument("--table")
    ap.add_argument("--out", default=".")
    ap.add_argument("--rows", type=int)
    ap.add_argument("--render", metavar="INPUT")
    ap.add_argument("--title", default="Our vision: consultation words")
    args = ap.parse_args()
    if not args.render and not (args.svg and args.table and args.rows is not None):
        ap.error("--svg, --table and --rows, or --render")

    if chromium_or_skip() is None:
        return 0
    if args.render:
        render_inputs(args)

    # What the tree should say, read from the files themselves.
    with open(args.svg, encoding="utf-8") as f:
        svg = f.read()
    title = html.unescape(re.search(r"<title[^>]*>(.*?)</title>", svg, re.S).group(1))
    desc = html.unescape(re.search(r"<desc[^>]*>(.*?)</desc>", svg, re.S).group(1))
    with open(args.table, encoding="utf-8") as f:
        caption_html = re.search(r"<caption>(.*?)</caption>", f.read(), re.S).group(1)
    caption = html.unescape(caption_html)

    os.makedirs(args.out, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        browser = Browser(domains=(), width=1000, height=1100, home=tmp)
        try:
            page = os.path.join(tmp, "page.html")
            make_page(args.svg, args.table, page)
            dt = browser.start().dt
            browser.open("file://" + page)
            ok(True, "chromium loaded the page")
            dt.call("Accessibility.enable")
            nodes = dt.call("Accessibility.getFullAXTree").get("nodes", [])
            with open(os.path.join(args.out, "axtree.json"), "w") as f:
                json.dump(nodes, f, indent=1)
            check_tree(nodes, title, desc, caption, args.rows)
            shot_path = os.path.join(args.out, "axtree-screenshot.png")
            png = browser.screenshot(shot_path, beyond=True)
            ok(png[:8] == b"\x89PNG\r\n\x1a\n", "screenshot saved: " + shot_path)
        except Exception as e:  # report, never hang the suite
            ok(False, "%s: %s" % (type(e).__name__, e))
        finally:
            browser.close()
    return done()


if __name__ == "__main__":
    sys.exit(main())
