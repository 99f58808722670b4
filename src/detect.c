/* detect.c - which reader an input goes to when --format is not given: by
 * its name, then by whether its first lines look like word<SEP>count (so
 * our own output read from standard input is counted again exactly). */
#include "count-internal.h"

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
    return looks_like_counts(head, len, '\t') ? VC_FORMAT_COUNTS
                                              : VC_FORMAT_TEXT;
}
