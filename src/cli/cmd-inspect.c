/* cmd-inspect.c - `votecloud inspect`: what each column of a survey holds
 * (the library's detection, printed), and the lines count/render/batch
 * print about how their inputs were read. */
#include "cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

static json_t *column_json(const vc_inspection *in, size_t i)
{
    vc_column_info c;
    vc_inspection_column(in, i, &c);
    json_t *top = json_array();
    for (size_t k = 0; k < c.n_top; k++) {
        const char *v;
        double n;
        vc_inspection_top(in, i, k, &v, &n);
        /* Counts of people are whole numbers: print them so. */
        json_t *count = n == (double)(json_int_t)n ? json_integer((json_int_t)n) : json_real(n);
        json_array_append_new(top, json_pack("[s, o]", v, count));
    }
    return json_pack("{s:I, s:s, s:s, s:I, s:o, s:b}", "index", (json_int_t)c.index,
                     "header", c.header, "role", vc_column_role_to_string(c.role),
                     "distinct", (json_int_t)c.distinct, "top", top,
                     "suggested", c.suggested);
}

/* The contract the web app passes through to the page. */
static int print_json(const vc_inspection *in)
{
    vc_input_info info;
    vc_inspection_input(in, &info);
    json_t *cols = json_array();
    for (size_t i = 0; i < vc_inspection_column_count(in); i++) {
        json_array_append_new(cols, column_json(in, i));
    }
    json_t *root = json_pack(
        "{s:s, s:s, s:s, s:s, s:I, s:o, s:s, s:s}",
        "format", vc_format_to_string(info.format),
        "file_type", vc_file_type_to_string(info.file_type),
        "encoding", info.encoding,
        "layout", vc_survey_layout_to_string(info.layout),
        "respondents", (json_int_t)vc_inspection_respondents(in),
        "columns", cols,
        "suggested_columns", info.auto_columns ? info.auto_columns : "",
        "suggested_free_text_columns",
        info.auto_free_text_columns ? info.auto_free_text_columns : "");
    char *text = root ? json_dumps(root, JSON_COMPACT | JSON_ENSURE_ASCII | JSON_REAL_PRECISION(15)) : NULL;
    json_decref(root);
    if (!text) {
        return cli_fail(VC_ERR_NOMEM, "inspect: out of memory");
    }
    puts(text);
    free(text);
    return fflush(stdout) == 0 ? 0 : cli_fail(VC_ERR_IO, "inspect: cannot write the output");
}

/* One line a column: number, role, distinct answers, header, top answers. */
static void print_columns(FILE *fp, const vc_inspection *in)
{
    for (size_t i = 0; i < vc_inspection_column_count(in); i++) {
        vc_column_info c;
        vc_inspection_column(in, i, &c);
        fprintf(fp, "%3zu  %-12s %5zu  %s%s", c.index, vc_column_role_to_string(c.role),
                c.distinct, cli_safe(c.header), c.suggested ? "  [counted]" : "");
        for (size_t k = 0; k < c.n_top; k++) {
            const char *v;
            double n;
            vc_inspection_top(in, i, k, &v, &n);
            fprintf(fp, "%s%s (%g)", k ? ", " : "  top: ", cli_safe(v), n);
        }
        fputc('\n', fp);
    }
}

static void print_text(const vc_inspection *in)
{
    vc_input_info info;
    vc_inspection_input(in, &info);
    printf("%s: %s, %s, %s, %s, %zu respondents\n", cli_safe(info.name),
           vc_format_to_string(info.format), vc_file_type_to_string(info.file_type),
           info.encoding, vc_survey_layout_to_string(info.layout),
           vc_inspection_respondents(in));
    if (vc_inspection_column_count(in) == 0) {
        return;
    }
    printf("  #  role      distinct  header\n");
    print_columns(stdout, in);
    if (info.auto_columns) {
        printf("counted by default: --columns \"%s\"", cli_safe(info.auto_columns));
        if (info.auto_free_text_columns) {
            printf(" --free-text-columns \"%s\"", cli_safe(info.auto_free_text_columns));
        }
        putchar('\n');
    }
}

static vc_inspection *inspect(const cli_opts *o, const char *input, int *status)
{
    vc_error err = {0};
    vc_inspection *in = vc_inspect_file(input, &o->count, &err);
    *status = in ? 0 : cli_report(&err);
    return in;
}

int cmd_inspect(int argc, char **argv)
{
    cli_opts o;
    int rc = cli_parse(argc, argv, CLI_INSPECT, &o);
    if (rc != 0) {
        cli_opts_free(&o);
        return rc < 0 ? 0 : rc;
    }
    vc_inspection *in = inspect(&o, o.inputs[0], &rc);
    if (in) {
        if (o.json) {
            rc = print_json(in);
        } else {
            print_text(in);
        }
    }
    vc_inspection_free(in);
    cli_opts_free(&o);
    return rc;
}

void cli_note_inputs(const cli_opts *o, const vc_counter *counter)
{
    if (o->quiet) {
        return;
    }
    for (size_t i = 0; i < vc_counter_input_count(counter); i++) {
        vc_input_info info;
        vc_counter_input_info(counter, i, &info);
        if (info.encoding_guessed) {
            fprintf(stderr, "votecloud: %s is not UTF-8; read it as Windows-1252 "
                    "(say otherwise with --encoding)\n", cli_safe(info.name));
        }
        if (info.auto_columns || info.auto_free_text_columns) {
            fprintf(stderr, "votecloud: %s: counting", cli_safe(info.name));
            if (info.auto_columns) {
                fprintf(stderr, " --columns \"%s\"", cli_safe(info.auto_columns));
            }
            if (info.auto_free_text_columns) {
                fprintf(stderr, " --free-text-columns \"%s\"",
                        cli_safe(info.auto_free_text_columns));
            }
            fputs(" (none named)\n", stderr);
        }
    }
}

void cli_list_columns(const cli_opts *o, const char *input)
{
    /* Only when the input read well and no question could be chosen: any
     * other failure was reported already. */
    vc_error err = {0};
    vc_inspection *in = vc_inspect_file(input, &o->count, &err);
    vc_input_info info;
    vc_inspection_input(in, &info);
    if (!in || info.auto_columns || vc_inspection_column_count(in) == 0) {
        vc_inspection_free(in);
        return;
    }
    fprintf(stderr, "the columns of %s (name the question's with --columns, "
            "free text with --free-text-columns):\n", cli_safe(input));
    print_columns(stderr, in);
    /* A ready line: every question that could be the one, to trim. */
    const char *last = NULL;
    bool any = false;
    fputs("for example: --columns \"", stderr);
    for (size_t i = 0; i < vc_inspection_column_count(in); i++) {
        vc_column_info c;
        vc_inspection_column(in, i, &c);
        bool answer = c.role == VC_COLUMN_ROLE_CHOICE || c.role == VC_COLUMN_ROLE_MULTI_SELECT;
        if (!answer || c.filled == 0 || (last && strcmp(last, c.question) == 0)) {
            continue;
        }
        bool quote = strchr(c.question, ',') != NULL;
        fprintf(stderr, "%s%s%s%s", any ? "," : "", quote ? "\"\"" : "",
                cli_safe(c.question), quote ? "\"\"" : "");
        last = c.question;
        any = true;
    }
    fputs("\"\n", stderr);
    vc_inspection_free(in);
}
