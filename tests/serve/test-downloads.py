#!/usr/bin/env python3
"""test-downloads.py - `votecloud serve` downloads beyond the images (a
real server on a free loopback port, real SQLite): the officer's alt text
saved with the cloud (JSON and the form without JavaScript) and served in
alt.txt and pack.zip, the CLI's kept as alt-original.txt; one cloud per
event (the batch path) with its gallery listed and served file by file,
same bytes as `votecloud batch`; hostile alt text and gallery names."""
import io
import json
import os
import subprocess
import sys
import tempfile
import urllib.parse
import zipfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, ".."))
sys.path.insert(0, HERE)
from taplib import ok  # noqa: E402
from servelib import Server, VOTECLOUD, options_to_args, finish  # noqa: E402

EVENT = "Where did you fill in this survey?"


def post(srv, path, obj=None, raw=None):
    body = raw if raw is not None else json.dumps(obj).encode()
    st, h, b = srv.request("POST", path, body, {"Content-Type": "application/json", "X-Votecloud": "1"})
    try:
        return st, json.loads(b)
    except ValueError:
        return st, {}


def main():
    tmp = tempfile.mkdtemp(prefix="vc-dl-")
    survey = os.path.join(tmp, "survey.csv")
    subprocess.run([sys.executable, os.path.join(HERE, "make-survey.py"), survey, "60"], check=True)
    data = os.path.join(tmp, "data")
    srv = Server(data).start()
    st, h, body = srv.upload("survey.csv", open(survey, "rb").read())
    uid = json.loads(body)["id"]
    st, h, body = srv.cloud(uid, {"columns": "6"})
    cid = json.loads(body)["id"]

    # alt text
    mine = "Word cloud of 60 answers: Wellbeing, Prevention and \"safe, healthy lives\" lead. <b>not markup</b>"
    st, j = post(srv, "/api/clouds/%s/alt" % cid, {"alt_text": mine})
    ok(st == 200, "save alt text: 200")
    st, h, alt = srv.request("GET", "/api/clouds/%s/alt.txt" % cid)
    ok(alt == (mine + "\n").encode(), "alt.txt is the officer's text")
    orig = open(os.path.join(data, "clouds", cid, "alt-original.txt"), "rb").read()
    ok(orig.startswith(b"Word cloud of 60 responses"), "the CLI's alt text kept as alt-original.txt")
    st, h, z = srv.request("GET", "/api/clouds/%s/pack.zip" % cid)
    zf = zipfile.ZipFile(io.BytesIO(z))
    ok(zf.read("alt.txt") == (mine + "\n").encode() and "cloud@2x.png" in zf.namelist(),
       "pack.zip holds the officer's alt text and the @2x PNG")
    st, h, page = srv.request("GET", "/c/%s" % cid)
    ok(b"&lt;b&gt;not markup&lt;/b&gt;" in page and b"<b>not markup" not in page and b'name="alt_text"' in page,
       "the cloud page shows it escaped, in an editable box")
    st, j = post(srv, "/api/clouds/%s/alt" % cid, {"alt_text": "line one\nline two"})
    st, h, alt = srv.request("GET", "/api/clouds/%s/alt.txt" % cid)
    ok(alt == b"line one line two\n", "newlines become spaces: one paragraph")
    for value, what in (("", "empty"), ("bell\x07", "BEL"), ("esc\x1b[2J", "ESC"), ("x" * 10001, "10,001 bytes"),
                        (5, "a number"), (None, "null")):
        st, j = post(srv, "/api/clouds/%s/alt" % cid, {"alt_text": value})
        ok(st == 400 and j.get("error"), "alt text %s: 400" % what)
    st, h, alt = srv.request("GET", "/api/clouds/%s/alt.txt" % cid)
    ok(alt == b"line one line two\n", "... and the saved text is unchanged")
    st, j = post(srv, "/api/clouds/%s/alt" % cid, raw=b"not json")
    ok(st == 400, "alt not JSON: 400")
    st, j = post(srv, "/api/clouds/%s/alt" % ("f" * 32), {"alt_text": "x"})
    ok(st == 404, "alt of an unknown cloud: 404")
    st, h, b = srv.request("POST", "/api/clouds/%s/alt" % cid, b'{"alt_text":"x"}', {"Content-Type": "application/json"})
    ok(st == 403, "alt without the CSRF header: 403")
    form = urllib.parse.urlencode({"alt_text": "Saved without JavaScript"}).encode()
    st, h, b = srv.request("POST", "/c/%s" % cid, form, {"Content-Type": "application/x-www-form-urlencoded",
                                                          "Sec-Fetch-Site": "same-origin"})
    st2, h2, alt = srv.request("GET", "/api/clouds/%s/alt.txt" % cid)
    ok(st == 303 and h.get("location") == "/c/%s#h-preview" % cid and alt == b"Saved without JavaScript\n",
       "no JS: the alt form saves and goes back to the cloud")
    st, h, b = srv.request("POST", "/c/%s" % cid, form, {"Content-Type": "application/x-www-form-urlencoded",
                                                          "Sec-Fetch-Site": "cross-site"})
    ok(st == 403, "no JS: a cross-site alt form: 403")

    # one cloud per event
    opts = {"columns": "6", "width": 600, "height": 400, "event-column": EVENT, "same-scale": True}
    st, b = post(srv, "/api/uploads/%s/batch" % uid, opts)
    ok(st == 201 and b.get("events") == 3 and [g["event"] for g in b.get("gallery", [])] ==
       ["Online", "Design Day", "Roadshow"], "per event: 201, three events listed in order")
    ref = os.path.join(tmp, "gallery")
    subprocess.run([VOTECLOUD, "batch", survey] + options_to_args(opts) + ["-o", ref], check=True, capture_output=True)
    same = True
    for g in b.get("gallery", []):
        st, h, svg = srv.request("GET", "/api/batches/%s/gallery/%s" % (b["id"], g["svg"]))
        same = same and st == 200 and h["content-type"] == "image/svg+xml" and \
            svg == open(os.path.join(ref, g["svg"]), "rb").read()
        same = same and g.get("alt_text", "").startswith("Word cloud") and g.get("status") == "ok"
    ok(same and b.get("gallery"), "each event's SVG served, same bytes as `votecloud batch --same-scale`, with its alt text")
    st, h, z = srv.request("GET", "/api/batches/%s/gallery.zip" % b["id"])
    names = zipfile.ZipFile(io.BytesIO(z)).namelist() if st == 200 else []
    ok("index.html" in names and "online.png" in names, "the gallery zip holds index.html and the PNGs")
    for bad in ("../../index.sqlite", "..%2f..%2findex.sqlite", ".hidden", "ONLINE.SVG", "a/b.svg",
                "online.svg.png", "", "x" * 200):
        st, h, body = srv.request("GET", "/api/batches/%s/gallery/%s" % (b["id"], bad))
        ok(st == 404, "gallery file %r: 404" % bad)
    os.symlink(os.path.join(data, "index.sqlite"), os.path.join(data, "batches", b["id"], "gallery", "link.svg"))
    st, h, body = srv.request("GET", "/api/batches/%s/gallery/link.svg" % b["id"])
    ok(st == 404, "a symlink in the gallery is not followed: 404")
    st, h, body = srv.request("GET", "/api/batches/%s/gallery/online.svg" % ("f" * 32))
    ok(st == 404, "a file of an unknown batch: 404")

    srv.stop()
    return finish(tmp)


if __name__ == "__main__":
    sys.exit(main())
