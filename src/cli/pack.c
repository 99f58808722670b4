/* pack.c - the publish pack (`render --pack DIR`, `batch --pack`): the
 * cloud and a ranked bar chart in PNG, SVG and PDF, their alt texts, the
 * long description with its method note (HTML and text), the counts as CSV
 * and an HTML table, the layout report, the merge report, and an
 * index.html that shows the cloud, the chart and the description and
 * links to every file.  The files go to the names the caller gives (its
 * staged names), so the pack is written all or nothing with the run. */
#include "cli.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* What each file of the pack is, for the index's list of files. */
static const struct {
    const char *name;
    const char *what;
} pack_files[CLI_PACK_N] = {
    [CLI_PACK_CLOUD_PNG] = {"cloud.png", "Word cloud, PNG image for web pages"},
    [CLI_PACK_CLOUD_SVG] = {"cloud.svg", "Word cloud, SVG (accessible, scales without blur)"},
    [CLI_PACK_CLOUD_PDF] = {"cloud.pdf", "Word cloud, PDF for print"},
    [CLI_PACK_CHART_PNG] = {"chart.png", "Bar chart of the same counts, PNG image"},
    [CLI_PACK_CHART_SVG] = {"chart.svg", "Bar chart, SVG (each bar titled with its word and votes)"},
    [CLI_PACK_CHART_PDF] = {"chart.pdf", "Bar chart, PDF for print"},
    [CLI_PACK_CLOUD_ALT] = {"cloud-alt-text.txt", "Alt text of the word cloud"},
    [CLI_PACK_CHART_ALT] = {"chart-alt-text.txt", "Alt text of the bar chart"},
    [CLI_PACK_DESC_HTML] = {"description.html", "Long description and method note, web page"},
    [CLI_PACK_DESC_TXT] = {"description.txt", "Long description and method note, plain text"},
    [CLI_PACK_COUNTS_CSV] = {"counts.csv", "Counts of every word, CSV for spreadsheets"},
    [CLI_PACK_TABLE_HTML] = {"table.html", "Counts of every word, web page table"},
    [CLI_PACK_LAYOUT_JSON] = {"layout.json", "Layout report: every word's size and place (JSON)"},
    [CLI_PACK_MERGES_JSON] = {"merges.json", "Merge report: every merge and exclusion (JSON)"},
    [CLI_PACK_INDEX] = {"index.html", "This page"},
};

const char *cli_pack_file_name(int i)
{
    return i >= 0 && i < CLI_PACK_N ? pack_files[i].name : NULL;
}

int cli_pack_paths(cli_opts *o, const char *dir, const char **paths)
{
    size_t len = strlen(dir);
    while (len > 1 && dir[len - 1] == '/') {
        len--;
    }
    for (int i = 0; i < CLI_PACK_N; i++) {
        size_t n = len + 1 + strlen(pack_files[i].name) + 1;
        char *p = malloc(n);
        if (p) {
            snprintf(p, n, "%.*s/%s", (int)len, dir, pack_files[i].name);
        }
        if (!(paths[i] = cli_own(o, p))) {
            return cli_fail(VC_ERR_NOMEM, "--pack: out of memory");
        }
    }
    return 0;
}

/* SOURCE_DATE_EPOCH (whole seconds since 1970) makes the date, and so
 * the bytes, reproducible; without it, today. */
int cli_pack_date(int64_t *out)
{
    const char *s = getenv("SOURCE_DATE_EPOCH");
    if (!s) {
        *out = (int64_t)time(NULL);
        return 0;
    }
    char *end;
    errno = 0;
    long long v = strtoll(s, &end, 10);
    if (!*s || *end || errno || v < 0 || *s == '+' || *s == ' ') {
        return cli_fail(VC_ERR_USAGE, "SOURCE_DATE_EPOCH: expected whole seconds since 1970, "
                        "got '%s'", s);
    }
    *out = (int64_t)v;
    return 0;
}

/* ---- writing ------------------------------------------------------------ */

/* Every failure goes through the job's report: render prints it, a batch
 * worker keeps it for its event. */
static int fail(const cli_pack_job *job, vc_status status, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static int fail(const cli_pack_job *job, vc_status status, const char *fmt, ...)
{
    vc_error err = {.status = status};
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err.message, sizeof err.message, fmt, ap);
    va_end(ap);
    return job->report(job->report_user, &err);
}

static int write_text(const cli_pack_job *job, const char *path, const char *text)
{
    vc_error err = {0};
    if (!vc_file_write_atomic(path, text, strlen(text), &err)) {
        return job->report(job->report_user, &err);
    }
    return 0;
}

