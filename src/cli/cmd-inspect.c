/* cmd-inspect.c - `votecloud inspect`: what each column of a survey holds
 * (the library's detection, printed), and the lines count/render/batch
 * print about how their inputs were read. */
#include "cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <stdarg.h>

/* A line of data for people: formatted, then written with control and
 * bidi characters escaped (term.c), so a header cannot steer the terminal. */
static void put_line(FILE *fp, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void put_line(FILE *fp, const char *fmt, ...)
{
    char *line = NULL;
    size_t len = 0;
    FILE *m = open_memstream(&line, &len);
    if (!m) {
        return;
    }
    va_list ap;
    va_start(ap, fmt);
    vfprintf(m, fmt, ap);
    va_end(ap);
    if (fclose(m) == 0 && line) {
        cli_put_escaped(fp, line);
        fputc('\n', fp);
    }
    free(line);
}

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
    return json_pack("{s:I, s:s, s:s, s:I, s:I, s:o, s:b}", "index", (json_int_t)c.index,
                     "header", c.header, "role", vc_column_role_to_string(c.role),
                     "distinct", (json_int_t)c.distinct,
                     "nonanswers", (json_int_t)vc_inspection_nonanswers(in, i), "top", top,
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
    puts(text); /* a write error is main's to report */
    free(text);
    return 0;
}

/* One line a column: number, role, distinct answers, header, top answers. */
static void print_columns(FILE *fp, const vc_inspection *in)
{
    for (size_t i = 0; i < vc_inspection_column_count(in); i++) {
        vc_column_info c;
        vc_inspection_column(in, i, &c);
        char *top = NULL;
        size_t top_len = 0;
        FILE *t = open_memstream(&top, &top_len);
        size_t na = vc_inspection_nonanswers(in, i);
        if (t && na) {
            fprintf(t, "  non-answers: %zu", na);
        }
        for (size_t k = 0; t && k < c.n_top; k++) {
            const char *v;
            double n;
            vc_inspection_top(in, i, k, &v, &n);
            fprintf(t, "%s%s (%g)", k ? ", " : "  top: ", v, n);
        }
        if (t) {
            fclose(t);
        }
        put_line(fp, "%3zu  %-12s %5zu  %s%s%s", c.index, vc_column_role_to_string(c.role),
                 c.distinct, c.header, c.suggested ? "  [counted]" : "", top ? top : "");
        free(top);
    }
}

/* " --flag VALUE" with VALUE as one shell word, so the line can be pasted:
 * in double quotes, or in single quotes when it holds a character double
 * quotes would not keep (a CSV-quoted header has '"'). */
static void put_option(FILE *fp, const char *flag, const char *value)
{
    if (!strpbrk(value, "\"$`\\!")) {
        fprintf(fp, " --%s \"%s\"", flag, value);
        return;
    }
    fprintf(fp, " --%s '", flag);
    for (const char *p = value; *p; p++) {
        if (*p == '\'') {
            fputs("'\\'", fp); /* close, a quoted ', reopen */
        }
        fputc(*p, fp);
    }
    fputc('\'', fp);
}

/* The options that count `cols` and `free_text` (CSV lines of headers,
 * either NULL), for a line of data.  Caller frees; NULL when out of memory. */
static char *counting_options(const char *cols, const char *free_text)
{
    char *text = NULL;
    size_t len = 0;
    FILE *m = open_memstream(&text, &len);
    if (!m) {
        return NULL;
    }
    if (cols) {
        put_option(m, "columns", cols);
    }
    if (free_text) {
        put_option(m, "free-text-columns", free_text);
    }
    if (fclose(m) != 0) {
        free(text);
        return NULL;
    }
    return text;
}

static void print_text(const vc_inspection *in)
{
    vc_input_info info;
    vc_inspection_input(in, &info);
    put_line(stdout, "%s: %s, %s, %s, %s, %zu respondents", info.name,
             vc_format_to_string(info.format), vc_file_type_to_string(info.file_type),
             info.encoding, vc_survey_layout_to_string(info.layout),
             vc_inspection_respondents(in));
    if (vc_inspection_column_count(in) == 0) {
        return;
    }
    printf("  #  role      distinct  header\n");
    print_columns(stdout, in);
    if (info.auto_columns) {
        char *opts = counting_options(info.auto_columns, info.auto_free_text_columns);
        put_line(stdout, "counted by default:%s", opts ? opts : " (out of memory)");
        free(opts);
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
            cli_print(stderr, "votecloud: ", "%s is not UTF-8; read it as Windows-1252 "
                      "(say otherwise with --encoding)", info.name);
        }
        if (info.auto_columns || info.auto_free_text_columns) {
            char *opts = counting_options(info.auto_columns, info.auto_free_text_columns);
            cli_print(stderr, "votecloud: ", "%s: counting%s (none named)", info.name,
                      opts ? opts : " the suggested columns");
            free(opts);
        }
    }
    size_t chars = 0, answers = vc_counter_cleaned_answers(counter, &chars);
    if (answers > 0) {
        cli_print(stderr, "votecloud: ", "warning: removed %zu invisible or control character%s "
                  "(controls, zero-width or bidi marks, noncharacters, stacked marks) from %zu "
                  "answer%s", chars, chars == 1 ? "" : "s", answers, answers == 1 ? "" : "s");
    }
}

