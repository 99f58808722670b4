/* test-count.c - the counting stage through its internals and public API:
 * normalisation, the tokeniser, count parsing, format detection, plural,
 * synonym and vocabulary merging, survey respondents and events, limits,
 * and that a failed input counts nothing. */
#include "count/count.h"
#include "tap.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char *key_of(const char *s)
{
    vc_buf d, k;
    vc_buf_init(&d);
    vc_buf_init(&k);
    vc_norm_display(s, strlen(s), &d);
    vc_norm_key(d.data, d.len, &k);
    vc_buf_finish(&d);
    return k.data;
}

static char *display_of(const char *s)
{
    vc_buf d;
    vc_buf_init(&d);
    vc_norm_display(s, strlen(s), &d);
    return d.data;
}

static void same_key(const char *a, const char *b)
{
    char *ka = key_of(a), *kb = key_of(b);
    TAP_EQ_STR(ka, kb, "'%s' and '%s' are one entry", a, b);
    free(ka);
    free(kb);
}

static void test_normalise(void)
{
    same_key("person centred", "Person-Centred");
    same_key("person centred", "personcentred");
    same_key("Person_Centred", "PERSON   CENTRED");
    same_key("well-being", "Wellbeing");
    same_key("well\u2011being", "wellbeing");  /* non-breaking hyphen */
    same_key("well\u2013being", "wellbeing");  /* en dash */
    same_key("don\u2019t", "don't");           /* curly apostrophe */
    same_key("Cafe\u0301", "caf\u00e9");       /* NFC */
    same_key("Stra\u00dfe", "STRASSE");        /* full case folding */
    char *k = key_of("Person-Centred");
    TAP_EQ_STR(k, "personcentred", "the key is folded and has no separators");
    free(k);
    k = key_of("-");
    TAP_EQ_STR(k, "-", "a key of separators only keeps the text");
    free(k);
    char *d = display_of("  think \t big \r\n");
    TAP_EQ_STR(d, "think big", "display spelling is trimmed and collapsed");
    free(d);
    d = display_of("Cafe\u0301");
    TAP_EQ_STR(d, "Caf\u00e9", "display spelling is NFC, case kept");
    free(d);
    d = display_of("well\u00a0 being");
    TAP_EQ_STR(d, "well being", "no-break space is white space too");
    free(d);
}

static bool collect(void *data, const char *tok, size_t len, vc_error *err)
{
    VC_UNUSED(err);
    vc_buf *b = data;
    if (b->len) {
        vc_buf_puts(b, "|");
    }
    vc_buf_append(b, tok, len);
    return true;
}

static void tokens_are(const char *text, bool numbers, const char *want)
{
    vc_buf b;
    vc_buf_init(&b);
    vc_buf_puts(&b, "");
    vc_error err = {0};
    vc_tokenize(text, strlen(text), numbers, collect, &b, &err);
    TAP_EQ_STR(b.data, want, "tokens of '%s'", text);
    vc_buf_finish(&b);
}

static void test_tokenize(void)
{
    tokens_are("A&E and GP, COVID-19; person-centred don't well\u2011being.", false,
               "A&E|and|GP|COVID-19|person-centred|don't|well\u2011being");
    tokens_are("don\u2019t stop", false, "don\u2019t|stop");
    /* Bengali with virama and vowel signs (marks), Arabic, Polish. */
    tokens_are("\u09b8\u09cd\u09ac\u09be\u09b8\u09cd\u09a5\u09cd\u09af "
               "\u09b8\u09c7\u09ac\u09be", false,
               "\u09b8\u09cd\u09ac\u09be\u09b8\u09cd\u09a5\u09cd\u09af|"
               "\u09b8\u09c7\u09ac\u09be");
    tokens_are("\u0627\u0644\u0631\u0639\u0627\u064a\u0629 "
               "\u0627\u0644\u0635\u062d\u064a\u0629.", false,
               "\u0627\u0644\u0631\u0639\u0627\u064a\u0629|"
               "\u0627\u0644\u0635\u062d\u064a\u0629");
    tokens_are("Za\u017c\u00f3\u0142\u0107 g\u0119\u015bl\u0105 ja\u017a\u0144!",
               false, "Za\u017c\u00f3\u0142\u0107|g\u0119\u015bl\u0105|ja\u017a\u0144");
    tokens_are("2024 3.5 1,000 COVID-19", false, "COVID-19");
    tokens_are("2024 3.5 1,000 COVID-19", true, "2024|3.5|1,000|COVID-19");
    tokens_are("end.Start rock--paper 'quoted' x-", false,
               "end|Start|rock|paper|quoted|x");
    tokens_are("salt & pepper, R&D", false, "salt|pepper|R&D");
}

