/* keyset.c - the hash table under every count: byte-string keys to dense
 * indices in order of first insertion (so output never depends on hash
 * order), open addressing with linear probing at load factor <= 1/2; the
 * keys' bytes in a string pool, so a key costs no malloc of its own. */
#include "core/core.h"

#include <stdlib.h>
#include <string.h>

static uint64_t hash_bytes(const char *s, size_t len)
{
    uint64_t h = 0xcbf29ce484222325ull; /* FNV-1a, then a final mix */
    for (size_t i = 0; i < len; i++) {
        h ^= (unsigned char)s[i];
        h *= 0x100000001b3ull;
    }
    h ^= h >> 32;
    h *= 0xd6e8feb86659fd93ull;
    return h ^ (h >> 32);
}

void vc_keyset_init(vc_keyset *set)
{
    memset(set, 0, sizeof *set);
}

void vc_keyset_finish(vc_keyset *set)
{
    if (!set) {
        return;
    }
    vc_strpool_finish(&set->pool);
    free(set->keys);
    free(set->lens);
    free(set->hashes);
    free(set->slots);
    vc_keyset_init(set);
}

void vc_keyset_clear(vc_keyset *set)
{
    vc_strpool_clear(&set->pool);
    set->n = 0;
    if (set->slots) {
        memset(set->slots, 0, set->n_slots * sizeof *set->slots);
    }
}

static size_t probe(const vc_keyset *set, const char *key, size_t len,
                    uint64_t h)
{
    size_t mask = set->n_slots - 1;
    for (size_t i = (size_t)h & mask;; i = (i + 1) & mask) {
        size_t s = set->slots[i];
        if (s == 0) {
            return i;
        }
        s--;
        if (set->hashes[s] == h && set->lens[s] == len &&
            memcmp(set->keys[s], key, len) == 0) {
            return i;
        }
    }
}

size_t vc_keyset_find(const vc_keyset *set, const char *key, size_t len)
{
    if (set->n_slots == 0) {
        return SIZE_MAX;
    }
    size_t slot = set->slots[probe(set, key, len, hash_bytes(key, len))];
    return slot ? slot - 1 : SIZE_MAX;
}

static bool rehash(vc_keyset *set, size_t n_slots)
{
    size_t *slots = vc_calloc2(n_slots, sizeof *slots);
    if (!slots) {
        return false;
    }
    size_t mask = n_slots - 1;
    for (size_t k = 0; k < set->n; k++) {
        size_t i = (size_t)set->hashes[k] & mask;
        while (slots[i]) {
            i = (i + 1) & mask;
        }
        slots[i] = k + 1;
    }
    free(set->slots);
    set->slots = slots;
    set->n_slots = n_slots;
    return true;
}

bool vc_keyset_insert(vc_keyset *set, const char *key, size_t len,
                      size_t *index, bool *added)
{
    *added = false;
    /* Load factor at most 1/2 keeps linear probing short. */
    if ((set->n + 1) * 2 > set->n_slots) {
        size_t n_slots = set->n_slots ? set->n_slots * 2 : 64;
        if (n_slots < set->n_slots || !rehash(set, n_slots)) {
            return false;
        }
    }
    uint64_t h = hash_bytes(key, len);
    size_t i = probe(set, key, len, h);
    if (set->slots[i]) {
        *index = set->slots[i] - 1;
        return true;
    }
    size_t cap = set->cap;
    if (set->n == cap) {
        size_t c1 = cap, c2 = cap, c3 = cap;
        if (!vc_grow((void **)&set->keys, &c1, set->n + 1, sizeof *set->keys) ||
            !vc_grow((void **)&set->lens, &c2, set->n + 1, sizeof *set->lens) ||
            !vc_grow((void **)&set->hashes, &c3, set->n + 1,
                     sizeof *set->hashes)) {
            return false;
        }
        /* All three grew by the same rule from the same capacity. */
        set->cap = c3;
    }
    char *copy = vc_strpool_copy(&set->pool, key, len);
    if (!copy) {
        return false;
    }
    set->keys[set->n] = copy;
    set->lens[set->n] = len;
    set->hashes[set->n] = h;
    set->slots[i] = set->n + 1;
    *index = set->n++;
    *added = true;
    return true;
}
