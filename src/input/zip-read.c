/* zip-read.c - named entries of a zip archive held in memory, for .xlsx
 * workbooks: found through the central directory, stored or deflated,
 * inflated with zlib into a buffer of the declared size and checked against
 * their CRC-32.  ZIP64 records are read (some writers use them for any
 * size); what a workbook never uses is refused: encryption, archives split
 * over disks, compression other than deflate.
 *
 * Why not libzip: it pulls OpenSSL's libcrypto into every process that
 * links the library, and loading it cost about 3 ms of CPU on every run,
 * a tenth of a small render; reading a workbook needs only this. */
#include "input/input.h"

#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#define EOCD_SIG 0x06054b50u
#define EOCD64_LOCATOR_SIG 0x07064b50u
#define EOCD64_SIG 0x06064b50u
#define CDIR_SIG 0x02014b50u
#define LOCAL_SIG 0x04034b50u
#define EOCD_LEN 22
#define EOCD64_LOCATOR_LEN 20
#define EOCD64_LEN 56
#define CDIR_LEN 46
#define LOCAL_LEN 30
/* The extra field that holds an entry's 64-bit sizes and offset. */
#define ZIP64_EXTRA_ID 0x0001u
#define ZIP64_16 0xffffu
#define ZIP64_32 0xffffffffu
#define MAX_COMMENT 65535
/* General purpose flag bits. */
#define FLAG_ENCRYPTED 0x0001u
#define FLAG_STRONG_ENCRYPTION 0x0040u
/* Compression methods. */
#define METHOD_STORED 0
#define METHOD_DEFLATED 8
/* zlib counts input and output in 32-bit units. */
#define FEED_MAX ((size_t)1 << 30)

/* The end-of-central-directory record: the last 22 bytes before a comment
 * of at most 64 KiB, so it is searched for backwards from the end. */
static const uint8_t *find_eocd(const uint8_t *d, size_t len)
{
    if (len < EOCD_LEN) {
        return NULL;
    }
    size_t last = len - EOCD_LEN;
    size_t first = last > MAX_COMMENT ? last - MAX_COMMENT : 0;
    for (size_t at = last + 1; at-- > first;) {
        if (vc_le32(d + at) == EOCD_SIG && vc_le16(d + at + 20) == len - at - EOCD_LEN) {
            return d + at;
        }
    }
    return NULL;
}

/* A ZIP64 archive keeps its directory's place, size and entry count in a
 * second end record, found through a locator just before the first.  The
 * record's offset into the file is stored in *at; false when either is
 * missing, damaged or names another disk. */
static bool read_eocd64(const vc_zip *z, size_t eocd_at, uint64_t *total, uint64_t *cd_size,
                        uint64_t *cd_off, size_t *at)
{
    if (eocd_at < EOCD64_LOCATOR_LEN) {
        return false;
    }
    size_t loc_at = eocd_at - EOCD64_LOCATOR_LEN;
    const uint8_t *loc = z->data + loc_at;
    uint64_t rec_at = vc_le64(loc + 8);
    if (vc_le32(loc) != EOCD64_LOCATOR_SIG || vc_le32(loc + 4) != 0 || vc_le32(loc + 16) > 1 ||
        rec_at > loc_at || loc_at - rec_at < EOCD64_LEN) {
        return false;
    }
    const uint8_t *r = z->data + rec_at;
    if (vc_le32(r) != EOCD64_SIG || vc_le32(r + 16) != 0 || vc_le32(r + 20) != 0 ||
        vc_le64(r + 24) != vc_le64(r + 32)) {
        return false;
    }
    *total = vc_le64(r + 32);
    *cd_size = vc_le64(r + 40);
    *cd_off = vc_le64(r + 48);
    *at = (size_t)rec_at;
    return true;
}

