/* fuzz-batch.c - batch's own error paths, where three memory errors once
 * were (src/cli/batch-*.c): the first byte chooses
 *   0: the input is a manifest, parsed, slugged and checked against an
 *      output folder as `votecloud batch --manifest` does;
 *   1: the input is an argv (lines) for `votecloud batch`, parsed with the
 *      option, style and path checks, then its events gathered and slugged.
 * Nothing is counted or drawn: the engine has its own targets. */
#include "fuzz.h"
#include "batch.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_ARGS 24

static void manifest(const uint8_t *data, size_t size)
{
    batch_events ev = {0};
    vc_error err = {0};
    if (batch_manifest_parse(&ev, "fuzz.csv", "in", (const char *)data, size, &err) &&
        batch_assign_slugs(&ev, &err)) {
        const char *inputs[] = {"in/a.csv", "style.txt"};
        batch_check_paths(&ev, "/nonexistent-vc-fuzz/out", inputs, 2, &err);
        for (size_t i = 0; i < ev.n; i++) {
            if (!ev.v[i].slug || !*ev.v[i].slug || strlen(ev.v[i].slug) > BATCH_SLUG_MAX + 12) {
                __builtin_trap();
            }
        }
    }
    batch_events_free(&ev);
}

static void arguments(const uint8_t *data, size_t size)
{
    char *text = malloc(size + 1);
    if (!text) {
        return;
    }
    memcpy(text, data, size);
    text[size] = '\0';
    char *argv[MAX_ARGS + 2];
    int argc = 0;
    argv[argc++] = (char *)"batch";
    for (char *p = text; argc < MAX_ARGS + 1;) {
        argv[argc++] = p;
        char *nl = strchr(p, '\n');
        if (!nl) {
            break;
        }
        *nl = '\0';
        p = nl + 1;
    }
    argv[argc] = NULL;
    cli_opts o;
    int rc = cli_parse(argc, argv, CLI_BATCH, &o);
    if (rc == 0 && !o.manifest && !o.count.event_column) {
        batch_events ev = {0};
        vc_error err = {0};
        if (batch_events_from_files(&ev, o.inputs, o.n_inputs, &err)) {
            batch_assign_slugs(&ev, &err);
        }
        batch_events_free(&ev);
    }
    cli_opts_free(&o);
    free(text);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0) {
        return 0;
    }
    /* Messages go to stderr; silence them so the fuzzer's log stays useful. */
    FILE *saved = stderr;
    FILE *null = fopen("/dev/null", "w");
    if (null) {
        stderr = null;
    }
    if (data[0] % 2 == 0) {
        manifest(data + 1, size - 1);
    } else {
        arguments(data + 1, size - 1);
    }
    if (null) {
        stderr = saved;
        fclose(null);
    }
    return 0;
}
