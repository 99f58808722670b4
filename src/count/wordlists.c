/* wordlists.c - the word lists a counter matches against: stopwords
 * (dropped from free text), synonyms (variant = canonical) and a vocabulary
 * whose near-misses (one edit) merge into it, and how a key resolves. */
#include "count/count.h"

#include <stdlib.h>
#include <string.h>

#include "nonanswers-en.h"
#include "stopwords-en.h"

#include <utf8proc.h>

typedef struct vc_vocab_word {
    char *text;
    int32_t *cps;
    size_t n_cps;
} vocab_word;

void vc_wordlists_init(vc_wordlists *wl)
{
    memset(wl, 0, sizeof *wl);
}

void vc_wordlists_finish(vc_wordlists *wl)
{
    for (size_t i = 0; i < wl->syn.n; i++) {
        free(wl->syn_key[i]);
        free(wl->syn_text[i]);
    }
    free(wl->syn_key);
    free(wl->syn_text);
    vc_keyset_finish(&wl->syn);
    for (size_t i = 0; i < wl->canon.n; i++) {
        free(wl->canon_text[i]);
    }
    free(wl->canon_text);
    vc_keyset_finish(&wl->canon);
    for (size_t i = 0; i < wl->vocab.n; i++) {
        free(wl->vocab_words[i].text);
        free(wl->vocab_words[i].cps);
    }
    free(wl->vocab_words);
    vc_keyset_finish(&wl->vocab);
    vc_keyset_finish(&wl->stopwords);
    vc_keyset_finish(&wl->nonanswers_default);
    vc_keyset_finish(&wl->nonanswers);
    vc_wordlists_init(wl);
}

/* Calls `fn` for every line of the list file `path` until it fails. */
typedef bool (*line_fn)(void *ctx, const vc_lines *r, const char *line,
                        size_t len, vc_error *err);

static bool each_line(const char *path, size_t max_line, line_fn fn,
                      void *ctx, vc_error *err)
{
    vc_lines r;
    if (!vc_lines_open(&r, path, max_line, err)) {
        return false;
    }
    const char *line;
    size_t len;
    bool nl, ok;
    while ((ok = vc_lines_next(&r, &line, &len, &nl, err)) && line) {
        if (!fn(ctx, &r, line, len, err)) {
            ok = false;
            break;
        }
    }
    vc_lines_close(&r);
    return ok;
}

/* ---- stopwords ----------------------------------------------------------------- */

/* Adds one list line to `set` by its matching key. */
static bool add_key(vc_keyset *set, const char *s, size_t len, vc_buf *d, vc_buf *k)
{
    if (!vc_norm_display(s, len, d) || !vc_norm_key(d->data, d->len, k)) {
        return false;
    }
    size_t idx;
    bool added;
    return d->len == 0 || vc_keyset_insert(set, k->data, k->len, &idx, &added);
}

static bool add_stopword(vc_wordlists *wl, const char *s, size_t len,
                         vc_buf *d, vc_buf *k)
{
    if (!vc_norm_display(s, len, d) || !vc_norm_key(d->data, d->len, k)) {
        return false;
    }
    size_t idx;
    bool added;
    return d->len == 0 || vc_keyset_insert(&wl->stopwords, k->data, k->len,
                                           &idx, &added);
}

/* One word per line; '#' starts a comment. */
static bool add_stopword_lines(vc_wordlists *wl, const char *s, size_t len)
{
    vc_buf d, k;
    vc_buf_init(&d);
    vc_buf_init(&k);
    bool ok = true;
    const char *end = s + len;
    while (ok && s < end) {
        const char *nl = memchr(s, '\n', (size_t)(end - s));
        const char *line_end = nl ? nl : end;
        const char *hash = memchr(s, '#', (size_t)(line_end - s));
        ok = add_stopword(wl, s, (size_t)((hash ? hash : line_end) - s), &d, &k);
        s = nl ? nl + 1 : end;
    }
    vc_buf_finish(&d);
    vc_buf_finish(&k);
    return ok;
}

