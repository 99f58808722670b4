/* atomic.c - every output file appears complete or not at all: a temporary
 * file in the target folder (so rename is atomic), flushed, synced and
 * closed with checks, then renamed over the old file.  A website folder
 * never sees a half-written image. */
#include "core/core.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static void atomic_release(vc_atomic *a)
{
    free(a->path);
    free(a->tmp_path);
    memset(a, 0, sizeof *a);
}

/* Devices, FIFOs and /dev/stdout cannot be replaced by a rename (a rename
 * would replace the device node or the /dev/stdout link itself): they are
 * written directly, and write errors are still checked. */
static bool write_directly(const char *path, const struct stat *st,
                           bool exists)
{
    if (!exists) {
        return false;
    }
    if (!S_ISREG(st->st_mode)) {
        return true;
    }
    /* /dev/stdout -> /proc/self/fd/1 -> a regular file: write through. */
    struct stat lst;
    return lstat(path, &lst) == 0 && S_ISLNK(lst.st_mode) &&
           (strncmp(path, "/dev/", 5) == 0 || strncmp(path, "/proc/", 6) == 0);
}

static bool atomic_open_direct(vc_atomic *a, const char *path, vc_error *err)
{
    a->path = vc_strdup(path);
    if (!a->path) {
        return vc_fail_nomem(err, path);
    }
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
    if (fd < 0) {
        int e = errno;
        atomic_release(a);
        return vc_fail_errno(err, VC_ERR_CANTCREAT, path, "cannot open", e);
    }
    a->fp = fdopen(fd, "wb");
    if (!a->fp) {
        int e = errno;
        close(fd);
        atomic_release(a);
        return vc_fail_errno(err, VC_ERR_CANTCREAT, path, "cannot open", e);
    }
    return true;
}

/* Creates the temporary file with O_EXCL and mode 0666, so the kernel
 * applies the umask.  mkstemp would make it 0600, and reading the umask to
 * fix that up means changing it, which races with other threads (batch -j).
 * `suffix` is where the six X's start. */
static int create_exclusive(char *tmp_path, size_t suffix)
{
    static const char digits[] = "abcdefghijklmnopqrstuvwxyz0123456789";
    vc_rng rng;
    vc_rng_seed(&rng, (uint64_t)getpid() ^ (uint64_t)(uintptr_t)tmp_path ^
                          (uint64_t)(vc_now() * 1e9));
    for (int attempt = 0; attempt < 100; attempt++) {
        uint64_t r = vc_rng_next(&rng);
        for (size_t i = 0; i < 6; i++) {
            tmp_path[suffix + i] = digits[r % 36];
            r /= 36;
        }
        int fd = open(tmp_path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
        if (fd >= 0 || errno != EEXIST) {
            return fd;
        }
    }
    errno = EEXIST;
    return -1;
}

bool vc_atomic_open(vc_atomic *a, const char *path, vc_error *err)
{
    memset(a, 0, sizeof *a);
    struct stat st;
    bool exists = stat(path, &st) == 0;
    if (exists && S_ISDIR(st.st_mode)) {
        return vc_fail(err, VC_ERR_CANTCREAT, "%s: is a directory", path);
    }
    if (write_directly(path, &st, exists)) {
        return atomic_open_direct(a, path, err);
    }
    a->path = vc_strdup(path);
    vc_buf tmp;
    vc_buf_init(&tmp);
    /* Hidden and suffixed, so a web server or glob for *.png never serves
     * it even if we are killed before clean-up. */
    const char *slash = strrchr(path, '/');
    size_t dir_len = slash ? (size_t)(slash - path) + 1 : 0;
    vc_buf_append(&tmp, path, dir_len);
    vc_buf_printf(&tmp, ".%s.tmp-XXXXXX", path + dir_len);
    if (!a->path || tmp.failed) {
        vc_buf_finish(&tmp);
        atomic_release(a);
        return vc_fail_nomem(err, path);
    }
    a->tmp_path = tmp.data;
    int fd = create_exclusive(a->tmp_path, tmp.len - 6);
    if (fd < 0) {
        int e = errno;
        atomic_release(a);
        return vc_fail_errno(err, VC_ERR_CANTCREAT, path, "cannot create", e);
    }
    a->fp = fdopen(fd, "wb");
    if (!a->fp) {
        int e = errno;
        close(fd);
        unlink(a->tmp_path);
        atomic_release(a);
        return vc_fail_errno(err, VC_ERR_CANTCREAT, path, "cannot create", e);
    }
    return true;
}

void vc_atomic_abort(vc_atomic *a)
{
    if (!a) {
        return;
    }
    if (a->fp) {
        fclose(a->fp);
    }
    if (a->tmp_path) {
        unlink(a->tmp_path);
    }
    atomic_release(a);
}

bool vc_atomic_commit(vc_atomic *a, vc_error *err)
{
    if (!a->fp) {
        vc_atomic_abort(a);
        return vc_fail(err, VC_ERR_SOFTWARE, "atomic commit without a file");
    }
    int e = 0;
    if (fflush(a->fp) != 0 || ferror(a->fp)) {
        e = errno ? errno : EIO;
    } else if (fsync(fileno(a->fp)) != 0 && errno != EINVAL &&
               errno != EROFS) {
        e = errno;
    }
    if (fclose(a->fp) != 0 && e == 0) {
        e = errno ? errno : EIO;
    }
    a->fp = NULL;
    /* Direct writes (tmp_path NULL) are complete once closed. */
    if (e == 0 && a->tmp_path && rename(a->tmp_path, a->path) != 0) {
        e = errno;
    }
    if (e != 0) {
        char *path = vc_strdup(a->path);
        vc_atomic_abort(a);
        vc_fail_errno(err, VC_ERR_IO, path ? path : "output", "write error", e);
        free(path);
        return false;
    }
    atomic_release(a);
    return true;
}

bool vc_atomic_write(const char *path, const void *data, size_t len,
                     vc_error *err)
{
    vc_atomic a;
    if (!vc_atomic_open(&a, path, err)) {
        return false;
    }
    if (len && fwrite(data, 1, len, a.fp) != len) {
        int e = errno ? errno : EIO;
        vc_atomic_abort(&a);
        return vc_fail_errno(err, VC_ERR_IO, path, "write error", e);
    }
    return vc_atomic_commit(&a, err);
}

bool vc_file_write_atomic(const char *path, const void *data, size_t len,
                          vc_error *err)
{
    return vc_atomic_write(path, data, len, err);
}
