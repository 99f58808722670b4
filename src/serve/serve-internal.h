/* serve-internal.h - the server's shared state, seen by serve.c, store.c
 * and run.c only. */
#ifndef VC_SERVE_INTERNAL_H
#define VC_SERVE_INTERNAL_H

#include "serve.h"

#include <pthread.h>
#include <sqlite3.h>
#include <stdatomic.h>
#include <stdint.h>
#include <sys/types.h>

typedef struct sv_server {
    char self_exe[4096];   /* the votecloud binary, resolved at start */
    char data[4096];       /* --data, absolute */
    uint64_t max_upload;   /* bytes */
    long expire_s;
    char *password;        /* NULL: no password asked */
    int child_mem_mb;
    int child_timeout_s;
    sqlite3 *db;
    pthread_mutex_t db_lock;
    atomic_int inflight;
    struct sv_live *live;   /* live event rooms (live-*.c) */
    unsigned live_rate;     /* live answers per client address per minute */
    unsigned per_ip;        /* connections per client address */
    const char *public_url; /* --public-url: where phones reach a live room */
    int zygote_fd;         /* -1: no zygote, every job spawns the binary */
    pid_t zygote_pid;
} sv_server;

/* serve.c, for the live rooms: the headers every answer carries, and the
 * CSRF check of the web app's own pages. */
struct MHD_Response;
struct MHD_Connection;
void sv_security_headers(struct MHD_Response *r);
/* A response streaming the regular file at `path` (opened with `flags`
 * added, e.g. O_NOFOLLOW), or NULL: *missing when there is no such
 * regular file (answer 404), else libmicrohttpd failed. */
struct MHD_Response *sv_file_response(const char *path, int flags, bool *missing);
bool sv_same_origin(struct MHD_Connection *c);

int sv_run(const sv_server *s, const char *cwd, sv_argv *cmd, const char *out_path,
           const char *err_path, int *exit_status);
int sv_run_limited(int argc, char **argv, const char *self_exe);
/* A render child's limits on itself: address space (MB, not under ASan)
 * and CPU seconds; 0 leaves a limit alone. */
void sv_limit_self(long mb, long secs);
/* The CLI's one-line error from a child's stderr (without "votecloud: ");
 * its paths are the child's relative names, never --data. */
void sv_child_message(const char *path, char *out, size_t outlen);
/* sv_child_message, or when the child said nothing (on a full disk its
 * own stderr may not fit), the disk for 507, else `fallback`. */
void sv_child_reason(const char *path, unsigned status, const char *fallback, char *out,
                     size_t outlen);
/* A child's exit status as HTTP: 0 success, 64 -> 400, 65/66 -> 422,
 * 73/74 (its files could not be written: the server's disk) -> 507, else
 * 500. */
unsigned sv_child_status(int rc);
/* A file of at most max bytes, NUL-terminated, malloc'd; NULL if unreadable. */
char *sv_read_small(const char *path, size_t max);
/* "input.EXT" of an upload's folder. */
bool sv_upload_input_name(const char *updir, char *name, size_t len);

/* zygote.c: a pre-loaded helper that forks a child per job (see there). */
int sv_zygote_start(sv_server *s);
void sv_zygote_stop(sv_server *s);
int sv_zygote_run(const sv_server *s, const char *cwd, const sv_argv *cmd, const char *out_path,
                  const char *err_path, int *wait_status);
int sv_zygote_main(void);

/* store.c */
int sv_store_open(sv_server *s, char *err, size_t errlen);
void sv_store_close(sv_server *s);
int sv_new_id(char out[SV_ID_HEX + 1]);
int sv_store_put(sv_server *s, const char *table, const char *id, const char *parent,
                 const char *meta);
/* Returns a malloc'd copy of the row's meta and parent, or NULL if absent
 * or expired. */
char *sv_store_get(sv_server *s, const char *table, const char *id, char parent[SV_ID_HEX + 1]);
void sv_store_expire(sv_server *s);
int sv_setting_put(sv_server *s, const char *key, const char *value);
char *sv_setting_get(sv_server *s, const char *key); /* malloc'd, NULL if absent */
/* The setting PREFIX NAME as a JSON object; NULL when absent or not an
 * object (a damaged value is as good as none). */
json_t *sv_setting_object(sv_server *s, const char *prefix, const char *name);
json_t *sv_setting_keys(sv_server *s, const char *prefix);
int sv_rmtree(const char *path);
int sv_zip_folder(const char *folder, const char *const *names, size_t n, const char *zip_path);

/* serve.c: a file compiled into the binary (www/, the default
 * non-answers), or NULL. */
const char *sv_embedded(const char *name, size_t *len);

/* words-run.c: the words step (see there). */
json_t *sv_words_load(sv_server *s, const char *upload);
int sv_words_args(sv_server *s, const char *upload, json_t *options, const char *dir,
                  sv_argv *cmd, char *err, size_t errlen);
unsigned sv_words_table(sv_server *s, const char *upload, json_t *options, json_t *w,
                        json_t **out, char *err, size_t errlen);
unsigned sv_words_edit(sv_server *s, const char *upload, json_t *options, const char *op,
                       const char *text, json_t **out, char *err, size_t errlen);

/* style-run.c: house styles and fonts (see there). */
unsigned sv_style_save(sv_server *s, const char *body, size_t len, json_t **out, char *err,
                       size_t errlen);
json_t *sv_style_list(sv_server *s);
char *sv_style_file(sv_server *s, const char *name);
unsigned sv_style_load(const char *body, size_t len, json_t **out, char *err, size_t errlen);
/* The same without JSON around them: save options under a name (400 with
 * err for a bad name or option); read a style file's text named `name`
 * (400 with "NAME:LINE: ..." in err). */
unsigned sv_style_save_options(sv_server *s, const char *name, json_t *options, char *err,
                               size_t errlen);
unsigned sv_style_load_text(const char *name, const char *text, size_t len, json_t **options,
                            char *err, size_t errlen);
/* A saved house style's options (new reference), NULL if unknown. */
json_t *sv_style_get(sv_server *s, const char *name);
/* The page without JavaScript: its style fields between posts. */
json_t *sv_form_style_load(sv_server *s, const char *upload);
int sv_form_style_save(sv_server *s, const char *upload, json_t *options);
/* Draws a word with dir/font_name; 415 with "SHOWN: not a font ..." in err
 * (`shown`: the file's name as the officer knows it, or NULL). */
unsigned sv_font_check(sv_server *s, const char *dir, const char *font_name, const char *shown,
                       char *err, size_t errlen);
int sv_font_link(sv_server *s, const char *font_id, const char *dir, sv_argv *cmd, char *err,
                 size_t errlen);

/* pages.c: malloc'd HTML pages (NULL when out of memory). */
char *sv_page_error(unsigned status, const char *msg);
typedef struct sv_upload_view {
    json_t *words;          /* the counted table, or NULL */
    json_t *style;          /* the style fields' options (sv_form_style_load) */
    json_t *house;          /* the saved house styles' names */
    json_t *errors;         /* [[field id, message], ...] of a post, or NULL */
    const char *notice;     /* what the last post did, or NULL */
    const char *style_name; /* the name typed, shown again with an error */
} sv_upload_view;
char *sv_page_upload(const char *id, json_t *meta, const sv_upload_view *v);
char *sv_page_cloud(const char *id, const char *upload_id, json_t *meta);
/* The form's fields -> options (new object): the style fields replace
 * theirs in `base` (NULL: none), whose other options stay. */
json_t *sv_form_options(json_t *form, json_t *upmeta, json_t *base);

#endif
