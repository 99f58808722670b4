/* input-xlsx.c - the first worksheet of an Excel workbook (.xlsx, the
 * download Microsoft Forms offers) turned into CSV text for the survey
 * reader.  zip-read.c opens the container and expat reads the three parts
 * that matter: the workbook (which sheet is first), its relationships
 * (where that sheet is) and the shared strings.  Every part is size-checked
 * before it is inflated, so a zip bomb is an error, not an allocation. */
#include "input/input.h"

#include <stdlib.h>
#include <string.h>

#include <expat.h>

typedef struct xlsx {
    const char *name;
    vc_error *err;
    vc_zip zip;
    size_t inflated; /* bytes inflated so far, against VC_DECODE_MAX_BYTES */
} xlsx;

/* One part of the package, inflated into `out`; a missing part is false
 * with no error when `optional`. */
static bool read_part(xlsx *x, const char *part, bool optional, vc_buf *out)
{
    vc_buf_init(out);
    vc_zip_entry e;
    int found = vc_zip_find(&x->zip, part, &e, x->err);
    if (found < 0) {
        return false;
    }
    if (found == 0) {
        return optional ? false
                        : vc_fail(x->err, VC_ERR_DATA, "%s: not an Excel "
                                  "workbook: it has no %s", x->name, part);
    }
    if (e.usize > VC_DECODE_MAX_BYTES - x->inflated) {
        return vc_fail(x->err, VC_ERR_DATA, "%s: %s would inflate past %zu "
                       "bytes, the most votecloud reads from a workbook",
                       x->name, part, VC_DECODE_MAX_BYTES);
    }
    if (!vc_zip_read(&x->zip, &e, part, out, x->err)) {
        return false;
    }
    x->inflated += out->len;
    return true;
}

/* ---- a small expat driver ---------------------------------------------------- */

typedef struct sax {
    xlsx *x;
    const char *part;
    bool failed;
    void *user;
} sax;

static bool parse_xml(xlsx *x, const char *part, const vc_buf *xml, sax *s,
                      XML_StartElementHandler start, XML_EndElementHandler end,
                      XML_CharacterDataHandler text)
{
    XML_Parser p = XML_ParserCreate("UTF-8");
    if (!p) {
        return vc_fail_nomem(x->err, x->name);
    }
    s->x = x;
    s->part = part;
    XML_SetUserData(p, s);
    XML_SetElementHandler(p, start, end);
    if (text) {
        XML_SetCharacterDataHandler(p, text);
    }
    bool ok = XML_Parse(p, xml->data ? xml->data : "", (int)xml->len, 1) == XML_STATUS_OK;
    if (!ok && !s->failed) {
        vc_fail(x->err, VC_ERR_DATA, "%s: %s is damaged (line %lu: %s)", x->name,
                part, (unsigned long)XML_GetCurrentLineNumber(p),
                XML_ErrorString(XML_GetErrorCode(p)));
    }
    XML_ParserFree(p);
    return ok && !s->failed;
}

/* Element names without their namespace prefix ("x:sheet" -> "sheet"). */
static const char *local(const char *name)
{
    const char *c = strrchr(name, ':');
    return c ? c + 1 : name;
}

static const char *attr(const char **atts, const char *want)
{
    for (size_t i = 0; atts[i]; i += 2) {
        if (strcmp(local(atts[i]), want) == 0) {
            return atts[i + 1];
        }
    }
    return NULL;
}

/* ---- workbook.xml and its relationships: where the first sheet is ------ */

typedef struct first_sheet {
    char *rid;    /* r:id of the first <sheet> */
    char *target; /* its Target in workbook.xml.rels */
} first_sheet;

static void wb_start(void *data, const char *el, const char **atts)
{
    sax *s = data;
    first_sheet *fs = s->user;
    if (!fs->rid && strcmp(local(el), "sheet") == 0) {
        const char *id = attr(atts, "id");
        if (id && !(fs->rid = vc_strdup(id))) {
            s->failed = !vc_fail_nomem(s->x->err, s->x->name);
        }
    }
}

static void rels_start(void *data, const char *el, const char **atts)
{
    sax *s = data;
    first_sheet *fs = s->user;
    if (fs->target || strcmp(local(el), "Relationship") != 0) {
        return;
    }
    const char *id = attr(atts, "Id"), *target = attr(atts, "Target");
    if (id && target && fs->rid && strcmp(id, fs->rid) == 0 &&
        !(fs->target = vc_strdup(target))) {
        s->failed = !vc_fail_nomem(s->x->err, s->x->name);
    }
}

static void no_end(void *data, const char *el)
{
    VC_UNUSED(data);
    VC_UNUSED(el);
}

