/* main.c - `votecloud SUBCOMMAND ...`: dispatch only.  Built twice:
 * votecloud, which hands `serve` to votecloud-serve beside it, and
 * votecloud-serve (VC_CLI_HAS_SERVE), which has every command and serve. */
#include "cli.h"
#ifdef VC_CLI_HAS_SERVE
#include "serve.h"
#endif

#include <errno.h>
#include <limits.h>
#include <locale.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static void usage(FILE *fp)
{
    fputs("usage: votecloud COMMAND INPUT... [options]\n"
          "\n"
          "commands:\n"
          "  count    count votes: word<TAB>count<TAB>group, most votes first\n"
          "  render   draw one word cloud (PNG, SVG, PDF)\n"
          "  batch    draw one cloud per event, with a gallery page\n"
          "  inspect  list a survey's columns: what each holds, what is counted\n"
          "  serve    the web app: upload, choose, style and download in a browser\n"
          "\n"
          "'votecloud COMMAND --help' lists a command's options.\n", fp);
}

#ifndef VC_CLI_HAS_SERVE
/* Replaces this process with votecloud-serve from this program's folder,
 * with the same arguments: same process id, same exit status, same
 * signals.  Returns only when it cannot. */
static int exec_serve(char **argv)
{
    static const char sibling[] = "votecloud-serve";
    char path[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", path, sizeof path - 1);
    if (n < 0) {
        fprintf(stderr, "votecloud serve: cannot find this program (/proc/self/exe): %s\n",
                strerror(errno));
        return VC_ERR_SOFTWARE;
    }
    path[n] = '\0';
    char *slash = strrchr(path, '/');
    size_t dir = slash ? (size_t)(slash - path) + 1 : 0;
    if (dir + sizeof sibling > sizeof path) {
        fprintf(stderr, "votecloud serve: the program's path is too long: %s\n", path);
        return VC_ERR_SOFTWARE;
    }
    memcpy(path + dir, sibling, sizeof sibling);
    execv(path, argv);
    fprintf(stderr, "votecloud serve: cannot run %s: %s\n", path, strerror(errno));
    return VC_ERR_SOFTWARE;
}
#endif

static int run(int argc, char **argv)
{
    if (argc < 2) {
        usage(stderr);
        return VC_ERR_USAGE;
    }
    const char *cmd = argv[1];
    /* Not for serve, which handles its signals itself and whose children
     * (exec) would inherit the blocked ones. */
    if (strcmp(cmd, "count") == 0 || strcmp(cmd, "render") == 0 || strcmp(cmd, "batch") == 0) {
        cli_interrupts_start();
    }
    if (strcmp(cmd, "count") == 0) {
        return cmd_count(argc - 1, argv + 1);
    }
    if (strcmp(cmd, "render") == 0) {
        return cmd_render(argc - 1, argv + 1);
    }
    if (strcmp(cmd, "batch") == 0) {
        return cmd_batch(argc - 1, argv + 1);
    }
    if (strcmp(cmd, "inspect") == 0) {
        return cmd_inspect(argc - 1, argv + 1);
    }
    if (strcmp(cmd, "serve") == 0) {
#ifdef VC_CLI_HAS_SERVE
        return cmd_serve(argc - 1, argv + 1);
#else
        return exec_serve(argv);
#endif
    }
    if (strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0 ||
        strcmp(cmd, "help") == 0) {
        usage(stdout);
        return 0;
    }
    if (strcmp(cmd, "--version") == 0) {
        printf("votecloud %s\n", vc_version());
        return 0;
    }
    fprintf(stderr, "votecloud: unknown command '%s'\n", cmd);
    usage(stderr);
    return VC_ERR_USAGE;
}

int main(int argc, char **argv)
{
    /* Numbers in every output use '.', whatever the user's locale. */
    setlocale(LC_ALL, "C");
    int rc = run(argc, argv);
    /* What a command printed (a listing, the help) must have got there: on
     * a full disk that is an I/O error, not success.  Not for the server,
     * whose standard output is only its banner and whose clean stop is 0
     * whatever became of it. */
    bool serving = argc >= 2 && strcmp(argv[1], "serve") == 0;
    if (!serving && (fflush(stdout) != 0 || ferror(stdout)) && rc == 0) {
        rc = cli_fail(VC_ERR_IO, "standard output: write error");
    }
    return rc;
}
