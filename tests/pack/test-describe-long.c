/* test-describe-long.c - the long description through the library, at its
 * edges: markup in words is escaped in HTML (and kept as typed in text),
 * a right-to-left word is isolated in HTML, unknown merges say so, the
 * date is the caller's, top_n limits the list, a left-out word is named
 * with its reason code, bad options and invalid UTF-8 are refused. */
#include "layout/layout.h"
#include "tap.h"

#include <stdlib.h>
#include <string.h>

static size_t count_of(const char *hay, const char *needle)
{
    size_t n = 0;
    for (const char *s = hay; (s = strstr(s, needle)); s++) {
        n++;
    }
    return n;
}

int main(void)
{
    vc_words *w = vc_words_new(NULL);
    vc_words_add(w, "<b>care & \"respect\"</b>", 30, VC_GROUP_WORD, NULL);
    vc_words_add(w, "\xD8\xB5\xD8\xAD\xD8\xA9", 20, VC_GROUP_WORD, NULL); /* صحة */
    vc_words_add(w, "kindness", 10, VC_GROUP_WORD, NULL);
    vc_words_add(w, "trust", 1, VC_GROUP_WORD, NULL);
    vc_context *ctx = vc_context_new(NULL);
    vc_render_options ro;
    vc_render_options_init(&ro);
    ro.width = 600;
    ro.height = 300;
    ro.max_words = 3; /* "trust" is left out: max-words */
    ro.question = "What matters?";
    vc_error err = {0};
    vc_layout *L = vc_layout_new(ctx, w, &ro, &err);
    TAP_OK(L != NULL, "layout %s", err.message);
    if (!L) {
        return 1;
    }
    vc_description_options d;
    vc_description_options_init(&d);
    d.format = VC_TEXT_HTML;
    d.date = 0;
    char *html = vc_layout_long_description(L, w, &d, &err);
    TAP_OK(html != NULL, "HTML description %s", err.message);
    TAP_OK(html && strstr(html, "&lt;b&gt;care &amp; &quot;respect&quot;&lt;/b&gt;") &&
               !strstr(html, "<b>"),
           "markup in a word is escaped in HTML");
    TAP_OK(html && strstr(html, "<bdi>\xD8\xB5\xD8\xAD\xD8\xA9</bdi>"),
           "a right-to-left word is isolated with <bdi>");
    TAP_OK(html && strstr(html, "1970-01-01") && strstr(html, vc_version()),
           "the caller's date and the library's version");
    TAP_OK(html && strstr(html, "\xE2\x80\x9C<bdi>trust</bdi>\xE2\x80\x9D: 1 vote, beyond the "
                                "number of words asked for (max-words)"),
           "a left-out word named with its reason and code");
    TAP_OK(html && strstr(html, "What matters?</bdi>\xE2\x80\x9D") &&
               !strstr(html, "What matters?</bdi>\xE2\x80\x9D."),
           "the question is quoted, its own question mark not followed by a full stop");
    free(html);

    d.format = VC_TEXT_PLAIN;
    d.top_n = 2;
    char *text = vc_layout_long_description(L, NULL, &d, &err);
    TAP_OK(text && strstr(text, "<b>care & \"respect\"</b>"), "plain text keeps words as typed");
    TAP_OK(text && strstr(text, "The 2 words with the most votes"), "top_n limits the list");
    TAP_OK(text && strstr(text, "not recorded"), "no words given: merges are not recorded");
    TAP_OK(text && count_of(text, "% of votes)") == 2,
           "no respondents known: shares are of votes (%zu)", text ? count_of(text, "% of votes)") : 0);
    free(text);

    d.question = "bad \xC3\x28";
    vc_error e2 = {0};
    TAP_OK(!vc_layout_long_description(L, w, &d, &e2) && e2.status == VC_ERR_DATA,
           "invalid UTF-8 in the question refused: %s", e2.message);
    d.question = NULL;
    d.struct_size = sizeof d + 8;
    vc_error e3 = {0};
    TAP_OK(!vc_layout_long_description(L, w, &d, &e3) && e3.status == VC_ERR_USAGE,
           "an unknown struct_size refused: %s", e3.message);
    vc_layout_free(L);
    vc_context_free(ctx);
    vc_words_free(w);
    printf("1..%d\n", tap_count);
    return tap_failed ? 1 : 0;
}
