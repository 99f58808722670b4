/* gallery.c - batch's two reports, both in event order so they are the same
 * bytes whatever -j was: index.html, a self-contained page (inline CSS, the
 * clouds as sibling files) for reviewing every cloud, its alt text and its
 * counts before publishing; and summary.json for scripts. */
#include "batch.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- HTML ------------------------------------------------------------------ */

static void html_escape(batch_buf *b, const char *s)
{
    char *clean = batch_utf8_clean(s ? s : "");
    if (!clean) {
        b->failed = true;
        return;
    }
    for (const char *p = clean; *p; p++) {
        switch (*p) {
        case '&': batch_buf_puts(b, "&amp;"); break;
        case '<': batch_buf_puts(b, "&lt;"); break;
        case '>': batch_buf_puts(b, "&gt;"); break;
        case '"': batch_buf_puts(b, "&quot;"); break;
        case '\'': batch_buf_puts(b, "&#39;"); break;
        default: batch_buf_add(b, p, 1); break;
        }
    }
    free(clean);
}

void gallery_html_escape(batch_buf *b, const char *s)
{
    html_escape(b, s);
}

static const char page_style[] =
    "body{font-family:system-ui,\"Segoe UI\",Roboto,\"Noto Sans\",Arial,sans-serif;"
    "color:#1d1d1b;background:#fff;line-height:1.5;margin:0 auto;max-width:1280px;"
    "padding:1rem 1.5rem 3rem}\n"
    "h1{font-size:1.8rem;margin:.5rem 0}\n"
    "h2{font-size:1.4rem;margin:0 0 .5rem}\n"
    "nav ul{padding-left:1.2rem;columns:2}\n"
    ".event{border-top:2px solid #d8dde0;padding:1.5rem 0}\n"
    "figure{margin:0}\n"
    "img{max-width:100%;height:auto;border:1px solid #d8dde0;display:block}\n"
    ".alt{background:#f0f4f5;border-left:4px solid #005eb8;padding:.5rem .75rem}\n"
    ".note{background:#fff9e6;border-left:4px solid #ffb81c;padding:.5rem .75rem}\n"
    ".note code{white-space:nowrap}\n"
    ".failed .error{background:#fde8e8;border-left:4px solid #d5281b;"
    "padding:.5rem .75rem;font-weight:600}\n"
    ".tag{font-weight:600;color:#d5281b}\n"
    "table{border-collapse:collapse;margin:.5rem 0}\n"
    "caption{text-align:left;font-weight:600;padding:.25rem 0}\n"
    "th,td{border:1px solid #d8dde0;padding:.2rem .6rem;text-align:left}\n"
    "td.num{text-align:right;font-variant-numeric:tabular-nums}\n"
    "tr.out{color:#4c6272}\n"
    "summary{cursor:pointer;font-weight:600}\n"
    "a{color:#005eb8}\n"
    ".scale{font-weight:600}\n";

/* Marks <body> once every cloud has really decoded, so a headless browser
 * (and a reviewer's console) can tell a broken image from a slow one. */
static const char page_script[] =
    "(function(){\n"
    "  function check(){\n"
    "    var imgs=document.images,ok=0;\n"
    "    for(var i=0;i<imgs.length;i++){if(imgs[i].complete&&imgs[i].naturalWidth>0)ok++;}\n"
    "    document.body.setAttribute('data-images-loaded',ok+'/'+imgs.length);\n"
    "    if(ok===imgs.length)document.body.setAttribute('data-images-ready','true');\n"
    "  }\n"
    "  window.addEventListener('load',check);\n"
    "  check();\n"
    "})();\n";

static const char *sizing_formula(vc_sizing sizing)
{
    switch (sizing) {
    case VC_SIZING_SQRT: return "\xE2\x88\x9A" "votes";
    case VC_SIZING_LOG: return "ln(1 + votes)";
    default: return "votes";
    }
}

static void scale_note(batch_buf *b, const cli_opts *o, double same_scale)
{
    char s[64];
    snprintf(s, sizeof s, "%.3g", same_scale);
    batch_buf_printf(b,
                     "<p class=\"scale\">Every cloud uses the same scale, so equal votes "
                     "are drawn at equal sizes: font size = %s px &times; %s.</p>\n",
                     s, sizing_formula(o->render.sizing));
}

