#!/usr/bin/env python3
"""test-live-api.py - live event rooms of `votecloud serve`, a real server
process on a free loopback port with a real SQLite file: the API's shapes,
the participant's form and cookie, limits, non-answers and profanity,
hide, moderation, close, the key (401/403, nothing leaks), HTML in words,
the export read back by `votecloud count`, SSE, a kill -9 restart, and the
per-address rate limit."""
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from taplib import ok, skip  # noqa: E402
from servelib import Server, VOTECLOUD, finish  # noqa: E402
from livelib import (create_room, submit, bearer, counts, parse_counts,  # noqa: E402
                     Stream, form)

HEADERS = {
    "content-security-policy": "default-src 'self'",
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
}
SECRET_WORD = "Zanzibar"


def secure(h):
    return all(k in h and h[k].startswith(v) for k, v in HEADERS.items())


def check_create(srv):
    st, room = create_room(srv, {"question": "Which three words?", "max_words": 3})
    ok(st == 201 and set(room) >= {"id", "join_url", "presenter_url", "presenter_key"},
       "POST /api/events: 201 {id, join_url, presenter_url, presenter_key}")
    ok(re.fullmatch(r"/j/[a-z2-9]{8}", room["join_url"]) is not None,
       "the join URL is short: /j/ and 8 characters")
    ok(room["presenter_url"] == "/p/" + room["id"] and room["presenter_key"] not in
       room["join_url"] + room["presenter_url"], "the presenter URL holds no key")
    st, h, body = srv.request("POST", "/api/events", json.dumps({"question": "x"}).encode(),
                              {"Content-Type": "application/json"})
    ok(st == 403, "creating without X-Votecloud (cross-site): 403")
    bad = [({"question": ""}, "question"), ({"max_words": 3}, "question"),
           ({"question": "q", "max_words": 0}, "max_words"),
           ({"question": "q", "max_words": 11}, "max_words"),
           ({"question": "q", "colour": "red"}, "colour"),
           ({"question": "q", "choices": ["a,b"]}, "choices"),
           ({"question": "q", "choices": "a"}, "choices"),
           ({"question": "q", "moderation": "yes"}, "moderation")]
    for opts, name in bad:
        st, body = create_room(srv, opts)
        ok(st == 400 and name in json.loads(body)["error"],
           "bad room options %s: 400 naming %s" % (json.dumps(opts), name))
    st, h, body = srv.request("POST", "/api/events", b"question=x",
                              {"Content-Type": "application/x-www-form-urlencoded",
                               "X-Votecloud": "1"})
    ok(st == 415, "room options not JSON: 415")
    return room


def check_join_page(srv, room):
    st, h, body = srv.request("GET", room["join_url"])
    css = srv.request("GET", "/live/join.css")[2]
    page = body.decode()
    ok(st == 200 and secure(h) and "Which three words?" in page, "GET the join URL: the form")
    ok(h.get("connection", "").lower() == "close",
       "participants' answers close the connection (no idle slot per phone)")
    ok(len(body) + len(css) < 30 * 1024, "the join page and its CSS: %d bytes < 30 KB"
       % (len(body) + len(css)))
    labels = re.findall(r'<label for="(w\d)">', page)
    inputs = re.findall(r'<input id="(w\d)" name="word"', page)
    ok(labels == inputs == ["w1", "w2", "w3"], "three word inputs, each with its label")
    ok("<script" not in page, "no script on the participant's page")
    st, rtl = create_room(srv, {"question": "ما هي أهم ثلاث كلمات؟"})
    page = srv.request("GET", rtl["join_url"])[2].decode()
    ok('dir="rtl"' in page and 'lang="ar"' in page, "an Arabic question: dir=rtl, lang=ar")


