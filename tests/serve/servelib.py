"""servelib.py - starts `votecloud serve` as a real process on a free
loopback port, and speaks HTTP to it with the standard library; `finish`
ends a server test."""
import atexit
import base64
import glob
import http.client
import json
import os
import shutil
import signal
import socket
import subprocess
import time
import uuid

from taplib import done, ok

VOTECLOUD = os.environ.get("VOTECLOUD", "votecloud")


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


# Where the sanitizers of every server this test started, and of every
# process they ran (the zygote's children write their stderr to files the
# server reads, not to its log), write their reports: one file per process.
_REPORT_PREFIXES = []


def sanitizer_env(prefix):
    """The environment with the sanitizers' reports sent to files PREFIX.PID."""
    env = dict(os.environ)
    for name in ("ASAN_OPTIONS", "UBSAN_OPTIONS", "TSAN_OPTIONS"):
        env[name] = env.get(name, "") + (":" if env.get(name) else "") + "log_path=" + prefix
    return env


class Server:
    def __init__(self, data, *extra):
        self.data = data
        self.port = None
        self.proc = None
        self.extra = list(extra)
        self.err_path = os.path.join(data + ".log")
        self.report_prefix = data + ".sanitizer"

    def start(self):
        if self.report_prefix not in _REPORT_PREFIXES:
            _REPORT_PREFIXES.append(self.report_prefix)
        for _attempt in range(5):
            self.port = free_port()
            self.err = open(self.err_path, "ab")
            self.proc = subprocess.Popen(
                [VOTECLOUD, "serve", "--listen", "127.0.0.1:%d" % self.port,
                 "--data", self.data] + self.extra,
                stdout=subprocess.PIPE, stderr=self.err, env=sanitizer_env(self.report_prefix))
            line = self.proc.stdout.readline().decode()
            if line.startswith("votecloud: serving http://127.0.0.1:%d/" % self.port):
                self.banner = line
                atexit.register(self._end)  # a test that fails with an exception leaves no server
                return self
            self.proc.wait(timeout=30)
            self.err.close()
        raise RuntimeError("the server did not start: " + open(self.err_path).read())

    def _end(self):
        if self.proc is not None and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(timeout=30)

    def stop(self, sig=signal.SIGTERM):
        self.proc.send_signal(sig)
        rc = self.proc.wait(timeout=120)
        self.proc.stdout.close()
        self.err.close()
        return rc

    def log(self):
        with open(self.err_path, encoding="utf-8", errors="replace") as f:
            return f.read()

    def request(self, method, path, body=None, headers=None, timeout=120):
        c = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        c.request(method, path, body=body, headers=headers or {})
        r = c.getresponse()
        data = r.read()
        c.close()
        return r.status, dict((k.lower(), v) for k, v in r.getheaders()), data

    def upload(self, name, content, csrf=True, headers=None, field="file"):
        boundary = uuid.uuid4().hex
        body = (("--%s\r\nContent-Disposition: form-data; name=\"%s\"; filename=\"%s\"\r\n"
                 "Content-Type: application/octet-stream\r\n\r\n") % (boundary, field, name)).encode()
        body += content + ("\r\n--%s--\r\n" % boundary).encode()
        h = {"Content-Type": "multipart/form-data; boundary=" + boundary}
        if csrf:
            h["X-Votecloud"] = "1"
        h.update(headers or {})
        return self.request("POST", "/api/uploads", body, h)

    def cloud(self, upload_id, options, kind="clouds", raw=None, headers=None):
        h = {"Content-Type": "application/json", "X-Votecloud": "1"}
        h.update(headers or {})
        body = raw if raw is not None else json.dumps(options).encode()
        return self.request("POST", "/api/uploads/%s/%s" % (upload_id, kind), body, h)


def sanitizer_reports():
    """Each sanitizer report file of the servers this test started: 'FILE:
    the report's headline' (its ERROR or runtime error line)."""
    out = []
    for prefix in _REPORT_PREFIXES:
        for path in sorted(glob.glob(glob.escape(prefix) + ".*")):
            with open(path, encoding="utf-8", errors="replace") as f:
                lines = [line.strip() for line in f if line.strip()]
            head = next((x for x in lines if "ERROR:" in x or "runtime error" in x),
                        lines[0] if lines else "(empty)")
            out.append("%s: %s" % (os.path.basename(path), head))
    return out


def finish(tmp):
    """The end of a server test, after its servers stopped: a test line
    that no server (or process it ran) wrote a sanitizer report, the plan,
    and `tmp` removed when every test passed (kept for a look otherwise).
    Returns the exit status."""
    reports = sanitizer_reports()
    ok(not reports, "no sanitizer report from the servers or their children%s"
       % ("".join("\n# " + r for r in reports)))
    rc = done()
    if rc == 0:
        shutil.rmtree(tmp, ignore_errors=True)
    return rc


def basic(password):
    return "Basic " + base64.b64encode(("team:" + password).encode()).decode()


def options_to_args(options):
    """The CLI arguments the server's whitelist makes of an options object
    (the test's own copy, so it can judge the server)."""
    args = []
    for k, v in options.items():
        if v is True:
            args.append("--" + k)
        elif v is False:
            continue
        else:
            args += ["--" + k, str(v)]
    return args
