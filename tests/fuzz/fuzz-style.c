/* fuzz-style.c - the --style house-style file, through cli_parse as the
 * CLI sees it (style.c and options.c are compiled into this target). */
#include "fuzz.h"
#include "cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *path = fuzz_write_temp(data, size, ".style");
    if (!path) {
        return 0;
    }
    char a0[] = "render", a1[] = "--style", a3[] = "votes.csv", a4[] = "-o",
         a5[] = "cloud.png";
    char *argv[] = {a0, a1, path, a3, a4, a5, NULL};
    cli_opts o;
    /* Errors go to stderr; silence them so the fuzzer's log stays useful. */
    FILE *saved = stderr;
    FILE *null = fopen("/dev/null", "w");
    if (null) {
        stderr = null;
    }
    int rc = cli_parse(6, argv, CLI_RENDER, &o);
    if (null) {
        stderr = saved;
        fclose(null);
    }
    if (rc == 0 && (o.n_inputs != 1 || o.n_outputs != 1)) {
        __builtin_trap();
    }
    cli_opts_free(&o);
    unlink(path);
    free(path);
    return 0;
}
