/* words.c - the vc_words list: entries sorted by count, respondents, the
 * log of merges that were not exact matches, and its JSON report.
 *
 * Why jansson: the merge report holds arbitrary user text; jansson escapes
 * it correctly as UTF-8 JSON, which hand-written printf code tends not to. */
#include "core/core.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

const char *vc_group_name(vc_group group)
{
    switch (group) {
    case VC_GROUP_CHOSEN: return "chosen";
    case VC_GROUP_SUGGESTED: return "suggested";
    case VC_GROUP_BOTH: return "both";
    default: return "word";
    }
}

bool vc_group_parse(const char *name, vc_group *out)
{
    static const vc_group groups[] = {VC_GROUP_WORD, VC_GROUP_CHOSEN,
                                      VC_GROUP_SUGGESTED, VC_GROUP_BOTH};
    for (size_t i = 0; name && i < sizeof groups / sizeof groups[0]; i++) {
        if (strcmp(name, vc_group_name(groups[i])) == 0) {
            *out = groups[i];
            return true;
        }
    }
    return false;
}

vc_words *vc_words_new(vc_error *err)
{
    vc_words *w = calloc(1, sizeof *w);
    if (!w) {
        vc_fail_nomem(err, "words");
    }
    return w;
}

void vc_words_free(vc_words *w)
{
    if (!w) {
        return;
    }
    for (size_t i = 0; i < w->n; i++) {
        free(w->items[i].text);
    }
    for (size_t i = 0; i < w->n_merges; i++) {
        free(w->merges[i].from);
        free(w->merges[i].into);
    }
    for (size_t i = 0; i < w->n_excluded; i++) {
        free(w->excluded[i].text);
    }
    free(w->items);
    free(w->merges);
    free(w->excluded);
    free(w);
}

static int compare(const struct vc_word *a, const struct vc_word *b)
{
    if (a->count != b->count) {
        return a->count > b->count ? -1 : 1;
    }
    int c = strcmp(a->text, b->text);
    if (c != 0) {
        return c;
    }
    return (a->group > b->group) - (a->group < b->group);
}

static int compare_qsort(const void *a, const void *b)
{
    return compare(a, b);
}

/* Most first, then by text: the order the report lists them. */
static int cmp_excluded(const void *pa, const void *pb)
{
    const struct vc_word *a = pa, *b = pb;
    if (a->count != b->count) {
        return a->count > b->count ? -1 : 1;
    }
    return strcmp(a->text, b->text);
}

void vc_words_sort(vc_words *w)
{
    if (w->n > 1) {
        qsort(w->items, w->n, sizeof *w->items, compare_qsort);
    }
    if (w->n_excluded > 1) {
        qsort(w->excluded, w->n_excluded, sizeof *w->excluded, cmp_excluded);
    }
}

/* Inserts `item` (text owned by the list from here on) where it keeps the
 * list sorted. */
