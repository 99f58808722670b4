#!/usr/bin/env python3
"""test-a11y.py - the web app's own accessibility, in headless Chromium over
the DevTools protocol (tests/cdp.py) against `votecloud serve` on a free
loopback port:

- every page's accessibility tree (the page with every step shown, the
  no-JavaScript columns/words page, the cloud page, an error page): every
  control has a name, there is one h1, heading levels do not skip;
- the whole flow with the keyboard alone (Tab, Shift+Tab, Space, Enter,
  arrow keys as CDP Input events; the file picker is the one OS dialog, so
  its file is set on the focused input): tick a column, undo a non-answer
  exclusion, change the palette, edit and save the alt text, download the
  PNG, draw one cloud per event; the focused control always shows a focus
  outline;
- at 400% zoom (320 CSS px wide) no page needs horizontal scrolling;
- with JavaScript off (Emulation.setScriptExecutionDisabled) the form path
  goes from upload to the cloud and its downloads, saving a house style,
  loading a bad style file (the error summary focused, its link moving
  focus to the field) and uploading a bad, then a good font on the way.

A screenshot of every page and step is kept in --out.  Skips without
Chromium.

usage: test-a11y.py --out DIR
"""
import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(HERE, ".."))
sys.path.insert(0, HERE)
from taplib import ok  # noqa: E402
from cdp import Browser, capture, chromium_or_skip, js, wait_for  # noqa: E402
from servelib import Server, finish  # noqa: E402

TIMEOUT = 60.0
CONTROLS = {"button", "checkbox", "combobox", "textbox", "link", "radio", "spinbutton",
            "listbox", "slider", "switch", "menuitem", "searchbox", "PopUpButton"}
KEYS = {"Tab": ("Tab", 9, None), "Enter": ("Enter", 13, "\r"), "Space": ("Space", 32, " "),
        "ArrowDown": ("ArrowDown", 40, None)}


def shot(dt, out, name, scroll_to=None, js_on=True):
    """The viewport (what a person sees), scrolled to an element first."""
    if scroll_to and js_on:
        js(dt, "document.querySelector(%s).scrollIntoView(); true" % json.dumps(scroll_to))
    elif scroll_to:  # through DOM: JavaScript is off
        doc = dt.call("DOM.getDocument")
        node = dt.call("DOM.querySelector", nodeId=doc["root"]["nodeId"], selector=scroll_to)
        if node.get("nodeId"):
            dt.call("DOM.scrollIntoViewIfNeeded", nodeId=node["nodeId"])
        time.sleep(0.2)
    path = os.path.join(out, name)
    capture(dt, path)
    return path


def press(dt, name, shift=False):
    code, vk, text = KEYS[name]
    key = " " if name == "Space" else name
    down = {"type": "keyDown", "key": key, "code": code, "windowsVirtualKeyCode": vk,
            "nativeVirtualKeyCode": vk}
    if text:
        down["text"] = text
    if shift:
        down["modifiers"] = 8
    dt.call("Input.dispatchKeyEvent", **down)
    up = {"type": "keyUp", "key": key, "code": code, "windowsVirtualKeyCode": vk,
          "nativeVirtualKeyCode": vk}
    if shift:
        up["modifiers"] = 8
    dt.call("Input.dispatchKeyEvent", **up)


def tab_to(dt, selector, limit=400):
    """Presses Tab until the focused element matches selector; returns the
    number of presses, or None.  Checks the focus outline on the way."""
    for i in range(1, limit + 1):
        press(dt, "Tab")
        if js(dt, "document.activeElement && document.activeElement.matches(%s)" % json.dumps(selector)):
            return i
    return None


FOCUS_VISIBLE = ("(() => { const e = document.activeElement; const s = getComputedStyle(e);"
                 " return e !== document.body && s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2; })()")


