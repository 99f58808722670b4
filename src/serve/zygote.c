/* zygote.c - a single-threaded helper the server starts once (`votecloud
 * serve --zygote`): it has the binary and its libraries loaded already
 * and forks one child per render, inspect or batch, so a preview does not
 * pay for exec and dynamic linking (about 90 ms of a 200 ms budget on a
 * loaded machine).  cairo is the exception: the library opens it on first
 * use (layout/cairo-lib.c), so a child that makes a PDF or a chart opens
 * it itself, about 1 ms; previews (SVG, PNG) never do.  The child runs the
 * CLI's own subcommand on the argv it was sent, so the bytes are the CLI's
 * bytes.
 *
 * Protocol (SOCK_SEQPACKET, one message per job): "cwd\0out\0err\0MB\0SECS\0
 * ARG0\0ARG1\0...", with the write end of a pipe attached (SCM_RIGHTS); the
 * zygote writes the child's wait status (an int) to that pipe when it ends. */
#define _GNU_SOURCE
#include "serve-internal.h"
#include "cli.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#define ZY_MAX_MSG (256 * 1024)
#define ZY_MAX_ARGS 512
#define ZY_MAX_JOBS 256

extern char **environ;

/* ---- the server's side -------------------------------------------- */

int sv_zygote_start(sv_server *s)
{
    int sv[2];
    if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) != 0) {
        return -1;
    }
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_adddup2(&fa, sv[1], 3); /* dup2 clears CLOEXEC */
    posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
    char *args[] = {(char *)"votecloud", (char *)"serve", (char *)"--zygote", NULL};
    pid_t pid;
    int rc = posix_spawn(&pid, s->self_exe, &fa, NULL, args, environ);
    posix_spawn_file_actions_destroy(&fa);
    close(sv[1]);
    if (rc != 0) {
        close(sv[0]);
        return -1;
    }
    s->zygote_fd = sv[0];
    s->zygote_pid = pid;
    return 0;
}

void sv_zygote_stop(sv_server *s)
{
    if (s->zygote_fd >= 0) {
        close(s->zygote_fd); /* the zygote sees EOF and leaves */
        s->zygote_fd = -1;
        while (waitpid(s->zygote_pid, NULL, 0) < 0 && errno == EINTR) {
        }
    }
}

static int append(char *buf, size_t *len, const char *s)
{
    size_t n = strlen(s) + 1;
    if (*len + n > ZY_MAX_MSG) {
        return -1;
    }
    memcpy(buf + *len, s, n);
    *len += n;
    return 0;
}

/* Runs one job through the zygote.  Returns 0 with *wait_status set, or -1
 * when the zygote cannot take it (the caller then spawns the binary). */
