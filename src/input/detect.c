/* detect.c - which reader an input goes to when --format is not given: by
 * its name, then by whether its first lines look like word<SEP>count (so
 * our own output read from standard input is counted again exactly). */
#include "input/input.h"

#include <string.h>

static bool has_ext(const char *name, const char *ext)
{
    size_t n = strlen(name), e = strlen(ext);
    if (n < e) {
        return false;
    }
    const char *p = name + n - e;
    for (size_t i = 0; i < e; i++) {
        char c = p[i];
        if (c >= 'A' && c <= 'Z') {
            c = (char)(c + 32);
        }
        if (c != ext[i]) {
            return false;
        }
    }
    return true;
}

/* Counts when the first lines (a header allowed) are word SEP count. */
static bool looks_like_counts(const char *head, size_t len, char sep)
{
    size_t lines = 0;
    const char *p = head, *end = head + len;
    while (p < end && lines < 5) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        if (!nl && end - head == VC_LINES_CHUNK) {
            break; /* a partial line */
        }
        size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);
        int kind = vc_counts_line_kind(p, n, sep);
        if (kind == 0 || (kind == 1 && lines > 0)) {
            return false;
        }
        lines++;
        p = nl ? nl + 1 : end;
    }
    return lines > 0;
}

/* Fields of the first CSV line, or 0 when it does not look like a header
 * row: every field non-empty, short, and not starting with a space (prose
 * has ", " between its clauses; survey tools write "ID,Start time,..."). */
static size_t header_fields(const char *line, size_t n)
{
    bool quoted = false;
    for (size_t i = 0; i + 1 < n; i++) {
        quoted ^= line[i] == '"';
        if (!quoted && line[i] == ',' && line[i + 1] == ' ') {
            return 0;
        }
    }
    char **f = NULL;
    size_t nf = 0;
    if (vc_csv_split_line(line, n, &f, &nf) != 0) {
        return 0;
    }
    bool ok = nf >= 3;
    for (size_t i = 0; ok && i < nf; i++) {
        size_t fl = strlen(f[i]);
        ok = fl > 0 && fl <= 200;
    }
    vc_csv_free_fields(f, nf);
    return ok ? nf : 0;
}

/* A CSV survey export without a name to go by (standard input): a header
 * row of three or more columns, and a next line with as many fields. */
static bool looks_like_csv_sheet(const char *head, size_t len)
{
    const char *nl = memchr(head, '\n', len);
    if (!nl) {
        return false;
    }
    size_t n1 = (size_t)(nl - head);
    n1 -= n1 > 0 && head[n1 - 1] == '\r';
    size_t want = header_fields(head, n1);
    if (want == 0) {
        return false;
    }
    const char *p = nl + 1, *end = head + len;
    const char *nl2 = memchr(p, '\n', (size_t)(end - p));
    size_t n2 = nl2 ? (size_t)(nl2 - p) : (size_t)(end - p);
    n2 -= n2 > 0 && p[n2 - 1] == '\r';
    char **f = NULL;
    size_t nf = 0;
    int rc = vc_csv_split_line(p, n2, &f, &nf);
    if (rc == 0) {
        vc_csv_free_fields(f, nf);
    }
    /* A quoted field may go on past this line: then at least its start. */
    return rc > 0 || (rc == 0 && nf == want);
}

vc_format vc_detect_format(const char *name, const char *head, size_t len)
{
    if (has_ext(name, ".tsv") || has_ext(name, ".tab")) {
        return VC_FORMAT_COUNTS;
    }
    if (has_ext(name, ".csv")) {
        return looks_like_counts(head, len, ',') ? VC_FORMAT_COUNTS
                                                 : VC_FORMAT_SURVEY;
    }
    if (has_ext(name, ".txt") || has_ext(name, ".md") ||
        has_ext(name, ".text")) {
        return VC_FORMAT_TEXT;
    }
    /* Standard input and unknown names: our own TSV output is counts, so
     * `votecloud count a.txt | votecloud count -` re-counts it exactly. */
    if (looks_like_counts(head, len, '\t')) {
        return VC_FORMAT_COUNTS;
    }
    return looks_like_csv_sheet(head, len) ? VC_FORMAT_SURVEY : VC_FORMAT_TEXT;
}
