/* fuzz-text.c - vc_counter_add_buffer with every vc_count_options.format
 * (chosen by the first byte), so auto-detection and the text tokeniser are
 * reached from arbitrary bytes. */
#include "fuzz.h"
#include "fuzz-input.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1) {
        return 0;
    }
    static const char *const names[] = {"fuzz.txt", "fuzz.csv", "fuzz.tsv", "fuzz"};
    unsigned sel = data[0];
    vc_count_options co;
    vc_count_options_init(&co);
    co.format = (vc_format)(sel & 3);
    co.max_entries = 10000;
    co.max_field_bytes = 4096;
    co.max_line_bytes = 8192;
    co.stopwords = !(sel & 4);
    co.include_numbers = (sel & 8) != 0;
    co.merge_plurals = (sel & 16) != 0;
    fuzz_count(&co, names[(sel >> 5) & 3], data + 1, size - 1);
    return 0;
}
