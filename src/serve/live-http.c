/* live-http.c - the live rooms' HTTP side: creating rooms, the participant's
 * form and its submission (committed to SQLite before the 303), the
 * presenter's API (key in a Bearer header or an HttpOnly cookie), and the
 * SSE stream, which never holds a pool thread: with no new frame its
 * reader suspends the connection and the layout worker resumes it. */
#define _GNU_SOURCE
#include "live-room.h"
#include "live-www.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define LV_MAX_FIELDS 64

typedef struct lv_field {
    char name[24];
    char *value;
    size_t len;
} lv_field;

typedef struct lv_req {
    sv_live_route route;
    bool team_ok;
    bool refused; /* an answer was queued on the first call */
    bool too_big;
    uint32_t ip;
    struct MHD_PostProcessor *pp;
    lv_field fields[LV_MAX_FIELDS];
    size_t n_fields;
    bool too_many_fields;
    char *body; /* JSON bodies */
    size_t body_len;
} lv_req;

/* ---- answers ------------------------------------------------------------ */

static void *mhd_buffer(const void *p)
{
    return (void *)(uintptr_t)p;
}

/* Set while a participant's request is answered (one pool thread answers
 * one request at a time): its answers close the connection, so 200 phones
 * behind one venue's NAT never sit on the per-address connection limit
 * with idle keep-alive connections. */
static _Thread_local bool close_after;

static enum MHD_Result queue(struct MHD_Connection *c, unsigned *status, unsigned code,
                             struct MHD_Response *r)
{
    if (r == NULL) {
        return MHD_NO;
    }
    sv_security_headers(r);
    if (close_after) {
        MHD_add_response_header(r, "Connection", "close");
    }
    *status = code;
    enum MHD_Result rc = MHD_queue_response(c, code, r);
    MHD_destroy_response(r);
    return rc;
}

static struct MHD_Response *text_response(const char *type, const char *text, size_t len)
{
    struct MHD_Response *r =
        MHD_create_response_from_buffer(len, mhd_buffer(text), MHD_RESPMEM_MUST_COPY);
    if (r != NULL) {
        MHD_add_response_header(r, "Content-Type", type);
    }
    return r;
}

static enum MHD_Result send_json(struct MHD_Connection *c, unsigned *status,
                                 unsigned code, json_t *j)
{
    char *s = j ? json_dumps(j, JSON_COMPACT | JSON_ENSURE_ASCII) : NULL;
    json_decref(j);
    if (s == NULL) {
        return MHD_NO;
    }
    enum MHD_Result rc =
        queue(c, status, code, text_response("application/json", s, strlen(s)));
    free(s);
    return rc;
}

static enum MHD_Result send_error(struct MHD_Connection *c, unsigned *status,
                                  unsigned code, const char *msg)
{
    return send_json(c, status, code, json_pack("{s:s}", "error", msg));
}

static enum MHD_Result send_page(struct MHD_Connection *c, unsigned *status,
                                 unsigned code, char *page)
{
    if (page == NULL) {
        return MHD_NO;
    }
    enum MHD_Result rc = queue(
        c, status, code, text_response("text/html; charset=utf-8", page, strlen(page)));
    free(page);
    return rc;
}

static enum MHD_Result page_error(struct MHD_Connection *c, unsigned *status,
                                  unsigned code, const char *title, const char *msg)
{
    return send_page(c, status, code, lv_page_message(title, msg, false));
}

static enum MHD_Result see_other(struct MHD_Connection *c, unsigned *status,
                                 const char *loc, const char *cookie)
{
    struct MHD_Response *r =
        MHD_create_response_from_buffer(0, mhd_buffer(""), MHD_RESPMEM_PERSISTENT);
    if (r != NULL) {
        MHD_add_response_header(r, "Location", loc);
        if (cookie != NULL) {
            MHD_add_response_header(r, "Set-Cookie", cookie);
        }
    }
    return queue(c, status, 303, r);
}

/* ---- ids and keys --------------------------------------------------------- */

static int new_code(char out[SV_LIVE_CODE_LEN + 1])
{
    unsigned char b[SV_LIVE_CODE_LEN];
    if (getrandom(b, sizeof b, 0) != (ssize_t)sizeof b) {
        return -1;
    }
    for (size_t i = 0; i < SV_LIVE_CODE_LEN; i++) {
        out[i] = sv_live_code_alphabet[b[i] & 31];
    }
    out[SV_LIVE_CODE_LEN] = '\0';
    return 0;
}

static bool key_equal(const char *a, const char *b)
{
    unsigned diff = 0;
    for (size_t i = 0; i < SV_ID_HEX; i++) {
        diff |= (unsigned char)(a[i] ^ b[i]);
    }
    return diff == 0;
}

/* 0 when the request holds the room's key; else 401 (no key) or 403 (a
 * wrong key, or no such room: the same answer, so ids cannot be probed). */
static unsigned presenter_auth(struct MHD_Connection *c, const lv_room *r)
{
    char key[SV_ID_HEX + 1];
    const char *auth = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Authorization");
    const char *cookie = MHD_lookup_connection_value(c, MHD_COOKIE_KIND, "vcp");
    bool have = sv_live_bearer(auth, key);
    if (!have && cookie != NULL && sv_id_valid(cookie, strlen(cookie))) {
        memcpy(key, cookie, SV_ID_HEX + 1);
        have = true;
    }
    if (!have) {
        return 401;
    }
    return r != NULL && key_equal(key, r->key) ? 0 : 403;
}

/* Actions with the key in the cookie must also come from our own page
 * (a Bearer header cannot be sent by another site's form). */
static bool action_origin_ok(struct MHD_Connection *c)
{
    const char *auth = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Authorization");
    char key[SV_ID_HEX + 1];
    return sv_live_bearer(auth, key) || sv_same_origin(c);
}

/* Where phones reach the server, for absolute join URLs (the QR code):
 * --public-url, else the Host the browser used if it looks like one (a
 * hostile Host only changes its own answer). */
static void join_base(sv_live *lv, struct MHD_Connection *c, char *out, size_t outlen)
{
    if (lv->server->public_url != NULL) {
        snprintf(out, outlen, "%s", lv->server->public_url);
        return;
    }
    const char *h = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Host");
    size_t n = h ? strlen(h) : 0;
    if (n == 0 || n > 100 ||
        strspn(h,
               "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-:[]") !=
            n) {
        h = "127.0.0.1";
    }
    snprintf(out, outlen, "http://%s", h);
}