static void count_is(const char *s, double want, const char *why_want)
{
    double v = -1;
    const char *why = NULL;
    bool ok = vc_parse_count(s, strlen(s), &v, &why);
    if (why_want) {
        TAP_OK(!ok && why && strcmp(why, why_want) == 0,
               "count '%s' %s (got %s)", s, why_want, why ? why : "ok");
    } else {
        TAP_OK(ok && v == want, "count '%s' is %g (got %g)", s, want, v);
    }
}

static void test_parse_count(void)
{
    count_is("12", 12, NULL);
    count_is(" 7 ", 7, NULL);
    count_is("0.5", 0.5, NULL);
    count_is("1e3", 1000, NULL);
    count_is("0", 0, NULL);
    count_is("2.25", 2.25, NULL);
    count_is("-1", 0, "is negative");
    count_is("NaN", 0, "is not a finite number");
    count_is("inf", 0, "is not a finite number");
    count_is("lots", 0, "is not a number");
    count_is("1.2.3", 0, "is not a number");
    count_is("", 0, "is missing");
}

static void test_detect(void)
{
    const char *c1 = "word,count\nCare,3\n";
    TAP_OK(vc_detect_format("x.csv", c1, strlen(c1)) == VC_FORMAT_COUNTS,
           ".csv word,count is counts");
    const char *c2 = "Timestamp,Word 1,Word 2\n2024,Care,Hope\n";
    TAP_OK(vc_detect_format("x.csv", c2, strlen(c2)) == VC_FORMAT_SURVEY,
           ".csv with text columns is a survey");
    const char *c3 = "word\tcount\tgroup\nCare\t3\tword\n";
    TAP_OK(vc_detect_format("-", c3, strlen(c3)) == VC_FORMAT_COUNTS,
           "our own TSV on stdin is counts");
    const char *c4 = "It was the best of times.\n";
    TAP_OK(vc_detect_format("-", c4, strlen(c4)) == VC_FORMAT_TEXT,
           "prose on stdin is text");
    TAP_OK(vc_detect_format("a.TSV", c4, strlen(c4)) == VC_FORMAT_COUNTS,
           ".tsv is counts");
    TAP_OK(vc_detect_format("notes.md", c3, strlen(c3)) == VC_FORMAT_TEXT,
           ".md is text");
}

/* "text:count:group;..." for the words of `c` (event NULL = all). */
static char *summary(vc_counter *c, const char *event)
{
    vc_error err = {0};
    vc_words *w = vc_counter_words(c, event, &err);
    vc_buf b;
    vc_buf_init(&b);
    vc_buf_puts(&b, "");
    for (size_t i = 0; w && i < vc_words_size(w); i++) {
        vc_buf_printf(&b, "%s%s:", i ? ";" : "", vc_words_text(w, i));
        vc_buf_number(&b, vc_words_count(w, i), 6);
        vc_buf_printf(&b, ":%s", vc_group_name(vc_words_group(w, i)));
    }
    if (!w) {
        vc_buf_printf(&b, "ERROR %s", err.message);
    }
    vc_words_free(w);
    return b.data;
}

static vc_counter *counter_with(const vc_count_options *o, const char *name,
                                const char *data, vc_error *err)
{
    vc_counter *c = vc_counter_new(o, err);
    if (c && !vc_counter_add_buffer(c, name, data, strlen(data), err)) {
        vc_counter_free(c);
        return NULL;
    }
    return c;
}

