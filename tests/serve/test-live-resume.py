#!/usr/bin/env python3
"""test-live-resume.py - the presenter's cloud survives kill -9: a real
server process on a free loopback port with a real SQLite file.  A room
fills in steps (so its live layout grows in place), the presenter's layout
is read from the stream, the server is killed with SIGKILL and started
again: the first layout after the restart has every word at the same
place and size.  Then the stored layout state is damaged (garbage, cut,
gone) between a kill and a start: the presenter gets a layout laid out
again whose counts are exactly the stored answers', and the server keeps
serving.  A store whose moderation log predates its who/answers columns
keeps its rows.  Positions and counts are compared, never times."""
import os
import random
import signal
import sqlite3
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from taplib import ok  # noqa: E402
from servelib import Server, finish  # noqa: E402
from livelib import create_room, submit, counts, parse_counts, Stream  # noqa: E402

VOCAB = ["parks", "buses", "libraries", "trees", "safety", "cycling", "housing", "jobs",
         "schools", "river", "markets", "music", "clean air", "benches", "trains", "bridges",
         "sport", "culture", "kindness", "lights", "walking", "quiet", "museums", "theatre",
         "youth", "elders", "wifi", "shops", "cafes", "gardens"]


def zipf_words(rng, n):
    weights = [1.0 / (i + 1) for i in range(len(VOCAB))]
    out = []
    while len(out) < n:
        w = rng.choices(VOCAB, weights)[0]
        if w not in out:
            out.append(w)
    return out


def places(layout):
    """text -> (x, y, font_size, rotation) of every drawn word."""
    return {w["text"]: (w["x"], w["y"], w["font_size"], w["rotation"])
            for w in layout["words"]}


def layout_counts(layout):
    rows = {}
    for w in layout["words"] + layout["dropped"]:
        rows[(w["text"], w["group"])] = float(w["count"])
    return rows


def presenter_layout(srv, room, participants):
    """The first streamed layout that shows every participant."""
    s = Stream(srv.port, room)
    layout, stats = s.next_layout(lambda l, st: st is not None and
                                  st["participants"] == participants)
    s.close()
    return layout


def state_row(data):
    db = sqlite3.connect(os.path.join(data, "live.sqlite"))
    n = db.execute("SELECT count(*) FROM live_layout").fetchone()[0]
    db.close()
    return n


def damage(data, room, sql):
    db = sqlite3.connect(os.path.join(data, "live.sqlite"))
    db.execute(sql, (room["id"],))
    db.commit()
    db.close()


def main():
    tmp = tempfile.mkdtemp(prefix="vc-live-resume-")
    data = os.path.join(tmp, "data")
    srv = Server(data).start()
    st, room = create_room(srv, {"question": "Our town in three words?"})
    rng = random.Random(14)
    n = 0
    # The presenter watches while answers arrive in steps: the layout grows
    # in place rather than being made at once.
    for step in range(6):
        for _ in range(10):
            submit(srv.port, room["join_url"], zipf_words(rng, 3))
            n += 1
        presenter_layout(srv, room, n)
    before = presenter_layout(srv, room, n)
    ok(before is not None and len(before["words"]) >= 20,
       "the presenter's layout shows the room (%d words)" % (len(before["words"]) if before else 0))
    ok(state_row(data) == 1, "the layout state is stored next to the answers")

    srv.stop(signal.SIGKILL)
    srv.start()
    after = presenter_layout(srv, room, n)
    ok(after is not None and places(after) == places(before),
       "kill -9 and restart: every word at the same place, size and angle (%d words)"
       % len(places(before)))
    ok(after is not None and layout_counts(after) == parse_counts(counts(srv, room)),
       "and the counts are the stored answers'")

    # New answers after the restart: the resumed cloud grows as before.
    for _ in range(5):
        submit(srv.port, room["join_url"], zipf_words(rng, 3))
        n += 1
    grown = presenter_layout(srv, room, n)
    kept = sum(1 for t, p in places(before).items()
               if t in places(grown) and places(grown)[t][:3] == p[:3])
    print("# 5 answers after the restart: %d of %d words kept place and size"
          % (kept, len(places(before))))
    ok(grown is not None and layout_counts(grown) == parse_counts(counts(srv, room)),
       "answers after the restart: the resumed cloud grows, counts exact")
    settled = grown

    # Damaged states: each a restart with a layout made again, exact counts.
    cases = [
        ("garbage", "UPDATE live_layout SET state = X'00ff7b5b' WHERE room = ?"),
        ("cut", "UPDATE live_layout SET state = substr(state, 1, length(state) / 2) "
                "WHERE room = ?"),
        ("another version", "UPDATE live_layout SET state = "
                            "replace(state, 'votecloud-live-state 1', 'votecloud-live-state 9') "
                            "WHERE room = ?"),
        ("missing", "DELETE FROM live_layout WHERE room = ?"),
    ]
    for name, sql in cases:
        srv.stop(signal.SIGKILL)
        damage(data, room, sql)
        srv.start()
        again = presenter_layout(srv, room, n)
        ok(again is not None and layout_counts(again) == parse_counts(counts(srv, room)),
           "a %s layout state: laid out again, counts exact (%d words)"
           % (name, len(again["words"]) if again else 0))
    ok(again is not None and places(again) != places(settled),
       "laid out from scratch the words are elsewhere (so the resume above is not luck)")
    ok(srv.proc.poll() is None and "layout not resumed" in srv.log(),
       "the server kept running and said why the layout was made again")

    # A store from before the log had its who and answers columns: its rows
    # are kept and the columns added at start.
    srv.stop(signal.SIGKILL)
    db = sqlite3.connect(os.path.join(data, "live.sqlite"))
    db.executescript("DROP TABLE live_log;"
                     "CREATE TABLE live_log(room TEXT, at INTEGER, action TEXT, word TEXT);")
    db.execute("INSERT INTO live_log(room, at, action, word) VALUES(?, 1764633600, 'hide', 'gulls')",
               (room["id"],))
    db.commit()
    db.close()
    srv.start()
    key = {"Authorization": "Bearer " + room["presenter_key"]}
    st, h, body = srv.request("POST", "/api/events/%s/close" % room["id"], b"{}",
                              dict(key, **{"Content-Type": "application/json"}))
    st, h, body = srv.request("GET", "/api/events/%s/moderation.csv" % room["id"], headers=key)
    lines = body.decode().splitlines()
    ok(st == 200 and len(lines) == 3 and lines[1] == '2025-12-02T00:00:00Z,hide,"gulls",,presenter'
       and lines[2].split(",")[1:] == ["close", '""', "0", "presenter key (API)"],
       "an older store's log: its rows kept (no count, 'presenter'), new ones complete")
    srv.stop()
    return finish(tmp)


if __name__ == "__main__":
    sys.exit(main())
