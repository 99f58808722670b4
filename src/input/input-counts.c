/* input-counts.c - reader for count files: word<TAB or comma>count with an
 * optional group column and an optional header line, as `votecloud count`
 * writes them, so counts can be counted again and summed exactly.  The
 * separator is a tab when the first line has one, else a comma (RFC 4180
 * quoting, through libcsv). */
#include "input/input.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

typedef struct counts_state {
    vc_sink *in;
    vc_lines *r;
    bool tsv;
    bool header; /* a header line was seen */
    size_t data_lines;
} counts_state;

/* `votecloud count` writes a cell that a spreadsheet would run as a
 * formula ("=SUM", "+1", "-x", "@x") with one quote in front; that quote
 * is removed here, so a re-count gives the same words. */
static size_t neutralised_prefix(const char *s, size_t len)
{
    size_t q = 0;
    while (q < len && s[q] == '\'') {
        q++;
    }
    if (q > 0 && q < len && strchr("=+-@", s[q])) {
        return 1;
    }
    return 0;
}

/* word, count, group, chosen, suggested */
#define MAX_FIELDS 5

static size_t split_tsv(const char *s, size_t len, const char **f, size_t *fl,
                        size_t max)
{
    size_t n = 0;
    const char *p = s, *end = s + len;
    for (;;) {
        const char *tab = memchr(p, '\t', (size_t)(end - p));
        if (n < max) {
            f[n] = p;
            fl[n] = tab ? (size_t)(tab - p) : (size_t)(end - p);
        }
        n++;
        if (!tab) {
            return n;
        }
        p = tab + 1;
    }
}

/* ---- what a count and a counts line are ------------------------------- */

/* ASCII-only, so a Turkish locale cannot change what "nan" means. */
static bool ascii_eq_nocase(const char *a, const char *b, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        char x = a[i], y = b[i];
        x = (char)(x >= 'A' && x <= 'Z' ? x + 32 : x);
        y = (char)(y >= 'A' && y <= 'Z' ? y + 32 : y);
        if (x != y) {
            return false;
        }
    }
    return true;
}

bool vc_is_count_header(const char *s, size_t len)
{
    static const char *const names[] = {"count", "counts", "votes", "n",
                                        "frequency", "freq", "weight",
                                        "value", NULL};
    for (size_t i = 0; names[i]; i++) {
        if (strlen(names[i]) == len && ascii_eq_nocase(s, names[i], len)) {
            return true;
        }
    }
    return false;
}

bool vc_parse_count(const char *s, size_t len, double *out, const char **why)
{
    while (len > 0 && (*s == ' ' || *s == '\t')) {
        s++;
        len--;
    }
    while (len > 0 && (s[len - 1] == ' ' || s[len - 1] == '\t')) {
        len--;
    }
    if (len == 0) {
        *why = "is missing";
        return false;
    }
    size_t i = 0;
    bool neg = false;
    if (s[i] == '+' || s[i] == '-') {
        neg = s[i] == '-';
        i++;
    }
    /* Up to 17 significant digits in an integer mantissa, then one exact
     * scaling by a power of ten: locale-free and correctly rounded for the
     * counts people write. */
    uint64_t mant = 0;
    int digits = 0, exp10 = 0;
    bool any = false;
    for (; i < len && s[i] >= '0' && s[i] <= '9'; i++, any = true) {
        if (digits < 17) {
            mant = mant * 10 + (uint64_t)(s[i] - '0');
            digits += mant > 0;
        } else {
            exp10++;
        }
    }
    if (i < len && s[i] == '.') {
        for (i++; i < len && s[i] >= '0' && s[i] <= '9'; i++, any = true) {
            if (digits < 17) {
                mant = mant * 10 + (uint64_t)(s[i] - '0');
                digits += mant > 0;
                exp10--;
            }
        }
    }
    if (any && i < len && (s[i] == 'e' || s[i] == 'E')) {
        i++;
        int esign = 1, e = 0;
        if (i < len && (s[i] == '+' || s[i] == '-')) {
            esign = s[i] == '-' ? -1 : 1;
            i++;
        }
        bool edigits = false;
        for (; i < len && s[i] >= '0' && s[i] <= '9'; i++, edigits = true) {
            if (e < 10000) {
                e = e * 10 + (s[i] - '0');
            }
        }
        if (!edigits) {
            any = false;
        }
        exp10 += esign * e;
    }
    if (!any || i != len) {
        size_t k = 0;
        while (k < len && s[k] != 'n' && s[k] != 'N' && s[k] != 'i' && s[k] != 'I') {
            k++;
        }
        bool special = (len - k == 3 && ascii_eq_nocase(s + k, "nan", 3)) ||
                       (len - k >= 3 && ascii_eq_nocase(s + k, "inf", 3));
        *why = special ? "is not a finite number" : "is not a number";
        return false;
    }
    double v = (double)mant;
    if (mant != 0) {
        v = exp10 >= 0 ? v * pow(10.0, exp10) : v / pow(10.0, -exp10);
    }
    if (!isfinite(v)) {
        *why = "is too large";
        return false;
    }
    if (neg && mant != 0) {
        *why = "is negative";
        return false;
    }
    *out = v;
    return true;
}