static void test_text_counting(void)
{
    vc_count_options o;
    vc_count_options_init(&o);
    vc_error err = {0};
    vc_counter *c = counter_with(&o, "t.txt",
                                 "The Care and the care of Care; the 3 of us.\n", &err);
    char *s = summary(c, NULL);
    TAP_EQ_STR(s, "Care:3:word", "stopwords and numbers dropped, most frequent "
               "spelling shown (ties: first seen)");
    free(s);
    vc_counter_free(c);

    o.stopwords = false;
    o.include_numbers = true;
    c = counter_with(&o, "t.txt", "The care and the 3\n", &err);
    s = summary(c, NULL);
    TAP_EQ_STR(s, "The:2:word;3:1:word;and:1:word;care:1:word",
               "--no-stopwords and --include-numbers keep everything");
    free(s);
    vc_counter_free(c);
}

static void test_plurals(void)
{
    const char *text = "cats cat cat dogs virus viruses status analysis was "
                       "news new bus buses policies policy boxes box horses "
                       "horse crisis\n";
    vc_count_options o;
    vc_count_options_init(&o);
    o.stopwords = false;
    o.merge_plurals = true;
    vc_error err = {0};
    vc_counter *c = counter_with(&o, "p.txt", text, &err);
    char *s = summary(c, NULL);
    TAP_EQ_STR(s, "cat:3:word;box:2:word;bus:2:word;horse:2:word;policy:2:word;"
               "virus:2:word;analysis:1:word;crisis:1:word;dogs:1:word;"
               "new:1:word;news:1:word;status:1:word;was:1:word",
               "plurals merge into singulars that occur; virus, status, "
               "analysis, was, news, crisis are left alone");
    free(s);
    vc_words *w = vc_counter_words(c, NULL, &err);
    vc_merge m = {0};
    bool found = false;
    for (size_t i = 0; w && i < vc_words_merge_count(w); i++) {
        if (vc_words_merge(w, i, &m) && strcmp(m.from, "cats") == 0) {
            found = strcmp(m.into, "cat") == 0 && m.kind == VC_MERGE_PLURAL &&
                    m.count == 1;
        }
    }
    TAP_OK(found, "the merge cats -> cat is logged as plural");
    TAP_OK(vc_words_merge_count(w) == 6, "six plural merges logged (got %zu)",
           vc_words_merge_count(w));
    vc_words_free(w);
    vc_counter_free(c);

    o.merge_plurals = false;
    c = counter_with(&o, "p.txt", "cats cat\n", &err);
    s = summary(c, NULL);
    TAP_EQ_STR(s, "cat:1:word;cats:1:word", "plurals stay apart by default");
    free(s);
    vc_counter_free(c);
}

static char *write_tmp(const char *content)
{
    char *path = strdup("/tmp/vc-count-test-XXXXXX");
    int fd = mkstemp(path);
    if (fd >= 0) {
        ssize_t n = write(fd, content, strlen(content));
        VC_UNUSED(n);
        close(fd);
    }
    return path;
}

static void test_synonyms_vocabulary(void)
{
    char *syn = write_tmp("# comment\nNHS = National Health Service\n"
                          "the nhs = NHS\n");
    char *voc = write_tmp("Prevention\nstone\nstore\nperson centred care\n");
    vc_count_options o;
    vc_count_options_init(&o);
    vc_error err = {0};
    vc_counter *c = vc_counter_new(&o, &err);
    TAP_OK(c && vc_counter_load_synonyms(c, syn, &err) &&
           vc_counter_load_vocabulary(c, voc, &err), "synonyms and vocabulary load");
    const char *counts = "NHS\t2\nnational health service\t1\nthe NHS\t1\n"
                         "prevnetion\t1\nprevension\t2\nstoke\t1\n"
                         "person centered care\t1\n";
    TAP_OK(vc_counter_add_buffer(c, "c.tsv", counts, strlen(counts), &err),
           "counts added: %s", err.message);
    char *s = summary(c, NULL);
    /* The synonyms file's spelling is shown, not the most typed one. */
    TAP_EQ_STR(s, "National Health Service:4:word;Prevention:3:word;"
               "person centred care:1:word;stoke:1:word",
               "synonyms (chained, shown as the file spells them), transposition and "
               "substitution typos merge; "
               "'stoke' (one edit from both stone and store) does not");
    free(s);
    vc_words *w = vc_counter_words(c, NULL, &err);
    size_t syn_n = 0, voc_n = 0;
    for (size_t i = 0; w && i < vc_words_merge_count(w); i++) {
        vc_merge m;
        vc_words_merge(w, i, &m);
        syn_n += m.kind == VC_MERGE_SYNONYM;
        voc_n += m.kind == VC_MERGE_VOCABULARY;
    }
    TAP_OK(syn_n == 2 && voc_n == 3, "2 synonym and 3 vocabulary merges logged "
           "(got %zu, %zu)", syn_n, voc_n);
    vc_words_free(w);
    vc_counter_free(c);

    char *bad = write_tmp("just a line\n");
    c = vc_counter_new(&o, &err);
    vc_error e2 = {0};
    TAP_OK(!vc_counter_load_synonyms(c, bad, &e2) && e2.status == VC_ERR_DATA &&
           strstr(e2.message, ":1: expected 'variant = canonical'"),
           "a synonyms line without '=' is an error with its line: %s", e2.message);
    vc_counter_free(c);
    unlink(syn);
    unlink(voc);
    unlink(bad);
    free(syn);
    free(voc);
    free(bad);
}