static size_t count_failed(const batch_events *ev)
{
    size_t n = 0;
    for (size_t i = 0; i < ev->n; i++) {
        n += ev->v[i].failed;
    }
    return n;
}

static void page_head(batch_buf *b, const cli_opts *o, const batch_events *ev,
                      double same_scale)
{
    const char *title = o->render.title ? o->render.title : "Word clouds";
    batch_buf_puts(b, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n"
                      "<meta charset=\"utf-8\">\n"
                      "<meta name=\"viewport\" content=\"width=device-width, "
                      "initial-scale=1\">\n");
    batch_buf_printf(b, "<meta name=\"generator\" content=\"votecloud %s\">\n<title>",
                     vc_version());
    html_escape(b, title);
    batch_buf_printf(b, "</title>\n<style>\n%s</style>\n</head>\n<body>\n<header>\n<h1>",
                     page_style);
    html_escape(b, title);
    size_t failed = count_failed(ev);
    batch_buf_printf(b, "</h1>\n<p>%zu event%s: %zu drawn, %zu failed.</p>\n", ev->n,
                     ev->n == 1 ? "" : "s", ev->n - failed, failed);
    if (same_scale > 0) {
        scale_note(b, o, same_scale);
    }
    if (o->coordinate) {
        batch_buf_puts(b, "<p><a href=\"compare.html\">Compare the events side by side</a> "
                          "(each word in one place and colour)</p>\n");
    }
    batch_buf_puts(b, "<nav aria-label=\"Events\">\n<ul>\n");
    for (size_t i = 0; i < ev->n; i++) {
        batch_buf_printf(b, "<li><a href=\"#%s\">", ev->v[i].slug);
        html_escape(b, ev->v[i].title);
        batch_buf_printf(b, "</a>%s</li>\n",
                         ev->v[i].failed ? " <span class=\"tag\">failed</span>" : "");
    }
    batch_buf_puts(b, "</ul>\n</nav>\n</header>\n<main>\n");
}

static void event_table(batch_buf *b, const batch_event *e)
{
    batch_buf_printf(b, "<details>\n<summary>Table of counts (%zu word%s)</summary>\n",
                     e->n_rows, e->n_rows == 1 ? "" : "s");
    batch_buf_puts(b, "<table>\n<caption>Votes for ");
    html_escape(b, e->title);
    batch_buf_puts(b, ", most first</caption>\n<thead><tr><th scope=\"col\">Word</th>"
                      "<th scope=\"col\">Votes</th><th scope=\"col\">Group</th>"
                      "<th scope=\"col\">In the cloud</th></tr></thead>\n<tbody>\n");
    for (size_t i = 0; i < e->n_rows; i++) {
        const batch_row *row = &e->rows[i];
        batch_buf_printf(b, "<tr%s><th scope=\"row\">", row->reason ? " class=\"out\"" : "");
        html_escape(b, row->text);
        batch_buf_puts(b, "</th><td class=\"num\">");
        batch_buf_number(b, row->count);
        batch_buf_printf(b, "</td><td>%s</td><td>", vc_group_name(row->group));
        if (row->reason) {
            batch_buf_puts(b, "left out: ");
            html_escape(b, row->reason);
        } else {
            batch_buf_puts(b, "drawn");
        }
        batch_buf_puts(b, "</td></tr>\n");
    }
    batch_buf_puts(b, "</tbody>\n</table>\n</details>\n");
}

/* Says which drawn words show a box for a character no font here has (the
 * web app's cloud page says it in the same words). */