/* ---- bodies --------------------------------------------------------------- */

static enum MHD_Result form_iter(void *cls, enum MHD_ValueKind kind, const char *key,
                                 const char *filename, const char *content_type,
                                 const char *transfer_encoding, const char *data,
                                 uint64_t off, size_t size)
{
    (void)kind;
    (void)filename;
    (void)content_type;
    (void)transfer_encoding;
    lv_req *q = cls;
    if (key == NULL || strlen(key) >= sizeof q->fields[0].name) {
        return MHD_YES;
    }
    lv_field *f = NULL;
    if (off > 0 && q->n_fields > 0 && strcmp(q->fields[q->n_fields - 1].name, key) == 0) {
        f = &q->fields[q->n_fields - 1];
    } else if (q->n_fields < LV_MAX_FIELDS) {
        f = &q->fields[q->n_fields++];
        snprintf(f->name, sizeof f->name, "%s", key);
    } else {
        q->too_many_fields = true;
        return MHD_YES;
    }
    char *v = realloc(f->value, f->len + size + 1);
    if (v == NULL) {
        return MHD_NO;
    }
    memcpy(v + f->len, data, size);
    f->len += size;
    v[f->len] = '\0';
    f->value = v;
    return MHD_YES;
}

static const char *field(const lv_req *q, const char *name)
{
    for (size_t i = 0; i < q->n_fields; i++) {
        if (strcmp(q->fields[i].name, name) == 0) {
            return q->fields[i].value;
        }
    }
    return NULL;
}

/* Whether any field `name` has the value (a ticked box after its hidden
 * "off" twin). */
static bool field_is(const lv_req *q, const char *name, const char *value)
{
    for (size_t i = 0; i < q->n_fields; i++) {
        if (strcmp(q->fields[i].name, name) == 0 &&
            strcmp(q->fields[i].value, value) == 0) {
            return true;
        }
    }
    return false;
}

static uint32_t client_ip(struct MHD_Connection *c)
{
    const union MHD_ConnectionInfo *ci =
        MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    if (ci == NULL || ci->client_addr == NULL || ci->client_addr->sa_family != AF_INET) {
        return 0;
    }
    const struct sockaddr_in *sin =
        (const struct sockaddr_in *)(const void *)ci->client_addr;
    return ntohl(sin->sin_addr.s_addr);
}

/* ---- creating rooms ------------------------------------------------------- */

static lv_room *create_room(sv_live *lv, const sv_live_opts *o)
{
    char id[SV_ID_HEX + 1], key[SV_ID_HEX + 1], code[SV_LIVE_CODE_LEN + 1];
    if (sv_new_id(id) != 0 || sv_new_id(key) != 0) {
        return NULL;
    }
    for (int tries = 0;; tries++) {
        if (tries == 8 || new_code(code) != 0) {
            return NULL;
        }
        if (lv_room_by_code(lv, code) == NULL) {
            break;
        }
    }
    lv_room *r = lv_room_new(lv, id, code, key, o, (long long)time(NULL), false);
    if (r == NULL) {
        return NULL;
    }
    if (lv_store_room_put(lv, r) != 0 || !lv_room_list(lv, r)) {
        lv_room_free(r); /* not stored (or no memory): never shown */
        return NULL;
    }
    return r;
}

static enum MHD_Result api_create(sv_live *lv, struct MHD_Connection *c, lv_req *q,
                                  unsigned *status)
{
    sv_live_opts o;
    char err[256];
    if (sv_live_opts_from_json(q->body ? q->body : "", q->body_len, &o, err,
                               sizeof err) != 0) {
        return send_error(c, status, 400, err);
    }
    lv_room *r = create_room(lv, &o);
    if (r == NULL) {
        return send_error(c, status, 500, "the room could not be stored");
    }
    char join[64], presenter[64];
    snprintf(join, sizeof join, "/j/%s", r->code);
    snprintf(presenter, sizeof presenter, "/p/%s", r->id);
    return send_json(c, status, 201,
                     json_pack("{s:s, s:s, s:s, s:s, s:s}", "id", r->id, "join_url", join,
                               "presenter_url", presenter, "presenter_key", r->key,
                               "code", r->code));
}

static enum MHD_Result form_create(sv_live *lv, struct MHD_Connection *c, lv_req *q,
                                   unsigned *status)
{
    sv_live_opts o;
    char err[256];
    if (sv_live_opts_from_form(field(q, "question"), field(q, "max_words"),
                               field(q, "choices"), field_is(q, "moderation", "on"),
                               field_is(q, "profanity", "on"), &o, err,
                               sizeof err) != 0) {
        return send_page(c, status, 400, lv_page_new(err));
    }
    lv_room *r = create_room(lv, &o);
    if (r == NULL) {
        return page_error(c, status, 500, "Not created", "The room could not be stored.");
    }
    char base[300];
    join_base(lv, c, base, sizeof base);
    return send_page(c, status, 201, lv_page_created(r, base));
}

/* ---- participants ---------------------------------------------------------- */

/* Set-Cookie for a participant's id: HttpOnly, this room's paths only,
 * a week (an event may run over days; the answer can be changed). */
static void participant_set_cookie(char *out, size_t len, const char *pid,
                                   const lv_room *r)
{
    snprintf(out, len, "vcj=%s; Path=/j/%s; Max-Age=604800; HttpOnly; SameSite=Lax", pid,
             r->code);
}

static const char *participant_cookie(struct MHD_Connection *c)
{
    const char *v = MHD_lookup_connection_value(c, MHD_COOKIE_KIND, "vcj");
    return v != NULL && sv_id_valid(v, strlen(v)) ? v : NULL;
}

