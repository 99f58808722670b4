/* staged.c - all or nothing for a run's files (render's outputs and pack,
 * each event of a batch): every file is first written under a staged name
 * in its own folder (".vc-XXXXXX-NAME", so the extension still names the
 * format), and renamed into place only when every one was written.  A
 * failure removes the staged files; older outputs stay. */
#include "cli.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Fills err (when still clear) with "PATH: what: strerror". */
static void fail_errno(vc_error *err, vc_status status, const char *path, const char *what,
                       int e)
{
    if (err->status == VC_OK) {
        err->status = status;
        snprintf(err->message, sizeof err->message, "%s: %s: %s", path, what, strerror(e));
    }
}

const char *cli_stage(cli_staged *st, const char *path, vc_error *err)
{
    struct stat sb;
    if (!path || strcmp(path, "-") == 0 || (lstat(path, &sb) == 0 && !S_ISREG(sb.st_mode))) {
        return path; /* standard output, a device or a link: written directly */
    }
    const char *slash = strrchr(path, '/');
    size_t dir_len = slash ? (size_t)(slash - path) + 1 : 0;
    const char *base = path + dir_len;
    size_t len = dir_len + strlen(base) + sizeof ".vc-XXXXXX-";
    char *tmp = malloc(len);
    if (!tmp || st->n == sizeof st->tmp / sizeof st->tmp[0]) {
        free(tmp);
        fail_errno(err, VC_ERR_NOMEM, path, "cannot stage", ENOMEM);
        return NULL;
    }
    snprintf(tmp, len, "%.*s.vc-XXXXXX-%s", (int)dir_len, path, base);
    int fd = mkstemps(tmp, (int)strlen(base) + 1);
    if (fd < 0) {
        fail_errno(err, VC_ERR_CANTCREAT, path, "cannot create", errno);
        free(tmp);
        return NULL;
    }
    close(fd);
    st->final[st->n] = path;
    st->tmp[st->n++] = tmp;
    return tmp;
}

void cli_unstage(cli_staged *st, bool keep)
{
    for (size_t i = 0; i < st->n; i++) {
        if (!keep) {
            unlink(st->tmp[i]);
        }
        free(st->tmp[i]);
    }
    st->n = 0;
}

/* A failure here (rare: the folder vanished) names the file. */
bool cli_commit_staged(cli_staged *st, vc_error *err)
{
    for (size_t i = 0; i < st->n; i++) {
        if (rename(st->tmp[i], st->final[i]) != 0) {
            fail_errno(err, VC_ERR_IO, st->final[i], "cannot rename into place", errno);
            cli_unstage(st, false);
            return false;
        }
    }
    cli_unstage(st, true);
    return true;
}

bool cli_is_staged(const cli_staged *st, const char *path)
{
    for (size_t i = 0; i < st->n; i++) {
        if (st->tmp[i] == path) {
            return true;
        }
    }
    return false;
}

void cli_unstaged_names(const cli_staged *st, vc_error *err)
{
    for (size_t i = 0; i < st->n; i++) {
        char *at = strstr(err->message, st->tmp[i]);
        if (at) {
            char rest[VC_ERROR_MESSAGE_MAX];
            snprintf(rest, sizeof rest, "%s", at + strlen(st->tmp[i]));
            snprintf(at, sizeof err->message - (size_t)(at - err->message), "%s%s",
                     st->final[i], rest);
            return;
        }
    }
}

bool cli_staged_end(cli_staged *st, bool ok, vc_error *err)
{
    if (ok) {
        return cli_commit_staged(st, err);
    }
    cli_unstaged_names(st, err);
    cli_unstage(st, false);
    return false;
}

int cli_report_staged(const cli_staged *st, vc_error *err)
{
    cli_unstaged_names(st, err);
    return cli_report(err);
}
