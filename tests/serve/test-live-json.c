/* test-live-json.c - vc_layout_json, the layout report in memory that the
 * live server streams: the same bytes vc_layout_write_json writes, for a
 * live snapshot and after an update, with and without a length. */
#include "tap.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <votecloud.h>

static char *read_all(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL) {
        return NULL;
    }
    char *buf = malloc(1 << 20);
    *len = buf ? fread(buf, 1, 1 << 20, f) : 0;
    fclose(f);
    return buf;
}

static void compare(const vc_layout *layout, const char *what)
{
    vc_error err = {0};
    char path[] = "/tmp/vc-live-json-XXXXXX";
    int fd = mkstemp(path);
    TAP_OK(fd >= 0, "%s: a temporary file", what);
    if (fd < 0) {
        return;
    }
    close(fd);
    size_t len = 0, flen = 0;
    char *mem = vc_layout_json(layout, &len, &err);
    bool wrote = vc_layout_write_json(layout, path, &err);
    char *file = wrote ? read_all(path, &flen) : NULL;
    TAP_OK(mem != NULL && len == strlen(mem), "%s: a NUL-terminated report of %zu bytes", what,
           len);
    TAP_OK(file != NULL && mem != NULL && flen == len && memcmp(file, mem, len) == 0,
           "%s: the bytes vc_layout_write_json writes", what);
    char *again = vc_layout_json(layout, NULL, &err);
    TAP_OK(again != NULL && mem != NULL && strcmp(again, mem) == 0,
           "%s: without a length pointer, the same", what);
    free(again);
    free(mem);
    free(file);
    unlink(path);
}

int main(void)
{
    vc_error err = {0};
    vc_render_options ro;
    vc_render_options_init(&ro);
    const char *fontdir = getenv("FONTDIR");
    ro.font_dir = fontdir && *fontdir ? fontdir : NULL;
    vc_live *live = vc_live_new(&ro, &err);
    vc_words *w = vc_words_new(&err);
    const char *texts[] = {"harbour", "ferries", "<b>bold</b>", "caf\xc3\xa9 \"quoted\""};
    for (size_t i = 0; w && i < 4; i++) {
        vc_words_add(w, texts[i], (double)(5 - i), VC_GROUP_SUGGESTED, &err);
    }
    TAP_OK(live && w && vc_live_update(live, w, NULL, &err), "a live layout of four words");
    vc_layout *a = vc_live_snapshot(live, &err);
    TAP_OK(a != NULL, "a snapshot");
    if (a) {
        compare(a, "first frame");
    }
    vc_words_add(w, "lighthouse", 7, VC_GROUP_SUGGESTED, &err);
    vc_layout *b = vc_live_update(live, w, NULL, &err) ? vc_live_snapshot(live, &err) : NULL;
    if (b) {
        compare(b, "after an update");
    }
    TAP_OK(b != NULL, "a second frame");
    vc_layout_free(a);
    vc_layout_free(b);
    vc_words_free(w);
    vc_live_free(live);
    return tap_done();
}
