/* test-batch-events.c - batch's own parsing, without the engine: slugs
 * (transliteration, fallback, uniqueness, reserved names) and the manifest
 * reader (RFC 4180 quoting, header in any order, relative inputs, errors
 * with file and line). */
#include "batch.h"
#include "tap.h"

#include <stdlib.h>
#include <string.h>

static void test_slug(const char *name, const char *want)
{
    char *got = batch_slug(name);
    if (!want) { /* readable part, then a hash */
        TAP_OK(got && strncmp(got, "forum-", 6) == 0 && strlen(got) == 14,
               "slug of '%s' is 'forum-' and a hash: %s", name, got ? got : "(null)");
        free(got);
        return;
    }
    TAP_EQ_STR(got, want, "slug of '%s'", name);
    free(got);
}

static void test_slugs(void)
{
    test_slug("Area Forum", "area-forum");
    test_slug("  --Area   Forum!!--  ", "area-forum");
    test_slug("Café Ñandú", "cafe-nandu");
    test_slug("Straße Øresund Łódź", "strasse-oresund-lodz");
    test_slug("Zoë's ﬁrst forum", "zoe-s-first-forum");
    /* No romanisation for Bengali: a stable hash, never "event". */
    test_slug("জরিপ", "7277e448"); /* FNV-1a of the UTF-8 bytes */
    test_slug("Форум Бат", "forum-bat");
    test_slug("Αθήνα", "athina");
    test_slug("Forum 東京", NULL);
    test_slug("!!!", "event");
    test_slug("", "event");
    test_slug("North \xff\xfe Forum", "north-forum");
    test_slug("2026 Q3 / Design-Day", "2026-q3-design-day");
    char long_name[200];
    memset(long_name, 'a', sizeof long_name - 1);
    long_name[sizeof long_name - 1] = '\0';
    long_name[BATCH_SLUG_MAX - 1] = ' ';
    char *s = batch_slug(long_name);
    TAP_OK(s && strlen(s) <= BATCH_SLUG_MAX && s[strlen(s) - 1] != '-',
           "long names are cut to %d characters without a trailing '-'", BATCH_SLUG_MAX);
    free(s);
}

static void test_unique(void)
{
    batch_events ev = {0};
    vc_error err = {0};
    const char *names[] = {"Area Forum", "area-forum!", "AREA FORUM", "area-forum-2",
                           "Summary", "index", "Design Day"};
    const char *want[] = {"area-forum",   "area-forum-2", "area-forum-3", "area-forum-2-2",
                          "summary-2",    "index-2",      "design-day"};
    bool ok = true;
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        ok = ok && batch_events_add(&ev, names[i], NULL, "x.csv", &err);
    }
    ok = ok && batch_assign_slugs(&ev, &err);
    TAP_OK(ok, "slugs assigned");
    for (size_t i = 0; ok && i < ev.n; i++) {
        TAP_EQ_STR(ev.v[i].slug, want[i], "unique slug for '%s'", names[i]);
    }
    batch_events_free(&ev);
}

static bool parse(batch_events *ev, const char *text, vc_error *err)
{
    memset(ev, 0, sizeof *ev);
    memset(err, 0, sizeof *err);
    return batch_manifest_parse(ev, "events.csv", "data", text, strlen(text), err);
}

