/* serve.c - `votecloud serve`: libmicrohttpd with its internal thread
 * pool; HTTP parsing (request line, headers, multipart) is libmicrohttpd's.
 * Every render, batch and inspection runs the votecloud binary itself
 * (run.c), so the bytes served are the CLI's bytes. */
#define _GNU_SOURCE
#include "serve-internal.h"
#include "live-serve.h"
#include "www.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define SV_MAX_JSON (64 * 1024)
#define SV_MAX_ALT 10000
#define SV_MAX_FONT (20u << 20) /* the largest CJK fonts are ~17 MB */
#define SV_PER_IP_CONNECTIONS 32 /* one office behind NAT: several users, ~6 connections each */
#define SV_LIVE_RATE 3000        /* live answers per address per minute (a venue's NAT) */

typedef struct sv_req {
    sv_request_route route;
    char method[8];
    char url[256];
    unsigned status;
    struct timespec start;
    /* bodies */
    struct MHD_PostProcessor *pp;
    char *body;
    size_t body_len;
    bool too_big;
    bool html;     /* a browser without JavaScript: HTML answers, 303s */
    json_t *form;  /* POST /u/{id}: the form's fields */
    bool refused; /* a response was queued in the first call */
    /* upload */
    int fd;
    char tmp_path[4300];
    char ext[8];
    bool bad_ext;
    bool got_file;
    uint64_t bytes;
    sv_live_route live; /* a live room's route (kind LV_NONE: the web app's) */
    void *live_state;
    bool team_ok;
    char font_name[128]; /* an uploaded font's file name, when it is text */
    bool file_big;       /* the file (upload, font) is over its limit */
    int store_errno;     /* why the file could not be stored (0: it was) */
    bool multipart;      /* POST /u/{id} as multipart/form-data (font, style file) */
    char *style_text;    /* POST /u/{id}: the style file sent, its name */
    size_t style_len;
    bool style_got, style_big;
    char style_name[128];
    double stage_ms[3];  /* a render: before, in and after the child (the log) */
} sv_req;

static double ms_since(const struct timespec *t0)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)(t.tv_sec - t0->tv_sec) * 1e3 + (double)(t.tv_nsec - t0->tv_nsec) / 1e6;
}

#define SV_MAX_STYLE_FILE (64 * 1024)

static sv_server server;

/* ---- responses ---------------------------------------------------- */

static void add_security_headers(struct MHD_Response *r)
{
    MHD_add_response_header(r, "Content-Security-Policy",
                            "default-src 'self'; img-src 'self' blob: data:; "
                            "frame-ancestors 'none'; form-action 'self'; base-uri 'none'");
    MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
    MHD_add_response_header(r, "Referrer-Policy", "no-referrer");
    MHD_add_response_header(r, "X-Frame-Options", "DENY");
    MHD_add_response_header(r, "Cache-Control", "no-store");
}

void sv_security_headers(struct MHD_Response *r)
{
    add_security_headers(r);
}

struct MHD_Response *sv_file_response(const char *path, int flags, bool *missing)
{
    *missing = false;
    int fd = open(path, O_RDONLY | O_CLOEXEC | flags);
    struct stat st;
    if (fd < 0 || fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        if (fd >= 0) {
            close(fd);
        }
        *missing = true;
        return NULL;
    }
    struct MHD_Response *r = MHD_create_response_from_fd((uint64_t)st.st_size, fd);
    if (r == NULL) {
        close(fd);
    }
    return r;
}

static enum MHD_Result queue(struct MHD_Connection *c, sv_req *q, unsigned status,
                             struct MHD_Response *r)
{
    if (r == NULL) {
        return MHD_NO;
    }
    add_security_headers(r);
    q->status = status;
    enum MHD_Result rc = MHD_queue_response(c, status, r);
    MHD_destroy_response(r);
    return rc;
}

/* libmicrohttpd takes a non-const buffer it only reads (it copies, or
 * serves our static assets as they are). */
static void *mhd_buffer(const void *p)
{
    return (void *)(uintptr_t)p;
}

static enum MHD_Result send_text(struct MHD_Connection *c, sv_req *q, unsigned status,
                                 const char *type, const char *text, size_t len)
{
    struct MHD_Response *r =
        MHD_create_response_from_buffer(len, mhd_buffer(text), MHD_RESPMEM_MUST_COPY);
    if (r != NULL) {
        MHD_add_response_header(r, "Content-Type", type);
    }
    return queue(c, q, status, r);
}

static enum MHD_Result send_json(struct MHD_Connection *c, sv_req *q, unsigned status, json_t *j)
{
    char *s = json_dumps(j, JSON_COMPACT | JSON_ENSURE_ASCII);
    json_decref(j);
    if (s == NULL) {
        return MHD_NO;
    }
    enum MHD_Result rc = send_text(c, q, status, "application/json", s, strlen(s));
    free(s);
    return rc;
}

static enum MHD_Result send_html(struct MHD_Connection *c, sv_req *q, unsigned status,
                                 char *page)
{
    if (page == NULL) {
        return MHD_NO;
    }
    enum MHD_Result rc = send_text(c, q, status, "text/html; charset=utf-8", page, strlen(page));
    free(page);
    return rc;
}

static enum MHD_Result see_other(struct MHD_Connection *c, sv_req *q, const char *prefix,
                                 const char *id)
{
    char loc[160];
    snprintf(loc, sizeof loc, "%s%s", prefix, id);
    struct MHD_Response *r = MHD_create_response_from_buffer(0, (void *)"", MHD_RESPMEM_PERSISTENT);
    if (r != NULL) {
        MHD_add_response_header(r, "Location", loc);
    }
    return queue(c, q, 303, r);
}

static enum MHD_Result send_error(struct MHD_Connection *c, sv_req *q, unsigned status,
                                  const char *msg)
{
    if (q->html) {
        return send_html(c, q, status, sv_page_error(status, msg));
    }
    return send_json(c, q, status, json_pack("{s:s}", "error", msg));
}

/* ---- helpers ------------------------------------------------------ */

/* ---- uploads ------------------------------------------------------ */

/* One chunk of the file of an upload (field "file") or a font (field
 * "font"), streamed to tmp/ID.part; the extension decides if it is kept. */
static enum MHD_Result file_chunk(sv_req *q, bool font, const char *filename, const char *data,
                                  size_t size)
{
    if (q->fd < 0 && !q->got_file) {
        q->got_file = true;
        const char *dot = filename ? strrchr(filename, '.') : NULL;
        static const char *const exts[] = {"csv", "tsv", "txt", "tab", "xlsx"};
        static const char *const font_exts[] = {"ttf", "otf"};
        const char *const *allowed = font ? font_exts : exts;
        size_t n_allowed = font ? 2 : sizeof exts / sizeof exts[0];
        q->bad_ext = true;
        for (size_t i = 0; dot != NULL && i < n_allowed; i++) {
            if (strcasecmp(dot + 1, allowed[i]) == 0) {
                snprintf(q->ext, sizeof q->ext, "%s", allowed[i]);
                q->bad_ext = false;
            }
        }
        /* The name as the officer knows it, for the style file; text only. */
        size_t fl = filename ? strlen(filename) : 0;
        if (font && fl > 0 && fl < sizeof q->font_name && sv_text_ok(filename, fl) &&
            strchr(filename, '/') == NULL && strchr(filename, '\\') == NULL) {
            memcpy(q->font_name, filename, fl + 1);
        }
        if (q->bad_ext) {
            return MHD_YES;
        }
        char id[SV_ID_HEX + 1];
        if (sv_new_id(id) != 0) {
            return MHD_NO;
        }
        snprintf(q->tmp_path, sizeof q->tmp_path, "%s/tmp/%s.part", server.data, id);
        q->fd = open(q->tmp_path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
        if (q->fd < 0) {
            q->store_errno = errno;
            q->tmp_path[0] = '\0';
            return MHD_YES; /* the rest is read and dropped; the answer says why */
        }
    }
    if (q->fd < 0 || q->file_big) {
        return MHD_YES;
    }
    q->bytes += size;
    if (q->bytes > (font && server.max_upload > SV_MAX_FONT ? SV_MAX_FONT : server.max_upload)) {
        /* Over the limit: the partial file goes now; the rest is only counted. */
        q->file_big = true;
        close(q->fd);
        q->fd = -1;
        unlink(q->tmp_path);
        q->tmp_path[0] = '\0';
        return MHD_YES;
    }
    size_t done = 0;
    while (done < size) {
        ssize_t n = write(q->fd, data + done, size - done);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n <= 0) {
            /* A file cut short must never be read as the whole upload (a
             * CSV cut at a line end counts fewer people): it goes now. */
            q->store_errno = n < 0 ? errno : EIO;
            close(q->fd);
            q->fd = -1;
            unlink(q->tmp_path);
            q->tmp_path[0] = '\0';
            return MHD_YES;
        }
        done += (size_t)n;
    }
    return MHD_YES;
}

/* Why `what` (an upload, a font) could not be kept: a full disk is the
 * server's, said as such (507), not taken for a fault of the file. */
static unsigned store_failure(int err, const char *what, char *msg, size_t msglen)
{
    if (err == ENOSPC || err == EDQUOT) {
        snprintf(msg, msglen, "the server's disk is full: the %s could not be stored", what);
        return 507;
    }
    snprintf(msg, msglen, "the %s could not be stored%s%s", what, err ? ": " : "",
             err ? strerror(err) : "");
    return 500;
}

static enum MHD_Result upload_field(void *cls, enum MHD_ValueKind kind, const char *key,
                                    const char *filename, const char *content_type,
                                    const char *transfer_encoding, const char *data,
                                    uint64_t off, size_t size)
{
    (void)kind;
    (void)content_type;
    (void)transfer_encoding;
    (void)off;
    sv_req *q = cls;
    bool font = q->route.kind == SV_FONT;
    if (key == NULL || strcmp(key, font ? "font" : "file") != 0) {
        return MHD_YES;
    }
    return file_chunk(q, font, filename, data, size);
}

