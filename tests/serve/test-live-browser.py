#!/usr/bin/env python3
"""test-live-browser.py - a live event room in headless Chromium over the
DevTools protocol (tests/cdp.py) against `votecloud serve` on a free
loopback port.

The participant's page at 320 px wide with JavaScript off: every input
labelled (Chromium's accessibility tree), nothing wider than the screen,
the words sent by the form, the thank-you page.  The presenter's page
mid-event: the key taken from the fragment (and gone from the address),
the cloud drawn from the SSE layouts, then more answers arrive and the
same <g> element of a word grows where it is (never a redraw).  The
presenter's keys pressed for real (Input.dispatchKeyEvent, a real click to
select, confirm() and prompt() answered): H hides, U shows again, C closes,
checked through the API and the moderation log.  Screen
shots live-*.png, the frames live-frame-N.png and a strip of them are
left in --out.  Skips without Chromium.

usage: test-live-browser.py --out DIR
"""
import argparse
import json
import os
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, ".."))
sys.path.insert(0, HERE)
from taplib import ok, skip  # noqa: E402
from cdp import TIMEOUT, Browser, capture, chromium_or_skip, js, wait_for  # noqa: E402
from servelib import Server, finish  # noqa: E402
from livelib import create_room, submit, counts, parse_counts  # noqa: E402

def shot(dt, out, name):
    path = os.path.join(out, name)
    data = capture(dt, path)
    ok(data[:8] == b"\x89PNG\r\n\x1a\n", "screenshot: " + path)
    return path


def navigate(dt, url):
    dt.call("Page.navigate", url=url)
    time.sleep(0.2)
    wait_for(dt, "document.readyState === 'complete' && location.href.startsWith('http')",
             "the page " + url)


def participant(dt, base, room, out):
    dt.call("Emulation.setDeviceMetricsOverride", width=320, height=640,
            deviceScaleFactor=2, mobile=True)
    dt.call("Emulation.setScriptExecutionDisabled", value=True)
    navigate(dt, base + room["join_url"].lstrip("/"))
    ok(js(dt, "document.querySelectorAll('script').length") == 0, "the join page has no script")
    width = js(dt, "document.documentElement.scrollWidth")
    ok(width <= 320, "nothing wider than 320 px (scrollWidth %r)" % width)
    tree = dt.call("Accessibility.getFullAXTree")["nodes"]
    boxes = [n.get("name", {}).get("value") for n in tree
             if n.get("role", {}).get("value") == "textbox"]
    ok(boxes == ["Word 1", "Word 2", "Word 3"],
       "each input has its label in the accessibility tree (%r)" % boxes)
    buttons = [n.get("name", {}).get("value") for n in tree
               if n.get("role", {}).get("value") == "button"]
    ok(buttons == ["Send"], "one named button (%r)" % buttons)
    shot(dt, out, "live-join-320.png")
    js(dt, "document.getElementById('w1').value = 'Lighthouse';"
           " document.getElementById('w2').value = '<b>bold</b>'; true")
    # The button, as a finger would: the form posts without JavaScript.
    box = dt.call("DOM.getBoxModel", nodeId=dt.call(
        "DOM.querySelector", nodeId=dt.call("DOM.getDocument")["root"]["nodeId"],
        selector="button")["nodeId"])["model"]["content"]
    x, y = (box[0] + box[2]) / 2, (box[1] + box[5]) / 2
    for kind in ("mousePressed", "mouseReleased"):
        dt.call("Input.dispatchMouseEvent", type=kind, x=x, y=y, button="left", clickCount=1)
    wait_for(dt, "location.pathname.endsWith('/thanks') && document.readyState === 'complete'",
             "the thank-you page")
    text = js(dt, "document.body.innerText")
    ok("Thank you" in text and "<b>bold</b>" in text and
       js(dt, "document.querySelectorAll('main b').length") == 0,
       "thank-you page: the words shown as text")
    shot(dt, out, "live-thanks-320.png")
    dt.call("Emulation.setScriptExecutionDisabled", value=False)