def check_submit(srv, room):
    port = srv.port
    st, h, body, cookie = submit(port, room["join_url"], ["Green", "trees", "Parks"])
    ok(st == 303 and h.get("location") == room["join_url"] + "/thanks",
       "POST the form: 303 to the thank-you page")
    sc = h.get("set-cookie", "")
    ok(cookie and "HttpOnly" in sc and "Path=" + room["join_url"] in sc,
       "sets an HttpOnly participant cookie for the room")
    tsv = counts(srv, room)
    ok(tsv.splitlines()[0] == "word\tcount\tgroup" and parse_counts(tsv).get(("Green", "suggested")) == 1,
       "counts: word, count, group as votecloud count prints")
    st, h, body, _ = submit(port, room["join_url"], ["buses", "green"], cookie)
    rows = parse_counts(counts(srv, room))
    ok(st == 303 and rows == {("buses", "suggested"): 1, ("green", "suggested"): 1},
       "the same cookie again replaces that participant's answer")
    st, h, body = srv.request("GET", room["join_url"] + "/thanks",
                              headers={"Cookie": "vcj=" + cookie})
    ok(st == 200 and b"buses" in body, "the thank-you page shows the participant's own words")
    submit(port, room["join_url"], [SECRET_WORD])
    st, h, body = srv.request("GET", room["join_url"] + "/thanks",
                              headers={"Cookie": "vcj=" + cookie})
    ok(SECRET_WORD.encode() not in body, "a participant never sees another's answer")
    st, h, body, _ = submit(port, room["join_url"], ["Green", "Green"], None)
    return cookie


def check_limits(srv, room):
    port, j = srv.port, room["join_url"]
    before = counts(srv, room)
    st, h, body, _ = submit(port, j, ["a", "b", "c", "d"])
    ok(st == 400 and b"Too many" in body, "four words for three: 400, said on the page")
    st, h, body, _ = submit(port, j, ["x" * 41])
    ok(st == 400 and b"too long" in body, "a word of 41 characters: 400")
    st, h, body, _ = submit(port, j, ["é" * 40])
    ok(st == 303, "a word of 40 characters (80 bytes): taken")
    c = __import__("http.client").client.HTTPConnection("127.0.0.1", port, timeout=30)
    c.request("POST", j, body=b"word=%ff%fe", headers={"Content-Type": "application/x-www-form-urlencoded"})
    r = c.getresponse()
    r.read()
    ok(r.status == 400, "a word that is not UTF-8: 400")
    # Well-formed bytes only: an overlong '/', a UTF-16 surrogate, a code
    # point past U+10FFFF, a cut-off sequence, a control character.
    for raw in (b"%c0%af", b"%ed%a0%80", b"%f4%90%80%80", b"ok%e2%82", b"a%07b"):
        c.request("POST", j, body=b"word=" + raw,
                  headers={"Content-Type": "application/x-www-form-urlencoded"})
        r = c.getresponse()
        r.read()
        ok(r.status == 400, "a word %s: 400" % raw.decode())
    st, h, body, _ = submit(port, j, ["", "  "])
    ok(st == 400, "no word at all: 400")
    st, h, body = srv.request("POST", j, b"word=" + b"x" * 20000,
                              {"Content-Type": "application/x-www-form-urlencoded"})
    ok(st == 413, "a body over 16 KiB: 413")
    st, h, body = srv.request("POST", j, b'{"word": "x"}', {"Content-Type": "application/json"})
    ok(st == 415, "an answer not form-encoded: 415")
    after = parse_counts(counts(srv, room))
    ok(after.get(("é" * 40, "suggested")) == 1 and
       all(after.get(k) == v for k, v in parse_counts(before).items()),
       "refused answers changed no count")


def check_filters(srv):
    st, room = create_room(srv, {"question": "Filters?", "max_words": 3})
    submit(srv.port, room["join_url"], ["n/a", "FUCK", "kindness"])
    submit(srv.port, room["join_url"], ["<script>alert(1)</script>", "kindness", "don't know"])
    rows = parse_counts(counts(srv, room))
    ok(rows == {("kindness", "suggested"): 2, ("<script>alert(1)</script>", "suggested"): 1},
       "non-answers and profanity are left out of the counts")
    st, h, body = srv.request("GET", "/api/events/%s/export.csv" % room["id"],
                              headers=bearer(room["presenter_key"]))
    text = body.decode()
    ok(st == 200 and "profanity: FUCK" in text and h["content-type"].startswith("text/csv"),
       "the export lists the profanity decision")
    st, h, body = srv.request("GET", "/api/events/%s/counts" % room["id"],
                              headers=bearer(room["presenter_key"]))
    ok(h["content-type"].startswith("text/tab-separated-values") and secure(h),
       "counts are served as text, nosniff")
    st, h, body = srv.request("GET", room["join_url"])
    st2, h2, body2, cookie = submit(srv.port, room["join_url"], ["<img src=x onerror=alert(1)>"])
    st, h, body = srv.request("GET", room["join_url"] + "/thanks",
                              headers={"Cookie": "vcj=" + cookie})
    ok(b"<img src=x" not in body and b"&lt;img src=x onerror=alert(1)&gt;" in body,
       "HTML in a word is shown as text on the thank-you page")
    st, h, body = srv.request("GET", room["join_url"], headers={"Cookie": "vcj=" + cookie})
    ok(b"<img src=x" not in body and b'value="&lt;img src=x' in body,
       "and escaped in the prefilled form")
    return room