static enum MHD_Result finish_upload(struct MHD_Connection *c, sv_req *q)
{
    if (q->too_big || q->file_big) {
        return send_error(c, q, 413, "the file is larger than the server's upload limit");
    }
    if (!q->got_file) {
        return send_error(c, q, 400, "no file: send it as the multipart field 'file'");
    }
    if (q->bad_ext) {
        return send_error(c, q, 415,
                          "not a supported file: send a .csv, .tsv, .txt or .xlsx export");
    }
    char msg[2048];
    if (q->fd < 0) {
        return send_error(c, q, store_failure(q->store_errno, "upload", msg, sizeof msg), msg);
    }
    close(q->fd);
    q->fd = -1;
    char id[SV_ID_HEX + 1], dir[4300], dst[4400], out[4400], err[4400];
    if (sv_new_id(id) != 0) {
        return send_error(c, q, 500, "no random id");
    }
    snprintf(dir, sizeof dir, "%s/uploads/%s", server.data, id);
    snprintf(dst, sizeof dst, "%s/input.%s", dir, q->ext);
    if (mkdir(dir, 0700) != 0 || rename(q->tmp_path, dst) != 0) {
        int e = errno;
        rmdir(dir);
        return send_error(c, q, store_failure(e, "upload", msg, sizeof msg), msg);
    }
    q->tmp_path[0] = '\0';
    snprintf(out, sizeof out, "%s/inspect.json", dir);
    snprintf(err, sizeof err, "%s/inspect.err", dir);
    char input[32];
    snprintf(input, sizeof input, "input.%s", q->ext);
    sv_argv cmd = {0};
    int exit_status = -1;
    int rc = sv_argv_push(&cmd, "inspect") || sv_argv_push(&cmd, input) ||
             sv_argv_push(&cmd, "--json")
                 ? -1
                 : sv_run(&server, dir, &cmd, out, err, &exit_status);
    sv_argv_free(&cmd);
    unsigned st = rc != 0 ? 500 : sv_child_status(exit_status);
    if (st != 0) {
        sv_child_reason(err, st,
                        st < 500 ? "the file could not be read"
                                 : "the server could not inspect the file",
                        msg, sizeof msg);
        sv_rmtree(dir);
        return send_error(c, q, st == 400 ? 422 : st, msg);
    }
    char *text = sv_read_small(out, 8 << 20);
    json_t *j = text ? json_loads(text, 0, NULL) : NULL;
    free(text);
    if (!json_is_object(j)) {
        json_decref(j);
        sv_rmtree(dir);
        return send_error(c, q, 500, "inspect gave no JSON");
    }
    json_t *resp = json_pack("{s:s}", "id", id);
    json_object_update(resp, j);
    bool redirect = q->html;
    char *meta = json_dumps(resp, JSON_COMPACT);
    json_decref(j);
    int put = meta ? sv_store_put(&server, "uploads", id, NULL, meta) : -1;
    free(meta);
    if (put != 0) {
        json_decref(resp);
        sv_rmtree(dir);
        return send_error(c, q, 500, "the index could not be written");
    }
    if (redirect) {
        json_decref(resp);
        return see_other(c, q, "/u/", id);
    }
    return send_json(c, q, 201, resp);
}

/* The font a request sent, checked and kept as fonts/ID/font.EXT: 0 with
 * its id, or a status with msg. */
static unsigned keep_font(sv_req *q, char id[SV_ID_HEX + 1], char *msg, size_t msglen)
{
    if (q->file_big) {
        snprintf(msg, msglen, "the font is larger than 20 MB");
        return 413;
    }
    if (!q->got_file) {
        snprintf(msg, msglen, "no font: send it as the multipart field 'font'");
        return 400;
    }
    if (q->bad_ext) {
        snprintf(msg, msglen, "not a font file: send a .ttf or .otf font");
        return 415;
    }
    if (q->fd < 0) {
        return store_failure(q->store_errno, "font", msg, msglen);
    }
    close(q->fd);
    q->fd = -1;
    char dir[4300], dst[4400], name[16];
    if (sv_new_id(id) != 0) {
        snprintf(msg, msglen, "no random id");
        return 500;
    }
    snprintf(dir, sizeof dir, "%s/fonts/%s", server.data, id);
    snprintf(name, sizeof name, "font.%s", q->ext);
    snprintf(dst, sizeof dst, "%s/%s", dir, name);
    if (mkdir(dir, 0700) != 0 || rename(q->tmp_path, dst) != 0) {
        int e = errno;
        rmdir(dir);
        return store_failure(e, "font", msg, msglen);
    }
    q->tmp_path[0] = '\0';
    unsigned st = sv_font_check(&server, dir, name, q->font_name[0] ? q->font_name : NULL, msg,
                                msglen);
    if (st != 0) {
        sv_rmtree(dir);
        return st;
    }
    if (q->font_name[0] == '\0') {
        snprintf(q->font_name, sizeof q->font_name, "%s", name);
    }
    return 0;
}

/* POST /api/fonts: the font is kept only if votecloud can draw with it. */
static enum MHD_Result finish_font(struct MHD_Connection *c, sv_req *q)
{
    char id[SV_ID_HEX + 1], msg[2048] = "";
    unsigned st = keep_font(q, id, msg, sizeof msg);
    if (st != 0) {
        return send_error(c, q, st, msg);
    }
    return send_json(c, q, 201, json_pack("{s:s,s:s}", "id", id, "name", q->font_name));
}

/* ---- house styles --------------------------------------------------- */

static enum MHD_Result style_request(struct MHD_Connection *c, sv_req *q)
{
    char msg[2048] = "";
    json_t *out = NULL;
    unsigned st;
    switch (q->route.kind) {
    case SV_STYLES:
        return send_json(c, q, 200, sv_style_list(&server));
    case SV_STYLE_SAVE:
        st = sv_style_save(&server, q->body ? q->body : "", q->body_len, &out, msg, sizeof msg);
        return st ? send_error(c, q, st, msg) : send_json(c, q, 201, out);
    case SV_STYLE_LOAD:
        st = sv_style_load(q->body ? q->body : "", q->body_len, &out, msg, sizeof msg);
        return st ? send_error(c, q, st, msg) : send_json(c, q, 200, out);
    default:
        break;
    }
    const char *name = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "name");
    char *file = name ? sv_style_file(&server, name) : NULL;
    if (file == NULL) {
        return send_error(c, q, 404, "no such house style");
    }
    struct MHD_Response *r =
        MHD_create_response_from_buffer(strlen(file), file, MHD_RESPMEM_MUST_FREE);
    if (r == NULL) {
        free(file);
        return MHD_NO;
    }
    MHD_add_response_header(r, "Content-Type", "text/plain; charset=utf-8");
    /* A fixed name: the style's own name is text from a user. */
    MHD_add_response_header(r, "Content-Disposition",
                            "attachment; filename=\"votecloud-style.txt\"");
    return queue(c, q, 200, r);
}

/* ---- clouds and batches ------------------------------------------- */

/* The downloads of a cloud, as pack.zip holds them; the first three are
 * the images of one render. */
static const char *const cloud_outputs[] = {
    "cloud.png", "cloud.svg", "cloud.pdf", "alt.txt",
    "table.html", "table.csv", "layout.json", "cloud@2x.png",
};

/* The publish pack's folder in a cloud's folder, and its files as
 * `votecloud render --pack` writes them (publish.zip holds them). */
#define PUBLISH_DIR "publish"
static const char *const publish_files[] = {
    "index.html", "cloud.png", "cloud.svg", "cloud.pdf", "cloud-alt-text.txt",
    "chart.png", "chart.svg", "chart.pdf", "chart-alt-text.txt", "description.html",
    "description.txt", "counts.csv", "table.html", "layout.json", "merges.json",
};

/* The drawn words with a character no font on this server has, for the
 * pages to say so: the image shows a box where the table gives the
 * character.  From the layout report's words (key "undrawable") or a batch
 * summary's event (key "character"); at most SV_MAX_UNDRAWABLE. */
#define SV_MAX_UNDRAWABLE 20

static json_t *undrawable_words(json_t *words, const char *key)
{
    json_t *out = json_array();
    size_t i;
    json_t *w;
    json_array_foreach(words, i, w)
    {
        json_t *cp = json_object_get(w, key);
        json_t *text = json_object_get(w, "text");
        if (json_is_string(cp) && json_is_string(text) &&
            json_array_size(out) < SV_MAX_UNDRAWABLE) {
            json_array_append_new(out, json_pack("{s:O,s:O}", "text", text, "character", cp));
        }
    }
    return out;
}

/* The events of a batch for the page: name, status, the gallery's SVG and
 * alt text when drawn (names checked like the route's), and the words drawn
 * with a box. */
static json_t *gallery_list(const char *gdir, json_t *events)
{
    json_t *list = json_array();
    size_t i;
    json_t *e;
    json_array_foreach(events, i, e)
    {
        json_t *item = json_pack("{s:O*,s:O*,s:O*,s:O*}", "event", json_object_get(e, "event"),
                                 "status", json_object_get(e, "status"), "error",
                                 json_object_get(e, "error"), "respondents",
                                 json_object_get(e, "respondents"));
        json_object_set_new(item, "undrawable",
                            undrawable_words(json_object_get(e, "undrawable"), "character"));
        size_t k;
        json_t *o;
        json_array_foreach(json_object_get(e, "outputs"), k, o)
        {
            const char *name = json_string_value(o);
            size_t n = name ? strlen(name) : 0;
            bool fine = n > 4 && n < 120 && name[0] != '.' && strspn(name, "abcdefghijklmnopqrstuvwxyz0123456789._-") == n;
            if (fine && strcmp(name + n - 4, ".svg") == 0) {
                json_object_set_new(item, "svg", json_string(name));
            } else if (fine && strcmp(name + n - 4, ".txt") == 0) {
                char p[4600];
                snprintf(p, sizeof p, "%s/%s", gdir, name);
                char *alt = sv_read_small(p, SV_MAX_ALT);
                if (alt != NULL) {
                    alt[strcspn(alt, "\n")] = '\0';
                    json_object_set_new(item, "alt_text", json_string(alt));
                    free(alt);
                }
            }
        }
        json_array_append_new(list, item);
    }
    return list;
}

/* A preview draws only what the page shows (the SVG, its alt text and the
 * layout report for the counts); the other downloads are drawn by the same
 * command with every output on the first download (complete_cloud).  The
 * library is deterministic, so the SVG drawn again is the same bytes. */
static bool preview_file(const char *name)
{
    return strcmp(name, "cloud.svg") == 0 || strcmp(name, "alt.txt") == 0 ||
           strcmp(name, "layout.json") == 0;
}

static int push_outputs(sv_argv *cmd, bool all)
{
    int bad = 0;
    for (size_t i = 0; i < 3; i++) {
        if (all || preview_file(cloud_outputs[i])) {
            bad |= sv_argv_push(cmd, "-o") | sv_argv_push(cmd, cloud_outputs[i]);
        }
    }
    bad |= sv_argv_push(cmd, "--alt-text") | sv_argv_push(cmd, "alt.txt");
    if (all) {
        bad |= sv_argv_push(cmd, "--table") | sv_argv_push(cmd, "table.html");
        bad |= sv_argv_push(cmd, "--table") | sv_argv_push(cmd, "table.csv");
        /* The publish pack (issue 15): chart, long description, data, an
         * index page; zipped as publish.zip. */
        bad |= sv_argv_push(cmd, "--pack") | sv_argv_push(cmd, PUBLISH_DIR);
    }
    bad |= sv_argv_push(cmd, "--layout-json") | sv_argv_push(cmd, "layout.json");
    return bad;
}

