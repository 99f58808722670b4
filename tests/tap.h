/* tap.h - a tiny TAP producer for meson's `protocol: 'tap'` tests. */
#ifndef VC_TAP_H
#define VC_TAP_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int tap_count;
static int tap_failed;

#define TAP_OK(cond, ...)                                                    \
    do {                                                                     \
        int tap_ok_ = (cond) ? 1 : 0;                                        \
        tap_count++;                                                         \
        if (!tap_ok_) {                                                      \
            tap_failed++;                                                    \
        }                                                                    \
        printf("%s %d - ", tap_ok_ ? "ok" : "not ok", tap_count);            \
        printf(__VA_ARGS__);                                                 \
        printf("\n");                                                        \
        if (!tap_ok_) {                                                      \
            printf("# failed at %s:%d: %s\n", __FILE__, __LINE__, #cond);    \
        }                                                                    \
    } while (0)

#define TAP_EQ_STR(a, b, ...)                                                \
    do {                                                                     \
        const char *tap_a_ = (a), *tap_b_ = (b);                             \
        int tap_same_ = tap_a_ && tap_b_ && strcmp(tap_a_, tap_b_) == 0;     \
        TAP_OK(tap_same_, __VA_ARGS__);                                      \
        if (!tap_same_) {                                                    \
            printf("#   got:      '%s'\n#   expected: '%s'\n",               \
                   tap_a_ ? tap_a_ : "(null)", tap_b_ ? tap_b_ : "(null)");  \
        }                                                                    \
    } while (0)

/* The whole file at `path`, NUL-terminated (caller frees), its size in
 * *len when `len` is not NULL; NULL when it cannot be read. */
static inline char *tap_read_file(const char *path, size_t *len)
{
    FILE *fp = fopen(path, "rb");
    if (!fp) {
        return NULL;
    }
    char *data = NULL;
    size_t n = 0, cap = 0;
    for (;;) {
        if (cap - n < 65536) {
            char *grown = realloc(data, cap + 65536 + 1);
            if (!grown) {
                free(data);
                fclose(fp);
                return NULL;
            }
            data = grown;
            cap += 65536;
        }
        size_t got = fread(data + n, 1, cap - n, fp);
        n += got;
        if (got == 0) {
            break;
        }
    }
    int bad = ferror(fp);
    fclose(fp);
    if (bad) {
        free(data);
        return NULL;
    }
    data[n] = '\0';
    if (len) {
        *len = n;
    }
    return data;
}

static inline int tap_done(void)
{
    printf("1..%d\n", tap_count);
    return tap_failed ? 1 : 0;
}

#endif