int sv_zygote_run(const sv_server *s, const char *cwd, const sv_argv *cmd, const char *out_path,
                  const char *err_path, int *wait_status)
{
    if (s->zygote_fd < 0) {
        return -1;
    }
    char *buf = malloc(ZY_MAX_MSG);
    if (buf == NULL) {
        return -1;
    }
    char mb[32], secs[32];
    snprintf(mb, sizeof mb, "%d", s->child_mem_mb);
    snprintf(secs, sizeof secs, "%d", s->child_timeout_s);
    size_t len = 0;
    int bad = append(buf, &len, cwd) | append(buf, &len, out_path) |
              append(buf, &len, err_path) | append(buf, &len, mb) | append(buf, &len, secs);
    for (size_t i = 0; i < cmd->n; i++) {
        bad |= append(buf, &len, cmd->v[i]);
    }
    int pfd[2];
    if (bad != 0 || pipe2(pfd, O_CLOEXEC) != 0) {
        free(buf);
        return -1;
    }
    struct iovec iov = {buf, len};
    union {
        char raw[CMSG_SPACE(sizeof(int))];
        struct cmsghdr align;
    } ctl;
    memset(&ctl, 0, sizeof ctl);
    struct msghdr m = {0};
    m.msg_iov = &iov;
    m.msg_iovlen = 1;
    m.msg_control = ctl.raw;
    m.msg_controllen = sizeof ctl.raw;
    struct cmsghdr *cm = CMSG_FIRSTHDR(&m);
    cm->cmsg_level = SOL_SOCKET;
    cm->cmsg_type = SCM_RIGHTS;
    cm->cmsg_len = CMSG_LEN(sizeof(int));
    memcpy(CMSG_DATA(cm), &pfd[1], sizeof(int));
    ssize_t sent;
    do {
        sent = sendmsg(s->zygote_fd, &m, MSG_NOSIGNAL);
    } while (sent < 0 && errno == EINTR);
    close(pfd[1]);
    free(buf);
    if (sent != (ssize_t)len) {
        close(pfd[0]);
        return -1;
    }
    /* The child stops itself after child_timeout_s (alarm); the margin
     * covers a zygote that died with the job. */
    struct pollfd p = {pfd[0], POLLIN, 0};
    int status = 0;
    ssize_t got = -1;
    int waited = poll(&p, 1, (s->child_timeout_s + 10) * 1000);
    if (waited > 0) {
        do {
            got = read(pfd[0], &status, sizeof status);
        } while (got < 0 && errno == EINTR);
    }
    close(pfd[0]);
    if (got != (ssize_t)sizeof status) {
        *wait_status = -1;
        return waited > 0 ? -1 : 0; /* EOF: the zygote went away; timeout: failed run */
    }
    *wait_status = status;
    return 0;
}

/* ---- the zygote ----------------------------------------------------- */

typedef struct zy_job {
    pid_t pid;
    int reply_fd;
} zy_job;

/* Only the subcommands the server runs. */
static int dispatch(int argc, char **argv)
{
    if (argc < 2) {
        return 64;
    }
    if (strcmp(argv[1], "render") == 0) {
        return cmd_render(argc - 1, argv + 1);
    }
    if (strcmp(argv[1], "batch") == 0) {
        return cmd_batch(argc - 1, argv + 1);
    }
    if (strcmp(argv[1], "inspect") == 0) {
        return cmd_inspect(argc - 1, argv + 1);
    }
    if (strcmp(argv[1], "count") == 0) {
        return cmd_count(argc - 1, argv + 1);
    }
    return 64;
}