static void test_events(void)
{
    const char *csv = "Event,Word\r\nLeeds,Care\r\nLeeds,care\r\nYork,Care\r\n"
                      "York,Hope\r\n,Care\r\nYork,\r\n";
    vc_count_options o;
    vc_count_options_init(&o);
    o.event_column = "Event";
    o.columns = "Word";
    vc_error err = {0};
    vc_counter *c = counter_with(&o, "e.csv", csv, &err);
    TAP_OK(c != NULL, "event survey counts: %s", err.message);
    if (!c) {
        return;
    }
    TAP_OK(vc_counter_event_count(c) == 3, "three events (blank included)");
    TAP_EQ_STR(vc_counter_event_name(c, 0), "Leeds", "first event");
    TAP_EQ_STR(vc_counter_event_name(c, 1), "York", "second event");
    TAP_EQ_STR(vc_counter_event_name(c, 2), "(no event)", "blank event name");
    char *s = summary(c, "Leeds");
    TAP_EQ_STR(s, "Care:2:chosen", "Leeds alone");
    free(s);
    s = summary(c, "York");
    TAP_EQ_STR(s, "Care:1:chosen;Hope:1:chosen", "York alone");
    free(s);
    s = summary(c, NULL);
    TAP_EQ_STR(s, "Care:4:chosen;Hope:1:chosen", "all events");
    free(s);
    vc_words *w = vc_counter_words(c, "York", &err);
    TAP_OK(w && vc_words_respondents(w) == 2, "York: 2 respondents (the row "
           "without an answer is not one)");
    vc_words_free(w);
    w = vc_counter_words(c, NULL, &err);
    TAP_OK(w && vc_words_respondents(w) == 5, "5 respondents in all");
    vc_words_free(w);
    vc_error e2 = {0};
    TAP_OK(!vc_counter_words(c, "Hull", &e2) && e2.status == VC_ERR_USAGE,
           "an unknown event is an error");
    vc_counter_free(c);
}

/* The library says what is wrong in plain words and names no CLI flag;
 * `option` says which option governs it. */
static void expect_option_error(const vc_count_options *o, const char *name,
                                const char *data, const char *want, vc_option_id option,
                                const char *what)
{
    vc_error err = {0};
    vc_counter *c = counter_with(o, name, data, &err);
    TAP_OK(!c && err.status == VC_ERR_DATA && strstr(err.message, want) &&
               !strstr(err.message, "--") && err.option == option,
           "%s: '%s' about %s (got '%s' about %s)", what, want, vc_option_id_to_string(option),
           err.message, vc_option_id_to_string(err.option));
    vc_counter_free(c);
}

static void expect_error(const vc_count_options *o, const char *name,
                         const char *data, const char *want, const char *what)
{
    expect_option_error(o, name, data, want, VC_OPTION_NONE, what);
}

