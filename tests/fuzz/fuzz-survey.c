/* fuzz-survey.c - the survey CSV reader, with the column options that
 * change its paths chosen by the first byte. */
#include "fuzz.h"
#include "fuzz-input.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1) {
        return 0;
    }
    unsigned sel = data[0];
    vc_count_options co;
    vc_count_options_init(&co);
    co.format = VC_FORMAT_SURVEY;
    co.max_entries = 10000;
    co.max_field_bytes = 4096;
    co.max_line_bytes = 8192;
    switch (sel & 3) {
    case 0: break; /* every column but free-text and event */
    case 1: co.columns = "Word 1,Word 2,Word 3"; break;
    case 2: co.columns = "1,2"; co.free_text_columns = "3"; break;
    case 3: co.columns = "Word 1"; co.free_text_columns = "Any words missing?"; break;
    }
    if (sel & 4) {
        co.multi_sep = ", ";
    }
    if (sel & 8) {
        co.header_rows = 2;
    }
    if (sel & 16) {
        co.merge_plurals = true;
    }
    if (sel & 32) {
        co.event_column = "Event";
    }
    fuzz_count(&co, "fuzz.csv", data + 1, size - 1);
    return 0;
}
