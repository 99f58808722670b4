/* test-zip-read.c - the workbook zip reader on archives built here byte by
 * byte: stored, deflated and empty entries found by name, and every way a
 * damaged or unsupported archive fails, each with its own message. */
#include "input/input.h"
#include "tap.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

/* ---- a tiny zip writer ---------------------------------------------------- */

typedef struct part {
    const char *name;
    const char *text;
    int method;          /* 0 stored, 8 deflated, anything else written as is */
    uint32_t flags;
    /* Damage applied to the central directory record. */
    long crc_delta, usize_delta, csize_delta;
    long local_off_delta;
} part;

static void put16(vc_buf *b, uint32_t v)
{
    uint8_t x[2] = {(uint8_t)v, (uint8_t)(v >> 8)};
    vc_buf_append(b, x, 2);
}

static void put32(vc_buf *b, uint32_t v)
{
    uint8_t x[4] = {(uint8_t)v, (uint8_t)(v >> 8), (uint8_t)(v >> 16), (uint8_t)(v >> 24)};
    vc_buf_append(b, x, 4);
}

/* Raw deflate of `text` into `out` (malloc'd); its length. */
static size_t deflate_raw(const char *text, uint8_t **out)
{
    size_t n = strlen(text);
    z_stream zs;
    memset(&zs, 0, sizeof zs);
    deflateInit2(&zs, 6, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY);
    size_t cap = deflateBound(&zs, (uLong)n) + 16;
    *out = malloc(cap);
    zs.next_in = (Bytef *)(uintptr_t)text;
    zs.avail_in = (uInt)n;
    zs.next_out = *out;
    zs.avail_out = (uInt)cap;
    deflate(&zs, Z_FINISH);
    size_t len = cap - zs.avail_out;
    deflateEnd(&zs);
    return len;
}

static void put64(vc_buf *b, uint64_t v)
{
    put32(b, (uint32_t)v);
    put32(b, (uint32_t)(v >> 32));
}

/* How the archive records its directory: plainly; as ZIP64 (64-bit sizes
 * and offsets in each entry's extra field, a ZIP64 end record and its
 * locator), as some writers do for any size; ZIP64 without the extra
 * fields; or marked ZIP64 in the end record with no ZIP64 record. */
enum { PLAIN, ZIP64, ZIP64_NO_EXTRA, ZIP64_MARK_ONLY };

/* An archive of `n` parts with a trailing comment; `entries_delta` damages
 * the entry count. */
static void build(vc_buf *z, const part *p, size_t n, const char *comment, int entries_delta,
                  int zip64)
{
    bool big = zip64 == ZIP64 || zip64 == ZIP64_NO_EXTRA;
    vc_buf_init(z);
    uint32_t offs[16];
    uint8_t *data[16];
    size_t dlen[16];
    for (size_t i = 0; i < n; i++) {
        if (p[i].method == 8) {
            dlen[i] = deflate_raw(p[i].text, &data[i]);
        } else {
            dlen[i] = strlen(p[i].text);
            data[i] = malloc(dlen[i] + 1);
            memcpy(data[i], p[i].text, dlen[i] + 1);
        }
        offs[i] = (uint32_t)z->len;
        uint32_t crc = (uint32_t)crc32(0, (const Bytef *)p[i].text, (uInt)strlen(p[i].text));
        put32(z, 0x04034b50u);
        put16(z, 20);
        put16(z, p[i].flags);
        put16(z, (uint32_t)p[i].method);
        put16(z, 0);
        put16(z, 0);
        put32(z, crc);
        put32(z, (uint32_t)dlen[i]);
        put32(z, (uint32_t)strlen(p[i].text));
        put16(z, (uint32_t)strlen(p[i].name));
        put16(z, 0);
        vc_buf_puts(z, p[i].name);
        vc_buf_append(z, data[i], dlen[i]);
    }
    uint32_t cd_at = (uint32_t)z->len;
    for (size_t i = 0; i < n; i++) {
        uint32_t crc = (uint32_t)crc32(0, (const Bytef *)p[i].text, (uInt)strlen(p[i].text));
        put32(z, 0x02014b50u);
        put16(z, 20);
        put16(z, 20);
        put16(z, p[i].flags);
        put16(z, (uint32_t)p[i].method);
        put16(z, 0);
        put16(z, 0);
        uint64_t csize = (uint64_t)((long)dlen[i] + p[i].csize_delta);
        uint64_t usize = (uint64_t)((long)strlen(p[i].text) + p[i].usize_delta);
        uint64_t off = (uint64_t)((long)offs[i] + p[i].local_off_delta);
        put32(z, (uint32_t)(crc + p[i].crc_delta));
        put32(z, big ? 0xffffffffu : (uint32_t)csize);
        put32(z, big ? 0xffffffffu : (uint32_t)usize);
        put16(z, (uint32_t)strlen(p[i].name));
        put16(z, zip64 == ZIP64 ? 4 + 24 : 0);
        put16(z, 0);
        put16(z, 0);
        put16(z, 0);
        put32(z, 0);
        put32(z, big ? 0xffffffffu : (uint32_t)off);
        vc_buf_puts(z, p[i].name);
        if (zip64 == ZIP64) {
            put16(z, 0x0001);
            put16(z, 24);
            put64(z, usize);
            put64(z, csize);
            put64(z, off);
        }
        free(data[i]);
    }
    uint32_t cd_size = (uint32_t)z->len - cd_at;
    uint64_t entries = (uint64_t)((int)n + entries_delta);
    if (big) {
        uint64_t rec_at = z->len;
        put32(z, 0x06064b50u); /* the ZIP64 end record */
        put64(z, 56 - 12);
        put16(z, 45);
        put16(z, 45);
        put32(z, 0);
        put32(z, 0);
        put64(z, entries);
        put64(z, entries);
        put64(z, cd_size);
        put64(z, cd_at);
        put32(z, 0x07064b50u); /* its locator */
        put32(z, 0);
        put64(z, rec_at);
        put32(z, 1);
    }
    bool marked = zip64 != PLAIN;
    put32(z, 0x06054b50u);
    put16(z, 0);
    put16(z, 0);
    put16(z, marked ? 0xffff : (uint32_t)entries);
    put16(z, marked ? 0xffff : (uint32_t)entries);
    put32(z, marked ? 0xffffffffu : cd_size);
    put32(z, marked ? 0xffffffffu : cd_at);
    put16(z, (uint32_t)strlen(comment));
    vc_buf_puts(z, comment);
}

