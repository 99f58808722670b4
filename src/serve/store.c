/* store.c - the index (SQLite, WAL) of uploads, clouds and batches, their
 * folders under --data, random ids, expiry and zips. */
#define _GNU_SOURCE
#include "serve-internal.h"

#include <errno.h>
#include <dirent.h>
#include <ftw.h>
#include <sys/stat.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>
#include <zip.h>

static const char schema[] =
    "PRAGMA journal_mode=WAL;"
    "PRAGMA synchronous=NORMAL;"
    "CREATE TABLE IF NOT EXISTS uploads(id TEXT PRIMARY KEY, parent TEXT, created INTEGER, meta TEXT);"
    "CREATE TABLE IF NOT EXISTS clouds(id TEXT PRIMARY KEY, parent TEXT, created INTEGER, meta TEXT);"
    "CREATE TABLE IF NOT EXISTS batches(id TEXT PRIMARY KEY, parent TEXT, created INTEGER, meta TEXT);"
    "CREATE TABLE IF NOT EXISTS settings(key TEXT PRIMARY KEY, value TEXT);";

int sv_store_open(sv_server *s, char *err, size_t errlen)
{
    char path[4200];
    snprintf(path, sizeof path, "%s/index.sqlite", s->data);
    if (sqlite3_open_v2(path, &s->db,
                        SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX,
                        NULL) != SQLITE_OK) {
        snprintf(err, errlen, "%s: %s", path, s->db ? sqlite3_errmsg(s->db) : "cannot open");
        return -1;
    }
    sqlite3_busy_timeout(s->db, 5000);
    char *msg = NULL;
    if (sqlite3_exec(s->db, schema, NULL, NULL, &msg) != SQLITE_OK) {
        snprintf(err, errlen, "%s: %s", path, msg ? msg : "schema");
        sqlite3_free(msg);
        return -1;
    }
    pthread_mutex_init(&s->db_lock, NULL);
    return 0;
}

void sv_store_close(sv_server *s)
{
    if (s->db != NULL) {
        sqlite3_close(s->db);
        s->db = NULL;
        pthread_mutex_destroy(&s->db_lock);
    }
}

int sv_new_id(char out[SV_ID_HEX + 1])
{
    unsigned char b[16];
    size_t got = 0;
    while (got < sizeof b) {
        ssize_t n = getrandom(b + got, sizeof b - got, 0);
        if (n < 0) {
            if (errno == EINTR) {
                continue;
            }
            return -1;
        }
        got += (size_t)n;
    }
    for (size_t i = 0; i < sizeof b; i++) {
        snprintf(out + 2 * i, 3, "%02x", b[i]);
    }
    return 0;
}

static bool table_ok(const char *t)
{
    return strcmp(t, "uploads") == 0 || strcmp(t, "clouds") == 0 || strcmp(t, "batches") == 0;
}

int sv_store_put(sv_server *s, const char *table, const char *id, const char *parent,
                 const char *meta)
{
    if (!table_ok(table)) {
        return -1;
    }
    char sql[128];
    snprintf(sql, sizeof sql, "INSERT INTO %s(id,parent,created,meta) VALUES(?,?,?,?)", table);
    pthread_mutex_lock(&s->db_lock);
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(s->db, sql, -1, &st, NULL);
    if (rc == SQLITE_OK) {
        sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 2, parent ? parent : "", -1, SQLITE_STATIC);
        sqlite3_bind_int64(st, 3, (sqlite3_int64)time(NULL));
        sqlite3_bind_text(st, 4, meta, -1, SQLITE_STATIC);
        rc = sqlite3_step(st) == SQLITE_DONE ? SQLITE_OK : SQLITE_ERROR;
    }
    sqlite3_finalize(st);
    pthread_mutex_unlock(&s->db_lock);
    return rc == SQLITE_OK ? 0 : -1;
}

