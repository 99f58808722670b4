/* merge.c - from counted entries to the words: each entry folded into its
 * synonym or vocabulary word, plurals merged into singulars when both
 * occur, every such merge logged, and the result as a sorted vc_words. */
#include "count/count.h"

#include <stdlib.h>
#include <string.h>

typedef struct pending_merge {
    const char *from;
    size_t into; /* index in the result table */
    vc_merge_kind kind;
    double count;
} pending_merge;

typedef struct merging {
    vc_entries res; /* keyed by group + resolved key */
    pending_merge *merges;
    size_t n_merges, cap_merges;
    vc_buf ck;
} merging;

static bool log_merge(merging *m, const char *from, size_t into,
                      vc_merge_kind kind, double count)
{
    if (!vc_grow((void **)&m->merges, &m->cap_merges, m->n_merges + 1,
                 sizeof *m->merges)) {
        return false;
    }
    m->merges[m->n_merges++] = (pending_merge){from, into, kind, count};
    return true;
}

/* Folds one counted entry into the result, through synonyms/vocabulary. */
static bool fold_entry(const vc_wordlists *wl, merging *m, const char *ck,
                       size_t len, const vc_entry *src)
{
    vc_group group = vc_key_group(ck);
    const char *key = ck + VC_KEY_PREFIX;
    size_t klen = len - VC_KEY_PREFIX;
    vc_resolved res;
    bool merged = vc_wordlists_resolve(wl, key, klen, &res);
    vc_key_prefix(&m->ck, 0, group);
    if (merged) {
        vc_buf_puts(&m->ck, res.key);
    } else {
        vc_buf_append(&m->ck, key, klen);
    }
    bool added;
    vc_entry *e = m->ck.failed ? NULL : vc_entries_get(&m->res, m->ck.data, m->ck.len, &added);
    if (!e) {
        return false;
    }
    e->count += src->count;
    /* The synonyms file's spelling of a canonical word is the one shown,
     * whoever wrote which variant. */
    const char *canonical = vc_wordlists_canonical(wl, merged ? res.key : key,
                                                   merged ? strlen(res.key) : klen);
    if (canonical) {
        e->canonical = canonical;
    }
    if (group == VC_KEY_GROUP_OVERLAP) {
        return true; /* a tally of people, not answers: no merge to report */
    }
    if (merged) {
        if (!e->fallback) {
            e->fallback = res.text;
        }
        size_t into = (size_t)(e - m->res.entries);
        return log_merge(m, vc_entry_display(src), into, res.kind, src->count);
    }
    return vc_entry_add_spellings(&m->res, e, src);
}

/* Words that end in s but are not plurals of a word without it. */
static bool plural_exception(const char *key)
{
    static const char *const words[] = {
        "news", "its", "was", "has", "is", "this", "thus", "us", "yes", "as",
        "his", "hers", "ours", "yours", "theirs", "does", "goes", "always",
        "perhaps", "towards", "afterwards", "series", "species", "means",
        "lens", "gas", "plus", "bias", "atlas", "canvas", "chaos", "politics",
        "physics", "ethics", "economics", "mathematics", "whereas", "besides",
        "sometimes", "less", "across", "lives", "wives", "knives", "leaves",
        "bus", "virus", "status", "analysis", "crisis", "basis", "thesis",
        "diagnosis", "census", "campus", "focus", "bonus", "circus",
        "corpus", "minus", "genus", "alias", "iris", "axis", "kudos",
        "pants", "scissors", "trousers", "thanks", "odds", "headquarters",
        NULL};
    for (size_t i = 0; words[i]; i++) {
        if (strcmp(words[i], key) == 0) {
            return true;
        }
    }
    return false;
}

/* Singular candidates of `key`, most likely first; returns how many. */
static size_t singulars(const char *key, char out[3][256])
{
    size_t n = strlen(key), k = 0;
    if (n < 4 || n >= 255 || key[n - 1] != 's' || plural_exception(key)) {
        return 0;
    }
    char prev = key[n - 2];
    /* -ss (class), -us (virus, status), -is (analysis, crisis): singular
     * already. */
    if (prev == 's' || prev == 'u' || prev == 'i') {
        return 0;
    }
    memcpy(out[k], key, n - 1); /* horses -> horse, cats -> cat */
    out[k++][n - 1] = '\0';
    if (n >= 5 && prev == 'e') {
        const char *stem_end = key + n - 2; /* before "es" */
        size_t sl = n - 2;
        bool sibilant = stem_end[-1] == 's' || stem_end[-1] == 'x' ||
                        stem_end[-1] == 'z' || stem_end[-1] == 'o' ||
                        (sl >= 2 && (stem_end[-1] == 'h') &&
                         (stem_end[-2] == 'c' || stem_end[-2] == 's'));
        if (sibilant) { /* buses -> bus, boxes -> box, churches -> church */
            memcpy(out[k], key, sl);
            out[k++][sl] = '\0';
        }
        if (n >= 5 && key[n - 3] == 'i') { /* policies -> policy */
            memcpy(out[k], key, n - 3);
            out[k][n - 3] = 'y';
            out[k++][n - 2] = '\0';
        }
    }
    return k;
}

/* The entry `i` was merged into, following plural merges. */
static size_t final_entry(const vc_entries *t, size_t i)
{
    while (t->entries[i].alias != SIZE_MAX) {
        i = t->entries[i].alias;
    }
    return i;
}