static enum MHD_Result join_page(sv_live *lv, struct MHD_Connection *c, lv_req *q,
                                 unsigned *status)
{
    lv_room *r = lv_room_by_code(lv, q->route.code);
    if (r == NULL) {
        return page_error(
            c, status, 404, "No such room",
            "There is no room with this code. Check the address on the screen.");
    }
    const char *pid = participant_cookie(c);
    pthread_mutex_lock(&r->lock);
    const char *mine[SV_LIVE_MAX_WORDS];
    size_t n = 0;
    lv_participant *p = pid ? lv_room_participant(r, pid, false) : NULL;
    for (size_t i = 0; p != NULL && i < p->n; i++) {
        mine[n++] = p->w[i].text;
    }
    char *page =
        r->closed ? lv_page_message("Closed",
                                    "This room is closed: answers are no longer taken. "
                                    "Thank you for taking part.",
                                    sv_live_text_rtl(r->opts.question))
                  : lv_page_join(r, NULL, mine, n);
    bool closed = r->closed;
    pthread_mutex_unlock(&r->lock);
    /* The participant's id is given with the form, so a phone that
     * resends after a lost answer (a dropped connection, a restart)
     * replaces its answer instead of counting twice. */
    char id[SV_ID_HEX + 1], cookie[160];
    if (pid != NULL || closed || page == NULL || sv_new_id(id) != 0) {
        return send_page(c, status, closed ? 410 : 200, page);
    }
    participant_set_cookie(cookie, sizeof cookie, id, r);
    struct MHD_Response *resp =
        text_response("text/html; charset=utf-8", page, strlen(page));
    free(page);
    if (resp != NULL) {
        MHD_add_response_header(resp, "Set-Cookie", cookie);
    }
    return queue(c, status, 200, resp);
}

static enum MHD_Result join_refuse(struct MHD_Connection *c, unsigned *status, lv_room *r,
                                   unsigned code, const char *msg)
{
    pthread_mutex_lock(&r->lock);
    char *page = lv_page_join(r, msg, NULL, 0);
    pthread_mutex_unlock(&r->lock);
    return send_page(c, status, code, page);
}

/* The words of the form, checked; returns 0 or an HTTP status with msg. */
static unsigned collect_words(const lv_req *q, const lv_room *r,
                              char words[][4 * SV_LIVE_WORD_CHARS + 1], size_t *n,
                              const char **msg)
{
    *n = 0;
    size_t given = 0;
    for (size_t i = 0; i < q->n_fields; i++) {
        if (strcmp(q->fields[i].name, "word") != 0) {
            continue;
        }
        if (++given > (size_t)r->opts.max_words || q->too_many_fields) {
            *msg = "Too many words: this question takes fewer.";
            return 400;
        }
        sv_word_check k = sv_live_word_check(q->fields[i].value, q->fields[i].len,
                                             words[*n], sizeof words[0]);
        if (k == SV_WORD_EMPTY) {
            continue;
        }
        if (k == SV_WORD_TOO_LONG) {
            *msg = "A word is too long: at most 40 characters each.";
            return 400;
        }
        if (k == SV_WORD_BAD) {
            *msg = "A word holds characters that cannot be shown.";
            return 400;
        }
        bool listed = r->opts.n_choices == 0;
        for (size_t k2 = 0; !listed && k2 < r->opts.n_choices; k2++) {
            listed = strcmp(r->opts.choices[k2], words[*n]) == 0;
        }
        if (!listed) {
            *msg = "Choose from the list.";
            return 400;
        }
        (*n)++;
    }
    if (*n == 0) {
        *msg = r->opts.n_choices ? "Tick at least one." : "Write at least one word.";
        return 400;
    }
    return 0;
}

static void free_words(lv_word *w, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(w[i].text);
    }
}

/* Stores the answer (replacing the participant's last one); false when
 * it could not be committed, and then nothing changed. */
static bool store_answer(sv_live *lv, lv_room *r, const char *pid, lv_word *w, size_t n,
                         bool *closed)
{
    pthread_mutex_lock(&r->lock);
    *closed = r->closed;
    lv_participant *p = r->closed ? NULL : lv_room_participant(r, pid, true);
    if (p == NULL) {
        pthread_mutex_unlock(&r->lock);
        return false;
    }
    lv_participant old = *p;
    bool fresh = old.n == 0 && old.updated == 0;
    memcpy(p->w, w, n * sizeof *w);
    p->n = n;
    p->updated = (long long)time(NULL);
    bool ok = lv_store_answer_put(lv, r, p) == 0;
    if (ok) {
        free_words(old.w, old.n);
        lv_room_touch(lv, r);
    } else if (fresh) {
        r->n_parts--; /* never stored: forgotten */
    } else {
        *p = old;
    }
    pthread_mutex_unlock(&r->lock);
    return ok;
}

static enum MHD_Result join_post(sv_live *lv, struct MHD_Connection *c, lv_req *q,
                                 unsigned *status)
{
    lv_room *r = lv_room_by_code(lv, q->route.code);
    if (r == NULL) {
        return page_error(c, status, 404, "No such room",
                          "There is no room with this code.");
    }
    char words[SV_LIVE_MAX_WORDS][4 * SV_LIVE_WORD_CHARS + 1];
    size_t n = 0;
    const char *msg = NULL;
    unsigned bad = q->too_big ? 413 : collect_words(q, r, words, &n, &msg);
    if (bad != 0) {
        return join_refuse(c, status, r, bad, msg ? msg : "The form is too large.");
    }
    lv_word w[SV_LIVE_MAX_WORDS];
    pthread_mutex_lock(&r->lock);
    bool closed = r->closed, hidden = r->n_hidden > 0;
    pthread_mutex_unlock(&r->lock);
    size_t made = closed ? 0 : n; /* words allocated below */
    for (size_t i = 0; i < made; i++) {
        /* The lists are read under no lock: the hidden file is replaced
         * atomically, and a word hidden meanwhile is caught by the hide. */
        w[i].st = lv_classify(lv, r, hidden, words[i]);
        w[i].text = strdup(words[i]);
        if (w[i].text == NULL) {
            free_words(w, i);
            return send_error(c, status, 500, "out of memory");
        }
    }
    char pid[SV_ID_HEX + 1];
    const char *cookie_pid = participant_cookie(c);
    if (cookie_pid != NULL) {
        snprintf(pid, sizeof pid, "%s", cookie_pid);
    } else if (sv_new_id(pid) != 0) {
        free_words(w, made);
        return send_error(c, status, 500, "no random id");
    }
    if (closed || !store_answer(lv, r, pid, w, n, &closed)) {
        free_words(w, made);
        if (closed) {
            return page_error(c, status, 410, "Closed",
                              "This room is closed: your answer was not taken.");
        }
        return page_error(c, status, 500, "Not saved",
                          "Your answer could not be saved. Please try again.");
    }
    char loc[64], cookie[160];
    snprintf(loc, sizeof loc, "/j/%s/thanks", r->code);
    participant_set_cookie(cookie, sizeof cookie, pid, r);
    return see_other(c, status, loc, cookie);
}

