/* entries.c - the table every count goes into: entries keyed by composite
 * key (event, group, matching key) in order of first appearance, each with
 * its distinct spellings, and which spelling is displayed. */
#include "count/count.h"

#include <stdlib.h>
#include <string.h>

/* A key's distinct spellings beyond this still count but are not
 * candidates for display: bounds the work per token. */
#define MAX_SPELLINGS 32

/* Spelling i of e (i < e->n_sp). */
static vc_spelling *spelling(vc_entry *e, size_t i)
{
    return i == 0 ? &e->sp1 : &e->more[i - 1];
}

static const vc_spelling *spelling_of(const vc_entry *e, size_t i)
{
    return i == 0 ? &e->sp1 : &e->more[i - 1];
}

void vc_entries_finish(vc_entries *t)
{
    for (size_t i = 0; i < t->keys.n; i++) {
        free(t->entries[i].more);
    }
    free(t->entries);
    vc_keyset_finish(&t->keys);
    vc_strpool_finish(&t->texts);
    memset(t, 0, sizeof *t);
}

vc_entry *vc_entries_get(vc_entries *t, const char *ck, size_t len, bool *added)
{
    /* Room first, so every key always has its entry. */
    size_t idx;
    if (!vc_grow((void **)&t->entries, &t->cap, t->keys.n + 1,
                 sizeof *t->entries) ||
        !vc_keyset_insert(&t->keys, ck, len, &idx, added)) {
        return NULL;
    }
    if (*added) {
        memset(&t->entries[idx], 0, sizeof t->entries[idx]);
        t->entries[idx].alias = SIZE_MAX;
    }
    return &t->entries[idx];
}

bool vc_entry_add_spelling(vc_entries *t, vc_entry *e, const char *text, size_t len,
                           double count)
{
    for (size_t i = 0; i < e->n_sp; i++) {
        vc_spelling *sp = spelling(e, i);
        if (strlen(sp->text) == len && memcmp(sp->text, text, len) == 0) {
            sp->count += count;
            return true;
        }
    }
    if (e->n_sp == MAX_SPELLINGS) {
        return true;
    }
    if (e->n_sp > 0 &&
        !vc_grow((void **)&e->more, &e->cap_more, e->n_sp, sizeof *e->more)) {
        return false;
    }
    char *copy = vc_strpool_copy(&t->texts, text, len);
    if (!copy) {
        return false;
    }
    *spelling(e, e->n_sp) = (vc_spelling){copy, count};
    e->n_sp++;
    return true;
}

bool vc_entry_add_spellings(vc_entries *t, vc_entry *e, const vc_entry *src)
{
    for (size_t k = 0; k < src->n_sp; k++) {
        const vc_spelling *sp = spelling_of(src, k);
        if (!vc_entry_add_spelling(t, e, sp->text, strlen(sp->text), sp->count)) {
            return false;
        }
    }
    return true;
}

const char *vc_entry_display(const vc_entry *e)
{
    if (e->canonical) {
        return e->canonical;
    }
    const char *best = e->fallback;
    double best_count = -1;
    for (size_t i = 0; i < e->n_sp; i++) {
        const vc_spelling *sp = spelling_of(e, i);
        if (sp->count > best_count) {
            best = sp->text;
            best_count = sp->count;
        }
    }
    return best ? best : "";
}

void vc_key_prefix(vc_buf *b, uint32_t event, vc_group group)
{
    unsigned char p[VC_KEY_PREFIX] = {(unsigned char)(event & 0xFF),
                                      (unsigned char)((event >> 8) & 0xFF),
                                      (unsigned char)((event >> 16) & 0xFF),
                                      (unsigned char)(event >> 24),
                                      (unsigned char)group};
    b->len = 0;
    vc_buf_append(b, p, VC_KEY_PREFIX);
}

uint32_t vc_key_event(const char *ck)
{
    const unsigned char *p = (const unsigned char *)ck;
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
           (uint32_t)p[3] << 24;
}

vc_group vc_key_group(const char *ck)
{
    return (vc_group)(unsigned char)ck[4];
}
