/* main.c - `votecloud SUBCOMMAND ...`: dispatch only. */
#include "cli.h"
#include "serve.h"

#include <locale.h>
#include <stdio.h>
#include <string.h>

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

int main(int argc, char **argv)
{
    /* Numbers in every output use '.', whatever the user's locale. */
    setlocale(LC_ALL, "C");
    if (argc < 2) {
        usage(stderr);
        return VC_ERR_USAGE;
    }
    const char *cmd = argv[1];
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
        return cmd_serve(argc - 1, argv + 1);
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
