#!/usr/bin/env python3
"""test-pack-cli.py - `votecloud render --pack DIR` end to end: every file
of the pack is there and linked from index.html; the chart's SVG bars are
proportional to the counts and titled; the long description's every number
is the right one (checked against counts.csv, layout.json and merges.json);
the same inputs and SOURCE_DATE_EPOCH give the same bytes; and a failing
run leaves nothing new (all or nothing), an input is never a pack file.
Prints TAP."""
import csv
import datetime
import io
import json
import os
import re
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from taplib import done, ok  # noqa: E402

VC = os.environ["VOTECLOUD"]
SRC = os.environ.get("SRCDIR", os.path.join(os.path.dirname(__file__), "..", ".."))
EX = os.path.join(SRC, "examples")
EPOCH = "1764547200"  # 2025-12-01
FILES = ["cloud.png", "cloud.svg", "cloud.pdf", "chart.png", "chart.svg", "chart.pdf",
         "cloud-alt-text.txt", "chart-alt-text.txt", "description.html", "description.txt",
         "counts.csv", "table.html", "layout.json", "merges.json", "index.html"]
SVG = "{http://www.w3.org/2000/svg}"


def run(args, env_extra=None):
    env = dict(os.environ, SOURCE_DATE_EPOCH=EPOCH)
    env.update(env_extra or {})
    return subprocess.run([VC] + args, capture_output=True, text=True, env=env, timeout=120)


def consultation(pack, extra=()):
    return run(["render", os.path.join(EX, "consultation.csv"),
                "--columns", "Word 1,Word 2,Word 3",
                "--free-text-columns", "Any words missing?",
                "--vocabulary", os.path.join(EX, "vocabulary.txt"), "--merge-plurals",
                "--color-by", "group", "--legend",
                "--title", "Healthier Together: the words that matter most",
                "--question", "Which three words matter most?", "-q",
                "--pack", pack] + list(extra))


def read(path, mode="r"):
    with open(path, mode, **({} if "b" in mode else {"encoding": "utf-8"})) as f:
        return f.read()


def counts_of(pack):
    text = read(os.path.join(pack, "counts.csv")).lstrip("\ufeff")
    rows = list(csv.DictReader(io.StringIO(text)))
    return {r["word"]: float(r["votes"]) for r in rows}, rows


def num(s):
    return float(s.replace(",", ""))


def check_files(pack):
    have = sorted(os.listdir(pack))
    ok(have == sorted(FILES), "the pack holds exactly its %d files: %s" % (len(FILES), have))
    index = read(os.path.join(pack, "index.html"))
    links = set(re.findall(r'href="([^"#]+)"', index))
    missing = [f for f in FILES if f != "index.html" and f not in links]
    ok(not missing, "index.html links to every other file (missing %s)" % missing)
    ok('<img src="cloud.png" alt="' in index and '<img src="chart.png" alt="' in index,
       "index.html shows the cloud and the chart with alt text")
    alt = read(os.path.join(pack, "cloud-alt-text.txt")).strip()
    ok(alt and alt.replace('"', "&quot;").replace("\u201c", "\u201c") in
       index.replace("&#39;", "'"), "the cloud's alt in index.html is cloud-alt-text.txt")
    ok('id="summary"' in index and 'id="method"' in index,
       "index.html carries the description and the method note")


def check_chart(pack, counts):
    root = ET.parse(os.path.join(pack, "chart.svg")).getroot()
    ok(root.get("role") == "img" and root.find(SVG + "title") is not None and
       root.find(SVG + "desc") is not None, "chart.svg: role=img, <title>, <desc>")
    bars = [g for g in root.iter(SVG + "g") if g.get("class") == "bar"]
    widths, votes, words = [], [], []
    for g in bars:
        title = g.find(SVG + "title").text
        word, n = re.match(r"(.*): ([\d.]+) votes?$", title).groups()
        words.append(word)
        votes.append(float(n))
        widths.append(float(g.find(SVG + "rect").get("width")))
    layout = json.loads(read(os.path.join(pack, "layout.json")))
    ok(len(bars) == len(layout["words"]), "one bar per drawn word (%d)" % len(bars))
    ok(all(counts.get(w) == v for w, v in zip(words, votes)),
       "each bar's title has its word's count from counts.csv")
    ok(votes == sorted(votes, reverse=True), "bars ordered most votes first")
    ratios = [w / v for w, v in zip(widths, votes)]
    # Widths are printed with 2 decimals: allow that rounding only.
    worst = max(abs(w - v * ratios[0]) for w, v in zip(widths, votes))
    ok(worst <= 0.011, "bar widths proportional to counts, from zero (worst %.4f px)" % worst)
    more = len(layout["dropped"])
    note = [g for g in root.iter(SVG + "g") if g.get("class") == "more"]
    ok(more == 0 and not note or
       note and note[0].find(SVG + "title").text.startswith("and %d more" % more),
       "'and %d more' noted" % more)