static bool merge_plurals(merging *m)
{
    vc_entries *t = &m->res;
    char cand[3][256];
    for (size_t i = 0; i < t->keys.n; i++) {
        const char *ck = t->keys.keys[i];
        size_t n = singulars(ck + VC_KEY_PREFIX, cand);
        for (size_t k = 0; k < n; k++) {
            vc_key_prefix(&m->ck, 0, vc_key_group(ck));
            vc_buf_puts(&m->ck, cand[k]);
            size_t j = m->ck.failed ? SIZE_MAX
                                    : vc_keyset_find(&t->keys, m->ck.data, m->ck.len);
            if (j == SIZE_MAX || j == i || t->entries[j].alias != SIZE_MAX) {
                continue;
            }
            vc_entry *p = &t->entries[i];
            t->entries[j].count += p->count;
            if (!log_merge(m, vc_entry_display(p), j, VC_MERGE_PLURAL, p->count)) {
                return false;
            }
            p->alias = j;
            break;
        }
    }
    return true;
}

/* Index of the entry with `ck`'s key in group `group`, else SIZE_MAX. */
static size_t same_key(merging *m, const char *ck, vc_group group)
{
    vc_key_prefix(&m->ck, 0, group);
    vc_buf_puts(&m->ck, ck + VC_KEY_PREFIX);
    return m->ck.failed ? SIZE_MAX : vc_keyset_find(&m->res.keys, m->ck.data, m->ck.len);
}

/* A word ticked by some and written in by others is one word: its votes
 * are the people who gave it either way.  The suggested entry becomes an
 * alias of the chosen one (so merges logged into it name the word shown);
 * the word's breakdown is filled in by add_breakdown. */
static void join_groups(merging *m)
{
    vc_entries *t = &m->res;
    for (size_t i = 0; i < t->keys.n; i++) {
        if (t->entries[i].alias != SIZE_MAX || vc_key_group(t->keys.keys[i]) != VC_GROUP_CHOSEN) {
            continue;
        }
        size_t sug = same_key(m, t->keys.keys[i], VC_GROUP_SUGGESTED);
        if (sug != SIZE_MAX && t->entries[sug].alias == SIZE_MAX) {
            t->entries[sug].alias = i;
        }
    }
}

/* The breakdown of chosen entry `i` when a suggested entry was joined to
 * it: people who did both are subtracted once. */
static void add_breakdown(merging *m, size_t i, struct vc_word *item)
{
    vc_entries *t = &m->res;
    size_t sug = same_key(m, t->keys.keys[i], VC_GROUP_SUGGESTED);
    if (sug == SIZE_MAX || t->entries[sug].alias != i) {
        return;
    }
    size_t both = same_key(m, t->keys.keys[i], VC_KEY_GROUP_OVERLAP);
    item->group = VC_GROUP_BOTH;
    item->chosen = t->entries[i].count;
    item->suggested = t->entries[sug].count;
    item->count = item->chosen + item->suggested - (both == SIZE_MAX ? 0 : t->entries[both].count);
}

static bool build_words(merging *m, vc_words *w, vc_error *err)
{
    vc_entries *t = &m->res;
    join_groups(m);
    for (size_t i = 0; i < t->keys.n; i++) {
        vc_group group = vc_key_group(t->keys.keys[i]);
        if (t->entries[i].alias != SIZE_MAX || group == VC_KEY_GROUP_OVERLAP) {
            continue;
        }
        if (!vc_grow((void **)&w->items, &w->cap, w->n + 1, sizeof *w->items)) {
            return vc_fail_nomem(err, "words");
        }
        struct vc_word *item = &w->items[w->n];
        item->text = vc_strdup(vc_entry_display(&t->entries[i]));
        item->count = t->entries[i].count;
        item->group = group;
        item->chosen = group == VC_GROUP_CHOSEN ? item->count : 0;
        item->suggested = group == VC_GROUP_SUGGESTED ? item->count : 0;
        if (!item->text) {
            return vc_fail_nomem(err, "words");
        }
        add_breakdown(m, i, item);
        w->n++;
    }
    for (size_t i = 0; i < m->n_merges; i++) {
        const pending_merge *pm = &m->merges[i];
        const char *into = vc_entry_display(&t->entries[final_entry(t, pm->into)]);
        if (!vc_words_add_merge(w, pm->from, into, pm->kind, pm->count, err)) {
            return false;
        }
    }
    vc_words_sort(w);
    return true;
}

bool vc_merge_words(const vc_entries *counted, const vc_wordlists *wl,
                    uint32_t event, bool plurals, vc_words *w, vc_error *err)
{
    merging m;
    memset(&m, 0, sizeof m);
    bool ok = true;
    for (size_t i = 0; ok && i < counted->keys.n; i++) {
        const char *ck = counted->keys.keys[i];
        if (event != 0 && vc_key_event(ck) != event) {
            continue;
        }
        if (vc_key_group(ck) == VC_KEY_GROUP_EXCLUDED) {
            ok = vc_words_add_exclusion(w, vc_entry_display(&counted->entries[i]),
                                        counted->entries[i].count, err);
            if (!ok) {
                return false;
            }
            continue;
        }
        ok = fold_entry(wl, &m, ck, counted->keys.lens[i], &counted->entries[i]);
    }
    if (ok && plurals) {
        ok = merge_plurals(&m);
    }
    if (!ok) {
        vc_fail_nomem(err, "words");
    }
    ok = ok && build_words(&m, w, err);
    vc_entries_finish(&m.res);
    free(m.merges);
    vc_buf_finish(&m.ck);
    return ok;
}