static void test_limits_and_errors(void)
{
    vc_count_options o;
    vc_count_options_init(&o);
    TAP_OK(o.max_field_bytes == 1048576 && o.max_line_bytes == 1048576 &&
           o.max_entries == 1000000 && o.stopwords && o.header_rows == -1 &&
           o.multi_sep == NULL && o.encoding == NULL, "option defaults");
    o.max_entries = 2;
    expect_option_error(&o, "t.txt", "alpha beta gamma\n",
                 "t.txt:1: more than 2 distinct entries", VC_OPTION_MAX_ENTRIES, "too many entries");
    vc_count_options_init(&o);
    o.max_line_bytes = 16;
    expect_option_error(&o, "t.txt", "short\nthis line is much longer than sixteen\n",
                 "t.txt:2: line longer than 16 bytes", VC_OPTION_MAX_LINE_BYTES, "line too long");
    vc_count_options_init(&o);
    o.max_field_bytes = 8;
    expect_option_error(&o, "s.csv", "Word\n\"a field\nthat goes on and on\"\n",
                 "s.csv:3: field longer than 8 bytes", VC_OPTION_MAX_FIELD_BYTES, "field too long");
    vc_count_options_init(&o);
    expect_error(&o, "q.csv", "A,B\n1,2\n3,\"never\nclosed\n\n",
                 "q.csv:3: a quoted field starting on this line is never closed",
                 "unterminated quote names its first line");
    expect_error(&o, "q.csv", "A,B\n1,\"x\"y\n", "q.csv:2: a quote inside a "
                 "quoted field must be doubled", "stray quote");
    o.columns = "Word 1,\"Best, worst\"";
    expect_option_error(&o, "s.csv", "Word 1,Best worst\nx,y\n",
                 "no column 'Best, worst'; the columns are: "
                 "'Word 1', 'Best worst'", VC_OPTION_COLUMNS, "quoted column name, then missing");
    vc_count_options_init(&o);
    expect_error(&o, "c.tsv", "a\t1\nb\t-2\n", "c.tsv:2: count '-2' is negative",
                 "negative count");
    expect_error(&o, "c.tsv", "a\t1\tmaybe\n", "c.tsv:1: unknown group 'maybe'",
                 "unknown group");
    expect_error(&o, "t.txt", "\xef\xbb\xbf", "t.txt: empty file",
                 "a BOM alone is empty");
    o.encoding = "UTF-8"; /* said, so not guessed */
    expect_error(&o, "t.txt", "ok\n\xc3\x28 bad\n", "t.txt:2: invalid UTF-8 "
                 "(byte 0xC3 at column 1)", "invalid UTF-8 with its place");

    /* A failed input counts nothing; the counter keeps earlier inputs. */
    vc_error err = {0};
    vc_counter *c = counter_with(&o, "a.txt", "kindness\n", &err);
    const char *bad = "hope hope\nhope \xff\n";
    TAP_OK(c && !vc_counter_add_buffer(c, "b.txt", bad, strlen(bad), &err),
           "second input fails");
    char *s = summary(c, NULL);
    TAP_EQ_STR(s, "kindness:1:word", "nothing of the failed input was counted");
    free(s);
    vc_counter_free(c);
}

static void test_survey_dedup(void)
{
    /* MS Forms style: multi-select with ';' and a trailing ';'. */
    const char *csv = "\xef\xbb\xbfID,Start time,Pick,Other\r\n"
                      "1,x,Hope;hope;Care;,\"Care, more care\"\r\n"
                      "2,y,,\r\n";
    vc_count_options o;
    vc_count_options_init(&o);
    o.free_text_columns = "Other";
    vc_error err = {0};
    vc_counter *c = counter_with(&o, "m.csv", csv, &err);
    char *s = summary(c, NULL);
    TAP_EQ_STR(s, "Care:1:both;Hope:1:chosen;more care:1:suggested",
               "all non-metadata columns by default; one vote per respondent "
               "per word, ticked or written in");
    free(s);
    vc_words *w = vc_counter_words(c, NULL, &err);
    TAP_OK(w && vc_words_respondents(w) == 1, "respondent 2 answered nothing");
    vc_words_free(w);
    vc_counter_free(c);
}

/* A word ticked by some and written in by others is one word whose votes
 * are the people who gave it either way; the breakdown stays. */