/* The render command for an upload's file linked into a job folder, with
 * the request's options.  Returns 0, 400 with msg, or 500. */
static unsigned build_command(sv_argv *cmd, bool batch, const char *link_name,
                              const char *options, size_t len, char *msg, size_t msglen)
{
    if (sv_argv_push(cmd, batch ? "batch" : "render") || sv_argv_push(cmd, link_name)) {
        snprintf(msg, msglen, "out of memory");
        return 500;
    }
    /* The font is ours to link (sv_font_link), not a CLI option. */
    json_t *o = json_loadb(options, len, JSON_REJECT_DUPLICATES, NULL);
    char *plain = NULL;
    if (json_is_object(o)) {
        json_object_del(o, "font-id");
        json_object_del(o, "font-name");
        plain = json_dumps(o, JSON_COMPACT);
    }
    json_decref(o);
    int rc = sv_options_to_argv(plain ? plain : options, plain ? strlen(plain) : len,
                                batch ? SV_BATCH : SV_RENDER, cmd, msg, msglen);
    free(plain);
    return rc != 0 ? 400 : 0;
}

/* The words step's choices as files in the job's folder and flags on its
 * command; returns those flags (kept with the cloud, for its other
 * downloads), or NULL with msg. */
static json_t *words_into(const char *upload, const char *options, size_t len, const char *dir,
                          sv_argv *cmd, char *msg, size_t msglen)
{
    json_t *o = json_loadb(options, len, 0, NULL);
    size_t before = cmd->n;
    msg[0] = '\0';
    int rc = sv_words_args(&server, upload, o, dir, cmd, msg, msglen);
    json_t *font = json_object_get(o, "font-id");
    if (rc == 0 && font != NULL) {
        rc = json_is_string(font) ? sv_font_link(&server, json_string_value(font), dir, cmd, msg,
                                                 msglen)
                                  : -1;
        if (rc != 0 && msg[0] == '\0') {
            snprintf(msg, msglen, "option 'font-id' takes the id of an uploaded font");
        }
    }
    json_decref(o);
    if (rc != 0) {
        return NULL;
    }
    json_t *flags = json_array();
    for (size_t i = before; i < cmd->n; i++) {
        json_array_append_new(flags, json_string(cmd->v[i]));
    }
    return flags;
}

static enum MHD_Result upload_page_with(struct MHD_Connection *c, sv_req *q, unsigned status,
                                        json_t *style, json_t *errors, const char *notice);

/* The field of the page without JavaScript whose value a refused option
 * came from (the typed ones: the rest are chosen from lists), or NULL.
 * The message names the option as the whitelist does ("option 'title'")
 * or as the CLI does ("... (--palette)", "--title: ..."). */
static const char *form_field_of(const char *msg)
{
    static const struct {
        const char *option, *field;
    } typed[] = {
        {"palette", "custom"},
        {"background", "background-colour"},
        {"contrast-against", "page-colour"},
        {"title", "title"},
        {"question", "question"},
    };
    for (size_t i = 0; i < sizeof typed / sizeof typed[0]; i++) {
        char as_cli[48], as_cli_start[48], as_whitelist[48];
        snprintf(as_cli, sizeof as_cli, "(--%s)", typed[i].option);
        snprintf(as_cli_start, sizeof as_cli_start, "--%s:", typed[i].option);
        snprintf(as_whitelist, sizeof as_whitelist, "option '%s'", typed[i].option);
        if (strstr(msg, as_cli) || strstr(msg, as_cli_start) || strstr(msg, as_whitelist)) {
            return typed[i].field;
        }
    }
    return NULL;
}

/* A form post the drawing refused because of a value typed in the form:
 * the page again, the message linked to its field, the values kept. */
static enum MHD_Result form_refused(struct MHD_Connection *c, sv_req *q, unsigned status,
                                    const char *field, const char *msg)
{
    json_t *style = json_loadb(q->body, q->body_len, 0, NULL);
    json_t *errors = json_pack("[[ss]]", field, msg);
    enum MHD_Result rc = style && errors ? upload_page_with(c, q, status, style, errors, NULL)
                                         : send_error(c, q, status, msg);
    json_decref(style);
    json_decref(errors);
    return rc;
}

/* A refused request: a form post whose typed value was refused gets the
 * form again (form_refused); anything else, the error. */
static enum MHD_Result form_or_error(struct MHD_Connection *c, sv_req *q, unsigned status,
                                     const char *msg)
{
    const char *field = q->form != NULL && q->body != NULL && status < 500 ? form_field_of(msg)
                                                                           : NULL;
    return field ? form_refused(c, q, status, field, msg) : send_error(c, q, status, msg);
}

static enum MHD_Result run_job(struct MHD_Connection *c, sv_req *q, bool batch)
{
    struct timespec t0;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    char parent_unused[SV_ID_HEX + 1];
    char *upmeta = sv_store_get(&server, "uploads", q->route.id, parent_unused);
    if (upmeta == NULL) {
        return send_error(c, q, 404, "no such upload (unknown or expired)");
    }
    free(upmeta);
    char updir[4300], input[32];
    snprintf(updir, sizeof updir, "%s/uploads/%s", server.data, q->route.id);
    if (!sv_upload_input_name(updir, input, sizeof input)) {
        return send_error(c, q, 404, "no such upload (unknown or expired)");
    }
    sv_argv cmd = {0};
    char msg[2048];
    const char *ext = strchr(input, '.') + 1;
    char link_name[32];
    snprintf(link_name, sizeof link_name, "upload.%s", ext);
    const char *options = q->body ? q->body : "{}";
    size_t options_len = q->body ? q->body_len : 2;
    unsigned built = build_command(&cmd, batch, link_name, options, options_len, msg, sizeof msg);
    if (built != 0) {
        sv_argv_free(&cmd);
        return form_or_error(c, q, built, msg);
    }
    int bad = 0;
    if (batch) {
        bad |= sv_argv_push(&cmd, "-o") | sv_argv_push(&cmd, "gallery");
    } else {
        bad |= push_outputs(&cmd, false);
    }
    char id[SV_ID_HEX + 1], dir[4300], link_path[4400], target[200], out[4400], err[4400];
    if (bad || sv_new_id(id) != 0) {
        sv_argv_free(&cmd);
        return send_error(c, q, 500, "out of memory");
    }
    const char *table = batch ? "batches" : "clouds";
    snprintf(dir, sizeof dir, "%s/%s/%s", server.data, table, id);
    snprintf(link_path, sizeof link_path, "%s/%s", dir, link_name);
    snprintf(target, sizeof target, "../../uploads/%s/%s", q->route.id, input);
    snprintf(out, sizeof out, "%s/stdout.txt", dir);
    snprintf(err, sizeof err, "%s/stderr.txt", dir);
    int exit_status = -1;
    int rc = -1;
    json_t *word_args = NULL;
    if (mkdir(dir, 0700) == 0 && symlink(target, link_path) == 0) {
        word_args = words_into(q->route.id, options, options_len, dir, &cmd, msg, sizeof msg);
        q->stage_ms[0] = ms_since(&t0);
        rc = word_args ? sv_run(&server, dir, &cmd, out, err, &exit_status) : -1;
        q->stage_ms[1] = ms_since(&t0) - q->stage_ms[0];
    }
    sv_argv_free(&cmd);
    if (rc != 0 && word_args == NULL && msg[0] != '\0') {
        sv_rmtree(dir);
        return send_error(c, q, strstr(msg, "font") ? 400 : 500, msg);
    }
    unsigned st = rc != 0 ? 500 : sv_child_status(exit_status);
    if (st != 0) {
        json_decref(word_args);
        sv_child_reason(err, st, "the cloud could not be drawn", msg, sizeof msg);
        sv_rmtree(dir);
        return form_or_error(c, q, st, msg);
    }
    json_t *resp;
    char zip[4400];
    if (batch) {
        char gdir[4400], summary[4500];
        snprintf(gdir, sizeof gdir, "%s/gallery", dir);
        snprintf(summary, sizeof summary, "%s/summary.json", gdir);
        snprintf(zip, sizeof zip, "%s/gallery.zip", dir);
        char *text = sv_read_small(summary, 8 << 20);
        json_t *sj = text ? json_loads(text, 0, NULL) : NULL;
        free(text);
        json_t *events = json_object_get(sj, "events");
        size_t n_events = json_is_array(events) ? json_array_size(events) : 0;
        json_t *gallery = gallery_list(gdir, events);
        json_decref(sj);
        if (sv_zip_folder(gdir, NULL, 0, zip) != 0) {
            sv_rmtree(dir);
            return send_error(c, q, 500, "the gallery zip could not be written");
        }
        resp = json_pack("{s:s,s:I,s:o}", "id", id, "events", (json_int_t)n_events, "gallery",
                         gallery);
    } else {
        char lj[4400], alt[4400];
        snprintf(lj, sizeof lj, "%s/layout.json", dir);
        snprintf(alt, sizeof alt, "%s/alt.txt", dir);
        char *text = sv_read_small(lj, 64 << 20);
        json_t *l = text ? json_loads(text, 0, NULL) : NULL;
        free(text);
        char *alt_text = sv_read_small(alt, 1 << 20);
        json_t *words = json_object_get(l, "words");
        json_t *dropped = json_object_get(l, "dropped");
        resp = json_pack("{s:s,s:I,s:I,s:s}", "id", id, "words",
                         (json_int_t)(json_is_array(words) ? json_array_size(words) : 0),
                         "dropped",
                         (json_int_t)(json_is_array(dropped) ? json_array_size(dropped) : 0),
                         "alt_text", alt_text ? alt_text : "");
        json_object_set_new(resp, "undrawable", undrawable_words(words, "undrawable"));
        free(alt_text);
        json_decref(l);
    }
    /* The index keeps the options too: the other downloads are drawn from
     * them later, also after a restart. */
    json_t *stored = json_deep_copy(resp);
    json_object_set_new(stored, "options", json_stringn(options, options_len));
    json_object_set_new(stored, "input", json_string(link_name));
    json_object_set_new(stored, "word_args", word_args);
    char *meta = json_dumps(stored, JSON_COMPACT);
    json_decref(stored);
    int put = meta ? sv_store_put(&server, table, id, q->route.id, meta) : -1;
    free(meta);
    if (put != 0) {
        json_decref(resp);
        sv_rmtree(dir);
        return send_error(c, q, 500, "the index could not be written");
    }
    q->stage_ms[2] = ms_since(&t0) - q->stage_ms[0] - q->stage_ms[1];
    if (q->html && !batch) {
        json_decref(resp);
        return see_other(c, q, "/c/", id);
    }
    return send_json(c, q, 201, resp);
}

