/* test-table.c - the data tables: rows by votes with dropped words and
 * their reasons, HTML escaping, RFC 4180 quoting, CSV formula injection
 * neutralised, atomic writing by extension. */
#include "layout/layout.h"
#include "layouts.h"
#include "publish/table.h"
#include "tap.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const test_word hostile[] = {
    {"<script>alert(1)</script>", 50, VC_GROUP_CHOSEN, NULL},
    {"=HYPERLINK(\"http://x\",\"y\")", 40, VC_GROUP_CHOSEN, NULL},
    {"+SUM(A1:A2)", 30, VC_GROUP_CHOSEN, NULL},
    {"-1+2", 20, VC_GROUP_SUGGESTED, NULL},
    {"@cmd", 10, VC_GROUP_SUGGESTED, NULL},
    {"\tTAB", 9, VC_GROUP_SUGGESTED, NULL},
    {"A&E \"quoted\", 'single'", 8, VC_GROUP_CHOSEN, "too small: <8 px"},
    {"line\r\nbreak", 7, VC_GROUP_CHOSEN, NULL},
    {"plain", 6, VC_GROUP_CHOSEN, NULL},
};
#define N_HOSTILE (sizeof hostile / sizeof hostile[0])

static size_t count_of(const char *hay, const char *needle)
{
    size_t n = 0;
    for (const char *p = hay; (p = strstr(p, needle)); p += strlen(needle)) {
        n++;
    }
    return n;
}

static void test_html(void)
{
    vc_layout *l = test_layout(survey_words, N_SURVEY, 545);
    l->title = vc_strdup("Staff <survey> & 2025");
    l->question = vc_strdup("Which three words?");
    vc_buf b;
    vc_buf_init(&b);
    TAP_OK(vc_table_html(l, &b), "survey table rendered");
    const char *h = b.data;
    TAP_OK(strncmp(h, "<!DOCTYPE html>\n<html lang=\"en\">", 32) == 0, "standalone page, lang=en");
    TAP_OK(strstr(h, "<title>Staff &lt;survey&gt; &amp; 2025: word cloud data</title>") != NULL,
           "escaped title");
    TAP_OK(strstr(h, "<caption>Staff &lt;survey&gt; &amp; 2025: votes for each word from 545 "
                     "responses to \xE2\x80\x9CWhich three words?\xE2\x80\x9D 10 words, 7 drawn "
                     "in the image, most votes first.</caption>") != NULL, "caption with title, "
           "respondents, question and counts");
    TAP_OK(strstr(h, "<thead><tr><th scope=\"col\">Word</th><th scope=\"col\">Votes</th>"
                     "<th scope=\"col\">Group</th><th scope=\"col\">Status</th></tr></thead>") != NULL,
           "column headers with scope=col");
    TAP_OK(count_of(h, "<tr><th scope=\"row\"") == N_SURVEY, "one row per word, drawn or not");
    const char *a = strstr(h, ">prevention<"), *z = strstr(h, ">hope<"),
               *m = strstr(h, ">compassion<");
    TAP_OK(a && m && z && a < m && m < z, "rows by votes, most first");
    TAP_OK(strstr(h, ">trust</th><td class=\"num\">5</td><td>suggested</td><td>left out: too small: "
                     "would be 6.2 px, below the 8 px minimum</td></tr>") != NULL,
           "a dropped word's row says why");
    TAP_OK(strstr(h, ">prevention</th><td class=\"num\">210</td><td>chosen</td><td>drawn</td>") != NULL,
           "a drawn word's row");
    vc_buf_finish(&b);
    test_layout_free(l);

    const test_word plain[] = {{"a", 2, VC_GROUP_WORD, NULL}, {"b", 1, VC_GROUP_WORD, NULL}};
    l = test_layout(plain, 2, 0);
    vc_buf_init(&b);
    vc_table_html(l, &b);
    TAP_OK(b.data && !strstr(b.data, ">Group<") && strstr(b.data, "<title>Word cloud data</title>") &&
           strstr(b.data, "<caption>votes for each word. 2 words, 2 drawn"),
           "no group column without survey groups; default title and caption");
    vc_buf_finish(&b);
    test_layout_free(l);

    l = test_layout(hostile, N_HOSTILE, 0);
    vc_buf_init(&b);
    vc_table_html(l, &b);
    h = b.data;
    TAP_OK(h && !strstr(h, "<script") && strstr(h, "&lt;script&gt;alert(1)&lt;/script&gt;"),
           "<script> never appears unescaped");
    TAP_OK(h && strstr(h, "A&amp;E &quot;quoted&quot;, &#39;single&#39;") &&
           strstr(h, "left out: too small: &lt;8 px"), "quotes, ampersands and reasons escaped");
    vc_buf_finish(&b);
    test_layout_free(l);
}