def check_description(pack, counts):
    """Every number in description.txt, checked against the data files; a
    number not accounted for fails."""
    text = read(os.path.join(pack, "description.txt"))
    layout = json.loads(read(os.path.join(pack, "layout.json")))
    merges = json.loads(read(os.path.join(pack, "merges.json")))
    drawn = {w["text"]: w for w in layout["words"]}
    dropped = {w["text"]: w for w in layout["dropped"]}
    checked = 0
    bad = []

    def expect(what, got, want):
        nonlocal checked
        checked += 1
        if abs(got - want) > 1e-9:
            bad.append("%s: printed %s, want %s" % (what, got, want))

    m = re.search(r"^(\d+) people gave at least one counted answer; (\d+) votes were counted "
                  r"for (\d+) words, of which the cloud shows (\d+)\.", text, re.M)
    ok(m is not None, "summary line found")
    respondents = None
    if m:
        respondents = num(m.group(1))
        # The respondents: what the table caption and legend say too.
        caption = read(os.path.join(pack, "table.html"))
        cm = re.search(r"(\d[\d,]*) (?:responses|respondents|people)", caption)
        expect("respondents", respondents, num(cm.group(1)) if cm else -1)
        expect("votes", num(m.group(2)), sum(counts.values()))
        expect("words", num(m.group(3)), len(counts))
        expect("drawn", num(m.group(4)), len(drawn))
    for word, n, share in re.findall(r"^- \u201c(.*?)\u201d: ([\d.]+) votes? \(([\d.]+)% of "
                                     r"people\)", text, re.M):
        expect(word + " votes", num(n), counts.get(word, -1))
        expect(word + " share", num(share), round(100 * counts.get(word, -1) / respondents, 1))
    m = re.search(r"the largest word, \u201c(.*?)\u201d, is drawn at ([\d.]+) pixels for "
                  r"([\d.]+) votes", text)
    ok(m is not None, "size sentence found")
    if m:
        w = drawn.get(m.group(1), {})
        # The report's font_size has 6 significant digits: the text's one
        # decimal is within 0.05 of it, and at a tie (149.55 for 149.5496)
        # rounds either way.
        size, got = w.get("font_size", -1), num(m.group(2))
        expect("largest size", got, got if abs(got - size) <= 0.05 + 1e-6 else round(size, 1))
        expect("largest votes", num(m.group(3)), w.get("count", -1))
        expect("largest is the top", w.get("count", -1), max(counts.values()))
    m = re.search(r"^(\d+) spellings? (?:was|were) counted for another word", text, re.M)
    expect("merges", num(m.group(1)) if m else -1, merges["merges"])
    for n, kind, moved in re.findall(r"^- (\d+) (near-miss|plurals?|synonyms?)\D.*?, moving "
                                     r"([\d.]+) votes?", text, re.M):
        key = {"near-miss": "vocabulary", "plural": "plural", "plurals": "plural",
               "synonym": "synonym", "synonyms": "synonym"}[kind]
        expect(key + " merges", num(n), merges["by_kind"].get(key, 0))
        expect(key + " moved", num(moved),
               sum(x["count"] for x in merges["list"] if x["kind"] == key))
    rules = re.findall(r"(synonyms file|vocabulary word|plural)[^\n]*\((\d+) merges? here\)", text)
    for kind, n in rules:
        key = {"synonyms file": "synonym", "vocabulary word": "vocabulary",
               "plural": "plural"}[kind]
        expect("rule " + key, num(n), merges["by_kind"].get(key, 0))
    for a, b, n, kind in re.findall(r"^- \u201c(.*?)\u201d counted for \u201c(.*?)\u201d: "
                                    r"([\d.]+) votes? \((\w+)\)", text, re.M):
        hit = [x for x in merges["list"] if x["from"] == a and x["into"] == b]
        expect("merge %s" % a, num(n), hit[0]["count"] if hit and hit[0]["kind"] == kind else -1)
    m = re.search(r"^(\d+) counted words? (?:is|are) not in the image", text, re.M)
    expect("left out", num(m.group(1)) if m else 0, len(dropped))
    for word, n, why in re.findall(r"^- \u201c(.*?)\u201d: ([\d.]+) votes?, .*? \(([a-z-]+)\)$",
                                   text, re.M):
        d = dropped.get(word, {})
        expect(word + " left out", num(n), d.get("count", -1))
        # The reason's code agrees with the layout report's words for it.
        phrase = {"too-small": "too small", "too-long": "too long", "no-room": "room",
                  "nothing-fits": "room", "no-ink": "visible"}.get(why)
        if phrase and phrase not in d.get("reason", ""):
            bad.append("%s reason %s vs %r" % (word, why, d.get("reason")))
    m = re.search(r"Made with votecloud (\S+) on (\d{4}-\d\d-\d\d) \(UTC\)", text)
    version = run(["--version"]).stdout.split()[-1]
    date = datetime.datetime.fromtimestamp(int(EPOCH), datetime.timezone.utc).strftime("%Y-%m-%d")
    ok(m and m.group(1) == version and m.group(2) == date,
       "version %s and date %s from SOURCE_DATE_EPOCH" % (version, date))
    # Every number printed was checked: strip the ones above and look.
    numbers = re.findall(r"(?<![\w.])\d+(?:\.\d+)?", text.split("Date and version")[0])
    ok(not bad, "every number checked is right (%d checked)%s" % (checked, "; ".join(bad)))
    ok(checked >= len(numbers) - 2,
       "%d numbers printed (before the date), %d checked against the data" % (len(numbers), checked))


