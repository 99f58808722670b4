/* gallery-compare.c - batch --coordinate's compare view, OUTDIR/compare.html:
 * every event's cloud as small multiples on one page (the same word in the
 * same place and colour), then a words x events table of counts with each
 * event's top three marked in words, not only by style.  Event order and
 * byte order throughout, so the page is the same bytes whatever -j was. */
#include "batch.h"

#include <stdlib.h>
#include <string.h>

#define TOP_MARKED 3

static const char compare_style[] =
    "body{font-family:system-ui,\"Segoe UI\",Roboto,\"Noto Sans\",Arial,sans-serif;"
    "color:#1d1d1b;background:#fff;line-height:1.5;margin:0 auto;max-width:1400px;"
    "padding:1rem 1.5rem 3rem}\n"
    "a{color:#005eb8}\n"
    ".multiples{display:grid;grid-template-columns:repeat(auto-fill,minmax(300px,1fr));"
    "gap:1rem;padding:0;list-style:none}\n"
    "figure{margin:0}\n"
    "img{max-width:100%;height:auto;border:1px solid #d8dde0;display:block}\n"
    "figcaption{font-weight:600}\n"
    ".wrap{overflow-x:auto}\n"
    "table{border-collapse:collapse;margin:.5rem 0}\n"
    "caption{text-align:left;font-weight:600;padding:.25rem 0}\n"
    "th,td{border:1px solid #d8dde0;padding:.2rem .5rem;text-align:left}\n"
    "td.num{text-align:right;font-variant-numeric:tabular-nums}\n"
    "td.top{background:#e8edee;font-weight:700}\n"
    ".vh{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);"
    "white-space:nowrap}\n";

/* One (word, event, votes) of the table. */
typedef struct cell {
    const char *text;
    size_t event;
    double count;
    bool top;
} cell;

typedef struct word_row {
    const char *text;
    double total;
    size_t first; /* its cells: cells[first .. first + n) */
    size_t n;
} word_row;

static int cell_cmp(const void *a, const void *b)
{
    const cell *x = a, *y = b;
    int c = strcmp(x->text, y->text);
    return c ? c : (x->event > y->event) - (x->event < y->event);
}

static int row_cmp(const void *a, const void *b)
{
    const word_row *x = a, *y = b;
    if (x->total != y->total) {
        return x->total > y->total ? -1 : 1;
    }
    return strcmp(x->text, y->text);
}

/* An event's rows are most votes first: the first three are its top. */
static cell *gather(const batch_events *ev, size_t *n_out)
{
    size_t n = 0;
    for (size_t i = 0; i < ev->n; i++) {
        n += ev->v[i].failed ? 0 : ev->v[i].n_rows;
    }
    cell *cells = calloc(n ? n : 1, sizeof *cells);
    if (!cells) {
        return NULL;
    }
    size_t k = 0;
    for (size_t i = 0; i < ev->n; i++) {
        const batch_event *e = &ev->v[i];
        for (size_t j = 0; !e->failed && j < e->n_rows; j++) {
            cells[k++] = (cell){e->rows[j].text, i, e->rows[j].count, j < TOP_MARKED};
        }
    }
    qsort(cells, k, sizeof *cells, cell_cmp);
    *n_out = k;
    return cells;
}

static word_row *rows_of(const cell *cells, size_t n, size_t *n_rows)
{
    word_row *rows = calloc(n ? n : 1, sizeof *rows);
    if (!rows) {
        return NULL;
    }
    size_t r = 0;
    for (size_t i = 0; i < n;) {
        word_row *w = &rows[r++];
        *w = (word_row){cells[i].text, 0, i, 0};
        for (; i < n && strcmp(cells[i].text, w->text) == 0; i++) {
            w->total += cells[i].count;
            w->n++;
        }
    }
    qsort(rows, r, sizeof *rows, row_cmp);
    *n_rows = r;
    return rows;
}