def long_phrase(dt, srv, base, out):
    """A long answer that leads goes on several lines on the projector, as
    the layout wrapped it, each line centred on the widest."""
    st, room = create_room(srv, {"question": "What matters most to you?"})
    phrase = "Right support at the right time"
    others = ["kindness", "care", "hope", "trust", "respect", "listening", "community", "safety"]
    for i in range(12):
        submit(srv.port, room["join_url"], [phrase, others[i % 8], others[(i * 3 + 1) % 8]])
    dt.call("Emulation.setDeviceMetricsOverride", width=1280, height=720,
            deviceScaleFactor=1, mobile=False)
    navigate(dt, base + "p/%s#key=%s" % (room["id"], room["presenter_key"]))
    wait_for(dt, "document.querySelectorAll('#cloud g').length >= 9", "the cloud with the phrase")
    time.sleep(1.0)  # the CSS transition
    lines = js(dt, "[...document.querySelectorAll('#cloud g')].find(g => g.dataset.word === %s)"
                   "? [...[...document.querySelectorAll('#cloud g')].find(g => g.dataset.word === %s)"
                   ".querySelectorAll('text')].map(t => t.textContent) : []"
               % (json.dumps(phrase), json.dumps(phrase)))
    ok(len(lines) >= 2 and " ".join(lines) == phrase,
       "the leading long answer is drawn on %d lines: %r" % (len(lines), lines))
    centred = js(dt, "(() => { const g = [...document.querySelectorAll('#cloud g')]"
                     ".find(g => g.dataset.word === %s); const r = [...g.querySelectorAll('text')]"
                     ".map(t => t.getBoundingClientRect()); const c = r.map(b => b.x + b.width / 2);"
                     " return Math.max(...c) - Math.min(...c) < 0.02 * r[0].height * 10"
                     " && r.every((b, k) => k === 0 || b.y > r[k - 1].y); })()" % json.dumps(phrase))
    ok(centred, "... each line centred under the one before, top to bottom")
    shot(dt, out, "live-phrase.png")


def right_to_left(dt, srv, base, out):
    st, room = create_room(srv, {"question": "ما هي أهم ثلاث كلمات لمدينتنا؟"})
    dt.call("Emulation.setDeviceMetricsOverride", width=320, height=640,
            deviceScaleFactor=2, mobile=True)
    navigate(dt, base + room["join_url"].lstrip("/"))
    ok(js(dt, "document.documentElement.dir") == "rtl" and
       js(dt, "getComputedStyle(document.querySelector('label')).direction") == "rtl",
       "an Arabic question: the page reads right to left")
    shot(dt, out, "live-join-rtl-320.png")


