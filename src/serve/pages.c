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
    {"white", "White"}, {"custom", "A colour of your own (below)"},
    {"transparent", "Transparent (the page shows through)"},
};
static const char *const shapes[][2] = {{"rectangle", "Rectangle"}, {"ellipse", "Ellipse"}};
static const char *const sizings[][2] = {
    {"linear", "Size in proportion to votes (honest default)"},
    {"sqrt", "Area-like (square root of votes)"},
    {"log", "Compressed (logarithm of votes)"},
};

static void select_field(FILE *f, const char *id, const char *label,
                         const char *const (*opts)[2], size_t n, const char *chosen)
{
    fprintf(f, "<div class=\"field\"><label for=\"%s\">%s</label>\n<select id=\"%s\" name=\"%s\">\n",
            id, label, id, id);
    for (size_t i = 0; i < n; i++) {
        fprintf(f, "<option value=\"%s\"%s>%s</option>\n", opts[i][0],
                chosen && strcmp(chosen, opts[i][0]) == 0 ? " selected" : "", opts[i][1]);
    }
    fputs("</select></div>\n", f);
}

/* The error of a field, if any: [[field, message], ...]. */
static const char *field_error(json_t *errors, const char *field)
{
    size_t i;
    json_t *e;
    json_array_foreach(errors, i, e)
    {
        if (strcmp(json_string_value(json_array_get(e, 0)), field) == 0) {
            return json_string_value(json_array_get(e, 1));
        }
    }
    return NULL;
}

/* The message above a field in error, and the attributes its control
 * takes (described by the hint and the message, marked invalid). */
static void error_message(FILE *f, const char *field, const char *msg)
{
    if (msg == NULL) {
        return;
    }
    fprintf(f, "<p class=\"error-message\" id=\"%s-error\"><span class=\"visually-hidden\">Error: "
               "</span>", field);
    sv_html_escape(f, msg);
    fputs("</p>\n", f);
}

static void described(FILE *f, const char *field, const char *hint, const char *msg)
{
    if (hint != NULL || msg != NULL) {
        fprintf(f, " aria-describedby=\"%s%s%s%s\"", hint ? hint : "", hint && msg ? " " : "",
                msg ? field : "", msg ? "-error" : "");
    }
    if (msg != NULL) {
        fputs(" aria-invalid=\"true\"", f);
    }
}

/* One text field with its value (escaped), and its error (from `errors`)
 * above the box. */
