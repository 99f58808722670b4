/* cmd-count.c - `votecloud count`: counting shared with render and batch
 * (cli_count_inputs, cli_report_merges) and the TSV printer.  Output is
 * built in memory and written only when everything succeeded. */
#include "cli.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Loads word lists and counts every input; *failed is the index of the
 * input that failed (SIZE_MAX when none or a word list did). */
static vc_counter *counter_load(const cli_opts *o, const char *const *inputs,
                                size_t n_inputs, size_t *failed, vc_error *err)
{
    *failed = SIZE_MAX;
    vc_counter *counter = vc_counter_new(&o->count, err);
    bool ok = counter != NULL;
    if (ok) {
        vc_counter_set_default_exclusions(counter, !o->no_default_exclusions);
    }
    for (size_t i = 0; ok && i < o->n_exclude_files; i++) {
        ok = vc_counter_load_exclusions(counter, o->exclude_files[i], err);
    }
    for (size_t i = 0; ok && i < o->n_stopword_files; i++) {
        ok = vc_counter_load_stopwords(counter, o->stopword_files[i], err);
    }
    if (ok && o->synonyms) {
        ok = vc_counter_load_synonyms(counter, o->synonyms, err);
    }
    if (ok && o->vocabulary) {
        ok = vc_counter_load_vocabulary(counter, o->vocabulary, err);
    }
    for (size_t i = 0; ok && i < n_inputs; i++) {
        ok = vc_counter_add_file(counter, inputs[i], err);
        *failed = ok ? SIZE_MAX : i;
    }
    if (!ok) {
        vc_counter_free(counter);
        return NULL;
    }
    return counter;
}

vc_counter *cli_counter_load(const cli_opts *o, const char *const *inputs,
                             size_t n_inputs, vc_error *err)
{
    size_t failed;
    return counter_load(o, inputs, n_inputs, &failed, err);
}

vc_counter *cli_count_inputs(const cli_opts *o, const char *const *inputs,
                             size_t n_inputs, int *status)
{
    vc_error err = {0};
    size_t failed;
    vc_counter *counter = counter_load(o, inputs, n_inputs, &failed, &err);
    *status = counter ? 0 : cli_report(&err);
    if (counter) {
        cli_note_inputs(o, counter);
    } else if (err.status == VC_ERR_USAGE && failed != SIZE_MAX && !o->count.columns) {
        cli_list_columns(o, inputs[failed]);
    }
    return counter;
}

/* "2 synonym, 1 plural": merges by kind, in a fixed order. */
static void merge_detail(const vc_words *words, char *detail, size_t size)
{
    static const vc_merge_kind order[] = {VC_MERGE_VOCABULARY, VC_MERGE_SYNONYM,
                                          VC_MERGE_PLURAL};
    size_t by_kind[VC_MERGE_KIND_COUNT] = {0};
    for (size_t i = 0; i < vc_words_merge_count(words); i++) {
        vc_merge m;
        if (!vc_words_merge(words, i, &m)) {
            continue;
        }
        switch (m.kind) {
        case VC_MERGE_SYNONYM:
        case VC_MERGE_VOCABULARY:
        case VC_MERGE_PLURAL: by_kind[m.kind]++; break;
        case VC_MERGE_KIND_COUNT: break;
        }
    }
    detail[0] = '\0';
    size_t used = 0;
    for (size_t k = 0; k < sizeof order / sizeof order[0] && used < size; k++) {
        if (by_kind[order[k]] > 0) {
            used += (size_t)snprintf(detail + used, size - used, "%s%zu %s",
                                     used ? ", " : "", by_kind[order[k]],
                                     vc_merge_kind_to_string(order[k]));
        }
    }
}

/* "left out 7 answers as no answer (n/a 3, none 2, ...)": the total and
 * the most frequent few. */
static void exclusion_detail(const vc_words *words, bool after_merges, char *out,
                             size_t size)
{
    double total = vc_words_excluded_total(words);
    size_t nx = vc_words_exclusion_count(words);
    size_t used = (size_t)snprintf(out, size, "%sleft out %.0f answer%s as no answer (",
                                   after_merges ? "; " : "", total, total == 1 ? "" : "s");
    for (size_t i = 0; i < nx && i < 4 && used < size; i++) {
        vc_exclusion x;
        if (vc_words_exclusion(words, i, &x)) {
            used += (size_t)snprintf(out + used, size - used, "%s'%.40s' %.0f",
                                     i ? ", " : "", x.text, x.count);
        }
    }
    if (used < size) {
        snprintf(out + used, size - used, "%s)", nx > 4 ? ", ..." : "");
    }
}

void cli_report_merges(const cli_opts *o, const vc_words *words)
{
    size_t n = vc_words_merge_count(words);
    size_t nx = vc_words_exclusion_count(words);
    if ((n == 0 && nx == 0) || o->quiet) {
        return;
    }
    char merged[200] = "", excluded[320] = "";
    if (n > 0) {
        char detail[128];
        merge_detail(words, detail, sizeof detail);
        snprintf(merged, sizeof merged, "merged %zu variant%s (%s)", n, n == 1 ? "" : "s",
                 detail);
    }
    if (nx > 0) {
        exclusion_detail(words, n > 0, excluded, sizeof excluded);
    }
    /* One line, escaped: answers are the respondents' bytes.  It names a
     * report this run writes, if any. */
    const char *report = o->report ? o->report : o->pack ? o->pack_paths[CLI_PACK_MERGES_JSON] : NULL;
    if (report) {
        cli_print(stderr, "votecloud: ", "%s%s; details in %s", merged, excluded, report);
    } else {
        cli_print(stderr, "votecloud: ", "%s%s; see --report", merged, excluded);
    }
}