char *sv_store_get(sv_server *s, const char *table, const char *id, char parent[SV_ID_HEX + 1])
{
    if (!table_ok(table)) {
        return NULL;
    }
    char sql[128];
    snprintf(sql, sizeof sql, "SELECT parent, meta, created FROM %s WHERE id=?", table);
    char *meta = NULL;
    pthread_mutex_lock(&s->db_lock);
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) == SQLITE_OK) {
        sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
        if (sqlite3_step(st) == SQLITE_ROW &&
            sqlite3_column_int64(st, 2) + s->expire_s >= (sqlite3_int64)time(NULL)) {
            const unsigned char *p = sqlite3_column_text(st, 0);
            const unsigned char *m = sqlite3_column_text(st, 1);
            if (parent != NULL) {
                snprintf(parent, SV_ID_HEX + 1, "%s", p ? (const char *)p : "");
            }
            meta = strdup(m ? (const char *)m : "");
        }
    }
    sqlite3_finalize(st);
    pthread_mutex_unlock(&s->db_lock);
    return meta;
}

static int rm_one(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
    (void)sb;
    (void)flag;
    (void)ftw;
    return remove(path) == 0 || errno == ENOENT ? 0 : -1;
}

int sv_rmtree(const char *path)
{
    return nftw(path, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

/* Uploads older than --expire go, with every cloud and batch made from
 * them: rows first, then folders. */
void sv_store_expire(sv_server *s)
{
    static const char *const tables[] = {"clouds", "batches", "uploads"};
    sqlite3_int64 cutoff = (sqlite3_int64)time(NULL) - s->expire_s;
    for (size_t t = 0; t < 3; t++) {
        char sql[128];
        snprintf(sql, sizeof sql, "SELECT id FROM %s WHERE created < ?", tables[t]);
        for (int round = 0; round < 1000; round++) {
            char id[SV_ID_HEX + 1] = "";
            pthread_mutex_lock(&s->db_lock);
            sqlite3_stmt *st = NULL;
            if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) == SQLITE_OK) {
                sqlite3_bind_int64(st, 1, cutoff);
                if (sqlite3_step(st) == SQLITE_ROW) {
                    snprintf(id, sizeof id, "%s", (const char *)sqlite3_column_text(st, 0));
                }
            }
            sqlite3_finalize(st);
            if (id[0] != '\0') {
                char del[128];
                snprintf(del, sizeof del, "DELETE FROM %s WHERE id=?", tables[t]);
                if (sqlite3_prepare_v2(s->db, del, -1, &st, NULL) == SQLITE_OK) {
                    sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
                    sqlite3_step(st);
                }
                sqlite3_finalize(st);
            }
            pthread_mutex_unlock(&s->db_lock);
            if (id[0] == '\0' || !sv_id_valid(id, strlen(id))) {
                break;
            }
            char dir[4300];
            snprintf(dir, sizeof dir, "%s/%s/%s", s->data, tables[t], id);
            sv_rmtree(dir);
        }
    }
}

/* A zip of the named files of one folder, or of every file under it when
 * names is NULL (then stored with their relative paths). */
static int add_tree(zip_t *z, const char *root, const char *rel)
{
    char path[4600];
    snprintf(path, sizeof path, "%s%s%s", root, rel[0] ? "/" : "", rel);
    DIR *d = opendir(path);
    if (d == NULL) {
        return -1;
    }
    int rc = 0;
    struct dirent *e;
    while (rc == 0 && (e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.') {
            continue;
        }
        char sub[4600], full[4800];
        snprintf(sub, sizeof sub, "%s%s%s", rel, rel[0] ? "/" : "", e->d_name);
        snprintf(full, sizeof full, "%s/%s", root, sub);
        struct stat st;
        if (lstat(full, &st) != 0) {
            rc = -1;
        } else if (S_ISDIR(st.st_mode)) {
            rc = add_tree(z, root, sub);
        } else if (S_ISREG(st.st_mode)) {
            zip_source_t *src = zip_source_file(z, full, 0, -1);
            if (src == NULL || zip_file_add(z, sub, src, ZIP_FL_ENC_UTF_8) < 0) {
                zip_source_free(src);
                rc = -1;
            }
        }
    }
    closedir(d);
    return rc;
}