/* A third field that names a group (or is the header "group"): what makes
 * a 4- or 5-field line a counts line with the chosen/suggested breakdown
 * rather than a row of a survey. */
static bool group_field(const char *s, size_t len)
{
    char g[16] = "";
    vc_group unused;
    if (len >= sizeof g) {
        return false;
    }
    memcpy(g, s, len);
    return vc_group_parse(g, &unused) || strcmp(g, "group") == 0;
}

int vc_counts_line_kind(const char *s, size_t len, char sep)
{
    if (len > 0 && s[len - 1] == '\r') {
        len--;
    }
    char **fields = NULL;
    size_t n = 0;
    const char *f[MAX_FIELDS] = {NULL};
    size_t fl[MAX_FIELDS] = {0};
    if (sep == ',') {
        if (vc_csv_split_line(s, len, &fields, &n) != 0) {
            return 0;
        }
        for (size_t i = 0; i < n && i < MAX_FIELDS; i++) {
            f[i] = fields[i];
            fl[i] = strlen(fields[i]);
        }
    } else {
        n = split_tsv(s, len, f, fl, MAX_FIELDS);
    }
    int kind = 0;
    double v;
    const char *why;
    if (n >= 2 && (n <= 3 || (n <= MAX_FIELDS && group_field(f[2], fl[2])))) {
        kind = vc_parse_count(f[1], fl[1], &v, &why) ? 2
               : vc_is_count_header(f[1], fl[1]) ? 1 : 0;
    }
    if (fields) {
        vc_csv_free_fields(fields, n);
    }
    return kind;
}

/* ---- reading ----------------------------------------------------------- */

/* A "both" line, as `votecloud count` writes it: count, chosen and
 * suggested.  Staged as the chosen and suggested entries plus the people
 * who gave it both ways, so merging makes it one word again. */
static bool add_both(counts_state *st, const char **f, const size_t *fl, size_t n,
                     const char *word, size_t wlen, double count, vc_error *err)
{
    const char *name = st->r->name;
    size_t line = st->r->line;
    double by[2];
    const char *why = NULL;
    for (size_t i = 0; i < 2; i++) {
        if (n != 5 || !vc_parse_count(f[3 + i], fl[3 + i], &by[i], &why)) {
            return vc_fail(err, VC_ERR_DATA, "%s:%zu: a 'both' line needs the people who "
                           "chose it and who suggested it after the group", name, line);
        }
    }
    if (count < by[0] || count < by[1] || count > by[0] + by[1]) {
        return vc_fail(err, VC_ERR_DATA, "%s:%zu: %g people cannot be %g who chose it and %g "
                       "who suggested it", name, line, count, by[0], by[1]);
    }
    return vc_sink_add(st->in, VC_GROUP_CHOSEN, word, wlen, by[0], err) &&
           vc_sink_add(st->in, VC_GROUP_SUGGESTED, word, wlen, by[1], err) &&
           (by[0] + by[1] - count == 0 ||
            vc_sink_add(st->in, VC_KEY_GROUP_OVERLAP, word, wlen, by[0] + by[1] - count, err));
}