/* Opens the archive and reads `name`; the result of each step. */
typedef struct outcome {
    bool opened;
    int found;
    bool read;
    vc_buf text;
    vc_error err;
} outcome;

static outcome read_one(const vc_buf *z, const char *name)
{
    outcome o = {0};
    vc_buf_init(&o.text);
    vc_zip zip;
    o.opened = vc_zip_open(&zip, "test.xlsx", z->data, z->len, &o.err);
    if (!o.opened) {
        return o;
    }
    vc_zip_entry e;
    o.found = vc_zip_find(&zip, name, &e, &o.err);
    if (o.found == 1) {
        o.read = vc_zip_read(&zip, &e, name, &o.text, &o.err);
    }
    return o;
}

static bool says(const outcome *o, const char *what)
{
    return strstr(o->err.message, what) != NULL && strstr(o->err.message, "test.xlsx") != NULL;
}

static const char *SHEET = "<worksheet><sheetData><row><c t=\"inlineStr\"><is><t>Hope</t></is>"
                           "</c></row></sheetData></worksheet>";

/* Every part of `p` reads back exactly from archive `z`. */
static void expect_parts(const vc_buf *z, const part *p, size_t n, const char *how)
{
    for (size_t i = 0; i < n; i++) {
        outcome o = read_one(z, p[i].name);
        TAP_OK(o.opened && o.found == 1 && o.read && o.text.len == strlen(p[i].text) &&
                   memcmp(o.text.data, p[i].text, o.text.len) == 0 &&
                   o.text.data[o.text.len] == '\0',
               "%s: %s (method %d, %zu bytes) reads back exactly, NUL-terminated (%s)", how,
               p[i].name, p[i].method, strlen(p[i].text), o.err.message);
        vc_buf_finish(&o.text);
    }
}

static void test_good(void)
{
    part p[] = {
        {.name = "xl/workbook.xml", .text = "<workbook/>", .method = 0},
        {.name = "xl/worksheets/sheet1.xml", .text = SHEET, .method = 8},
        {.name = "empty-stored", .text = "", .method = 0},
        {.name = "empty-deflated", .text = "", .method = 8},
    };
    vc_buf z;
    build(&z, p, 4, "", 0, ZIP64);
    expect_parts(&z, p, 4, "ZIP64 (64-bit sizes, offsets and end record)");
    vc_buf_finish(&z);
    build(&z, p, 4, "a comment after the directory", 0, PLAIN);
    expect_parts(&z, p, 4, "plain zip");
    outcome o = read_one(&z, "xl/sharedStrings.xml");
    TAP_OK(o.opened && o.found == 0 && o.err.status == VC_OK, "an absent part is 0, no error");
    o = read_one(&z, "xl/workbook.xm");
    TAP_OK(o.found == 0, "a name's prefix does not match");
    vc_buf_finish(&z);
}