def check_auth(srv, room):
    rid = room["id"]
    paths = [("GET", "counts"), ("GET", "stream"), ("GET", "export.csv"), ("GET", "pending"),
             ("POST", "hide"), ("POST", "close"), ("POST", "approve"), ("POST", "session")]
    for method, p in paths:
        body = b'{"word": "kindness"}' if method == "POST" else None
        h = {"Content-Type": "application/json", "X-Votecloud": "1"}
        st, hd, b1 = srv.request(method, "/api/events/%s/%s" % (rid, p), body, h)
        h2 = dict(h, **bearer("0" * 32))
        st2, hd2, b2 = srv.request(method, "/api/events/%s/%s" % (rid, p), body, h2)
        leak = SECRET_WORD.encode() in b1 + b2 or b"Green" in b1 + b2 or b"buses" in b1 + b2
        ok(st == 401 and st2 == 403 and not leak and secure(hd),
           "%s %s: 401 without the key, 403 with a wrong one, no answer in the body" % (method, p))
    st, h, body = srv.request("GET", "/api/events/%s/counts" % ("f" * 32), headers=bearer(room["presenter_key"]))
    ok(st == 403, "another room's key on an unknown id: 403 (ids cannot be probed)")
    st, h, body = srv.request("GET", "/api/events/%s/counts" % rid,
                              headers={"Authorization": "Bearer " + room["presenter_key"] + "x"})
    ok(st == 401, "a malformed Bearer header: 401")
    st, h, body = srv.request("POST", "/api/events/%s/session" % rid, b"{}",
                              dict(bearer(room["presenter_key"]), **{"Content-Type": "application/json"}))
    sc = h.get("set-cookie", "")
    ok(st == 204 and "HttpOnly" in sc and "SameSite=Strict" in sc and "Path=/api/events/" + rid in sc,
       "POST session: the key as an HttpOnly, SameSite=Strict cookie for this room's API")
    cookie = sc.split(";", 1)[0]
    st, h, body = srv.request("GET", "/api/events/%s/counts" % rid, headers={"Cookie": cookie})
    ok(st == 200 and b"buses" in body, "the session cookie opens the counts (for EventSource)")
    st, h, body = srv.request("POST", "/api/events/%s/hide" % rid, b'{"word": "x"}',
                              {"Cookie": cookie, "Content-Type": "application/json"})
    ok(st == 403, "an action with the cookie but from another site: 403")
    for bad in ["/api/events/../../etc/counts", "/api/events/%s/../../x" % rid,
                "/j/../index.html", "/j/ABCDEFGH", "/p/" + rid[:-1], "/live/fonts/../../etc/passwd",
                "/live/fonts/x.txt"]:
        st, h, body = srv.request("GET", bad)
        ok(st == 404, "GET %s: 404" % bad)


