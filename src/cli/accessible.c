/* accessible.c - the accessible companions of an image: --alt-text FILE
 * (the plain-language description, one line) and every --table FILE
 * (.html or .csv), written next to the images by render and batch. */
#include "cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int write_alt_text(const char *path, const vc_layout *layout)
{
    char *alt = vc_layout_alt_text(layout);
    if (!alt) {
        return cli_fail(VC_ERR_NOMEM, "%s: out of memory writing the alt text",
                        path);
    }
    size_t len = strlen(alt);
    int status = 0;
    if (strcmp(path, "-") == 0) {
        if (printf("%s\n", alt) < 0 || fflush(stdout) != 0) {
            status = cli_fail(VC_ERR_IO, "<stdout>: cannot write the alt text");
        }
        free(alt);
        return status;
    }
    char *line = malloc(len + 2);
    if (!line) {
        free(alt);
        return cli_fail(VC_ERR_NOMEM, "%s: out of memory writing the alt text",
                        path);
    }
    memcpy(line, alt, len);
    line[len] = '\n';
    line[len + 1] = '\0';
    vc_error err = {0};
    if (!vc_file_write_atomic(path, line, len + 1, &err)) {
        status = cli_report(&err);
    }
    free(line);
    free(alt);
    return status;
}

int cli_write_accessibility(const cli_opts *o, const vc_layout *layout)
{
    if (o->alt_text) {
        int status = write_alt_text(o->alt_text, layout);
        if (status) {
            return status;
        }
    }
    for (size_t i = 0; i < o->n_tables; i++) {
        vc_error err = {0};
        if (!vc_layout_write_table(layout, o->tables[i], &err)) {
            return cli_report(&err);
        }
    }
    return 0;
}