def ax_check(dt, page):
    """Names of unnamed controls and the heading levels, from the
    accessibility tree."""
    nodes = dt.call("Accessibility.getFullAXTree")["nodes"]
    unnamed, levels = [], []
    for n in nodes:
        if n.get("ignored"):
            continue
        role = n.get("role", {}).get("value")
        name = (n.get("name") or {}).get("value", "")
        if role in CONTROLS and not str(name).strip():
            unnamed.append("%s#%s" % (role, n.get("backendDOMNodeId")))
        if role == "heading":
            for p in n.get("properties", []):
                if p.get("name") == "level":
                    levels.append(p["value"]["value"])
    ok(not unnamed, "%s: every control has an accessible name (%s)" % (page, unnamed[:5]))
    skips = [(a, b) for a, b in zip(levels, levels[1:]) if b > a + 1]
    ok(levels[:1] == [1] and levels.count(1) == 1 and not skips and len(levels) >= 2,
       "%s: one h1, headings in order without skipped levels (%s)" % (page, levels))


def no_hscroll(dt, page):
    width = js(dt, "document.documentElement.scrollWidth")
    view = js(dt, "document.documentElement.clientWidth")
    wide = js(dt, "[...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right >"
                  " document.documentElement.clientWidth + 1 && e.offsetParent !== null).slice(0, 3)"
                  ".map(e => e.tagName + (e.id ? '#' + e.id : '')).join(', ')")
    ok(width <= view, "%s at 320 CSS px (400%% zoom): no horizontal scrolling (%d <= %d; %s)" % (page, width, view, wide))


def navigate(dt, url):
    dt.call("Page.navigate", url=url)
    deadline = time.monotonic() + TIMEOUT
    dt.wait_event("Page.loadEventFired", deadline)


def dom_value(dt, selector, attr):
    """Reads an attribute without running page script (JS may be off)."""
    doc = dt.call("DOM.getDocument", depth=-1)
    node = dt.call("DOM.querySelector", nodeId=doc["root"]["nodeId"], selector=selector)
    if not node.get("nodeId"):
        return None
    attrs = dt.call("DOM.getAttributes", nodeId=node["nodeId"])["attributes"]
    return dict(zip(attrs[::2], attrs[1::2])).get(attr)


def focus(dt, selector):
    doc = dt.call("DOM.getDocument", depth=-1)
    node = dt.call("DOM.querySelector", nodeId=doc["root"]["nodeId"], selector=selector)
    dt.call("DOM.focus", nodeId=node["nodeId"])
    return node["nodeId"]