bool vc_wordlists_add_default_nonanswers(vc_wordlists *wl)
{
    vc_buf d, k;
    vc_buf_init(&d);
    vc_buf_init(&k);
    bool ok = true;
    const char *s = vc_nonanswers_en, *end = s + sizeof vc_nonanswers_en - 1;
    while (ok && s < end) {
        const char *nl = memchr(s, '\n', (size_t)(end - s));
        const char *line_end = nl ? nl : end;
        /* '#' only starts a comment at the start of a line: "#" alone is
         * punctuation, excluded by rule. */
        if (*s != '#') {
            ok = add_key(&wl->nonanswers_default, s, (size_t)(line_end - s), &d, &k);
        }
        s = nl ? nl + 1 : end;
    }
    vc_buf_finish(&d);
    vc_buf_finish(&k);
    return ok;
}

/* Letters, numbers and ideographs make a word; anything else alone (".",
 * "?!", an emoji) is no answer. */
static bool has_word_char(const char *s, size_t len)
{
    const utf8proc_uint8_t *p = (const utf8proc_uint8_t *)s;
    utf8proc_ssize_t n = (utf8proc_ssize_t)len;
    while (n > 0) {
        utf8proc_int32_t c;
        utf8proc_ssize_t k = utf8proc_iterate(p, n, &c);
        if (k <= 0) {
            return true; /* not ours to judge */
        }
        utf8proc_category_t cat = utf8proc_category(c);
        if ((cat >= UTF8PROC_CATEGORY_LU && cat <= UTF8PROC_CATEGORY_LO) ||
            (cat >= UTF8PROC_CATEGORY_ND && cat <= UTF8PROC_CATEGORY_NO)) {
            return true;
        }
        p += k;
        n -= k;
    }
    return false;
}

bool vc_wordlists_is_nonanswer(const vc_wordlists *wl, const char *disp, size_t disp_len,
                               const char *key, size_t key_len)
{
    if (vc_keyset_find(&wl->nonanswers, key, key_len) != SIZE_MAX) {
        return true;
    }
    if (wl->no_default_nonanswers) {
        return false;
    }
    return vc_keyset_find(&wl->nonanswers_default, key, key_len) != SIZE_MAX ||
           !has_word_char(disp, disp_len);
}

bool vc_wordlists_add_default_stopwords(vc_wordlists *wl)
{
    return add_stopword_lines(wl, vc_stopwords_en, sizeof vc_stopwords_en - 1);
}

bool vc_wordlists_is_stopword(const vc_wordlists *wl, const char *key,
                              size_t len)
{
    return vc_keyset_find(&wl->stopwords, key, len) != SIZE_MAX;
}

typedef struct list_ctx {
    vc_wordlists *wl;
    const char *path;  /* as given, for out-of-memory messages */
    vc_buf a, b, c, d; /* scratch for normalising */
} list_ctx;

static bool stopword_line(void *ctx, const vc_lines *r, const char *line,
                          size_t len, vc_error *err)
{
    list_ctx *x = ctx;
    const char *hash = memchr(line, '#', len);
    if (!add_stopword(x->wl, line, hash ? (size_t)(hash - line) : len, &x->a,
                      &x->b)) {
        return vc_fail_nomem(err, x->path);
    }
    return true;
}

/* Runs `fn` over every line of `path` with fresh scratch buffers. */
static bool load_list(vc_wordlists *wl, const char *path, size_t max_line,
                      line_fn fn, vc_error *err)
{
    list_ctx x;
    memset(&x, 0, sizeof x);
    x.wl = wl;
    x.path = path;
    vc_buf_init(&x.a);
    vc_buf_init(&x.b);
    vc_buf_init(&x.c);
    vc_buf_init(&x.d);
    bool ok = each_line(path, max_line, fn, &x, err);
    vc_buf_finish(&x.a);
    vc_buf_finish(&x.b);
    vc_buf_finish(&x.c);
    vc_buf_finish(&x.d);
    return ok;
}