static enum MHD_Result thanks_page(sv_live *lv, struct MHD_Connection *c, lv_req *q,
                                   unsigned *status)
{
    lv_room *r = lv_room_by_code(lv, q->route.code);
    if (r == NULL) {
        return page_error(c, status, 404, "No such room",
                          "There is no room with this code.");
    }
    const char *pid = participant_cookie(c);
    pthread_mutex_lock(&r->lock);
    lv_participant *p = pid ? lv_room_participant(r, pid, false) : NULL;
    char *page = lv_page_thanks(r, p);
    pthread_mutex_unlock(&r->lock);
    return send_page(c, status, 200, page);
}

static enum MHD_Result qr_code(sv_live *lv, struct MHD_Connection *c, lv_req *q,
                               unsigned *status)
{
    if (lv_room_by_code(lv, q->route.code) == NULL) {
        return send_error(c, status, 404, "no such room");
    }
    char base[300], url[340];
    join_base(lv, c, base, sizeof base);
    snprintf(url, sizeof url, "%s/j/%s", base, q->route.code);
    char *svg = lv_qr_svg(url);
    if (svg == NULL) {
        return send_error(c, status, 500, "no QR code");
    }
    enum MHD_Result rc =
        queue(c, status, 200, text_response("image/svg+xml", svg, strlen(svg)));
    free(svg);
    return rc;
}

/* ---- the presenter's API ----------------------------------------------------- */

static enum MHD_Result counts(struct MHD_Connection *c, lv_room *r, unsigned *status,
                              bool pending)
{
    size_t len = 0;
    char *csv = NULL;
    char **texts = NULL;
    size_t n = 0;
    pthread_mutex_lock(&r->lock);
    if (pending) {
        for (size_t i = 0; i < r->n_parts; i++) {
            n += r->parts[i].n;
        }
        texts = calloc(n + 1, sizeof *texts);
        n = 0;
        for (size_t i = 0; texts != NULL && i < r->n_parts; i++) {
            for (size_t k = 0; k < r->parts[i].n; k++) {
                if (r->parts[i].w[k].st == LW_PENDING) {
                    texts[n] = strdup(r->parts[i].w[k].text);
                    n += texts[n] != NULL;
                }
            }
        }
    } else {
        csv = lv_room_csv(r, &len);
    }
    pthread_mutex_unlock(&r->lock);
    vc_error err = {0};
    vc_words *w = pending ? (texts ? lv_count_texts((const char *const *)texts, n) : NULL)
                          : (csv ? lv_count_csv(csv, len, &err) : NULL);
    free(csv);
    for (size_t i = 0; texts != NULL && i < n; i++) {
        free(texts[i]);
    }
    free(texts);
    char *tsv = w || (pending && n == 0) ? lv_counts_tsv(w) : NULL;
    vc_words_free(w);
    if (tsv == NULL) {
        return send_error(c, status, 500, "the answers could not be counted");
    }
    enum MHD_Result rc = queue(
        c, status, 200,
        text_response("text/tab-separated-values; charset=utf-8", tsv, strlen(tsv)));
    free(tsv);
    return rc;
}

static enum MHD_Result export_csv(struct MHD_Connection *c, lv_room *r, unsigned *status)
{
    size_t len = 0;
    pthread_mutex_lock(&r->lock);
    char *csv = lv_room_csv(r, &len);
    pthread_mutex_unlock(&r->lock);
    if (csv == NULL) {
        return send_error(c, status, 500, "out of memory");
    }
    struct MHD_Response *resp = text_response("text/csv; charset=utf-8", csv, len);
    free(csv);
    if (resp != NULL) {
        char disp[96];
        snprintf(disp, sizeof disp, "attachment; filename=\"votecloud-live-%.8s.csv\"",
                 r->id);
        MHD_add_response_header(resp, "Content-Disposition", disp);
        /* The decisions behind the "hidden:" and "pending:" notes. */
        char link[128];
        snprintf(
            link, sizeof link,
            "</api/events/%s/moderation.csv>; rel=\"related\"; title=\"moderation log\"",
            r->id);
        MHD_add_response_header(resp, "Link", link);
    }
    return queue(c, status, 200, resp);
}

/* The "word" of a {"word": ...} body, checked like a participant's. */
static bool body_word(const lv_req *q, char out[4 * SV_LIVE_WORD_CHARS + 1])
{
    json_t *j = q->body ? json_loadb(q->body, q->body_len, 0, NULL) : NULL;
    json_t *w = json_object_get(j, "word");
    bool ok = json_is_string(w) &&
              sv_live_word_check(json_string_value(w), json_string_length(w), out,
                                 4 * SV_LIVE_WORD_CHARS + 1) == SV_WORD_OK;
    json_decref(j);
    return ok;
}

/* lv_same_word answers remembered by text: a room says the same words
 * many times, and each answer is a small count by the library. */
typedef struct same_cache {
    const char **texts;
    bool *same;
    size_t n, cap;
} same_cache;

static bool same_cached(same_cache *c, const char *word, const char *text)
{
    for (size_t i = 0; i < c->n; i++) {
        if (strcmp(c->texts[i], text) == 0) {
            return c->same[i];
        }
    }
    bool same = lv_same_word(word, text);
    if (c->n == c->cap) {
        size_t cap = c->cap ? 2 * c->cap : 64;
        const char **t = realloc(c->texts, cap * sizeof *t);
        if (t != NULL) {
            c->texts = t;
        }
        bool *s = t ? realloc(c->same, cap * sizeof *s) : NULL;
        if (s == NULL) {
            return same; /* not remembered: asked again next time */
        }
        c->same = s;
        c->cap = cap;
    }
    c->texts[c->n] = text;
    c->same[c->n++] = same;
    return same;
}

/* Who made a presenter's decision, for the moderation log: always the
 * holder of the room's key (never the key itself), from the presenter
 * screen (a browser says Sec-Fetch-Site: same-origin for the page's own
 * requests) or from elsewhere (a script with the key). */
