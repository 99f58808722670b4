#!/usr/bin/env python3
"""make-exports.py - synthetic survey exports as Google Forms, Microsoft
Forms (CSV UTF-8, Excel "Unicode Text", Excel "CSV" in Windows-1252, .xlsx)
and SurveyMonkey write them, from one list of respondents, with the truth
stated: truth.tsv (Google Forms, SurveyMonkey) and truth-ms.tsv (Microsoft Forms)
are what `votecloud count FILE --columns QUESTION` must print.  Also a damaged and an encrypted workbook,
and mostly-na.csv (Microsoft Forms) whose free-text column is mostly "n/a",
with mostly-na.json: that column, its non-answers and its real answers.

usage: make-exports.py OUTDIR   (prints the question on stdout)
Python 3 standard library only.
"""
import codecs
import csv
import io
import json
import os
import sys
import zipfile

QUESTION = "Which three words matter most to you?"
MISSING = "Are any words missing?"
CHANNEL = "Where did you fill in this survey?"
OPTIONS = ["Wellbeing", "Prevention", "Safe, healthy lives", "Joined-up",
           "Compassionate", "Community café", "Don\u2019t wait"]

# (ticked options in form order, "Other" text or None, free text, channel)
PEOPLE = [
    (["Wellbeing", "Prevention", "Safe, healthy lives"], None, "Kindness", "Online"),
    (["Prevention", "Joined-up", "Compassionate"], None, "", "Design Day"),
    (["Wellbeing", "Safe, healthy lives"], "Trust in us", "", "Online"),
    (["Wellbeing", "Prevention", "Community café"], None, "£ for carers", "Roadshow"),
    (["Safe, healthy lives", "Joined-up"], None, "n/a", "Online"),
    (["Wellbeing", "Compassionate", "Don\u2019t wait"], None, "", "Design Day"),
    (["Prevention", "Community café", "Don\u2019t wait"], None, "Kindness", "Online"),
]

# The counts of QUESTION alone: ticked options are "chosen"; an "Other"
# answer is what the person wrote ("suggested") where the export tells the
# two apart (Google appends it after the options, SurveyMonkey gives it a
# column).  Microsoft Forms writes it into the cell like an option, so
# there it is counted, but as "chosen".
def truth(other_group):
    t = {}
    for ticked, other, _, _ in PEOPLE:
        for o in ticked:
            t[(o, "chosen")] = t.get((o, "chosen"), 0) + 1
        if other:
            t[(other, other_group)] = t.get((other, other_group), 0) + 1
    return t


# A free-text question whose header does not say so, answered mostly with
# non-answers (as src/data/nonanswers-en.txt lists them; "-" by rule): with
# them, its few distinct values look like a choice; only the real answers
# show it is free text.
CHANGE = "What one change would help most?"
NON_ANSWERS = ["n/a", "N/A", "n/a", "n/a", "none", "n/a", "n/a", "-"]
REAL_ANSWERS = ["Buses that run after ten at night", "A GP appointment the same week",
                "Somewhere dry for the kids to play", "Cheaper parking near the market"]


def mostly_na_rows():
    rows = [["ID", "Start time", "Completion time", "Email", "Name",
             "Last modified time", QUESTION, CHANGE, CHANNEL]]
    answers = NON_ANSWERS[:3] + REAL_ANSWERS[:2] + NON_ANSWERS[3:6] + REAL_ANSWERS[2:] + NON_ANSWERS[6:]
    for i, free in enumerate(answers):
        ticked, _, _, channel = PEOPLE[i % len(PEOPLE)]
        rows.append([str(i + 1), "9/2/26 10:%02d:00" % i, "9/2/26 11:%02d:00" % i,
                     "anonymous", "", "", "".join(o + ";" for o in ticked), free, channel])
    return rows


# Metadata that must never be counted.
NEVER = ["anna@example.org", "Online", "Design Day", "Roadshow", "192.0.2.7",
         "Anna", "Smith"]


def csv_text(rows, delim=","):
    out = io.StringIO()
    w = csv.writer(out, delimiter=delim, lineterminator="\r\n")
    w.writerows(rows)
    return out.getvalue()


def google_rows():
    rows = [["Timestamp", "Email Address", "Score", QUESTION, MISSING, CHANNEL]]
    for i, (ticked, other, free, channel) in enumerate(PEOPLE):
        cell = ", ".join(ticked + ([other] if other else []))
        rows.append(["2026/09/0%d 10:0%d:00 AM GMT+1" % (i + 1, i), "anna@example.org",
                     "", cell, free, channel])
    return rows


def ms_rows():
    rows = [["ID", "Start time", "Completion time", "Email", "Name",
             "Last modified time", QUESTION, MISSING, CHANNEL]]
    for i, (ticked, other, free, channel) in enumerate(PEOPLE):
        cell = "".join(o + ";" for o in ticked + ([other] if other else []))
        rows.append([str(i + 1), "9/1/26 10:0%d:00" % i, "9/1/26 10:1%d:00" % i,
                     "anonymous", "Anna Smith", "", cell, free, channel])
    return rows


def monkey_rows():
    head1 = ["Respondent ID", "Collector ID", "Start Date", "End Date", "IP Address",
             "Email Address", "First Name", "Last Name", QUESTION]
    head1 += [""] * len(OPTIONS) + [CHANNEL]
    head2 = ["", "", "", "", "", "", "", ""] + OPTIONS + ["Other (please specify)", "Response"]
    rows = [head1, head2]
    for i, (ticked, other, free, channel) in enumerate(PEOPLE):
        row = [str(114000000 + i), "4050", "09/01/2026 10:0%d:00 AM" % i,
               "09/01/2026 10:1%d:00 AM" % i, "192.0.2.7", "anna@example.org", "Anna", "Smith"]
        row += [o if o in ticked else "" for o in OPTIONS]
        row += [other or "", channel]
        rows.append(row)
    return rows