int sv_zip_folder(const char *folder, const char *const *names, size_t n, const char *zip_path)
{
    int zerr = 0;
    zip_t *z = zip_open(zip_path, ZIP_CREATE | ZIP_TRUNCATE, &zerr);
    if (z == NULL) {
        return -1;
    }
    int rc = 0;
    if (names == NULL) {
        rc = add_tree(z, folder, "");
    }
    for (size_t i = 0; names != NULL && i < n && rc == 0; i++) {
        char full[4600];
        snprintf(full, sizeof full, "%s/%s", folder, names[i]);
        zip_source_t *src = zip_source_file(z, full, 0, -1);
        if (src == NULL || zip_file_add(z, names[i], src, ZIP_FL_ENC_UTF_8) < 0) {
            zip_source_free(src);
            rc = -1;
        }
    }
    if (rc != 0) {
        zip_discard(z);
        return -1;
    }
    return zip_close(z) == 0 ? 0 : -1;
}

/* Settings: one text value per key ("words:UPLOAD", "vocab:UPLOAD:COLS",
 * "style:NAME"); written whole, so a reader sees the old or the new. */
int sv_setting_put(sv_server *s, const char *key, const char *value)
{
    pthread_mutex_lock(&s->db_lock);
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(s->db, "INSERT OR REPLACE INTO settings(key,value) VALUES(?,?)",
                                -1, &st, NULL);
    if (rc == SQLITE_OK) {
        sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 2, value, -1, SQLITE_STATIC);
        rc = sqlite3_step(st) == SQLITE_DONE ? SQLITE_OK : SQLITE_ERROR;
    }
    sqlite3_finalize(st);
    pthread_mutex_unlock(&s->db_lock);
    return rc == SQLITE_OK ? 0 : -1;
}

char *sv_setting_get(sv_server *s, const char *key)
{
    char *value = NULL;
    pthread_mutex_lock(&s->db_lock);
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(s->db, "SELECT value FROM settings WHERE key=?", -1, &st, NULL) ==
        SQLITE_OK) {
        sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
        if (sqlite3_step(st) == SQLITE_ROW) {
            const unsigned char *v = sqlite3_column_text(st, 0);
            value = strdup(v ? (const char *)v : "");
        }
    }
    sqlite3_finalize(st);
    pthread_mutex_unlock(&s->db_lock);
    return value;
}

json_t *sv_setting_object(sv_server *s, const char *prefix, const char *name)
{
    char key[160];
    if ((size_t)snprintf(key, sizeof key, "%s%s", prefix, name) >= sizeof key) {
        return NULL;
    }
    char *text = sv_setting_get(s, key);
    json_t *v = text ? json_loads(text, 0, NULL) : NULL;
    free(text);
    if (!json_is_object(v)) {
        json_decref(v);
        return NULL;
    }
    return v;
}

/* Keys starting with prefix, in order (for the list of house styles). */
json_t *sv_setting_keys(sv_server *s, const char *prefix)
{
    json_t *out = json_array();
    pthread_mutex_lock(&s->db_lock);
    sqlite3_stmt *st = NULL;
    if (out != NULL && sqlite3_prepare_v2(s->db,
                                          "SELECT key FROM settings WHERE substr(key,1,length(?1))=?1 "
                                          "ORDER BY key LIMIT 500",
                                          -1, &st, NULL) == SQLITE_OK) {
        sqlite3_bind_text(st, 1, prefix, -1, SQLITE_STATIC);
        while (sqlite3_step(st) == SQLITE_ROW) {
            const char *k = (const char *)sqlite3_column_text(st, 0);
            json_array_append_new(out, json_string(k + strlen(prefix)));
        }
    }
    sqlite3_finalize(st);
    pthread_mutex_unlock(&s->db_lock);
    return out;
}
