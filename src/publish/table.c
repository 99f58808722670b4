/* table.c - the data behind the image as a table: a small standalone HTML
 * page with a semantic <table> (the long description screen-reader users
 * need) and a CSV that is safe to open in a spreadsheet. */
#include "layout/layout.h"
#include "publish/table.h"

#include <stdlib.h>
#include <string.h>

typedef struct table_row {
    const char *text;
    double count;
    vc_group group;
    double chosen, suggested; /* the breakdown of a VC_GROUP_BOTH word */
    const char *reason; /* NULL: drawn */
} table_row;

static int row_cmp(const void *a, const void *b)
{
    const table_row *x = a, *y = b;
    if (x->count != y->count) {
        return x->count > y->count ? -1 : 1;
    }
    int c = strcmp(x->text, y->text);
    return c ? c : (int)x->group - (int)y->group;
}

/* Every word, drawn or left out, by votes.  Caller frees. */
static table_row *table_rows(const vc_layout *layout, size_t *n)
{
    size_t total = layout->n_placed + layout->n_dropped;
    table_row *rows = vc_calloc2(total, sizeof *rows);
    if (!rows) {
        return NULL;
    }
    for (size_t i = 0; i < layout->n_placed; i++) {
        const vc_placed_word *w = &layout->placed[i];
        rows[i] = (table_row){w->text ? w->text : "", w->count, w->group, w->chosen,
                              w->suggested, NULL};
    }
    for (size_t i = 0; i < layout->n_dropped; i++) {
        const vc_dropped_word *w = &layout->dropped[i];
        rows[layout->n_placed + i] = (table_row){
            w->text ? w->text : "", w->count, w->group, w->chosen, w->suggested,
            w->reason && *w->reason ? w->reason : "not drawn"};
    }
    qsort(rows, total, sizeof *rows, row_cmp);
    *n = total;
    return rows;
}

static const char *group_label(vc_group g)
{
    switch (g) {
    case VC_GROUP_CHOSEN: return "chosen";
    case VC_GROUP_SUGGESTED: return "suggested";
    case VC_GROUP_BOTH: return "both";
    case VC_GROUP_WORD: break;
    }
    return "word";
}

/* "chosen by 2, suggested by 3": who gave a word that was both. */
static void breakdown(vc_buf *b, const table_row *r)
{
    vc_buf_puts(b, "chosen by ");
    vc_buf_number(b, r->chosen, 2);
    vc_buf_puts(b, ", suggested by ");
    vc_buf_number(b, r->suggested, 2);
}

static bool has_groups(const table_row *rows, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (rows[i].group != VC_GROUP_WORD) {
            return true;
        }
    }
    return false;
}

/* The breakdown columns appear when a word was both chosen and suggested,
 * as in `votecloud count`. */
static bool has_both(const table_row *rows, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (rows[i].group == VC_GROUP_BOTH) {
            return true;
        }
    }
    return false;
}

/* ---- HTML --------------------------------------------------------------- */

static void html_caption(vc_buf *b, const vc_layout *layout, size_t n,
                         size_t drawn)
{
    vc_buf_puts(b, "<caption>");
    if (layout->title && *layout->title) {
        vc_buf_xml_escape(b, layout->title);
        vc_buf_puts(b, ": ");
    }
    vc_buf_puts(b, "votes for each word");
    if (layout->respondents > 0) {
        vc_buf_printf(b, " from %zu %s", layout->respondents,
                      layout->respondents == 1 ? "response" : "responses");
    }
    const char *stop = ".";
    if (layout->question && *layout->question) {
        const char *q = layout->question;
        vc_buf_puts(b, " to \xE2\x80\x9C");
        vc_buf_xml_escape(b, q);
        vc_buf_puts(b, "\xE2\x80\x9D");
        /* "to “Why?”" needs no full stop after it. */
        if (strchr("?!.", q[strlen(q) - 1])) {
            stop = "";
        }
    }
    vc_buf_printf(b, "%s %zu %s, %zu drawn in the image, most votes first."
                  "</caption>\n", stop, n, n == 1 ? "word" : "words", drawn);
}

static void html_row(vc_buf *b, const table_row *r, bool groups)
{
    /* dir="auto": an Arabic word reads right to left in its cell. */
    vc_buf_puts(b, "<tr><th scope=\"row\" dir=\"auto\">");
    vc_buf_xml_escape(b, r->text);
    vc_buf_puts(b, "</th><td class=\"num\">");
    vc_buf_number(b, r->count, 2);
    vc_buf_puts(b, "</td>");
    if (groups && r->group == VC_GROUP_BOTH) {
        vc_buf_puts(b, "<td>both: ");
        breakdown(b, r);
        vc_buf_puts(b, "</td>");
    } else if (groups) {
        vc_buf_printf(b, "<td>%s</td>", group_label(r->group));
    }
    if (r->reason) {
        vc_buf_puts(b, "<td>left out: ");
        vc_buf_xml_escape(b, r->reason);
        vc_buf_puts(b, "</td></tr>\n");
    } else {
        vc_buf_puts(b, "<td>drawn</td></tr>\n");
    }
}