static void boxed_note(batch_buf *b, const batch_event *e)
{
    if (e->boxed == 0) {
        return;
    }
    batch_buf_printf(b, "<p class=\"note\" role=\"note\">%zu word%s %s drawn with a box in place "
                        "of a character no font here has:",
                     e->boxed, e->boxed == 1 ? "" : "s", e->boxed == 1 ? "is" : "are");
    for (size_t i = 0; i < e->boxed; i++) {
        batch_buf_puts(b, i ? ", \xE2\x80\x9C" : " \xE2\x80\x9C");
        html_escape(b, e->boxed_words[i].text);
        batch_buf_printf(b, "\xE2\x80\x9D (U+%04X)", (unsigned)e->boxed_words[i].cp);
    }
    batch_buf_puts(b, ". The table and the alt text give the words as written. Install a font "
                      "that covers the character, or choose one with <code>--font</code>.</p>\n");
}

static void event_section(batch_buf *b, const cli_opts *o, const batch_event *e)
{
    batch_buf_printf(b, "<section id=\"%s\" class=\"event%s\" aria-labelledby=\"%s--h\">\n",
                     e->slug, e->failed ? " failed" : "", e->slug);
    batch_buf_printf(b, "<h2 id=\"%s--h\">", e->slug);
    html_escape(b, e->title);
    batch_buf_puts(b, "</h2>\n");
    if (e->failed) {
        char text[VC_ERROR_MESSAGE_MAX + 128];
        cli_error_text(&e->err, text, sizeof text);
        batch_buf_puts(b, "<p class=\"error\">Failed: ");
        html_escape(b, text);
        batch_buf_puts(b, "</p>\n</section>\n");
        return;
    }
    batch_buf_printf(b, "<figure><img src=\"%s.png\" alt=\"", e->slug);
    html_escape(b, e->alt_text);
    batch_buf_printf(b, "\" width=\"%d\" height=\"%d\"></figure>\n", o->render.width,
                     o->render.height);
    batch_buf_puts(b, "<p class=\"alt\"><strong>Alt text:</strong> ");
    html_escape(b, e->alt_text);
    batch_buf_puts(b, "</p>\n");
    boxed_note(b, e);
    batch_buf_puts(b, "<p>");
    if (e->respondents > 0) {
        batch_buf_printf(b, "Respondents: %zu. ", e->respondents);
    }
    batch_buf_printf(b, "Words drawn: %zu; left out: %zu. Files: ", e->drawn, e->left_out);
    batch_buf_printf(b,
                     "<a href=\"%s.png\">PNG</a>, <a href=\"%s.svg\">SVG</a>, "
                     "<a href=\"%s.json\">layout report</a>, "
                     "<a href=\"%s.txt\">alt text</a>.</p>\n",
                     e->slug, e->slug, e->slug, e->slug);
    if (o->pack_events) {
        batch_buf_printf(b, "<p><a href=\"packs/%s/index.html\">Publish pack</a> (cloud, bar "
                            "chart, description, data).</p>\n", e->slug);
    }
    event_table(b, e);
    batch_buf_puts(b, "</section>\n");
}

bool gallery_write_index(const cli_opts *o, const char *outdir,
                         const batch_events *ev, double same_scale, vc_error *err)
{
    batch_buf b = {0};
    page_head(&b, o, ev, same_scale);
    for (size_t i = 0; i < ev->n; i++) {
        event_section(&b, o, &ev->v[i]);
    }
    batch_buf_printf(&b, "</main>\n<script>\n%s</script>\n</body>\n</html>\n", page_script);
    char *path = batch_path(outdir, "index", ".html");
    bool ok = path && !b.failed
                  ? vc_file_write_atomic(path, b.data, b.len, err)
                  : batch_fail(err, VC_ERR_NOMEM, "out of memory writing the gallery");
    free(path);
    batch_buf_free(&b);
    return ok;
}

/* ---- summary.json ------------------------------------------------------------- */

/* A JSON string of `s` (NULL: null); invalid UTF-8 becomes U+FFFD. */
static json_t *jstr(const char *s)
{
    if (!s) {
        return json_null();
    }
    char *clean = batch_utf8_clean(s);
    json_t *j = clean ? json_string(clean) : NULL;
    free(clean);
    return j;
}

/* Sets o[key] = v, stealing v; false if either is NULL or on no memory. */
static bool jset(json_t *o, const char *key, json_t *v)
{
    if (!o || !v) {
        json_decref(v);
        return false;
    }
    return json_object_set_new(o, key, v) == 0;
}

