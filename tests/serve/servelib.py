"""servelib.py - starts `votecloud serve` as a real process on a free
loopback port, and speaks HTTP to it with the standard library."""
import atexit
import base64
import http.client
import json
import os
import signal
import socket
import subprocess
import time
import uuid

VOTECLOUD = os.environ.get("VOTECLOUD", "votecloud")


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


class Server:
    def __init__(self, data, *extra):
        self.data = data
        self.port = None
        self.proc = None
        self.extra = list(extra)
        self.err_path = os.path.join(data + ".log")

    def start(self):
        for _attempt in range(5):
            self.port = free_port()
            self.err = open(self.err_path, "ab")
            self.proc = subprocess.Popen(
                [VOTECLOUD, "serve", "--listen", "127.0.0.1:%d" % self.port,
                 "--data", self.data] + self.extra,
                stdout=subprocess.PIPE, stderr=self.err)
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
