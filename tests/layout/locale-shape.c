/* locale-shape.c - the helper of test-locale.sh: adopts the environment's
 * locale as a program that links libvotecloud may (setlocale(LC_ALL, "")),
 * then prints the locale it got, HarfBuzz's default language in it, and the
 * glyphs vc_shape_word gives each word of a list whose glyphs some fonts
 * change by language (OpenType 'locl'): Romanian s and t with cedilla,
 * Catalan l.l, Serbian and Macedonian Cyrillic, and the bundled Bengali and
 * Arabic. */
#include "layout/layout.h"

#include <hb.h>
#include <locale.h>
#include <stdio.h>

static const char *const words[] = {
    "şcoală", "ţară", "ŞŢ", "col·legi", "бгдпт", "ѓ", "বাংলা", "پاکستان", "hello",
};

int main(int argc, char **argv)
{
    const char *got = setlocale(LC_ALL, "");
    printf("locale %s\n", got ? got : "(refused)");
    printf("language %s\n", hb_language_to_string(hb_language_get_default()));
    vc_error err = {0};
    vc_context *ctx = vc_context_new(&err);
    vc_fontset set;
    if (!ctx || !vc_fontset_init(ctx, &set, argc > 1 ? argv[1] : NULL, NULL, &err)) {
        fprintf(stderr, "locale-shape: %s\n", err.message);
        vc_context_free(ctx);
        return 1;
    }
    int status = 0;
    for (size_t k = 0; k < sizeof words / sizeof words[0]; k++) {
        vc_shaped sh = {0};
        if (!vc_shape_word(ctx, &set, words[k], &sh, &err)) {
            fprintf(stderr, "locale-shape: %s: %s\n", words[k], err.message);
            status = 1;
        } else {
            printf("%s:", words[k]);
            for (size_t i = 0; i < sh.n; i++) {
                printf(" %u", sh.glyphs[i].id);
            }
            printf("\n");
        }
        vc_shaped_finish(&sh);
    }
    vc_fontset_finish(&set);
    vc_context_free(ctx);
    return status;
}
