#!/usr/bin/env python3
"""test-words.py - the words step of `votecloud serve` (a real server on a
free loopback port, real SQLite): the counted table with its merges and
exclusions, each undone and redone, the boxes for exclusions and synonyms,
the files they become compared with `votecloud render` byte for byte, the
page without JavaScript, and hostile edits (cycles, bad lines, control
characters, too many entries, wrong types)."""
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import urllib.parse

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, ".."))
sys.path.insert(0, HERE)
from taplib import ok  # noqa: E402
from servelib import Server, VOTECLOUD, finish  # noqa: E402

# Truth: column 2 is the ticked options, column 3 written answers.  Written:
# "Kindnes" x2 (one edit from the option "Kindness"), "n/a" x3, "Parks" x2,
# "green spaces" x1, "none" x1.
ROWS = [
    ("1", "Kindness;Safety;", "Kindnes"),
    ("2", "Kindness;", "n/a"),
    ("3", "Safety;", "Parks"),
    ("4", "Kindness;Buses;", "Kindnes"),
    ("5", "Buses;", "n/a"),
    ("6", "Safety;Buses;", "green spaces"),
    ("7", "Kindness;", "n/a"),
    ("8", "Safety;", "Parks"),
    ("9", "Buses;", "none"),
]


def csv_bytes():
    lines = ["ID,Which matter most?,Anything else?"]
    lines += [",".join(r) for r in ROWS]
    return ("\r\n".join(lines) + "\r\n").encode()


def words(srv, uid, op=None, text=None, raw=None, **cols):
    o = {"columns": "2", "free-text-columns": "3"}
    o.update(cols)
    if op is not None:
        o["op"] = op
    if text is not None:
        o["text"] = text
    st, h, body = srv.cloud(uid, o, kind="words", raw=raw)
    try:
        return st, json.loads(body)
    except ValueError:
        return st, {}


def word_count(w, text):
    """Votes for a word: the people who ticked it or wrote it in (one row,
    group "both", when it was given both ways)."""
    found = [x["count"] for x in w.get("words", []) if x["text"] == text]
    return sum(found) if found else None


def form_post(srv, path, fields):
    body = urllib.parse.urlencode(fields).encode()
    return srv.request("POST", path, body, {"Content-Type": "application/x-www-form-urlencoded",
                                            "Sec-Fetch-Site": "same-origin"})


PLURALS = b"ID,What would help?\r\n1,trees\r\n2,tree\r\n3,trees\r\n4,buses\r\n5,bus\r\n6,parks\r\n7,children\r\n8,child\r\n"


def cli_counts(path, *extra):
    """`votecloud count` as {word: votes}: the truth the page must show."""
    out = subprocess.run([VOTECLOUD, "count", path, "--columns", "2", "--quiet"] + list(extra),
                         capture_output=True, check=True).stdout.decode()
    return dict((l.split("\t")[0], float(l.split("\t")[1])) for l in out.splitlines()[1:] if l)