/* In the forked child: limits, folder, files, then the subcommand. */
static void child(int sock, int sfd, const zy_job *jobs, char **f, int nf)
{
    close(sock);
    close(sfd);
    for (int i = 0; i < ZY_MAX_JOBS; i++) {
        if (jobs[i].pid != 0) {
            close(jobs[i].reply_fd); /* only the zygote answers for other jobs */
        }
    }
    sigset_t none;
    sigemptyset(&none);
    signal(SIGCHLD, SIG_DFL);
    signal(SIGPIPE, SIG_DFL); /* as a command started from a shell */
    sigprocmask(SIG_SETMASK, &none, NULL);
    long mb = strtol(f[3], NULL, 10);
    long secs = strtol(f[4], NULL, 10);
    sv_limit_self(mb, secs);
    if (secs > 0) {
        alarm((unsigned)secs); /* wall clock: SIGALRM's default ends the process */
    }
    int in = open("/dev/null", O_RDONLY);
    int out = open(f[1], O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    int err = open(f[2], O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (in < 0 || out < 0 || err < 0 || dup2(in, 0) < 0 || dup2(out, 1) < 0 ||
        dup2(err, 2) < 0 || chdir(f[0]) != 0) {
        _exit(71);
    }
    close(in);
    close(out);
    close(err);
    char *argv[ZY_MAX_ARGS + 2];
    char self[] = "votecloud";
    int argc = 0;
    argv[argc++] = self;
    for (int i = 5; i < nf && argc < ZY_MAX_ARGS; i++) {
        argv[argc++] = f[i];
    }
    argv[argc] = NULL;
    optind = 1;
    exit(dispatch(argc, argv));
}

/* Splits a message into its NUL-terminated fields. */
static int fields(char *buf, size_t len, char **f, int max)
{
    if (len == 0 || buf[len - 1] != '\0') {
        return -1;
    }
    int n = 0;
    for (size_t i = 0; i < len && n < max; i += strlen(buf + i) + 1) {
        f[n++] = buf + i;
    }
    return n;
}

static void take_job(int sock, int sfd, zy_job *jobs, char *buf)
{
    union {
        char raw[CMSG_SPACE(sizeof(int))];
        struct cmsghdr align;
    } ctl;
    struct iovec iov = {buf, ZY_MAX_MSG};
    struct msghdr m = {0};
    m.msg_iov = &iov;
    m.msg_iovlen = 1;
    m.msg_control = ctl.raw;
    m.msg_controllen = sizeof ctl.raw;
    ssize_t n = recvmsg(sock, &m, MSG_CMSG_CLOEXEC);
    if (n <= 0) {
        if (n == 0 || (errno != EINTR && errno != EAGAIN)) {
            exit(0); /* the server closed its end */
        }
        return;
    }
    int reply = -1;
    struct cmsghdr *cm = CMSG_FIRSTHDR(&m);
    if (cm != NULL && cm->cmsg_type == SCM_RIGHTS && cm->cmsg_len == CMSG_LEN(sizeof(int))) {
        memcpy(&reply, CMSG_DATA(cm), sizeof(int));
    }
    char *f[ZY_MAX_ARGS + 6];
    int nf = (m.msg_flags & MSG_TRUNC) ? -1 : fields(buf, (size_t)n, f, ZY_MAX_ARGS + 5);
    int slot = -1;
    for (int i = 0; i < ZY_MAX_JOBS && slot < 0; i++) {
        slot = jobs[i].pid == 0 ? i : -1;
    }
    pid_t pid = nf >= 7 && reply >= 0 && slot >= 0 ? fork() : -1;
    if (pid == 0) {
        close(reply);
        child(sock, sfd, jobs, f, nf);
    }
    if (pid < 0) {
        close(reply); /* EOF: the server falls back to spawning */
        return;
    }
    jobs[slot].pid = pid;
    jobs[slot].reply_fd = reply;
}

static void reap(zy_job *jobs)
{
    int status;
    pid_t pid;
    while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
        for (int i = 0; i < ZY_MAX_JOBS; i++) {
            if (jobs[i].pid == pid) {
                ssize_t w = write(jobs[i].reply_fd, &status, sizeof status);
                (void)w; /* the server may have given up waiting */
                close(jobs[i].reply_fd);
                jobs[i].pid = 0;
            }
        }
    }
}

int sv_zygote_main(void)
{
    const int sock = 3;
    prctl(PR_SET_PDEATHSIG, SIGTERM);
    signal(SIGPIPE, SIG_IGN);
    sigset_t chld;
    sigemptyset(&chld);
    sigaddset(&chld, SIGCHLD);
    sigprocmask(SIG_BLOCK, &chld, NULL);
    int sfd = signalfd(-1, &chld, SFD_CLOEXEC);
    char *buf = malloc(ZY_MAX_MSG);
    static zy_job jobs[ZY_MAX_JOBS];
    if (sfd < 0 || buf == NULL) {
        return 71;
    }
    fflush(NULL); /* nothing buffered is copied into the children */
    for (;;) {
        struct pollfd p[2] = {{sock, POLLIN, 0}, {sfd, POLLIN, 0}};
        if (poll(p, 2, -1) < 0) {
            continue;
        }
        if (p[1].revents & POLLIN) {
            struct signalfd_siginfo si;
            ssize_t r = read(sfd, &si, sizeof si);
            (void)r;
            reap(jobs);
        }
        if (p[0].revents & (POLLIN | POLLHUP | POLLERR)) {
            take_job(sock, sfd, jobs, buf);
        }
    }
}
