/* pages.c - the server-rendered pages of the path that works without
 * JavaScript (upload -> /u/ID form -> /c/ID cloud).  Every text that came
 * from an upload or a request is HTML-escaped here. */
#define _GNU_SOURCE
#include "serve-internal.h"

#include "html.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void head(FILE *f, const char *title)
{
    fputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
          "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>",
          f);
    sv_html_escape(f, title);
    fputs(" - votecloud</title>\n<link rel=\"stylesheet\" href=\"/app.css\">\n</head>\n<body>\n"
          "<header><h1>votecloud</h1><p>Make an honest word cloud from a survey export. "
          "Nothing leaves this machine.</p></header>\n<main>\n",
          f);
}

static char *finish(FILE *f, char **buf)
{
    fputs("</main>\n</body>\n</html>\n", f);
    if (fclose(f) != 0) {
        free(*buf);
        return NULL;
    }
    return *buf;
}

char *sv_page_error(unsigned status, const char *msg)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    if (f == NULL) {
        return NULL;
    }
    head(f, "Something went wrong");
    fprintf(f, "<section><h2>That did not work (%u)</h2>\n<p role=\"alert\">", status);
    sv_html_escape(f, msg);
    fputs("</p>\n<p><a href=\"/\">Start again</a></p></section>\n", f);
    return finish(f, &buf);
}

static const char *const presets[][2] = {
    {"1200x675", "Website hero (1200 × 675)"},
    {"1080x1080", "Social square (1080 × 1080)"},
    {"1080x1920", "Story (1080 × 1920)"},
    {"a4", "A4 print, 300 dpi (3508 × 2480)"},
};
static const char *const palettes[][2] = {
    {"nhs", "NHS"}, {"okabe-ito", "Okabe–Ito (colour-blind safe)"}, {"viridis", "Viridis"},
    {"custom", "Your brand colours (below)"},
};

static const char *const backgrounds[][2] = {
    {"white", "White"}, {"transparent", "Transparent (the page shows through)"},
};
static const char *const shapes[][2] = {{"rectangle", "Rectangle"}, {"ellipse", "Ellipse"}};
static const char *const sizings[][2] = {
    {"linear", "Size in proportion to votes (honest default)"},
    {"sqrt", "Area-like (square root of votes)"},
    {"log", "Compressed (logarithm of votes)"},
};

static void select_field(FILE *f, const char *id, const char *label,
                         const char *const (*opts)[2], size_t n)
{
    fprintf(f, "<div class=\"field\"><label for=\"%s\">%s</label>\n<select id=\"%s\" name=\"%s\">\n",
            id, label, id, id);
    for (size_t i = 0; i < n; i++) {
        fprintf(f, "<option value=\"%s\">%s</option>\n", opts[i][0], opts[i][1]);
    }
    fputs("</select></div>\n", f);
}

/* One button of the words step: it submits the whole form with
 * op=ACTION:TEXT, so the ticked columns travel with it. */
static void op_button(FILE *f, const char *op, const char *text, const char *label)
{
    fprintf(f, "<button type=\"submit\" class=\"small\" name=\"op\" value=\"%s:", op);
    sv_html_escape(f, text);
    fprintf(f, "\">%s<span class=\"visually-hidden\"> ", label);
    sv_html_escape(f, text);
    fputs("</span></button>", f);
}

