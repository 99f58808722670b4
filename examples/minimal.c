/* minimal.c - the example from the top of votecloud.h, built so it cannot rot. */
#include <votecloud.h>
#include <stdio.h>

int main(void) {
    vc_error err = {0};
    vc_count_options co;
    vc_count_options_init(&co);
    vc_counter *counter = vc_counter_new(&co, &err);
    vc_words *words = NULL;
    vc_context *ctx = NULL;
    vc_layout *layout = NULL;
    vc_render_options ro;
    vc_render_options_init(&ro);
    if (counter && vc_counter_add_file(counter, "votes.csv", &err) &&
        (words = vc_counter_words(counter, NULL, &err)) &&
        (ctx = vc_context_new(&err)) &&
        (layout = vc_layout_new(ctx, words, &ro, &err)))
        vc_layout_write(layout, "cloud.png", &err);
    if (err.status != VC_OK)
        fprintf(stderr, "%s\n", err.message);
    vc_layout_free(layout);
    vc_context_free(ctx);
    vc_words_free(words);
    vc_counter_free(counter);
    return err.status;
}
