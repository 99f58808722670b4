/* font-dir.c - where the bundled fonts are: VOTECLOUD_DATADIR when set,
 * else beside the library file itself (so an installed tree can be moved),
 * else the source tree of an uninstalled build, else the configured install
 * location. */
#define _GNU_SOURCE /* dladdr */
#include "layout/layout.h"

#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static bool has_font(const char *dir, const char *font)
{
    char path[4096];
    struct stat st;
    int n = snprintf(path, sizeof path, "%s/%s", dir, font);
    return n > 0 && (size_t)n < sizeof path && stat(path, &st) == 0;
}

/* The folder of the file this code was loaded from (libvotecloud.so, or a
 * program linked with the engine statically) joined with `rel`, resolved
 * to a plain path ("/opt/vc/share/..." rather than "/opt/vc/bin/../lib/
 * ../../share/..."), as it appears in reports; false when it is missing. */
static bool beside_this_object(const char *rel, char *buf, size_t size)
{
    Dl_info info;
    if (!dladdr((void *)(uintptr_t)beside_this_object, &info) || !info.dli_fname ||
        !strchr(info.dli_fname, '/')) {
        return false;
    }
    const char *slash = strrchr(info.dli_fname, '/');
    char joined[4096];
    int n = snprintf(joined, sizeof joined, "%.*s/%s", (int)(slash - info.dli_fname),
                     info.dli_fname, rel);
    if (n <= 0 || (size_t)n >= sizeof joined) {
        return false;
    }
    char *real = realpath(joined, NULL);
    if (!real) {
        return false;
    }
    bool fits = strlen(real) < size;
    if (fits) {
        memcpy(buf, real, strlen(real) + 1);
    }
    free(real);
    return fits;
}

const char *vc_bundled_font_dir(const char *font, char *buf, size_t size)
{
    const char *datadir = getenv("VOTECLOUD_DATADIR");
    if (datadir && *datadir) {
        int n = snprintf(buf, size, "%s/fonts", datadir);
        if (n > 0 && (size_t)n < size) {
            return buf;
        }
    }
    if (beside_this_object(VC_FONT_DIR_FROM_LIB, buf, size) && has_font(buf, font)) {
        return buf;
    }
    if (has_font(VC_SOURCE_FONT_DIR, font)) {
        return VC_SOURCE_FONT_DIR;
    }
    return VC_INSTALL_FONT_DIR;
}
