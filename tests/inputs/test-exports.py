#!/usr/bin/env python3
"""test-exports.py - every common survey export counted exactly with only
the question named (no --multi-sep, --header-rows or --encoding), metadata
never counted, the choice made when nothing is named, the column listing
when no choice can be made, `inspect --json`, non-answers left out of a
column's top values and role guess, and damaged workbooks.  The exports
come from make-exports.py, with their truth."""
import json
import os
import shlex
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from taplib import done, ok  # noqa: E402

V = os.environ["VOTECLOUD"]
HERE = os.path.dirname(os.path.abspath(__file__))


def run(*args):
    p = subprocess.run([V] + list(args), capture_output=True)
    return p.returncode, p.stdout.decode("utf-8", "replace"), p.stderr.decode("utf-8", "replace")


with tempfile.TemporaryDirectory() as d:
    q = subprocess.run([sys.executable, os.path.join(HERE, "make-exports.py"), d],
                       capture_output=True, text=True, check=True).stdout.strip()
    truth = open(os.path.join(d, "truth.tsv"), encoding="utf-8").read()
    truth_ms = open(os.path.join(d, "truth-ms.tsv"), encoding="utf-8").read()
    never = [w for w in open(os.path.join(d, "never.txt"), encoding="utf-8").read().split("\n") if w]

    kinds = [("google-forms.csv", truth, "google-forms", "csv", "UTF-8"),
             ("surveymonkey.csv", truth, "surveymonkey", "csv", "UTF-8"),
             ("ms-forms-utf8.csv", truth_ms, "microsoft-forms", "csv", "UTF-8"),
             ("ms-forms-unicode.txt", truth_ms, "microsoft-forms", "tsv", "UTF-16LE"),
             ("ms-forms-1252.csv", truth_ms, "microsoft-forms", "csv", "windows-1252"),
             ("ms-forms.xlsx", truth_ms, "microsoft-forms", "xlsx", "UTF-8"),
             ("ms-forms-zip64.xlsx", truth_ms, "microsoft-forms", "xlsx", "UTF-8")]
    for name, want, layout, ftype, enc in kinds:
        path = os.path.join(d, name)
        rc, out, err = run("count", path, "--columns", q)
        ok(rc == 0 and out == want, "%s: exact counts with only the question named (exit %d)%s"
           % (name, rc, "" if out == want else "\n# got:\n# " + out.replace("\n", "\n# ")))
        guessed = "not UTF-8; read it as Windows-1252" in err
        ok(guessed == (enc == "windows-1252") and len(err.splitlines()) == (1 if guessed else 0),
           "%s: %s" % (name, "one stderr line says it was read as Windows-1252" if enc == "windows-1252"
                       else "nothing on stderr"))
        rc, out, err = run("count", path)
        words = {line.split("\t")[0] for line in out.splitlines()[1:]}
        ok(rc == 0 and not (words & set(never)) and "Wellbeing" in words,
           "%s: nothing named: answers counted, no metadata or channel (%s)"
           % (name, ", ".join(sorted(words & set(never))) or "none"))
        ok(("counting --columns \"%s\"" % q) in err, "%s: ... and one line names the question" % name)
        rc, out, err = run("inspect", path, "--json")
        try:
            j = json.loads(out)
        except ValueError:
            j = {}
        cols = j.get("columns", [])
        qcols = [c for c in cols if c["header"].startswith(q)]
        ok(rc == 0 and j.get("layout") == layout and j.get("file_type") == ftype and
           j.get("encoding") == enc and j.get("respondents") == 7,
           "%s: inspect --json: %s, %s, %s, 7 respondents (got %s, %s, %s, %s)"
           % (name, layout, ftype, enc, j.get("layout"), j.get("file_type"), j.get("encoding"),
              j.get("respondents")))
        roles = {c["header"]: c["role"] for c in cols}
        meta = [h for h, r in roles.items() if r == "metadata"]
        ok(all(c["suggested"] for c in qcols if c["role"] != "metadata") and qcols and
           roles.get("Where did you fill in this survey?",
                     roles.get("Where did you fill in this survey? / Response")) == "metadata" and
           len(meta) >= 4,
           "%s: the question is suggested; tool metadata and the channel are metadata (%s)"
           % (name, ", ".join(meta)))

    # Google's option that holds ", " survives, and its "Other" answer is free text.
    rc, out, _ = run("inspect", os.path.join(d, "google-forms.csv"), "--json")
    col = [c for c in json.loads(out)["columns"] if c["header"] == q][0]
    ok(col["role"] == "multi-select" and ["Safe, healthy lives", 3] in col["top"],
       "Google checkboxes: multi-select, 'Safe, healthy lives' kept whole (%s)" % col["top"])

    # A free-text column mostly "n/a": the non-answers are counted apart, not
    # listed among its top values, and do not make it look like a choice.
    na = json.load(open(os.path.join(d, "mostly-na.json"), encoding="utf-8"))
    na_path = os.path.join(d, "mostly-na.csv")
    rc, out, _ = run("inspect", na_path, "--json")
    cols = {c["header"]: c for c in json.loads(out)["columns"]} if rc == 0 else {}
    col = cols.get(na["column"], {})
    top = [v for v, _ in col.get("top", [])]
    ok(col.get("role") == "free-text" and col.get("suggested") is True,
       "mostly n/a: the column is free text and suggested (%s)" % col.get("role"))
    ok(col.get("nonanswers") == len(na["non_answers"]) and col.get("distinct") == len(na["answers"]),
       "mostly n/a: %d non-answers counted apart, %d distinct answers (got %s, %s)"
       % (len(na["non_answers"]), len(na["answers"]), col.get("nonanswers"), col.get("distinct")))
    ok(sorted(top) == sorted(na["answers"]) and not set(top) & set(na["non_answers"]),
       "mostly n/a: the top values are the real answers, no non-answer among them (%s)" % top)
    ok(cols.get(q, {}).get("nonanswers") == 0 and all("nonanswers" in c for c in cols.values()),
       "every column reports its non-answers; the question has none")
    rc, out, _ = run("inspect", na_path)
    line = next((x for x in out.splitlines() if na["column"] in x), "")
    ok(rc == 0 and "free-text" in line and "non-answers: %d" % len(na["non_answers"]) in line and
       not any("%s (" % w in line for w in na["non_answers"]),
       "mostly n/a: the text listing says how many non-answers, and lists none (%s)" % line.strip())
    rc, out, err = run("count", na_path)
    words = [x.split("\t")[0] for x in out.splitlines()[1:]]
    ok(rc == 0 and ('--free-text-columns "%s"' % na["column"]) in err and
       all(a in words for a in na["answers"]) and not any(w.lower().strip(".") in ("n/a", "none", "nothing") for w in words),
       "mostly n/a: nothing named: the question and the free text counted, no non-answer (exit %d)" % rc)

    # Two questions that could each be the answer: exit 64, the columns listed.
    two = os.path.join(d, "two.csv")
    with open(two, "w", encoding="utf-8") as f:
        f.write("Timestamp,Best word,Worst word\n2026/09/01 10:00:00,Hope,Delay\n"
                "2026/09/01 10:01:00,Care,Delay\n2026/09/01 10:02:00,Hope,Cost\n")
    rc, out, err = run("count", two)
    lines = err.splitlines()
    ok(rc == 64 and out == "" and "cannot tell which question to count" in lines[0] and
       any("Best word" in line and "choice" in line for line in lines) and
       any("Timestamp" in line and "metadata" in line for line in lines) and
       'for example: --columns "Best word,Worst word"' in lines[-1],
       "two possible questions: exit 64, every column with its role, a ready --columns line")

    # The ready line pastes into a shell, whatever the headers hold: a
    # comma (CSV-quoted in the list), a quote and an apostrophe.  With no
    # choice column the line names the free text instead; with neither,
    # there is no line rather than an empty --columns "".
    odd = os.path.join(d, "odd.csv")
    with open(odd, "w", encoding="utf-8") as f:
        f.write('ID,"In a word, what\'s ""good""?",Worst $word\n1,Hope,Delay\n2,Care,Delay\n'
                '3,Hope,Cost\n')
    rc, out, err = run("count", odd)
    ready = err.splitlines()[-1]
    ok(rc == 64 and ready.startswith("for example: --columns "), "odd headers: a ready line: " + ready)
    pasted = subprocess.run(["sh", "-c", shlex.quote(V) + " count " + shlex.quote(odd) + " " +
                             ready[len("for example: "):]], capture_output=True, text=True)
    words = sorted(x.split("\t")[0] for x in pasted.stdout.splitlines()[1:])
    ok(pasted.returncode == 0 and words == ["Care", "Cost", "Delay", "Hope"],
       "the ready line, pasted into sh, counts both questions: %s %s" % (words, pasted.stderr.strip()))
    # A batch's manifest given as a survey: an event column and free text.
    manifest = os.path.join(HERE, "..", "..", "examples", "events", "events.csv")
    rc, out, err = run("count", manifest)
    ok(rc == 64 and err.splitlines()[-1] == 'for example: --free-text-columns "input,title"' and
       '""' not in err, "no choice column: the ready line names the free text (%s)" % err.splitlines()[-1])

    # No header row (--header-rows 0): no column names a question, so none
    # is counted with another and the names, e-mails and times are not
    # counted as words: exit 64, and a ready line by column number.
    rc, out, err = run("count", os.path.join(d, "ms-forms.xlsx"), "--header-rows", "0")
    ready = err.splitlines()[-1] if err else ""
    ok(rc == 64 and out == "" and "cannot tell which question" in err and
       ready == 'for example: --columns "#1,#4,#5,#6,#7,#9"',
       "--header-rows 0: nothing counted, a ready line by number (%s)" % ready)
    blank_header = os.path.join(d, "blank-header.csv")
    with open(blank_header, "w", encoding="utf-8") as f:
        f.write("ID,,Word\n1,Care,Hope\n2,Kind,Hope\n3,Hope,Care\n")
    rc, out, err = run("count", blank_header)
    ok(rc == 64 and err.splitlines()[-1] == 'for example: --columns "#2,Word"',
       "a column with no header is not taken for the same question as another (%s)" %
       err.strip().splitlines()[-1])
    rc, out, err = run("count", blank_header, "--columns", "2")
    ok(rc == 0 and out.splitlines()[1:] == ["Care\t1\tchosen", "Hope\t1\tchosen", "Kind\t1\tchosen"],
       "--columns 2 names the column with no header")

    # render --pack: the note about non-answers names the pack's merges.json,
    # which lists them.
    pack = os.path.join(d, "pack")
    rc, out, err = run("render", os.path.join(d, "google-forms.csv"), "--pack", pack)
    merges = os.path.join(pack, "merges.json")
    ok(rc == 0 and "as no answer ('n/a' 1); details in %s" % merges in err and
       json.load(open(merges))["excluded"] == 1,
       "render --pack: the non-answers note names the pack's merges.json (%s)" % err.strip()[-120:])

    # A header that is a number: "#2" is column 2 and "#3" the column
    # headed "2"; a bare "2" is both, and refused rather than guessed.
    numbers = os.path.join(d, "numbers.csv")
    with open(numbers, "w", encoding="utf-8") as f:
        f.write("Name,Choice,2\nAnn,Care,5\nBob,Kind,4\nCy,Care,5\n")
    rc, out, err = run("count", numbers, "--columns", "2")
    ok(rc == 64 and out == "" and
       "'2' is both the header of column 3 and the number of column 2; write #3 or #2" in err,
       "a bare number that is also a header: exit 64, both columns named (%s)" % err.strip())
    rc, out, err = run("count", numbers, "--columns", "#2")
    ok(rc == 0 and [x.split("\t")[0] for x in out.splitlines()[1:]] == ["Care", "Kind"],
       "#2 counts column 2")
    rc, out, err = run("count", numbers, "--columns", "#3")
    ok(rc == 0 and [x.split("\t")[0] for x in out.splitlines()[1:]] == ["5", "4"],
       "#3 counts the column headed '2'")
    numbered = os.path.join(d, "numbered.csv")
    with open(numbered, "w", encoding="utf-8") as f:
        f.write("ID,3,Best word\n1,Care,Hope\n2,Kind,Hope\n3,Hope,Care\n4,Care,Kind\n")
    rc, out, err = run("count", numbered)
    ok(rc == 64 and err.splitlines()[-1] == 'for example: --columns "#2,Best word"',
       "the ready line names a column headed '3' by its number (%s)" % err.strip().splitlines()[-1])
    rc, out, err = run("count", numbers, "--columns", "#4")
    ok(rc == 65 and "no column '#4'" in err, "#4 of 3 columns: no such column (%s)" % err.strip())

    # Damaged workbooks: one line, exit 65, nothing on stdout.
    for name, msg in [("corrupt.xlsx", "not a readable .xlsx workbook"),
                      ("encrypted.xlsx", "encrypted (password-protected) workbook")]:
        rc, out, err = run("count", os.path.join(d, name), "--columns", q)
        ok(rc == 65 and out == "" and len(err.splitlines()) == 1 and msg in err,
           "%s: exit 65, one line: %s" % (name, err.strip()))
    rc, out, err = run("count", os.path.join(d, "ms-forms-1252.csv"), "--columns", q,
                       "--encoding", "UTF-8")
    ok(rc == 65 and "invalid UTF-8" in err, "--encoding UTF-8 on a Windows-1252 file: exit 65 naming the byte")
    rc, out, err = run("count", os.path.join(d, "ms-forms-1252.csv"), "--columns", q,
                       "--encoding", "cp1252")
    ok(rc == 0 and out == truth_ms and err == "", "--encoding cp1252 said: same counts, no guess reported")

sys.exit(done())
