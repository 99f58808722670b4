#!/usr/bin/env python3
"""test-style.py - house styles and fonts in `votecloud serve` (a real
server on a free loopback port, real SQLite): a style saved, listed,
downloaded as the CLI's style file and rendered by the CLI with --style to
the same bytes as the server's cloud; style files loaded with the CLI's
rules and refused with FILE:LINE; a font uploaded, checked by drawing with
it, and used byte for byte like `votecloud render --font`; hostile names,
options, style files and fonts."""
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import uuid

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(HERE, ".."))
sys.path.insert(0, HERE)
from taplib import ok  # noqa: E402
from servelib import Server, VOTECLOUD, finish  # noqa: E402

FONT = os.path.join(ROOT, "fonts", "NotoSans-Regular.ttf")


def post_json(srv, path, obj=None, raw=None):
    body = raw if raw is not None else json.dumps(obj).encode()
    st, h, b = srv.request("POST", path, body, {"Content-Type": "application/json", "X-Votecloud": "1"})
    try:
        return st, h, json.loads(b)
    except ValueError:
        return st, h, {}


def upload_font(srv, name, content, field="font"):
    boundary = uuid.uuid4().hex
    body = (("--%s\r\nContent-Disposition: form-data; name=\"%s\"; filename=\"%s\"\r\n"
             "Content-Type: application/octet-stream\r\n\r\n") % (boundary, field, name)).encode()
    body += content + ("\r\n--%s--\r\n" % boundary).encode()
    st, h, b = srv.request("POST", "/api/fonts", body,
                           {"Content-Type": "multipart/form-data; boundary=" + boundary, "X-Votecloud": "1"})
    try:
        return st, json.loads(b)
    except ValueError:
        return st, {}


def post_form(srv, uid, fields, files=()):
    """POST /u/ID as the page without JavaScript sends it: multipart, the
    browser's Sec-Fetch-Site, fields (name, value) and files (field, name,
    bytes; an empty name is a file input left empty)."""
    boundary = uuid.uuid4().hex
    body = b""
    for k, v in fields:
        body += ("--%s\r\nContent-Disposition: form-data; name=\"%s\"\r\n\r\n%s\r\n" % (boundary, k, v)).encode()
    for k, name, content in files:
        body += (("--%s\r\nContent-Disposition: form-data; name=\"%s\"; filename=\"%s\"\r\n"
                  "Content-Type: application/octet-stream\r\n\r\n") % (boundary, k, name)).encode()
        body += content + b"\r\n"
    body += ("--%s--\r\n" % boundary).encode()
    return srv.request("POST", "/u/" + uid, body, {"Content-Type": "multipart/form-data; boundary=" + boundary,
                                                     "Sec-Fetch-Site": "same-origin"})


def selected(page, select_id):
    """The value of the option marked selected in a select of the page."""
    part = page.split('<select id="%s"' % select_id, 1)[-1].split("</select>", 1)[0]
    for opt in part.split("<option ")[1:]:
        if " selected" in opt.split(">", 1)[0]:
            return opt.split('value="', 1)[1].split('"', 1)[0]
    return None


def field_value(page, field_id):
    part = page.split('<input id="%s"' % field_id, 1)
    return part[1].split('value="', 1)[1].split('"', 1)[0] if len(part) == 2 and 'value="' in part[1].split(">", 1)[0] else None


