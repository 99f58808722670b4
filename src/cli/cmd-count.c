/* cmd-count.c - `votecloud count`: counting shared with render and batch,
 * and the TSV printer.  STUB: the counting stage fills this in. */
#include "cli.h"

#include <stdio.h>
#include <stdlib.h>

vc_counter *cli_count_inputs(const cli_opts *o, const char *const *inputs,
                             size_t n_inputs, int *status)
{
    vc_error err = {0};
    vc_counter *counter = vc_counter_new(&o->count, &err);
    bool ok = counter != NULL;
    for (size_t i = 0; ok && i < o->n_stopword_files; i++) {
        ok = vc_counter_load_stopwords(counter, o->stopword_files[i], &err);
    }
    if (ok && o->synonyms) {
        ok = vc_counter_load_synonyms(counter, o->synonyms, &err);
    }
    if (ok && o->vocabulary) {
        ok = vc_counter_load_vocabulary(counter, o->vocabulary, &err);
    }
    for (size_t i = 0; ok && i < n_inputs; i++) {
        ok = vc_counter_add_file(counter, inputs[i], &err);
    }
    if (!ok) {
        *status = cli_report(&err);
        vc_counter_free(counter);
        return NULL;
    }
    *status = 0;
    return counter;
}

int cli_report_merges(const cli_opts *o, const vc_words *words)
{
    (void)o;
    (void)words;
    return 0;
}

int cmd_count(int argc, char **argv)
{
    cli_opts o;
    int rc = cli_parse(argc, argv, CLI_COUNT, &o);
    if (rc) {
        cli_opts_free(&o);
        return rc < 0 ? 0 : rc;
    }
    vc_counter *counter = cli_count_inputs(&o, o.inputs, o.n_inputs, &rc);
    vc_words *words = NULL;
    if (counter) {
        vc_error err = {0};
        words = vc_counter_words(counter, NULL, &err);
        if (!words) {
            rc = cli_report(&err);
        }
    }
    if (words) {
        printf("word\tcount\tgroup\n");
        for (size_t i = 0; i < vc_words_size(words); i++) {
            printf("%s\t%g\t%s\n", vc_words_text(words, i), vc_words_count(words, i),
                   vc_group_name(vc_words_group(words, i)));
        }
    }
    vc_words_free(words);
    vc_counter_free(counter);
    cli_opts_free(&o);
    return rc;
}