/* Draws every download of a previewed cloud once, and its zip (written
 * last, so its presence says the folder is complete).  One lock per cloud
 * (hashed into a few), so two downloads at once draw it once. */
static pthread_mutex_t complete_locks[16] = {
    PTHREAD_MUTEX_INITIALIZER, PTHREAD_MUTEX_INITIALIZER, PTHREAD_MUTEX_INITIALIZER,
    PTHREAD_MUTEX_INITIALIZER, PTHREAD_MUTEX_INITIALIZER, PTHREAD_MUTEX_INITIALIZER,
    PTHREAD_MUTEX_INITIALIZER, PTHREAD_MUTEX_INITIALIZER, PTHREAD_MUTEX_INITIALIZER,
    PTHREAD_MUTEX_INITIALIZER, PTHREAD_MUTEX_INITIALIZER, PTHREAD_MUTEX_INITIALIZER,
    PTHREAD_MUTEX_INITIALIZER, PTHREAD_MUTEX_INITIALIZER, PTHREAD_MUTEX_INITIALIZER,
    PTHREAD_MUTEX_INITIALIZER,
};

/* Runs the cloud's render again in its folder with every output (or, for
 * hidpi, the PNG at --scale 2 as cloud@2x.png). */
static unsigned draw_again(const char *dir, json_t *meta, bool hidpi, char *msg, size_t msglen)
{
    char out[4400], err[4400];
    const char *options = json_string_value(json_object_get(meta, "options"));
    const char *input = json_string_value(json_object_get(meta, "input"));
    if (options == NULL || input == NULL || strncmp(input, "upload.", 7) != 0 ||
        strchr(input, '/') != NULL) {
        snprintf(msg, msglen, "no such file");
        return 404;
    }
    sv_argv cmd = {0};
    unsigned st = build_command(&cmd, false, input, options, strlen(options), msg, msglen);
    size_t k;
    json_t *v;
    json_array_foreach(json_object_get(meta, "word_args"), k, v)
    {
        static const char *const known[] = {"--exclude", "exclude.txt", "--no-default-exclusions",
                                            "--merge-plurals",
                                            "--synonyms", "synonyms.txt", "--vocabulary",
                                            "vocabulary.txt", "--font", "font.ttf", "font.otf"};
        const char *a = json_string_value(v);
        bool fine = false;
        for (size_t i = 0; a != NULL && i < sizeof known / sizeof known[0]; i++) {
            fine = fine || strcmp(a, known[i]) == 0;
        }
        if (st == 0 && (!fine || sv_argv_push(&cmd, a) != 0)) {
            st = 500;
        }
    }
    if (st == 0 && (hidpi ? sv_argv_push(&cmd, "--scale") | sv_argv_push(&cmd, "2") |
                                sv_argv_push(&cmd, "-o") | sv_argv_push(&cmd, "cloud@2x.png")
                          : push_outputs(&cmd, true)) != 0) {
        st = 500;
    }
    int exit_status = -1;
    snprintf(out, sizeof out, "%s/stdout.txt", dir);
    snprintf(err, sizeof err, "%s/stderr.txt", dir);
    if (st == 0) {
        st = sv_run(&server, dir, &cmd, out, err, &exit_status) != 0 ? 500
                                                                   : sv_child_status(exit_status);
        if (st != 0) {
            sv_child_reason(err, st, "the cloud could not be drawn", msg, msglen);
        }
    }
    sv_argv_free(&cmd);
    return st;
}

/* The lock of a cloud's folder: its id's first hex digit picks one. */
static pthread_mutex_t *cloud_lock(const char *id)
{
    char c = id[0];
    unsigned h = c >= 'a' ? (unsigned)(c - 'a' + 10) : (unsigned)(c - '0');
    return &complete_locks[h % 16];
}

static unsigned complete_locked(const char *id, json_t *meta, char *msg, size_t msglen)
{
    char dir[4300], zip[4400];
    snprintf(dir, sizeof dir, "%s/clouds/%s", server.data, id);
    snprintf(zip, sizeof zip, "%s/pack.zip", dir);
    if (access(zip, F_OK) == 0) {
        return 0;
    }
    unsigned st = draw_again(dir, meta, false, msg, msglen);
    if (st == 0) {
        st = draw_again(dir, meta, true, msg, msglen);
    }
    char pdir[4400], pzip[4400];
    snprintf(pdir, sizeof pdir, "%s/" PUBLISH_DIR, dir);
    snprintf(pzip, sizeof pzip, "%s/publish.zip", dir);
    if (st == 0 && (sv_zip_folder(pdir, publish_files,
                                  sizeof publish_files / sizeof publish_files[0], pzip) != 0 ||
                    sv_zip_folder(dir, cloud_outputs,
                                  sizeof cloud_outputs / sizeof cloud_outputs[0], zip) != 0)) {
        snprintf(msg, msglen, "the zip could not be written");
        st = 500;
    }
    return st;
}

static unsigned complete_cloud(const char *id, const char *metatext, char *msg, size_t msglen)
{
    json_t *meta = json_loads(metatext, 0, NULL);
    pthread_mutex_t *lock = cloud_lock(id);
    pthread_mutex_lock(lock);
    unsigned st = complete_locked(id, meta, msg, msglen);
    pthread_mutex_unlock(lock);
    json_decref(meta);
    return st;
}

/* The officer's alt text replaces alt.txt (the CLI's is kept as
 * alt-original.txt) once every download is drawn, so no later render
 * overwrites it; pack.zip is made again with it. */
static unsigned save_alt(const char *id, const char *text, size_t len, char *msg, size_t msglen)
{
    char *meta = sv_store_get(&server, "clouds", id, NULL);
    if (meta == NULL) {
        snprintf(msg, msglen, "no such cloud (unknown or expired)");
        return 404;
    }
    char *clean = text && len <= SV_MAX_ALT ? strndup(text, len) : NULL;
    for (char *p = clean; p != NULL && *p; p++) {
        *p = *p == '\n' || *p == '\r' || *p == '\t' ? ' ' : *p; /* one paragraph */
    }
    if (clean == NULL || clean[0] == '\0' || !sv_text_ok(clean, strlen(clean))) {
        free(meta);
        free(clean);
        snprintf(msg, msglen, "alt text is 1-%d bytes of text without control characters",
                 SV_MAX_ALT);
        return 400;
    }
    unsigned st = complete_cloud(id, meta, msg, msglen);
    free(meta);
    char dir[4300], path[4400], tmp[4400], orig[4400], zip[4400];
    snprintf(dir, sizeof dir, "%s/clouds/%s", server.data, id);
    snprintf(path, sizeof path, "%s/alt.txt", dir);
    snprintf(tmp, sizeof tmp, "%s/alt.txt.new", dir);
    snprintf(orig, sizeof orig, "%s/alt-original.txt", dir);
    snprintf(zip, sizeof zip, "%s/pack.zip", dir);
    pthread_mutex_t *lock = cloud_lock(id);
    pthread_mutex_lock(lock);
    if (st == 0 && access(orig, F_OK) != 0 && link(path, orig) != 0) {
        st = 500;
    }
    FILE *f = st == 0 ? fopen(tmp, "w") : NULL;
    if (st == 0 && (f == NULL || fprintf(f, "%s\n", clean) < 0 || fclose(f) != 0 ||
                    rename(tmp, path) != 0 ||
                    sv_zip_folder(dir, cloud_outputs,
                                  sizeof cloud_outputs / sizeof cloud_outputs[0], zip) != 0)) {
        snprintf(msg, msglen, "the alt text could not be saved");
        st = 500;
    }
    pthread_mutex_unlock(lock);
    free(clean);
    return st;
}

static enum MHD_Result alt_request(struct MHD_Connection *c, sv_req *q)
{
    json_t *o = json_loadb(q->body ? q->body : "", q->body_len, 0, NULL);
    json_t *alt = json_object_get(o, "alt_text");
    char msg[2048] = "";
    unsigned st = json_is_string(alt) ? save_alt(q->route.id, json_string_value(alt),
                                                 json_string_length(alt), msg, sizeof msg)
                                      : 400;
    json_decref(o);
    if (st != 0) {
        return send_error(c, q, st, msg[0] ? msg : "send {\"alt_text\": TEXT}");
    }
    return send_json(c, q, 200, json_pack("{s:s}", "status", "saved"));
}

static const char *content_type(const char *name);

/* GET /api/batches/{id}/gallery/NAME: the route allowed only [a-z0-9._-]. */
static enum MHD_Result gallery_file(struct MHD_Connection *c, sv_req *q)
{
    char *meta = sv_store_get(&server, "batches", q->route.id, NULL);
    if (meta == NULL) {
        return send_error(c, q, 404, "no such batch");
    }
    free(meta);
    char path[4400];
    snprintf(path, sizeof path, "%s/batches/%s/gallery/%s", server.data, q->route.id,
             q->route.name);
    bool missing = false;
    struct MHD_Response *r = sv_file_response(path, O_NOFOLLOW, &missing);
    if (r == NULL) {
        return missing ? send_error(c, q, 404, "no such file") : MHD_NO;
    }
    MHD_add_response_header(r, "Content-Type", content_type(q->route.name));
    return queue(c, q, 200, r);
}

static const char *content_type(const char *name)
{
    const char *dot = strrchr(name, '.');
    static const char *const map[][2] = {
        {".png", "image/png"},          {".svg", "image/svg+xml"},
        {".pdf", "application/pdf"},    {".txt", "text/plain; charset=utf-8"},
        {".html", "text/html; charset=utf-8"}, {".csv", "text/csv; charset=utf-8"},
        {".json", "application/json"},  {".zip", "application/zip"},
        {".css", "text/css; charset=utf-8"}, {".js", "text/javascript; charset=utf-8"},
    };
    for (size_t i = 0; dot != NULL && i < sizeof map / sizeof map[0]; i++) {
        if (strcmp(dot, map[i][0]) == 0) {
            return map[i][1];
        }
    }
    return "application/octet-stream";
}