bool vc_wordlists_load_stopwords(vc_wordlists *wl, const char *path,
                                 size_t max_line, vc_error *err)
{
    return load_list(wl, path, max_line, stopword_line, err);
}

/* One non-answer per line; a line starting with '#' is a comment. */
static bool nonanswer_line(void *ctx, const vc_lines *r, const char *line, size_t len,
                           vc_error *err)
{
    VC_UNUSED(r);
    list_ctx *x = ctx;
    if (len > 0 && line[0] == '#') {
        return true;
    }
    if (!add_key(&x->wl->nonanswers, line, len, &x->a, &x->b)) {
        return vc_fail_nomem(err, x->path);
    }
    return true;
}

bool vc_wordlists_load_nonanswers(vc_wordlists *wl, const char *path, size_t max_line,
                                  vc_error *err)
{
    return load_list(wl, path, max_line, nonanswer_line, err);
}

/* ---- synonyms ------------------------------------------------------------------ */

/* Remembers the first spelling the file gives canonical key `ckey`. */
static bool add_canonical(vc_wordlists *wl, const char *ckey, const char *ctext)
{
    size_t idx;
    bool added;
    if (!vc_keyset_insert(&wl->canon, ckey, strlen(ckey), &idx, &added)) {
        return false;
    }
    if (!added) {
        return true;
    }
    if (!vc_grow((void **)&wl->canon_text, &wl->cap_canon, wl->canon.n,
                 sizeof *wl->canon_text)) {
        return false;
    }
    wl->canon_text[idx] = vc_strdup(ctext);
    return wl->canon_text[idx] != NULL;
}

/* Whether following synonyms from `key` comes back to `start`: the line
 * being added would close a cycle.  Chains are acyclic by construction, so
 * the walk ends within wl->syn.n steps. */
static bool leads_to(const vc_wordlists *wl, const char *key, const char *start)
{
    for (size_t hops = 0; hops <= wl->syn.n; hops++) {
        if (strcmp(key, start) == 0) {
            return true;
        }
        size_t idx = vc_keyset_find(&wl->syn, key, strlen(key));
        if (idx == SIZE_MAX) {
            return false;
        }
        key = wl->syn_key[idx];
    }
    return true; /* cannot happen: a cycle already present */
}

static bool add_synonym(vc_wordlists *wl, const char *vkey, size_t vlen,
                        const char *ckey, const char *ctext, const char *name,
                        size_t line, vc_error *err)
{
    if (leads_to(wl, ckey, vkey)) {
        return vc_fail(err, VC_ERR_DATA, "%s:%zu: '%.*s = %s' makes a cycle: '%s' "
                       "already leads back to '%.*s'", name, line, (int)vlen, vkey, ctext,
                       ctext, (int)vlen, vkey);
    }
    size_t idx;
    bool added;
    if (!vc_keyset_insert(&wl->syn, vkey, vlen, &idx, &added)) {
        return vc_fail_nomem(err, name);
    }
    if (!added) {
        if (strcmp(wl->syn_key[idx], ckey) == 0) {
            return true;
        }
        return vc_fail(err, VC_ERR_DATA, "%s:%zu: '%.*s' is already a synonym "
                       "of '%s'", name, line, (int)vlen, vkey, wl->syn_text[idx]);
    }
    size_t c1 = wl->cap_syn, c2 = wl->cap_syn;
    if (!vc_grow((void **)&wl->syn_key, &c1, wl->syn.n, sizeof *wl->syn_key) ||
        !vc_grow((void **)&wl->syn_text, &c2, wl->syn.n, sizeof *wl->syn_text)) {
        return vc_fail_nomem(err, name);
    }
    wl->cap_syn = c2;
    wl->syn_key[idx] = vc_strdup(ckey);
    wl->syn_text[idx] = vc_strdup(ctext);
    if (!wl->syn_key[idx] || !wl->syn_text[idx] || !add_canonical(wl, ckey, ctext)) {
        return vc_fail_nomem(err, name);
    }
    return true;
}