/* One damaged part in an archive: what fails and with which words. */
static void expect_bad(const char *what, part bad, const char *message)
{
    vc_buf z;
    build(&z, &bad, 1, "", 0, PLAIN);
    outcome o = read_one(&z, bad.name);
    TAP_OK(o.opened && o.found == 1 && !o.read && o.err.status == VC_ERR_DATA &&
               says(&o, message) && o.text.data == NULL,
           "%s: an error, '%s' (%s)", what, message, o.err.message);
    vc_buf_finish(&o.text);
    vc_buf_finish(&z);
}

static void test_damaged_parts(void)
{
    static const struct {
        const char *what, *message;
        part damage; /* name and text are filled in from `base` */
    } cases[] = {
        {"a wrong CRC-32", "checksum", {.method = 8, .crc_delta = 1}},
        {"deflated, declared one byte longer", "does not inflate to",
         {.method = 8, .usize_delta = 1}},
        {"deflated, declared one byte shorter", "does not inflate to",
         {.method = 8, .usize_delta = -1}},
        {"deflate data cut short", "does not inflate to", {.method = 8, .csize_delta = -8}},
        {"stored, sizes disagree", "does not inflate to", {.method = 0, .usize_delta = 1}},
        {"an encrypted entry", "encrypted", {.method = 8, .flags = 1}},
        {"bzip2 (method 12)", "method 12", {.method = 12}},
        {"the local header not where the directory says", "local header is missing",
         {.method = 8, .local_off_delta = 1}},
        {"compressed size past the end of the file", "past the end of the file",
         {.method = 8, .csize_delta = 100000}},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        part p = cases[i].damage;
        p.name = "xl/worksheets/sheet1.xml";
        p.text = SHEET;
        expect_bad(cases[i].what, p, cases[i].message);
    }
}

static void test_damaged_archives(void)
{
    part p = {.name = "xl/workbook.xml", .text = "<workbook/>", .method = 8};
    vc_buf z;
    build(&z, &p, 1, "", 0, PLAIN);
    for (size_t cut = 0; cut < z.len; cut += 7) {
        vc_zip zip;
        vc_error err = {0};
        bool ok = vc_zip_open(&zip, "test.xlsx", z.data, cut, &err);
        if (ok) {
            TAP_OK(false, "an archive cut to %zu of %zu bytes opened", cut, z.len);
            vc_buf_finish(&z);
            return;
        }
    }
    TAP_OK(true, "every cut of the archive fails to open (%zu bytes, every 7th length)", z.len);
    outcome o = read_one(&(vc_buf){.data = z.data, .len = z.len / 2}, "xl/workbook.xml");
    TAP_OK(!o.opened && says(&o, "not a readable .xlsx workbook"),
           "half an archive: 'not a readable .xlsx workbook' (%s)", o.err.message);
    vc_buf_finish(&z);

    build(&z, &p, 1, "", 1, PLAIN);
    o = read_one(&z, "not-there");
    TAP_OK(o.opened && o.found == -1 && says(&o, "entry 2"),
           "a directory claiming one entry more than it holds: -1, naming entry 2 (%s)",
           o.err.message);
    vc_buf_finish(&z);

    build(&z, &p, 1, "", 0, ZIP64_MARK_ONLY);
    o = read_one(&z, "xl/workbook.xml");
    TAP_OK(!o.opened && says(&o, "ZIP64 end record is missing"),
           "an end record marked ZIP64 with no ZIP64 record: refused, saying so (%s)",
           o.err.message);
    vc_buf_finish(&z);

    build(&z, &p, 1, "", 0, ZIP64_NO_EXTRA);
    o = read_one(&z, "xl/workbook.xml");
    TAP_OK(o.opened && o.found == -1 && says(&o, "entry 1"),
           "an entry whose sizes say ZIP64 but has no ZIP64 field: damaged, entry 1 (%s)",
           o.err.message);
    vc_buf_finish(&z);

    /* Bytes that merely contain the end record's signature, with a comment
     * length that does not reach the end, are not a zip. */
    uint8_t junk[64] = {0};
    memcpy(junk + 10, "PK\x05\x06", 4);
    vc_zip zip;
    vc_error err = {0};
    TAP_OK(!vc_zip_open(&zip, "test.xlsx", junk, sizeof junk, &err),
           "a stray end-record signature is not taken for a directory");
}

int main(void)
{
    test_good();
    test_damaged_parts();
    test_damaged_archives();
    printf("1..%d\n", tap_count);
    return tap_failed ? 1 : 0;
}
