/* fuzz-mask.c - the PNG mask loader.  vc_mask_load takes a path, so each
 * input goes through a temporary file in /dev/shm. */
#include "fuzz.h"
#include "layout/layout.h"

#include <stdlib.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *path = fuzz_write_temp(data, size, ".png");
    if (!path) {
        return 0;
    }
    vc_error err = {0};
    vc_mask mask = {0};
    /* A small canvas and a small limit: a big IHDR must be refused before
     * anything is decoded. */
    if (vc_mask_load(path, 120, 80, 4000000, &mask, &err)) {
        if (mask.w != 120 || mask.h != 80 || !mask.inside) {
            __builtin_trap();
        }
        unsigned inside = 0;
        for (int i = 0; i < mask.w * mask.h; i++) {
            inside += mask.inside[i] != 0;
        }
        (void)inside;
    } else if (err.status == VC_OK || err.message[0] == '\0') {
        __builtin_trap();
    }
    vc_mask_finish(&mask);
    unlink(path);
    free(path);
    return 0;
}