static enum MHD_Result send_file(struct MHD_Connection *c, sv_req *q, bool batch)
{
    const char *table = batch ? "batches" : "clouds";
    char *meta = sv_store_get(&server, table, q->route.id, NULL);
    if (meta == NULL) {
        return send_error(c, q, 404, batch ? "no such batch" : "no such cloud");
    }
    if (!batch && !preview_file(q->route.asset)) {
        char msg[2048];
        unsigned st = complete_cloud(q->route.id, meta, msg, sizeof msg);
        if (st != 0) {
            free(meta);
            return send_error(c, q, st, msg[0] ? msg : "the download could not be drawn");
        }
    }
    free(meta);
    char path[4400];
    snprintf(path, sizeof path, "%s/%s/%s/%s", server.data, table, q->route.id, q->route.asset);
    bool missing = false;
    struct MHD_Response *r = sv_file_response(path, O_NOFOLLOW, &missing);
    if (r == NULL) {
        return missing ? send_error(c, q, 404, "no such file") : MHD_NO;
    }
    /* The name is built from a checked hex id and a fixed file name. */
    char disp[128];
    snprintf(disp, sizeof disp, "attachment; filename=\"votecloud-%.8s-%s\"", q->route.id,
             q->route.asset);
    MHD_add_response_header(r, "Content-Type", content_type(q->route.asset));
    MHD_add_response_header(r, "Content-Disposition", disp);
    return queue(c, q, 200, r);
}

static enum MHD_Result send_asset(struct MHD_Connection *c, sv_req *q)
{
    for (size_t i = 0; i < sv_www_count; i++) {
        if (strcmp(sv_www[i].name, q->route.asset) == 0) {
            struct MHD_Response *r = MHD_create_response_from_buffer(
                sv_www[i].len, mhd_buffer(sv_www[i].data), MHD_RESPMEM_PERSISTENT);
            if (r != NULL) {
                MHD_add_response_header(r, "Content-Type", content_type(sv_www[i].name));
            }
            return queue(c, q, 200, r);
        }
    }
    return send_error(c, q, 404, "not found");
}

const char *sv_embedded(const char *name, size_t *len)
{
    for (size_t i = 0; i < sv_www_count; i++) {
        if (strcmp(sv_www[i].name, name) == 0) {
            *len = sv_www[i].len;
            return sv_www[i].data;
        }
    }
    *len = 0;
    return NULL;
}

/* POST /api/uploads/{id}/words {"columns", "free-text-columns", "op", "text"}:
 * applies the edit (if any) and answers the counted table. */
static enum MHD_Result words_request(struct MHD_Connection *c, sv_req *q)
{
    char *meta = sv_store_get(&server, "uploads", q->route.id, NULL);
    if (meta == NULL) {
        return send_error(c, q, 404, "no such upload (unknown or expired)");
    }
    free(meta);
    json_error_t jerr;
    json_t *o = json_loadb(q->body ? q->body : "{}", q->body ? q->body_len : 2,
                           JSON_REJECT_DUPLICATES, &jerr);
    json_t *op = json_object_get(o, "op");
    json_t *text = json_object_get(o, "text");
    json_t *cols = json_object_get(o, "columns");
    json_t *free_cols = json_object_get(o, "free-text-columns");
    if (!json_is_object(o) || (op != NULL && !json_is_string(op)) ||
        (text != NULL && !json_is_string(text)) || (cols != NULL && !json_is_string(cols)) ||
        (free_cols != NULL && !json_is_string(free_cols))) {
        json_decref(o);
        return send_error(c, q, 400, "send {\"columns\", \"free-text-columns\", \"op\", \"text\"}");
    }
    char msg[2048] = "";
    json_t *out = NULL;
    unsigned st = sv_words_edit(&server, q->route.id, o, json_string_value(op),
                                json_string_value(text), &out, msg, sizeof msg);
    json_decref(o);
    if (st != 0) {
        return send_error(c, q, st, msg[0] ? msg : "the words could not be counted");
    }
    return send_json(c, q, 200, out);
}

/* ---- the pages without JavaScript ---------------------------------- */

static enum MHD_Result form_field(void *cls, enum MHD_ValueKind kind, const char *key,
                                  const char *filename, const char *content_type,
                                  const char *transfer_encoding, const char *data,
                                  uint64_t off, size_t size)
{
    (void)kind;
    (void)content_type;
    (void)transfer_encoding;
    sv_req *q = cls;
    if (key == NULL || q->form == NULL) {
        return MHD_YES;
    }
    bool named = filename != NULL && filename[0] != '\0';
    if (q->route.kind == SV_UPLOAD_FORM && strcmp(key, "font") == 0) {
        /* no file chosen: an empty part without a name */
        return named || q->got_file ? file_chunk(q, true, filename, data, size) : MHD_YES;
    }
    if (q->route.kind == SV_UPLOAD_FORM && strcmp(key, "style_file") == 0) {
        if (!named && !q->style_got) {
            return MHD_YES;
        }
        if (!q->style_got) {
            q->style_got = true;
            size_t fl = strlen(filename);
            if (fl < sizeof q->style_name && sv_text_ok(filename, fl)) {
                memcpy(q->style_name, filename, fl + 1);
            }
        }
        if (q->style_big || q->style_len + size > SV_MAX_STYLE_FILE) {
            q->style_big = true;
            return MHD_YES;
        }
        char *b = realloc(q->style_text, q->style_len + size + 1);
        if (b == NULL) {
            return MHD_NO;
        }
        memcpy(b + q->style_len, data, size);
        q->style_text = b;
        q->style_len += size;
        b[q->style_len] = '\0';
        return MHD_YES;
    }
    size_t limit = strcmp(key, "alt_text") == 0 ? SV_MAX_ALT : SV_MAX_OPTION_TEXT;
    if (strcmp(key, "col") == 0) {
        json_t *a = json_object_get(q->form, "col");
        if (a == NULL) {
            a = json_array();
            json_object_set_new(q->form, "col", a);
        }
        if (json_array_size(a) < 256 && size <= limit) {
            json_array_append_new(a, json_stringn(data, size));
        }
        return MHD_YES;
    }
    /* A long value comes in pieces (off > 0): they are joined, up to the
     * limit; a longer value is dropped whole. */
    json_t *had = json_object_get(q->form, key);
    size_t have = off > 0 && json_is_string(had) ? json_string_length(had) : 0;
    if (off > 0 && !json_is_string(had)) {
        return MHD_YES;
    }
    if (have + size > limit) {
        json_object_set_new(q->form, key, json_null());
        return MHD_YES;
    }
    char *joined = malloc(have + size + 1);
    if (joined == NULL) {
        return MHD_NO;
    }
    memcpy(joined, have ? json_string_value(had) : "", have);
    memcpy(joined + have, data, size);
    json_object_set_new(q->form, key, json_stringn(joined, have + size));
    free(joined);
    return MHD_YES;
}

static json_t *upload_meta(const char *id)
{
    char *text = sv_store_get(&server, "uploads", id, NULL);
    json_t *j = text ? json_loads(text, 0, NULL) : NULL;
    free(text);
    return j;
}

/* The notices of the page after a post's 303 (?done=WHAT). */
static const char *notice_of(const char *done)
{
    static const char *const notices[][2] = {
        {"style-saved", "Saved as a house style: it is in the list below."},
        {"style-used", "Using the house style: its settings are in the fields above."},
        {"style-loaded", "Loaded the style file: its settings are in the fields above."},
        {"font", "The font works: the cloud is drawn with it."},
        {"font-removed", "Back to the bundled font."},
    };
    for (size_t i = 0; done != NULL && i < sizeof notices / sizeof notices[0]; i++) {
        if (strcmp(done, notices[i][0]) == 0) {
            return notices[i][1];
        }
    }
    return NULL;
}

/* The upload's page: its columns, the words for the columns last chosen
 * on it, the style fields as last posted, the house styles; with a post's
 * errors (status 4xx) or after a post's 303 (200). */
static enum MHD_Result upload_page_with(struct MHD_Connection *c, sv_req *q, unsigned status,
                                        json_t *style, json_t *errors, const char *notice)
{
    json_t *meta = upload_meta(q->route.id);
    if (meta == NULL) {
        return send_error(c, q, 404, "no such upload (unknown or expired)");
    }
    json_t *w = sv_words_load(&server, q->route.id);
    json_t *selection = json_object_get(w, "selection");
    json_t *table = NULL;
    char msg[2048] = "";
    if (json_is_object(selection) &&
        sv_words_table(&server, q->route.id, selection, w, &table, msg, sizeof msg) != 0) {
        table = NULL;
    }
    json_decref(w);
    json_t *own = style ? json_incref(style) : sv_form_style_load(&server, q->route.id);
    json_t *list = sv_style_list(&server);
    json_t *house = json_array();
    size_t i;
    json_t *v;
    json_array_foreach(json_object_get(list, "styles"), i, v)
    {
        json_array_append(house, json_object_get(v, "name"));
    }
    json_decref(list);
    sv_upload_view view = {
        .words = table,
        .style = own,
        .house = house,
        .errors = errors,
        .notice = notice,
        .style_name = q->form ? json_string_value(json_object_get(q->form, "style_name")) : NULL,
    };
    char *page = sv_page_upload(q->route.id, meta, &view);
    json_decref(table);
    json_decref(meta);
    json_decref(own);
    json_decref(house);
    return send_html(c, q, status, page);
}

static enum MHD_Result upload_page(struct MHD_Connection *c, sv_req *q)
{
    const char *done = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "done");
    return upload_page_with(c, q, 200, NULL, NULL, notice_of(done));
}

/* A words-step button of the page without JavaScript: op=ACTION:TEXT
 * (a box's text comes from its own field), then back to the page. */
static enum MHD_Result upload_words_op(struct MHD_Connection *c, sv_req *q, const char *op)
{
    const char *colon = strchr(op, ':');
    char action[32];
    if (colon == NULL || (size_t)(colon - op) >= sizeof action) {
        return send_error(c, q, 400, "unknown word edit");
    }
    memcpy(action, op, (size_t)(colon - op));
    action[colon - op] = '\0';
    const char *text = colon + 1;
    if (strcmp(action, "exclude") == 0 || strcmp(action, "synonyms") == 0) {
        text = json_string_value(json_object_get(q->form, strcmp(action, "exclude") == 0
                                                              ? "exclusions" : "synonyms"));
    }
    json_t *o = json_loads(q->body, 0, NULL);
    json_t *out = NULL;
    char msg[2048] = "";
    unsigned st = sv_words_edit(&server, q->route.id, o, strcmp(action, "show") == 0 ? NULL : action,
                                text ? text : "", &out, msg, sizeof msg);
    json_decref(o);
    json_decref(out);
    if (st != 0) {
        return send_error(c, q, st, msg[0] ? msg : "the words could not be counted");
    }
    char loc[64];
    snprintf(loc, sizeof loc, "%s#h-words", q->route.id);
    return see_other(c, q, "/u/", loc);
}