bool vc_table_html(const vc_layout *layout, vc_buf *out)
{
    size_t n = 0;
    table_row *rows = table_rows(layout, &n);
    if (!rows) {
        return false;
    }
    bool groups = has_groups(rows, n);
    vc_buf_puts(out, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n"
                     "<meta charset=\"utf-8\">\n"
                     "<meta name=\"viewport\" content=\"width=device-width, "
                     "initial-scale=1\">\n<title>");
    if (layout->title && *layout->title) {
        vc_buf_xml_escape(out, layout->title);
        vc_buf_puts(out, ": word cloud data");
    } else {
        vc_buf_puts(out, "Word cloud data");
    }
    vc_buf_puts(out, "</title>\n<style>\n"
                     "body { font-family: system-ui, sans-serif; margin: 1rem; }\n"
                     "table { border-collapse: collapse; }\n"
                     "caption { text-align: left; font-weight: bold; "
                     "padding-bottom: 0.5em; }\n"
                     "th, td { text-align: left; padding: 0.25em 0.75em; "
                     "border-bottom: 1px solid #767676; }\n"
                     "td.num { text-align: right; font-variant-numeric: "
                     "tabular-nums; }\n"
                     "</style>\n</head>\n<body>\n<table>\n");
    html_caption(out, layout, n, layout->n_placed);
    vc_buf_puts(out, "<thead><tr><th scope=\"col\">Word</th>"
                     "<th scope=\"col\">Votes</th>");
    if (groups) {
        vc_buf_puts(out, "<th scope=\"col\">Group</th>");
    }
    vc_buf_puts(out, "<th scope=\"col\">Status</th></tr></thead>\n<tbody>\n");
    for (size_t i = 0; i < n; i++) {
        html_row(out, &rows[i], groups);
    }
    vc_buf_puts(out, "</tbody>\n</table>\n</body>\n</html>\n");
    free(rows);
    return !out->failed;
}

/* ---- CSV ---------------------------------------------------------------- */

/* One RFC 4180 field.  A spreadsheet runs a cell starting with = + - @
 * (or a tab or CR before them) as a formula, so such a cell gets a
 * leading apostrophe: the OWASP advice for CSV injection. */
static void csv_field(vc_buf *b, const char *s)
{
    bool neutralise = strchr("=+-@\t\r", s[0]) && s[0] != '\0';
    bool quote = neutralise || strpbrk(s, ",\"\r\n") || s[0] == ' ' ||
                 (s[0] && s[strlen(s) - 1] == ' ');
    if (quote) {
        vc_buf_puts(b, "\"");
    }
    if (neutralise) {
        vc_buf_puts(b, "'");
    }
    const char *run = s;
    for (const char *p = s; *p; p++) {
        if (*p == '"') {
            vc_buf_append(b, run, (size_t)(p - run + 1));
            vc_buf_puts(b, "\"");
            run = p + 1;
        }
    }
    vc_buf_puts(b, run);
    if (quote) {
        vc_buf_puts(b, "\"");
    }
}

bool vc_table_csv(const vc_layout *layout, vc_buf *out)
{
    size_t n = 0;
    table_row *rows = table_rows(layout, &n);
    if (!rows) {
        return false;
    }
    /* The byte-order mark makes Excel read UTF-8 rather than the system
     * code page; lines end in CRLF as RFC 4180 says. */
    bool groups = has_both(rows, n);
    vc_buf_puts(out, groups ? "\xEF\xBB\xBFword,votes,group,status,chosen,suggested\r\n"
                            : "\xEF\xBB\xBFword,votes,group,status\r\n");
    vc_buf status;
    vc_buf_init(&status);
    for (size_t i = 0; i < n; i++) {
        csv_field(out, rows[i].text);
        vc_buf_puts(out, ",");
        vc_buf_number(out, rows[i].count, 2);
        vc_buf_printf(out, ",%s,", group_label(rows[i].group));
        if (rows[i].reason) {
            status.len = 0;
            vc_buf_puts(&status, "left out: ");
            vc_buf_puts(&status, rows[i].reason);
            csv_field(out, status.failed ? "left out" : status.data);
        } else {
            vc_buf_puts(out, "drawn");
        }
        if (groups) {
            vc_buf_puts(out, ",");
            vc_buf_number(out, rows[i].chosen, 2);
            vc_buf_puts(out, ",");
            vc_buf_number(out, rows[i].suggested, 2);
        }
        vc_buf_puts(out, "\r\n");
    }
    bool ok = !status.failed && !out->failed;
    vc_buf_finish(&status);
    free(rows);
    return ok;
}

/* ---- files -------------------------------------------------------------- */

static bool has_suffix(const char *path, const char *suffix)
{
    size_t lp = strlen(path), ls = strlen(suffix);
    if (lp < ls) {
        return false;
    }
    for (size_t i = 0; i < ls; i++) {
        char c = path[lp - ls + i];
        if (c >= 'A' && c <= 'Z') {
            c = (char)(c - 'A' + 'a');
        }
        if (c != suffix[i]) {
            return false;
        }
    }
    return true;
}

bool vc_layout_write_table(const vc_layout *layout, const char *path,
                           vc_error *err)
{
    bool html = has_suffix(path, ".html") || has_suffix(path, ".htm");
    bool csv = has_suffix(path, ".csv");
    if (!html && !csv) {
        return vc_fail(err, VC_ERR_USAGE,
                       "%s: unknown table format; name the file .html or "
                       ".csv", path);
    }
    vc_buf b;
    vc_buf_init(&b);
    if (!(html ? vc_table_html(layout, &b) : vc_table_csv(layout, &b))) {
        vc_buf_finish(&b);
        return vc_fail_nomem(err, path);
    }
    bool ok = vc_atomic_write(path, b.data, b.len, err);
    vc_buf_finish(&b);
    return ok;
}