def plurals(srv, tmp):
    """The merge-plurals toggle: the counts as `votecloud count
    --merge-plurals` says, undone as a whole, with and without JavaScript,
    and the cloud drawn with it as `votecloud render --merge-plurals`."""
    src = os.path.join(tmp, "plurals.csv")
    with open(src, "wb") as f:
        f.write(PLURALS)
    st, h, body = srv.upload("plurals.csv", PLURALS)
    uid = json.loads(body)["id"] if st == 201 else "0" * 32

    def table(op=None):
        o = {"columns": "2"}
        if op:
            o["op"] = op
        st, h, body = srv.cloud(uid, o, kind="words")
        w = json.loads(body) if st == 200 else {}
        counts = dict((x["text"], x["count"]) for x in w.get("words", []))
        merged = [(m["from"], m["into"], m["count"]) for m in w.get("merges", []) if m["kind"] == "plural"]
        return st, counts, merged, w.get("settings", {}).get("plurals", False)

    apart, together = cli_counts(src), cli_counts(src, "--merge-plurals")
    ok(apart != together and together.get("tree") == 3, "the CLI: --merge-plurals changes the counts (tree %s -> %s)"
       % (apart.get("tree"), together.get("tree")))
    st, counts, merged, on = table()
    ok(st == 200 and counts == apart and merged == [] and on is False, "plurals counted as written by default, as `votecloud count`")
    st, counts, merged, on = table("merge-plurals")
    ok(st == 200 and counts == together and ("trees", "tree", 2) in merged and ("buses", "bus", 1) in merged and on is True,
       "op merge-plurals: the counts of `votecloud count --merge-plurals`, each plural merge listed (%s)" % merged)
    st, h, body = srv.cloud(uid, {"columns": "2", "width": 600, "height": 400})
    cid = json.loads(body)["id"] if st == 201 else "0" * 32
    st, h, png = srv.request("GET", "/api/clouds/%s/cloud.png" % cid)
    ref = os.path.join(tmp, "plurals.png")
    subprocess.run([VOTECLOUD, "render", src, "--columns", "2", "--width", "600", "--height", "400",
                    "--merge-plurals", "-o", ref, "--quiet"], check=True)
    ok(st == 200 and png == open(ref, "rb").read(), "the cloud's PNG: identical to `votecloud render --merge-plurals`")
    st, counts, merged, on = table("keep-plurals")
    ok(st == 200 and counts == apart and merged == [] and on is False, "op keep-plurals: undone, the counts as written again")
    st, h, body = form_post(srv, "/u/%s" % uid, [("col", "2"), ("op", "merge-plurals:")])
    st2, h2, page = srv.request("GET", "/u/%s" % uid)
    page = page.decode()
    ok(st == 303 and 'value="keep-plurals:"' in page and "plural of the word" in page
       and "<tr><td>tree</td><td>3</td>" in page, "no JS: 'Merge plurals' posts, 303, the page counts tree 3 and offers the undo")
    st, h, body = form_post(srv, "/u/%s" % uid, [("col", "2"), ("op", "keep-plurals:trees")])
    st2, h2, page = srv.request("GET", "/u/%s" % uid)
    page = page.decode()
    ok(st == 303 and 'value="merge-plurals:"' in page and "<tr><td>tree</td><td>1</td>" in page,
       "no JS: a plural merge's 'Count plurals separately' undoes them")


