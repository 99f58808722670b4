/* inspect.c - the columns of one input, as the counter sees them, without
 * counting: what `votecloud inspect` prints and the web app shows.  Also
 * the names of the enums that describe inputs. */
#include "count/count.h"

#include <stdlib.h>
#include <string.h>

struct vc_inspection {
    vc_counter *counter; /* owns the copied options the strings point into */
    vc_sheet sheet;
    char *name;
};

const char *vc_format_to_string(vc_format format)
{
    switch (format) {
    case VC_FORMAT_COUNTS: return "counts";
    case VC_FORMAT_SURVEY: return "survey";
    case VC_FORMAT_TEXT: return "text";
    default: return "auto";
    }
}

const char *vc_file_type_to_string(vc_file_type type)
{
    switch (type) {
    case VC_FILE_CSV: return "csv";
    case VC_FILE_TSV: return "tsv";
    case VC_FILE_XLSX: return "xlsx";
    default: return "text";
    }
}

const char *vc_survey_layout_to_string(vc_survey_layout layout)
{
    switch (layout) {
    case VC_LAYOUT_GOOGLE_FORMS: return "google-forms";
    case VC_LAYOUT_MICROSOFT_FORMS: return "microsoft-forms";
    case VC_LAYOUT_SURVEYMONKEY: return "surveymonkey";
    default: return "generic";
    }
}

const char *vc_column_role_to_string(vc_column_role role)
{
    switch (role) {
    case VC_COLUMN_ROLE_MULTI_SELECT: return "multi-select";
    case VC_COLUMN_ROLE_FREE_TEXT: return "free-text";
    case VC_COLUMN_ROLE_METADATA: return "metadata";
    case VC_COLUMN_ROLE_EVENT: return "event";
    default: return "choice";
    }
}

/* The suggestion as CSV lines of headers, as vc_sheet_pick would make it. */
static bool suggest_lists(vc_inspection *in, vc_error *err)
{
    vc_count_options none;
    vc_count_options_init(&none);
    vc_error ignored = {0};
    /* Picking only fills count_as and the lists; "nothing to suggest" is
     * an answer here, not an error. */
    if (!vc_sheet_pick(&in->sheet, &none, in->name, &ignored) &&
        ignored.status == VC_ERR_NOMEM) {
        return vc_fail_nomem(err, in->name);
    }
    return true;
}

static vc_inspection *inspect(const char *path, const char *name,
                              const void *data, size_t len,
                              const vc_count_options *opts, vc_error *err)
{
    vc_inspection *in = calloc(1, sizeof *in);
    if (!in) {
        vc_fail_nomem(err, path ? path : name);
        return NULL;
    }
    vc_count_options o;
    vc_count_options_init(&o);
    if (opts) {
        o = *opts;
    }
    /* Named columns do not change what the columns are. */
    o.columns = o.free_text_columns = NULL;
    o.stopwords = false;
    in->counter = vc_counter_new(&o, err);
    in->name = vc_strdup(path ? path : name ? name : "<buffer>");
    if (!in->counter || !in->name ||
        !vc_counter_inspect(in->counter, path, name, data, len, &in->sheet, err) ||
        (in->sheet.n_cols && !suggest_lists(in, err))) {
        if (!in->name) {
            vc_fail_nomem(err, "inspection");
        }
        vc_inspection_free(in);
        return NULL;
    }
    return in;
}

vc_inspection *vc_inspect_file(const char *path, const vc_count_options *opts,
                               vc_error *err)
{
    return inspect(path, NULL, NULL, 0, opts, err);
}

vc_inspection *vc_inspect_buffer(const char *name, const void *data,
                                 size_t len, const vc_count_options *opts,
                                 vc_error *err)
{
    return inspect(NULL, name ? name : "<buffer>", data, len, opts, err);
}

void vc_inspection_free(vc_inspection *in)
{
    if (!in) {
        return;
    }
    vc_sheet_finish(&in->sheet);
    vc_counter_free(in->counter);
    free(in->name);
    free(in);
}

void vc_inspection_input(const vc_inspection *in, vc_input_info *out)
{
    memset(out, 0, sizeof *out);
    if (!in) {
        return;
    }
    out->name = in->name;
    out->format = in->sheet.info_format;
    out->file_type = in->sheet.info_file_type;
    out->encoding = in->sheet.info_encoding ? in->sheet.info_encoding : "UTF-8";
    out->encoding_guessed = in->sheet.info_guessed;
    out->layout = in->sheet.layout;
    out->auto_columns = in->sheet.auto_columns;
    out->auto_free_text_columns = in->sheet.auto_free;
}

size_t vc_inspection_respondents(const vc_inspection *in)
{
    return in ? in->sheet.respondents : 0;
}

size_t vc_inspection_column_count(const vc_inspection *in)
{
    return in ? in->sheet.n_cols : 0;
}

bool vc_inspection_column(const vc_inspection *in, size_t i, vc_column_info *out)
{
    if (!in || i >= in->sheet.n_cols || !out) {
        return false;
    }
    const vc_column *c = &in->sheet.cols[i];
    out->index = i + 1;
    out->header = c->header;
    out->question = c->question;
    out->role = c->role;
    out->filled = c->filled;
    out->distinct = c->distinct;
    out->n_top = c->n_top;
    out->suggested = c->suggested != VC_COUNT_NONE;
    return true;
}

size_t vc_inspection_nonanswers(const vc_inspection *in, size_t i)
{
    return in && i < in->sheet.n_cols ? in->sheet.cols[i].nonanswers : 0;
}

bool vc_inspection_top(const vc_inspection *in, size_t i, size_t k,
                       const char **value, double *count)
{
    if (!in || i >= in->sheet.n_cols || k >= in->sheet.cols[i].n_top) {
        return false;
    }
    *value = in->sheet.cols[i].top[k];
    *count = in->sheet.cols[i].top_count[k];
    return true;
}
