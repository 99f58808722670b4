"""cdp.py - a minimal client for Chromium's DevTools protocol, shared by
the browser tests (tests/a11y/axtree.py, tests/serve/test-browser.py).

Python 3 standard library only: the WebSocket client below is the minimum
the DevTools protocol needs (RFC 6455 text frames, client masking).
"""
import base64
import json
import os
import re
import shutil
import signal
import socket
import struct
import subprocess
import time
import urllib.request

TIMEOUT = 25.0


# ---- a minimal WebSocket client -------------------------------------------

class WebSocket:
    def __init__(self, url, timeout):
        m = re.match(r"ws://([^/:]+):(\d+)(/.*)", url)
        if not m:
            raise ValueError("not a ws:// URL: " + url)
        host, port, path = m.group(1), int(m.group(2)), m.group(3)
        self.sock = socket.create_connection((host, port), timeout=timeout)
        key = base64.b64encode(os.urandom(16)).decode()
        req = ("GET %s HTTP/1.1\r\nHost: %s:%d\r\nUpgrade: websocket\r\n"
               "Connection: Upgrade\r\nSec-WebSocket-Key: %s\r\n"
               "Sec-WebSocket-Version: 13\r\n\r\n" % (path, host, port, key))
        self.sock.sendall(req.encode())
        head = b""
        while b"\r\n\r\n" not in head:
            chunk = self.sock.recv(1)
            if not chunk:
                raise ConnectionError("websocket handshake: connection closed")
            head += chunk
        if not head.startswith(b"HTTP/1.1 101"):
            raise ConnectionError("websocket handshake refused: %r" % head[:80])

    def _recv_exact(self, k):
        buf = b""
        while len(buf) < k:
            chunk = self.sock.recv(k - len(buf))
            if not chunk:
                raise ConnectionError("websocket closed")
            buf += chunk
        return buf

    def send(self, text):
        data = text.encode()
        header = bytes([0x81])  # FIN + text
        if len(data) < 126:
            header += bytes([0x80 | len(data)])
        elif len(data) < 65536:
            header += bytes([0x80 | 126]) + struct.pack(">H", len(data))
        else:
            header += bytes([0x80 | 127]) + struct.pack(">Q", len(data))
        mask = os.urandom(4)
        masked = bytes(b ^ mask[i % 4] for i, b in enumerate(data))
        self.sock.sendall(header + mask + masked)

    def recv(self):
        """One whole message (fragments joined); pings answered."""
        parts = []
        while True:
            b0, b1 = self._recv_exact(2)
            opcode, fin = b0 & 0x0F, b0 & 0x80
            length = b1 & 0x7F
            if length == 126:
                length = struct.unpack(">H", self._recv_exact(2))[0]
            elif length == 127:
                length = struct.unpack(">Q", self._recv_exact(8))[0]
            mask = self._recv_exact(4) if b1 & 0x80 else None
            payload = self._recv_exact(length)
            if mask:
                payload = bytes(b ^ mask[i % 4] for i, b in enumerate(payload))
            if opcode == 0x8:
                raise ConnectionError("websocket closed by the browser")
            if opcode == 0x9:  # ping -> pong
                self.sock.sendall(bytes([0x8A, 0x80 | len(payload)]) +
                                  b"\0\0\0\0" + payload)
                continue
            if opcode in (0x0, 0x1, 0x2):
                parts.append(payload)
                if fin:
                    return b"".join(parts).decode()

    def close(self):
        try:
            self.sock.close()
        except OSError:
            pass


class DevTools:
    def __init__(self, ws):
        self.ws = ws
        self.next_id = 0
        self.events = []

    def call(self, method, **params):
        self.next_id += 1
        my_id = self.next_id
        self.ws.send(json.dumps({"id": my_id, "method": method, "params": params}))
        while True:
            msg = json.loads(self.ws.recv())
            if msg.get("id") == my_id:
                if "error" in msg:
                    raise RuntimeError("%s: %s" % (method, msg["error"]))
                return msg.get("result", {})
            self.events.append(msg)

    def wait_event(self, method, deadline):
        while time.monotonic() < deadline:
            for i, e in enumerate(self.events):
                if e.get("method") == method:
                    return self.events.pop(i)
            self.events.append(json.loads(self.ws.recv()))
        raise TimeoutError("no " + method)


# ---- page helpers shared by the browser tests --------------------------------


def js(dt, expr):
    """The value of `expr` in the page (promises awaited)."""
    r = dt.call("Runtime.evaluate", expression=expr, returnByValue=True, awaitPromise=True)
    if "exceptionDetails" in r:
        raise RuntimeError("page script failed: %s" % r["exceptionDetails"].get("text"))
    return r.get("result", {}).get("value")


def wait_for(dt, expr, what, limit=60.0):
    """Polls until `expr` is truthy in the page; TimeoutError naming `what`."""
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        if js(dt, "!!(%s)" % expr):
            return True
        time.sleep(0.1)
    raise TimeoutError("waiting for " + what)


def capture(dt, path, beyond=False):
    """A PNG screenshot of the viewport (or the whole page) saved at `path`;
    returns its bytes."""
    params = {"format": "png"}
    if beyond:
        params["captureBeyondViewport"] = True
    data = base64.b64decode(dt.call("Page.captureScreenshot", **params)["data"])
    with open(path, "wb") as f:
        f.write(data)
    return data


# ---- Chromium ------------------------------------------------------------

def find_chromium():
    env = os.environ.get("CHROMIUM")
    if env:
        return env if shutil.which(env) else None
    for name in ("chromium", "chromium-browser", "google-chrome"):
        path = shutil.which(name)
        if path:
            return path
    return None


def start_chromium(exe, profile):
    args = [exe, "--headless", "--no-sandbox", "--disable-gpu",
            "--remote-debugging-port=0", "--remote-debugging-address=127.0.0.1",
            "--disable-background-networking", "--disable-component-update",
            "--disable-sync", "--no-first-run", "--disable-quic",
            "--disable-extensions", "--mute-audio", "--hide-scrollbars",
            "--user-data-dir=" + profile, "about:blank"]
    # Its own session, so every helper process it forks can be ended with
    # the group (stop_chromium).
    proc = subprocess.Popen(args, stdin=subprocess.DEVNULL,
                            stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL,
                            start_new_session=True)
    # With port 0 Chromium picks a free port and writes it here.
    port_file = os.path.join(profile, "DevToolsActivePort")
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError("chromium exited with status %d" % proc.returncode)
        try:
            with open(port_file) as f:
                lines = f.read().split()
            if len(lines) >= 2:
                return proc, int(lines[0])
        except OSError:
            pass
        time.sleep(0.1)
    stop_chromium(proc)
    raise TimeoutError("chromium did not open its debugging port")


def stop_chromium(proc):
    """Waits briefly for a clean exit, then ends the browser's whole
    process group (renderer, GPU and zygote helpers included)."""
    try:
        proc.wait(timeout=5)
    except subprocess.TimeoutExpired:
        pass
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
    try:
        proc.wait(timeout=5)
    except subprocess.TimeoutExpired:
        pass


def page_ws_url(port):
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        with urllib.request.urlopen("http://127.0.0.1:%d/json/list" % port,
                                    timeout=5) as r:
            targets = json.load(r)
        for t in targets:
            if t.get("type") == "page" and "webSocketDebuggerUrl" in t:
                return t["webSocketDebuggerUrl"]
        time.sleep(0.1)
    raise TimeoutError("no page target")
