/* replay-main.c - a main() for builds without libFuzzer: feeds every file
 * of the directories (or files) named on the command line to
 * LLVMFuzzerTestOneInput and prints TAP, so the seed corpus and every crash
 * ever found run as ordinary tests.  A crash or sanitizer report aborts the
 * test, which is the failure we want to see. */
#include "fuzz.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static int replay_file(const char *path, int n)
{
    FILE *fp = fopen(path, "rb");
    if (!fp) {
        printf("not ok %d - %s: cannot open\n", n, path);
        return 1;
    }
    size_t cap = 4096, len = 0;
    uint8_t *buf = malloc(cap);
    size_t got;
    while (buf && (got = fread(buf + len, 1, cap - len, fp)) > 0) {
        len += got;
        if (len == cap) {
            uint8_t *p = realloc(buf, cap * 2);
            if (!p) {
                free(buf);
                buf = NULL;
                break;
            }
            buf = p;
            cap *= 2;
        }
    }
    fclose(fp);
    if (!buf) {
        printf("not ok %d - %s: out of memory\n", n, path);
        return 1;
    }
    /* Print first, so a crash names its input in the log. */
    printf("# replaying %s (%zu bytes)\n", path, len);
    fflush(stdout);
    /* An exact-size copy, so ASan sees reads past the end. */
    uint8_t *exact = malloc(len ? len : 1);
    if (!exact) {
        free(buf);
        printf("not ok %d - %s: out of memory\n", n, path);
        return 1;
    }
    memcpy(exact, buf, len);
    free(buf);
    LLVMFuzzerTestOneInput(exact, len);
    free(exact);
    printf("ok %d - %s\n", n, path);
    fflush(stdout);
    return 0;
}

int main(int argc, char **argv)
{
    int n = 0, failed = 0;
    for (int a = 1; a < argc; a++) {
        struct stat st;
        if (stat(argv[a], &st) != 0) {
            continue; /* an absent crashes/ folder: nothing found yet */
        }
        if (!S_ISDIR(st.st_mode)) {
            failed += replay_file(argv[a], ++n);
            continue;
        }
        DIR *d = opendir(argv[a]);
        if (!d) {
            continue;
        }
        char **names = NULL;
        size_t count = 0, cap = 0;
        struct dirent *e;
        while ((e = readdir(d)) != NULL) {
            if (e->d_name[0] == '.') {
                continue;
            }
            if (count == cap) {
                cap = cap ? cap * 2 : 64;
                char **p = realloc(names, cap * sizeof *p);
                if (!p) {
                    break;
                }
                names = p;
            }
            size_t len = strlen(argv[a]) + strlen(e->d_name) + 2;
            names[count] = malloc(len);
            if (names[count]) {
                snprintf(names[count], len, "%s/%s", argv[a], e->d_name);
                count++;
            }
        }
        closedir(d);
        if (count > 1) {
            qsort(names, count, sizeof *names, cmp_str);
        }
        for (size_t i = 0; i < count; i++) {
            failed += replay_file(names[i], ++n);
            free(names[i]);
        }
        free(names);
    }
    if (n == 0) {
        printf("not ok 1 - no corpus files found\n");
        n = 1;
        failed = 1;
    }
    printf("1..%d\n", n);
    return failed ? 1 : 0;
}
