/* test-util.c - overflow-checked allocation, buffers, number formatting,
 * UTF-8 validation positions, PRNG determinism and atomic writes. */
#include "layout/layout.h"
#include "tap.h"

#include <stdint.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

static void test_alloc(void)
{
    TAP_OK(vc_malloc2(SIZE_MAX / 2, 3) == NULL, "malloc2 refuses an overflowing size");
    TAP_OK(vc_malloc3(1u << 31, 1u << 31, 1u << 31) == NULL, "malloc3 refuses an overflowing size");
    void *p = vc_calloc2(4, 4);
    TAP_OK(p != NULL, "calloc2 allocates a small block");
    free(p);
}

static void test_number(void)
{
    vc_buf b;
    vc_buf_init(&b);
    vc_buf_number(&b, 12.0, 2);
    vc_buf_puts(&b, " ");
    vc_buf_number(&b, 2.505, 2);
    vc_buf_puts(&b, " ");
    vc_buf_number(&b, -0.25, 1);
    vc_buf_puts(&b, " ");
    vc_buf_number(&b, 0.0001, 2);
    TAP_EQ_STR(b.data, "12 2.51 -0.3 0", "numbers print without trailing zeros or locale");
    vc_buf_finish(&b);
}

static void test_escape(void)
{
    vc_buf b;
    vc_buf_init(&b);
    vc_buf_xml_escape(&b, "A&E <b>\"x\" 'y'");
    TAP_EQ_STR(b.data, "A&amp;E &lt;b&gt;&quot;x&quot; &#39;y&#39;", "XML escaping covers all five");
    vc_buf_finish(&b);
    vc_buf_init(&b);
    vc_buf_json_string(&b, "say \"hi\"\\ \x01\n caf\xc3\xa9 \xe0\xa6\x95 bad\xc0\xaf end\xe2\x82");
    TAP_EQ_STR(b.data, "\"say \\\"hi\\\"\\\\ \\u0001\\u000a caf\xc3\xa9 \xe0\xa6\x95 bad\\ufffd\\ufffd "
               "end\\ufffd\\ufffd\"",
               "JSON strings: quotes, backslash and controls escaped, UTF-8 kept, bad bytes U+FFFD");
    vc_buf_finish(&b);
}

static void test_rng(void)
{
    vc_rng a, b;
    vc_rng_seed(&a, 42);
    vc_rng_seed(&b, 42);
    int same = 1;
    for (int i = 0; i < 100; i++) {
        same &= vc_rng_next(&a) == vc_rng_next(&b);
    }
    TAP_OK(same, "same seed, same sequence");
    vc_rng_seed(&b, 43);
    TAP_OK(vc_rng_next(&a) != vc_rng_next(&b), "different seed, different sequence");
}

static void test_atomic(void)
{
    char dir[] = "/tmp/vc-atomic-XXXXXX";
    TAP_OK(mkdtemp(dir) != NULL, "temp dir");
    char path[256];
    snprintf(path, sizeof path, "%s/out.txt", dir);
    vc_error err = {0};
    TAP_OK(vc_atomic_write(path, "old", 3, &err), "first write");
    vc_atomic a;
    TAP_OK(vc_atomic_open(&a, path, &err), "open second");
    fputs("half", a.fp);
    vc_atomic_abort(&a);
    char *kept = tap_read_file(path, NULL);
    TAP_OK(kept && strcmp(kept, "old") == 0, "aborted write leaves the old file intact");
    free(kept);
    snprintf(path, sizeof path, "%s/missing/out.txt", dir);
    TAP_OK(!vc_atomic_write(path, "x", 1, &err) && err.status == VC_ERR_CANTCREAT,
           "missing folder is a clean error: %s", err.message);
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    TAP_OK(system(cmd) == 0, "clean up");
}

int main(void)
{
    test_alloc();
    test_number();
    test_escape();
    test_rng();
    test_atomic();
    return tap_done();
}