static void text_field(FILE *f, const char *id, const char *label, const char *value,
                       json_t *errors)
{
    const char *msg = field_error(errors, id);
    fprintf(f, "<div class=\"field\"><label for=\"%s\">%s</label>", id, label);
    error_message(f, id, msg);
    fprintf(f, "<input id=\"%s\" name=\"%s\" type=\"text\"", id, id);
    described(f, id, NULL, msg);
    fputs(" value=\"", f);
    sv_html_escape(f, value);
    fputs("\"></div>\n", f);
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
               : kind && strcmp(kind, "synonym") == 0 ? "your synonym"
               : kind && strcmp(kind, "plural") == 0 ? "plural of the word" : kind);
        fprintf(f, "</td><td>%g</td><td>", json_number_value(json_object_get(m, "count")));
        if (kind && strcmp(kind, "vocabulary") == 0) {
            op_button(f, "not-typo", from, "Not a typo: count separately");
        } else if (kind && strcmp(kind, "synonym") == 0) {
            op_button(f, "remove-synonym", from, "Undo this synonym");
        } else if (kind && strcmp(kind, "plural") == 0) {
            op_button(f, "keep-plurals", from, "Count plurals separately");
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
    bool plurals = json_is_true(json_object_get(settings, "plurals"));
    fprintf(f, "<div class=\"field\" id=\"plurals\"><p id=\"plurals-state\">%s</p>"
               "<button type=\"submit\" name=\"op\" value=\"%s:\" aria-describedby=\"plurals-state\">"
               "%s</button></div>\n",
            plurals ? "Plurals are counted with their singular (“trees” as “tree”) when both are "
                      "written."
                    : "Plurals are counted as written (“trees” apart from “tree”).",
            plurals ? "keep-plurals" : "merge-plurals",
            plurals ? "Count plurals separately" : "Merge plurals into their singular");
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

/* Is column number idx in a list like "#6,#7" (or "6,7")? */
static bool in_list(const char *list, long long idx)
{
    for (const char *p = list; p != NULL && *p;) {
        p += *p == '#';
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

/* The preset a style's size is, or NULL. */
static const char *preset_of(json_t *style)
{
    json_int_t w = json_integer_value(json_object_get(style, "width"));
    json_int_t h = json_integer_value(json_object_get(style, "height"));
    if (json_object_get(style, "width") == NULL) {
        return presets[0][0];
    }
    if (w == 3508 && h == 2480 && json_integer_value(json_object_get(style, "dpi")) == 300) {
        return "a4";
    }
    char size[64];
    snprintf(size, sizeof size, "%lldx%lld", (long long)w, (long long)h);
    for (size_t i = 0; i < sizeof presets / sizeof presets[0]; i++) {
        if (strcmp(size, presets[i][0]) == 0) {
            return presets[i][0];
        }
    }
    return NULL;
}

/* The options the style fields set (sv_form_style): the rest of a loaded
 * style is kept and named under the fields. */
static const char *const style_keys[] = {
    "width", "height", "dpi", "palette", "background", "contrast-against", "shape", "sizing",
    "title", "question", "legend", "font-id", "font-name",
};

/* The upright tick box shows rotate = auto only: a style's other angles
 * are kept as it has them. */
static bool rotate_auto(json_t *style)
{
    const char *r = json_string_value(json_object_get(style, "rotate"));
    return r != NULL && strcmp(r, "auto") == 0;
}

static bool style_key(const char *k)
{
    for (size_t i = 0; i < sizeof style_keys / sizeof style_keys[0]; i++) {
        if (strcmp(k, style_keys[i]) == 0) {
            return true;
        }
    }
    return false;
}

static bool listed(const char *const (*opts)[2], size_t n, const char *v)
{
    for (size_t i = 0; v != NULL && i < n; i++) {
        if (strcmp(opts[i][0], v) == 0) {
            return true;
        }
    }
    return false;
}

static void style_section(FILE *f, const sv_upload_view *v)
{
    json_t *st = v->style;
    fputs("<section aria-labelledby=\"h-style\"><h2 id=\"h-style\">4. Style</h2>\n", f);
    if (v->notice != NULL) {
        fputs("<p class=\"notice\" role=\"status\">", f);
        sv_html_escape(f, v->notice);
        fputs("</p>\n", f);
    }
    const char *preset = preset_of(st);
    select_field(f, "preset", "Size", presets, sizeof presets / sizeof presets[0], preset);
    const char *pal = json_string_value(json_object_get(st, "palette"));
    bool own = pal != NULL && !listed(palettes, sizeof palettes / sizeof palettes[0] - 1, pal);
    select_field(f, "palette", "Colours", palettes, sizeof palettes / sizeof palettes[0],
                 own ? "custom" : pal);
    text_field(f, "custom", "Brand colours, when chosen above (comma-separated, e.g. "
                            "#005eb8,#330072)", own ? pal : "", v->errors);
    const char *bg = json_string_value(json_object_get(st, "background"));
    bool bg_own = bg != NULL && strcmp(bg, "white") != 0 && strcmp(bg, "transparent") != 0;
    select_field(f, "background", "Background", backgrounds,
                 sizeof backgrounds / sizeof backgrounds[0], bg_own ? "custom" : bg);
    text_field(f, "background-colour", "Background colour, when chosen above (e.g. #f0f4f5)",
               bg_own ? bg : "", v->errors);
    const char *page = json_string_value(json_object_get(st, "contrast-against"));
    text_field(f, "page-colour", "Colour of the page a transparent image sits on (for readable "
                                 "text colours)", page ? page : "#ffffff", v->errors);
    select_field(f, "shape", "Shape", shapes, sizeof shapes / sizeof shapes[0],
                 json_string_value(json_object_get(st, "shape")));
    select_field(f, "sizing", "Word sizes", sizings, sizeof sizings / sizeof sizings[0],
                 json_string_value(json_object_get(st, "sizing")));
    text_field(f, "title", "Title", json_string_value(json_object_get(st, "title")), v->errors);
    text_field(f, "question", "Question asked (for the alt text)",
               json_string_value(json_object_get(st, "question")), v->errors);
    fprintf(f, "<div class=\"field check\"><input id=\"legend\" name=\"legend\" type=\"checkbox\" "
               "value=\"on\"%s><label for=\"legend\">Show a size key and the number of "
               "respondents</label></div>\n",
            json_is_true(json_object_get(st, "legend")) ? " checked" : "");
    fprintf(f, "<div class=\"field check\"><input id=\"upright\" name=\"upright\" "
               "type=\"checkbox\" value=\"on\"%s><label for=\"upright\">Let a word too "
               "long for the width read upwards, when that draws the whole cloud "
               "larger</label></div>\n",
            rotate_auto(st) ? " checked" : "");
    /* The font: a file sent with the form is checked, then used. */
    const char *font = json_string_value(json_object_get(st, "font-name"));
    const char *msg = field_error(v->errors, "font");
    fputs("<div class=\"field\"><label for=\"font\">Font (optional: a .ttf or .otf file, up to "
          "20 MB)</label>\n<p class=\"hint\" id=\"font-hint\">Font in use: ", f);
    sv_html_escape(f, json_object_get(st, "font-id") && font ? font : "the bundled Noto Sans");
    fputs("</p>\n", f);
    error_message(f, "font", msg);
    fputs("<input id=\"font\" name=\"font\" type=\"file\" accept=\".ttf,.otf\"", f);
    described(f, "font", "font-hint", msg);
    fputs(">\n<button type=\"submit\" class=\"small\" name=\"op\" value=\"font:\">Upload the "
          "font</button>", f);
    if (json_object_get(st, "font-id") != NULL) {
        fputs(" <button type=\"submit\" class=\"small\" name=\"op\" value=\"font-remove:\">"
              "Use the bundled font again</button>", f);
    }
    fputs("</div>\n", f);
    /* What a loaded style sets that these fields do not show. */
    const char *k;
    json_t *val;
    bool first = true;
    json_object_foreach(st, k, val)
    {
        if (style_key(k) || (strcmp(k, "rotate") == 0 && rotate_auto(st)) ||
            strcmp(k, "columns") == 0 || strcmp(k, "free-text-columns") == 0) {
            continue;
        }
        fputs(first ? "<p class=\"hint\" id=\"style-more\">Also from the house style (not shown "
                      "above, kept when you draw): " : ", ", f);
        sv_html_escape(f, k);
        first = false;
    }
    if (!first) {
        fputs(".</p>\n", f);
    }
    fputs("<button type=\"submit\" id=\"draw\">Draw the cloud</button>\n", f);

    /* House styles: save these fields, use a saved one, download or load
     * the CLI's style file. */
    fputs("<h3 id=\"h-house\">House styles</h3>\n", f);
    msg = field_error(v->errors, "style-name");
    fputs("<div class=\"field\"><label for=\"style-name\">Name for this style</label>\n", f);
    error_message(f, "style-name", msg);
    fputs("<input id=\"style-name\" name=\"style_name\" type=\"text\" maxlength=\"60\"", f);
    described(f, "style-name", NULL, msg);
    if (v->style_name != NULL) {
        fputs(" value=\"", f);
        sv_html_escape(f, v->style_name);
        fputs("\"", f);
    }
    fputs(">\n<button type=\"submit\" class=\"small\" name=\"op\" value=\"style-save:\">Save as a "
          "house style</button></div>\n", f);
    size_t n = json_array_size(v->house);
    msg = field_error(v->errors, "house");
    fputs("<div class=\"field\"><label for=\"house\">Saved house styles</label>\n", f);
    error_message(f, "house", msg);
    fputs("<select id=\"house\" name=\"house\"", f);
    described(f, "house", NULL, msg);
    fputs(">\n", f);
    if (n == 0) {
        fputs("<option value=\"\">(none saved yet)</option>\n", f);
    }
    size_t i;
    json_array_foreach(v->house, i, val)
    {
        fputs("<option value=\"", f);
        sv_html_escape(f, json_string_value(val));
        fputs("\">", f);
        sv_html_escape(f, json_string_value(val));
        fputs("</option>\n", f);
    }
    fputs("</select>\n<button type=\"submit\" class=\"small\" name=\"op\" value=\"style-use:\">"
          "Use this style</button></div>\n", f);
    if (n > 0) {
        fputs("<ul id=\"style-files\" aria-label=\"Download a house style as a votecloud style "
              "file\">\n", f);
        json_array_foreach(v->house, i, val)
        {
            fputs("<li><a href=\"/api/styles/file?name=", f);
            /* the name in the query, percent-encoded byte by byte */
            for (const unsigned char *p = (const unsigned char *)json_string_value(val); p && *p; p++) {
                if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
                    *p == '-' || *p == '_' || *p == '.') {
                    fputc(*p, f);
                } else {
                    fprintf(f, "%%%02X", *p);
                }
            }
            fputs("\">Download ", f);
            sv_html_escape(f, json_string_value(val));
            fputs(" as a votecloud style file</a></li>\n", f);
        }
        fputs("</ul>\n", f);
    }
    msg = field_error(v->errors, "style-file");
    fputs("<div class=\"field\"><label for=\"style-file\">Load a votecloud style file (.txt, up "
          "to 64 KiB)</label>\n", f);
    error_message(f, "style-file", msg);
    fputs("<input id=\"style-file\" name=\"style_file\" type=\"file\" "
          "accept=\".txt,.style,text/plain\"", f);
    described(f, "style-file", NULL, msg);
    fputs(">\n<button type=\"submit\" class=\"small\" name=\"op\" value=\"style-load:\">Load the "
          "style file</button></div>\n</section>\n", f);
}

/* The summary of a post's errors, first in the page and focused, each a
 * link to its field (the GOV.UK pattern). */
static void error_summary(FILE *f, json_t *errors)
{
    if (json_array_size(errors) == 0) {
        return;
    }
    fputs("<div class=\"error-summary\" role=\"alert\" tabindex=\"-1\" autofocus "
          "aria-labelledby=\"error-summary-title\">\n<h2 id=\"error-summary-title\">There is a "
          "problem</h2>\n<ul>\n", f);
    size_t i;
    json_t *e;
    json_array_foreach(errors, i, e)
    {
        /* to the message above the field: the page scrolls to it and the
         * next Tab is the field (no script moves focus) */
        fprintf(f, "<li><a href=\"#%s-error\">", json_string_value(json_array_get(e, 0)));
        sv_html_escape(f, json_string_value(json_array_get(e, 1)));
        fputs("</a></li>\n", f);
    }
    fputs("</ul></div>\n", f);
}

char *sv_page_upload(const char *id, json_t *meta, const sv_upload_view *v)
{
    /* The columns ticked: after a post that failed, the ones it sent (not
     * to be lost to a typo in a colour), else those the words were counted
     * with, else the suggested ones. */
    json_t *selection = json_object_get(json_object_get(v->words, "settings"), "selection");
    if (json_array_size(v->errors) > 0 && json_object_get(v->style, "columns") != NULL) {
        selection = v->style;
    }
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    if (f == NULL) {
        return NULL;
    }
    head(f, json_array_size(v->errors) ? "Error: Choose the question" : "Choose the question");
    error_summary(f, v->errors);
    /* multipart: the font and the style file travel with the fields */
    fprintf(f, "<form method=\"post\" action=\"/u/%s\" enctype=\"multipart/form-data\">\n", id);
    /* Enter in a text field presses the form's first submit button: this
     * one draws the cloud (not the first word's undo button), and only
     * Enter reaches it. */
    fputs("<button type=\"submit\" class=\"visually-hidden\" tabindex=\"-1\" aria-hidden=\"true\">"
          "Draw the cloud</button>\n", f);
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
    words_section(f, v->words);
    style_section(f, v);
    fputs("</form>\n", f);
    return finish(f, &buf);
}

/* Says which drawn words show a box for a character no font on this
 * server has, when any do (app.js says the same in its status line). */
static void undrawable_note(FILE *f, json_t *undrawable)
{
    size_t n = json_array_size(undrawable);
    if (n == 0) {
        return;
    }
    fprintf(f, "<p id=\"undrawable\" role=\"note\">%zu word%s %s drawn with a box in place of a "
               "character no font on this server has:", n, n == 1 ? "" : "s", n == 1 ? "is" : "are");
    size_t i;
    json_t *w;
    json_array_foreach(undrawable, i, w)
    {
        fputs(i ? ", " : " ", f);
        fputs("\xE2\x80\x9C", f);
        sv_html_escape(f, json_string_value(json_object_get(w, "text")));
        fputs("\xE2\x80\x9D (", f);
        sv_html_escape(f, json_string_value(json_object_get(w, "character")));
        fputs(")", f);
    }
    fputs(". The table and the alt text give the words as written. Ask whoever runs this "
          "server to install a font that covers the character, or choose a house font that "
          "does.</p>\n", f);
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
    undrawable_note(f, json_object_get(meta, "undrawable"));
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

/* A text field of the form, trimmed of nothing (NULL when absent or empty). */
static const char *form_text(json_t *form, const char *key)
{
    const char *s = json_string_value(json_object_get(form, key));
    return s && s[0] ? s : NULL;
}

/* The ticked columns ("col" fields) the upload reported as free text (or,
 * without `free_text`, as anything else), as a column list by number:
 * "#2,#5" names columns 2 and 5 whatever their headers.  NULL when out of
 * memory; caller frees. */
static char *ticked_columns(json_t *form, json_t *upmeta, bool free_text)
{
    char *list = NULL;
    size_t len = 0;
    FILE *m = open_memstream(&list, &len);
    if (!m) {
        return NULL;
    }
    size_t i;
    json_t *v;
    json_array_foreach(json_object_get(form, "col"), i, v)
    {
        long idx = strtol(json_string_value(v), NULL, 10);
        size_t k;
        json_t *c;
        json_array_foreach(json_object_get(upmeta, "columns"), k, c)
        {
            const char *role = json_string_value(json_object_get(c, "role"));
            bool is_free = role && strcmp(role, "free-text") == 0;
            if (json_integer_value(json_object_get(c, "index")) == idx && idx > 0 &&
                is_free == free_text) {
                fprintf(m, "%s#%ld", ftell(m) > 0 ? "," : "", idx);
            }
        }
    }
    if (fclose(m) != 0) {
        free(list);
        return NULL;
    }
    return list;
}

/* The form's fields -> the JSON options the API takes: ticked columns are
 * split into choice and free-text by the role the upload reported; the
 * style fields replace theirs in `base` (the style kept between posts),
 * whose other options (from a loaded style, the font) stay. */
json_t *sv_form_options(json_t *form, json_t *upmeta, json_t *base)
{
    json_t *o = json_is_object(base) ? json_deep_copy(base) : json_object();
    for (size_t i = 0; i < sizeof style_keys / sizeof style_keys[0]; i++) {
        if (strncmp(style_keys[i], "font-", 5) != 0) {
            json_object_del(o, style_keys[i]);
        }
    }
    if (rotate_auto(o)) {
        json_object_del(o, "rotate");
    }
    char *choice = ticked_columns(form, upmeta, false);
    char *free_text = ticked_columns(form, upmeta, true);
    if (!choice || !free_text) {
        free(choice);
        free(free_text);
        json_decref(o);
        return NULL;
    }
    json_object_set_new(o, "columns", json_string(choice));
    if (free_text[0]) {
        json_object_set_new(o, "free-text-columns", json_string(free_text));
    }
    free(choice);
    free(free_text);
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
            if (strcmp(pick, picks[p].opts[k][0]) == 0 && strcmp(pick, "custom") != 0) {
                json_object_set_new(o, picks[p].field, json_string(pick));
            }
        }
    }
    const char *bg = json_string_value(json_object_get(form, "background"));
    if (bg && strcmp(bg, "custom") == 0 && form_text(form, "background-colour")) {
        json_object_set_new(o, "background", json_string(form_text(form, "background-colour")));
    } else if (bg && strcmp(bg, "transparent") == 0 && form_text(form, "page-colour")) {
        json_object_set_new(o, "contrast-against", json_string(form_text(form, "page-colour")));
    }
    static const char *const texts[] = {"title", "question"};
    for (size_t t = 0; t < 2; t++) {
        const char *s = form_text(form, texts[t]);
        if (s) {
            json_object_set_new(o, texts[t], json_string(s));
        }
    }
    if (json_object_get(form, "legend")) {
        json_object_set_new(o, "legend", json_true());
    }
    if (json_object_get(form, "upright")) {
        json_object_set_new(o, "rotate", json_string("auto"));
    }
    return o;
}
