/* cmd-batch.c - `votecloud batch`: one cloud per event.  STUB. */
#include "cli.h"

int cmd_batch(int argc, char **argv)
{
    cli_opts o;
    int rc = cli_parse(argc, argv, CLI_BATCH, &o);
    if (rc == 0) {
        rc = cli_fail(VC_ERR_SOFTWARE, "batch: not implemented yet");
    }
    cli_opts_free(&o);
    return rc < 0 ? 0 : rc;
}