def main():
    tmp = tempfile.mkdtemp(prefix="vc-words-")
    src = os.path.join(tmp, "answers.csv")
    with open(src, "wb") as f:
        f.write(csv_bytes())
    srv = Server(os.path.join(tmp, "data")).start()
    st, h, body = srv.upload("answers.csv", csv_bytes())
    uid = json.loads(body)["id"] if st == 201 else "0" * 32
    ok(st == 201, "upload: 201")

    st, w = words(srv, uid)
    ok(st == 200, "words: 200")
    merges = [(m["from"], m["into"], m["kind"], m["count"]) for m in w.get("merges", [])]
    ok(merges == [("Kindnes", "Kindness", "vocabulary", 2)],
       "the typo 'Kindnes' (2) is merged into the option 'Kindness' by the vocabulary (%s)" % merges)
    ok(word_count(w, "Kindness") == 4,
       "Kindness: 4 people ticked it, 2 of them also wrote 'Kindnes': 4 people (%s)"
       % word_count(w, "Kindness"))
    excl = sorted((x["text"], x["count"], x["by"]) for x in w.get("excluded", []))
    ok(excl == [("n/a", 3, "default"), ("none", 1, "default")],
       "n/a (3) and none (1) left out by the default list (%s)" % excl)
    ok(word_count(w, "n/a") is None, "n/a is not a word")

    # undo and redo, one click each
    st, w = words(srv, uid, "not-typo", "Kindnes")
    ok(st == 200 and word_count(w, "Kindnes") == 2 and word_count(w, "Kindness") == 4 and
       not w["merges"], "not a typo: 'Kindnes' counted separately (2), Kindness back to 4")
    st, w = words(srv, uid, "typo", "Kindnes")
    ok(st == 200 and word_count(w, "Kindness") == 4, "typo again: merged again (4 people)")
    st, w = words(srv, uid, "include", "n/a")
    ok(st == 200 and word_count(w, "n/a") == 3 and
       [x["text"] for x in w["excluded"]] == ["none"] and w["settings"]["keep"] == ["n/a"],
       "n/a counted as a word (3); none still left out")
    st, w = words(srv, uid, "reexclude", "n/a")
    ok(st == 200 and word_count(w, "n/a") is None and len(w["excluded"]) == 2, "n/a left out again")

    # the boxes
    st, w = words(srv, uid, "exclude", "green spaces\n\n# a comment line\n")
    ok(st == 200 and word_count(w, "green spaces") is None and
       ("green spaces", 1, "you") in [(x["text"], x["count"], x["by"]) for x in w["excluded"]],
       "exclusions box: 'green spaces' left out, by you; blank and # lines skipped")
    st, w = words(srv, uid, "synonyms", "Parks = Green space")
    ok(st == 200 and word_count(w, "Green space") == 2 and word_count(w, "Parks") is None and
       ("Parks", "Green space", "synonym", 2) in [(m["from"], m["into"], m["kind"], m["count"]) for m in w["merges"]],
       "synonyms box: Parks counted as 'Green space' (2), the canonical spelling shown")

    # the cloud uses them, byte for byte with the CLI given the same files
    opts = {"columns": "2", "free-text-columns": "3", "width": 600, "height": 400}
    st, h, body = srv.cloud(uid, opts)
    cl = json.loads(body) if st == 201 else {"id": "0" * 32}
    ok(st == 201, "cloud with the word choices: 201")
    folder = os.path.join(tmp, "data", "clouds", cl["id"])
    ref = os.path.join(tmp, "ref")
    os.mkdir(ref)
    with open(os.path.join(ref, "synonyms.txt"), "w") as f:
        f.write("Parks = Green space\n")
    with open(os.path.join(ref, "exclude.txt"), "w") as f:
        f.write("green spaces\n")
    with open(os.path.join(ref, "vocabulary.txt"), "w") as f:
        f.write("Kindness\nSafety\nBuses\n")
    same_files = all(open(os.path.join(folder, n)).read().splitlines() and
                     sorted(open(os.path.join(folder, n)).read().splitlines()) ==
                     sorted(open(os.path.join(ref, n)).read().splitlines())
                     for n in ("synonyms.txt", "exclude.txt", "vocabulary.txt"))
    ok(same_files, "the cloud's folder holds synonyms.txt, exclude.txt, vocabulary.txt with the choices")
    shutil.copy(os.path.join(folder, "vocabulary.txt"), os.path.join(ref, "vocabulary.txt"))
    p = subprocess.run([VOTECLOUD, "render", src, "--columns", "2", "--free-text-columns", "3",
                        "--width", "600", "--height", "400", "--exclude", "exclude.txt",
                        "--synonyms", "synonyms.txt", "--vocabulary", "vocabulary.txt",
                        "-o", "cloud.png", "--table", "table.csv"], cwd=ref, capture_output=True)
    st, h, png = srv.request("GET", "/api/clouds/%s/cloud.png" % cl["id"])
    st2, h, csv = srv.request("GET", "/api/clouds/%s/table.csv" % cl["id"])
    ok(p.returncode == 0 and st == 200 and png == open(os.path.join(ref, "cloud.png"), "rb").read()
       and csv == open(os.path.join(ref, "table.csv"), "rb").read(),
       "PNG and CSV table identical to `votecloud render --exclude --synonyms --vocabulary`")
    ok(b"Green space" in csv and b"green spaces" not in csv.split(b"\n", 1)[1].lower().replace(b"green space,", b""),
       "the table counts 'Green space'")

    # hostile edits: refused with the line, nothing saved
    st, w = words(srv, uid, "synonyms", "Green space = Parks")
    ok(st == 422 and "cycle" in w.get("error", ""), "a synonym cycle: 422 naming the cycle (%s)" % w.get("error"))
    st, w = words(srv, uid)
    ok(st == 200 and w["settings"]["synonyms"] == [["Parks", "Green space"]], "... and it was not saved")
    for text, what in (("a = b = c", "two '='"), ("ok = fine\nbroken", "no '=' on line 2"),
                       ("a\x1bb = c", "ESC"), ("= b", "empty variant"),
                       ("same = SAME", "into itself"), ("a = " + "b" * 300, "300 bytes")):
        st, w = words(srv, uid, "synonyms", text)
        ok(st == 400 and "line" in w.get("error", ""), "synonyms %s: 400 naming the line (%s)" % (what, w.get("error")))
    st, w = words(srv, uid, "synonyms", "x = \x00")
    ok(st == 400, "synonyms with NUL: 400")
    st, w = words(srv, uid, "exclude", "\n".join("word%d" % i for i in range(600)))
    ok(st == 400 and "at most" in w.get("error", ""), "600 exclusions: 400 (%s)" % w.get("error"))
    st, w = words(srv, uid, "exclude", "x\u202ey")
    ok(st == 200, "an exclusion with a bidi control is text, not a control: 200")
    st, w = words(srv, uid, "exclude", "bad\x07bell")
    ok(st == 400, "an exclusion with BEL: 400")
    st, w = words(srv, uid, "exclude", "a = b")
    ok(st == 400, "an exclusion with '=': 400")
    st, w = words(srv, uid, "exclude", "../../index.sqlite")
    ok(st == 200 and not os.path.exists(os.path.join(tmp, "data", "uploads", "index.sqlite")),
       "a path in the box is only a word to leave out")
    st, w = words(srv, uid, "delete-everything", "x")
    ok(st == 400, "an unknown edit: 400")
    for raw in (b'{"op": 3}', b'{"text": ["x"]}', b'[]', b'{"columns": "2", "op": "exclude", "text": null}',
                b'{"columns": {"$gt": ""}}', b'not json'):
        st, w = words(srv, uid, raw=raw)
        ok(st == 400, "words %r: 400" % raw)
    st, w = words(srv, uid, columns="../etc/passwd")
    ok(st in (400, 422) and "/etc" not in json.dumps(w).replace("../etc/passwd", ""), "a column naming a path: refused")
    st, w = words(srv, "f" * 32)
    ok(st == 404, "words of an unknown upload: 404")
    st, h, body = srv.request("POST", "/api/uploads/%s/words" % uid, b"{}", {"Content-Type": "application/json"})
    ok(st == 403, "words without the CSRF header: 403")

    # the page without JavaScript
    st, h, body = form_post(srv, "/u/%s" % uid, [("col", "2"), ("col", "3"), ("op", "include:none")])
    ok(st == 303 and h.get("location") == "/u/%s#h-words" % uid, "no JS: a words button posts the form, 303 back")
    st, h, page = srv.request("GET", "/u/%s" % uid)
    page = page.decode()
    ok(st == 200 and re.search(r"<td>none</td><td>1</td>", page) is not None,
       "no JS: the page's words table counts 'none' (1)")
    ok('value="reexclude:none"' in page and 'value="not-typo:Kindnes"' in page and
       'value="remove-synonym:Parks"' in page, "no JS: undo buttons for the kept answer, the typo, the synonym")
    ok('id="col-2" value="2" checked' in page and 'id="col-3" value="3" checked' in page,
       "no JS: the columns stay ticked")
    st, h, body = form_post(srv, "/u/%s" % uid, [("col", "2"), ("col", "3"), ("op", "synonyms:"),
                                                 ("synonyms", "Safety = Safe <b>streets</b>")])
    st, h, page = srv.request("GET", "/u/%s" % uid)
    ok(b"Safe &lt;b&gt;streets&lt;/b&gt;" in page and b"<b>streets" not in page,
       "no JS: a synonym with markup is shown escaped")
    st, h, body = form_post(srv, "/u/%s" % uid, [("col", "2"), ("op", "synonyms:"), ("synonyms", "a = b = c")])
    ok(st == 400 and b"line 1" in body and b"<html" in body, "no JS: a bad synonym line is an HTML error page naming it")
    st, h, body = form_post(srv, "/u/%s" % uid, [("col", "2"), ("op", "nonsense")])
    ok(st == 400, "no JS: an op without ':' is 400")
    st, h, body = form_post(srv, "/u/%s" % uid, [("col", "2"), ("op", "x" * 40 + ":y")])
    ok(st == 400, "no JS: an overlong op is 400")
    # the style fields take only their lists' values; the rest is left at the default
    st, h, body = form_post(srv, "/u/%s" % uid, [("col", "2"), ("preset", "99999x99999"), ("background", "../../x"),
                                                 ("shape", "--mask=/etc/passwd"), ("sizing", "log"),
                                                 ("palette", "custom"), ("custom", "#005eb8,#330072"),
                                                 ("title", "T\u202e")])
    loc = h.get("location", "")
    ok(st == 303 and loc.startswith("/c/"), "no JS: hostile style fields still draw a cloud (%d)" % st)
    st, h, lj = srv.request("GET", "/api/clouds/%s/layout.json" % loc[3:])
    lj = json.loads(lj) if st == 200 else {}
    ok(st == 200 and (lj.get("width"), lj.get("height"), lj.get("sizing")) == (1200, 675, "log"),
       "... at the default size (an unlisted preset is ignored), with the listed sizing kept")
    plurals(srv, tmp)
    st, h, body = form_post(srv, "/u/%s" % uid, [("col", "2"), ("title", "bell\x07")])
    ok(st == 400 and b"<html" in body, "no JS: a title with BEL is a 400 page")

    # a restart keeps the word choices (SQLite)
    before = words(srv, uid)[1].get("settings")
    srv.stop()
    srv = Server(os.path.join(tmp, "data")).start()
    st, w = words(srv, uid)
    ok(st == 200 and w.get("settings") == before and before["synonyms"],
       "after a restart: the same word choices (%d synonyms)" % len((before or {}).get("synonyms", [])))
    srv.stop()
    return finish(tmp)


if __name__ == "__main__":
    sys.exit(main())