def presenter(dt, srv, base, room, out):
    dt.call("Emulation.setDeviceMetricsOverride", width=1280, height=720,
            deviceScaleFactor=1, mobile=False)
    navigate(dt, base + "p/%s#key=%s" % (room["id"], room["presenter_key"]))
    wait_for(dt, "document.querySelectorAll('#cloud g').length >= 3", "the first cloud")
    ok(js(dt, "location.hash") == "" and room["presenter_key"] not in js(dt, "location.href"),
       "the key left the address bar")
    ok(js(dt, "document.getElementById('join').textContent").endswith(room["join_url"]),
       "the join address is shown")
    wait_for(dt, "document.getElementById('qr').complete && document.getElementById('qr').naturalWidth > 0",
             "the QR code")
    ok(js(dt, "[...document.querySelectorAll('#cloud text')].some(t => t.textContent === '<b>bold</b>')"
              " && document.querySelectorAll('#cloud b').length === 0"),
       "a word with HTML is drawn as text")
    # Mark the elements of the top word and of a smaller one: they must be
    # the same elements later, grown where they are.
    js(dt, "(() => { const g = w => [...document.querySelectorAll('#cloud g')]"
           ".find(e => e.dataset.word === w);"
           " window.__top = g('harbour'); window.__small = g('ferries');"
           " window.__top.__mark = 1; window.__small.__mark = 2; return true; })()")
    geometry = ("(() => { const f = g => { const r = g.getBoundingClientRect();"
                " const m = /scale\\(([0-9.e-]+)\\)/.exec(g.style.transform);"
                " return [+g.dataset.count, +m[1], r.x + r.width / 2, r.y + r.height / 2]; };"
                " return [f(window.__top), f(window.__small)]; })()")
    time.sleep(1.0)
    frames = [shot(dt, out, "live-frame-1.png")]
    geo = [js(dt, geometry)]
    total = js(dt, "document.querySelectorAll('#cloud g').length")
    for k in range(2, 6):
        for i in range(6):
            submit(srv.port, room["join_url"], ["harbour", "ferries", "idea%d" % (10 * k + i % 3)])
        want = int(parse_counts(counts(srv, room))[("ferries", "suggested")])
        wait_for(dt, "window.__small.dataset.count == %d" % want, "frame %d" % k)
        time.sleep(1.0)  # the CSS transition
        frames.append(shot(dt, out, "live-frame-%d.png" % k))
        geo.append(js(dt, geometry))
    ok(js(dt, "window.__top.isConnected && window.__top.__mark === 1 &&"
              " window.__small.isConnected && window.__small.__mark === 2"),
       "each word's <g> is the same element in every frame (no redraw)")
    truthful = all(abs((s[1] / t[1]) / (s[0] / t[0]) - 1) < 0.01 for t, s in geo)
    ok(truthful, "in every frame the sizes keep the votes' ratio (%s)"
       % ", ".join("%d:%d" % (t[0], s[0]) for t, s in geo))
    ratios = [s[1] / t[1] for t, s in geo]
    ok(all(b > a for a, b in zip(ratios, ratios[1:])), "the smaller word grew frame by frame")
    ok(js(dt, "document.querySelectorAll('#cloud g').length") > total,
       "new words joined the cloud")
    n = js(dt, "document.getElementById('n').textContent")
    ok(n == str(len(srv.request("GET", "/api/events/%s/export.csv" % room["id"],
                                headers={"Authorization": "Bearer " + room["presenter_key"]})[2]
                    .decode().splitlines()) - 1),
       "the participant count matches the room (%s)" % n)
    # H hides the selected word: it leaves the screen and the counts.
    js(dt, "(() => { const g = [...document.querySelectorAll('#cloud g')]"
           ".find(e => e.dataset.word === 'parking'); g.dispatchEvent(new MouseEvent('click'));"
           " document.dispatchEvent(new KeyboardEvent('keydown', {key: 'h'})); return true; })()")
    wait_for(dt, "![...document.querySelectorAll('#cloud g')].some(e => e.dataset.word === 'parking')",
             "the hidden word to leave")
    ok(("parking", "suggested") not in parse_counts(counts(srv, room)),
       "H on a selected word hides it: gone from the screen and the counts")
    # P pauses: a new answer waits until P again.
    js(dt, "document.dispatchEvent(new KeyboardEvent('keydown', {key: 'p'})); true")
    submit(srv.port, room["join_url"], ["paused-word"])
    time.sleep(1.5)
    held = js(dt, "![...document.querySelectorAll('#cloud g')].some(e => e.dataset.word === 'paused-word')")
    js(dt, "document.dispatchEvent(new KeyboardEvent('keydown', {key: 'p'})); true")
    wait_for(dt, "[...document.querySelectorAll('#cloud g')].some(e => e.dataset.word === 'paused-word')",
             "the word after the pause")
    ok(held, "P pauses the screen; P again shows what arrived meanwhile")
    print("# centres of harbour / ferries per frame: %s" % [
        ("%.0f,%.0f" % (t[2], t[3]), "%.0f,%.0f" % (s[2], s[3])) for t, s in geo])
    strip(frames, os.path.join(out, "live-frames-strip.png"))


