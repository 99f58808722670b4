/* helpers.h - shared by the render tests: a context with the bundled
 * fonts, and hb-shape as the reference shaper when it is installed. */
#ifndef VC_RENDER_TEST_HELPERS_H
#define VC_RENDER_TEST_HELPERS_H

#include "render/render.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char test_dir[64];

static inline void remove_test_dir(void)
{
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", test_dir);
    if (system(cmd) != 0) {
        fprintf(stderr, "# could not remove %s\n", test_dir);
    }
}

static inline const char *font_dir(void)
{
    const char *dir = getenv("FONTDIR");
    return dir ? dir : VC_TEST_FONT_DIR;
}

/* The path of a bundled font, in a static buffer (tests only). */
static inline const char *font_path(const char *name)
{
    static char path[4096];
    snprintf(path, sizeof path, "%s/%s", font_dir(), name);
    return path;
}

/* Moves the test into its own temporary directory, removed at exit, so
 * the files it writes are never left where it was started (the source
 * tree, when run by hand).  Font paths are absolute (VC_TEST_FONT_DIR). */
static inline void enter_test_dir(void)
{
    snprintf(test_dir, sizeof test_dir, "%s", "/tmp/vc-render-test-XXXXXX");
    if (!mkdtemp(test_dir) || chdir(test_dir) != 0) {
        perror(test_dir);
        exit(99);
    }
    atexit(remove_test_dir);
}

static inline bool have_program(const char *name)
{
    char cmd[256];
    snprintf(cmd, sizeof cmd, "command -v %s >/dev/null 2>&1", name);
    return system(cmd) == 0;
}

/* Runs `hb-shape --no-glyph-names` and parses "[gid=c+adv|gid=c@x,y+adv]"
 * into gids, x offsets and advances.  Returns the glyph count, or -1 when
 * hb-shape is missing or fails. */
static inline int hb_shape_ref(const char *font, const char *text,
                               unsigned *gids, int *advances, int max)
{
    if (!have_program("hb-shape")) {
        return -1;
    }
    char cmd[8192];
    snprintf(cmd, sizeof cmd, "hb-shape --no-glyph-names '%s' '%s'", font,
             text);
    FILE *p = popen(cmd, "r");
    if (!p) {
        return -1;
    }
    char line[8192];
    int n = 0;
    if (fgets(line, sizeof line, p)) {
        for (char *s = strchr(line, '['); s && *s && *s != ']' && n < max;) {
            s++;
            unsigned gid = (unsigned)strtoul(s, &s, 10);
            int adv = 0;
            while (*s && *s != '|' && *s != ']') {
                if (*s == '+') {
                    adv = (int)strtol(s + 1, &s, 10);
                } else {
                    s++;
                }
            }
            gids[n] = gid;
            advances[n] = adv;
            n++;
        }
    }
    return pclose(p) == 0 ? n : -1;
}

#endif