static const char *actor(struct MHD_Connection *c)
{
    const char *site = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Sec-Fetch-Site");
    return site != NULL && strcmp(site, "same-origin") == 0 ? "presenter screen"
                                                            : "presenter key (API)";
}

typedef enum mod_action { MOD_HIDE, MOD_APPROVE, MOD_UNHIDE } mod_action;

static const char *const mod_names[] = {"hide", "approve", "unhide"};
static const char *const mod_done[] = {"hidden", "approved", "unhidden"};

/* Whether an answer in state st is one the action changes, and to what. */
static bool mod_changes(const lv_room *r, mod_action a, lv_status st, lv_status *to)
{
    switch (a) {
    case MOD_HIDE:
        *to = LW_HIDDEN;
        return st == LW_OK || st == LW_PENDING;
    case MOD_APPROVE:
        *to = LW_OK;
        return st == LW_PENDING;
    case MOD_UNHIDE:
        /* Back to what a new answer would be: waiting, with moderation. */
        *to = r->opts.moderation ? LW_PENDING : LW_OK;
        return st == LW_HIDDEN;
    }
    return false;
}

/* hide: every counted or waiting answer the library counts as `word`
 * becomes hidden, and later ones are (the room's hidden list); approve:
 * every waiting one is counted; unhide: the word leaves the hidden list
 * and its hidden answers count again (or wait, with moderation).  Memory
 * and SQLite change together, with the decision's log line, or neither
 * does. */
static enum MHD_Result moderate(sv_live *lv, struct MHD_Connection *c, lv_room *r,
                                const lv_req *q, unsigned *status, mod_action action)
{
    char word[4 * SV_LIVE_WORD_CHARS + 1];
    if (!body_word(q, word)) {
        return send_error(c, status, 400, "send {\"word\": \"...\"}, 1..40 characters");
    }
    pthread_mutex_lock(&r->lock);
    if (action == MOD_HIDE && !lv_room_add_hidden(r, word)) {
        pthread_mutex_unlock(&r->lock);
        return send_error(c, status, 500, "the hidden list could not be written");
    }
    char **unhidden = calloc(r->n_hidden + 1, sizeof *unhidden);
    size_t n_unhidden = 0;
    bool listed = unhidden != NULL;
    if (action == MOD_UNHIDE && listed) {
        listed = lv_room_remove_hidden(r, word, unhidden, &n_unhidden);
    }
    const lv_participant **changed = calloc(r->n_parts + 1, sizeof *changed);
    lv_status *before = calloc(r->n_parts * SV_LIVE_MAX_WORDS + 1, sizeof *before);
    size_t n = 0, answers = 0;
    same_cache cache = {0};
    for (size_t i = 0; changed != NULL && before != NULL && i < r->n_parts; i++) {
        lv_participant *p = &r->parts[i];
        bool touched = false;
        for (size_t k = 0; k < p->n; k++) {
            before[i * SV_LIVE_MAX_WORDS + k] = p->w[k].st;
            lv_status to;
            if (mod_changes(r, action, p->w[k].st, &to) &&
                same_cached(&cache, word, p->w[k].text)) {
                p->w[k].st = to;
                touched = true;
                answers++;
            }
        }
        if (touched) {
            changed[n++] = p;
        }
    }
    int rc = changed && before && listed
                 ? lv_store_moderate(lv, r, changed, n, mod_names[action], word, actor(c),
                                     (long long)answers)
                 : -1;
    if (rc != 0) {
        for (size_t i = 0; before != NULL && i < r->n_parts; i++) {
            for (size_t k = 0; k < r->parts[i].n; k++) {
                r->parts[i].w[k].st = before[i * SV_LIVE_MAX_WORDS + k];
            }
        }
        for (size_t i = 0; i < n_unhidden; i++) {
            lv_room_add_hidden(r, unhidden[i]);
        }
    } else {
        lv_room_touch(lv, r);
    }
    pthread_mutex_unlock(&r->lock);
    for (size_t i = 0; i < n_unhidden; i++) {
        free(unhidden[i]);
    }
    free(unhidden);
    free(cache.texts);
    free(cache.same);
    free(changed);
    free(before);
    if (rc != 0) {
        return send_error(c, status, 500, "the decision could not be stored");
    }
    return send_json(
        c, status, 200,
        json_pack("{s:s, s:I}", mod_done[action], word, "answers", (json_int_t)answers));
}

static enum MHD_Result close_room(sv_live *lv, struct MHD_Connection *c, lv_room *r,
                                  unsigned *status)
{
    pthread_mutex_lock(&r->lock);
    int rc = r->closed ? 0 : lv_store_room_close(lv, r, actor(c));
    if (rc == 0) {
        r->closed = true;
        lv_room_touch(lv, r);
    }
    pthread_mutex_unlock(&r->lock);
    if (rc != 0) {
        return send_error(c, status, 500, "the room could not be closed");
    }
    return send_json(c, status, 200, json_pack("{s:b}", "closed", true));
}

/* The moderation log: every hide, unhide, approve and close with its time
 * (UTC), word, answers changed and who decided. */
static enum MHD_Result moderation_csv(sv_live *lv, struct MHD_Connection *c, lv_room *r,
                                      unsigned *status)
{
    size_t len = 0;
    char *csv = lv_store_log_csv(lv, r, &len);
    if (csv == NULL) {
        return send_error(c, status, 500, "the moderation log could not be read");
    }
    struct MHD_Response *resp = text_response("text/csv; charset=utf-8", csv, len);
    free(csv);
    if (resp != NULL) {
        char disp[96];
        snprintf(disp, sizeof disp,
                 "attachment; filename=\"votecloud-live-%.8s-moderation.csv\"", r->id);
        MHD_add_response_header(resp, "Content-Disposition", disp);
    }
    return queue(c, status, 200, resp);
}

static enum MHD_Result session(struct MHD_Connection *c, lv_room *r, unsigned *status)
{
    char cookie[160];
    snprintf(cookie, sizeof cookie,
             "vcp=%s; Path=/api/events/%s; HttpOnly; SameSite=Strict", r->key, r->id);
    struct MHD_Response *resp =
        MHD_create_response_from_buffer(0, mhd_buffer(""), MHD_RESPMEM_PERSISTENT);
    if (resp != NULL) {
        MHD_add_response_header(resp, "Set-Cookie", cookie);
    }
    return queue(c, status, 204, resp);
}

