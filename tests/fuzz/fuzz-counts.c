/* fuzz-counts.c - the counts reader (word<TAB or comma>count[<sep>group]). */
#include "fuzz.h"
#include "fuzz-input.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    vc_count_options co;
    vc_count_options_init(&co);
    co.format = VC_FORMAT_COUNTS;
    co.max_entries = 10000;
    fuzz_count(&co, "fuzz.tsv", data, size);
    return 0;
}