/* The alt text as one line with a newline, as --alt-text writes it. */
static int write_line(const cli_pack_job *job, const char *path, char *text)
{
    size_t n = text ? strlen(text) : 0;
    char *line = text ? malloc(n + 2) : NULL;
    int rc;
    if (!line) {
        rc = fail(job, VC_ERR_NOMEM, "%s: out of memory writing the alt text", path);
    } else {
        memcpy(line, text, n);
        memcpy(line + n, "\n", 2);
        rc = write_text(job, path, line);
    }
    free(line);
    free(text);
    return rc;
}

/* A growable string for the pages; `failed` is sticky. */
typedef struct page {
    char *data;
    size_t len, cap;
    bool failed;
} page;

static void page_add(page *p, const char *s, size_t n)
{
    if (p->failed) {
        return;
    }
    if (p->len + n + 1 > p->cap) {
        size_t cap = p->cap ? p->cap : 4096;
        while (cap < p->len + n + 1) {
            cap *= 2;
        }
        char *d = realloc(p->data, cap);
        if (!d) {
            p->failed = true;
            return;
        }
        p->data = d;
        p->cap = cap;
    }
    memcpy(p->data + p->len, s, n);
    p->len += n;
    p->data[p->len] = '\0';
}

static void page_puts(page *p, const char *s)
{
    page_add(p, s, strlen(s));
}

/* Text for HTML content or a quoted attribute. */
static void page_escape(page *p, const char *s)
{
    for (; *s; s++) {
        switch (*s) {
        case '<': page_puts(p, "&lt;"); break;
        case '>': page_puts(p, "&gt;"); break;
        case '&': page_puts(p, "&amp;"); break;
        case '"': page_puts(p, "&quot;"); break;
        case '\'': page_puts(p, "&#39;"); break;
        default: page_add(p, s, 1);
        }
    }
}

/* Colours: body text #212B32 (14.7:1 on white), links #005EB8 (6.9:1),
 * visited #330072, focus a 3px yellow-and-black ring (NHS pattern). */
static const char page_style[] =
    "<style>\n"
    "body { font-family: system-ui, sans-serif; color: #212b32; background: #fff; "
    "margin: 0 auto; padding: 1rem; max-width: 60rem; line-height: 1.5; }\n"
    "a { color: #005eb8; } a:visited { color: #330072; }\n"
    "a:focus { outline: 3px solid #212b32; background: #ffeb3b; color: #212b32; }\n"
    ".skip { position: absolute; left: -999px; } .skip:focus { position: static; }\n"
    "img { max-width: 100%; height: auto; border: 1px solid #d8dde0; }\n"
    "figcaption { margin-top: 0.25rem; }\n"
    "</style>\n";

static void page_head(page *p, const char *title, const char *suffix)
{
    page_puts(p, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
                 "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
                 "<title>");
    page_escape(p, title);
    page_puts(p, suffix);
    page_puts(p, "</title>\n");
    page_puts(p, page_style);
    page_puts(p, "</head>\n<body>\n<a class=\"skip\" href=\"#main\">Skip to content</a>\n");
}

static int finish_page(const cli_pack_job *job, page *p, const char *path)
{
    int rc = p->failed ? fail(job, VC_ERR_NOMEM, "%s: out of memory", path)
                       : write_text(job, path, p->data);
    free(p->data);
    return rc;
}

static int write_description_page(const cli_pack_job *job, const char *path, const char *title,
                                  const char *fragment)
{
    page p = {0};
    page_head(&p, title, ": description and method");
    page_puts(&p, "<header><p><a href=\"index.html\">Back to the publish pack</a></p></header>\n"
                  "<main id=\"main\">\n<h1>");
    page_escape(&p, title);
    page_puts(&p, ": description and method</h1>\n");
    page_puts(&p, fragment);
    page_puts(&p, "</main>\n</body>\n</html>\n");
    return finish_page(job, &p, path);
}

static void figure(page *p, const char *id, const char *heading, const char *img,
                   const char *alt, const char *caption)
{
    page_puts(p, "<section aria-labelledby=\"");
    page_puts(p, id);
    page_puts(p, "\">\n<h2 id=\"");
    page_puts(p, id);
    page_puts(p, "\">");
    page_puts(p, heading);
    page_puts(p, "</h2>\n<figure>\n<img src=\"");
    page_puts(p, img);
    page_puts(p, "\" alt=\"");
    page_escape(p, alt);
    page_puts(p, "\">\n<figcaption>");
    page_puts(p, caption);
    page_puts(p, "</figcaption>\n</figure>\n</section>\n");
}

