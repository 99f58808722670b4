"""livelib.py - speaking to a live event room of `votecloud serve` with the
standard library: create a room, answer as a participant (with the
cookie), read the presenter's counts and Server-Sent Events."""
import http.client
import json
import time
import urllib.parse


def create_room(srv, options, headers=None):
    h = {"Content-Type": "application/json", "X-Votecloud": "1"}
    h.update(headers or {})
    st, hd, body = srv.request("POST", "/api/events", json.dumps(options).encode(), h)
    return st, (json.loads(body) if st == 201 else body)


def form(words, name="word"):
    return urllib.parse.urlencode([(name, w) for w in words]).encode()


def cookie_of(headers):
    """The participant cookie's value from a Set-Cookie header, or None."""
    sc = headers.get("set-cookie", "")
    if not sc.startswith("vcj="):
        return None
    return sc.split(";", 1)[0][4:]


def submit(port, join_url, words, cookie=None, conn=None, timeout=30):
    """POSTs the words; returns (status, headers, body, cookie)."""
    c = conn or http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    h = {"Content-Type": "application/x-www-form-urlencoded"}
    if cookie:
        h["Cookie"] = "vcj=" + cookie
    c.request("POST", join_url, body=form(words), headers=h)
    r = c.getresponse()
    body = r.read()
    hd = dict((k.lower(), v) for k, v in r.getheaders())
    if conn is None:
        c.close()
    return r.status, hd, body, cookie_of(hd) or cookie


def bearer(key):
    return {"Authorization": "Bearer " + key}


def counts(srv, room):
    st, h, body = srv.request("GET", "/api/events/%s/counts" % room["id"],
                              headers=bearer(room["presenter_key"]))
    if st != 200:
        raise RuntimeError("counts: %d %r" % (st, body))
    return body.decode()


def parse_counts(tsv):
    rows = {}
    for line in tsv.splitlines()[1:]:
        w, n, g = line.split("\t")
        rows[(w, g)] = float(n)
    return rows


class Stream:
    """A presenter's SSE connection: yields (event, data) as they come."""

    def __init__(self, port, room, timeout=30):
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
        self.conn.request("GET", "/api/events/%s/stream" % room["id"],
                          headers=bearer(room["presenter_key"]))
        self.resp = self.conn.getresponse()
        self.status = self.resp.status
        self.headers = dict((k.lower(), v) for k, v in self.resp.getheaders())

    def events(self):
        name, data = None, []
        while True:
            line = self.resp.readline()
            if not line:
                return
            line = line.decode("utf-8").rstrip("\n")
            if line == "":
                if name is not None:
                    yield name, "\n".join(data)
                name, data = None, []
            elif line.startswith("event: "):
                name = line[7:]
            elif line.startswith("data: "):
                data.append(line[6:])

    def next_layout(self, until=None, deadline=30.0):
        """The next layout (parsed) for which until(layout, stats) holds."""
        end = time.monotonic() + deadline
        stats = None
        for name, data in self.events():
            if name == "stats":
                stats = json.loads(data)
            elif name == "layout":
                layout = json.loads(data)
                if until is None or until(layout, stats):
                    return layout, stats
            if time.monotonic() > end:
                break
        return None, stats

    def close(self):
        self.conn.close()