def keyboard_flow(dt, base, survey, out, downloads):
    navigate(dt, base)
    ax_check(dt, "the start page")
    shot(dt, out, "a11y-01-start.png")
    n = tab_to(dt, "#file")
    ok(n is not None and js(dt, FOCUS_VISIBLE), "Tab reaches the file input (%s presses), focus visible" % n)
    doc = dt.call("DOM.getDocument")
    node = dt.call("DOM.querySelector", nodeId=doc["root"]["nodeId"], selector="#file")
    dt.call("DOM.setFileInputFiles", nodeId=node["nodeId"], files=[survey])
    wait_for(dt, "!document.getElementById('step-words').hidden && document.querySelector('#excluded tbody tr')",
             "the columns and words")
    wait_for(dt, "document.getElementById('preview').dataset.cloud", "the first preview")
    js(dt, "window.__last = document.getElementById('preview').dataset.cloud; true")
    shot(dt, out, "a11y-02-columns.png", "#step-columns")
    shot(dt, out, "a11y-03-words.png", "#step-words")

    # a column: Tab to the free-text box, Space unticks it
    n = tab_to(dt, "#col-7")
    press(dt, "Space")
    ok(n is not None and js(dt, "!document.getElementById('col-7').checked") and js(dt, FOCUS_VISIBLE),
       "Tab to a column's checkbox, Space unticks it (focus visible)")
    wait_for(dt, "document.getElementById('preview').dataset.cloud !== window.__last", "the preview without it")
    shown = js(dt, "document.getElementById('step-words').dataset.shown")
    js(dt, "window.__last = document.getElementById('preview').dataset.cloud; true")
    press(dt, "Space")
    ok(js(dt, "document.getElementById('col-7').checked"), "Space ticks it again")
    wait_for(dt, "document.getElementById('step-words').dataset.shown !== %s && "
                 "document.getElementById('preview').dataset.cloud !== window.__last" % json.dumps(shown),
             "the words table and preview again")

    # the words step: keep 'n/a' as a word with Enter on its button
    n = tab_to(dt, "#excluded tbody button")
    ok(n is not None and js(dt, FOCUS_VISIBLE), "Tab reaches 'Count it as a word' (focus visible)")
    press(dt, "Enter")
    wait_for(dt, "[...document.querySelectorAll('#words tbody td:first-child')].some(t => t.textContent === 'n/a')",
             "n/a counted as a word")
    ok(True, "Enter on it: 'n/a' is counted as a word")
    shot(dt, out, "a11y-04-words-edited.png", "#excluded")
    n = tab_to(dt, "#undo-lists button")
    press(dt, "Enter")
    wait_for(dt, "![...document.querySelectorAll('#words tbody td:first-child')].some(t => t.textContent === 'n/a')",
             "n/a left out again")
    ok(n is not None, "Tab to its Undo, Enter: 'n/a' left out again")

    # the style: the palette with the arrow keys
    js(dt, "window.__last = document.getElementById('preview').dataset.cloud; true")
    n = tab_to(dt, "#palette")
    before = js(dt, "document.getElementById('palette').value")
    press(dt, "ArrowDown")
    after = js(dt, "document.getElementById('palette').value")
    ok(n is not None and before != after and js(dt, FOCUS_VISIBLE),
       "Tab to the palette, ArrowDown changes it (%s -> %s)" % (before, after))
    wait_for(dt, "document.getElementById('preview').dataset.cloud !== window.__last", "the new preview")

    # the upright tick box: Space ticks it, and the new cloud is drawn with
    # --rotate auto (its SVG records the options it was drawn with)
    js(dt, "window.__last = document.getElementById('preview').dataset.cloud; true")
    n = tab_to(dt, "#upright")
    press(dt, "Space")
    ok(n is not None and js(dt, "document.getElementById('upright').checked") and js(dt, FOCUS_VISIBLE),
       "Tab to 'Let a word too long for the width read upwards', Space ticks it (focus visible)")
    # A preview asked before the tick (the palette's, on a slow build) may
    # land after the snapshot above: the page shows a response that comes
    # before a newer request starts.  Then the next preview is the tick's.
    svg = ""
    for _ in range(2):
        wait_for(dt, "document.getElementById('preview').dataset.cloud !== window.__last",
                 "the upright preview")
        svg = js(dt, "fetch('/api/clouds/' + document.getElementById('preview').dataset.cloud + "
                     "'/cloud.svg').then(r => r.text())")
        if "rotate=auto" in svg:
            break
        js(dt, "window.__last = document.getElementById('preview').dataset.cloud; true")
    ok("rotate=auto" in svg, "the new preview is drawn with rotate=auto")
    js(dt, "window.__last = document.getElementById('preview').dataset.cloud; true")
    press(dt, "Space")
    wait_for(dt, "document.getElementById('preview').dataset.cloud !== window.__last", "the flat preview")
    svg = js(dt, "fetch('/api/clouds/' + document.getElementById('preview').dataset.cloud + '/cloud.svg')"
                 ".then(r => r.text())")
    ok(not js(dt, "document.getElementById('upright').checked") and "rotate=none" in svg,
       "Space unticks it: the next preview is drawn flat (rotate=none)")
    shot(dt, out, "a11y-05-style.png", "#step-style")
    shot(dt, out, "a11y-06-house-styles.png", "#h-house")

    # the alt text: type, Tab to Save, Enter
    n = tab_to(dt, "#alt")
    js(dt, "document.getElementById('alt').select(); true")
    dt.call("Input.insertText", text="A word cloud typed with the keyboard only.")
    press(dt, "Tab")
    ok(n is not None and js(dt, "document.activeElement.id") == "alt-save", "Tab from the alt text reaches Save")
    press(dt, "Enter")
    cid = js(dt, "document.getElementById('preview').dataset.cloud")
    wait_for(dt, "document.getElementById('status').textContent.indexOf('Alt text saved') >= 0", "the alt text saved")
    ok(True, "Enter saves the alt text")
    shot(dt, out, "a11y-07-preview-alt.png", "#step-preview")

    # a download by keyboard
    n = tab_to(dt, 'a[data-file="cloud.png"]')
    ok(n is not None and js(dt, FOCUS_VISIBLE), "Tab reaches the PNG download (focus visible)")
    press(dt, "Enter")
    deadline = time.monotonic() + TIMEOUT
    got = None
    while time.monotonic() < deadline and got is None:
        got = next((f for f in os.listdir(downloads) if f.endswith("cloud.png")), None)
        time.sleep(0.1)
    ok(got is not None, "Enter on it downloads the PNG (%s)" % got)
    shot(dt, out, "a11y-08-downloads.png", "#step-download")

    # one cloud per event
    n = tab_to(dt, "#events-run")
    press(dt, "Enter")
    wait_for(dt, "document.querySelectorAll('#gallery img').length === 3 && [...document.querySelectorAll('#gallery img')]"
                 ".every(i => i.complete && i.naturalWidth > 0)", "the gallery")
    ok(n is not None, "Tab to 'Draw one cloud per event', Enter: the gallery of 3 shows in the page")
    shot(dt, out, "a11y-09-events.png", "#step-events")
    ax_check(dt, "the page with every step")
    ok(js(dt, "[...document.querySelectorAll('#gallery img')].every(i => i.alt.startsWith('Word cloud'))"),
       "every gallery image has its alt text")
    js(dt, "document.getElementById('events-run').focus(); true")
    press(dt, "Tab", shift=True)
    ok(js(dt, "document.activeElement.id") == "same-scale", "Shift+Tab moves focus back (to 'Same scale')")
    return cid


