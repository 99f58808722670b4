#!/usr/bin/env python3
"""test-disk-full.py - `votecloud serve` when its disk fills up: the --data
folder sits on a 2 MiB tmpfs that the test fills.  An upload is then
refused with 507 saying the server's disk is full (before, a file cut short
by the full disk was inspected, and the answer blamed the user's file:
"the file could not be read", 422); no part file or upload folder is left;
a cloud of an earlier upload is refused the same way (507: the child could
not write its files); and once space is freed, the same upload is taken
whole, every respondent counted.  In a live room, an answer sent while the
disk is full is refused and the participant told it was not saved; the
counts afterwards hold exactly the answers acknowledged.  Skipped where a
tmpfs cannot be mounted (mounting needs root)."""
import json
import os
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, ".."))
sys.path.insert(0, HERE)
from taplib import ok  # noqa: E402
from servelib import Server, finish  # noqa: E402
import livelib  # noqa: E402

RESPONDENTS = 300


def fill(path):
    """Writes `path` until the disk is full; returns the bytes written."""
    n = 0
    block = b"\0" * 4096
    with open(path, "wb", buffering=0) as f:
        try:
            while True:
                n += f.write(block)
        except OSError:
            pass
    return n


def answer(srv, room, i):
    """One participant's two words; (status, page text)."""
    st, _h, body, _c = livelib.submit(srv.port, room["join_url"], ["w%d" % (i % 7), "x%d" % (i % 5)])
    return st, body.decode("utf-8", "replace")


def listing(folder):
    return sorted(os.listdir(folder)) if os.path.isdir(folder) else []


def main():
    tmp = tempfile.mkdtemp(prefix="vc-full-")
    disk = os.path.join(tmp, "disk")
    os.mkdir(disk)
    r = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", disk],
                       capture_output=True, text=True)
    if r.returncode != 0:
        print("1..0 # SKIP cannot mount a tmpfs here: %s" % (r.stderr.strip() or r.returncode))
        shutil.rmtree(tmp, ignore_errors=True)
        return 0
    srv = None
    try:
        survey = os.path.join(tmp, "survey.csv")
        subprocess.run([sys.executable, os.path.join(HERE, "make-survey.py"), survey,
                        str(RESPONDENTS)], check=True)
        content = open(survey, "rb").read()
        data = os.path.join(disk, "data")
        srv = Server(data).start()
        st, _h, body = srv.upload("survey.csv", content)
        first = json.loads(body) if st == 201 else {}
        ok(st == 201 and first.get("respondents") == RESPONDENTS,
           "with room: the upload is taken (%s, %s respondents)" % (st, first.get("respondents")))

        st, room = livelib.create_room(srv, {"question": "Which three words?", "max_words": 3})
        ok(st == 201, "a live room opens (%s)" % st)
        acked = [i for i in range(20) if answer(srv, room, i)[0] == 303]

        filler = os.path.join(disk, "filler")
        filled = fill(filler)
        uploads = listing(os.path.join(data, "uploads"))
        st, _h, body = srv.upload("survey.csv", content)
        msg = json.loads(body).get("error", "") if body else ""
        ok(st == 507 and "disk is full" in msg,
           "disk full: the upload is refused with 507 saying so (%s %r; %d bytes filled)"
           % (st, msg, filled))
        ok(listing(os.path.join(data, "tmp")) == [] and
           listing(os.path.join(data, "uploads")) == uploads,
           "disk full: no part file and no upload folder is left")

        st, _h, body = srv.cloud(first.get("id", ""), {"columns": "6"})
        msg = json.loads(body).get("error", "") if body else ""
        ok(st == 507 and msg != "",
           "disk full: a cloud is refused with 507 and a reason (%s %r)" % (st, msg))

        full = [answer(srv, room, 100 + i) for i in range(100)]
        refused = [a for a in full if a[0] != 303]
        acked += [100 + i for i, a in enumerate(full) if a[0] == 303]
        ok(len(refused) > 0 and all(a[0] >= 500 and "could not be saved" in a[1] for a in refused),
           "disk full: live answers are refused, the participant told so (%d of %d refused)"
           % (len(refused), len(full)))

        os.unlink(filler)
        acked += [1000 + i for i in range(5) if answer(srv, room, 1000 + i)[0] == 303]
        want = {}
        for i in acked:
            for w in ("w%d" % (i % 7), "x%d" % (i % 5)):
                want[(w, "suggested")] = want.get((w, "suggested"), 0) + 1
        got = livelib.parse_counts(livelib.counts(srv, room))
        ok(got == want and len(acked) >= 25,
           "the room counts exactly the %d answers acknowledged, none refused" % len(acked))
        st, _h, body = srv.upload("survey.csv", content)
        again = json.loads(body) if st == 201 else {}
        ok(st == 201 and again.get("respondents") == RESPONDENTS,
           "space freed: the same upload is taken whole (%s, %s respondents)"
           % (st, again.get("respondents")))
        st, _h, body = srv.cloud(again.get("id", ""), {"columns": "6"})
        ok(st in (200, 201), "space freed: its cloud is drawn (%s)" % st)
        ok(srv.stop() == 0, "the server stops cleanly")
        srv = None
    finally:
        if srv is not None:
            srv.stop()
        subprocess.run(["umount", disk], capture_output=True)
    return finish(tmp)


if __name__ == "__main__":
    sys.exit(main())
