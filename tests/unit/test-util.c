/* test-util.c - overflow-checked allocation, string pools, buffers, number
 * formatting, UTF-8 validation positions, PRNG determinism, atomic writes
 * and the key set over a string pool. */
#include "layout/layout.h"
#include "tap.h"

#include <limits.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
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

/* Copies of every length across several blocks (and one longer than any
 * block) keep their bytes, NULs included, until the pool is cleared. */
static void test_strpool(void)
{
    vc_strpool pool = {0};
    enum { N = 3000 };
    static char *copy[N];
    char src[600];
    bool all = true;
    for (size_t i = 0; i < N; i++) {
        size_t len = i % 577;
        for (size_t k = 0; k < len; k++) {
            src[k] = (char)((i * 31 + k) % 7 == 0 ? '\0' : 'a' + (i + k) % 26);
        }
        copy[i] = vc_strpool_copy(&pool, src, len);
        all = all && copy[i] && copy[i][len] == '\0' && memcmp(copy[i], src, len) == 0;
    }
    bool kept = true;
    for (size_t i = 0; i < N; i++) {
        size_t len = i % 577;
        for (size_t k = 0; k < len; k++) {
            kept = kept && copy[i][k] == (char)((i * 31 + k) % 7 == 0 ? '\0' : 'a' + (i + k) % 26);
        }
    }
    TAP_OK(all, "%d copies of 0 to 576 bytes, NULs inside, are NUL-terminated copies", N);
    TAP_OK(kept, "every copy keeps its bytes while later ones are made");
    char *big = malloc(300 * 1024);
    memset(big, 'z', 300 * 1024);
    char *bc = vc_strpool_copy(&pool, big, 300 * 1024);
    TAP_OK(bc && bc[0] == 'z' && bc[300 * 1024 - 1] == 'z' && bc[300 * 1024] == '\0',
           "a string longer than the largest block gets a block of its own");
    free(big);
    vc_strpool_clear(&pool);
    char *after = vc_strpool_copy(&pool, "again", 5);
    TAP_OK(after && strcmp(after, "again") == 0, "the pool copies again after clear");
    TAP_OK(vc_strpool_copy(&pool, "x", SIZE_MAX) == NULL, "an overflowing length is refused");
    vc_strpool_finish(&pool);
    TAP_OK(pool.head == NULL && pool.used == 0, "finish leaves an empty pool");
    vc_strpool_finish(&pool);
}

/* Keys (with NULs) keep their indices and bytes in a set over a string
 * pool, and a cleared set starts again from index 0. */
static void test_keyset(void)
{
    vc_keyset set;
    vc_keyset_init(&set);
    bool ok = true;
    char key[32];
    for (size_t i = 0; i < 5000 && ok; i++) {
        int len = snprintf(key, sizeof key, "k%zu", i);
        key[0] = (char)(i % 3 == 0 ? '\0' : 'k');
        size_t idx;
        bool added;
        ok = vc_keyset_insert(&set, key, (size_t)len, &idx, &added) && added && idx == i;
    }
    TAP_OK(ok && set.n == 5000, "5000 keys get indices in order of insertion");
    size_t found = 0;
    for (size_t i = 0; i < 5000; i++) {
        int len = snprintf(key, sizeof key, "k%zu", i);
        key[0] = (char)(i % 3 == 0 ? '\0' : 'k');
        size_t idx = vc_keyset_find(&set, key, (size_t)len);
        found += idx == i && set.lens[i] == (size_t)len && memcmp(set.keys[i], key, (size_t)len) == 0;
    }
    TAP_OK(found == 5000, "each key is found at its index with its bytes (%zu of 5000)", found);
    vc_keyset_clear(&set);
    size_t idx = 99;
    bool added = false;
    TAP_OK(set.n == 0 && vc_keyset_find(&set, "k1", 2) == SIZE_MAX &&
               vc_keyset_insert(&set, "k7", 2, &idx, &added) && added && idx == 0 &&
               strcmp(set.keys[0], "k7") == 0,
           "a cleared set forgets its keys and numbers from 0 again");
    vc_keyset_finish(&set);
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

/* vc_buf_number as it was written with snprintf: the hand-written digits
 * must give the same bytes. */
static void number_by_printf(char *out, size_t cap, double v, int decimals)
{
    if (!isfinite(v)) {
        snprintf(out, cap, "0");
        return;
    }
    double mul = pow(10.0, decimals);
    double r = round(fabs(v) * mul);
    if (r > 9e15) {
        snprintf(out, cap, "%s%.0f", v < 0 ? "-" : "", fabs(v));
        return;
    }
    long long whole = (long long)(r / mul);
    long long frac = (long long)(r - (double)whole * mul);
    int n = snprintf(out, cap, "%s%lld", v < 0 && r != 0 ? "-" : "", whole);
    if (frac == 0 || decimals <= 0) {
        return;
    }
    char digits[32];
    snprintf(digits, sizeof digits, "%0*lld", decimals, frac);
    size_t len = strlen(digits);
    while (len > 0 && digits[len - 1] == '0') {
        digits[--len] = '\0';
    }
    snprintf(out + n, cap - (size_t)n, ".%s", digits);
}

static void test_number_digits(void)
{
    vc_rng rng;
    vc_rng_seed(&rng, 16);
    size_t same = 0, total = 0;
    char want[64];
    vc_buf b;
    vc_buf_init(&b);
    double fixed[] = {0, -0.0, 0.5, -0.5, 1e-9, 2.5, 999.9995, 123456789.123, -42, 9e15,
                      1e17, -3e18, NAN, INFINITY};
    for (size_t i = 0; i < 20000 + sizeof fixed / sizeof *fixed; i++) {
        double v = i < sizeof fixed / sizeof *fixed
                       ? fixed[i]
                       : (vc_rng_double(&rng) - 0.3) * pow(10.0, (int)(vc_rng_next(&rng) % 14) - 4);
        for (int d = 0; d <= 8; d++) {
            b.len = 0;
            vc_buf_number(&b, v, d);
            number_by_printf(want, sizeof want, v, d);
            same += b.data && strcmp(b.data, want) == 0;
            total++;
        }
    }
    TAP_OK(same == total, "vc_buf_number's digits are snprintf's for %zu of %zu numbers and "
                          "decimals", same, total);
    long long ints[] = {0, -1, 7, -10, 1234567890123LL, LLONG_MAX, LLONG_MIN};
    same = 0;
    for (size_t i = 0; i < sizeof ints / sizeof *ints; i++) {
        b.len = 0;
        vc_buf_int(&b, ints[i]);
        snprintf(want, sizeof want, "%lld", ints[i]);
        same += strcmp(b.data, want) == 0;
    }
    TAP_OK(same == sizeof ints / sizeof *ints, "vc_buf_int is %%lld, LLONG_MIN and MAX included");
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
    test_strpool();
    test_keyset();
    test_number();
    test_number_digits();
    test_escape();
    test_rng();
    test_atomic();
    return tap_done();
}