static void words_section(FILE *f, json_t *w)
{
    fputs("<section aria-labelledby=\"h-words\"><h2 id=\"h-words\">3. Words</h2>\n", f);
    if (w == NULL) {
        fputs("<p>Tick a column above and press <q>Show the words</q>.</p>"
              "<button type=\"submit\" name=\"op\" value=\"show:\">Show the words</button></section>\n", f);
        return;
    }
    fprintf(f, "<p>%lld different words and phrases counted.</p>\n",
            (long long)json_integer_value(json_object_get(w, "n_words")));
    fputs("<table id=\"merges\"><caption>Spellings counted as one</caption><thead><tr>"
          "<th scope=\"col\">Written</th><th scope=\"col\">Counted as</th><th scope=\"col\">Why</th>"
          "<th scope=\"col\">Votes</th><th scope=\"col\">Change</th></tr></thead><tbody>\n", f);
    size_t i;
    json_t *m;
    json_array_foreach(json_object_get(w, "merges"), i, m)
    {
        const char *from = json_string_value(json_object_get(m, "from"));
        const char *kind = json_string_value(json_object_get(m, "kind"));
        fputs("<tr><td>", f);
        sv_html_escape(f, from);
        fputs("</td><td>", f);
        sv_html_escape(f, json_string_value(json_object_get(m, "into")));
        fputs("</td><td>", f);
        sv_html_escape(f, kind && strcmp(kind, "vocabulary") == 0 ? "typo of a survey option"
               : kind && strcmp(kind, "synonym") == 0 ? "your synonym" : kind);
        fprintf(f, "</td><td>%g</td><td>", json_number_value(json_object_get(m, "count")));
        if (kind && strcmp(kind, "vocabulary") == 0) {
            op_button(f, "not-typo", from, "Not a typo: count separately");
        } else if (kind && strcmp(kind, "synonym") == 0) {
            op_button(f, "remove-synonym", from, "Undo this synonym");
        }
        fputs("</td></tr>\n", f);
    }
    if (json_array_size(json_object_get(w, "merges")) == 0) {
        fputs("<tr><td colspan=\"5\">None.</td></tr>\n", f);
    }
    fputs("</tbody></table>\n<table id=\"excluded\"><caption>Left out as no answer</caption><thead><tr>"
          "<th scope=\"col\">Answer</th><th scope=\"col\">Votes</th><th scope=\"col\">Left out by</th>"
          "<th scope=\"col\">Change</th></tr></thead><tbody>\n", f);
    json_array_foreach(json_object_get(w, "excluded"), i, m)
    {
        const char *text = json_string_value(json_object_get(m, "text"));
        const char *by = json_string_value(json_object_get(m, "by"));
        fputs("<tr><td>", f);
        sv_html_escape(f, text);
        fprintf(f, "</td><td>%g</td><td>%s</td><td>", json_number_value(json_object_get(m, "count")),
                by && strcmp(by, "you") == 0 ? "you" : "the non-answer list");
        op_button(f, "include", text, "Count it as a word");
        fputs("</td></tr>\n", f);
    }
    if (json_array_size(json_object_get(w, "excluded")) == 0) {
        fputs("<tr><td colspan=\"4\">None.</td></tr>\n", f);
    }
    fputs("</tbody></table>\n", f);
    json_t *settings = json_object_get(w, "settings");
    static const char *const undo[][3] = {
        {"keep", "reexclude", "Non-answers you count as words"},
        {"not_typos", "typo", "Spellings you said are not typos"},
    };
    for (size_t u = 0; u < 2; u++) {
        json_t *a = json_object_get(settings, undo[u][0]);
        if (json_array_size(a) == 0) {
            continue;
        }
        fprintf(f, "<h3>%s</h3><ul>", undo[u][2]);
        json_t *v;
        json_array_foreach(a, i, v)
        {
            fputs("<li>", f);
            sv_html_escape(f, json_string_value(v));
            fputs(" ", f);
            op_button(f, undo[u][1], json_string_value(v), "Undo");
            fputs("</li>", f);
        }
        fputs("</ul>\n", f);
    }
    fputs("<div class=\"field\"><label for=\"exclusions\">Leave out these answers too "
          "(one a line; written answers only)</label>"
          "<textarea id=\"exclusions\" name=\"exclusions\" rows=\"3\"></textarea>"
          "<button type=\"submit\" name=\"op\" value=\"exclude:\">Leave them out</button></div>\n"
          "<div class=\"field\"><label for=\"synonyms\">Count these as one word "
          "(one a line: <code>variant = word shown</code>)</label>"
          "<textarea id=\"synonyms\" name=\"synonyms\" rows=\"3\"></textarea>"
          "<button type=\"submit\" name=\"op\" value=\"synonyms:\">Add the synonyms</button></div>\n"
          "<table id=\"words\"><caption>The counted words (most votes first; the first 50 here, every word in the table downloads)</caption><thead><tr>"
          "<th scope=\"col\">Word</th><th scope=\"col\">Votes</th><th scope=\"col\">Given as</th>"
          "</tr></thead><tbody>\n", f);
    json_array_foreach(json_object_get(w, "words"), i, m)
    {
        if (i >= 50) {
            break; /* every word is in the table downloads */
        }
        fputs("<tr><td>", f);
        sv_html_escape(f, json_string_value(json_object_get(m, "text")));
        fprintf(f, "</td><td>%g</td><td>", json_number_value(json_object_get(m, "count")));
        sv_html_escape(f, json_string_value(json_object_get(m, "group")));
        fputs("</td></tr>\n", f);
    }
    fputs("</tbody></table></section>\n", f);
}

/* Is column number idx in a list like "6,7"? */
static bool in_list(const char *list, long long idx)
{
    for (const char *p = list; p != NULL && *p;) {
        char *end;
        long long v = strtoll(p, &end, 10);
        if (end != p && v == idx) {
            return true;
        }
        p = strchr(end, ',');
        p = p ? p + 1 : NULL;
    }
    return false;
}

