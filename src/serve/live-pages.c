/* live-pages.c - the live rooms' server-made pages: the participant's form
 * and thank-you page (tiny, no JavaScript, 320 px wide, the question's
 * language and direction), and the organiser's form.  Every text from a
 * request or an answer is HTML-escaped here. */
#define _GNU_SOURCE
#include "live-room.h"

#include "html.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* <html lang dir>: the page's own words are English (lang="en"; each
 * sentence in a <bdi>, so its full stop stays at its end on a right-to-left
 * page); the question's script sets the direction, and the question
 * carries its own lang. */
static FILE *open_page(char **buf, size_t *len, const char *title, bool rtl)
{
    FILE *f = open_memstream(buf, len);
    if (f == NULL) {
        return NULL;
    }
    fprintf(f,
            "<!DOCTYPE html>\n<html lang=\"en\" dir=\"%s\">\n<head>\n<meta "
            "charset=\"utf-8\">\n"
            "<meta name=\"viewport\" content=\"width=device-width, "
            "initial-scale=1\">\n<title>",
            rtl ? "rtl" : "ltr");
    sv_html_escape(f, title);
    fputs("</title>\n<link rel=\"stylesheet\" "
          "href=\"/live/join.css\">\n</head>\n<body>\n<main>\n",
          f);
    return f;
}

static char *close_page(FILE *f, char **buf)
{
    fputs("</main>\n</body>\n</html>\n", f);
    if (fclose(f) != 0) {
        free(*buf);
        return NULL;
    }
    return *buf;
}

static void question(FILE *f, const lv_room *r)
{
    const char *lang = sv_live_script_lang(r->opts.question);
    fputs("<h1 id=\"q\"", f);
    if (lang != NULL) {
        fprintf(f, " lang=\"%s\"", lang);
    }
    fputs(" dir=\"auto\">", f);
    sv_html_escape(f, r->opts.question);
    fputs("</h1>\n", f);
}

static bool prefilled(const char *const *prefill, size_t n, const char *choice)
{
    for (size_t i = 0; i < n; i++) {
        if (strcmp(prefill[i], choice) == 0) {
            return true;
        }
    }
    return false;
}

char *lv_page_join(const lv_room *r, const char *msg, const char *const *prefill,
                   size_t n)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_page(&buf, &len, r->opts.question, sv_live_text_rtl(r->opts.question));
    if (f == NULL) {
        return NULL;
    }
    question(f, r);
    if (msg != NULL) {
        fputs("<p class=\"err\" role=\"alert\"><bdi>", f);
        sv_html_escape(f, msg);
        fputs("</bdi></p>\n", f);
    }
    fprintf(f, "<form method=\"post\" action=\"/j/%s\" aria-labelledby=\"q\">\n",
            r->code);
    if (r->opts.n_choices > 0) {
        fprintf(f, "<fieldset>\n<legend>Tick up to %d</legend>\n", r->opts.max_words);
        for (size_t i = 0; i < r->opts.n_choices; i++) {
            fprintf(f, "<label><input type=\"checkbox\" name=\"word\" value=\"");
            sv_html_escape(f, r->opts.choices[i]);
            fprintf(f, "\"%s> <span dir=\"auto\">",
                    prefilled(prefill, n, r->opts.choices[i]) ? " checked" : "");
            sv_html_escape(f, r->opts.choices[i]);
            fputs("</span></label>\n", f);
        }
        fputs("</fieldset>\n", f);
    } else {
        fprintf(f, "<p id=\"hint\"><bdi>Up to %d word%s, %d characters each.</bdi></p>\n",
                r->opts.max_words, r->opts.max_words == 1 ? "" : "s", SV_LIVE_WORD_CHARS);
        for (int i = 0; i < r->opts.max_words; i++) {
            fprintf(f,
                    "<label for=\"w%d\">Word %d</label>\n<input id=\"w%d\" name=\"word\" "
                    "maxlength=\"%d\" dir=\"auto\" autocomplete=\"off\" "
                    "aria-describedby=\"hint\""
                    "%s value=\"",
                    i + 1, i + 1, i + 1, SV_LIVE_WORD_CHARS, i == 0 ? " required" : "");
            sv_html_escape(f, (size_t)i < n ? prefill[i] : "");
            fputs("\">\n", f);
        }
    }
    fprintf(f, "<button type=\"submit\">%s</button>\n</form>\n",
            n > 0 ? "Change my answer" : "Send");
    fputs("<p class=\"small\"><bdi>Your answer is anonymous. You can change it until the "
          "room closes.</bdi></p>\n",
          f);
    return close_page(f, &buf);
}