static void multiples(batch_buf *b, const batch_events *ev)
{
    batch_buf_puts(b, "<section aria-labelledby=\"clouds\">\n<h2 id=\"clouds\">The clouds side by "
                      "side</h2>\n<ul class=\"multiples\">\n");
    for (size_t i = 0; i < ev->n; i++) {
        const batch_event *e = &ev->v[i];
        batch_buf_puts(b, "<li><figure>");
        if (e->failed) {
            batch_buf_puts(b, "<p>Failed: ");
            gallery_html_escape(b, e->err.message);
            batch_buf_puts(b, "</p>");
        } else {
            batch_buf_printf(b, "<img src=\"%s.png\" alt=\"", e->slug);
            gallery_html_escape(b, e->alt_text);
            batch_buf_puts(b, "\">");
        }
        batch_buf_printf(b, "<figcaption><a href=\"index.html#%s\">", e->slug);
        gallery_html_escape(b, e->title);
        batch_buf_puts(b, "</a></figcaption></figure></li>\n");
    }
    batch_buf_puts(b, "</ul>\n</section>\n");
}

static void table(batch_buf *b, const batch_events *ev, const cell *cells,
                  const word_row *rows, size_t n_rows)
{
    batch_buf_puts(b, "<section aria-labelledby=\"words\">\n<h2 id=\"words\">Words by event</h2>\n"
                      "<div class=\"wrap\" role=\"region\" aria-labelledby=\"words-cap\" "
                      "tabindex=\"0\">\n<table>\n<caption id=\"words-cap\">Votes for each word "
                      "at each event, words with the most votes in all first; each event's "
                      "top three are marked \xE2\x80\x9Ctop 3\xE2\x80\x9D; a dash: not given "
                      "there</caption>\n<thead><tr><th scope=\"col\">Word</th>");
    for (size_t i = 0; i < ev->n; i++) {
        batch_buf_puts(b, "<th scope=\"col\">");
        gallery_html_escape(b, ev->v[i].title);
        batch_buf_puts(b, "</th>");
    }
    batch_buf_puts(b, "<th scope=\"col\">All events</th></tr></thead>\n<tbody>\n");
    for (size_t r = 0; r < n_rows; r++) {
        const word_row *w = &rows[r];
        batch_buf_puts(b, "<tr><th scope=\"row\">");
        gallery_html_escape(b, w->text);
        batch_buf_puts(b, "</th>");
        size_t k = w->first;
        for (size_t i = 0; i < ev->n; i++) {
            /* The same text in two groups of one event is one cell. */
            double count = 0;
            bool any = false, top = false;
            for (; k < w->first + w->n && cells[k].event == i; k++) {
                count += cells[k].count;
                top = top || cells[k].top;
                any = true;
            }
            if (!any) {
                batch_buf_puts(b, "<td class=\"num\">\xE2\x80\x93</td>");
                continue;
            }
            batch_buf_printf(b, "<td class=\"num%s\">", top ? " top" : "");
            batch_buf_number(b, count);
            batch_buf_puts(b, top ? " <small>top 3</small></td>" : "</td>");
        }
        batch_buf_puts(b, "<td class=\"num\">");
        batch_buf_number(b, w->total);
        batch_buf_puts(b, "</td></tr>\n");
    }
    batch_buf_puts(b, "</tbody>\n</table>\n</div>\n</section>\n");
}

bool gallery_write_compare(const cli_opts *o, const char *outdir, const batch_events *ev,
                           vc_error *err)
{
    size_t n_cells = 0, n_rows = 0;
    cell *cells = gather(ev, &n_cells);
    word_row *rows = cells ? rows_of(cells, n_cells, &n_rows) : NULL;
    const char *title = o->render.title ? o->render.title : "Word clouds";
    batch_buf b = {0};
    batch_buf_puts(&b, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
                       "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
                       "<title>");
    gallery_html_escape(&b, title);
    batch_buf_printf(&b, ": compare events</title>\n<style>\n%s</style>\n</head>\n<body>\n"
                         "<main>\n<h1>", compare_style);
    gallery_html_escape(&b, title);
    batch_buf_printf(&b, ": compare events</h1>\n<p>Each word has one place and one colour in "
                         "every cloud (laid out together from the words of all %zu events), "
                         "so a word can be followed from cloud to cloud. "
                         "<a href=\"index.html\">Each event in full</a>.</p>\n", ev->n);
    multiples(&b, ev);
    if (rows) {
        table(&b, ev, cells, rows, n_rows);
    }
    batch_buf_puts(&b, "</main>\n</body>\n</html>\n");
    char *path = batch_path(outdir, "compare", ".html");
    bool ok = rows && path && !b.failed
                  ? vc_file_write_atomic(path, b.data, b.len, err)
                  : batch_fail(err, VC_ERR_NOMEM, "out of memory writing the compare view");
    free(path);
    free(rows);
    free(cells);
    batch_buf_free(&b);
    return ok;
}