char *sv_page_upload(const char *id, json_t *meta, json_t *words)
{
    json_t *selection = json_object_get(json_object_get(words, "settings"), "selection");
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    if (f == NULL) {
        return NULL;
    }
    head(f, "Choose the question");
    fprintf(f, "<form method=\"post\" action=\"/u/%s\">\n", id);
    fputs("<section aria-labelledby=\"h-columns\"><h2 id=\"h-columns\">2. Choose the question</h2>\n<p>", f);
    fprintf(f, "%lld respondents; ",
            (long long)json_integer_value(json_object_get(meta, "respondents")));
    sv_html_escape(f, json_string_value(json_object_get(meta, "layout")));
    fputs(", ", f);
    sv_html_escape(f, json_string_value(json_object_get(meta, "encoding")));
    fputs(".</p>\n<fieldset><legend>Columns to count (the likely answers are ticked)</legend>\n"
          "<table id=\"columns\"><thead><tr><th scope=\"col\">Use</th><th scope=\"col\">Column</th>"
          "<th scope=\"col\">Kind</th><th scope=\"col\">Answers</th>"
          "<th scope=\"col\">Most given</th></tr></thead>\n<tbody>\n",
          f);
    size_t i;
    json_t *c;
    json_array_foreach(json_object_get(meta, "columns"), i, c)
    {
        long long index = (long long)json_integer_value(json_object_get(c, "index"));
        bool ticked = selection != NULL ? in_list(json_string_value(json_object_get(selection, "columns")), index) ||
                                              in_list(json_string_value(json_object_get(selection, "free-text-columns")), index)
                                        : json_is_true(json_object_get(c, "suggested"));
        fprintf(f, "<tr><td><input type=\"checkbox\" name=\"col\" id=\"col-%lld\" value=\"%lld\"%s></td>",
                index, index, ticked ? " checked" : "");
        fprintf(f, "<th scope=\"row\"><label for=\"col-%lld\">", index);
        sv_html_escape(f, json_string_value(json_object_get(c, "header")));
        fputs("</label></th><td>", f);
        sv_html_escape(f, json_string_value(json_object_get(c, "role")));
        fprintf(f, "</td><td>%lld</td><td>",
                (long long)json_integer_value(json_object_get(c, "distinct")));
        size_t k;
        json_t *t;
        json_array_foreach(json_object_get(c, "top"), k, t)
        {
            if (k > 0) {
                fputs(", ", f);
            }
            sv_html_escape(f, json_string_value(json_array_get(t, 0)));
            fprintf(f, " (%lld)", (long long)json_integer_value(json_array_get(t, 1)));
        }
        fputs("</td></tr>\n", f);
    }
    fputs("</tbody></table></fieldset></section>\n", f);
    words_section(f, words);
    fputs("<section aria-labelledby=\"h-style\"><h2 id=\"h-style\">4. Style</h2>\n", f);
    select_field(f, "preset", "Size", presets, sizeof presets / sizeof presets[0]);
    select_field(f, "palette", "Colours", palettes, sizeof palettes / sizeof palettes[0]);
    select_field(f, "background", "Background", backgrounds, sizeof backgrounds / sizeof backgrounds[0]);
    select_field(f, "shape", "Shape", shapes, sizeof shapes / sizeof shapes[0]);
    select_field(f, "sizing", "Word sizes", sizings, sizeof sizings / sizeof sizings[0]);
    fputs("<div class=\"field\"><label for=\"custom\">Brand colours, when chosen above "
          "(comma-separated, e.g. #005eb8,#330072)</label><input id=\"custom\" name=\"custom\" type=\"text\"></div>\n"
          "<div class=\"field\"><label for=\"title\">Title</label><input id=\"title\" name=\"title\" type=\"text\"></div>\n"
          "<div class=\"field\"><label for=\"question\">Question asked (for the alt text)</label>"
          "<input id=\"question\" name=\"question\" type=\"text\"></div>\n"
          "<div class=\"field check\"><input id=\"legend\" name=\"legend\" type=\"checkbox\" value=\"on\">"
          "<label for=\"legend\">Show a size key and the number of respondents</label></div>\n"
          "<button type=\"submit\">Draw the cloud</button>\n</section>\n</form>\n",
          f);
    return finish(f, &buf);
}