/* Counts without trailing zeros ("12", "2.5"); main() has set the C
 * locale, so the decimal point is always '.'. */
static void put_count(char *out, size_t size, double v)
{
    if (v == floor(v) && fabs(v) < 1e15) {
        snprintf(out, size, "%.0f", v);
        return;
    }
    snprintf(out, size, "%.6f", v);
    char *end = out + strlen(out);
    while (end > out && end[-1] == '0') {
        *--end = '\0';
    }
    if (end > out && end[-1] == '.') {
        end[-1] = '\0';
    }
}

/* A cell a spreadsheet would run as a formula gets one quote in front;
 * the counts reader removes exactly one, so re-counting stays exact. */
static bool needs_quote(const char *s)
{
    while (*s == '\'') {
        s++;
    }
    return *s && strchr("=+-@\t\r", *s) != NULL;
}

typedef struct out_buf {
    char *data;
    size_t len, cap;
    bool failed;
} out_buf;

static void out_append(out_buf *b, const char *s, size_t n)
{
    if (b->failed) {
        return;
    }
    if (b->len + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 4096;
        while (cap < b->len + n + 1) {
            cap *= 2;
        }
        char *p = realloc(b->data, cap);
        if (!p) {
            b->failed = true;
            return;
        }
        b->data = p;
        b->cap = cap;
    }
    memcpy(b->data + b->len, s, n);
    b->len += n;
}

static void out_puts(out_buf *b, const char *s)
{
    out_append(b, s, strlen(s));
}

/* A word both ticked and written in is one row; the breakdown columns
 * (people who chose it, people who suggested it) appear when there is one. */
static bool has_both(const vc_words *words)
{
    for (size_t i = 0; i < vc_words_size(words); i++) {
        if (vc_words_group(words, i) == VC_GROUP_BOTH) {
            return true;
        }
    }
    return false;
}

static void put_number_field(out_buf *b, double v)
{
    char num[64];
    put_count(num, sizeof num, v);
    out_puts(b, "\t");
    out_puts(b, num);
}

static void format_tsv(const vc_words *words, out_buf *b)
{
    bool both = has_both(words);
    out_puts(b, both ? "word\tcount\tgroup\tchosen\tsuggested\n" : "word\tcount\tgroup\n");
    for (size_t i = 0; i < vc_words_size(words); i++) {
        const char *text = vc_words_text(words, i);
        if (needs_quote(text)) {
            out_puts(b, "'");
        }
        out_puts(b, text);
        put_number_field(b, vc_words_count(words, i));
        out_puts(b, "\t");
        out_puts(b, vc_group_name(vc_words_group(words, i)));
        if (both) {
            put_number_field(b, vc_words_group_count(words, i, VC_GROUP_CHOSEN));
            put_number_field(b, vc_words_group_count(words, i, VC_GROUP_SUGGESTED));
        }
        out_puts(b, "\n");
    }
}

/* The counts (to -o, or standard output) and --report, all or nothing
 * (staged.c): a run that fails leaves neither file. */
static int write_files(const cli_opts *o, const out_buf *b, const vc_words *words)
{
    cli_staged st = {.n = 0};
    vc_error err = {0};
    const char *out = o->n_outputs == 1 && strcmp(o->outputs[0], "-") != 0 ? o->outputs[0] : NULL;
    const char *tmp_out = out ? cli_stage(&st, out, &err) : NULL;
    const char *tmp_report =
        o->report && err.status == VC_OK ? cli_stage(&st, o->report, &err) : NULL;
    bool ok = err.status == VC_OK;
    if (ok && tmp_out) {
        ok = vc_file_write_atomic(tmp_out, b->data, b->len, &err);
    } else if (ok) {
        ok = fwrite(b->data, 1, b->len, stdout) == b->len && fflush(stdout) == 0;
        if (!ok) {
            snprintf(err.message, sizeof err.message, "standard output: write error");
            err.status = VC_ERR_IO;
        }
    }
    ok = ok && (!tmp_report || vc_words_write_merge_report(words, tmp_report, &err));
    return cli_staged_end(&st, ok, &err) ? 0 : cli_report(&err);
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
    out_buf b = {NULL, 0, 0, false};
    if (words) {
        format_tsv(words, &b);
        rc = b.failed ? cli_fail(VC_ERR_NOMEM, "out of memory") : 0;
    }
    if (words && rc == 0) {
        cli_report_merges(&o, words);
        cli_writing_begin();
        rc = write_files(&o, &b, words);
        cli_writing_end();
    }
    free(b.data);
    vc_words_free(words);
    vc_counter_free(counter);
    cli_opts_free(&o);
    return rc;
}