char *lv_page_thanks(const lv_room *r, const lv_participant *p)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_page(&buf, &len, "Thank you", sv_live_text_rtl(r->opts.question));
    if (f == NULL) {
        return NULL;
    }
    question(f, r);
    fputs(
        "<p role=\"status\" class=\"ok\"><bdi>Thank you: your answer is in.</bdi></p>\n",
        f);
    if (p != NULL && p->n > 0) {
        fputs("<p>You said:</p>\n<ul>\n", f);
        for (size_t i = 0; i < p->n; i++) {
            fputs("<li dir=\"auto\">", f);
            sv_html_escape(f, p->w[i].text);
            fputs(p->w[i].st == LW_PENDING
                      ? " <small>(waiting for the host to approve)</small>"
                      : "",
                  f);
            fputs("</li>\n", f);
        }
        fputs("</ul>\n", f);
    }
    if (!r->closed) {
        fprintf(f, "<p><a href=\"/j/%s\">Change my answer</a></p>\n", r->code);
    }
    return close_page(f, &buf);
}

char *lv_page_message(const char *title, const char *msg, bool rtl)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_page(&buf, &len, title, rtl);
    if (f == NULL) {
        return NULL;
    }
    fputs("<h1>", f);
    sv_html_escape(f, title);
    fputs("</h1>\n<p role=\"alert\"><bdi>", f);
    sv_html_escape(f, msg);
    fputs("</bdi></p>\n", f);
    return close_page(f, &buf);
}

char *lv_page_new(const char *msg)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_page(&buf, &len, "New live event", false);
    if (f == NULL) {
        return NULL;
    }
    fputs("<h1>New live event</h1>\n<p>People answer from their phones; your screen "
          "shows the "
          "cloud growing as answers arrive.</p>\n",
          f);
    if (msg != NULL) {
        fputs("<p class=\"err\" role=\"alert\">", f);
        sv_html_escape(f, msg);
        fputs("</p>\n", f);
    }
    fputs(
        "<form method=\"post\" action=\"/live\">\n"
        "<label for=\"question\">Question</label>\n"
        "<input id=\"question\" name=\"question\" required maxlength=\"300\" "
        "dir=\"auto\">\n"
        "<label for=\"max_words\">Words per person</label>\n"
        "<input id=\"max_words\" name=\"max_words\" type=\"number\" min=\"1\" max=\"10\" "
        "value=\"3\">\n"
        "<label for=\"choices\">Words to choose from (one per line; leave empty for free "
        "answers)</label>\n"
        "<textarea id=\"choices\" name=\"choices\" rows=\"4\"></textarea>\n"
        "<label><input type=\"checkbox\" name=\"moderation\" value=\"on\"> Approve new "
        "words "
        "before they show</label>\n"
        "<input type=\"hidden\" name=\"profanity\" value=\"off\">\n"
        "<label><input type=\"checkbox\" name=\"profanity\" value=\"on\" checked> Filter "
        "swear words</label>\n"
        "<button type=\"submit\">Create the room</button>\n</form>\n"
        "<p><a href=\"/\">Back to the word cloud maker</a></p>\n",
        f);
    return close_page(f, &buf);
}

char *lv_page_created(const lv_room *r, const char *base)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_page(&buf, &len, "Room created", false);
    if (f == NULL) {
        return NULL;
    }
    fputs("<h1>Room created</h1>\n<p dir=\"auto\">", f);
    sv_html_escape(f, r->opts.question);
    fputs("</p>\n", f);
    fprintf(f, "<p>People join at <a href=\"/j/%s\">", r->code);
    sv_html_escape(f, base);
    fprintf(
        f,
        "/j/%s</a></p>\n"
        "<img class=\"qr\" src=\"/j/%s/qr.svg\" alt=\"QR code of the join address\" "
        "width=\"240\" height=\"240\">\n"
        "<p><a href=\"/p/%s#key=%s\">Open the presenter screen</a> (keep this link to "
        "yourself: it holds the room's key).</p>\n"
        "<p>Presenter key: <code>%s</code></p>\n",
        r->code, r->code, r->id, r->key, r->key);
    return close_page(f, &buf);
}
