#!/usr/bin/env python3
"""make-seeds.py - writes the hand-made seed corpus (corpus/<target>/seed-*).
Run once from tests/fuzz/; the fuzzer's grown corpus is merged in beside
these files.  Survey, text and render inputs start with selector bytes that
the targets read as options (see fuzz-*.c)."""
import os
import subprocess
import sys

here = os.path.dirname(os.path.abspath(__file__))

SURVEY = (
    b"\xef\xbb\xbfTimestamp,Word 1,Word 2,Word 3,Any words missing?,Event\r\n"
    b"2024-01-01,Prevention,Wellbeing,\"think big\",\"kindness, hope\",Leeds\r\n"
    b"2024-01-01,prevention,Well-being,Person centred,\"line\nbreak\",York\r\n"
    b",,,,,\r\n"
    b"2024-01-02,\"Quote \"\"inside\"\"\",A&E,COVID-19,prevension;hope,Leeds\r\n"
)
BAD = {
    "empty": b"",
    "bom-only": b"\xef\xbb\xbf",
    "overlong": b"word\t3\n\xc0\xafx\t1\n",
    "lone-continuation": b"word\t3\n\x80abc\t1\n",
    "surrogate": b"word\t3\n\xed\xa0\x80\t1\n",
    "truncated-utf8": b"word\t3\ncaf\xc3",
    "utf16": "word\t3\n".encode("utf-16"),
    "nul": b"word\t3\nbad\0word\t1\n",
    "cr-only": b"alpha\t3\rbeta\t2\rgamma\t1\r",
    "png-as-text": b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01",
}
COUNTS = {
    "tsv": b"word\tcount\nprevention\t210\nwellbeing\t150\nA&E\t3\n",
    "csv": b"prevention,210\nkindness,12.5\n\"quoted, word\",4\n",
    "groups": b"word\tcount\tgroup\nhope\t5\tchosen\nkind\t2\tsuggested\nx\t1\tword\n",
    "crlf": b"alpha\t1\r\nbeta\t2\r\n",
    "negative": b"alpha\t-1\n",
    "nan": b"alpha\tNaN\nbeta\tinf\ngamma\t1e308\ndelta\t1e999\n",
    "non-numeric": b"alpha\tmany\n",
    "scripts": "ভালোবাসা\t9\nسلام\t7\n日本語\t5\nemoji🙂\t2\n".encode(),
    "xss": b"<script>alert(1)</script>\t9\n=HYPERLINK(\"http://x\")\t4\n+cmd\t2\n@SUM(1)\t1\n",
    "header-only": b"word\tcount\n",
}
TEXT = ("A&E and the GP said COVID-19 was person-centred; don't worry. "
        "ভালোবাসা سلام viruses virus status analysis was 2024 12.5\n").encode()
STYLE = {
    "valid": b"# house style\nfont = Noto Sans:bold\npalette = nhs\nwidth = 800\n"
             b"height = 450\nstrict = true\nlegend = false\nbackground = \"#ffffff\"\n",
    "crlf-bom": b"\xef\xbb\xbfpalette = okabe-ito\r\n--rotate = 0,90\r\n",
    "bad-key": b"output = x.png\n",
    "no-equals": b"palette nhs\n",
    "bad-flag": b"strict = maybe\n",
    "values": b"width = 1\nheight = -5\nscale = nan\nmax-megapixels = 1e9\n"
              b"min-font-size = 50\nmax-font-size = 10\nrotate = 1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17\n",
    "quotes": b"title = \"\"\nquestion = \"\n=\"=\"\n",
}


def write(target, name, data):
    d = os.path.join(here, "corpus", target)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, "seed-" + name), "wb") as f:
        f.write(data)


def main():
    for k, v in COUNTS.items():
        write("counts", k, v)
        write("render", k, b"\x00\x00" + v)
    for k, v in BAD.items():
        write("counts", "bad-" + k, v)
        write("text", "bad-" + k, b"\x03" + v)
    write("render", "rotate-ellipse", b"\x14\x03" + COUNTS["tsv"])
    write("render", "fit-none-legend", b"\x40\x81" + COUNTS["groups"])
    write("render", "scripts-mixed", b"\x25\x42" + COUNTS["scripts"])
    # --rotate auto (bits 2-3 = 3) with a word too long for the 120x80
    # canvas, at the auto fit and at a fixed scale (bit 15).
    write("render", "rotate-auto", b"\x0c\x00Interconnectedness\t50\nCare\t10\n")
    write("render", "rotate-auto-fixed", b"\x0c\x80Interconnectedness\t50\nCare\t10\n")
    for sel in range(4):
        write("survey", "sel%d" % sel, bytes([sel]) + SURVEY)
    write("survey", "multi-sep", b"\x05" + SURVEY.replace(b"\"think big\"", b"\"a, b, c\""))
    write("survey", "two-headers", b"\x08" + SURVEY.replace(b"\r\n", b"\r\nx,x,x,x,x,x\r\n", 1))
    write("survey", "events", b"\x20" + SURVEY)
    write("survey", "unterminated", b"\x01Word 1,Word 2\n\"open,x\nmore\n")
    write("survey", "header-only", b"\x01Word 1,Word 2,Word 3\n")
    write("survey", "missing-column", b"\x01Colour,Size\nred,big\n")
    write("survey", "ragged", b"\x00a,b,c\n1\n1,2,3,4,5\n\"\"\"\"\n")
    for k, v in BAD.items():
        write("survey", "bad-" + k, b"\x00" + v)
    for fmt in range(4):
        write("text", "fmt%d" % fmt, bytes([fmt | 8 | 16]) + TEXT)
    write("text", "survey-auto", bytes([0x20]) + SURVEY)
    write("text", "counts-auto", bytes([0x40]) + COUNTS["tsv"])
    for k, v in STYLE.items():
        write("style", k, v)
    mk = os.path.join(here, "..", "hardening", "mkpng.py")
    for kind in ["gray8", "gray16", "rgb8", "rgba8", "rgba16", "palette",
                 "interlaced", "white", "bomb", "truncated", "corrupt-crc",
                 "corrupt-data"]:
        out = os.path.join(here, "corpus", "mask", "seed-" + kind + ".png")
        os.makedirs(os.path.dirname(out), exist_ok=True)
        subprocess.run([sys.executable, mk, kind, out, "32", "20"], check=True)


if __name__ == "__main__":
    main()
