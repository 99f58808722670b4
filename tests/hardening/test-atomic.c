/* test-atomic.c - atomic outputs: complete or absent, old file untouched on
 * failure, and devices/FIFOs (which a rename cannot replace) written
 * directly with their write errors still reported. */
#include "layout/layout.h"
#include "tap.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static int count_entries(const char *dir)
{
    int n = 0;
    DIR *d = opendir(dir);
    struct dirent *e;
    while (d && (e = readdir(d)) != NULL) {
        n += strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0;
    }
    if (d) {
        closedir(d);
    }
    return n;
}

static char *slurp(const char *path)
{
    return tap_read_file(path, NULL);
}

int main(void)
{
    char dir[] = "/tmp/vc-atomic-XXXXXX";
    if (!mkdtemp(dir)) {
        TAP_OK(0, "mkdtemp");
        return tap_done();
    }
    char path[512], fifo[512];
    snprintf(path, sizeof path, "%s/out.png", dir);
    snprintf(fifo, sizeof fifo, "%s/pipe", dir);
    vc_error err = {0};

    TAP_OK(vc_atomic_write(path, "old bytes", 9, &err), "first write: %s", err.message);
    char *got = slurp(path);
    TAP_EQ_STR(got, "old bytes", "first write complete");
    free(got);

    /* A write that fails half way (abort) leaves the old file alone. */
    vc_atomic a;
    TAP_OK(vc_atomic_open(&a, path, &err), "open over an existing file");
    fputs("half a new fi", a.fp);
    fflush(a.fp);
    TAP_OK(count_entries(dir) == 2, "a temporary exists while writing");
    TAP_OK(a.tmp_path && strstr(a.tmp_path, ".out.png.tmp-") != NULL,
           "temporary is hidden and suffixed: %s", a.tmp_path ? a.tmp_path : "(none)");
    vc_atomic_abort(&a);
    got = slurp(path);
    TAP_EQ_STR(got, "old bytes", "abort leaves the previous file untouched");
    free(got);
    TAP_OK(count_entries(dir) == 1, "abort removes the temporary");

    /* /dev/full: a clean I/O error, and /dev/full is still a device. */
    vc_error_clear(&err);
    TAP_OK(!vc_atomic_write("/dev/full", "x", 1, &err), "/dev/full fails");
    TAP_OK(err.status == VC_ERR_IO, "/dev/full gives VC_ERR_IO (got %d)", err.status);
    TAP_OK(strstr(err.message, "/dev/full") && strstr(err.message, "No space"),
           "message names the path and the cause: %s", err.message);
    struct stat st;
    TAP_OK(stat("/dev/full", &st) == 0 && S_ISCHR(st.st_mode),
           "/dev/full is still a character device");

    /* A big write to /dev/full fails during fwrite, not just at flush. */
    size_t big = 1 << 20;
    char *buf = calloc(big, 1);
    vc_error_clear(&err);
    TAP_OK(buf && !vc_atomic_write("/dev/full", buf, big, &err) &&
           err.status == VC_ERR_IO, "1 MiB to /dev/full: %s", err.message);
    free(buf);

    /* /dev/null works and stays a device. */
    vc_error_clear(&err);
    TAP_OK(vc_atomic_write("/dev/null", "x", 1, &err), "/dev/null works: %s", err.message);
    TAP_OK(stat("/dev/null", &st) == 0 && S_ISCHR(st.st_mode),
           "/dev/null is still a character device");
    TAP_OK(access("/dev/.null.tmp-XXXXXX", F_OK) != 0, "no temporary in /dev");

    /* A FIFO: written directly to the reader, not replaced by a file. */
    TAP_OK(mkfifo(fifo, 0600) == 0, "mkfifo");
    char received[64] = "";
    int fds[2];
    if (pipe(fds) == 0) {
        pid_t pid = fork();
        if (pid == 0) {
            close(fds[0]);
            int fd = open(fifo, O_RDONLY);
            char tmp[64];
            ssize_t n = fd >= 0 ? read(fd, tmp, sizeof tmp) : -1;
            if (n > 0 && write(fds[1], tmp, (size_t)n) != n) {
                _exit(2);
            }
            _exit(0);
        }
        close(fds[1]);
        vc_error_clear(&err);
        TAP_OK(vc_atomic_write(fifo, "through the pipe", 16, &err),
               "writing to a FIFO works: %s", err.message);
        ssize_t n = read(fds[0], received, sizeof received - 1);
        received[n > 0 ? n : 0] = '\0';
        close(fds[0]);
        waitpid(pid, NULL, 0);
    }
    TAP_EQ_STR(received, "through the pipe", "the reader got the bytes");
    TAP_OK(lstat(fifo, &st) == 0 && S_ISFIFO(st.st_mode), "the FIFO is still a FIFO");
    unlink(fifo);

    /* /dev/stdout redirected to a file: written in place, not renamed. */
    char redirect[512];
    snprintf(redirect, sizeof redirect, "%s/stdout.txt", dir);
    fflush(stdout);
    int saved = dup(STDOUT_FILENO);
    int fd = open(redirect, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    bool ok = false;
    if (saved >= 0 && fd >= 0 && dup2(fd, STDOUT_FILENO) >= 0) {
        vc_error_clear(&err);
        ok = vc_atomic_write("/dev/stdout", "to stdout", 9, &err);
        fflush(stdout);
        dup2(saved, STDOUT_FILENO);
    }
    if (fd >= 0) {
        close(fd);
    }
    if (saved >= 0) {
        close(saved);
    }
    TAP_OK(ok, "/dev/stdout works: %s", err.message);
    got = slurp(redirect);
    TAP_EQ_STR(got, "to stdout", "the bytes reached the redirected file");
    free(got);
    TAP_OK(lstat("/dev/stdout", &st) == 0 && S_ISLNK(st.st_mode),
           "/dev/stdout is still a symlink");
    unlink(redirect);

    /* A missing folder: cannot create, nothing left. */
    char missing[600];
    snprintf(missing, sizeof missing, "%s/no/such/dir/out.png", dir);
    vc_error_clear(&err);
    TAP_OK(!vc_atomic_write(missing, "x", 1, &err) && err.status == VC_ERR_CANTCREAT,
           "missing folder: status 73: %s", err.message);
    /* A directory as output. */
    vc_error_clear(&err);
    TAP_OK(!vc_atomic_write(dir, "x", 1, &err) && err.status == VC_ERR_CANTCREAT,
           "a directory as output is refused: %s", err.message);

    unlink(path);
    TAP_OK(count_entries(dir) == 0, "nothing left in the folder");
    rmdir(dir);
    return tap_done();
}