/* The style buttons of the page without JavaScript (font, house styles,
 * style file): the new style in *style, or a field's error in errors;
 * `done` names the notice after the 303. */
static unsigned style_op(sv_req *q, const char *op, json_t **style, json_t *errors,
                         const char **done)
{
    char msg[2048] = "";
    unsigned st = 0;
    if (strcmp(op, "font-remove:") == 0) {
        json_object_del(*style, "font-id");
        json_object_del(*style, "font-name");
        *done = "font-removed";
    } else if (strcmp(op, "font:") == 0) {
        if (!q->got_file) {
            snprintf(msg, sizeof msg, "Choose a .ttf or .otf font file first");
            json_array_append_new(errors, json_pack("[ss]", "font", msg));
            return 400;
        }
        *done = "font"; /* the file itself is taken by the caller */
    } else if (strcmp(op, "style-save:") == 0) {
        const char *name = json_string_value(json_object_get(q->form, "style_name"));
        st = sv_style_save_options(&server, name, *style, msg, sizeof msg);
        if (st != 0) {
            json_array_append_new(errors, json_pack("[ss]", "style-name", msg));
        }
        *done = "style-saved";
    } else if (strcmp(op, "style-use:") == 0) {
        json_t *saved = sv_style_get(&server, json_string_value(json_object_get(q->form, "house")));
        if (saved == NULL) {
            json_array_append_new(errors, json_pack("[ss]", "house",
                                                    "Choose a saved house style (none is saved yet, "
                                                    "or it was removed)"));
            return 400;
        }
        json_decref(*style);
        *style = saved;
        *done = "style-used";
    } else if (strcmp(op, "style-load:") == 0) {
        json_t *loaded = NULL;
        if (!q->style_got) {
            snprintf(msg, sizeof msg, "Choose a votecloud style file first");
            st = 400;
        } else if (q->style_big) {
            snprintf(msg, sizeof msg, "%.100s: larger than 64 KiB: not a style file", q->style_name[0] ? q->style_name : "the file");
            st = 413;
        } else {
            st = sv_style_load_text(q->style_name, q->style_text ? q->style_text : "", q->style_len,
                                    &loaded, msg, sizeof msg);
        }
        if (st != 0) {
            json_array_append_new(errors, json_pack("[ss]", "style-file", msg));
            return st;
        }
        json_decref(*style);
        *style = loaded;
        *done = "style-loaded";
    } else {
        return 0; /* not a style button */
    }
    return st;
}

static bool style_button(const char *op)
{
    return strcmp(op, "font:") == 0 || strcmp(op, "font-remove:") == 0 ||
           strcmp(op, "style-save:") == 0 || strcmp(op, "style-use:") == 0 ||
           strcmp(op, "style-load:") == 0;
}

/* POST /u/{id}: the whole form (multipart, or form-encoded from older
 * pages).  The style fields are kept for the page's next view; a font sent
 * with any button is checked and used; errors come back in the page, next
 * to their fields, with the fields as sent. */
static enum MHD_Result upload_form(struct MHD_Connection *c, sv_req *q)
{
    json_t *meta = upload_meta(q->route.id);
    if (meta == NULL) {
        return send_error(c, q, 404, "no such upload (unknown or expired)");
    }
    json_t *base = sv_form_style_load(&server, q->route.id);
    json_t *style = sv_form_options(q->form, meta, base);
    json_decref(base);
    json_decref(meta);
    if (style == NULL) {
        return send_error(c, q, 500, "out of memory");
    }
    const char *op = json_string_value(json_object_get(q->form, "op"));
    json_t *errors = json_array();
    const char *done = NULL;
    unsigned st = 0;
    if (q->got_file) {
        char font_id[SV_ID_HEX + 1], msg[2048] = "";
        st = keep_font(q, font_id, msg, sizeof msg);
        if (st != 0) {
            json_array_append_new(errors, json_pack("[ss]", "font", msg));
        } else {
            json_object_set_new(style, "font-id", json_string(font_id));
            json_object_set_new(style, "font-name", json_string(q->font_name));
        }
    }
    if (st == 0 && op != NULL) {
        st = style_op(q, op, &style, errors, &done);
    }
    if (st != 0) {
        enum MHD_Result rc = upload_page_with(c, q, st == 500 ? 500 : st, style, errors, NULL);
        json_decref(style);
        json_decref(errors);
        return rc;
    }
    json_decref(errors);
    /* The columns stay with the words step; the rest is the style. */
    json_t *cols = json_pack("{s:O*,s:O*}", "columns", json_object_get(style, "columns"),
                             "free-text-columns", json_object_get(style, "free-text-columns"));
    if (op != NULL && style_button(op)) {
        json_object_update(style, cols);
    }
    json_decref(cols);
    free(q->body);
    q->body = json_dumps(style, JSON_COMPACT);
    int saved = sv_form_style_save(&server, q->route.id, style);
    json_decref(style);
    if (q->body == NULL || saved != 0) {
        return send_error(c, q, 500, "the form could not be kept");
    }
    q->body_len = strlen(q->body);
    if (op != NULL && style_button(op)) {
        char loc[128];
        snprintf(loc, sizeof loc, "%s?done=%s#h-%s", q->route.id, done,
                 strncmp(done, "font", 4) == 0 ? "style" : "house");
        return see_other(c, q, "/u/", loc);
    }
    if (op != NULL) {
        return upload_words_op(c, q, op);
    }
    return run_job(c, q, false);
}

/* POST /c/{id} without JavaScript: the alt text box, then back. */
static enum MHD_Result cloud_form(struct MHD_Connection *c, sv_req *q)
{
    json_t *alt = json_object_get(q->form, "alt_text");
    char msg[2048] = "";
    unsigned st = json_is_string(alt) ? save_alt(q->route.id, json_string_value(alt),
                                                 json_string_length(alt), msg, sizeof msg)
                                      : 400;
    if (st != 0) {
        return send_error(c, q, st, msg[0] ? msg : "the form has no alt text");
    }
    char loc[64];
    snprintf(loc, sizeof loc, "%s#h-preview", q->route.id);
    return see_other(c, q, "/c/", loc);
}

static enum MHD_Result cloud_page(struct MHD_Connection *c, sv_req *q)
{
    char parent[SV_ID_HEX + 1] = "";
    char *text = sv_store_get(&server, "clouds", q->route.id, parent);
    json_t *meta = text ? json_loads(text, 0, NULL) : NULL;
    free(text);
    if (meta == NULL || !sv_id_valid(parent, strlen(parent))) {
        json_decref(meta);
        return send_error(c, q, 404, "no such cloud (unknown or expired)");
    }
    /* The alt text as it will be downloaded (the officer's, once edited). */
    char alt_path[4400];
    snprintf(alt_path, sizeof alt_path, "%s/clouds/%s/alt.txt", server.data, q->route.id);
    char *alt = sv_read_small(alt_path, SV_MAX_ALT + 2);
    if (alt != NULL) {
        alt[strcspn(alt, "\n")] = '\0';
        json_object_set_new(meta, "alt_text", json_string(alt));
        free(alt);
    }
    char *page = sv_page_cloud(q->route.id, parent, meta);
    json_decref(meta);
    return send_html(c, q, 200, page);
}

/* ---- the access handler ------------------------------------------- */

/* State-changing requests must come from the page: either the custom
 * header the page's script sets (a cross-site form cannot set it, and we
 * answer no CORS preflight), a browser's Sec-Fetch-Site: same-origin, or
 * an Origin equal to this server. */
static bool same_origin(struct MHD_Connection *c)
{
    const char *x = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "X-Votecloud");
    if (x != NULL && strcmp(x, "1") == 0) {
        return true;
    }
    /* Browsers say where a request came from in Fetch Metadata, which a
     * page cannot set; with Referrer-Policy: no-referrer their form posts
     * carry "Origin: null", so this is what lets the no-JavaScript forms
     * through, and only from this server's own pages. */
    const char *site = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Sec-Fetch-Site");
    if (site != NULL) {
        return strcmp(site, "same-origin") == 0;
    }
    const char *origin = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Origin");
    const char *host = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Host");
    if (origin == NULL || host == NULL || strncmp(origin, "http://", 7) != 0) {
        return false;
    }
    return strcmp(origin + 7, host) == 0;
}

bool sv_same_origin(struct MHD_Connection *c)
{
    return same_origin(c);
}

static bool password_ok(struct MHD_Connection *c)
{
    if (server.password == NULL) {
        return true;
    }
    char *pass = NULL;
    char *user = MHD_basic_auth_get_username_password(c, &pass);
    bool ok = false;
    if (pass != NULL) {
        size_t a = strlen(pass), b = strlen(server.password);
        unsigned diff = (unsigned)(a ^ b);
        for (size_t i = 0; i < a && i < b; i++) {
            diff |= (unsigned char)(pass[i] ^ server.password[i]);
        }
        ok = diff == 0;
    }
    MHD_free(user);
    MHD_free(pass);
    return ok;
}