static bool synonym_line(void *ctx, const vc_lines *r, const char *line,
                         size_t len, vc_error *err)
{
    list_ctx *x = ctx;
    vc_buf *vd = &x->a, *vk = &x->b, *cd = &x->c, *ck = &x->d;
    vc_norm_display(line, len, vd);
    if (vd->len == 0 || vd->data[0] == '#') {
        return true;
    }
    const char *eq = memchr(line, '=', len);
    if (!eq) {
        return vc_fail(err, VC_ERR_DATA, "%s:%zu: expected 'variant = "
                       "canonical', found no '='", r->name, r->line);
    }
    if (memchr(eq + 1, '=', len - (size_t)(eq + 1 - line))) {
        return vc_fail(err, VC_ERR_DATA, "%s:%zu: expected 'variant = canonical', "
                       "found more than one '='", r->name, r->line);
    }
    vc_norm_display(line, (size_t)(eq - line), vd);
    vc_norm_display(eq + 1, len - (size_t)(eq + 1 - line), cd);
    if (vd->len == 0 || cd->len == 0) {
        return vc_fail(err, VC_ERR_DATA, "%s:%zu: expected 'variant = "
                       "canonical', one side is empty", r->name, r->line);
    }
    if (!vc_norm_key(vd->data, vd->len, vk) ||
        !vc_norm_key(cd->data, cd->len, ck)) {
        return vc_fail_nomem(err, x->path);
    }
    return strcmp(vk->data, ck->data) == 0 ||
           add_synonym(x->wl, vk->data, vk->len, ck->data, cd->data, r->name,
                       r->line, err);
}

bool vc_wordlists_load_synonyms(vc_wordlists *wl, const char *path,
                                size_t max_line, vc_error *err)
{
    return load_list(wl, path, max_line, synonym_line, err);
}

/* ---- vocabulary ---------------------------------------------------------------- */

static bool add_vocab(vc_wordlists *wl, const char *text, size_t len)
{
    vc_buf d, k;
    vc_buf_init(&d);
    vc_buf_init(&k);
    bool ok = vc_norm_display(text, len, &d) && vc_norm_key(d.data, d.len, &k);
    size_t idx;
    bool added = false;
    if (ok && d.len > 0) {
        ok = vc_keyset_insert(&wl->vocab, k.data, k.len, &idx, &added);
    }
    if (ok && added) {
        ok = vc_grow((void **)&wl->vocab_words, &wl->cap_vocab, wl->vocab.n,
                     sizeof *wl->vocab_words);
        if (ok) {
            vocab_word *w = &wl->vocab_words[idx];
            w->text = vc_strdup(d.data);
            w->cps = NULL;
            w->n_cps = 0;
            /* Only entries of 5+ letters take near-misses: shorter words
             * are one edit away from too many others. */
            if (vc_norm_letters(k.data, k.len) >= 5) {
                w->cps = vc_norm_codepoints(k.data, k.len, &w->n_cps);
                ok = w->cps != NULL;
            }
            ok = ok && w->text;
        }
    }
    vc_buf_finish(&d);
    vc_buf_finish(&k);
    return ok;
}

static bool vocab_token(void *data, const char *tok, size_t len, vc_error *err)
{
    VC_UNUSED(err);
    return add_vocab(data, tok, len);
}

/* ASCII punctuation and space trimmed around phrases. */
static bool is_trim_punct(int32_t c)
{
    return c == ' ' || c == '\t' || (c < 0x80 && c > 0x20 && strchr("!\"#$%'()*,-./:;<=>?[\\]^`{|}~", (int)c));
}