/* ---- SSE ------------------------------------------------------------------------ */

/* "event: NAME\ndata: ...\n\n" with every line of `data` prefixed. */
static void sse_event(FILE *f, const char *name, const char *data)
{
    fprintf(f, "event: %s\ndata: ", name);
    for (const char *p = data; *p; p++) {
        if (*p == '\n') {
            if (p[1] != '\0') {
                fputs("\ndata: ", f);
            }
        } else if (*p != '\r') {
            fputc(*p, f);
        }
    }
    fputs("\n\n", f);
}

static char *sse_frame(const lv_room *r)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    if (f == NULL) {
        return NULL;
    }
    fprintf(f, "id: %llu\n", (unsigned long long)r->version);
    sse_event(f, "stats", r->stats);
    sse_event(f, "layout", r->layout);
    if (fclose(f) != 0) {
        free(buf);
        return NULL;
    }
    return buf;
}

static ssize_t stream_read(void *cls, uint64_t pos, char *buf, size_t max)
{
    (void)pos;
    lv_stream *s = cls;
    lv_room *r = s->room;
    pthread_mutex_lock(&r->lock);
    if (s->out_off >= s->out_len) {
        free(s->out);
        s->out = NULL;
        s->out_len = s->out_off = 0;
        pthread_mutex_lock(&s->lv->wake_lock);
        bool stopping = s->lv->stopping;
        pthread_mutex_unlock(&s->lv->wake_lock);
        if (stopping) {
            pthread_mutex_unlock(&r->lock);
            return MHD_CONTENT_READER_END_OF_STREAM;
        }
        if (r->version > s->sent && r->layout != NULL && r->stats != NULL) {
            s->out = sse_frame(r);
            s->sent = s->out ? r->version : s->sent;
        } else if (s->keepalive) {
            s->out = strdup(": keepalive\n\n");
        }
        s->keepalive = false;
        if (s->out == NULL) {
            /* Nothing new: give the pool thread back until the worker
             * resumes us (under this lock, so no wake-up is lost). */
            s->suspended = true;
            MHD_suspend_connection(s->conn);
            pthread_mutex_unlock(&r->lock);
            return 0;
        }
        s->out_len = strlen(s->out);
    }
    size_t n = s->out_len - s->out_off < max ? s->out_len - s->out_off : max;
    memcpy(buf, s->out + s->out_off, n);
    s->out_off += n;
    pthread_mutex_unlock(&r->lock);
    return (ssize_t)n;
}

static void stream_free(void *cls)
{
    lv_stream *s = cls;
    lv_room *r = s->room;
    pthread_mutex_lock(&r->lock);
    for (size_t i = 0; i < r->n_streams; i++) {
        if (r->streams[i] == s) {
            r->streams[i] = r->streams[--r->n_streams];
            break;
        }
    }
    pthread_mutex_unlock(&r->lock);
    free(s->out);
    free(s);
}

static enum MHD_Result stream(sv_live *lv, struct MHD_Connection *c, lv_room *r,
                              unsigned *status)
{
    lv_stream *s = calloc(1, sizeof *s);
    if (s == NULL) {
        return MHD_NO;
    }
    s->lv = lv;
    s->room = r;
    s->conn = c;
    pthread_mutex_lock(&r->lock);
    if (r->n_streams == r->cap_streams) {
        size_t cap = r->cap_streams ? 2 * r->cap_streams : 8;
        lv_stream **st = realloc(r->streams, cap * sizeof *st);
        if (st == NULL) {
            pthread_mutex_unlock(&r->lock);
            free(s);
            return MHD_NO;
        }
        r->streams = st;
        r->cap_streams = cap;
    }
    r->streams[r->n_streams++] = s;
    if (r->version == 0) {
        lv_room_touch(lv, r); /* the first frame of a room nobody watched yet */
    }
    pthread_mutex_unlock(&r->lock);
    struct MHD_Response *resp = MHD_create_response_from_callback(
        MHD_SIZE_UNKNOWN, 32 * 1024, stream_read, s, stream_free);
    if (resp == NULL) {
        stream_free(s);
        return MHD_NO;
    }
    MHD_add_response_header(resp, "Content-Type", "text/event-stream; charset=utf-8");
    MHD_add_response_header(resp, "X-Accel-Buffering", "no");
    return queue(c, status, 200, resp);
}

/* ---- files ------------------------------------------------------------------------ */

static enum MHD_Result send_asset(struct MHD_Connection *c, const char *name,
                                  unsigned *status)
{
    static const char *const types[][2] = {
        {".js", "text/javascript; charset=utf-8"},
        {".css", "text/css; charset=utf-8"},
        {".html", "text/html; charset=utf-8"},
    };
    for (size_t i = 0; i < sv_www_count; i++) {
        if (strcmp(sv_www[i].name, name) != 0) {
            continue;
        }
        const char *type = "application/octet-stream";
        const char *dot = strrchr(name, '.');
        for (size_t k = 0; dot != NULL && k < sizeof types / sizeof types[0]; k++) {
            if (strcmp(dot, types[k][0]) == 0) {
                type = types[k][1];
            }
        }
        struct MHD_Response *r = MHD_create_response_from_buffer(
            sv_www[i].len, mhd_buffer(sv_www[i].data), MHD_RESPMEM_PERSISTENT);
        if (r != NULL) {
            MHD_add_response_header(r, "Content-Type", type);
        }
        return queue(c, status, 200, r);
    }
    return send_error(c, status, 404, "not found");
}

static enum MHD_Result send_font(sv_live *lv, struct MHD_Connection *c, const char *name,
                                 unsigned *status)
{
    char path[4096];
    bool missing = true;
    struct MHD_Response *r =
        lv_font_path(lv, name, path, sizeof path) ? sv_file_response(path, 0, &missing) : NULL;
    if (r == NULL) {
        return missing ? send_error(c, status, 404, "no such font") : MHD_NO;
    }
    MHD_add_response_header(r, "Content-Type",
                            strstr(name, ".otf") ? "font/otf" : "font/ttf");
    return queue(c, status, 200, r);
}

/* ---- dispatch ---------------------------------------------------------------------- */

static bool is_post_with_body(sv_live_kind k)
{
    return k == LV_CREATE || k == LV_NEW_FORM || k == LV_JOIN_POST || k == LV_HIDE ||
           k == LV_APPROVE || k == LV_UNHIDE || k == LV_CLOSE || k == LV_SESSION;
}