static enum MHD_Result first_call(struct MHD_Connection *c, sv_req *q)
{
    if (!password_ok(c)) {
        struct MHD_Response *r = MHD_create_response_from_buffer(
            strlen("{\"error\":\"password needed\"}"), (void *)"{\"error\":\"password needed\"}",
            MHD_RESPMEM_PERSISTENT);
        add_security_headers(r);
        q->status = 401;
        q->refused = true;
        enum MHD_Result rc = MHD_queue_basic_auth_fail_response(c, "votecloud", r);
        MHD_destroy_response(r);
        return rc;
    }
    sv_route_kind k = q->route.kind;
    const char *accept = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Accept");
    const char *xhr = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "X-Votecloud");
    q->html = k == SV_UPLOAD_PAGE || k == SV_UPLOAD_FORM || k == SV_CLOUD_PAGE || k == SV_CLOUD_FORM ||
              (k == SV_UPLOAD && xhr == NULL && accept != NULL && strstr(accept, "text/html"));
    if (k != SV_UPLOAD && k != SV_CLOUD && k != SV_BATCH_RUN && k != SV_UPLOAD_FORM &&
        k != SV_WORDS && k != SV_STYLE_SAVE && k != SV_STYLE_LOAD && k != SV_FONT &&
        k != SV_CLOUD_ALT && k != SV_CLOUD_FORM) {
        return MHD_YES;
    }
    q->refused = true;
    if (!same_origin(c)) {
        return send_error(c, q, 403, "cross-site request refused: send the header X-Votecloud: 1");
    }
    const char *len = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Content-Length");
    const char *type = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Content-Type");

    q->multipart = k == SV_UPLOAD_FORM && type != NULL &&
                   strncasecmp(type, "multipart/form-data", 19) == 0;
    uint64_t limit = k == SV_UPLOAD ? server.max_upload + 64 * 1024
                     : k == SV_FONT || q->multipart ? SV_MAX_FONT + 3 * SV_MAX_JSON
                                    : SV_MAX_JSON;
    if (len != NULL && strtoull(len, NULL, 10) > limit) {
        return send_error(c, q, 413,
                          k == SV_UPLOAD ? "the file is larger than the server's upload limit"
                          : k == SV_FONT || q->multipart ? "the font is larger than 20 MB"
                          : k == SV_UPLOAD_FORM ? "the form is too large"
                                         : "the options are too large");
    }
    if (k == SV_UPLOAD || k == SV_FONT) {
        if (type == NULL || strncasecmp(type, "multipart/form-data", 19) != 0) {
            return send_error(c, q, 415, "send the file as multipart/form-data, field 'file'");
        }
        q->pp = MHD_create_post_processor(c, 64 * 1024, upload_field, q);
        if (q->pp == NULL) {
            return send_error(c, q, 400, "the multipart body has no boundary");
        }
    } else if (k == SV_UPLOAD_FORM || k == SV_CLOUD_FORM) {
        if (!q->multipart &&
            (type == NULL || strncasecmp(type, "application/x-www-form-urlencoded", 33) != 0)) {
            return send_error(c, q, 415, k == SV_UPLOAD_FORM
                                             ? "send the form as multipart/form-data or "
                                               "application/x-www-form-urlencoded"
                                             : "send the form as application/x-www-form-urlencoded");
        }
        q->form = json_object();
        q->pp = q->form ? MHD_create_post_processor(c, 16 * 1024, form_field, q) : NULL;
        if (q->pp == NULL) {
            return send_error(c, q, 400, "the form could not be read");
        }
    } else if (type == NULL || strncasecmp(type, "application/json", 16) != 0) {
        return send_error(c, q, 415, "send the options as application/json");
    }
    q->refused = false;
    return MHD_YES;
}

static enum MHD_Result handle(void *cls, struct MHD_Connection *c, const char *url,
                              const char *method, const char *version,
                              const char *upload_data, size_t *upload_data_size, void **con_cls)
{
    (void)cls;
    (void)version;
    sv_req *q = *con_cls;
    if (q == NULL) {
        q = calloc(1, sizeof *q);
        if (q == NULL) {
            return MHD_NO;
        }
        q->fd = -1;
        clock_gettime(CLOCK_MONOTONIC, &q->start);
        snprintf(q->method, sizeof q->method, "%s", method);
        snprintf(q->url, sizeof q->url, "%s", url);
        sv_route(method, url, &q->route);
        *con_cls = q;
        atomic_fetch_add(&server.inflight, 1);
        if (q->route.kind == SV_NOT_FOUND) {
            sv_live_route_parse(method, url, &q->live);
        }
        if (q->live.kind == LV_NONE) {
            return first_call(c, q);
        }
        /* Participants and presenters (with the room key) need no team
         * password; creating a room does (sv_live_handle asks). */
        q->team_ok = password_ok(c);
    }
    if (q->live.kind != LV_NONE) {
        return (enum MHD_Result)sv_live_handle(server.live, c, &q->live, q->team_ok, upload_data,
                                               upload_data_size, &q->live_state, &q->status);
    }
    if (q->refused) {
        *upload_data_size = 0; /* a response is queued: the body is dropped */
        return MHD_YES;
    }
    if (*upload_data_size > 0) {
        if (q->route.kind == SV_UPLOAD_FORM || q->route.kind == SV_CLOUD_FORM) {
            q->body_len += *upload_data_size; /* counted only: the fields are parsed */
            if (q->body_len > (q->multipart ? SV_MAX_FONT + 3 * SV_MAX_JSON : SV_MAX_JSON)) {
                q->too_big = true;
            } else {
                MHD_post_process(q->pp, upload_data, *upload_data_size);
            }
        } else if (q->pp != NULL) {
            if (MHD_post_process(q->pp, upload_data, *upload_data_size) != MHD_YES &&
                !q->too_big) {
                q->too_big = q->bytes > server.max_upload;
            }
        } else if (q->body_len + *upload_data_size > SV_MAX_JSON) {
            q->too_big = true;
        } else if (q->route.kind == SV_CLOUD || q->route.kind == SV_BATCH_RUN ||
                   q->route.kind == SV_WORDS || q->route.kind == SV_STYLE_SAVE ||
                   q->route.kind == SV_STYLE_LOAD || q->route.kind == SV_CLOUD_ALT) {
            char *b = realloc(q->body, q->body_len + *upload_data_size + 1);
            if (b == NULL) {
                return MHD_NO;
            }
            memcpy(b + q->body_len, upload_data, *upload_data_size);
            q->body = b;
            q->body_len += *upload_data_size;
            q->body[q->body_len] = '\0';
        }
        *upload_data_size = 0;
        return MHD_YES;
    }
    switch (q->route.kind) {
    case SV_HEALTH:
        return send_text(c, q, 200, "text/plain; charset=utf-8", "ok\n", 3);
    case SV_PAGE:
        return send_asset(c, q);
    case SV_UPLOAD:
        return finish_upload(c, q);
    case SV_CLOUD:
    case SV_BATCH_RUN:
        if (q->too_big) {
            return send_error(c, q, 413, "the options are too large");
        }
        return run_job(c, q, q->route.kind == SV_BATCH_RUN);
    case SV_WORDS:
        if (q->too_big) {
            return send_error(c, q, 413, "the options are too large");
        }
        return words_request(c, q);
    case SV_STYLES:
    case SV_STYLE_FILE:
        return style_request(c, q);
    case SV_STYLE_SAVE:
    case SV_STYLE_LOAD:
        if (q->too_big) {
            return send_error(c, q, 413, "the style is too large (at most 64 KiB)");
        }
        return style_request(c, q);
    case SV_FONT:
        return finish_font(c, q);
    case SV_CLOUD_ALT:
        if (q->too_big) {
            return send_error(c, q, 413, "the alt text is too large");
        }
        return alt_request(c, q);
    case SV_CLOUD_FORM:
        if (q->too_big) {
            return send_error(c, q, 413, "the form is too large");
        }
        return cloud_form(c, q);
    case SV_GALLERY_FILE:
        return gallery_file(c, q);
    case SV_CLOUD_FILE:
        return send_file(c, q, false);
    case SV_BATCH_FILE:
        return send_file(c, q, true);
    case SV_UPLOAD_PAGE:
        return upload_page(c, q);
    case SV_UPLOAD_FORM:
        if (q->too_big) {
            return send_error(c, q, 413, "the form is too large");
        }
        return upload_form(c, q);
    case SV_CLOUD_PAGE:
        return cloud_page(c, q);
    case SV_BAD_METHOD:
        return send_error(c, q, 405, "method not allowed");
    case SV_NOT_FOUND:
        break;
    }
    return send_error(c, q, 404, "not found");
}

static void log_url(const char *url)
{
    for (const unsigned char *p = (const unsigned char *)url; *p; p++) {
        if (*p < 0x21 || *p >= 0x7f || *p == '%') {
            fprintf(stderr, "%%%02X", *p);
        } else {
            fputc(*p, stderr);
        }
    }
}

static void completed(void *cls, struct MHD_Connection *c, void **con_cls,
                      enum MHD_RequestTerminationCode toe)
{
    (void)cls;
    (void)c;
    sv_req *q = *con_cls;
    if (q == NULL) {
        return;
    }
    struct timespec end;
    clock_gettime(CLOCK_MONOTONIC, &end);
    double ms = (double)(end.tv_sec - q->start.tv_sec) * 1e3 +
                (double)(end.tv_nsec - q->start.tv_nsec) / 1e6;
    flockfile(stderr);
    fprintf(stderr, "%s ", q->method);
    log_url(q->url);
    fprintf(stderr, " %u %.1fms%s", q->status, ms,
            toe == MHD_REQUEST_TERMINATED_COMPLETED_OK ? "" : " (not completed)");
    if (q->stage_ms[1] > 0) {
        /* a render's stages: options, words files and index reads; the
         * child (fork, read, count, lay out, write); reading its report
         * and writing the index */
        fprintf(stderr, " (before %.1f, child %.1f, after %.1f)", q->stage_ms[0], q->stage_ms[1],
                q->stage_ms[2]);
    }
    fputc('\n', stderr);
    funlockfile(stderr);
    if (q->pp != NULL) {
        MHD_destroy_post_processor(q->pp);
    }
    if (q->fd >= 0) {
        close(q->fd);
    }
    if (q->tmp_path[0] != '\0') {
        unlink(q->tmp_path);
    }
    free(q->body);
    free(q->style_text);
    json_decref(q->form);
    sv_live_request_done(q->live_state);
    free(q);
    *con_cls = NULL;
    atomic_fetch_sub(&server.inflight, 1);
}

/* ---- the command -------------------------------------------------- */

static void usage(FILE *fp)
{
    fputs("usage: votecloud serve [--listen 127.0.0.1:8080] [--data DIR] [--max-upload-mb 50]\n"
          "                       [--expire 7d] [--password-file FILE] [--threads N]\n"
          "                       [--live-rate ANSWERS_PER_MINUTE] [--per-ip-connections N]\n"
          "                       [--public-url http://HOST:PORT]\n"
          "Serves the web app: upload a survey export, pick the question, style the cloud,\n"
          "download PNG, SVG, PDF, alt text and tables.  Binds to loopback unless told.\n",
          fp);
}

static int mkdirs(const char *path)
{
    char buf[4096];
    if (strlen(path) >= sizeof buf) {
        errno = ENAMETOOLONG;
        return -1;
    }
    memcpy(buf, path, strlen(path) + 1);
    for (char *p = buf + 1; *p; p++) {
        if (*p == '/') {
            *p = '\0';
            if (mkdir(buf, 0700) != 0 && errno != EEXIST) {
                return -1;
            }
            *p = '/';
        }
    }
    return mkdir(buf, 0700) != 0 && errno != EEXIST ? -1 : 0;
}

static long parse_duration(const char *s)
{
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (errno != 0 || end == s || v <= 0) {
        return -1;
    }
    long mul = *end == 'd' ? 86400 : *end == 'h' ? 3600 : *end == 'm' ? 60 : *end == 's' || *end == '\0' ? 1 : -1;
    if (mul < 0 || (*end != '\0' && end[1] != '\0') || v > LONG_MAX / mul) {
        return -1;
    }
    return v * mul;
}