static bool counts_line(counts_state *st, const char **f, const size_t *fl,
                        size_t n, vc_error *err)
{
    const char *name = st->r->name;
    size_t line = st->r->line;
    const char *sep = st->tsv ? "<TAB>" : ",";
    if (n < 2 || n > MAX_FIELDS) {
        return vc_fail(err, VC_ERR_DATA, "%s:%zu: expected word%scount[%sgroup[%schosen%ssuggested]], "
                       "found %zu field%s", name, line, sep, sep, sep, sep, n,
                       n == 1 ? "" : "s");
    }
    size_t max = st->in->opts->max_field_bytes;
    for (size_t i = 0; i < n; i++) {
        if (fl[i] > max) {
            return vc_fail_option(err, VC_ERR_DATA, VC_OPTION_MAX_FIELD_BYTES, "%s:%zu: field longer than %zu "
                           "bytes",
                           name, line, max);
        }
    }
    double count;
    const char *why = NULL;
    if (!vc_parse_count(f[1], fl[1], &count, &why)) {
        if (st->data_lines == 0 && !st->header && vc_is_count_header(f[1], fl[1])) {
            st->header = true;
            return true;
        }
        return vc_fail(err, VC_ERR_DATA, "%s:%zu: count '%.*s' %s", name, line,
                       (int)(fl[1] > 40 ? 40 : fl[1]), f[1], why);
    }
    vc_group group = VC_GROUP_WORD;
    if (n >= 3 && fl[2] > 0) {
        char g[16] = "";
        if (fl[2] < sizeof g) {
            memcpy(g, f[2], fl[2]);
            g[fl[2]] = '\0';
        }
        if (!vc_group_parse(g, &group)) {
            return vc_fail(err, VC_ERR_DATA, "%s:%zu: unknown group '%.*s' "
                           "(expected word, chosen, suggested or both)", name, line,
                           (int)(fl[2] > 40 ? 40 : fl[2]), f[2]);
        }
    }
    size_t skip = neutralised_prefix(f[0], fl[0]);
    const char *word = f[0] + skip;
    size_t wlen = fl[0] - skip;
    size_t a = 0;
    while (a < wlen && (word[a] == ' ' || word[a] == '\t')) {
        a++;
    }
    if (a == wlen) {
        return vc_fail(err, VC_ERR_DATA, "%s:%zu: the word is empty", name, line);
    }
    st->data_lines++;
    if (group == VC_GROUP_BOTH) {
        return add_both(st, f, fl, n, word, wlen, count, err);
    }
    return vc_sink_add(st->in, group, word, wlen, count, err);
}

static bool csv_line(counts_state *st, const char *s, size_t len,
                     vc_error *err)
{
    char **fields = NULL;
    size_t n = 0;
    int rc = vc_csv_split_line(s, len, &fields, &n);
    if (rc < 0) {
        return vc_fail_nomem(err, st->r->name);
    }
    if (rc > 0) {
        return vc_fail(err, VC_ERR_DATA, "%s:%zu: a quoted field is not closed "
                       "on this line", st->r->name, st->r->line);
    }
    const char *f[MAX_FIELDS] = {NULL};
    size_t fl[MAX_FIELDS] = {0};
    for (size_t i = 0; i < n && i < MAX_FIELDS; i++) {
        f[i] = fields[i];
        fl[i] = strlen(fields[i]);
    }
    bool ok = counts_line(st, f, fl, n, err);
    vc_csv_free_fields(fields, n);
    return ok;
}

static bool blank(const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        if (s[i] != ' ' && s[i] != '\t') {
            return false;
        }
    }
    return true;
}

bool vc_read_counts(vc_sink *in, vc_lines *r, vc_error *err)
{
    counts_state st = {in, r, false, false, 0};
    bool first = true;
    const char *line;
    size_t len;
    bool nl;
    while (vc_lines_next(r, &line, &len, &nl, err)) {
        if (!line) {
            if (st.data_lines > 0) {
                return true;
            }
            return vc_fail(err, VC_ERR_DATA, st.header
                           ? "%s: only a header line, no counts"
                           : "%s: no counts found", r->name);
        }
        if (blank(line, len)) {
            continue;
        }
        if (first) {
            st.tsv = memchr(line, '\t', len) != NULL;
            first = false;
        }
        if (st.tsv) {
            const char *f[MAX_FIELDS];
            size_t fl[MAX_FIELDS];
            size_t n = split_tsv(line, len, f, fl, MAX_FIELDS);
            if (!counts_line(&st, f, fl, n, err)) {
                return false;
            }
        } else if (!csv_line(&st, line, len, err)) {
            return false;
        }
    }
    return false;
}