def zoom_checks(dt, base, uid, cid, out):
    dt.call("Emulation.setDeviceMetricsOverride", width=320, height=640, deviceScaleFactor=1, mobile=False)
    no_hscroll(dt, "the page with every step")
    for sel, png in (("#step-columns", "a11y-10-zoom400-columns.png"), ("#step-words", "a11y-11-zoom400-words.png"),
                     ("#step-style", "a11y-12-zoom400-style.png"), ("#step-preview", "a11y-13-zoom400-preview.png"),
                     ("#step-events", "a11y-14-zoom400-events.png")):
        shot(dt, out, png, sel)
    for path, name, png in (("/u/" + uid, "the no-JS columns and words page", "a11y-15-zoom400-upload-page.png"),
                            ("/c/" + cid, "the cloud page", "a11y-16-zoom400-cloud-page.png"),
                            ("/u/" + "0" * 32, "the error page", "a11y-17-zoom400-error.png")):
        navigate(dt, base.rstrip("/") + path)
        no_hscroll(dt, name)
        shot(dt, out, png)
    dt.call("Emulation.setDeviceMetricsOverride", width=1100, height=900, deviceScaleFactor=1, mobile=False)
    for path, name in (("/u/" + uid, "the no-JS columns and words page"), ("/c/" + cid, "the cloud page"),
                       ("/u/" + "0" * 32, "the error page")):
        navigate(dt, base.rstrip("/") + path)
        ax_check(dt, name)


def focused(dt):
    """The focused node's role and name, from the accessibility tree (page
    script may be off).  Chromium applies `autofocus` in a frame after the
    load event, so a page just loaded is polled until something has focus
    (up to TIMEOUT); (None, None) if nothing ever does."""
    deadline = time.monotonic() + TIMEOUT
    while True:
        for n in dt.call("Accessibility.getFullAXTree")["nodes"]:
            for p in n.get("properties", []):
                if p.get("name") == "focused" and p["value"].get("value"):
                    return n.get("role", {}).get("value"), (n.get("name") or {}).get("value", "")
        if time.monotonic() > deadline:
            return None, None
        time.sleep(0.05)