static int parse_listen(const char *s, struct sockaddr_in *sa)
{
    const char *colon = strrchr(s, ':');
    if (colon == NULL || colon - s >= 64) {
        return -1;
    }
    char host[64];
    memcpy(host, s, (size_t)(colon - s));
    host[colon - s] = '\0';
    char *end;
    long port = strtol(colon + 1, &end, 10);
    if (*end != '\0' || port < 0 || port > 65535 || colon[1] == '\0') {
        return -1;
    }
    memset(sa, 0, sizeof *sa);
    sa->sin_family = AF_INET;
    sa->sin_port = htons((uint16_t)port);
    if (strcmp(host, "localhost") == 0) {
        snprintf(host, sizeof host, "127.0.0.1");
    }
    return inet_pton(AF_INET, host, &sa->sin_addr) == 1 ? 0 : -1;
}

static int read_password(const char *path)
{
    char *text = sv_read_small(path, 4096);
    if (text == NULL) {
        fprintf(stderr, "votecloud serve: %s: %s\n", path, strerror(errno));
        return -1;
    }
    text[strcspn(text, "\r\n")] = '\0';
    if (text[0] == '\0') {
        fprintf(stderr, "votecloud serve: %s: the first line (the password) is empty\n", path);
        free(text);
        return -1;
    }
    server.password = text;
    return 0;
}

static int default_data(char *out, size_t len)
{
    const char *state = getenv("XDG_STATE_HOME");
    const char *home = getenv("HOME");
    if (state != NULL && state[0] == '/') {
        snprintf(out, len, "%s/votecloud", state);
    } else if (home != NULL && home[0] == '/') {
        snprintf(out, len, "%s/.local/state/votecloud", home);
    } else {
        return -1;
    }
    return 0;
}

static int prepare_data(const char *data)
{
    char tmp[4200];
    if (mkdirs(data) != 0 || realpath(data, server.data) == NULL) {
        fprintf(stderr, "votecloud serve: %s: %s\n", data, strerror(errno));
        return -1;
    }
    if (strlen(server.data) > 3000) {
        /* every path below is built in 4 KiB buffers */
        fprintf(stderr, "votecloud serve: %s: the data folder's path is too long\n", data);
        return -1;
    }
    static const char *const subs[] = {"uploads", "clouds", "batches", "tmp", "fonts"};
    for (size_t i = 0; i < sizeof subs / sizeof subs[0]; i++) {
        snprintf(tmp, sizeof tmp, "%s/%s", server.data, subs[i]);
        if (mkdir(tmp, 0700) != 0 && errno != EEXIST) {
            fprintf(stderr, "votecloud serve: %s: %s\n", tmp, strerror(errno));
            return -1;
        }
    }
    return 0;
}

int cmd_serve(int argc, char **argv)
{
    if (readlink("/proc/self/exe", server.self_exe, sizeof server.self_exe - 1) < 0) {
        fprintf(stderr, "votecloud serve: /proc/self/exe: %s\n", strerror(errno));
        return 71;
    }
    if (argc >= 2 && strcmp(argv[1], "--run-limited") == 0) {
        return sv_run_limited(argc - 1, argv + 1, server.self_exe);
    }
    if (argc == 2 && strcmp(argv[1], "--zygote") == 0) {
        return sv_zygote_main();
    }
    server.zygote_fd = -1;
    const char *listen = "127.0.0.1:8080";
    const char *data = NULL;
    const char *password_file = NULL;
    long max_mb = 50, threads = 4;
    server.expire_s = 7 * 86400;
    server.child_mem_mb = 2048;
    server.child_timeout_s = 120;
    server.live_rate = SV_LIVE_RATE;
    server.per_ip = SV_PER_IP_CONNECTIONS;
    static const struct option longs[] = {
        {"listen", required_argument, NULL, 'l'},
        {"data", required_argument, NULL, 'd'},
        {"max-upload-mb", required_argument, NULL, 'm'},
        {"expire", required_argument, NULL, 'e'},
        {"password-file", required_argument, NULL, 'p'},
        {"threads", required_argument, NULL, 't'},
        {"live-rate", required_argument, NULL, 'R'},
        {"per-ip-connections", required_argument, NULL, 'P'},
        {"public-url", required_argument, NULL, 'U'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    int ch;
    optind = 0; /* a fresh parse, as cli_parse's */
    while ((ch = getopt_long(argc, argv, "", longs, NULL)) != -1) {
        char *end = NULL;
        switch (ch) {
        case 'l':
            listen = optarg;
            break;
        case 'd':
            data = optarg;
            break;
        case 'm':
            max_mb = strtol(optarg, &end, 10);
            if (*end != '\0' || max_mb < 1 || max_mb > 4096) {
                fprintf(stderr, "votecloud serve: --max-upload-mb: '%s' is not 1..4096\n", optarg);
                return 64;
            }
            break;
        case 't':
            threads = strtol(optarg, &end, 10);
            if (*end != '\0' || threads < 1 || threads > 64) {
                fprintf(stderr, "votecloud serve: --threads: '%s' is not 1..64\n", optarg);
                return 64;
            }
            break;
        case 'e':
            server.expire_s = parse_duration(optarg);
            if (server.expire_s <= 0) {
                fprintf(stderr, "votecloud serve: --expire: '%s' is not a duration (7d, 12h, 30m, 60s)\n", optarg);
                return 64;
            }
            break;
        case 'p':
            password_file = optarg;
            break;
        case 'U':
            if (strncmp(optarg, "http://", 7) != 0 && strncmp(optarg, "https://", 8) != 0) {
                fprintf(stderr, "votecloud serve: --public-url: '%s' is not http(s)://HOST[:PORT]\n", optarg);
                return 64;
            }
            server.public_url = optarg;
            break;
        case 'R':
        case 'P': {
            long v = strtol(optarg, &end, 10);
            if (*end != '\0' || v < 1 || v > 1000000) {
                fprintf(stderr, "votecloud serve: --%s: '%s' is not 1..1000000\n",
                        ch == 'R' ? "live-rate" : "per-ip-connections", optarg);
                return 64;
            }
            *(ch == 'R' ? &server.live_rate : &server.per_ip) = (unsigned)v;
            break;
        }
        case 'h':
            usage(stdout);
            return 0;
        default:
            usage(stderr);
            return 64;
        }
    }
    if (optind < argc) {
        fprintf(stderr, "votecloud serve: unexpected argument '%s'\n", argv[optind]);
        return 64;
    }
    server.max_upload = (uint64_t)max_mb << 20;
    struct sockaddr_in sa;
    if (parse_listen(listen, &sa) != 0) {
        fprintf(stderr, "votecloud serve: --listen: '%s' is not HOST:PORT (IPv4)\n", listen);
        return 64;
    }
    char defdata[4096];
    if (data == NULL) {
        if (default_data(defdata, sizeof defdata) != 0) {
            fputs("votecloud serve: no --data and no HOME to put the data in\n", stderr);
            return 64;
        }
        data = defdata;
    }
    if (password_file != NULL && read_password(password_file) != 0) {
        return 66;
    }
    if (sa.sin_addr.s_addr != htonl(INADDR_LOOPBACK) && server.password == NULL) {
        fprintf(stderr, "votecloud serve: warning: listening beyond loopback without "
                        "--password-file: anyone who reaches %s can use it\n", listen);
    }
    if (prepare_data(data) != 0) {
        return 73;
    }
    char err[4400];
    if (sv_store_open(&server, err, sizeof err) != 0) {
        fprintf(stderr, "votecloud serve: %s\n", err);
        return 73;
    }
    sv_store_expire(&server);
    if (sv_zygote_start(&server) != 0) {
        fputs("votecloud serve: warning: no zygote helper; every render starts the binary\n", stderr);
    }
    server.live = sv_live_start(&server, err, sizeof err);
    if (server.live == NULL) {
        fprintf(stderr, "votecloud serve: live rooms: %s\n", err);
        sv_zygote_stop(&server);
        sv_store_close(&server);
        return 73;
    }

    /* The signals are taken by this thread only (sigtimedwait below). */
    sigset_t sigs;
    sigemptyset(&sigs);
    sigaddset(&sigs, SIGINT);
    sigaddset(&sigs, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &sigs, NULL);
    signal(SIGPIPE, SIG_IGN);

    struct MHD_Daemon *d = MHD_start_daemon(
        MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_USE_ITC | MHD_ALLOW_SUSPEND_RESUME,
        0, NULL, NULL, handle,
        NULL, MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&sa, MHD_OPTION_THREAD_POOL_SIZE,
        (unsigned)threads, MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)120,
        MHD_OPTION_PER_IP_CONNECTION_LIMIT, server.per_ip,
        MHD_OPTION_CONNECTION_LIMIT, (unsigned)256, MHD_OPTION_NOTIFY_COMPLETED, completed, NULL,
        MHD_OPTION_END);
    if (d == NULL) {
        fprintf(stderr, "votecloud serve: cannot listen on %s: %s\n", listen, strerror(errno));
        sv_live_free(server.live);
        sv_zygote_stop(&server);
        sv_store_close(&server);
        return 71;
    }
    const union MHD_DaemonInfo *info = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
    char host[64];
    inet_ntop(AF_INET, &sa.sin_addr, host, sizeof host);
    printf("votecloud: serving http://%s:%u/ (data in %s; Ctrl-C stops)\n", host,
           info ? (unsigned)info->port : (unsigned)ntohs(sa.sin_port), server.data);
    fflush(stdout);

    struct timespec every = {60, 0};
    for (;;) {
        int sig = sigtimedwait(&sigs, NULL, &every);
        if (sig == SIGINT || sig == SIGTERM) {
            break;
        }
        sv_store_expire(&server);
    }
    /* Stop accepting, end the live streams (suspended connections must be
     * resumed before the daemon stops), let requests in flight finish
     * (bounded), then stop. */
    sv_live_stop_streams(server.live);
    MHD_socket ls = MHD_quiesce_daemon(d);
    if (ls != MHD_INVALID_SOCKET) {
        close(ls);
    }
    struct timespec tick = {0, 50 * 1000 * 1000};
    for (int i = 0; i < 20 * (server.child_timeout_s + 10) && atomic_load(&server.inflight) > 0;
         i++) {
        nanosleep(&tick, NULL);
    }
    MHD_stop_daemon(d);
    sv_live_free(server.live);
    sv_zygote_stop(&server);
    sv_store_close(&server);
    free(server.password);
    fputs("votecloud: stopped\n", stderr);
    return 0;
}