static void test_manifest(void)
{
    batch_events ev;
    vc_error err;
    bool ok = parse(&ev,
                    "\xEF\xBB\xBF"
                    "event,input,title\r\n"
                    "\"South, central\",south.csv,\"The \"\"open\"\" forum\"\r\n"
                    "\r\n"
                    "Youth,/abs/youth.csv,\r\n"
                    "\"Multi\nline\",m.csv\n",
                    &err);
    TAP_OK(ok, "manifest with BOM, CRLF, quotes and a blank line parses (%s)",
           err.message);
    TAP_OK(ev.n == 3, "three events (got %zu)", ev.n);
    if (ev.n == 3) {
        TAP_EQ_STR(ev.v[0].name, "South, central", "quoted comma");
        TAP_EQ_STR(ev.v[0].title, "The \"open\" forum", "doubled quotes");
        TAP_EQ_STR(ev.v[0].input, "data/south.csv", "relative input resolved");
        TAP_EQ_STR(ev.v[1].input, "/abs/youth.csv", "absolute input kept");
        TAP_EQ_STR(ev.v[1].title, "Youth", "empty title: the event name");
        TAP_EQ_STR(ev.v[2].name, "Multi\nline", "newline inside quotes");
    }
    batch_events_free(&ev);

    ok = parse(&ev, "input,title,event\na.csv,Title A,A\n", &err);
    TAP_OK(ok && ev.n == 1 && strcmp(ev.v[0].name, "A") == 0 &&
               strcmp(ev.v[0].title, "Title A") == 0,
           "header columns in any order");
    batch_events_free(&ev);

    ok = parse(&ev, "North,n.csv\nSouth,s.csv,South forum\n", &err);
    TAP_OK(ok && ev.n == 2 && strcmp(ev.v[1].title, "South forum") == 0,
           "no header: event,input[,title]");
    batch_events_free(&ev);

    struct {
        const char *text, *message;
    } bad[] = {
        {"event,input\n\"open,a.csv\n", "events.csv:2: quoted field is never closed"},
        {"event,input\nA,a.csv\nB\n", "events.csv:3: expected event,input[,title], got 1 field"},
        {"A,a.csv,t,extra\n", "events.csv:1: expected event,input[,title], got 4 fields"},
        {"event,input,colour\n", "events.csv:1: unknown column 'colour'"},
        {"A,a\"b.csv\n", "events.csv:1: a quote inside an unquoted field"},
        {"\"A\"x,a.csv\n", "events.csv:1: unexpected text after a closing quote"},
        {"event,input\n,a.csv\n", "events.csv:2: the event name is empty"},
        {"event,input\nA,\n", "events.csv:2: event 'A' has no input file"},
        {"event,input\n", "events.csv: no events listed"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        ok = parse(&ev, bad[i].text, &err);
        TAP_OK(!ok && err.status == VC_ERR_DATA &&
                   strncmp(err.message, bad[i].message, strlen(bad[i].message)) == 0,
               "refused: %s", bad[i].message);
        if (ok || strncmp(err.message, bad[i].message, strlen(bad[i].message)) != 0) {
            printf("#   got: '%s'\n", err.message);
        }
        batch_events_free(&ev);
    }
}

static void test_files(void)
{
    batch_events ev = {0};
    vc_error err = {0};
    const char *paths[] = {"in/Area Forum.csv", "a.b.tsv", "noext"};
    bool ok = batch_events_from_files(&ev, paths, 3, &err);
    TAP_OK(ok && ev.n == 3, "events from files");
    if (ok && ev.n == 3) {
        TAP_EQ_STR(ev.v[0].name, "Area Forum", "name: file name without folder and extension");
        TAP_EQ_STR(ev.v[1].name, "a.b", "only the last extension goes");
        TAP_EQ_STR(ev.v[2].name, "noext", "a name without extension");
    }
    batch_events_free(&ev);
    const char *stdin_path[] = {"-"};
    memset(&err, 0, sizeof err);
    TAP_OK(!batch_events_from_files(&ev, stdin_path, 1, &err) && err.status == VC_ERR_USAGE,
           "standard input is refused without an event name");
    batch_events_free(&ev);
}

static void test_paths(void)
{
    char *p = batch_path("out/", "a", ".png");
    TAP_EQ_STR(p, "out/a.png", "one slash between folder and name");
    free(p);
    p = batch_path("/", "a", ".png");
    TAP_EQ_STR(p, "/a.png", "the root folder");
    free(p);
    char *clean = batch_utf8_clean("ok \xC3\xA9 \xff end");
    TAP_EQ_STR(clean, "ok \xC3\xA9 \xEF\xBF\xBD end", "invalid UTF-8 becomes U+FFFD");
    free(clean);
    batch_buf b = {0};
    batch_buf_number(&b, 10);
    batch_buf_puts(&b, " ");
    batch_buf_number(&b, 2.5);
    TAP_EQ_STR(b.data, "10 2.5", "numbers print the same everywhere");
    batch_buf_free(&b);
}

int main(void)
{
    test_slugs();
    test_unique();
    test_manifest();
    test_files();
    test_paths();
    return tap_done();
}