static int write_index(const cli_pack_job *job, const char *path, const char *title,
                       const char *cloud_alt,
                       const char *chart_alt, const char *fragment)
{
    page p = {0};
    page_head(&p, title, ": publish pack");
    page_puts(&p, "<main id=\"main\">\n<h1>");
    page_escape(&p, title);
    page_puts(&p, "</h1>\n<p>The same counts three ways: a word cloud, a bar chart and a "
                  "description in words, with the data and the method behind them.</p>\n");
    figure(&p, "cloud", "Word cloud", "cloud.png", cloud_alt,
           "Word cloud. <a href=\"cloud.svg\">SVG version</a>, "
           "<a href=\"table.html\">the counts as a table</a>.");
    figure(&p, "chart", "Bar chart", "chart.png", chart_alt,
           "Votes per word, most first. <a href=\"chart.svg\">SVG version</a>.");
    page_puts(&p, fragment);
    page_puts(&p, "<section aria-labelledby=\"files\">\n<h2 id=\"files\">Files in this pack</h2>\n"
                  "<ul>\n");
    for (int i = 0; i < CLI_PACK_N; i++) {
        if (i == CLI_PACK_INDEX) {
            continue;
        }
        page_puts(&p, "<li><a href=\"");
        page_puts(&p, pack_files[i].name);
        page_puts(&p, "\">");
        page_puts(&p, pack_files[i].name);
        page_puts(&p, "</a>: ");
        page_puts(&p, pack_files[i].what);
        page_puts(&p, "</li>\n");
    }
    page_puts(&p, "</ul>\n</section>\n</main>\n</body>\n</html>\n");
    return finish_page(job, &p, path);
}

static char *describe(const cli_pack_job *job, vc_text_format format, vc_error *err)
{
    vc_description_options d;
    vc_description_options_init(&d);
    d.format = format;
    d.question = job->o->render.question;
    d.sources = job->sources;
    d.n_sources = job->n_sources;
    d.date = job->date;
    return vc_layout_long_description(job->layout, job->words, &d, err);
}

static int write_images(const cli_pack_job *job, const vc_chart *chart, const char *const *paths)
{
    vc_error err = {0};
    bool ok = vc_layout_write_png(job->layout, paths[CLI_PACK_CLOUD_PNG], &err) &&
              vc_layout_write_svg(job->layout, paths[CLI_PACK_CLOUD_SVG], &err) &&
              vc_layout_write_pdf(job->layout, paths[CLI_PACK_CLOUD_PDF], &err) &&
              vc_chart_write_png(chart, paths[CLI_PACK_CHART_PNG], &err) &&
              vc_chart_write_svg(chart, paths[CLI_PACK_CHART_SVG], &err) &&
              vc_chart_write_pdf(chart, paths[CLI_PACK_CHART_PDF], &err) &&
              vc_layout_write_table(job->layout, paths[CLI_PACK_COUNTS_CSV], &err) &&
              vc_layout_write_table(job->layout, paths[CLI_PACK_TABLE_HTML], &err) &&
              vc_layout_write_json(job->layout, paths[CLI_PACK_LAYOUT_JSON], &err) &&
              vc_words_write_merge_report(job->words, paths[CLI_PACK_MERGES_JSON], &err);
    return ok ? 0 : job->report(job->report_user, &err);
}

int cli_pack_write(const cli_pack_job *job, const char *const *paths)
{
    vc_error err = {0};
    vc_chart_options co;
    vc_chart_options_init(&co);
    co.top_n = job->o->chart_top;
    vc_chart *chart = vc_chart_new(job->layout, &co, &err);
    if (!chart) {
        return job->report(job->report_user, &err);
    }
    char *html = describe(job, VC_TEXT_HTML, &err);
    char *text = html ? describe(job, VC_TEXT_PLAIN, &err) : NULL;
    char *cloud_alt = vc_layout_alt_text(job->layout);
    char *chart_alt = vc_chart_alt_text(chart);
    const char *title = job->title && *job->title                       ? job->title
                        : job->o->render.title && *job->o->render.title ? job->o->render.title
                                                                        : "Word cloud";
    int rc = 0;
    if (!text) {
        rc = job->report(job->report_user, &err);
    } else if (!cloud_alt || !chart_alt) {
        rc = fail(job, VC_ERR_NOMEM, "--pack: out of memory");
    }
    rc = rc ? rc : write_images(job, chart, paths);
    rc = rc ? rc : write_text(job, paths[CLI_PACK_DESC_TXT], text);
    rc = rc ? rc : write_description_page(job, paths[CLI_PACK_DESC_HTML], title, html);
    rc = rc ? rc : write_index(job, paths[CLI_PACK_INDEX], title, cloud_alt, chart_alt, html);
    if (!rc) {
        rc = write_line(job, paths[CLI_PACK_CLOUD_ALT], cloud_alt);
        cloud_alt = NULL;
    }
    if (!rc) {
        rc = write_line(job, paths[CLI_PACK_CHART_ALT], chart_alt);
        chart_alt = NULL;
    }
    free(cloud_alt);
    free(chart_alt);
    free(html);
    free(text);
    vc_chart_free(chart);
    return rc;
}