/* The package path of the first worksheet ("xl/worksheets/sheet1.xml"). */
static bool find_first_sheet(xlsx *x, vc_buf *path)
{
    first_sheet fs = {NULL, NULL};
    vc_buf xml;
    sax s = {0};
    s.user = &fs;
    bool ok = read_part(x, "xl/workbook.xml", false, &xml) &&
              parse_xml(x, "xl/workbook.xml", &xml, &s, wb_start, no_end, NULL);
    vc_buf_finish(&xml);
    if (ok && !fs.rid) {
        ok = vc_fail(x->err, VC_ERR_DATA, "%s: the workbook has no worksheet", x->name);
    }
    memset(&s, 0, sizeof s);
    s.user = &fs;
    ok = ok && read_part(x, "xl/_rels/workbook.xml.rels", false, &xml) &&
         parse_xml(x, "xl/_rels/workbook.xml.rels", &xml, &s, rels_start, no_end, NULL);
    vc_buf_finish(&xml);
    if (ok && !fs.target) {
        ok = vc_fail(x->err, VC_ERR_DATA, "%s: the workbook does not say where "
                     "its first worksheet is", x->name);
    }
    if (ok) {
        /* Targets are relative to xl/, or absolute within the package. */
        vc_buf_init(path);
        if (fs.target[0] == '/') {
            vc_buf_puts(path, fs.target + 1);
        } else {
            vc_buf_printf(path, "xl/%s", fs.target);
        }
        ok = !path->failed || vc_fail_nomem(x->err, x->name);
    }
    free(fs.rid);
    free(fs.target);
    return ok;
}

/* ---- sharedStrings.xml -------------------------------------------------------- */

typedef struct strings {
    char **s;
    size_t n, cap;
    vc_buf cur;
    bool in_si, in_t, in_rph; /* phonetic runs (<rPh>) are not the text */
} strings;

static void ss_start(void *data, const char *el, const char **atts)
{
    VC_UNUSED(atts);
    sax *s = data;
    strings *st = s->user;
    const char *e = local(el);
    if (strcmp(e, "si") == 0) {
        st->in_si = true;
        vc_buf_finish(&st->cur);
        vc_buf_init(&st->cur);
    } else if (strcmp(e, "rPh") == 0) {
        st->in_rph = true;
    } else if (strcmp(e, "t") == 0 && st->in_si && !st->in_rph) {
        st->in_t = true;
    }
}

static void ss_end(void *data, const char *el)
{
    sax *s = data;
    strings *st = s->user;
    const char *e = local(el);
    if (strcmp(e, "t") == 0) {
        st->in_t = false;
    } else if (strcmp(e, "rPh") == 0) {
        st->in_rph = false;
    } else if (strcmp(e, "si") == 0) {
        st->in_si = false;
        char *copy = vc_strndup(st->cur.data ? st->cur.data : "", st->cur.len);
        if (!copy || st->cur.failed ||
            !vc_grow((void **)&st->s, &st->cap, st->n + 1, sizeof *st->s)) {
            free(copy);
            s->failed = !vc_fail_nomem(s->x->err, s->x->name);
            return;
        }
        st->s[st->n++] = copy;
    }
}

static void ss_text(void *data, const char *t, int len)
{
    sax *s = data;
    strings *st = s->user;
    if (st->in_t) {
        vc_buf_append(&st->cur, t, (size_t)len);
    }
}

static void strings_finish(strings *st)
{
    vc_csv_free_fields(st->s, st->n);
    vc_buf_finish(&st->cur);
}

/* ---- the worksheet -------------------------------------------------------------- */

typedef struct sheet {
    const strings *ss;
    vc_buf *out;
    vc_buf val;           /* the current cell's <v> or inline text */
    char type[16];        /* the current cell's t attribute */
    size_t col;           /* its 0-based column */
    size_t next_col;      /* the column the output row has reached */
    bool in_v, in_is_t, in_cell, row_open;
} sheet;

/* "BC12" -> 54 (0-based column); SIZE_MAX when there are no letters. */
static size_t ref_column(const char *ref)
{
    size_t col = 0, letters = 0;
    for (; *ref >= 'A' && *ref <= 'Z' && letters < 4; ref++, letters++) {
        col = col * 26 + (size_t)(*ref - 'A' + 1);
    }
    return letters ? col - 1 : SIZE_MAX;
}

/* Appends a CSV field, quoted, with quotes doubled. */
static void put_field(vc_buf *out, const char *s, size_t len)
{
    vc_buf_puts(out, "\"");
    for (size_t i = 0; i < len; i++) {
        vc_buf_append(out, s[i] == '"' ? "\"\"" : s + i, s[i] == '"' ? 2 : 1);
    }
    vc_buf_puts(out, "\"");
}