def moderation(dt, srv, base, out):
    st, room = create_room(srv, {"question": "Moderated: one word?", "max_words": 1,
                                 "moderation": True})
    submit(srv.port, room["join_url"], ["Bridges"])
    submit(srv.port, room["join_url"], ["<i>tilt</i>"])
    navigate(dt, base + "p/%s#key=%s" % (room["id"], room["presenter_key"]))
    wait_for(dt, "!document.getElementById('queue').hidden && "
                 "document.querySelectorAll('#pending li').length === 2", "the queue")
    ok(js(dt, "document.querySelectorAll('#cloud g').length") == 0,
       "moderation: nothing is drawn before approval")
    ok(js(dt, "document.querySelectorAll('#pending i').length") == 0 and
       "<i>tilt</i>" in js(dt, "document.getElementById('pending').textContent"),
       "the queue shows a word with HTML as text")
    shot(dt, out, "live-queue.png")
    js(dt, "[...document.querySelectorAll('#pending li')].find(li => li.textContent"
           ".startsWith('Bridges')).querySelector('button').click(); true")
    wait_for(dt, "[...document.querySelectorAll('#cloud g')].some(g => g.dataset.word === 'Bridges')",
             "the approved word")
    ok(js(dt, "document.querySelectorAll('#pending li').length") == 1,
       "Approve draws the word and takes it off the queue")
    js(dt, "document.getElementById('publish').click(); true")
    wait_for(dt, "location.pathname.startsWith('/u/') && document.readyState === 'complete'",
             "the web app's page of the uploaded answers")
    ok("Bridges" in js(dt, "document.body.innerText") or
       "In your own words" in js(dt, "document.body.innerText"),
       "'Open in the cloud maker' uploads the export into the web app's flow")
    shot(dt, out, "live-publish.png")


# ---- real input: keys and clicks through DevTools, dialogs answered ---------

KEYS = {"h": 72, "c": 67, "u": 85, "p": 80}


def send_nowait(dt, method, **params):
    """Sends a DevTools call without waiting for its answer (a key that
    opens confirm() or prompt() is answered only once the dialog is)."""
    dt.next_id += 1
    dt.ws.send(json.dumps({"id": dt.next_id, "method": method, "params": params}))
    return dt.next_id


def answer_of(dt, my_id, deadline):
    while time.monotonic() < deadline:
        for i, e in enumerate(dt.events):
            if e.get("id") == my_id:
                return dt.events.pop(i)
        dt.events.append(json.loads(dt.ws.recv()))
    raise TimeoutError("no answer to call %d" % my_id)


def press(dt, key, dialog=None):
    """Presses and releases `key` as a keyboard would (keyDown with its text,
    keyUp).  With `dialog` (accept, text): the dialog the key opens is
    answered so; returns its message."""
    common = {"key": key, "code": "Key" + key.upper(), "windowsVirtualKeyCode": KEYS[key],
              "nativeVirtualKeyCode": KEYS[key]}
    down = send_nowait(dt, "Input.dispatchKeyEvent", type="keyDown", text=key, **common)
    message = None
    deadline = time.monotonic() + TIMEOUT
    if dialog is not None:
        ev = dt.wait_event("Page.javascriptDialogOpening", deadline)
        message = ev["params"]["message"]
        accept, text = dialog
        dt.call("Page.handleJavaScriptDialog", accept=accept, promptText=text)
    answer_of(dt, down, deadline)
    dt.call("Input.dispatchKeyEvent", type="keyUp", **common)
    return message


def click_word(dt, word):
    """A real mouse click in the middle of the word's drawn ink."""
    x, y = js(dt, "(() => { const g = [...document.querySelectorAll('#cloud g')]"
                  ".find(e => e.dataset.word === %s); const r = g.querySelector('text')"
                  ".getBoundingClientRect(); return [r.x + r.width / 2, r.y + r.height / 2]; })()"
              % json.dumps(word))
    for kind in ("mouseMoved", "mousePressed", "mouseReleased"):
        dt.call("Input.dispatchMouseEvent", type=kind, x=x, y=y, button="left",
                clickCount=0 if kind == "mouseMoved" else 1)