static bool is_presenter_api(sv_live_kind k)
{
    return k == LV_COUNTS || k == LV_STREAM || k == LV_EXPORT || k == LV_PENDING ||
           k == LV_HIDE || k == LV_APPROVE || k == LV_UNHIDE || k == LV_CLOSE ||
           k == LV_SESSION || k == LV_MODLOG;
}

static enum MHD_Result team_refused(struct MHD_Connection *c, unsigned *status)
{
    static const char body[] = "{\"error\":\"password needed\"}";
    struct MHD_Response *r = MHD_create_response_from_buffer(
        strlen(body), mhd_buffer(body), MHD_RESPMEM_PERSISTENT);
    if (r == NULL) {
        return MHD_NO;
    }
    sv_security_headers(r);
    *status = 401;
    enum MHD_Result rc = MHD_queue_basic_auth_fail_response(c, "votecloud", r);
    MHD_destroy_response(r);
    return rc;
}

/* The checks made before a body is read: who may ask, what may be sent. */
static enum MHD_Result first_call(sv_live *lv, struct MHD_Connection *c, lv_req *q,
                                  unsigned *status)
{
    sv_live_kind k = q->route.kind;
    q->refused = true;
    bool organiser = k == LV_CREATE || k == LV_NEW_PAGE || k == LV_NEW_FORM;
    if (organiser && !q->team_ok) {
        return team_refused(c, status);
    }
    if ((k == LV_CREATE || k == LV_NEW_FORM) && !sv_same_origin(c)) {
        return send_error(c, status, 403,
                          "cross-site request refused: send the header X-Votecloud: 1");
    }
    if (is_presenter_api(k)) {
        unsigned a = presenter_auth(c, lv_room_by_id(lv, q->route.id));
        if (a != 0) {
            return send_error(
                c, status, a,
                a == 401 ? "the presenter key is needed (Authorization: Bearer KEY)"
                         : "not allowed");
        }
        if (k != LV_SESSION && is_post_with_body(k) && !action_origin_ok(c)) {
            return send_error(c, status, 403, "cross-site request refused");
        }
    }
    if (k == LV_JOIN_POST) {
        /* Anyone may answer, so a cross-site form gains nothing a visitor
         * could not do; a browser saying it is one is refused anyway. */
        const char *site =
            MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Sec-Fetch-Site");
        if (site != NULL && strcmp(site, "cross-site") == 0) {
            return page_error(c, status, 403, "Refused",
                              "Answer from the room's own page.");
        }
        if (!lv_rate_ok(lv, q->ip)) {
            return page_error(
                c, status, 429, "Too many answers",
                "Too many answers from your network just now: wait a minute "
                "and send again.");
        }
    }
    if (!is_post_with_body(k)) {
        q->refused = false;
        return MHD_YES;
    }
    const char *len = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Content-Length");
    if (len != NULL && strtoull(len, NULL, 10) > SV_LIVE_BODY_MAX) {
        return send_error(c, status, 413, "the request is too large");
    }
    const char *type = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Content-Type");
    if (k == LV_JOIN_POST || k == LV_NEW_FORM) {
        if (type == NULL ||
            strncasecmp(type, "application/x-www-form-urlencoded", 33) != 0) {
            return send_error(c, status, 415,
                              "send the form as application/x-www-form-urlencoded");
        }
        q->pp = MHD_create_post_processor(c, 4096, form_iter, q);
        if (q->pp == NULL) {
            return send_error(c, status, 400, "the form could not be read");
        }
    } else if ((k == LV_CREATE || k == LV_HIDE || k == LV_APPROVE || k == LV_UNHIDE) &&
               (type == NULL || strncasecmp(type, "application/json", 16) != 0)) {
        return send_error(c, status, 415, "send JSON (Content-Type: application/json)");
    }
    q->refused = false;
    return MHD_YES;
}

static enum MHD_Result body_chunk(lv_req *q, const char *data, size_t size)
{
    if (q->body_len + size > SV_LIVE_BODY_MAX) {
        q->too_big = true;
        return MHD_YES;
    }
    if (q->pp != NULL) {
        q->body_len += size;
        /* A malformed body only leaves fields out: the answer is a 400. */
        (void)MHD_post_process(q->pp, data, size);
        return MHD_YES;
    }
    char *b = realloc(q->body, q->body_len + size + 1);
    if (b == NULL) {
        return MHD_NO;
    }
    memcpy(b + q->body_len, data, size);
    q->body = b;
    q->body_len += size;
    q->body[q->body_len] = '\0';
    return MHD_YES;
}

static enum MHD_Result respond(sv_live *lv, struct MHD_Connection *c, lv_req *q,
                               unsigned *status)
{
    sv_live_kind k = q->route.kind;
    lv_room *r = is_presenter_api(k) ? lv_room_by_id(lv, q->route.id) : NULL;
    if (q->too_big && k != LV_JOIN_POST) {
        return send_error(c, status, 413, "the request is too large");
    }
    switch (k) {
    case LV_CREATE:
        return api_create(lv, c, q, status);
    case LV_NEW_PAGE:
        return send_page(c, status, 200, lv_page_new(NULL));
    case LV_NEW_FORM:
        return form_create(lv, c, q, status);
    case LV_JOIN_PAGE:
        return join_page(lv, c, q, status);
    case LV_JOIN_POST:
        return join_post(lv, c, q, status);
    case LV_THANKS:
        return thanks_page(lv, c, q, status);
    case LV_QR:
        return qr_code(lv, c, q, status);
    case LV_PRESENTER:
        return send_asset(c, "presenter.html", status);
    case LV_ASSET:
        return send_asset(c, q->route.asset, status);
    case LV_FONT:
        return send_font(lv, c, q->route.asset, status);
    case LV_COUNTS:
        return counts(c, r, status, false);
    case LV_PENDING:
        return counts(c, r, status, true);
    case LV_EXPORT:
        return export_csv(c, r, status);
    case LV_STREAM:
        return stream(lv, c, r, status);
    case LV_HIDE:
        return moderate(lv, c, r, q, status, MOD_HIDE);
    case LV_APPROVE:
        return moderate(lv, c, r, q, status, MOD_APPROVE);
    case LV_UNHIDE:
        return moderate(lv, c, r, q, status, MOD_UNHIDE);
    case LV_MODLOG:
        return moderation_csv(lv, c, r, status);
    case LV_CLOSE:
        return close_room(lv, c, r, status);
    case LV_SESSION:
        return session(c, r, status);
    case LV_BAD_METHOD:
        return send_error(c, status, 405, "method not allowed");
    case LV_NONE:
    case LV_NOT_FOUND:
        break;
    }
    return send_error(c, status, 404, "not found");
}

