"""cdp.py - a minimal client for Chromium's DevTools protocol, shared by
the browser tests (tests/a11y/axtree.py, tests/pack/test-pack-axtree.py,
tests/serve/test-browser.py, test-a11y.py, test-live-browser.py).

A test opens one `Browser` (headless Chromium with a temporary profile,
one page over DevTools) and always shuts it down, also when a check
throws; `chromium_or_skip` makes the whole TAP test a SKIP when Chromium
is not installed.

Python 3 standard library only: the WebSocket client below is the minimum
the DevTools protocol needs (RFC 6455 text frames, client masking).
"""
import base64
import ctypes
import json
import os
import re
import shutil
import signal
import socket
import struct
import subprocess
import tempfile
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
    """$CHROMIUM if set, else Debian's /usr/bin/chromium, else one on PATH."""
    env = os.environ.get("CHROMIUM")
    if env:
        return env if shutil.which(env) else None
    if os.access("/usr/bin/chromium", os.X_OK):
        return "/usr/bin/chromium"
    for name in ("chromium", "chromium-browser", "google-chrome"):
        path = shutil.which(name)
        if path:
            return path
    return None


def _die_with_parent():
    """Runs in the forked child before exec: the kernel kills it when the
    test that started it dies, however it dies (a SIGKILL from a timeout or
    an interrupted suite included), since its own session (below) keeps it
    out of the test's process group."""
    libc = ctypes.CDLL(None, use_errno=True)
    PR_SET_PDEATHSIG = 1
    libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL)


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
                            start_new_session=True,
                            preexec_fn=_die_with_parent)
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


# ---- one browser session per test --------------------------------------------

def chromium_or_skip():
    """The browser to run, or None after printing a TAP plan that skips the
    whole test (meson reports SKIP; the caller returns 0)."""
    exe = find_chromium()
    if exe is None:
        print("1..0 # SKIP chromium is not installed (apt-get install chromium)", flush=True)
    return exe


class Browser:
    """Headless Chromium with a temporary profile and one page, driven over
    DevTools (`.dt`).  start() it inside a try whose finally calls close(),
    or use it as a context manager: either way the browser is closed, its
    process group ended and its profile removed, also after a failure.

    domains: the DevTools domains to enable ("Page" is always on).
    width, height, scale, mobile: the first viewport (see viewport()).
    downloads: a folder that takes the page's downloads, or None.
    home: the folder the profile is made in (default: the system's)."""

    def __init__(self, exe=None, domains=("Runtime",), width=1100, height=900,
                 scale=1, mobile=False, downloads=None, home=None):
        self.exe = exe or find_chromium()
        self.home = home
        self.domains = ("Page",) + tuple(d for d in domains if d != "Page")
        self.size = (width, height, scale, mobile)
        self.downloads = downloads
        self.proc = self.ws = self.dt = self.profile = None

    def start(self):
        """Starts the browser and opens its page; returns self."""
        try:
            self.profile = tempfile.mkdtemp(prefix="vc-chromium-", dir=self.home)
            self.proc, port = start_chromium(self.exe, self.profile)
            self.ws = WebSocket(page_ws_url(port), TIMEOUT)
            self.dt = DevTools(self.ws)
            for domain in self.domains:
                self.dt.call(domain + ".enable")
            self.viewport(*self.size)
            if self.downloads:
                self.dt.call("Page.setDownloadBehavior", behavior="allow",
                             downloadPath=self.downloads)
        except BaseException:
            self.close(polite=False)
            raise
        return self

    def __enter__(self):
        return self.start()

    def __exit__(self, exc_type, exc, tb):
        self.close(polite=exc_type is None)
        return False

    def close(self, polite=True):
        """Asks the browser to quit (unless after a failure), then ends what
        is left of it; safe to call twice."""
        if self.dt is not None and polite:
            try:
                self.dt.call("Browser.close")
            except (ConnectionError, RuntimeError, OSError):
                pass
        self.dt = None
        if self.ws is not None:
            self.ws.close()
            self.ws = None
        if self.proc is not None:
            stop_chromium(self.proc)
            self.proc = None
        if self.profile is not None:
            shutil.rmtree(self.profile, ignore_errors=True)
            self.profile = None

    def viewport(self, width, height, scale=1, mobile=False):
        """The page's size in CSS px and its device pixel ratio."""
        self.dt.call("Emulation.setDeviceMetricsOverride", width=width, height=height,
                     deviceScaleFactor=scale, mobile=mobile)

    def scripts(self, on):
        """Turns the page's JavaScript on or off (for the no-JS paths)."""
        self.dt.call("Emulation.setScriptExecutionDisabled", value=not on)

    def open(self, url, limit=TIMEOUT):
        """Navigates and waits for the page's load event."""
        self.dt.call("Page.navigate", url=url)
        self.dt.wait_event("Page.loadEventFired", time.monotonic() + limit)

    def js(self, expr):
        return js(self.dt, expr)

    def wait_for(self, expr, what, limit=60.0):
        return wait_for(self.dt, expr, what, limit)

    def screenshot(self, path, beyond=False):
        """A PNG of the viewport (or the whole page) saved at `path`; its bytes."""
        return capture(self.dt, path, beyond)