static void test_csv(void)
{
    vc_layout *l = test_layout(hostile, N_HOSTILE, 0);
    vc_buf b;
    vc_buf_init(&b);
    TAP_OK(vc_table_csv(l, &b), "csv rendered");
    const char *expected =
        "\xEF\xBB\xBFword,votes,group,status\r\n"
        "<script>alert(1)</script>,50,chosen,drawn\r\n"
        "\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\",40,chosen,drawn\r\n"
        "\"'+SUM(A1:A2)\",30,chosen,drawn\r\n"
        "\"'-1+2\",20,suggested,drawn\r\n"
        "\"'@cmd\",10,suggested,drawn\r\n"
        "\"'\tTAB\",9,suggested,drawn\r\n"
        "\"A&E \"\"quoted\"\", 'single'\",8,chosen,left out: too small: <8 px\r\n"
        "\"line\r\nbreak\",7,chosen,drawn\r\n"
        "plain,6,chosen,drawn\r\n";
    TAP_EQ_STR(b.data, expected, "RFC 4180 quoting; = + - @ TAB start a neutralised cell");
    /* No cell, once unquoted, starts with a formula character. */
    size_t risky = 0;
    for (const char *p = b.data; p && *p; p++) {
        bool cell_start = p == b.data || p[-1] == ',' || p[-1] == '\n';
        if (cell_start) {
            const char *c = *p == '"' ? p + 1 : p;
            risky += strchr("=+-@", *c) && *c;
        }
    }
    TAP_OK(risky == 0, "no cell starts with = + - @");
    vc_buf_finish(&b);
    test_layout_free(l);
}

static void test_write(void)
{
    char dir[] = "/tmp/vc-a11y-XXXXXX";
    TAP_OK(mkdtemp(dir) != NULL, "temp dir");
    char path[256];
    vc_layout *l = test_layout(survey_words, N_SURVEY, 545);
    vc_error err = {0};
    snprintf(path, sizeof path, "%s/t.HTML", dir);
    TAP_OK(vc_layout_write_table(l, path, &err) && access(path, F_OK) == 0,
           "writes .HTML (extension case-insensitive)");
    unlink(path);
    snprintf(path, sizeof path, "%s/t.csv", dir);
    TAP_OK(vc_layout_write_table(l, path, &err), "writes .csv");
    size_t got_len = 0;
    char *got = tap_read_file(path, &got_len);
    TAP_OK(got && got_len > 3 && memcmp(got, "\xEF\xBB\xBFword,", 8) == 0 &&
           count_of(got, "\r\n") == N_SURVEY + 1, "csv file: header and one line per word");
    free(got);
    unlink(path);
    snprintf(path, sizeof path, "%s/t.txt", dir);
    TAP_OK(!vc_layout_write_table(l, path, &err) && err.status == VC_ERR_USAGE &&
           strstr(err.message, "t.txt") && access(path, F_OK) != 0,
           "unknown extension: usage error naming the file, nothing written");
    vc_error_clear(&err);
    snprintf(path, sizeof path, "%s/missing/t.csv", dir);
    TAP_OK(!vc_layout_write_table(l, path, &err) && err.status == VC_ERR_CANTCREAT,
           "missing folder: cannot create (%s)", err.message);
    test_layout_free(l);
    rmdir(dir);
}

int main(void)
{
    test_html();
    test_csv();
    test_write();
    return tap_done();
}