def check_bytes(pack, tmp):
    again = os.path.join(tmp, "again")
    r = consultation(again)
    same = [f for f in FILES if read(os.path.join(pack, f), "rb") ==
            read(os.path.join(again, f), "rb")]
    ok(r.returncode == 0 and len(same) == len(FILES),
       "same inputs and SOURCE_DATE_EPOCH, same bytes (%d of %d files; differ: %s)"
       % (len(same), len(FILES), sorted(set(FILES) - set(same))))
    r = run(["render", os.path.join(EX, "multilingual.tsv"), "--pack",
             os.path.join(tmp, "bad-epoch"), "-q"], {"SOURCE_DATE_EPOCH": "yesterday"})
    ok(r.returncode == 64 and "SOURCE_DATE_EPOCH" in r.stderr and
       not os.path.exists(os.path.join(tmp, "bad-epoch")),
       "a bad SOURCE_DATE_EPOCH is a usage error and leaves no folder: %s" % r.stderr.strip())


def listing(d):
    return sorted(os.listdir(d)) if os.path.isdir(d) else None


def check_all_or_nothing(tmp):
    # A pack file that cannot be written (a folder in its place): nothing
    # of the run appears, older files stay as they were.
    pack = os.path.join(tmp, "blocked")
    os.makedirs(os.path.join(pack, "chart.svg"))
    with open(os.path.join(pack, "counts.csv"), "w") as f:
        f.write("old\n")
    cloud = os.path.join(tmp, "blocked-cloud.png")
    r = consultation(pack, ["-o", cloud])
    ok(r.returncode != 0 and "chart.svg" in r.stderr,
       "a pack file that cannot be written fails the run: %s" % r.stderr.strip()[:160])
    ok(listing(pack) == ["chart.svg", "counts.csv"] and read(os.path.join(pack, "counts.csv"))
       == "old\n" and not os.path.exists(cloud),
       "nothing new written, the old counts.csv untouched, no -o image: %s" % listing(pack))
    # A new pack folder of a run that fails later is taken away again.
    fresh = os.path.join(tmp, "fresh")
    r = consultation(fresh, ["-o", os.path.join(tmp, "no-such-folder", "x.png")])
    ok(r.returncode == 73 and not os.path.exists(fresh),
       "a failing run leaves no new pack folder (exit %d)" % r.returncode)
    # A file where the folder should be: refused before any work.
    afile = os.path.join(tmp, "afile")
    with open(afile, "w") as f:
        f.write("keep\n")
    r = consultation(afile)
    ok(r.returncode == 64 and "not a folder" in r.stderr and read(afile) == "keep\n",
       "--pack FILE is a usage error, the file untouched: %s" % r.stderr.strip())
    # The pack folder is never an input, nor is any file it would write.
    inp = os.path.join(tmp, "votes.csv")
    with open(inp, "w") as f:
        f.write("word,count\ncare,3\n")
    r = run(["render", inp, "--pack", inp])
    ok(r.returncode == 64 and "input" in r.stderr, "--pack INPUT refused: %s" % r.stderr.strip())
    inside = os.path.join(tmp, "packed")
    os.makedirs(inside)
    counts = os.path.join(inside, "counts.csv")
    with open(counts, "w") as f:
        f.write("word,count\ncare,3\nkind,2\n")
    r = run(["render", counts, "--pack", inside])
    ok(r.returncode == 64 and read(counts) == "word,count\ncare,3\nkind,2\n" and
       listing(inside) == ["counts.csv"],
       "an input that a pack file would replace is refused, untouched: %s" % r.stderr.strip())


