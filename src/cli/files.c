/* files.c - how the CLI reads its own small files (--style, --manifest):
 * opened without blocking, refused unless a regular file (a FIFO with no
 * writer would hang, /dev/zero never ends), and read up to a stated size.
 * Inputs are read by the library, which allows pipes for '-'. */
#include "cli.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Fills err with "PATH: DETAIL". */
static bool fail(vc_error *err, vc_status status, const char *path, const char *detail)
{
    if (err && err->status == VC_OK) {
        err->status = status;
        snprintf(err->message, sizeof err->message, "%s: %s", path, detail);
    }
    return false;
}

bool cli_read_small_file(const char *path, size_t max_bytes, char **data, size_t *len,
                         vc_error *err)
{
    *data = NULL;
    *len = 0;
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0) {
        char detail[160];
        snprintf(detail, sizeof detail, "cannot open: %s", strerror(errno));
        return fail(err, VC_ERR_NOINPUT, path, detail);
    }
    struct stat st;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        close(fd);
        return fail(err, VC_ERR_NOINPUT, path,
                    S_ISDIR(st.st_mode) ? "is a folder, not a file"
                                        : "not a regular file (a pipe or device); "
                                          "save it to a file first");
    }
    if ((unsigned long long)st.st_size > max_bytes) {
        close(fd);
        char detail[96];
        snprintf(detail, sizeof detail, "larger than %zu bytes; is it the right file?",
                 max_bytes);
        return fail(err, VC_ERR_DATA, path, detail);
    }
    char *buf = malloc(max_bytes + 1);
    if (!buf) {
        close(fd);
        return fail(err, VC_ERR_NOMEM, path, "out of memory");
    }
    size_t n = 0;
    for (;;) {
        ssize_t got = read(fd, buf + n, max_bytes + 1 - n);
        if (got < 0 && errno == EINTR) {
            continue;
        }
        if (got < 0) {
            char detail[160];
            snprintf(detail, sizeof detail, "read error: %s", strerror(errno));
            free(buf);
            close(fd);
            return fail(err, VC_ERR_NOINPUT, path, detail);
        }
        if (got == 0 || n + (size_t)got > max_bytes) {
            n += (size_t)got;
            break;
        }
        n += (size_t)got;
    }
    close(fd);
    if (n > max_bytes) { /* grew while read */
        free(buf);
        char detail[96];
        snprintf(detail, sizeof detail, "larger than %zu bytes; is it the right file?",
                 max_bytes);
        return fail(err, VC_ERR_DATA, path, detail);
    }
    buf[n] = '\0';
    *data = buf;
    *len = n;
    return true;
}