bool vc_zip_open(vc_zip *z, const char *name, const void *data, size_t len, vc_error *err)
{
    memset(z, 0, sizeof *z);
    z->name = name;
    z->data = data;
    z->len = len;
    const uint8_t *e = find_eocd(z->data, len);
    if (!e) {
        return vc_fail(err, VC_ERR_DATA, "%s: not a readable .xlsx workbook (no zip "
                       "directory at its end: cut short or not a zip)", name);
    }
    size_t eocd_at = (size_t)(e - z->data), cd_end = eocd_at;
    uint64_t total = vc_le16(e + 10), cd_size = vc_le32(e + 12), cd_off = vc_le32(e + 16);
    /* One disk: this one holds the directory and all its entries. */
    bool one_disk = vc_le16(e + 4) == 0 && vc_le16(e + 6) == 0 && vc_le16(e + 8) == total;
    if (total == ZIP64_16 || cd_size == ZIP64_32 || cd_off == ZIP64_32) {
        /* read_eocd64 checks the ZIP64 record's own disk fields. */
        if (!read_eocd64(z, eocd_at, &total, &cd_size, &cd_off, &cd_end)) {
            return vc_fail(err, VC_ERR_DATA, "%s: not a readable .xlsx workbook (its ZIP64 "
                           "end record is missing or damaged)", name);
        }
        one_disk = true;
    }
    if (!one_disk || cd_off > cd_end || cd_size > cd_end - cd_off) {
        return vc_fail(err, VC_ERR_DATA, "%s: not a readable .xlsx workbook (its zip "
                       "directory is damaged or split over several files)", name);
    }
    z->cd = z->data + cd_off;
    z->cd_len = (size_t)cd_size;
    /* A count larger than the entries is damage, found where they run out. */
    z->n_entries = total > SIZE_MAX ? SIZE_MAX : (size_t)total;
    return true;
}

/* The 64-bit values of the fields that say 0xffffffff, in their order
 * (uncompressed size, compressed size, local header offset), from the
 * ZIP64 extra field among `extra`; false when it is missing or short. */
static bool zip64_fields(const uint8_t *extra, size_t len, vc_zip_entry *e)
{
    uint64_t *want[3] = {e->usize == ZIP64_32 ? &e->usize : NULL,
                         e->csize == ZIP64_32 ? &e->csize : NULL,
                         e->local_off == ZIP64_32 ? &e->local_off : NULL};
    for (size_t at = 0; len - at >= 4;) {
        size_t id = vc_le16(extra + at), size = vc_le16(extra + at + 2);
        if (size > len - at - 4) {
            return false;
        }
        if (id == ZIP64_EXTRA_ID) {
            const uint8_t *f = extra + at + 4;
            for (int k = 0; k < 3; k++) {
                if (!want[k]) {
                    continue;
                }
                if (size < 8) {
                    return false;
                }
                *want[k] = vc_le64(f);
                f += 8;
                size -= 8;
            }
            return true;
        }
        at += 4 + size;
    }
    return false;
}

/* Reads the central directory entry at `at` into `e`; its name is
 * z->cd + *name_at, name_len bytes.  False when it does not fit. */
static bool cdir_entry(const vc_zip *z, size_t at, vc_zip_entry *e, size_t *name_at,
                       size_t *next)
{
    if (z->cd_len - at < CDIR_LEN || vc_le32(z->cd + at) != CDIR_SIG) {
        return false;
    }
    const uint8_t *p = z->cd + at;
    size_t name_len = vc_le16(p + 28), extra = vc_le16(p + 30), comment = vc_le16(p + 32);
    size_t end = at + CDIR_LEN + name_len + extra + comment;
    if (end > z->cd_len) {
        return false;
    }
    e->flags = vc_le16(p + 8);
    e->method = vc_le16(p + 10);
    e->crc = vc_le32(p + 16);
    e->csize = vc_le32(p + 20);
    e->usize = vc_le32(p + 24);
    e->local_off = vc_le32(p + 42);
    e->name_len = name_len;
    if ((e->csize == ZIP64_32 || e->usize == ZIP64_32 || e->local_off == ZIP64_32) &&
        !zip64_fields(p + CDIR_LEN + name_len, extra, e)) {
        return false;
    }
    *name_at = at + CDIR_LEN;
    *next = end;
    return true;
}

int vc_zip_find(const vc_zip *z, const char *part, vc_zip_entry *e, vc_error *err)
{
    size_t want = strlen(part), at = 0;
    for (size_t i = 0; i < z->n_entries; i++) {
        size_t name_at, next;
        if (!cdir_entry(z, at, e, &name_at, &next)) {
            vc_fail(err, VC_ERR_DATA, "%s: not a readable .xlsx workbook (entry %zu of its "
                    "zip directory is damaged)", z->name, i + 1);
            return -1;
        }
        if (e->name_len == want && memcmp(z->cd + name_at, part, want) == 0) {
            return 1;
        }
        at = next;
    }
    return 0;
}

/* The entry's compressed bytes, after its local header; NULL (with the
 * error) when the header is not where the directory says. */
