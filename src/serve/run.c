/* run.c - runs the votecloud binary itself as a child (render, batch,
 * inspect), so the web app's bytes are exactly the CLI's.  No shell: a
 * clean argv through posix_spawn, a working folder, stdout and stderr to
 * files, a timeout; the memory and CPU limits are set by the child itself
 * through `votecloud serve --run-limited MB SECONDS -- CMD ...` before it
 * execs the real command. */
#define _GNU_SOURCE
#include "serve-internal.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

int sv_run(const sv_server *s, const char *cwd, sv_argv *cmd, const char *out_path,
           const char *err_path, int *exit_status)
{
    int wait_status;
    if (sv_zygote_run(s, cwd, cmd, out_path, err_path, &wait_status) == 0) {
        *exit_status = wait_status != -1 && WIFEXITED(wait_status) ? WEXITSTATUS(wait_status) : -1;
        return 0;
    }
    sv_argv a = {0};
    char mb[32], secs[32];
    snprintf(mb, sizeof mb, "%d", s->child_mem_mb);
    snprintf(secs, sizeof secs, "%d", s->child_timeout_s);
    if (sv_argv_push(&a, "votecloud") || sv_argv_push(&a, "serve") ||
        sv_argv_push(&a, "--run-limited") || sv_argv_push(&a, mb) ||
        sv_argv_push(&a, secs) || sv_argv_push(&a, "--")) {
        sv_argv_free(&a);
        return -1;
    }
    for (size_t i = 0; i < cmd->n; i++) {
        if (sv_argv_push(&a, cmd->v[i]) != 0) {
            sv_argv_free(&a);
            return -1;
        }
    }
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addchdir_np(&fa, cwd);
    posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&fa, 1, out_path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    posix_spawn_file_actions_addopen(&fa, 2, err_path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    posix_spawnattr_t at;
    posix_spawnattr_init(&at);
    sigset_t none;
    sigemptyset(&none);
    posix_spawnattr_setsigmask(&at, &none);
    sigset_t def;
    sigemptyset(&def);
    sigaddset(&def, SIGPIPE);
    sigaddset(&def, SIGINT);
    sigaddset(&def, SIGTERM);
    posix_spawnattr_setsigdefault(&at, &def);
    posix_spawnattr_setflags(&at, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
    pid_t pid;
    int rc = posix_spawn(&pid, s->self_exe, &fa, &at, a.v, environ);
    posix_spawn_file_actions_destroy(&fa);
    posix_spawnattr_destroy(&at);
    sv_argv_free(&a);
    if (rc != 0) {
        return -1;
    }
    /* Wall-clock timeout, polled: bounded by child_timeout_s. */
    struct timespec tick = {0, 5 * 1000 * 1000};
    long max_ticks = (long)s->child_timeout_s * 200;
    int status = 0;
    for (long t = 0;; t++) {
        pid_t w = waitpid(pid, &status, WNOHANG);
        if (w == pid) {
            break;
        }
        if (w < 0 && errno != EINTR) {
            return -1;
        }
        if (t >= max_ticks) {
            kill(pid, SIGKILL);
            while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
            }
            *exit_status = -1;
            return 0;
        }
        nanosleep(&tick, NULL);
    }
    *exit_status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    return 0;
}

void sv_limit_self(long mb, long secs)
{
#if !defined(__SANITIZE_ADDRESS__) && !defined(__SANITIZE_THREAD__)
    if (mb > 0) {
        struct rlimit r = {(rlim_t)mb << 20, (rlim_t)mb << 20};
        setrlimit(RLIMIT_AS, &r);
    }
#else
    (void)mb; /* ASan and TSan reserve terabytes of address space */
#endif
    if (secs > 0) {
        struct rlimit r = {(rlim_t)secs, (rlim_t)secs + 1};
        setrlimit(RLIMIT_CPU, &r);
    }
}

int sv_run_limited(int argc, char **argv, const char *self_exe)
{
    /* argv: --run-limited MB SECONDS -- CMD ARGS... */
    if (argc < 5 || strcmp(argv[3], "--") != 0) {
        fputs("votecloud serve --run-limited: usage MB SECONDS -- COMMAND ...\n", stderr);
        return 64;
    }
    long mb = strtol(argv[1], NULL, 10);
    long secs = strtol(argv[2], NULL, 10);
    sv_limit_self(mb, secs);
    char **args = argv + 3;
    args[0] = (char *)"votecloud";
    execv(self_exe, args);
    fprintf(stderr, "votecloud serve: cannot run %s: %s\n", self_exe, strerror(errno));
    return 70;
}

/* ---- a child's results --------------------------------------------- */

/* The last non-empty line of a child's stderr: the CLI's one-line error.
 * Paths in it are the child's relative names (upload.csv), never --data. */
void sv_child_message(const char *path, char *out, size_t outlen)
{
    out[0] = '\0';
    FILE *f = fopen(path, "r");
    if (f == NULL) {
        return;
    }
    char line[2048];
    while (fgets(line, sizeof line, f) != NULL) {
        size_t n = strcspn(line, "\r\n");
        line[n] = '\0';
        if (n > 0 && strncmp(line, "votecloud: warning", 18) != 0) {
            snprintf(out, outlen, "%s", line);
        }
    }
    fclose(f);
    if (strncmp(out, "votecloud: ", 11) == 0) {
        memmove(out, out + 11, strlen(out + 11) + 1);
    }
}

void sv_child_reason(const char *path, unsigned status, const char *fallback, char *out,
                     size_t outlen)
{
    sv_child_message(path, out, outlen);
    if (out[0] == '\0') {
        snprintf(out, outlen, "%s",
                 status == 507 ? "the server's disk is full: it could not write its files"
                               : fallback);
    }
}

char *sv_read_small(const char *path, size_t max)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL) {
        return NULL;
    }
    char *buf = malloc(max + 1);
    size_t n = buf ? fread(buf, 1, max, f) : 0;
    fclose(f);
    if (buf != NULL) {
        buf[n] = '\0';
    }
    return buf;
}

bool sv_upload_input_name(const char *updir, char *name, size_t len)
{
    static const char *const exts[] = {"csv", "tsv", "txt", "tab", "xlsx"};
    for (size_t i = 0; i < sizeof exts / sizeof exts[0]; i++) {
        char p[4400];
        snprintf(p, sizeof p, "%s/input.%s", updir, exts[i]);
        if (access(p, R_OK) == 0) {
            snprintf(name, len, "input.%s", exts[i]);
            return true;
        }
    }
    return false;
}

/* Maps a child's exit status to HTTP; 0 means success. */
unsigned sv_child_status(int rc)
{
    switch (rc) {
    case 0:
        return 0;
    case 64:
        return 400;
    case 65:
    case 66:
        return 422;
    case 73: /* cannot create */
    case 74: /* I/O error: the server's files, not the user's */
        return 507;
    default:
        return 500;
    }
}