def shortcuts(dt, srv, base, out):
    """The presenter's keys pressed for real: H on a clicked word, H with
    the word typed into the prompt, U, C with the confirm() accepted and
    declined; each checked through the API."""
    st, room = create_room(srv, {"question": "Keys?"})
    for words in (["lanterns", "boats", "gulls"], ["lanterns", "boats", "rope"],
                  ["lanterns", "nets", "gulls"]):
        submit(srv.port, room["join_url"], words)
    key = {"Authorization": "Bearer " + room["presenter_key"]}
    navigate(dt, base + "p/%s#key=%s" % (room["id"], room["presenter_key"]))
    wait_for(dt, "document.querySelectorAll('#cloud g').length === 5", "the keys room's cloud")
    time.sleep(1.0)  # the words' transitions into place
    click_word(dt, "gulls")
    ok(js(dt, "document.querySelector('#cloud g.sel') !== null && "
              "document.querySelector('#cloud g.sel').dataset.word === 'gulls'"),
       "a mouse click selects the word")
    press(dt, "h")
    wait_for(dt, "![...document.querySelectorAll('#cloud g')].some(e => e.dataset.word === 'gulls')",
             "gulls to leave the screen")
    ok(("gulls", "suggested") not in parse_counts(counts(srv, room)),
       "the H key on the selected word: hidden (the counts say so)")
    msg = press(dt, "h", (True, "rope"))
    wait_for(dt, "![...document.querySelectorAll('#cloud g')].some(e => e.dataset.word === 'rope')",
             "rope to leave the screen")
    ok(msg is not None and ("rope", "suggested") not in parse_counts(counts(srv, room)),
       "H with nothing selected asks which word (%r), and hides it" % msg)
    press(dt, "u", (True, "gulls"))
    wait_for(dt, "[...document.querySelectorAll('#cloud g')].some(e => e.dataset.word === 'gulls')",
             "gulls back on the screen")
    ok(parse_counts(counts(srv, room)).get(("gulls", "suggested")) == 2,
       "the U key shows a hidden word again (2 votes counted)")
    msg = press(dt, "c", (False, ""))
    time.sleep(0.5)
    st, h, body = srv.request("GET", room["join_url"])
    ok(msg is not None and "Close the room" in msg and st == 200,
       "C asks first; declined, the room stays open")
    press(dt, "c", (True, ""))
    wait_for(dt, "document.getElementById('msg').textContent.includes('closed')", "the closed message")
    st, h, body = srv.request("GET", room["join_url"])
    st2, h2, body2, _ = submit(srv.port, room["join_url"], ["late"])
    ok(st == 410 and st2 == 410, "the C key, confirmed, closes the room (join page and submit: 410)")
    shot(dt, out, "live-keys.png")
    log = srv.request("GET", "/api/events/%s/moderation.csv" % room["id"], headers=key)[2].decode()
    acts = [l.split(",") for l in log.splitlines()[1:]]
    ok([a[1] for a in acts] == ["hide", "hide", "unhide", "close"] and
       all(a[4] == "presenter screen" for a in acts),
       "the moderation log has each key's decision, made from the presenter screen: %s"
       % " ".join("%s/%s" % (a[1], a[2]) for a in acts))


def strip(frames, path):
    try:
        from PIL import Image
    except ImportError:
        skip("python3-pil missing: no strip of frames")
        return
    imgs = [Image.open(f).convert("RGB") for f in frames]
    w, h = imgs[0].size
    scale = 0.5
    out = Image.new("RGB", (int(w * scale), int(h * scale) * len(imgs)), "white")
    for i, im in enumerate(imgs):
        out.paste(im.resize((int(w * scale), int(h * scale))), (0, int(h * scale) * i))
    out.save(path)
    ok(os.path.getsize(path) > 0, "strip of frames: " + path)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", required=True)
    args = ap.parse_args()
    if chromium_or_skip() is None:
        return 0
    os.makedirs(args.out, exist_ok=True)
    tmp = tempfile.mkdtemp(prefix="vc-live-browser-")
    srv = Server(os.path.join(tmp, "data")).start()
    base = "http://127.0.0.1:%d/" % srv.port
    st, room = create_room(srv, {"question": "Which three words matter most for our harbour town?"})
    seed = [["harbour", "ferries", "jobs"], ["harbour", "fish", "tourism"], ["ferries", "parking", "harbour"],
            ["jobs", "housing", "schools"], ["harbour", "housing", "pride"]]
    for words in seed:
        submit(srv.port, room["join_url"], words)
    browser = Browser(domains=("Runtime", "Accessibility"))
    try:
        dt = browser.start().dt
        participant(dt, base, room, args.out)
        right_to_left(dt, srv, base, args.out)
        presenter(dt, srv, base, room, args.out)
        long_phrase(dt, srv, base, args.out)
        shortcuts(dt, srv, base, args.out)
        moderation(dt, srv, base, args.out)
    except Exception as e:  # report, never hang the suite
        ok(False, "%s: %s" % (type(e).__name__, e))
    finally:
        browser.close()
        srv.stop()
    return finish(tmp)


if __name__ == "__main__":
    sys.exit(main())