static const uint8_t *entry_data(const vc_zip *z, const vc_zip_entry *e, const char *part,
                                 vc_error *err)
{
    if (e->local_off > z->len || z->len - e->local_off < LOCAL_LEN ||
        vc_le32(z->data + e->local_off) != LOCAL_SIG) {
        vc_fail(err, VC_ERR_DATA, "%s: %s is damaged: its local header is missing",
                z->name, part);
        return NULL;
    }
    size_t off = (size_t)e->local_off;
    const uint8_t *h = z->data + off;
    size_t start = off + LOCAL_LEN + vc_le16(h + 26) + vc_le16(h + 28);
    if (start > z->len || z->len - start < e->csize) {
        vc_fail(err, VC_ERR_DATA, "%s: %s is damaged: it runs past the end of the file",
                z->name, part);
        return NULL;
    }
    return z->data + start;
}

/* Raw deflate of `in` into exactly `out_len` bytes: anything else (short,
 * long, or not deflate) is false. */
static bool inflate_exact(const uint8_t *in, size_t in_len, uint8_t *out, size_t out_len)
{
    z_stream zs;
    memset(&zs, 0, sizeof zs);
    if (inflateInit2(&zs, -15) != Z_OK) {
        return false;
    }
    size_t fed = 0, got = 0;
    int rc = Z_OK;
    while (rc == Z_OK) {
        if (zs.avail_in == 0 && fed < in_len) {
            size_t n = in_len - fed < FEED_MAX ? in_len - fed : FEED_MAX;
            zs.next_in = vc_unconst(in + fed);
            zs.avail_in = (uInt)n;
            fed += n;
        }
        /* One spare byte of room shows an entry longer than declared. */
        uint8_t spare;
        size_t room = out_len - got;
        zs.next_out = room ? out + got : &spare;
        zs.avail_out = room ? (uInt)(room < FEED_MAX ? room : FEED_MAX) : 1;
        size_t before = zs.avail_out;
        rc = inflate(&zs, Z_NO_FLUSH);
        size_t made = before - zs.avail_out;
        if (!room && made) {
            rc = Z_DATA_ERROR;
            break;
        }
        got += made;
        if (rc == Z_BUF_ERROR && zs.avail_in == 0 && fed == in_len) {
            break; /* the input ended before the stream did */
        }
        if (rc == Z_BUF_ERROR) {
            rc = Z_OK;
        }
    }
    inflateEnd(&zs);
    return rc == Z_STREAM_END && got == out_len;
}

bool vc_zip_read(const vc_zip *z, const vc_zip_entry *e, const char *part, vc_buf *out,
                 vc_error *err)
{
    vc_buf_init(out);
    if (e->flags & (FLAG_ENCRYPTED | FLAG_STRONG_ENCRYPTION)) {
        return vc_fail(err, VC_ERR_DATA, "%s: %s is encrypted (a password-protected "
                       "workbook): save it without a password", z->name, part);
    }
    if (e->method != METHOD_STORED && e->method != METHOD_DEFLATED) {
        return vc_fail(err, VC_ERR_DATA, "%s: %s is compressed with zip method %u, which "
                       "votecloud cannot read (Excel writes 0 or 8)", z->name, part,
                       (unsigned)e->method);
    }
    const uint8_t *in = entry_data(z, e, part, err);
    if (!in) {
        return false;
    }
    uint8_t *buf = e->usize < SIZE_MAX ? malloc((size_t)e->usize + 1) : NULL;
    if (!buf) {
        return vc_fail_nomem(err, z->name);
    }
    bool ok;
    if (e->method == METHOD_STORED) {
        ok = e->csize == e->usize;
        if (ok) {
            memcpy(buf, in, e->usize);
        }
    } else {
        ok = inflate_exact(in, e->csize, buf, e->usize);
    }
    if (!ok) {
        free(buf);
        return vc_fail(err, VC_ERR_DATA, "%s: %s is damaged: its data does not inflate to "
                       "the %llu bytes its entry says", z->name, part,
                       (unsigned long long)e->usize);
    }
    uLong crc = crc32_z(crc32(0, NULL, 0), buf, e->usize);
    if (crc != e->crc) {
        free(buf);
        return vc_fail(err, VC_ERR_DATA, "%s: %s is damaged: its checksum is %08lx, its "
                       "entry says %08lx", z->name, part, (unsigned long)crc,
                       (unsigned long)e->crc);
    }
    buf[e->usize] = '\0';
    out->data = (char *)buf;
    out->len = e->usize;
    out->cap = (size_t)e->usize + 1;
    return true;
}