static bool participant_route(const sv_live_route *r)
{
    return r->kind == LV_JOIN_PAGE || r->kind == LV_JOIN_POST || r->kind == LV_THANKS ||
           r->kind == LV_QR || (r->kind == LV_ASSET && strcmp(r->asset, "join.css") == 0);
}

static enum MHD_Result handle(struct sv_live *lv, struct MHD_Connection *c,
                              const sv_live_route *route, bool team_ok, const char *upload,
                              size_t *upload_size, void **state, unsigned *status)
{
    lv_req *q = *state;
    if (q == NULL) {
        q = calloc(1, sizeof *q);
        if (q == NULL) {
            return MHD_NO;
        }
        q->route = *route;
        q->team_ok = team_ok;
        q->ip = client_ip(c);
        *state = q;
        return first_call(lv, c, q, status);
    }
    if (q->refused) {
        *upload_size = 0;
        return MHD_YES;
    }
    if (*upload_size > 0) {
        enum MHD_Result rc = body_chunk(q, upload, *upload_size);
        *upload_size = 0;
        return rc;
    }
    return respond(lv, c, q, status);
}

int sv_live_handle(struct sv_live *lv, struct MHD_Connection *c,
                   const sv_live_route *route, bool team_ok, const char *upload,
                   size_t *upload_size, void **state, unsigned *status)
{
    close_after = participant_route(route);
    enum MHD_Result rc = handle(lv, c, route, team_ok, upload, upload_size, state, status);
    close_after = false;
    return rc;
}

void sv_live_request_done(void *state)
{
    lv_req *q = state;
    if (q == NULL) {
        return;
    }
    if (q->pp != NULL) {
        MHD_destroy_post_processor(q->pp);
    }
    for (size_t i = 0; i < q->n_fields; i++) {
        free(q->fields[i].value);
    }
    free(q->body);
    free(q);
}

/* ---- start and stop ---------------------------------------------------------------- */

#include "profanity-en.h"

/* The default list and the house list (DATA/profanity-house.txt) as one
 * exclusions file the counters load. */
static int write_profanity(sv_live *lv, char *err, size_t errlen)
{
    char house[4400];
    snprintf(house, sizeof house, "%s/profanity-house.txt", lv->server->data);
    FILE *h = fopen(house, "rb");
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    if (f == NULL) {
        if (h) {
            fclose(h);
        }
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    fputs(sv_profanity_en, f);
    char line[1024];
    while (h != NULL && fgets(line, sizeof line, h) != NULL) {
        fputs(line, f);
    }
    if (h != NULL) {
        fputc('\n', f);
        fclose(h);
    }
    fclose(f);
    vc_error e = {0};
    bool ok = buf != NULL && vc_file_write_atomic(lv->profanity_path, buf, len, &e);
    free(buf);
    if (!ok) {
        snprintf(err, errlen, "%s",
                 e.message[0] ? e.message : "profanity list: out of memory");
        return -1;
    }
    return 0;
}

struct sv_live *sv_live_start(struct sv_server *s, char *err, size_t errlen)
{
    sv_live *lv = calloc(1, sizeof *lv);
    if (lv == NULL) {
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    lv->server = s;
    lv->rate_per_minute = s->live_rate;
    pthread_mutex_init(&lv->db_lock, NULL);
    pthread_mutex_init(&lv->rooms_lock, NULL);
    pthread_mutex_init(&lv->wake_lock, NULL);
    pthread_mutex_init(&lv->rate_lock, NULL);
    pthread_mutex_init(&lv->fonts_lock, NULL);
    pthread_cond_init(&lv->wake, NULL);
    snprintf(lv->dir, sizeof lv->dir, "%s/live", s->data);
    snprintf(lv->profanity_path, sizeof lv->profanity_path, "%s/profanity.txt", lv->dir);
    if (mkdir(lv->dir, 0700) != 0 && errno != EEXIST) {
        snprintf(err, errlen, "%s: %s", lv->dir, strerror(errno));
    } else if (write_profanity(lv, err, errlen) == 0 &&
               lv_store_open(lv, err, errlen) == 0 &&
               lv_store_load(lv, err, errlen) == 0) {
        if (lv_worker_start(lv) == 0) {
            return lv;
        }
        snprintf(err, errlen, "the layout thread could not start");
    }
    sv_live_free(lv);
    return NULL;
}

void sv_live_stop_streams(struct sv_live *lv)
{
    if (lv == NULL) {
        return;
    }
    pthread_mutex_lock(&lv->wake_lock);
    lv->stopping = true;
    pthread_cond_signal(&lv->wake);
    pthread_mutex_unlock(&lv->wake_lock);
    if (lv->worker_started) {
        pthread_join(lv->worker, NULL);
        lv->worker_started = false;
    }
    pthread_mutex_lock(&lv->rooms_lock);
    for (size_t i = 0; i < lv->n_rooms; i++) {
        pthread_mutex_lock(&lv->rooms[i]->lock);
        lv_wake_streams(lv->rooms[i]);
        pthread_mutex_unlock(&lv->rooms[i]->lock);
    }
    pthread_mutex_unlock(&lv->rooms_lock);
}

void sv_live_free(struct sv_live *lv)
{
    if (lv == NULL) {
        return;
    }
    sv_live_stop_streams(lv);
    for (size_t i = 0; i < lv->n_rooms; i++) {
        lv_room_free(lv->rooms[i]);
    }
    free(lv->rooms);
    lv_store_close(lv);
    pthread_mutex_destroy(&lv->db_lock);
    pthread_mutex_destroy(&lv->rooms_lock);
    pthread_mutex_destroy(&lv->wake_lock);
    pthread_mutex_destroy(&lv->rate_lock);
    pthread_mutex_destroy(&lv->fonts_lock);
    pthread_cond_destroy(&lv->wake);
    free(lv);
}
