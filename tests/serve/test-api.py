#!/usr/bin/env python3
"""test-api.py - `votecloud serve` as a real process on a free loopback
port with a real SQLite index in a temporary folder: every error status,
the limits, the headers, traversal attempts, CSRF refusal, byte identity
with `votecloud render`, batch, a restart, expiry, the password."""
import io
import json
import re
import os
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import zipfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from taplib import ok  # noqa: E402
from servelib import Server, VOTECLOUD, basic, options_to_args, finish  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
QUESTION = "Which three words matter most to you?"
HEADERS = {
    "content-security-policy": "default-src 'self'",
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
}


def secure(h):
    return all(k in h and h[k].startswith(v) for k, v in HEADERS.items())


def error_of(body):
    try:
        return json.loads(body).get("error", "")
    except ValueError:
        return ""


def undrawable_cloud(srv):
    """An answer with a character no font here has (U+09B3, unassigned):
    the image shows a box, so the answer and the cloud page name the word
    and the character, and a Bengali answer beside it is not named; one
    cloud per event names it under its event only."""
    odd = "x\u09b3y"
    csv = ("Respondent,Word,Event\r\n1,care,North\r\n2,care,South\r\n3,%s,North\r\n"
           "4,\u09aa\u09cd\u09b0,South\r\n" % odd)
    st, h, body = srv.upload("odd.csv", csv.encode("utf-8"))
    uid = json.loads(body).get("id") if st == 201 else None
    st, h, body = srv.cloud(uid, {"columns": "2"})
    cl = json.loads(body) if st == 201 else {}
    ok(st == 201 and cl.get("undrawable") == [{"text": odd, "character": "U+09B3"}],
       "a word drawn with a box: undrawable names it and the character (%d %s)" %
       (st, cl.get("undrawable", body[:200])))
    st, h, page = srv.request("GET", "/c/%s" % cl.get("id"))
    text = page.decode("utf-8", "replace")
    ok(st == 200 and 'id="undrawable"' in text and
       "1 word is drawn with a box in place of a character no font on this server has: "
       "\u201c%s\u201d (U+09B3)." % odd in text,
       "the no-JS cloud page says which word and character")
    st, h, body = srv.cloud(uid, {"columns": "2", "event-column": "Event"}, kind="batch")
    ba = json.loads(body) if st == 201 else {}
    got = [(g.get("event"), g.get("undrawable")) for g in ba.get("gallery", [])]
    ok(st == 201 and got == [("North", [{"text": odd, "character": "U+09B3"}]), ("South", [])],
       "one cloud per event: each event lists its words drawn with a box (%d %s)" % (st, got or body[:200]))