char *sv_page_cloud(const char *id, const char *upload_id, json_t *meta)
{
    static const char *const files[][2] = {
        {"cloud.png", "PNG image"}, {"cloud@2x.png", "PNG image @2x (sharp on high-density screens)"},
        {"cloud.svg", "SVG image"}, {"cloud.pdf", "PDF"},
        {"alt.txt", "Alt text"}, {"table.html", "Table (HTML)"}, {"table.csv", "Table (CSV)"},
        {"layout.json", "Layout report"}, {"pack.zip", "Everything, as one zip"},
        {"publish.zip", "Publish pack: cloud, ranked bar chart, description and method, data, "
                        "index page (zip)"},
    };
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    if (f == NULL) {
        return NULL;
    }
    const char *alt = json_string_value(json_object_get(meta, "alt_text"));
    head(f, "Your word cloud");
    fputs("<section aria-labelledby=\"h-preview\"><h2 id=\"h-preview\">5. Preview</h2>\n<figure>", f);
    fprintf(f, "<img id=\"preview\" src=\"/api/clouds/%s/cloud.svg\" alt=\"", id);
    sv_html_escape(f, alt);
    fprintf(f, "\">\n<figcaption><form method=\"post\" action=\"/c/%s\">"
               "<label for=\"alt\">Alt text (describe the image for screen-reader users; "
               "saved with the cloud and in its downloads)</label>"
               "<textarea id=\"alt\" name=\"alt_text\" rows=\"4\">", id);
    sv_html_escape(f, alt);
    fputs("</textarea><button type=\"submit\">Save the alt text</button></form>"
          "</figcaption></figure>\n", f);
    fprintf(f, "<p><a href=\"/u/%s\">Change the question or the style</a></p></section>\n",
            upload_id);
    fputs("<section aria-labelledby=\"h-download\"><h2 id=\"h-download\">6. Download</h2>\n"
          "<ul id=\"downloads\">\n",
          f);
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
        fprintf(f, "<li><a href=\"/api/clouds/%s/%s\">%s</a></li>\n", id, files[i][0], files[i][1]);
    }
    fputs("</ul></section>\n", f);
    return finish(f, &buf);
}

/* The form's fields -> the JSON options the API takes: ticked columns are
 * split into choice and free-text by the role the upload reported. */
char *sv_form_options(json_t *form, json_t *upmeta)
{
    json_t *o = json_object();
    char choice[1024] = "", free_text[1024] = "";
    size_t i;
    json_t *v;
    json_array_foreach(json_object_get(form, "col"), i, v)
    {
        long idx = strtol(json_string_value(v), NULL, 10);
        size_t k;
        json_t *c;
        json_array_foreach(json_object_get(upmeta, "columns"), k, c)
        {
            if (json_integer_value(json_object_get(c, "index")) == idx && idx > 0) {
                const char *role = json_string_value(json_object_get(c, "role"));
                char *dst = role && strcmp(role, "free-text") == 0 ? free_text : choice;
                size_t n = strlen(dst);
                snprintf(dst + n, sizeof choice - n, "%s%ld", n ? "," : "", idx);
            }
        }
    }
    json_object_set_new(o, "columns", json_string(choice));
    if (free_text[0]) {
        json_object_set_new(o, "free-text-columns", json_string(free_text));
    }
    const char *preset = json_string_value(json_object_get(form, "preset"));
    int w = 1200, h = 675;
    if (preset && strcmp(preset, "a4") == 0) {
        w = 3508;
        h = 2480;
        json_object_set_new(o, "dpi", json_integer(300));
    } else {
        /* Only the listed sizes: anything else is the first. */
        for (size_t k = 1; preset != NULL && k < sizeof presets / sizeof presets[0] - 1; k++) {
            if (strcmp(preset, presets[k][0]) == 0 && sscanf(preset, "%dx%d", &w, &h) != 2) {
                w = 1200;
                h = 675;
            }
        }
    }
    json_object_set_new(o, "width", json_integer(w));
    json_object_set_new(o, "height", json_integer(h));
    const char *pal = json_string_value(json_object_get(form, "palette"));
    if (pal && strcmp(pal, "custom") == 0) {
        pal = json_string_value(json_object_get(form, "custom"));
    }
    if (pal && pal[0]) {
        json_object_set_new(o, "palette", json_string(pal));
    }
    /* Choices from fixed lists only: anything else is left at the default. */
    static const struct {
        const char *field;
        const char *const (*opts)[2];
        size_t n;
    } picks[] = {
        {"background", backgrounds, sizeof backgrounds / sizeof backgrounds[0]},
        {"shape", shapes, sizeof shapes / sizeof shapes[0]},
        {"sizing", sizings, sizeof sizings / sizeof sizings[0]},
    };
    for (size_t p = 0; p < sizeof picks / sizeof picks[0]; p++) {
        const char *pick = json_string_value(json_object_get(form, picks[p].field));
        for (size_t k = 1; pick != NULL && k < picks[p].n; k++) {
            if (strcmp(pick, picks[p].opts[k][0]) == 0) {
                json_object_set_new(o, picks[p].field, json_string(pick));
            }
        }
    }
    static const char *const texts[] = {"title", "question"};
    for (size_t t = 0; t < 2; t++) {
        const char *s = json_string_value(json_object_get(form, texts[t]));
        if (s && s[0]) {
            json_object_set_new(o, texts[t], json_string(s));
        }
    }
    if (json_object_get(form, "legend")) {
        json_object_set_new(o, "legend", json_true());
    }
    char *out = json_dumps(o, JSON_COMPACT);
    json_decref(o);
    return out;
}
