/* test-parse.c - cli_parse run several times in one process (as the fuzzer
 * and any future in-process caller do) starts afresh each time: a parse
 * refused in the middle of a cluster of short options ("-qZq") leaves
 * nothing that the next parse reads, even when the first argv is freed. */
#include "cli.h"
#include "tap.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Parses `text` (arguments one per line, cut in place) as `votecloud
 * render`; returns cli_parse's status. */
static int parse_lines(char *text, cli_opts *o)
{
    char *argv[16];
    int argc = 0;
    argv[argc++] = (char *)"render";
    for (char *p = text; p && argc < 15;) {
        argv[argc++] = p;
        p = strchr(p, '\n');
        if (p) {
            *p++ = '\0';
        }
    }
    argv[argc] = NULL;
    return cli_parse(argc, argv, CLI_RENDER, o);
}

int main(void)
{
    FILE *saved = stderr;
    stderr = fopen("/dev/null", "w");
    /* Refused at Z, with a 'q' after it in the cluster; then the
     * arguments are overwritten and freed, as a caller may. */
    cli_opts a;
    char *first = strdup("in.tsv\n-qZq");
    int rc1 = parse_lines(first, &a);
    cli_opts_free(&a);
    memset(first, 'o', 11);
    free(first);
    cli_opts b;
    char *second = strdup("votes.tsv\n-o\ncloud.png");
    int rc2 = parse_lines(second, &b);
    fclose(stderr);
    stderr = saved;
    TAP_OK(rc1 == VC_ERR_USAGE, "'-qZq' is refused at Z (%d)", rc1);
    TAP_OK(rc2 == 0 && b.n_inputs == 1 && strcmp(b.inputs[0], "votes.tsv") == 0 &&
               b.n_outputs == 1 && strcmp(b.outputs[0], "cloud.png") == 0 && !b.quiet,
           "the next parse reads only its own arguments (%d, %zu inputs, %zu outputs, quiet %d)",
           rc2, b.n_inputs, b.n_outputs, b.quiet);
    cli_opts_free(&b);
    free(second);
    return tap_done();
}
