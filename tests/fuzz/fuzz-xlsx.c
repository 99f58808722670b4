/* fuzz-xlsx.c - what arrives as an export: workbooks, UTF-16 and legacy
 * encodings, sheets with two header rows.  Each input is inspected (every
 * column's role and top answers read back) and counted with nothing named,
 * as the web app and `votecloud count FILE` do. */
#include "fuzz.h"
#include "fuzz-input.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    vc_count_options co;
    vc_count_options_init(&co);
    co.max_entries = 10000;
    co.max_field_bytes = 4096;
    co.max_line_bytes = 8192;
    vc_error err = {0};
    vc_inspection *in = vc_inspect_buffer("fuzz.csv", data, size, &co, &err);
    if (!in && (err.status == VC_OK || err.message[0] == '\0')) {
        __builtin_trap(); /* a failure must say why */
    }
    size_t total = 0;
    for (size_t i = 0; i < vc_inspection_column_count(in); i++) {
        vc_column_info c;
        if (vc_inspection_column(in, i, &c)) {
            total += strlen(c.header) + strlen(vc_column_role_to_string(c.role));
            for (size_t k = 0; k < c.n_top; k++) {
                const char *v;
                double n;
                if (vc_inspection_top(in, i, k, &v, &n)) {
                    total += strlen(v);
                }
            }
        }
    }
    vc_input_info info;
    vc_inspection_input(in, &info);
    (void)total;
    vc_inspection_free(in);
    fuzz_count(&co, "fuzz.csv", data, size);
    return 0;
}