def check_hide_moderation(srv, room):
    st, h, body = srv.request("POST", "/api/events/%s/hide" % room["id"],
                              b'{"word": "KINDNESS"}',
                              dict(bearer(room["presenter_key"]), **{"Content-Type": "application/json"}))
    ok(st == 200 and json.loads(body)["answers"] == 2, "hide: every spelling of the word (2 answers)")
    rows = parse_counts(counts(srv, room))
    ok(("kindness", "suggested") not in rows, "a hidden word leaves the counts")
    submit(srv.port, room["join_url"], ["Kindness"])
    rows = parse_counts(counts(srv, room))
    ok(("Kindness", "suggested") not in rows and ("kindness", "suggested") not in rows,
       "a later answer of a hidden word stays hidden")
    text = srv.request("GET", "/api/events/%s/export.csv" % room["id"],
                       headers=bearer(room["presenter_key"]))[2].decode()
    ok(text.count("hidden: kindness") == 2 and "hidden: Kindness" in text,
       "the export lists each hide decision")

    st, mod = create_room(srv, {"question": "Moderated?", "moderation": True})
    submit(srv.port, mod["join_url"], ["Bridges", "parks"])
    submit(srv.port, mod["join_url"], ["bridges"])
    ok(parse_counts(counts(srv, mod)) == {}, "moderation: new words wait, nothing is counted")
    st, h, body = srv.request("GET", "/api/events/%s/pending" % mod["id"], headers=bearer(mod["presenter_key"]))
    ok(st == 200 and parse_counts(body.decode()) == {("Bridges", "suggested"): 2, ("parks", "suggested"): 1},
       "the queue lists the waiting words with their counts")
    st, h, body = srv.request("POST", "/api/events/%s/approve" % mod["id"], b'{"word": "bridges"}',
                              dict(bearer(mod["presenter_key"]), **{"Content-Type": "application/json"}))
    ok(st == 200 and parse_counts(counts(srv, mod)) == {("Bridges", "suggested"): 2},
       "approve: the word's answers are counted, the others still wait")
    text = srv.request("GET", "/api/events/%s/export.csv" % mod["id"],
                       headers=bearer(mod["presenter_key"]))[2].decode()
    ok("pending: parks" in text, "the export lists what still waits")
    return mod


def check_choices(srv):
    st, room = create_room(srv, {"question": "Pick", "max_words": 2,
                                 "choices": ["Parks", "Buses", "Libraries"]})
    st, h, body = srv.request("GET", room["join_url"])
    ok(body.count(b'type="checkbox" name="word"') == 3 and b"<legend>" in body,
       "a room with choices: one labelled box per choice in a fieldset")
    st, h, body, _ = submit(srv.port, room["join_url"], ["Parks", "Libraries"])
    st2, h2, body2, _ = submit(srv.port, room["join_url"], ["Cars"])
    ok(st == 303 and st2 == 400, "ticks from the list are taken, other words refused")


def check_export(srv, room, tmp):
    st, h, body = srv.request("GET", "/api/events/%s/export.csv" % room["id"],
                              headers=bearer(room["presenter_key"]))
    ok(st == 200 and "attachment" in h.get("content-disposition", ""), "export.csv: an attachment")
    path = os.path.join(tmp, "export.csv")
    with open(path, "wb") as f:
        f.write(body)
    cli = subprocess.run([VOTECLOUD, "count", path], capture_output=True)
    ok(cli.returncode == 0 and cli.stdout.decode() == counts(srv, room),
       "votecloud count reads the export as it is and prints the room's counts")
    rows = body.decode().splitlines()
    ok(rows[0].startswith("Response ID,") and len(rows) - 1 == len(set(r.split(",")[0] for r in rows[1:])),
       "one row per participant")
    cli = subprocess.run([VOTECLOUD, "render", path, "-o", os.path.join(tmp, "export.png")],
                         capture_output=True)
    ok(cli.returncode == 0 and os.path.getsize(os.path.join(tmp, "export.png")) > 0,
       "votecloud render draws it as it is")
    out = os.path.join(tmp, "batch")
    cli = subprocess.run([VOTECLOUD, "batch", path, "-o", out, "--event-column", "Event"],
                         capture_output=True)
    ok(cli.returncode == 0, "votecloud batch reads it with the room as the event")