def no_script(srv, tmp, survey, style):
    """House styles and fonts through the page without JavaScript: plain
    multipart posts to /u/ID, 303 back, errors in the page by their fields."""
    st, h, body = srv.upload("s.csv", open(survey, "rb").read())
    uid = json.loads(body)["id"]
    cols = [("col", "6")]
    look = cols + [("preset", "1080x1080"), ("palette", "okabe-ito"), ("shape", "ellipse"),
                   ("sizing", "sqrt"), ("background", "white"), ("title", "Plain & simple"), ("legend", "on"),
                   ("upright", "on")]
    empty_files = [("font", "", b""), ("style_file", "", b"")]
    st, h, b = post_form(srv, uid, look + [("style_name", "No script"), ("op", "style-save:")], empty_files)
    ok(st == 303 and h.get("location") == "/u/%s?done=style-saved#h-house" % uid,
       "no JS: 'Save as a house style' posts and answers 303 back to the house styles (%s)" % h.get("location"))
    st, h, body = srv.request("GET", "/api/styles")
    saved = dict((s["name"], s["options"]) for s in json.loads(body)["styles"])
    ok(saved.get("No script") == {"width": 1080, "height": 1080, "palette": "okabe-ito", "shape": "ellipse",
                                  "sizing": "sqrt", "title": "Plain & simple", "legend": True,
                                  "rotate": "auto"},
       "no JS: the house style holds the fields as posted (%s)" % saved.get("No script"))
    st, h, page = srv.request("GET", "/u/%s?done=style-saved" % uid)
    page = page.decode()
    ok(st == 200 and selected(page, "palette") == "okabe-ito" and selected(page, "preset") == "1080x1080"
       and field_value(page, "title") == "Plain &amp; simple" and 'id="legend" name="legend" type="checkbox" value="on" checked' in page
       and 'id="upright" name="upright" type="checkbox" value="on" checked' in page
       and "style-more" not in page,
       "no JS: the page shows the fields as last posted")
    ok('<option value="No script">No script</option>' in page and 'href="/api/styles/file?name=No%20script"' in page
       and 'role="status">Saved as a house style' in page,
       "no JS: the saved style is listed, downloadable by a link, and the page says it was saved")

    # errors: shown in the page by their fields, the fields kept
    st, h, page = post_form(srv, uid, look + [("style_name", " "), ("op", "style-save:")], empty_files)
    page = page.decode()
    ok(st == 400 and 'class="error-summary" role="alert" tabindex="-1" autofocus' in page
       and '<a href="#style-name-error">a house style needs a name' in page
       and 'id="style-name" name="style_name" type="text" maxlength="60" aria-describedby="style-name-error" aria-invalid="true"' in page
       and "<title>Error: " in page and selected(page, "palette") == "okabe-ito" and 'id="style-more"' not in page,
       "no JS: a style without a name: 400, the summary links to the field, which is marked and described")
    bad = b"palette = nhs\nno equals here\n"
    st, h, page = post_form(srv, uid, look + [("op", "style-load:")], [("font", "", b""), ("style_file", "bad<b>.txt", bad)])
    page = page.decode()
    want = "bad&lt;b&gt;.txt:2: expected &#39;key = value&#39;"
    ok(st == 400 and ('<a href="#style-file-error">' + want) in page and
       ('id="style-file-error"><span class="visually-hidden">Error: </span>' + want) in page
       and 'aria-describedby="style-file-error" aria-invalid="true"' in page,
       "no JS: a bad style file: 400, its FILE:LINE error as text by the field and in the summary")
    st, h, page = post_form(srv, uid, look + [("op", "style-load:")], [("font", "", b""), ("style_file", "big.txt", b"#" * 70000)])
    ok(st == 413 and b'<a href="#style-file-error">big.txt: larger than 64 KiB' in page, "no JS: a style file over 64 KiB: 413 by its field")
    st, h, page = post_form(srv, uid, look + [("op", "style-load:")], empty_files)
    ok(st == 400 and b'<a href="#style-file-error">Choose a votecloud style file first' in page, "no JS: Load without a file: 400 by its field")

    # a style file loaded, a saved style used
    text = b"# house\npalette = viridis\nwidth = 1080\nheight = 1920\nseed = 7\n"
    st, h, b = post_form(srv, uid, look + [("op", "style-load:")], [("font", "", b""), ("style_file", "story.txt", text)])
    st2, h2, page = srv.request("GET", "/u/%s?done=style-loaded" % uid)
    page = page.decode()
    ok(st == 303 and selected(page, "palette") == "viridis" and selected(page, "preset") == "1080x1920"
       and selected(page, "shape") != "ellipse" and 'id="style-more"' in page and page.split('id="style-more"')[1].split("</p>")[0].endswith(": seed."),
       "no JS: a style file loaded: 303, its options in the fields, the one the page cannot show named")
    # The upright box shows rotate = auto; other angles are kept, and named.
    for rotate, ticked in (("auto", True), ("mixed", False)):
        text = b"width = 1080\nheight = 1920\nrotate = " + rotate.encode() + b"\n"
        st, h, b = post_form(srv, uid, cols + [("op", "style-load:")],
                             [("font", "", b""), ("style_file", "r.txt", text)])
        st2, h2, page = srv.request("GET", "/u/%s?done=style-loaded" % uid)
        page = page.decode()
        box = 'id="upright" name="upright" type="checkbox" value="on"' + (" checked" if ticked else ">")
        more = page.split('id="style-more"')[1].split("</p>")[0] if 'id="style-more"' in page else ""
        ok(st == 303 and box in page and (more.endswith(": rotate.") if not ticked else not more),
           "no JS: a style file with rotate = %s: the upright box %s%s"
           % (rotate, "ticked" if ticked else "unticked", "" if ticked else ", rotate named as kept"))
    st, h, b = post_form(srv, uid, cols + [("preset", "1080x1920"), ("palette", "viridis"), ("house", "Council web"),
                                           ("op", "style-use:")], empty_files)
    st2, h2, page = srv.request("GET", "/u/" + uid)
    page = page.decode()
    ok(st == 303 and selected(page, "background") == "transparent" and field_value(page, "page-colour") == "#f0f4f5"
       and field_value(page, "custom") == style["palette"] and selected(page, "palette") == "custom",
       "no JS: 'Use this style': 303, the house style's options in the fields")
    st, h, page = post_form(srv, uid, cols + [("house", "Nobody"), ("op", "style-use:")], empty_files)
    ok(st == 400 and b'<a href="#house-error">' in page, "no JS: an unknown house style: 400 by its field")

    # fonts: a file sent with the form
    before = sorted(os.listdir(os.path.join(tmp, "data", "fonts")))
    st, h, page = post_form(srv, uid, look + [("op", "font:")], [("font", "junk.ttf", os.urandom(2048)), ("style_file", "", b"")])
    page = page.decode()
    ok(st == 415 and '<a href="#font-error">junk.ttf: not a font votecloud can draw with: ' in page
       and "font.ttf" not in page.split('id="font-error"')[1].split("</p>")[0]
       and 'aria-describedby="font-hint font-error" aria-invalid="true"' in page
       and sorted(os.listdir(os.path.join(tmp, "data", "fonts"))) == before,
       "no JS: a file that is not a usable font: 415, the message by the field, nothing kept")
    st, h, page = post_form(srv, uid, look + [("op", "font:")], [("font", "x.exe", b"MZ"), ("style_file", "", b"")])
    ok(st == 415 and b'<a href="#font-error">not a font file' in page, "no JS: a .exe as the font: 415 by its field")
    st, h, page = post_form(srv, uid, look + [("op", "font:")], empty_files)
    ok(st == 400 and b'<a href="#font-error">Choose a .ttf' in page, "no JS: 'Upload the font' without a file: 400 by its field")
    st, h, b = post_form(srv, uid, look + [("op", "font:")], [("font", "Brand Sans.ttf", open(FONT, "rb").read()), ("style_file", "", b"")])
    st2, h2, page = srv.request("GET", "/u/%s?done=font" % uid)
    ok(st == 303 and b"Font in use: Brand Sans.ttf" in page and b'value="font-remove:"' in page,
       "no JS: a font uploaded with the form: 303, the page names it")
    st, h, b = post_form(srv, uid, [("col", "6"), ("preset", "1200x675"), ("palette", "nhs")], empty_files)
    cid = (h.get("location") or "/c/" + "0" * 32).split("/")[2]
    st2, h2, lj = srv.request("GET", "/api/clouds/%s/layout.json" % cid)
    ok(st == 303 and b'"font.ttf"' in lj, "no JS: 'Draw the cloud' draws with the uploaded font")
    st, h, b = post_form(srv, uid, look + [("op", "font-remove:")], empty_files)
    st2, h2, page = srv.request("GET", "/u/" + uid)
    ok(st == 303 and b"Font in use: the bundled Noto Sans" in page, "no JS: 'Use the bundled font again'")
    st, h, b = srv.request("POST", "/u/" + uid, b"x", {"Content-Type": "multipart/form-data; boundary=z"})
    ok(st == 403, "no JS: a form post from elsewhere: 403")