static void sh_start(void *data, const char *el, const char **atts)
{
    sax *s = data;
    sheet *sh = s->user;
    const char *e = local(el);
    if (strcmp(e, "row") == 0) {
        sh->row_open = true;
        sh->next_col = 0;
    } else if (strcmp(e, "c") == 0) {
        const char *r = attr(atts, "r"), *t = attr(atts, "t");
        sh->col = r ? ref_column(r) : sh->next_col;
        if (sh->col == SIZE_MAX || sh->col < sh->next_col) {
            sh->col = sh->next_col;
        }
        if (sh->col > 16383) { /* Excel's last column is XFD */
            s->failed = !vc_fail(s->x->err, VC_ERR_DATA, "%s: a cell beyond "
                                 "column XFD in the first worksheet", s->x->name);
            return;
        }
        snprintf(sh->type, sizeof sh->type, "%s", t ? t : "n");
        vc_buf_finish(&sh->val);
        vc_buf_init(&sh->val);
        sh->in_cell = true;
    } else if (sh->in_cell && strcmp(e, "v") == 0) {
        sh->in_v = true;
    } else if (sh->in_cell && strcmp(e, "t") == 0) {
        sh->in_is_t = true;
    }
}

static void end_cell(sax *s, sheet *sh)
{
    const char *text = sh->val.data ? sh->val.data : "";
    size_t len = sh->val.len;
    if (strcmp(sh->type, "s") == 0) {
        char *end;
        unsigned long i = strtoul(text, &end, 10);
        if (end == text || *end || i >= sh->ss->n) {
            s->failed = !vc_fail(s->x->err, VC_ERR_DATA, "%s: a cell refers to "
                                 "shared string '%s', which does not exist",
                                 s->x->name, text);
            return;
        }
        text = sh->ss->s[i];
        len = strlen(text);
    } else if (strcmp(sh->type, "b") == 0) {
        text = strcmp(text, "1") == 0 ? "TRUE" : "FALSE";
        len = strlen(text);
    }
    for (; sh->next_col < sh->col; sh->next_col++) {
        vc_buf_puts(sh->out, sh->next_col ? ",\"\"" : "\"\"");
    }
    if (sh->next_col) {
        vc_buf_puts(sh->out, ",");
    }
    put_field(sh->out, text, len);
    sh->next_col++;
}

static void sh_end(void *data, const char *el)
{
    sax *s = data;
    sheet *sh = s->user;
    const char *e = local(el);
    if (strcmp(e, "v") == 0) {
        sh->in_v = false;
    } else if (strcmp(e, "t") == 0) {
        sh->in_is_t = false;
    } else if (strcmp(e, "c") == 0 && sh->in_cell) {
        sh->in_cell = false;
        end_cell(s, sh);
    } else if (strcmp(e, "row") == 0 && sh->row_open) {
        sh->row_open = false;
        if (sh->next_col) { /* a row with no cells is no record */
            vc_buf_puts(sh->out, "\r\n");
        }
    }
    if (sh->out->failed || sh->val.failed) {
        s->failed = !vc_fail_nomem(s->x->err, s->x->name);
    }
}

static void sh_text(void *data, const char *t, int len)
{
    sax *s = data;
    sheet *sh = s->user;
    if (sh->in_v || sh->in_is_t) {
        vc_buf_append(&sh->val, t, (size_t)len);
    }
}

static bool convert(xlsx *x, vc_buf *out)
{
    vc_buf path, xml;
    if (!find_first_sheet(x, &path)) {
        return false;
    }
    strings ss;
    memset(&ss, 0, sizeof ss);
    sax s = {0};
    s.user = &ss;
    bool ok = true;
    if (read_part(x, "xl/sharedStrings.xml", true, &xml)) {
        ok = parse_xml(x, "xl/sharedStrings.xml", &xml, &s, ss_start, ss_end, ss_text);
    } else if (x->err->status != VC_OK) {
        ok = false;
    }
    vc_buf_finish(&xml);
    sheet sh;
    memset(&sh, 0, sizeof sh);
    sh.ss = &ss;
    sh.out = out;
    memset(&s, 0, sizeof s);
    s.user = &sh;
    ok = ok && read_part(x, path.data, false, &xml) &&
         parse_xml(x, path.data, &xml, &s, sh_start, sh_end, sh_text);
    vc_buf_finish(&xml);
    vc_buf_finish(&sh.val);
    vc_buf_finish(&path);
    strings_finish(&ss);
    if (ok && out->len == 0) {
        ok = vc_fail(x->err, VC_ERR_DATA, "%s: the first worksheet is empty", x->name);
    }
    return ok;
}

bool vc_xlsx_to_csv(const char *name, const void *data, size_t len,
                    vc_buf *out, vc_error *err)
{
    vc_buf_init(out);
    vc_error local_err = {0};
    vc_error *e = err ? err : &local_err;
    xlsx x = {.name = name, .err = e};
    if (!vc_zip_open(&x.zip, name, data, len, e)) {
        return false;
    }
    bool ok = convert(&x, out);
    if (!ok) {
        vc_buf_finish(out);
    }
    return ok;
}
