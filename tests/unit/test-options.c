/* test-options.c - the options structs are size-stamped: _init stamps
 * sizeof, a caller built against an older (smaller) struct gets defaults
 * for the fields it lacks, and a size of 0 or larger than the library knows
 * is a usage error.  Linked against the shared library, as a program is;
 * the limits it probes are the public VC_* macros. */
#include "votecloud.h"
#include "tap.h"

/* Runs the layout on three words; returns its status and message. */
static vc_status layout_with(const vc_render_options *ro, vc_error *err)
{
    vc_error_clear(err);
    vc_words *w = vc_words_new(err);
    vc_context *ctx = vc_context_new(err);
    vc_layout *l = NULL;
    if (w && ctx && vc_words_add(w, "care", 10, VC_GROUP_WORD, err) &&
        vc_words_add(w, "hope", 7, VC_GROUP_WORD, err) &&
        vc_words_add(w, "staff", 5, VC_GROUP_WORD, err)) {
        l = vc_layout_new(ctx, w, ro, err);
    }
    vc_status s = l ? VC_OK : err->status;
    vc_layout_free(l);
    vc_context_free(ctx);
    vc_words_free(w);
    return s;
}

static void test_render_size(void)
{
    vc_error err = {0};
    vc_render_options ro;
    vc_render_options_init(&ro);
    TAP_OK(ro.struct_size == sizeof ro, "vc_render_options_init stamps sizeof (%zu)", ro.struct_size);
    TAP_OK(layout_with(&ro, &err) == VC_OK, "defaults lay out: %s", err.message);
    TAP_OK(layout_with(NULL, &err) == VC_OK, "NULL options: defaults");

    /* A caller compiled before padding_em and margin existed: what lies
     * beyond its struct (here deliberately invalid) is never read. */
    ro.padding_em = 99;
    ro.margin = -5;
    TAP_OK(layout_with(&ro, &err) == VC_ERR_USAGE, "the garbage is invalid at full size: %s",
           err.message);
    size_t older = offsetof(vc_render_options, margin);
    ro.struct_size = older;
    TAP_OK(layout_with(&ro, &err) == VC_OK,
           "an older, smaller struct (%zu of %zu bytes): missing fields get defaults (%s)", older,
           sizeof ro, err.message);

    vc_render_options_init(&ro);
    ro.struct_size = 0;
    TAP_OK(layout_with(&ro, &err) == VC_ERR_USAGE && strstr(err.message, "struct_size is 0") &&
               strstr(err.message, "vc_render_options_init"),
           "struct_size 0 (filled by hand): usage error: %s", err.message);
    ro.struct_size = sizeof ro + 8;
    TAP_OK(layout_with(&ro, &err) == VC_ERR_USAGE && strstr(err.message, "vc_render_options"),
           "struct_size larger than known: usage error: %s", err.message);
    vc_render_options zero = {0};
    TAP_OK(layout_with(&zero, &err) == VC_ERR_USAGE, "a {0} struct is refused, not laid out");
}

static void test_render_limits(void)
{
    vc_error err = {0};
    vc_render_options ro;
    vc_render_options_init(&ro);
    TAP_OK(ro.width == VC_WIDTH_DEFAULT && ro.height == VC_HEIGHT_DEFAULT &&
               ro.max_pixels == VC_MAX_PIXELS_DEFAULT && ro.dpi == VC_DPI_DEFAULT &&
               ro.padding == VC_PADDING_DEFAULT && ro.min_font_size == VC_MIN_FONT_SIZE_DEFAULT,
           "_init uses the public defaults");
    ro.width = VC_WIDTH_MIN - 1;
    TAP_OK(layout_with(&ro, &err) == VC_ERR_USAGE && strstr(err.message, "width"),
           "width VC_WIDTH_MIN - 1 refused: %s", err.message);
    ro.width = VC_WIDTH_MAX + 1;
    TAP_OK(layout_with(&ro, &err) == VC_ERR_USAGE, "width VC_WIDTH_MAX + 1 refused: %s",
           err.message);
    ro.width = VC_WIDTH_MIN;
    ro.height = VC_HEIGHT_MIN;
    ro.min_font_size = 1;
    TAP_OK(layout_with(&ro, &err) == VC_OK, "VC_WIDTH_MIN x VC_HEIGHT_MIN accepted: %s",
           err.message);
    vc_render_options_init(&ro);
    ro.scale = VC_SCALE_MAX * 2;
    TAP_OK(layout_with(&ro, &err) == VC_ERR_USAGE, "scale above VC_SCALE_MAX refused: %s",
           err.message);
    vc_render_options_init(&ro);
    ro.dpi = VC_DPI_MIN / 2;
    TAP_OK(layout_with(&ro, &err) == VC_ERR_USAGE, "dpi below VC_DPI_MIN refused: %s",
           err.message);
    vc_render_options_init(&ro);
    ro.padding = VC_PADDING_MAX + 1;
    TAP_OK(layout_with(&ro, &err) == VC_ERR_USAGE, "padding above VC_PADDING_MAX refused: %s",
           err.message);
}

static vc_status count_with(const vc_count_options *co, const char *data, vc_error *err)
{
    vc_error_clear(err);
    vc_counter *c = vc_counter_new(co, err);
    bool ok = c && vc_counter_add_buffer(c, "votes.tsv", data, strlen(data), err);
    vc_counter_free(c);
    return ok ? VC_OK : err->status;
}

static void test_count_size(void)
{
    vc_error err = {0};
    vc_count_options co;
    vc_count_options_init(&co);
    TAP_OK(co.struct_size == sizeof co, "vc_count_options_init stamps sizeof (%zu)", co.struct_size);
    TAP_OK(co.max_field_bytes == VC_MAX_FIELD_BYTES_DEFAULT &&
               co.max_line_bytes == VC_MAX_LINE_BYTES_DEFAULT &&
               co.max_entries == VC_MAX_ENTRIES_DEFAULT,
           "_init uses the public limits");
    const char *votes = "care\t10\nhope\t7\nstaff\t5\n";
    co.max_entries = 2;
    TAP_OK(count_with(&co, votes, &err) == VC_ERR_DATA, "max_entries 2 is applied: %s",
           err.message);
    /* An older caller whose struct ends before the limits: they are not
     * read, so the default (1,000,000 entries) applies. */
    co.struct_size = offsetof(vc_count_options, max_field_bytes);
    TAP_OK(count_with(&co, votes, &err) == VC_OK,
           "an older, smaller struct: the limits it lacks get defaults (%s)", err.message);
    co.struct_size = 0;
    TAP_OK(count_with(&co, votes, &err) == VC_ERR_USAGE &&
               strstr(err.message, "vc_count_options_init"),
           "struct_size 0: usage error: %s", err.message);
    co.struct_size = sizeof co * 2;
    TAP_OK(count_with(&co, votes, &err) == VC_ERR_USAGE, "struct_size too large: usage error: %s",
           err.message);
}

static void test_version(void)
{
    TAP_EQ_STR(vc_version(), VC_VERSION_STRING, "vc_version() is the header's VC_VERSION_STRING");
    char spelled[64];
    snprintf(spelled, sizeof spelled, "%d.%d.%d", VC_VERSION_MAJOR, VC_VERSION_MINOR,
             VC_VERSION_MICRO);
    TAP_EQ_STR(spelled, VC_VERSION_STRING, "MAJOR.MINOR.MICRO spell VC_VERSION_STRING");
}

int main(void)
{
    test_render_size();
    test_render_limits();
    test_count_size();
    test_version();
    return tap_done();
}
