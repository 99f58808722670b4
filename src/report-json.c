/* report-json.c - the layout report (--layout-json): every drawn word with
 * its size, position, angle, ink box, colour and font, and every word left
 * out with its reason.  Keys keep their order and numbers are rounded, so
 * the same layout always gives the same bytes. */
#include "internal.h"

#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Rounded to `decimals`, so %.17g noise never reaches the file. */
static json_t *real(double v, int decimals)
{
    double m = pow(10.0, decimals);
    double r = round(v * m) / m;
    if (r == 0) {
        r = 0; /* no "-0.0" */
    }
    return json_real(r);
}

/* Whole counts as integers ("210"), fractional ones (weights) as reals. */
static json_t *count_value(double count)
{
    if (count == floor(count) && fabs(count) < 9e15) {
        return json_integer((json_int_t)count);
    }
    return real(count, 3);
}

static const char *sizing_name(vc_sizing s)
{
    return s == VC_SIZING_SQRT ? "sqrt" : s == VC_SIZING_LOG ? "log" : "linear";
}

static json_t *color_value(uint32_t c)
{
    char buf[8];
    snprintf(buf, sizeof buf, "#%06x", (unsigned)(c & 0xffffff));
    return json_string(buf);
}

/* json_object_set_new that remembers a failure instead of leaking. */
static void set(json_t *obj, const char *key, json_t *v, bool *ok)
{
    if (!v || json_object_set_new(obj, key, v) != 0) {
        *ok = false;
    }
}

static json_t *placed_json(const vc_layout *layout, size_t i)
{
    vc_placed p;
    json_t *w = json_object();
    bool ok = w && vc_layout_placed(layout, i, &p);
    if (!ok) {
        json_decref(w);
        return NULL;
    }
    set(w, "text", json_string(p.text), &ok);
    set(w, "count", count_value(p.count), &ok);
    set(w, "group", json_string(vc_group_name(p.group)), &ok);
    set(w, "font_size", real(p.font_size, 3), &ok);
    set(w, "x", json_integer((json_int_t)p.x), &ok);
    set(w, "y", json_integer((json_int_t)p.y), &ok);
    set(w, "rotation", real(p.rotation, 3), &ok);
    set(w, "advance", real(p.advance, 3), &ok);
    json_t *bbox = json_array();
    for (int k = 0; bbox && k < 4; k++) {
        if (json_array_append_new(bbox, json_integer((json_int_t)p.bbox[k])) != 0) {
            ok = false;
        }
    }
    set(w, "bbox", bbox, &ok);
    set(w, "color", color_value(p.color), &ok);
    set(w, "font", p.font ? json_string(p.font) : json_null(), &ok);
    if (!ok) {
        json_decref(w);
        return NULL;
    }
    return w;
}

static json_t *dropped_json(const vc_layout *layout, size_t i)
{
    vc_dropped d;
    json_t *w = json_object();
    bool ok = w && vc_layout_dropped(layout, i, &d);
    if (!ok) {
        json_decref(w);
        return NULL;
    }
    set(w, "text", json_string(d.text), &ok);
    set(w, "count", count_value(d.count), &ok);
    set(w, "group", json_string(vc_group_name(d.group)), &ok);
    set(w, "reason", json_string(d.reason), &ok);
    if (!ok) {
        json_decref(w);
        return NULL;
    }
    return w;
}

static json_t *report(const vc_layout *layout)
{
    json_t *root = json_object();
    json_t *words = json_array();
    json_t *dropped = json_array();
    bool ok = root && words && dropped;
    if (!ok) {
        json_decref(root);
        json_decref(words);
        json_decref(dropped);
        return NULL;
    }
    set(root, "width", json_integer(layout->width), &ok);
    set(root, "height", json_integer(layout->height), &ok);
    set(root, "seed", json_integer((json_int_t)layout->opts.seed), &ok);
    set(root, "sizing", json_string(sizing_name(layout->opts.sizing)), &ok);
    set(root, "scale", real(layout->scale, 6), &ok);
    for (size_t i = 0; ok && i < vc_layout_placed_count(layout); i++) {
        json_t *w = placed_json(layout, i);
        ok = w && json_array_append_new(words, w) == 0;
    }
    for (size_t i = 0; ok && i < vc_layout_dropped_count(layout); i++) {
        json_t *w = dropped_json(layout, i);
        ok = w && json_array_append_new(dropped, w) == 0;
    }
    set(root, "words", words, &ok);
    set(root, "dropped", dropped, &ok);
    if (!ok) {
        json_decref(root);
        return NULL;
    }
    return root;
}

bool vc_render_json(const vc_layout *layout, FILE *fp, vc_error *err)
{
    json_t *root = report(layout);
    if (!root) {
        return vc_fail_nomem(err, "layout report");
    }
    /* %.15g of a value rounded to a few decimals prints it exactly as
     * rounded ("12.3", not "12.300000000000001"). */
    char *text = json_dumps(root, JSON_INDENT(1) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(15));
    json_decref(root);
    if (!text) {
        return vc_fail_nomem(err, "layout report");
    }
    size_t len = strlen(text);
    bool ok = fwrite(text, 1, len, fp) == len && fputc('\n', fp) != EOF;
    free(text);
    if (!ok) {
        return vc_fail(err, VC_ERR_IO, "layout report: write failed");
    }
    return true;
}
