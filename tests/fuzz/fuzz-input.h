/* fuzz-input.h - runs one buffer through a counter and reads every result
 * back, so the fuzzer reaches merging and sorting as well as the reader. */
#ifndef VC_FUZZ_INPUT_H
#define VC_FUZZ_INPUT_H

#include "votecloud.h"

#include <string.h>

static inline void fuzz_count(const vc_count_options *co, const char *name,
                              const uint8_t *data, size_t size)
{
    vc_error err = {0};
    vc_counter *counter = vc_counter_new(co, &err);
    if (!counter) {
        return;
    }
    if (vc_counter_add_buffer(counter, name, data, size, &err)) {
        /* A failed input counts nothing, so a second one must still work. */
        vc_words *words = vc_counter_words(counter, NULL, &err);
        size_t total = 0;
        for (size_t i = 0; words && i < vc_words_size(words); i++) {
            total += strlen(vc_words_text(words, i));
            (void)vc_words_count(words, i);
            (void)vc_group_name(vc_words_group(words, i));
        }
        for (size_t i = 0; words && i < vc_words_merge_count(words); i++) {
            vc_merge m;
            if (vc_words_merge(words, i, &m)) {
                total += strlen(m.from) + strlen(m.into);
            }
        }
        for (size_t i = 0; i < vc_counter_event_count(counter); i++) {
            const char *ev = vc_counter_event_name(counter, i);
            vc_words *ew = ev ? vc_counter_words(counter, ev, NULL) : NULL;
            vc_words_free(ew);
        }
        (void)total;
        vc_words_free(words);
    } else if (err.status == VC_OK || err.message[0] == '\0') {
        /* A failure must say why. */
        __builtin_trap();
    }
    vc_counter_free(counter);
}

#endif