static bool insert_sorted(vc_words *w, struct vc_word item, vc_error *err)
{
    if (!item.text || !vc_grow((void **)&w->items, &w->cap, w->n + 1, sizeof *w->items)) {
        free(item.text);
        return vc_fail_nomem(err, "words");
    }
    /* Binary search for the insertion point keeps the list sorted. */
    size_t lo = 0, hi = w->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (compare(&w->items[mid], &item) <= 0) {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    memmove(&w->items[lo + 1], &w->items[lo], (w->n - lo) * sizeof *w->items);
    w->items[lo] = item;
    w->n++;
    return true;
}

static bool check_count(const char *text, double count, vc_error *err)
{
    if (!isfinite(count) || count < 0 || count > VC_MAX_COUNT) {
        return vc_fail(err, VC_ERR_USAGE, "words: '%s': the count must be a "
                       "number from 0 to %g", text, VC_MAX_COUNT);
    }
    return true;
}

bool vc_words_add(vc_words *w, const char *text, double count,
                  vc_group group, vc_error *err)
{
    if (!text || !*text) {
        return vc_fail(err, VC_ERR_USAGE, "words: an entry needs a text");
    }
    if (!check_count(text, count, err)) {
        return false;
    }
    if (group > VC_GROUP_SUGGESTED) {
        return vc_fail(err, VC_ERR_USAGE, "words: '%s': unknown group (a word both "
                       "chosen and suggested is added with vc_words_add_both)", text);
    }
    struct vc_word item = {vc_strdup(text), count, group, 0, 0};
    item.chosen = group == VC_GROUP_CHOSEN ? count : 0;
    item.suggested = group == VC_GROUP_SUGGESTED ? count : 0;
    return insert_sorted(w, item, err);
}

bool vc_words_add_both(vc_words *w, const char *text, double count, double chosen,
                       double suggested, vc_error *err)
{
    if (!text || !*text) {
        return vc_fail(err, VC_ERR_USAGE, "words: an entry needs a text");
    }
    if (!check_count(text, count, err) || !check_count(text, chosen, err) ||
        !check_count(text, suggested, err)) {
        return false;
    }
    if (count < chosen || count < suggested || count > chosen + suggested) {
        return vc_fail(err, VC_ERR_USAGE, "words: '%s': %g people cannot be %g who chose it "
                       "and %g who suggested it", text, count, chosen, suggested);
    }
    struct vc_word item = {vc_strdup(text), count, VC_GROUP_BOTH, chosen, suggested};
    return insert_sorted(w, item, err);
}

double vc_words_group_count(const vc_words *w, size_t i, vc_group group)
{
    if (!w || i >= w->n) {
        return 0;
    }
    return vc_word_group_count(&w->items[i], group);
}

double vc_word_group_count(const struct vc_word *item, vc_group group)
{
    switch (group) {
    case VC_GROUP_CHOSEN: return item->chosen;
    case VC_GROUP_SUGGESTED: return item->suggested;
    default: return item->group == group ? item->count : 0;
    }
}

size_t vc_words_size(const vc_words *w)
{
    return w ? w->n : 0;
}

const char *vc_words_text(const vc_words *w, size_t i)
{
    return w && i < w->n ? w->items[i].text : NULL;
}

double vc_words_count(const vc_words *w, size_t i)
{
    return w && i < w->n ? w->items[i].count : 0;
}

vc_group vc_words_group(const vc_words *w, size_t i)
{
    return w && i < w->n ? w->items[i].group : VC_GROUP_WORD;
}

size_t vc_words_respondents(const vc_words *w)
{
    return w ? w->respondents : 0;
}

size_t vc_words_merge_count(const vc_words *w)
{
    return w ? w->n_merges : 0;
}

bool vc_words_add_exclusion(vc_words *w, const char *text, double count, vc_error *err)
{
    if (!vc_grow((void **)&w->excluded, &w->cap_excluded, w->n_excluded + 1,
                 sizeof *w->excluded)) {
        return vc_fail_nomem(err, "exclusions");
    }
    struct vc_word *x = &w->excluded[w->n_excluded];
    x->text = vc_strdup(text);
    x->count = count;
    x->group = VC_GROUP_WORD;
    if (!x->text) {
        return vc_fail_nomem(err, "exclusions");
    }
    w->n_excluded++;
    return true;
}

size_t vc_words_exclusion_count(const vc_words *w)
{
    return w ? w->n_excluded : 0;
}

bool vc_words_exclusion(const vc_words *w, size_t i, vc_exclusion *out)
{
    if (!w || i >= w->n_excluded || !out) {
        return false;
    }
    out->text = w->excluded[i].text;
    out->count = w->excluded[i].count;
    return true;
}

double vc_words_excluded_total(const vc_words *w)
{
    double t = 0;
    for (size_t i = 0; w && i < w->n_excluded; i++) {
        t += w->excluded[i].count;
    }
    return t;
}

const char *vc_merge_kind_to_string(vc_merge_kind kind)
{
    switch (kind) {
    case VC_MERGE_SYNONYM: return "synonym";
    case VC_MERGE_VOCABULARY: return "vocabulary";
    case VC_MERGE_PLURAL: return "plural";
    case VC_MERGE_KIND_COUNT: break;
    }
    return "unknown";
}

bool vc_words_merge(const vc_words *w, size_t i, vc_merge *out)
{
    if (!w || i >= w->n_merges) {
        return false;
    }
    const struct vc_merge_rec *m = &w->merges[i];
    out->from = m->from;
    out->into = m->into;
    out->kind = m->kind;
    out->count = m->count;
    return true;
}

bool vc_words_add_merge(vc_words *w, const char *from, const char *into,
                        vc_merge_kind kind, double count, vc_error *err)
{
    if (!vc_grow((void **)&w->merges, &w->cap_merges, w->n_merges + 1,
                 sizeof *w->merges)) {
        return vc_fail_nomem(err, "merges");
    }
    struct vc_merge_rec *m = &w->merges[w->n_merges];
    m->from = vc_strdup(from);
    m->into = vc_strdup(into);
    m->kind = kind;
    m->count = count;
    if (!m->from || !m->into) {
        free(m->from);
        free(m->into);
        return vc_fail_nomem(err, "merges");
    }
    w->n_merges++;
    return true;
}

/* JSON numbers: integers stay integers, so reports diff cleanly. */
static json_t *json_count(double v)
{
    if (v == floor(v) && fabs(v) < 9e15) {
        return json_integer((json_int_t)v);
    }
    return json_real(v);
}

bool vc_words_write_merge_report(const vc_words *w, const char *path,
                                 vc_error *err)
{
    json_t *root = json_object();
    json_t *list = json_array();
    json_t *kinds = json_object();
    bool ok = root && list && kinds;
    for (size_t i = 0; ok && i < w->n_merges; i++) {
        const struct vc_merge_rec *m = &w->merges[i];
        json_t *item = json_pack("{s:s, s:s, s:s, s:o}", "from", m->from,
                                 "into", m->into, "kind", vc_merge_kind_to_string(m->kind), "count",
                                 json_count(m->count));
        const char *kind = vc_merge_kind_to_string(m->kind);
        json_t *n = json_object_get(kinds, kind);
        ok = item && json_array_append_new(list, item) == 0 &&
             json_object_set_new(kinds, kind,
                                 json_integer(n ? json_integer_value(n) + 1 : 1)) == 0;
    }
    json_t *excluded = json_array();
    ok = ok && excluded;
    for (size_t i = 0; ok && i < w->n_excluded; i++) {
        json_t *item = json_pack("{s:s, s:o}", "text", w->excluded[i].text, "count",
                                 json_count(w->excluded[i].count));
        ok = item && json_array_append_new(excluded, item) == 0;
    }
    ok = ok && json_object_set_new(root, "merges", json_integer((json_int_t)w->n_merges)) == 0 &&
         json_object_set(root, "by_kind", kinds) == 0 &&
         json_object_set(root, "list", list) == 0 &&
         json_object_set_new(root, "excluded", json_count(vc_words_excluded_total(w))) == 0 &&
         json_object_set(root, "excluded_list", excluded) == 0;
    char *text = ok ? json_dumps(root, JSON_INDENT(2) | JSON_PRESERVE_ORDER) : NULL;
    json_decref(list);
    json_decref(kinds);
    json_decref(excluded);
    json_decref(root);
    if (!text) {
        return vc_fail_nomem(err, path);
    }
    /* A final newline, as POSIX text tools expect. */
    vc_buf b;
    vc_buf_init(&b);
    vc_buf_puts(&b, text);
    vc_buf_puts(&b, "\n");
    free(text);
    if (b.failed) {
        vc_buf_finish(&b);
        return vc_fail_nomem(err, path);
    }
    bool written = vc_atomic_write(path, b.data, b.len, err);
    vc_buf_finish(&b);
    return written;
}