def submit(dt, selector):
    """Keyboard: focus a button, Enter, wait for the next page."""
    focus(dt, selector)
    press(dt, "Enter")
    dt.wait_event("Page.loadEventFired", time.monotonic() + TIMEOUT)


def set_file(dt, selector, path):
    doc = dt.call("DOM.getDocument")
    node = dt.call("DOM.querySelector", nodeId=doc["root"]["nodeId"], selector=selector)
    dt.call("DOM.setFileInputFiles", nodeId=node["nodeId"], files=[path])


def nojs_styles(dt, out):
    """House styles and the font with JavaScript off: plain form posts."""
    focus(dt, "#style-name")
    dt.call("Input.insertText", text="Keyboard only")
    submit(dt, 'button[value="style-save:"]')
    ok(dom_value(dt, '#house option[value="Keyboard only"]', "value") == "Keyboard only"
       and dom_value(dt, "p.notice", "role") == "status",
       "JS off: 'Save as a house style' saves it (listed, a status notice)")
    bad = os.path.join(tempfile.mkdtemp(prefix="vc-a11y-style-"), "bad-style.txt")
    with open(bad, "w") as f:
        f.write("palette = nhs\nwidth = wide\n")
    set_file(dt, "#style-file", bad)
    submit(dt, 'button[value="style-load:"]')
    role, name = focused(dt)
    ok(dom_value(dt, ".error-summary a", "href") == "#style-file-error" and role == "alert" and name == "There is a problem"
       and js(dt, "document.activeElement.className") == "error-summary",
       "JS off: a bad style file: the error summary is shown and focused (%s %r)" % (role, name))
    ok(dom_value(dt, "#style-file", "aria-invalid") == "true"
       and dom_value(dt, "#style-file", "aria-describedby") == "style-file-error",
       "JS off: the style file field is marked invalid and described by its error")
    ax_check(dt, "the page with a style file error")
    shot(dt, out, "a11y-21-nojs-style-error.png")
    focus(dt, '.error-summary a[href="#style-file-error"]')
    press(dt, "Enter")
    time.sleep(0.3)
    press(dt, "Tab")
    # DevTools' own evaluation runs with page script off
    now = js(dt, "document.activeElement.id + ' ' + location.hash")
    ok(now == "style-file #style-file-error",
       "JS off: Enter on the summary's link scrolls to the message, Tab then focuses its field (%r)" % now)
    junk = os.path.join(os.path.dirname(bad), "junk.ttf")
    with open(junk, "wb") as f:
        f.write(b"\0\1\0\0" + os.urandom(2000))
    set_file(dt, "#font", junk)
    submit(dt, 'button[value="font:"]')
    ok(dom_value(dt, ".error-summary a", "href") == "#font-error" and dom_value(dt, "#font", "aria-invalid") == "true",
       "JS off: a file that is not a usable font: the error by the font field")
    shot(dt, out, "a11y-22-nojs-font-error.png", "#font", js_on=False)
    set_file(dt, "#font", os.path.join(ROOT, "fonts", "NotoSans-Regular.ttf"))
    submit(dt, 'button[value="font:"]')
    ok(dom_value(dt, ".error-summary", "role") is None and dom_value(dt, 'button[value="font-remove:"]', "value") == "font-remove:",
       "JS off: a usable font uploaded: no error, the page offers the bundled font back")
    shot(dt, out, "a11y-23-nojs-style.png", "#h-style", js_on=False)
    shutil.rmtree(os.path.dirname(bad), ignore_errors=True)