def check_sse(srv, room):
    s = Stream(srv.port, room)
    ok(s.status == 200 and s.headers.get("content-type", "").startswith("text/event-stream")
       and secure(s.headers), "stream: text/event-stream with the security headers")
    layout, stats = s.next_layout()
    ok(layout is not None and {"width", "height", "scale", "words", "dropped"} <= set(layout),
       "the first event is a layout report")
    submit(srv.port, room["join_url"], ["Lighthouse"])
    layout, stats = s.next_layout(lambda l, st: any(w["text"] == "Lighthouse" for w in l["words"]))
    ok(layout is not None and stats is not None and stats["participants"] >= 1,
       "a submit brings a layout with the new word, and the participant count")
    w = [w for w in layout["words"] if w["text"] == "Lighthouse"][0] if layout else {}
    ok(w and w["count"] == 1 and w["font_size"] > 0, "the word's size comes from its votes")
    s.close()
    st, filt = create_room(srv, {"question": "Filtered?"})
    submit(srv.port, filt["join_url"], ["n/a", "shit", "calm"])
    s = Stream(srv.port, filt)
    layout, stats = s.next_layout()
    ok(stats and stats["participants"] == 1 and stats["no_answer"] == 1 and stats["profanity"] == 1
       and [w["text"] for w in layout["words"]] == ["calm"],
       "the stream's stats count what was left out (1 no answer, 1 filtered)")
    s.close()
    st, empty = create_room(srv, {"question": "Nobody yet?"})
    s = Stream(srv.port, empty)
    layout, stats = s.next_layout()
    ok(layout is not None and layout["words"] == [] and stats["participants"] == 0,
       "a room with no answer yet streams an empty layout")
    s.close()


def check_close(srv, room):
    st, h, body = srv.request("POST", "/api/events/%s/close" % room["id"], b"{}",
                              dict(bearer(room["presenter_key"]), **{"Content-Type": "application/json"}))
    ok(st == 200, "close: 200")
    st, h, body = srv.request("GET", room["join_url"])
    ok(st == 410 and b"closed" in body, "the join page of a closed room says so (410)")
    before = counts(srv, room)
    st, h, body, _ = submit(srv.port, room["join_url"], ["late"])
    ok(st == 410 and b"closed" in body and counts(srv, room) == before,
       "an answer to a closed room: 410, nothing counted")


def check_qr(srv, room):
    st, h, body = srv.request("GET", room["join_url"] + "/qr.svg")
    root = ET.fromstring(body)
    vb = [int(x) for x in root.get("viewBox").split()]
    ok(st == 200 and h["content-type"] == "image/svg+xml" and (vb[2] - 8 - 21) % 4 == 0,
       "the QR code: an SVG of 21+4k modules plus the quiet zone")
    zbar = shutil.which("zbarimg")
    conv = shutil.which("rsvg-convert")
    if zbar and conv:
        png = subprocess.run([conv, "-w", "400"], input=body, capture_output=True).stdout
        out = subprocess.run([zbar, "-q", "--raw", "-"], input=png, capture_output=True).stdout
        ok(out.decode().strip().endswith(room["join_url"]), "zbarimg reads the join URL back")
    else:
        skip("zbarimg or rsvg-convert missing: the QR code is not read back")


def check_rate(tmp):
    srv = Server(os.path.join(tmp, "rate"), "--live-rate", "3",
                 "--public-url", "http://venue.example:8080").start()
    st, room = create_room(srv, {"question": "Rate?"})
    codes = [submit(srv.port, room["join_url"], ["w%d" % i])[0] for i in range(5)]
    ok(codes == [303, 303, 303, 429, 429], "--live-rate 3: the 4th answer in a minute is 429")
    st, h, body = srv.request("POST", "/live", b"question=Where%3F",
                              {"Content-Type": "application/x-www-form-urlencoded",
                               "Sec-Fetch-Site": "same-origin"})
    ok(st == 201 and b"http://venue.example:8080/j/" in body,
       "--public-url: the join address given to phones")
    srv.stop()


def check_restart(srv, rooms, cookie, room):
    before = {r["id"]: counts(srv, r) for r in rooms}
    srv.stop(signal.SIGKILL)
    srv.start()
    after = {r["id"]: counts(srv, r) for r in rooms}
    ok(before == after, "kill -9 and restart: every room's counts are the same")
    st, h, body, _ = submit(srv.port, room["join_url"], ["ferries"], cookie)
    rows = parse_counts(counts(srv, room))
    ok(st == 303 and ("ferries", "suggested") in rows and ("buses", "suggested") not in rows,
       "after the restart the cookie still replaces the same participant's answer")


