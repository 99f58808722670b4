/* fuzz-zip.c - the workbook's zip container (src/input/zip-read.c) on
 * hostile bytes: the end record and central directory are parsed, every
 * part an .xlsx reader asks for is looked up, and each found part up to
 * 1 MiB is read.  Whatever the bytes, each step either works or fails
 * with a message naming the file; a part that reads is exactly its
 * declared size and NUL-terminated.  (The exports target reaches the same
 * code through whole workbooks, where a changed byte mostly meets a
 * checksum; here the directory itself is what changes.) */
#include "fuzz.h"
#include "input/input.h"

#include <string.h>

#define MAX_PART ((uint32_t)1 << 20)

static const char *const PARTS[] = {
    "xl/workbook.xml", "xl/_rels/workbook.xml.rels", "xl/sharedStrings.xml",
    "xl/worksheets/sheet1.xml", "[Content_Types].xml",
};

static void says_why(const vc_error *err)
{
    if (err->status == VC_OK || !strstr(err->message, "fuzz.xlsx")) {
        __builtin_trap(); /* a failure must say why, and of which file */
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    vc_zip zip;
    vc_error err = {0};
    if (!vc_zip_open(&zip, "fuzz.xlsx", data, size, &err)) {
        says_why(&err);
        return 0;
    }
    for (size_t i = 0; i < sizeof PARTS / sizeof PARTS[0]; i++) {
        vc_zip_entry e;
        vc_error_clear(&err);
        int found = vc_zip_find(&zip, PARTS[i], &e, &err);
        if (found < 0) {
            says_why(&err);
            return 0;
        }
        if (found == 0 || e.usize > MAX_PART) {
            continue;
        }
        vc_buf part;
        if (vc_zip_read(&zip, &e, PARTS[i], &part, &err)) {
            if (part.len != e.usize || part.data[part.len] != '\0') {
                __builtin_trap();
            }
        } else {
            says_why(&err);
        }
        vc_buf_finish(&part);
    }
    return 0;
}