def js_off(dt, base, survey, out):
    dt.call("Emulation.setScriptExecutionDisabled", value=True)
    navigate(dt, base)
    ok(dom_value(dt, "#step-upload", "id") == "step-upload", "JS off: the start page")
    doc = dt.call("DOM.getDocument")
    node = dt.call("DOM.querySelector", nodeId=doc["root"]["nodeId"], selector="#file")
    dt.call("DOM.setFileInputFiles", nodeId=node["nodeId"], files=[survey])
    focus(dt, '#upload-form button[type="submit"]')
    press(dt, "Enter")
    dt.wait_event("Page.loadEventFired", time.monotonic() + TIMEOUT)
    action = dom_value(dt, "form[method=post]", "action") or ""
    ok(action.startswith("/u/"), "JS off: Enter on Upload posts the form and opens /u/ID (%s)" % action)
    shot(dt, out, "a11y-18-nojs-columns.png")
    focus(dt, 'button[value="show:"]')
    press(dt, "Enter")
    dt.wait_event("Page.loadEventFired", time.monotonic() + TIMEOUT)
    ok(dom_value(dt, "#excluded", "id") == "excluded", "JS off: 'Show the words' shows the words table")
    shot(dt, out, "a11y-19-nojs-words.png", "#h-words", js_on=False)
    focus(dt, 'button[value="include:n/a"]')
    press(dt, "Enter")
    dt.wait_event("Page.loadEventFired", time.monotonic() + TIMEOUT)
    ok(dom_value(dt, 'button[value="reexclude:n/a"]', "value") == "reexclude:n/a",
       "JS off: 'Count it as a word' works and offers its undo")
    nojs_styles(dt, out)
    # Enter in a text field: the form's default button draws the cloud
    # (not the first button of the words step)
    focus(dt, "#title")
    dt.call("Input.insertText", text="Our priorities")
    press(dt, "Enter")
    dt.wait_event("Page.loadEventFired", time.monotonic() + TIMEOUT)
    src = dom_value(dt, "#preview", "src") or ""
    ok(src.startswith("/api/clouds/") and src.endswith("/cloud.svg"),
       "JS off: Enter in the title field draws the cloud and opens its page (%s)" % src)
    shot(dt, out, "a11y-20-nojs-cloud.png")
    cid = src.split("/")[3] if src.count("/") >= 4 else "0" * 32
    dt.call("Emulation.setScriptExecutionDisabled", value=False)
    return cid


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", required=True)
    args = ap.parse_args()
    if chromium_or_skip() is None:
        return 0
    os.makedirs(args.out, exist_ok=True)
    tmp = tempfile.mkdtemp(prefix="vc-a11y-")
    survey = os.path.join(tmp, "forms-export.csv")
    subprocess.run([sys.executable, os.path.join(HERE, "make-survey.py"), survey, "60"], check=True)
    srv = Server(os.path.join(tmp, "data")).start()
    base = "http://127.0.0.1:%d/" % srv.port
    downloads = os.path.join(tmp, "downloads")
    os.mkdir(downloads)
    browser = Browser(domains=("Runtime", "DOM", "Accessibility"), width=1100, height=900,
                      downloads=downloads)
    try:
        dt = browser.start().dt
        cid = keyboard_flow(dt, base, survey, args.out, downloads)
        uid = js(dt, "document.getElementById('preview').src.split('/')[5]")  # only for its page below
        st, h, body = srv.request("GET", "/api/clouds/%s/layout.json" % cid)
        ok(st == 200, "the keyboard's cloud exists on the server")
        upload_ids = os.listdir(os.path.join(tmp, "data", "uploads"))
        uid = upload_ids[0] if upload_ids else "0" * 32
        zoom_checks(dt, base, uid, cid, args.out)
        nojs_cloud = js_off(dt, base, survey, args.out)
        st, h, body = srv.request("GET", "/api/clouds/%s/cloud.png" % nojs_cloud)
        ok(st == 200 and body[:8] == b"\x89PNG\r\n\x1a\n", "JS off: the cloud's PNG downloads")
    except Exception as e:  # report, never hang the suite
        ok(False, "%s: %s" % (type(e).__name__, e))
    finally:
        browser.close()
        srv.stop()
    return finish(tmp)


if __name__ == "__main__":
    sys.exit(main())