/* [{"text", "character": "U+09B3"}], as the layout report marks them. */
static json_t *boxed_json(const batch_event *e)
{
    json_t *list = json_array();
    for (size_t i = 0; list && i < e->boxed; i++) {
        char cp[16];
        snprintf(cp, sizeof cp, "U+%04X", (unsigned)e->boxed_words[i].cp);
        json_t *w = json_object();
        bool ok = w && jset(w, "text", jstr(e->boxed_words[i].text)) &&
                  jset(w, "character", json_string(cp));
        if (!ok) {
            json_decref(w);
        }
        /* json_array_append_new takes w, also when it fails. */
        if (!ok || json_array_append_new(list, w) != 0) {
            json_decref(list);
            return NULL;
        }
    }
    return list;
}

static json_t *event_json(const batch_event *e)
{
    json_t *j = json_object();
    json_t *outputs = json_array();
    bool ok = j && outputs;
    for (int k = 0; ok && k < BATCH_N_OUTPUTS; k++) {
        if (e->wrote[k]) {
            char *name = batch_path("", e->slug, batch_output_ext[k]);
            ok = name && json_array_append_new(outputs, jstr(name)) == 0;
            free(name);
        }
    }
    ok = ok && jset(j, "event", jstr(e->name));
    ok = ok && jset(j, "title", jstr(e->title));
    ok = ok && jset(j, "slug", jstr(e->slug));
    ok = ok && jset(j, "input", jstr(e->input));
    ok = ok && jset(j, "status", json_string(e->failed ? "failed" : "ok"));
    char text[VC_ERROR_MESSAGE_MAX + 128];
    cli_error_text(&e->err, text, sizeof text);
    ok = ok && jset(j, "error", jstr(e->failed ? text : NULL));
    ok = ok && jset(j, "exit_status", json_integer(e->failed ? e->err.status : 0));
    ok = ok && jset(j, "words_drawn", json_integer((json_int_t)e->drawn));
    ok = ok && jset(j, "words_left_out", json_integer((json_int_t)e->left_out));
    ok = ok && jset(j, "respondents", e->respondents > 0
                                          ? json_integer((json_int_t)e->respondents)
                                          : json_null());
    ok = ok && jset(j, "outputs", json_incref(outputs));
    json_decref(outputs);
    ok = ok && jset(j, "undrawable", boxed_json(e));
    if (!ok) {
        json_decref(j);
        return NULL;
    }
    return j;
}

static const char *sizing_name(vc_sizing s)
{
    return s == VC_SIZING_SQRT ? "sqrt" : s == VC_SIZING_LOG ? "log" : "linear";
}

bool gallery_write_summary(const cli_opts *o, const char *outdir,
                           const batch_events *ev, double same_scale, vc_error *err)
{
    json_t *root = json_object();
    json_t *events = json_array();
    size_t failed = count_failed(ev);
    bool ok = root && events;
    ok = ok && jset(root, "ok", json_integer((json_int_t)(ev->n - failed)));
    ok = ok && jset(root, "failed", json_integer((json_int_t)failed));
    ok = ok && jset(root, "sizing", json_string(sizing_name(o->render.sizing)));
    ok = ok && jset(root, "same_scale", same_scale > 0 ? json_real(same_scale)
                                                        : json_null());
    for (size_t i = 0; ok && i < ev->n; i++) {
        json_t *e = event_json(&ev->v[i]);
        ok = e && json_array_append_new(events, e) == 0;
    }
    ok = ok && jset(root, "events", json_incref(events));
    json_decref(events);
    char *text = ok ? json_dumps(root, JSON_INDENT(2)) : NULL;
    char *path = batch_path(outdir, "summary", ".json");
    batch_buf b = {0};
    if (text) {
        batch_buf_puts(&b, text);
        batch_buf_puts(&b, "\n");
    }
    ok = text && path && !b.failed
             ? vc_file_write_atomic(path, b.data, b.len, err)
             : batch_fail(err, VC_ERR_NOMEM, "out of memory writing summary.json");
    batch_buf_free(&b);
    free(path);
    free(text);
    json_decref(root);
    return ok;
}