def load(srv, name, text):
    st, h, j = post_json(srv, "/api/styles/load", {"name": name, "text": text})
    return st, j


def main():
    tmp = tempfile.mkdtemp(prefix="vc-style-")
    survey = os.path.join(tmp, "survey.csv")
    subprocess.run([sys.executable, os.path.join(HERE, "make-survey.py"), survey, "60"], check=True)
    srv = Server(os.path.join(tmp, "data")).start()
    st, h, body = srv.upload("survey.csv", open(survey, "rb").read())
    uid = json.loads(body)["id"]

    # a house style: saved, listed, as the CLI's file, rendered by the CLI
    style = {"width": 1080, "height": 1080, "palette": "#005eb8,#330072,#ae2573",
             "background": "transparent", "contrast-against": "#f0f4f5", "shape": "ellipse",
             "sizing": "sqrt", "title": "  Our # priorities", "legend": True}
    st, h, j = post_json(srv, "/api/styles", {"name": "Council web", "options": style})
    ok(st == 201 and j.get("name") == "Council web", "save a house style: 201")
    st, h, body = srv.request("GET", "/api/styles")
    listed = json.loads(body).get("styles", []) if st == 200 else []
    ok([s["name"] for s in listed] == ["Council web"] and listed[0]["options"] == style,
       "GET /api/styles: the style with its options")
    st, h, text = srv.request("GET", "/api/styles/file?name=Council%20web")
    ok(st == 200 and h.get("content-disposition") == 'attachment; filename="votecloud-style.txt"',
       "the style as a file: 200, a fixed download name")
    text = text.decode()
    ok("shape = ellipse\n" in text and "legend = true\n" in text and 'title = "  Our # priorities"\n' in text
       and not any(l.startswith("columns") for l in text.splitlines()), "the file: key = value lines, a value with spaces and '#' quoted")
    sfile = os.path.join(tmp, "house.txt")
    with open(sfile, "w") as f:
        f.write(text)
    cli = subprocess.run([VOTECLOUD, "render", survey, "--columns", "6", "--style", sfile,
                          "-o", os.path.join(tmp, "cli.png")], capture_output=True)
    st, h, body = srv.cloud(uid, dict(style, columns="6"))
    cid = json.loads(body)["id"] if st == 201 else "0" * 32
    st, h, png = srv.request("GET", "/api/clouds/%s/cloud.png" % cid)
    ok(cli.returncode == 0 and st == 200 and png == open(os.path.join(tmp, "cli.png"), "rb").read(),
       "`votecloud render --style` with the downloaded file: the same PNG bytes as the app")
    st, j = load(srv, "house.txt", text)
    ok(st == 200 and j.get("options") == style, "the downloaded file loads back to the same options")
    st, h, body = srv.request("GET", "/api/styles/file?name=Nobody")
    ok(st == 404, "an unknown style: 404")
    st, h, body = srv.request("GET", "/api/styles/file")
    ok(st == 404, "no name: 404")

    # loading with the CLI's rules
    st, j = load(srv, "ok.txt", "\ufeff# house style\n\n--palette = okabe-ito\r\nwidth=800\n height = 600 \n"
                 "legend = yes\ntitle = \"quoted\"\n")
    ok(st == 200 and j.get("options") == {"palette": "okabe-ito", "width": 800, "height": 600,
                                         "legend": True, "title": "quoted"},
       "BOM, comments, '--', CRLF, spaces, yes, quotes: read as the CLI reads them")
    for text, want, what in (
            ("palette = nhs\nno equals here\n", "x.txt:2: expected 'key = value'", "a line without '='"),
            ("colour = red\n", "x.txt:1: unknown style key 'colour'", "an unknown key"),
            ("font = /etc/passwd\n", "x.txt:1: 'font' names a file", "font path"),
            ("mask = m.png\n", "x.txt:1: 'mask' names a file", "mask path"),
            ("width = 12px\n", "x.txt:1: width takes a whole number", "a bad number"),
            ("legend = maybe\n", "x.txt:1: legend takes true or false", "a bad flag"),
            ("title = a\tb\n", "x.txt:1: title takes text", "a tab inside a value"),
            ("palette = nhs\ntitle = x\x1b[31m\n", "x.txt:2: not UTF-8 text, or a control", "ESC in a value"),
            ("palette = nhs\nwidth = 1e999\n", "x.txt:2: width takes a whole number", "a huge number"),
            ("dpi = nan\n", "x.txt:1: dpi takes a number", "NaN"),
            ("output = /tmp/x.png\n", "x.txt:1: unknown style key 'output'", "output"),
            ("".join("max-words = %d\n" % i for i in range(3)) + "palette = \x00\n", "x.txt:4: a NUL byte", "NUL")):
        st, j = load(srv, "x.txt", text)
        ok(st == 400 and j.get("error", "").startswith(want),
           "style file with %s: 400 '%s' (%s)" % (what, want, j.get("error")))
    st, j = load(srv, "../../etc/x.txt", "nonsense\n")
    ok(st == 400 and j.get("error", "").startswith(".._.._etc_x.txt:1:"), "a file name with '/' is shown flattened")
    st, h, j = post_json(srv, "/api/styles/load", raw=b'{"name": "big.txt", "text": "' + b"#" * 70000 + b'"}')
    ok(st == 413, "a style file over 64 KiB: 413")
    st, h, j = post_json(srv, "/api/styles/load", raw=b'{"name": "x", "text": 5}')
    ok(st == 400, "text not a string: 400")
    st, h, j = post_json(srv, "/api/styles/load", raw=b'{"name": "x", "text": "a = \\ud800"}')
    ok(st == 400, "a lone surrogate: 400")

    # hostile saves
    for name, opts, what in (("", style, "an empty name"), ("x" * 61, style, "61 characters"),
                             ("bell\x07", style, "a control character"), ("ok", [1], "options not an object"),
                             ("ok", {"mask": "m.png"}, "a path option"), ("ok", {"width": "wide"}, "a bad width"),
                             ("ok", {"font-id": "../../etc"}, "a font id that is not an id")):
        st, h, j = post_json(srv, "/api/styles", {"name": name, "options": opts})
        ok(st == 400 and j.get("error"), "save with %s: 400 (%s)" % (what, j.get("error")))
    st, h, body = srv.request("POST", "/api/styles", b'{"name":"x","options":{}}', {"Content-Type": "application/json"})
    ok(st == 403, "save without the CSRF header: 403")

    # fonts
    st, j = upload_font(srv, "Brand Sans.ttf", open(FONT, "rb").read())
    ok(st == 201 and len(j.get("id", "")) == 32 and j.get("name") == "Brand Sans.ttf",
       "a .ttf font: 201 {id, name} after drawing with it")
    fid = j.get("id", "0" * 32)
    opts = {"columns": "6", "width": 800, "height": 450, "font-id": fid, "font-name": "Brand Sans.ttf"}
    st, h, body = srv.cloud(uid, opts)
    fcid = json.loads(body)["id"] if st == 201 else "0" * 32
    ok(st == 201, "a cloud with the uploaded font: 201")
    ref = os.path.join(tmp, "fontref")
    os.mkdir(ref)
    shutil.copy(FONT, os.path.join(ref, "font.ttf"))
    cli = subprocess.run([VOTECLOUD, "render", survey, "--columns", "6", "--width", "800", "--height", "450",
                          "--font", "font.ttf", "-o", "cloud.png", "--layout-json", "layout.json"],
                         cwd=ref, capture_output=True)
    st, h, png = srv.request("GET", "/api/clouds/%s/cloud.png" % fcid)
    ok(cli.returncode == 0 and png == open(os.path.join(ref, "cloud.png"), "rb").read(),
       "its PNG: identical to `votecloud render --font font.ttf`")
    st, h, lj = srv.request("GET", "/api/clouds/%s/layout.json" % fcid)
    ok(b'"font.ttf"' in lj and tmp.encode() not in lj, "the layout report names font.ttf, never the data folder")
    st, h, j = post_json(srv, "/api/styles", {"name": "With font", "options": opts})
    st, h, text = srv.request("GET", "/api/styles/file?name=With%20font")
    ok(st == 200 and b"font = Brand Sans.ttf\n" in text and fid.encode() not in text,
       "a style with the font names it by its file name for the CLI user")
    for name, content, status, what in (
            ("junk.ttf", os.urandom(4096), 415, "random bytes"),
            ("cut.ttf", open(FONT, "rb").read()[:3000], 415, "a font cut short"),
            ("empty.otf", b"", 415, "an empty file"),
            ("font.exe", open(FONT, "rb").read(), 415, "a .exe"),
            ("noext", open(FONT, "rb").read(), 415, "no extension")):
        st, j = upload_font(srv, name, content)
        ok(st == status and j.get("error"), "font %s: %d (%s)" % (what, status, j.get("error", "")[:120]))
    s = socket.create_connection(("127.0.0.1", srv.port), timeout=30)
    s.sendall(b"POST /api/fonts HTTP/1.1\r\nHost: x\r\nX-Votecloud: 1\r\n"
              b"Content-Type: multipart/form-data; boundary=b\r\nContent-Length: 22000000\r\n\r\n")
    first = s.recv(4096)
    s.close()
    ok(first.startswith(b"HTTP/1.1 413") and b"20 MB" in first, "a 22 MB font: 413 before any body byte")
    st, j = upload_font(srv, "x.ttf", open(FONT, "rb").read(), field="file")
    ok(st == 400, "a font in the wrong field: 400")
    left = sorted(os.listdir(os.path.join(tmp, "data", "fonts")))
    ok(left == [fid], "refused fonts leave nothing behind (%d folders)" % len(left))
    for bad in ("f" * 32, "../../uploads", 7):
        st, h, body = srv.cloud(uid, {"columns": "6", "font-id": bad})
        ok(st == 400, "font-id %r: 400 (%s)" % (bad, body[:100]))

    no_script(srv, tmp, survey, style)

    srv.stop()
    return finish(tmp)


if __name__ == "__main__":
    sys.exit(main())