static void test_chosen_and_suggested(void)
{
    const char *csv = "ID,Pick,Other words\n"
                      "1,Kindness,kindness\n" /* both ways: one person */
                      "2,Kindness,\n"
                      "3,Hope,Kindness\n"
                      "4,Hope,Trust\n";
    vc_count_options o;
    vc_count_options_init(&o);
    o.columns = "Pick";
    o.free_text_columns = "Other words";
    vc_error err = {0};
    vc_counter *c = counter_with(&o, "o.csv", csv, &err);
    vc_words *w = c ? vc_counter_words(c, NULL, &err) : NULL;
    TAP_OK(w && vc_words_size(w) == 3, "Kindness chosen and written in is one word (%s)",
           err.message);
    if (w && vc_words_size(w) == 3) {
        TAP_EQ_STR(vc_words_text(w, 0), "Kindness", "the ticked spelling is shown");
        TAP_OK(vc_words_count(w, 0) == 3, "3 people gave it (got %g)", vc_words_count(w, 0));
        TAP_OK(vc_words_group(w, 0) == VC_GROUP_BOTH, "its group is both");
        TAP_OK(vc_words_group_count(w, 0, VC_GROUP_CHOSEN) == 2 &&
                   vc_words_group_count(w, 0, VC_GROUP_SUGGESTED) == 2,
               "2 chose it and 2 wrote it in");
        TAP_OK(vc_words_group_count(w, 1, VC_GROUP_CHOSEN) == 2 &&
                   vc_words_group_count(w, 1, VC_GROUP_SUGGESTED) == 0,
               "Hope: chosen by 2, suggested by none");
    }
    vc_words_free(w);
    vc_counter_free(c);

    vc_error e2 = {0};
    vc_words *own = vc_words_new(&e2);
    TAP_OK(own && vc_words_add_both(own, "Care", 3, 2, 2, &e2), "add_both: 3 of 2 + 2");
    TAP_OK(!vc_words_add_both(own, "Care", 5, 2, 2, &e2) && e2.status == VC_ERR_USAGE,
           "add_both refuses more people than chose and suggested it: %s", e2.message);
    vc_error_clear(&e2);
    TAP_OK(!vc_words_add(own, "Care", 3, VC_GROUP_BOTH, &e2),
           "vc_words_add refuses a both word without its breakdown");
    vc_words_free(own);
}

static void test_words_api(void)
{
    vc_error err = {0};
    vc_words *w = vc_words_new(&err);
    TAP_OK(w && vc_words_add(w, "b", 2, VC_GROUP_WORD, &err) &&
           vc_words_add(w, "a", 2, VC_GROUP_WORD, &err) &&
           vc_words_add(w, "c", 5, VC_GROUP_CHOSEN, &err), "words added");
    TAP_OK(w && strcmp(vc_words_text(w, 0), "c") == 0 &&
           strcmp(vc_words_text(w, 1), "a") == 0 &&
           strcmp(vc_words_text(w, 2), "b") == 0, "kept sorted by count, then text");
    TAP_OK(!vc_words_add(w, "x", -1, VC_GROUP_WORD, &err) &&
           err.status == VC_ERR_USAGE, "a negative count is refused");
    vc_group g;
    TAP_OK(vc_group_parse("suggested", &g) && g == VC_GROUP_SUGGESTED &&
           !vc_group_parse("other", &g), "group names parse");
    vc_words_free(w);
    vc_words_free(NULL);
    vc_counter_free(NULL);
}

/* Merge kinds are an enum with the report's names, and out of range is
 * "unknown", never a crash. */
static void test_merge_kinds(void)
{
    TAP_EQ_STR(vc_merge_kind_to_string(VC_MERGE_SYNONYM), "synonym", "kind synonym");
    TAP_EQ_STR(vc_merge_kind_to_string(VC_MERGE_VOCABULARY), "vocabulary", "kind vocabulary");
    TAP_EQ_STR(vc_merge_kind_to_string(VC_MERGE_PLURAL), "plural", "kind plural");
    TAP_EQ_STR(vc_merge_kind_to_string(VC_MERGE_KIND_COUNT), "unknown", "kind out of range");
    TAP_EQ_STR(vc_merge_kind_to_string((vc_merge_kind)-1), "unknown", "kind negative");
}

int main(void)
{
    test_merge_kinds();
    test_chosen_and_suggested();
    test_normalise();
    test_tokenize();
    test_parse_count();
    test_detect();
    test_text_counting();
    test_plurals();
    test_synonyms_vocabulary();
    test_events();
    test_limits_and_errors();
    test_survey_dedup();
    test_words_api();
    return tap_done();
}
