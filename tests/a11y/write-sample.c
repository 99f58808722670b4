/* write-sample.c - writes the tables and alt text of a hand-built survey
 * layout (with hostile words) into a folder, for the Python checks that
 * parse them (check-table.py) and open them in Chromium (axtree.py). */
#include "layout/layout.h"
#include "layouts.h"

#include <stdio.h>
#include <stdlib.h>

static const test_word sample[] = {
    {"prevention", 210, VC_GROUP_CHOSEN, NULL},
    {"wellbeing", 180, VC_GROUP_CHOSEN, NULL},
    {"person-centred", 150, VC_GROUP_CHOSEN, NULL},
    {"equality", 90, VC_GROUP_CHOSEN, NULL},
    {"<script>alert(1)</script>", 60, VC_GROUP_CHOSEN, NULL},
    {"=1+2", 40, VC_GROUP_CHOSEN, NULL},
    {"\xD8\xB1\xD8\xB9\xD8\xA7\xD9\x8A\xD8\xA9", 30, VC_GROUP_CHOSEN, NULL}, /* Arabic "care" */
    {"compassion", 12, VC_GROUP_SUGGESTED, NULL},
    {"trust", 5, VC_GROUP_SUGGESTED, "too small: would be 6.2 px, below the 8 px minimum"},
    {"A&E \"quoted\"", 3, VC_GROUP_SUGGESTED, "too small: would be 3.7 px, below the 8 px minimum"},
};

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: write-sample DIR\n");
        return 64;
    }
    vc_layout *l = test_layout(sample, sizeof sample / sizeof sample[0], 545);
    l->title = vc_strdup("Our future NHS <draft>");
    l->question = vc_strdup("Which three words describe the NHS you want?");
    vc_error err = {0};
    char path[4096];
    int status = 0;
    const char *names[] = {"table.html", "table.csv"};
    for (size_t i = 0; i < 2 && !status; i++) {
        snprintf(path, sizeof path, "%s/%s", argv[1], names[i]);
        if (!vc_layout_write_table(l, path, &err)) {
            status = err.status;
        }
    }
    char *alt = vc_layout_alt_text(l);
    snprintf(path, sizeof path, "%s/alt.txt", argv[1]);
    if (!status && (!alt || !vc_atomic_write(path, alt, strlen(alt), &err))) {
        status = alt ? (int)err.status : 71;
    }
    if (status) {
        fprintf(stderr, "write-sample: %s\n", err.message);
    }
    free(alt);
    test_layout_free(l);
    return status;
}