def main():
    tmp = tempfile.mkdtemp(prefix="vc-serve-")
    survey = os.path.join(tmp, "survey.csv")
    subprocess.run([sys.executable, os.path.join(HERE, "make-survey.py"), survey, "60"], check=True)
    content = open(survey, "rb").read()
    data = os.path.join(tmp, "data")
    srv = Server(data, "--max-upload-mb", "1").start()
    ok(srv.banner.startswith("votecloud: serving http://127.0.0.1:"), "prints the URL")

    # health and headers
    st, h, body = srv.request("GET", "/healthz")
    ok(st == 200 and body == b"ok\n" and secure(h), "GET /healthz: 200 ok with the security headers")
    st, h, body = srv.request("GET", "/")
    ok(st == 200 and b"<html" in body and h["content-type"].startswith("text/html") and secure(h),
       "GET /: the page, with the security headers")
    st, h, body = srv.request("GET", "/nothing-here")
    ok(st == 404 and error_of(body) and secure(h), "unknown path: 404 JSON error, headers too")

    # uploads: CSRF
    st, h, body = srv.upload("survey.csv", content, csrf=False)
    ok(st == 403 and "cross-site" in error_of(body), "upload without the header or Origin: 403")
    st, h, body = srv.upload("survey.csv", content, csrf=False,
                             headers={"Origin": "http://evil.example"})
    ok(st == 403, "upload from another origin: 403")
    st, h, body = srv.upload("survey.csv", content, csrf=False,
                             headers={"Origin": "http://127.0.0.1:%d" % srv.port})
    ok(st == 201, "upload from the same origin (a form post): 201")
    # What a browser sends for a form post from our own page under
    # Referrer-Policy: no-referrer, and from another site's page.
    st, h, body = srv.upload("survey.csv", content, csrf=False,
                             headers={"Origin": "null", "Sec-Fetch-Site": "same-origin"})
    ok(st == 201, "form post from our page (Origin: null, Sec-Fetch-Site: same-origin): 201")
    st, h, body = srv.upload("survey.csv", content, csrf=False,
                             headers={"Origin": "null", "Sec-Fetch-Site": "cross-site"})
    ok(st == 403, "form post from another site (Sec-Fetch-Site: cross-site): 403")
    st, h, body = srv.upload("survey.csv", content, csrf=False,
                             headers={"Origin": "http://127.0.0.1:%d" % srv.port,
                                      "Sec-Fetch-Site": "cross-site"})
    ok(st == 403, "a forged Origin does not outvote Sec-Fetch-Site: cross-site: 403")
    n_uploads = len(os.listdir(os.path.join(data, "uploads")))
    ok(n_uploads == 2, "refused uploads stored nothing (%d stored)" % n_uploads)

    # uploads: the good path
    st, h, body = srv.upload("survey.csv", content)
    up = json.loads(body) if st == 201 else {}
    ok(st == 201 and len(up.get("id", "")) == 32, "upload: 201 with a 32-hex id")
    want = json.loads(subprocess.run([VOTECLOUD, "inspect", survey, "--json"],
                                     capture_output=True, check=True).stdout)
    ok(all(up.get(k) == want[k] for k in want), "upload answer = `votecloud inspect --json` + id")
    cols = {c["index"]: c for c in up.get("columns", [])}
    ok(cols.get(6, {}).get("header") == QUESTION and cols[6]["suggested"]
       and cols.get(7, {}).get("header") == "<script>alert(1)</script>",
       "columns: the question suggested, the script header kept as data")
    ok(h.get("content-type") == "application/json" and h.get("x-content-type-options") == "nosniff",
       "the upload answer is JSON, never sniffed as HTML")

    # uploads: errors
    st, h, body = srv.upload("survey.exe", content)
    ok(st == 415 and ".csv" in error_of(body), "upload .exe: 415")
    st, h, body = srv.request("POST", "/api/uploads", content,
                              {"Content-Type": "text/csv", "X-Votecloud": "1"})
    ok(st == 415, "upload not multipart: 415")
    st, h, body = srv.upload("survey.csv", content, field="other")
    ok(st == 400 and "'file'" in error_of(body), "upload without the field 'file': 400")
    st, h, body = srv.upload("broken.xlsx", b"PK\x03\x04 this is not a workbook")
    msg = error_of(body)
    ok(st == 422 and msg and data not in msg and tmp not in msg,
       "corrupt .xlsx: 422 with the reader's message, no server path (%s)" % msg)

    # 413 before the body: headers only, then the answer
    s = socket.create_connection(("127.0.0.1", srv.port), timeout=30)
    s.sendall(b"POST /api/uploads HTTP/1.1\r\nHost: x\r\nX-Votecloud: 1\r\n"
              b"Content-Type: multipart/form-data; boundary=b\r\nContent-Length: 50000000\r\n\r\n")
    first = s.recv(4096)
    s.close()
    ok(first.startswith(b"HTTP/1.1 413"), "Content-Length over the limit: 413 before any body byte")
    # 413 counted while streaming (chunked: no Content-Length)
    big = b"x" * (1100 * 1024)
    boundary = "bb"
    payload = (b"--bb\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.csv\"\r\n\r\n"
               + big + b"\r\n--bb--\r\n")
    s = socket.create_connection(("127.0.0.1", srv.port), timeout=60)
    s.sendall(("POST /api/uploads HTTP/1.1\r\nHost: x\r\nX-Votecloud: 1\r\n"
               "Content-Type: multipart/form-data; boundary=%s\r\nTransfer-Encoding: chunked\r\n\r\n"
               % boundary).encode())
    for i in range(0, len(payload), 65536):
        part = payload[i:i + 65536]
        try:
            s.sendall(b"%x\r\n" % len(part) + part + b"\r\n")
        except OSError:
            break
    try:
        s.sendall(b"0\r\n\r\n")
    except OSError:
        pass
    answer = b""
    for _ in range(100):
        try:
            chunk = s.recv(4096)
        except OSError:
            break
        if not chunk:
            break
        answer += chunk
        if b"\r\n\r\n" in answer:
            break
    s.close()
    ok(answer.startswith(b"HTTP/1.1 413"), "chunked upload over the limit: 413 (bytes counted)")
    for _ in range(50):  # the request's clean-up runs after its answer
        leftovers = os.listdir(os.path.join(data, "tmp"))
        if not leftovers:
            break
        time.sleep(0.1)
    ok(leftovers == [], "no partial upload left behind (%r)" % leftovers)

    # clouds: errors
    uid = up["id"]
    unknown = "0" * 32
    st, h, body = srv.cloud(unknown, {"columns": "6"})
    ok(st == 404, "cloud of an unknown upload: 404")
    for bad in ("../../etc", "..%2f..%2fetc", "%2e%2e", uid.upper(), uid + "0", uid[:31]):
        st, h, body = srv.request("POST", "/api/uploads/%s/clouds" % bad, b"{}",
                                  {"Content-Type": "application/json", "X-Votecloud": "1"})
        ok(st == 404 and secure(h), "upload id %r: 404" % bad)
    cases = [
        ({"columns": "6", "colour": "red"}, "unknown option 'colour'"),
        ({"columns": "6", "mask": "/etc/passwd"}, "option 'mask' names a file"),
        ({"columns": "6", "o": "/tmp/x.png"}, "option 'o' names a file"),
        ({"columns": "6", "style": "../x"}, "option 'style' names a file"),
        ({"columns": "6", "font": "/etc/shadow"}, "option 'font' names a file"),
        ({"columns": "6", "width": "wide"}, "option 'width' takes a whole number"),
        ({"columns": "6", "legend": "yes"}, "option 'legend' takes true or false"),
        ({"columns": "6", "title": "a\u0007b"}, "option 'title' takes text"),
        ({"columns": "6", "event-column": "x"}, "unknown option 'event-column'"),
    ]
    for opts, want_msg in cases:
        st, h, body = srv.cloud(uid, opts)
        ok(st == 400 and want_msg in error_of(body), "options %s: 400 '%s'" % (json.dumps(opts), error_of(body)))
    st, h, body = srv.cloud(uid, None, raw=b"{not json")
    ok(st == 400 and "JSON" in error_of(body), "bad JSON: 400")
    st, h, body = srv.cloud(uid, None, raw=b"[1]")
    ok(st == 400, "a JSON array: 400")
    st, h, body = srv.cloud(uid, {"columns": "6", "width": 3})
    ok(st == 400 and error_of(body), "width the CLI refuses (exit 64): 400 '%s'" % error_of(body))
    st, h, body = srv.cloud(uid, {"columns": "No such question"})
    ok(st in (400, 422) and "No such question" in error_of(body) and data not in error_of(body),
       "an unknown column: %d naming it '%s'" % (st, error_of(body)))
    st, h, body = srv.cloud(uid, {"columns": "6"}, headers={"Content-Type": "text/plain"})
    ok(st == 415, "options not JSON: 415")
    st, h, body = srv.cloud(uid, None, raw=b"{" + b" " * (70 * 1024) + b"}")
    ok(st == 413, "options over 64 KiB: 413")
    st, h, body = srv.request("POST", "/api/uploads/%s/clouds" % uid, b"{}",
                              {"Content-Type": "application/json"})
    ok(st == 403, "cloud without the CSRF header: 403")

    # clouds: the good path, byte for byte
    opts = {"columns": "6", "free-text-columns": "7", "width": 1080, "height": 1080,
            "palette": "okabe-ito", "title": "What matters <b>most</b>", "legend": True}
    st, h, body = srv.cloud(uid, opts)
    cl = json.loads(body) if st == 201 else {}
    ok(st == 201 and len(cl.get("id", "")) == 32 and cl.get("words", 0) > 0
       and "alt_text" in cl and "dropped" in cl, "cloud: 201 {id, words, dropped, alt_text}")
    ok(cl.get("undrawable") == [], "every character drawn: undrawable [] (%s)" % cl.get("undrawable"))
    st, h, page = srv.request("GET", "/c/%s" % cl.get("id"))
    ok(st == 200 and b'id="undrawable"' not in page, "and the cloud page has no note")
    undrawable_cloud(srv)
    drawn = sorted(n for n in os.listdir(os.path.join(data, "clouds", cl["id"]))
                   if n.startswith(("cloud.", "alt.", "table.", "layout.", "pack.")))
    ok(drawn == ["alt.txt", "cloud.svg", "layout.json"],
       "a preview draws only the SVG, alt text and layout report (%s)" % drawn)
    ref = os.path.join(tmp, "ref")
    os.mkdir(ref)
    subprocess.run([VOTECLOUD, "render", survey] + options_to_args(opts) +
                   ["-o", "cloud.png", "-o", "cloud.svg", "-o", "cloud.pdf", "--alt-text", "alt.txt",
                    "--table", "table.html", "--table", "table.csv", "--layout-json", "layout.json"],
                   cwd=ref, check=True, capture_output=True)
    got = {}
    for name in ("cloud.png", "cloud.svg", "cloud.pdf", "alt.txt", "table.html", "table.csv",
                 "layout.json"):
        st, h, body = srv.request("GET", "/api/clouds/%s/%s" % (cl["id"], name))
        got[name] = body
        same = body == open(os.path.join(ref, name), "rb").read()
        ok(st == 200 and same and secure(h), "%s: identical to `votecloud render` (%d bytes)" % (name, len(body)))
        disp = h.get("content-disposition", "")
        ok(disp == 'attachment; filename="votecloud-%s-%s"' % (cl["id"][:8], name),
           "%s: Content-Disposition %s" % (name, disp))
    ok(cl.get("alt_text", "").encode() == got["alt.txt"], "alt_text in the answer = alt.txt")
    subprocess.run([VOTECLOUD, "render", survey] + options_to_args(opts) + ["--scale", "2", "-o", "cloud@2x.png"],
                   cwd=ref, check=True, capture_output=True)
    st, h, body = srv.request("GET", "/api/clouds/%s/cloud@2x.png" % cl["id"])
    got["cloud@2x.png"] = body
    ok(st == 200 and body == open(os.path.join(ref, "cloud@2x.png"), "rb").read() and body != got["cloud.png"],
       "cloud@2x.png: identical to `votecloud render --scale 2` (%d bytes)" % len(body))
    st, h, body = srv.request("GET", "/api/clouds/%s/pack.zip" % cl["id"])
    z = zipfile.ZipFile(io.BytesIO(body)) if st == 200 else None
    ok(z is not None and sorted(z.namelist()) == sorted(got) and
       all(z.read(n) == got[n] for n in got), "pack.zip holds the eight files, same bytes")
    # The publish pack (issue 15): the same pack `votecloud render --pack` writes.
    st, h, body = srv.request("GET", "/api/clouds/%s/publish.zip" % cl["id"])
    z = zipfile.ZipFile(io.BytesIO(body)) if st == 200 else None
    names = sorted(z.namelist()) if z else []
    ok(z is not None and {"index.html", "chart.svg", "description.html", "counts.csv"} <= set(names)
       and len(names) == 15 and z.read("cloud.png") == got["cloud.png"],
       "publish.zip: the 15 files of the publish pack, its cloud the same PNG (%s)" % names)
    desc = z.read("description.txt").decode() if z else ""
    ok("proportional" in desc and data not in desc,
       "publish.zip: the description says how size was encoded and names no server folder")
    for bad in ("stderr.txt", "upload.csv", "..%2f..%2findex.sqlite", "../../index.sqlite",
                "%2e%2e/%2e%2e/index.sqlite", "cloud.png/", "CLOUD.PNG"):
        st, h, body = srv.request("GET", "/api/clouds/%s/%s" % (cl["id"], bad))
        ok(st == 404 and b"SQLite" not in body, "GET cloud file %r: 404" % bad)
    st, h, body = srv.request("GET", "/api/clouds/%s/cloud.png" % unknown)
    ok(st == 404, "unknown cloud: 404")
    st, h, body = srv.request("DELETE", "/api/clouds/%s/cloud.png" % cl["id"])
    ok(st == 405, "DELETE: 405")

    # the other downloads are drawn once, also when asked for at once
    st, h, body = srv.cloud(uid, opts)
    cl2 = json.loads(body) if st == 201 else {"id": unknown}
    answers = {}

    def fetch(name):
        answers[name] = srv.request("GET", "/api/clouds/%s/%s" % (cl2["id"], name))
    threads = [threading.Thread(target=fetch, args=(n,)) for n in ("cloud.png", "cloud.pdf", "pack.zip", "table.csv")]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    ok(all(answers.get(n, (0,))[0] == 200 and answers[n][2] == got[n] for n in ("cloud.png", "cloud.pdf", "table.csv")),
       "four downloads at once: PNG, PDF and CSV identical to `votecloud render`")
    z = zipfile.ZipFile(io.BytesIO(answers["pack.zip"][2])) if answers.get("pack.zip", (0,))[0] == 200 else None
    ok(z is not None and all(z.read(n) == got[n] for n in got), "... and the zip drawn with them holds the same bytes")

    # without the zygote helper (killed), jobs start the binary: same bytes
    def zygote(p):
        try:  # processes come and go while /proc is read
            return (open("/proc/%s/cmdline" % p, "rb").read() == b"votecloud\0serve\0--zygote\0" and
                    open("/proc/%s/stat" % p).read().rsplit(")", 1)[1].split()[1] == str(srv.proc.pid))
        except OSError:
            return False
    zyg = [p for p in os.listdir("/proc") if p.isdigit() and zygote(p)]
    ok(len(zyg) == 1, "the server runs one zygote helper")
    for p in zyg:
        os.kill(int(p), signal.SIGKILL)
    time.sleep(0.2)
    st, h, body = srv.cloud(uid, opts)
    cl3 = json.loads(body) if st == 201 else {"id": unknown}
    st, h, body = srv.request("GET", "/api/clouds/%s/cloud.png" % cl3["id"])
    ok(st == 200 and body == got["cloud.png"], "zygote gone: the preview and PNG still made, same bytes")

    # batch
    bopts = {"columns": "6", "event-column": "Where did you fill in this survey?"}
    st, h, body = srv.cloud(uid, bopts, kind="batch")
    ba = json.loads(body) if st == 201 else {}
    ok(st == 201 and ba.get("events") == 3, "batch: 201 with 3 events (%s)" % body[:200])
    st, h, body = srv.request("GET", "/api/batches/%s/gallery.zip" % ba.get("id", unknown))
    names = zipfile.ZipFile(io.BytesIO(body)).namelist() if st == 200 else []
    ok("index.html" in names and sum(n.endswith(".png") for n in names) >= 3,
       "gallery.zip: index.html and a PNG per event (%d files)" % len(names))
    st, h, body = srv.cloud(uid, {"columns": "6", "event-column": "Nope"}, kind="batch")
    ok(st in (400, 422) and "Nope" in error_of(body), "batch with an unknown event column: %d" % st)

    # the path without JavaScript: form posts, 303s, server-rendered pages
    origin = {"Origin": "http://127.0.0.1:%d" % srv.port, "Accept": "text/html"}
    st, h, body = srv.upload("survey.csv", content, csrf=False, headers=origin)
    loc = h.get("location", "")
    ok(st == 303 and loc.startswith("/u/") and len(loc) == 35, "form upload: 303 to %s" % loc)
    st, h, page = srv.request("GET", loc)
    ok(st == 200 and h["content-type"].startswith("text/html") and secure(h), "GET %s: the columns page" % loc[:8])
    ok(b"&lt;script&gt;alert(1)&lt;/script&gt;" in page and b"<script>alert" not in page,
       "the script header is escaped in the server-rendered page")
    ok(b'name="col" id="col-6" value="6" checked' in page and b'value="8">' in page,
       "the question is pre-ticked, the event column is not")
    form = "col=6&preset=1080x1080&palette=viridis&title=%3Cb%3EHi%3C%2Fb%3E&legend=on"
    fh = {"Content-Type": "application/x-www-form-urlencoded"}
    st, h, body = srv.request("POST", loc, form.encode(), fh)
    ok(st == 403, "form post without Origin: 403")
    fh.update(origin)
    st, h, body = srv.request("POST", loc, form.encode(), fh)
    cloc = h.get("location", "")
    ok(st == 303 and cloc.startswith("/c/"), "form post: 303 to the cloud page %s" % cloc[:8])
    st, h, page = srv.request("GET", cloc)
    ok(st == 200 and b"cloud.svg" in page and b"pack.zip" in page and b"/u/" + loc[3:].encode() in page,
       "the cloud page: preview, downloads, a way back")
    nref = os.path.join(tmp, "nojs.png")
    subprocess.run([VOTECLOUD, "render", survey, "--columns", "6", "--width", "1080", "--height", "1080",
                    "--palette", "viridis", "--title", "<b>Hi</b>", "--legend", "-o", nref],
                   check=True, capture_output=True)
    st, h, body = srv.request("GET", "/api/clouds/%s/cloud.png" % cloc[3:])
    ok(st == 200 and body == open(nref, "rb").read(), "the form's PNG is byte for byte `votecloud render`")
    st, h, page = srv.request("POST", loc, b"col=6&palette=custom&custom=%23zzz", fh)
    ok(st in (400, 422) and h["content-type"].startswith("text/html") and b"zzz" in page
       and b"role=\"alert\"" in page, "a bad form value: an HTML error page naming it (%d)" % st)
    # ... the form again: the message linked to the field it came from, the
    # value as typed, and the columns as posted (6 alone; 7 is suggested).
    ok(b'<a href="#custom-error">' in page and b'id="custom-error"' in page and
       b'aria-describedby="custom-error" aria-invalid="true" value="#zzz"' in page,
       "... the form again, the message above the brand colours field, its value kept")
    ok(b'name="col" id="col-6" value="6" checked' in page and
       b'name="col" id="col-7" value="7" checked' not in page,
       "... and the columns as they were posted")
    st, h, page = srv.request("POST", loc, b"col=6&title=a%07b", fh)
    ok(st == 400 and b'<a href="#title-error">' in page and b'id="title-error"' in page and
       b"takes text" in page, "a control character in the title: the form again, the message at the title")
    # A header that is a number: ticking column 2 ("Choice") counts column
    # 2, not the column headed "2" (the form's columns go as "#2").
    st, h, body = srv.upload("numbers.csv", b"Name,Choice,2\nAnn,Care,5\nBob,Kind,4\nCy,Care,5\n",
                             csrf=False, headers=origin)
    nloc = h.get("location", "")
    st, h, body = srv.request("POST", nloc, b"col=2", fh)
    nc = h.get("location", "")[3:]
    st, h, body = srv.request("GET", "/api/clouds/%s/layout.json" % nc)
    words = sorted(w["text"] for w in json.loads(body)["words"]) if st == 200 else []
    ok(words == ["Care", "Kind"], "ticking column 2 under a header '2' counts column 2: %s" % words)
    st, h, body = srv.cloud(nloc[3:], {"columns": "2"})
    ok(st in (400, 422) and "both the header of column 3 and the number of column 2" in error_of(body),
       "the API's ambiguous '2' is refused, naming both columns (%d)" % st)
    st, h, page = srv.request("GET", "/u/" + unknown)
    ok(st == 404 and h["content-type"].startswith("text/html"), "unknown upload page: 404")
    st, h, body = srv.upload("survey.exe", content, csrf=False, headers=origin)
    ok(st == 415 and b"<html" in body, "form upload of an .exe: 415 as an HTML page")

    # one log line per request
    log = srv.log()
    ok("GET /healthz 200" in log and "POST /api/uploads 201" in log and
       "GET /api/clouds/%s/cloud.png 200" % cl["id"] in log, "one log line per request")
    ok(re.search(r"^POST /api/uploads/%s/clouds 201 [\d.]+ms \(before [\d.]+, child [\d.]+, after [\d.]+\)$" % uid,
                 log, re.M) is not None, "a preview's log line splits its time: before, in and after the child")

    # SIGTERM finishes the request in flight
    box = {}

    def slow():
        box["r"] = srv.cloud(uid, {"columns": "6", "width": 2400, "height": 2400})
    t = threading.Thread(target=slow)
    t.start()
    time.sleep(0.2)
    rc = srv.stop()
    t.join(120)
    ok(rc == 0 and box.get("r", (0,))[0] == 201, "SIGTERM: the request in flight finished (201), exit 0")

    # restart: the same bytes
    srv = Server(data, "--max-upload-mb", "1").start()
    st, h, body = srv.request("GET", "/api/clouds/%s/cloud.png" % cl["id"])
    ok(st == 200 and body == got["cloud.png"], "after a restart: the same PNG bytes")
    st, h, body = srv.cloud(uid, opts)
    again = json.loads(body) if st == 201 else {}
    st2, h, body2 = srv.request("GET", "/api/clouds/%s/cloud.png" % again.get("id", unknown))
    ok(st2 == 200 and body2 == got["cloud.png"], "after a restart: the upload renders the same bytes")

    # per-client connection limit: idle connections hold the slots
    socks = []
    for _ in range(34):
        socks.append(socket.create_connection(("127.0.0.1", srv.port), timeout=10))
    refused = False
    try:
        st, h, body = srv.request("GET", "/healthz", timeout=10)
    except (OSError, http_client_errors()):
        refused = True
    ok(refused, "more than 32 connections from one client: refused")
    for s in socks:
        s.close()
    time.sleep(0.3)
    st, h, body = srv.request("GET", "/healthz")
    ok(st == 200, "after they close: served again")
    srv.stop()

    # expiry
    srv = Server(data, "--expire", "1s").start()
    time.sleep(1.5)
    st, h, body = srv.cloud(uid, {"columns": "6"})
    ok(st == 404, "an expired upload: 404")
    st, h, body = srv.request("GET", "/api/clouds/%s/cloud.png" % cl["id"])
    ok(st == 404, "a cloud of an expired upload: 404")
    srv.stop()

    # password
    pw = os.path.join(tmp, "password")
    with open(pw, "w") as f:
        f.write("correct horse\n")
    srv = Server(data, "--password-file", pw).start()
    st, h, body = srv.request("GET", "/healthz")
    ok(st == 401 and "www-authenticate" in h and secure(h), "with --password-file: 401 without it")
    st, h, body = srv.request("GET", "/healthz", headers={"Authorization": basic("wrong")})
    ok(st == 401, "wrong password: 401")
    st, h, body = srv.request("GET", "/healthz", headers={"Authorization": basic("correct horse")})
    ok(st == 200, "right password: 200")
    srv.stop()

    # usage errors
    for args, what in ((["--listen", "nowhere"], "--listen"), (["--max-upload-mb", "0"], "--max-upload-mb"),
                       (["--expire", "soon"], "--expire")):
        p = subprocess.run([VOTECLOUD, "serve"] + args + ["--data", data], capture_output=True, timeout=30)
        ok(p.returncode == 64 and what.encode() in p.stderr, "serve %s: exit 64 naming it" % " ".join(args))
    return finish(tmp)


def http_client_errors():
    import http.client
    return http.client.HTTPException


if __name__ == "__main__":
    sys.exit(main())