def check_moderation_log(srv, room, mod, other):
    """The decisions on `room` (hide kindness, closed) and `mod` (approve)."""
    key = bearer(room["presenter_key"])
    jh = dict(key, **{"Content-Type": "application/json"})
    st, h, body = srv.request("POST", "/api/events/%s/unhide" % room["id"],
                              b'{"word": "kindness"}', jh)
    rows = parse_counts(counts(srv, room))
    ok(st == 200 and json.loads(body)["answers"] == 3 and rows.get(("kindness", "suggested")) == 3,
       "unhide: the word's 3 hidden answers count again")
    path = "/api/events/%s/moderation.csv" % room["id"]
    st, h, body = srv.request("GET", path, headers=key)
    lines = body.decode().splitlines()
    ok(st == 200 and h.get("content-type", "").startswith("text/csv") and
       "attachment" in h.get("content-disposition", "") and secure(h),
       "moderation.csv: a CSV attachment with the security headers")
    ok(lines[0] == "Time,Action,Word,Answers,By", "its columns: Time,Action,Word,Answers,By")
    acts = [l.split(",") for l in lines[1:]]
    stamp = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")
    ok([a[1] for a in acts] == ["hide", "close", "unhide"] and all(stamp.match(a[0]) for a in acts),
       "every decision in order with its UTC time: %s" % " ".join(a[1] for a in acts))
    ok(acts[0][2:] == ['"KINDNESS"', "2", "presenter key (API)"] and
       acts[2][2:] == ['"kindness"', "3", "presenter key (API)"] and acts[1][2] == '""',
       "what and who: the word, the answers it changed, the key's holder (never the key)")
    ok(room["presenter_key"] not in body.decode(), "the log does not hold the key")
    st, h, body = srv.request("GET", "/api/events/%s/moderation.csv" % mod["id"],
                              headers=bearer(mod["presenter_key"]))
    ok(st == 200 and body.decode().splitlines()[1:] and
       body.decode().splitlines()[1].split(",")[1:] == ["approve", '"bridges"', "2", "presenter key (API)"],
       "approve is logged with its answers (2)")
    st, h, body = srv.request("GET", "/api/events/%s/export.csv" % room["id"], headers=key)
    ok(("/api/events/%s/moderation.csv" % room["id"]) in h.get("link", ""),
       "the export names the moderation log (Link header)")
    st, h, body = srv.request("GET", path)
    ok(st == 401 and b"KINDNESS" not in body and b"kindness" not in body,
       "moderation.csv without the key: 401, nothing leaks")
    st, h, body = srv.request("GET", path, headers=bearer(other["presenter_key"]))
    ok(st == 403 and b"kindness" not in body.lower(), "with another room's key: 403")
    st, h, body = srv.request("POST", "/api/events/%s/unhide" % room["id"],
                              b'{"word": "kindness"}', {"Content-Type": "application/json"})
    ok(st == 401, "unhide without the key: 401")
    st, h, body = srv.request("POST", "/api/events/%s/unhide" % room["id"],
                              b'{"word": "kindness"}',
                              dict(bearer(other["presenter_key"]), **{"Content-Type": "application/json"}))
    ok(st == 403, "unhide with another room's key: 403")


def main():
    tmp = tempfile.mkdtemp(prefix="vc-live-")
    srv = Server(os.path.join(tmp, "data")).start()
    room = check_create(srv)
    check_join_page(srv, room)
    cookie = check_submit(srv, room)
    check_limits(srv, room)
    filt = check_filters(srv)
    check_auth(srv, room)
    mod = check_hide_moderation(srv, filt)
    check_choices(srv)
    check_export(srv, room, tmp)
    check_sse(srv, room)
    check_qr(srv, room)
    check_restart(srv, [room, filt], cookie, room)
    check_close(srv, filt)
    check_moderation_log(srv, filt, mod, room)
    st, h, body = srv.request("GET", "/live")
    ok(st == 200 and b'<label for="question">' in body, "GET /live: the organiser's form")
    st, h, body = srv.request("POST", "/live", form(["Our town in three words?"], "question") +
                              b"&max_words=3&profanity=off&profanity=on",
                              {"Content-Type": "application/x-www-form-urlencoded",
                               "Sec-Fetch-Site": "same-origin"})
    ok(st == 201 and b"/j/" in body and b"#key=" in body, "POST /live: a room, with its links")
    srv.stop()
    check_rate(tmp)
    return finish(tmp)


if __name__ == "__main__":
    sys.exit(main())