def col_name(i):
    s = ""
    i += 1
    while i:
        i, r = divmod(i - 1, 26)
        s = chr(65 + r) + s
    return s


def xml_escape(s):
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def xlsx_bytes(rows, zip64=False):
    """A minimal workbook as Excel writes it: shared strings for text,
    an inline string, numbers as numbers, the sheet found through the
    workbook's relationships (named sheet7.xml to prove it).  With zip64,
    the container uses ZIP64 records for every part and its end, as some
    writers do whatever the size (Python's zipfile, made to think every
    size is over its limit)."""
    shared, index = [], {}
    cells_xml = []
    for r, row in enumerate(rows):
        cells = []
        for c, v in enumerate(row):
            if v == "":
                continue  # Excel writes no cell for an empty one
            ref = "%s%d" % (col_name(c), r + 1)
            if r > 0 and c == 0 and v.isdigit():
                cells.append('<c r="%s"><v>%s</v></c>' % (ref, v))
            elif r > 0 and c == 4:
                cells.append('<c r="%s" t="inlineStr"><is><t>%s</t></is></c>'
                             % (ref, xml_escape(v)))
            else:
                if v not in index:
                    index[v] = len(shared)
                    shared.append(v)
                cells.append('<c r="%s" t="s"><v>%d</v></c>' % (ref, index[v]))
        cells_xml.append('<row r="%d">%s</row>' % (r + 1, "".join(cells)))
    ns = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
    rel_ns = 'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
    sheet = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
             '<worksheet %s><sheetData>%s</sheetData></worksheet>' % (ns, "".join(cells_xml)))
    sst = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<sst %s count="%d" uniqueCount="%d">%s</sst>'
           % (ns, len(shared), len(shared),
              "".join('<si><t xml:space="preserve">%s</t></si>' % xml_escape(s) for s in shared)))
    workbook = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                '<workbook %s %s><sheets><sheet name="Form1" sheetId="1" r:id="rId3"/></sheets></workbook>'
                % (ns, rel_ns))
    rels = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>'
            '<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet7.xml"/>'
            '</Relationships>')
    types = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
             '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
             '<Default Extension="xml" ContentType="application/xml"/></Types>')
    buf = io.BytesIO()
    limits = zipfile.ZIP64_LIMIT, zipfile.ZIP_FILECOUNT_LIMIT
    if zip64:
        zipfile.ZIP64_LIMIT = zipfile.ZIP_FILECOUNT_LIMIT = 0
    try:
        with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
            for name, data in [("[Content_Types].xml", types), ("xl/workbook.xml", workbook),
                               ("xl/_rels/workbook.xml.rels", rels),
                               ("xl/sharedStrings.xml", sst),
                               ("xl/worksheets/sheet7.xml", sheet)]:
                info = zipfile.ZipInfo(name, date_time=(2026, 9, 1, 0, 0, 0))
                info.compress_type = zipfile.ZIP_DEFLATED
                z.writestr(info, data)
    finally:
        zipfile.ZIP64_LIMIT, zipfile.ZIP_FILECOUNT_LIMIT = limits
    data = buf.getvalue()
    assert not zip64 or (b"PK\x06\x06" in data and b"PK\x06\x07" in data)
    return data


def main():
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)

    def write(name, data):
        with open(os.path.join(out, name), "wb") as f:
            f.write(data)

    write("google-forms.csv", csv_text(google_rows()).encode("utf-8"))
    ms = ms_rows()
    write("ms-forms-utf8.csv", codecs.BOM_UTF8 + csv_text(ms).encode("utf-8"))
    write("ms-forms-unicode.txt", codecs.BOM_UTF16_LE + csv_text(ms, "\t").encode("utf-16-le"))
    write("ms-forms-1252.csv", csv_text(ms).encode("cp1252"))
    xlsx = xlsx_bytes(ms)
    write("ms-forms.xlsx", xlsx)
    write("ms-forms-zip64.xlsx", xlsx_bytes(ms, zip64=True))
    write("surveymonkey.csv", csv_text(monkey_rows()).encode("utf-8"))
    write("corrupt.xlsx", xlsx[: len(xlsx) // 2])
    # An encrypted workbook is an OLE compound file, not a zip.
    write("encrypted.xlsx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504))
    for name, group in [("truth.tsv", "suggested"), ("truth-ms.tsv", "chosen")]:
        with open(os.path.join(out, name), "w", encoding="utf-8") as f:
            f.write("word\tcount\tgroup\n")
            for (w, g), n in sorted(truth(group).items(),
                                    key=lambda kv: (-kv[1], kv[0][0].encode(), kv[0][1])):
                f.write("%s\t%d\t%s\n" % (w, n, g))
    write("mostly-na.csv", codecs.BOM_UTF8 + csv_text(mostly_na_rows()).encode("utf-8"))
    with open(os.path.join(out, "mostly-na.json"), "w", encoding="utf-8") as f:
        json.dump({"column": CHANGE, "non_answers": NON_ANSWERS, "answers": REAL_ANSWERS}, f)
    with open(os.path.join(out, "never.txt"), "w", encoding="utf-8") as f:
        f.write("\n".join(NEVER) + "\n")
    print(QUESTION)


if __name__ == "__main__":
    main()
