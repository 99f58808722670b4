#!/usr/bin/env python3
"""test-browser.py - the web app in a real browser: headless Chromium over
the DevTools protocol (tests/cdp.py) against `votecloud serve` on a free
loopback port.  Uploads a synthetic Microsoft Forms export, leaves only
the question ticked, changes the palette, waits for the preview, downloads
the PNG and the zip through the page's links, and compares the PNG byte
for byte with `votecloud render` run directly.  A screenshot of each step
is kept in --out (the meson build folder).  Skips without Chromium.

usage: test-browser.py --out DIR
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
import zipfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, ".."))
sys.path.insert(0, HERE)
from taplib import ok  # noqa: E402
from cdp import Browser, capture, chromium_or_skip, js, wait_for  # noqa: E402
from servelib import Server, VOTECLOUD, options_to_args, finish  # noqa: E402

TIMEOUT = 60.0


def shot(dt, out, name):
    path = os.path.join(out, name)
    data = capture(dt, path, beyond=True)
    ok(data[:8] == b"\x89PNG\r\n\x1a\n", "screenshot: " + path)


def wait_file(folder, suffix, limit=TIMEOUT):
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        for n in os.listdir(folder):
            if n.endswith(suffix) and not n.endswith(".crdownload"):
                return os.path.join(folder, n)
        time.sleep(0.1)
    raise TimeoutError("no download ending " + suffix)


# The preview is current when its image shows the latest cloud id.
PREVIEW_READY = ("(() => { const i = document.getElementById('preview');"
                 " return i.dataset.cloud && i.complete && i.naturalWidth > 0"
                 " && i.dataset.cloud !== window.__lastCloud; })()")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", required=True)
    args = ap.parse_args()
    if chromium_or_skip() is None:
        return 0
    os.makedirs(args.out, exist_ok=True)
    tmp = tempfile.mkdtemp(prefix="vc-browser-")
    survey = os.path.join(tmp, "forms-export.csv")
    subprocess.run([sys.executable, os.path.join(HERE, "make-survey.py"), survey, "60"], check=True)
    srv = Server(os.path.join(tmp, "data")).start()
    base = "http://127.0.0.1:%d/" % srv.port
    downloads = os.path.join(tmp, "downloads")
    os.mkdir(downloads)
    browser = Browser(width=1100, height=900, downloads=downloads)
    try:
        dt = browser.start().dt
        dt.call("Page.navigate", url=base)
        wait_for(dt, "document.readyState === 'complete'", "the page")
        ok(js(dt, "document.title").startswith("votecloud"), "the page loaded from the server")
        shot(dt, args.out, "serve-1-upload.png")

        # 1. upload through the file input (as the picker would)
        doc = dt.call("DOM.getDocument")
        node = dt.call("DOM.querySelector", nodeId=doc["root"]["nodeId"], selector="#file")
        dt.call("DOM.setFileInputFiles", nodeId=node["nodeId"], files=[survey])
        wait_for(dt, "!document.getElementById('step-columns').hidden", "the columns")
        wait_for(dt, PREVIEW_READY, "the first preview")
        rows = js(dt, "document.querySelectorAll('#columns tbody tr').length")
        ok(rows == 8, "the columns step lists the 8 columns (%r)" % rows)
        ticked = js(dt, "[...document.querySelectorAll('#columns input:checked')].map(b => b.value).join(',')")
        ok(ticked == "#6,#7", "the question and the free-text column are pre-ticked, by number (%r)" % ticked)
        text = js(dt, "document.querySelector('#columns tbody').innerText")
        scripts = js(dt, "document.querySelectorAll('#columns script').length")
        ok("<script>alert(1)</script>" in text and scripts == 0,
           "the header <script>alert(1)</script> is shown as text, no script element")
        shot(dt, args.out, "serve-2-columns.png")

        # 1b. the merge-plurals toggle: the server keeps it, the table shown
        # is the server's, and it is undone the same way
        uid = os.listdir(os.path.join(tmp, "data", "uploads"))[0]
        for op, label in (("merge-plurals", "Count plurals separately"), ("keep-plurals", "Merge plurals into their singular")):
            js(dt, "window.__lastCloud = document.getElementById('preview').dataset.cloud;"
                   " document.getElementById('plurals-toggle').click(); true")
            wait_for(dt, "document.getElementById('plurals-toggle').textContent === %s" % json.dumps(label), "the toggle")
            wait_for(dt, PREVIEW_READY, "the preview after " + op)
            st, h, body = srv.cloud(uid, {"columns": "6", "free-text-columns": "7"}, kind="words")
            w = json.loads(body) if st == 200 else {}
            shown = js(dt, "[...document.querySelectorAll('#words tbody tr')].map(r => r.cells[0].textContent + '=' + r.cells[1].textContent).join('|')")
            want = "|".join("%s=%s" % (x["text"], ("%g" % x["count"])) for x in w.get("words", [])[:50])
            ok(w.get("settings", {}).get("plurals") is (op == "merge-plurals") and shown == want,
               "JS: the plurals toggle (%s) is kept by the server and the table shown is its count" % op)
            if op == "merge-plurals":
                js(dt, "document.getElementById('plurals').scrollIntoView(); true")
                shot(dt, args.out, "serve-2b-words-plurals.png")

        # 2. leave only the question ticked
        js(dt, "window.__lastCloud = document.getElementById('preview').dataset.cloud;"
               " document.getElementById('col-7').click(); true")
        wait_for(dt, PREVIEW_READY, "the preview without the free text")

        # 3. change the palette
        js(dt, "window.__lastCloud = document.getElementById('preview').dataset.cloud;"
               " const p = document.getElementById('palette'); p.value = 'okabe-ito';"
               " p.dispatchEvent(new Event('change')); true")
        wait_for(dt, PREVIEW_READY, "the preview in okabe-ito")
        alt = js(dt, "document.getElementById('alt').value")
        ok(alt.startswith("Word cloud of 60 responses"), "the alt text is shown under the preview (%r)" % alt[:60])
        ok(js(dt, "document.getElementById('preview').alt") == alt, "the preview image carries the alt text")
        js(dt, "document.getElementById('step-preview').scrollIntoView(); true")
        shot(dt, args.out, "serve-3-preview.png")

        # 4. download the PNG and the zip through the page's links
        js(dt, "document.querySelector('a[data-file=\"cloud.png\"]').click(); true")
        png_path = wait_file(downloads, "cloud.png")
        js(dt, "document.querySelector('a[data-file=\"pack.zip\"]').click(); true")
        zip_path = wait_file(downloads, "pack.zip")
        js(dt, "document.getElementById('step-download').scrollIntoView(); true")
        shot(dt, args.out, "serve-4-download.png")

        opts = {"columns": "6", "width": 1200, "height": 675, "palette": "okabe-ito"}
        ref = os.path.join(tmp, "ref.png")
        subprocess.run([VOTECLOUD, "render", survey] + options_to_args(opts) + ["-o", ref],
                       check=True, capture_output=True)
        same = open(png_path, "rb").read() == open(ref, "rb").read()
        ok(same, "the downloaded PNG is byte for byte `votecloud render %s`"
           % " ".join(options_to_args(opts)))
        with zipfile.ZipFile(zip_path) as z:
            ok(z.read("cloud.png") == open(ref, "rb").read() and "alt.txt" in z.namelist(),
               "the zip holds the same PNG and the alt text")
        with open(os.path.join(args.out, "serve-browser.json"), "w") as f:
            json.dump({"png": os.path.basename(png_path), "identical": same}, f)
        ok(js(dt, "document.getElementById('error').hidden"), "no error was shown on the way")
        ok("drawn with a box" not in js(dt, "document.getElementById('status').textContent"),
           "no box note while every character is drawn")

        # 5. an answer with a character no font here has (U+09B3): the
        # status line names the word drawn with a box, and so does the
        # gallery of one cloud per event, under its event only
        odd = os.path.join(tmp, "odd.csv")
        with open(odd, "w", encoding="utf-8") as f:
            f.write("Respondent,Word,Event\r\n1,care,North\r\n2,care,South\r\n"
                    "3,x\u09b3y,North\r\n4,hope,South\r\n")
        js(dt, "window.__lastCloud = document.getElementById('preview').dataset.cloud; true")
        node = dt.call("DOM.querySelector", nodeId=dt.call("DOM.getDocument")["root"]["nodeId"],
                       selector="#file")
        dt.call("DOM.setFileInputFiles", nodeId=node["nodeId"], files=[odd])
        wait_for(dt, PREVIEW_READY, "the preview of the answer with a box")
        status = js(dt, "document.getElementById('status').textContent")
        ok("1 word is drawn with a box in place of a character no font on this server has: "
           "\u201cx\u09b3y\u201d (U+09B3)." in status, "JS: the status line names it: %r" % status)
        js(dt, "document.getElementById('step-preview').scrollIntoView(); true")
        shot(dt, args.out, "serve-5-undrawable.png")
        js(dt, "document.getElementById('events-run').click(); true")
        wait_for(dt, "document.querySelectorAll('#gallery li').length === 2",
                 "the gallery of one cloud per event")
        notes = js(dt, "Array.from(document.querySelectorAll('#gallery li')).map("
                       "li => li.querySelector('h3').textContent + ': ' + "
                       "((li.querySelector('.note') || {}).textContent || '-')).join(' | ')")
        ok(notes.startswith("North (2 respondents): 1 word is drawn with a box in place of a character no font on "
                            "this server has: \u201cx\u09b3y\u201d (U+09B3).") and
           notes.endswith(" | South (2 respondents): -"), "JS: the gallery names it under its event only: %r" % notes)
        js(dt, "document.getElementById('step-events').scrollIntoView(); true")
        shot(dt, args.out, "serve-6-events-undrawable.png")
    except Exception as e:  # report, never hang the suite
        ok(False, "%s: %s" % (type(e).__name__, e))
    finally:
        browser.close()
        srv.stop()
    return finish(tmp)


if __name__ == "__main__":
    sys.exit(main())