def check_top(tmp):
    pack = os.path.join(tmp, "top5")
    r = consultation(pack, ["--chart-top", "5"])
    root = ET.parse(os.path.join(pack, "chart.svg")).getroot()
    bars = [g for g in root.iter(SVG + "g") if g.get("class") == "bar"]
    layout = json.loads(read(os.path.join(pack, "layout.json")))
    more = len(layout["words"]) - 5 + len(layout["dropped"])
    note = [g.find(SVG + "title").text for g in root.iter(SVG + "g") if g.get("class") == "more"]
    ok(r.returncode == 0 and len(bars) == 5 and note and note[0].startswith("and %d more" % more),
       "--chart-top 5: 5 bars and 'and %d more' (%s)" % (more, note))
    alt = read(os.path.join(pack, "chart-alt-text.txt"))
    ok("And %d more not shown." % more in alt, "the chart's alt text says so too")
    r = consultation(os.path.join(tmp, "top0"), ["--chart-top", "0"])
    ok(r.returncode == 64 and "--chart-top" in r.stderr and not os.path.exists(
        os.path.join(tmp, "top0")), "--chart-top 0 is a usage error: %s" % r.stderr.strip())


def check_empty_title(tmp):
    pack = os.path.join(tmp, "untitled")
    inp = os.path.join(tmp, "two.csv")
    with open(inp, "w") as f:
        f.write("word,count\ncare,3\nkind,2\n")
    r = run(["render", inp, "--title", "", "--pack", pack, "-q"])
    root = ET.parse(os.path.join(pack, "chart.svg")).getroot()
    index = read(os.path.join(pack, "index.html"))
    ok(r.returncode == 0 and root.find(SVG + "title").text == "Votes per word" and
       "<title>Word cloud: publish pack</title>" in index,
       "an empty --title still gives the chart and the page a name")


def check_batch(tmp):
    out = os.path.join(tmp, "gallery")
    r = run(["batch", "--manifest", os.path.join(EX, "events", "events.csv"), "-o", out,
             "--pack", "-q"])
    ok(r.returncode == 0, "batch --pack exits 0 %s" % r.stderr.strip()[:200])
    summary = json.loads(read(os.path.join(out, "summary.json")))
    slugs = [e["slug"] for e in summary["events"]]
    full = [s for s in slugs if sorted(os.listdir(os.path.join(out, "packs", s))) == sorted(FILES)]
    ok(slugs and full == slugs, "a full pack per event: %s" % full)
    index = read(os.path.join(out, "index.html"))
    ok(all('href="packs/%s/index.html"' % s in index for s in slugs),
       "the gallery links every event's pack")
    title = summary["events"][0]["title"]
    desc = read(os.path.join(out, "packs", slugs[0], "description.txt"))
    ok(desc.split("\n")[3].startswith(title), "an event's description starts with its title")


def main():
    with tempfile.TemporaryDirectory() as tmp:
        pack = os.path.join(tmp, "pack")
        r = consultation(pack)
        ok(r.returncode == 0, "render --pack exits 0 %s" % r.stderr.strip()[:200])
        if r.returncode != 0:
            return done()
        counts, _ = counts_of(pack)
        check_files(pack)
        check_chart(pack, counts)
        check_description(pack, counts)
        check_bytes(pack, tmp)
        check_all_or_nothing(tmp)
        check_batch(tmp)
        check_top(tmp)
        check_empty_title(tmp)
    return done()


if __name__ == "__main__":
    sys.exit(main())