static bool vocabulary_line(void *ctx, const vc_lines *r, const char *line,
                            size_t len, vc_error *err)
{
    list_ctx *x = ctx;
    /* Each word, and each short line as a phrase ("person centred"). */
    size_t words = 0;
    for (size_t i = 0; i < len; i++) {
        words += line[i] == ' ' && i > 0 && line[i - 1] != ' ';
    }
    size_t a = 0, b = len;
    while (a < b && (unsigned char)line[a] < 0x80 && is_trim_punct(line[a])) {
        a++;
    }
    while (b > a && (unsigned char)line[b - 1] < 0x80 && is_trim_punct(line[b - 1])) {
        b--;
    }
    if ((words < 4 && !add_vocab(x->wl, line + a, b - a)) ||
        !vc_tokenize(line, len, false, vocab_token, x->wl, err)) {
        return vc_fail_nomem(err, x->path);
    }
    return true;
}

bool vc_wordlists_load_vocabulary(vc_wordlists *wl, const char *path,
                                  size_t max_line, vc_error *err)
{
    return load_list(wl, path, max_line, vocabulary_line, err);
}

/* ---- resolution: synonyms, then vocabulary ----------------------------------- */

/* One edit: insertion, deletion, substitution or transposition of two
 * adjacent letters (optimal string alignment distance <= 1). */
static bool within_one_edit(const int32_t *a, size_t na, const int32_t *b,
                            size_t nb)
{
    if (na > nb) {
        const int32_t *t = a;
        a = b;
        b = t;
        size_t tn = na;
        na = nb;
        nb = tn;
    }
    if (nb - na > 1) {
        return false;
    }
    size_t i = 0;
    while (i < na && a[i] == b[i]) {
        i++;
    }
    if (i == na) {
        return true; /* equal, or b has one more at the end */
    }
    if (na == nb) {
        if (memcmp(a + i + 1, b + i + 1, (na - i - 1) * sizeof *a) == 0) {
            return true; /* substitution */
        }
        return i + 1 < na && a[i] == b[i + 1] && a[i + 1] == b[i] &&
               memcmp(a + i + 2, b + i + 2, (na - i - 2) * sizeof *a) == 0;
    }
    return memcmp(a + i, b + i + 1, (na - i) * sizeof *a) == 0; /* insertion */
}

const char *vc_wordlists_canonical(const vc_wordlists *wl, const char *key, size_t len)
{
    size_t idx = vc_keyset_find(&wl->canon, key, len);
    return idx == SIZE_MAX ? NULL : wl->canon_text[idx];
}

bool vc_wordlists_resolve(const vc_wordlists *wl, const char *key, size_t len,
                          vc_resolved *out)
{
    size_t idx = vc_keyset_find(&wl->syn, key, len);
    if (idx != SIZE_MAX) {
        /* Follow chains (a = b, b = c) to their end: loading refused
         * cycles, so at most syn.n steps. */
        for (size_t hops = 0; idx != SIZE_MAX && hops < wl->syn.n; hops++) {
            out->key = wl->syn_key[idx];
            out->text = wl->syn_text[idx];
            idx = vc_keyset_find(&wl->syn, out->key, strlen(out->key));
        }
        out->kind = VC_MERGE_SYNONYM;
        return true;
    }
    if (wl->vocab.n == 0 || vc_keyset_find(&wl->vocab, key, len) != SIZE_MAX) {
        return false;
    }
    size_t n;
    int32_t *cps = vc_norm_codepoints(key, len, &n);
    if (!cps) {
        return false;
    }
    size_t found = SIZE_MAX, hits = 0;
    for (size_t i = 0; i < wl->vocab.n && hits < 2; i++) {
        const vocab_word *w = &wl->vocab_words[i];
        if (w->cps && (w->n_cps + 1 >= n && n + 1 >= w->n_cps) &&
            within_one_edit(cps, n, w->cps, w->n_cps)) {
            found = i;
            hits++;
        }
    }
    free(cps);
    /* Within one edit of two entries: ambiguous, so left alone. */
    if (hits != 1) {
        return false;
    }
    out->key = wl->vocab.keys[found];
    out->text = wl->vocab_words[found].text;
    out->kind = VC_MERGE_VOCABULARY;
    return true;
}