/* One field of a column list as --columns reads it (CSV). */
static void put_list_field(FILE *fp, const char *field)
{
    if (!strpbrk(field, ",\"\r\n")) {
        fputs(field, fp);
        return;
    }
    fputc('"', fp);
    for (const char *p = field; *p; p++) {
        if (*p == '"') {
            fputc('"', fp);
        }
        fputc(*p, fp);
    }
    fputc('"', fp);
}

/* The questions of the columns holding answers (choices, or with
 * `free_text` written answers), as a column list; NULL when there are
 * none (or no memory).  Caller frees. */
static char *question_list(const vc_inspection *in, bool free_text)
{
    char *list = NULL;
    size_t len = 0;
    FILE *m = open_memstream(&list, &len);
    if (!m) {
        return NULL;
    }
    const char *last = NULL;
    bool any = false;
    for (size_t i = 0; i < vc_inspection_column_count(in); i++) {
        vc_column_info c;
        vc_inspection_column(in, i, &c);
        bool answer = free_text ? c.role == VC_COLUMN_ROLE_FREE_TEXT
                                : c.role == VC_COLUMN_ROLE_CHOICE ||
                                      c.role == VC_COLUMN_ROLE_MULTI_SELECT;
        /* By number when the header is blank or reads as one ("2"). */
        const char *digits = c.question + (c.question[0] == '#');
        bool named = c.question[strspn(c.question, " \t")] != '\0' &&
                     !(*digits && digits[strspn(digits, "0123456789")] == '\0');
        if (!answer || c.filled == 0 || (named && last && strcmp(last, c.question) == 0)) {
            continue;
        }
        fputs(any ? "," : "", m);
        if (named) {
            put_list_field(m, c.question);
        } else {
            fprintf(m, "#%zu", c.index);
        }
        last = c.question;
        any = true;
    }
    if (fclose(m) != 0 || !any) {
        free(list);
        return NULL;
    }
    return list;
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
    put_line(stderr, "the columns of %s (name the question's with --columns, "
             "free text with --free-text-columns):", input);
    print_columns(stderr, in);
    /* A ready line: every question that could be the one, to trim; free
     * text when no column holds choices. */
    char *cols = question_list(in, false);
    char *free_text = cols ? NULL : question_list(in, true);
    char *opts = cols || free_text ? counting_options(cols, free_text) : NULL;
    if (opts) {
        put_line(stderr, "for example:%s", opts);
    }
    free(opts);
    free(cols);
    free(free_text);
    vc_inspection_free(in);
}
