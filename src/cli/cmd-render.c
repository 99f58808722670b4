/* cmd-render.c - `votecloud render`: count, lay out once, write every
 * output.  STUB: the layout stage fills this in. */
#include "cli.h"

#include <stdio.h>
#include <stdlib.h>

int cli_render_outputs(const cli_opts *o, vc_layout *layout)
{
    vc_error err = {0};
    for (size_t i = 0; i < o->n_outputs; i++) {
        if (!vc_layout_write(layout, o->outputs[i], &err)) {
            return cli_report(&err);
        }
    }
    if (o->layout_json && !vc_layout_write_json(layout, o->layout_json, &err)) {
        return cli_report(&err);
    }
    return 0;
}

int cmd_render(int argc, char **argv)
{
    cli_opts o;
    int rc = cli_parse(argc, argv, CLI_RENDER, &o);
    if (rc) {
        cli_opts_free(&o);
        return rc < 0 ? 0 : rc;
    }
    vc_error err = {0};
    vc_words *words = NULL;
    vc_context *ctx = NULL;
    vc_layout *layout = NULL;
    vc_counter *counter = cli_count_inputs(&o, o.inputs, o.n_inputs, &rc);
    if (counter && !(words = vc_counter_words(counter, NULL, &err))) {
        rc = cli_report(&err);
    }
    if (words && !(ctx = vc_context_new(&err))) {
        rc = cli_report(&err);
    }
    if (ctx && !(layout = vc_layout_new(ctx, words, &o.render, &err))) {
        rc = cli_report(&err);
    }
    if (layout) {
        rc = cli_render_outputs(&o, layout);
    }
    vc_layout_free(layout);
    vc_context_free(ctx);
    vc_words_free(words);
    vc_counter_free(counter);
    cli_opts_free(&o);
    return rc;
}
