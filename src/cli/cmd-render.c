/* cmd-render.c - `votecloud render`: count, lay out once, write every
 * output.  Checks that can fail without work (an output that is also an
 * input, an unknown image format) run before anything is read, and one
 * warning counts the words left out. */
#include "cli.h"

#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Everything about the outputs that can be refused before any work. */
static int check_outputs(const cli_opts *o)
{
    /* Outputs that clash with inputs or each other: cli_check_paths. */
    struct stat sb;
    if (o->pack && stat(o->pack, &sb) == 0 && !S_ISDIR(sb.st_mode)) {
        return cli_fail(VC_ERR_USAGE, "--pack %s: not a folder; name a new or existing folder",
                        o->pack);
    }
    for (size_t i = 0; i < o->n_outputs; i++) {
        const char *out = o->outputs[i];
        if (vc_output_format_for_path(out) == VC_OUTPUT_UNKNOWN) {
            return cli_fail(VC_ERR_USAGE, "render: %s: unknown output format; use a .png, "
                            ".svg or .pdf name", out);
        }
    }
    return 0;
}

/* "fewest votes; too small at the size that fits" and the like, for each
 * kind of reason present, in this order. */
static const char *dropped_kind_text(vc_drop_reason why)
{
    switch (why) {
    case VC_DROP_TOO_SMALL:
        return "fewest votes; too small at the size that fits";
    case VC_DROP_MAX_WORDS:
        return "beyond --max-words";
    case VC_DROP_NOTHING_FITS:
    case VC_DROP_NO_ROOM:
        return "no room on the canvas";
    case VC_DROP_NO_VOTES:
        return "no votes";
    case VC_DROP_NO_INK:
        return "nothing visible to draw";
    case VC_DROP_TOO_LONG:
        return "too long to draw at its size";
    }
    return "left out";
}

static void dropped_summary(const vc_layout *layout, char *buf, size_t size)
{
    static const vc_drop_reason order[] = {
        VC_DROP_TOO_SMALL, VC_DROP_MAX_WORDS, VC_DROP_NO_ROOM, VC_DROP_NO_VOTES,
        VC_DROP_NO_INK,    VC_DROP_TOO_LONG,
    };
    buf[0] = '\0';
    for (size_t k = 0; k < sizeof order / sizeof order[0]; k++) {
        for (size_t i = 0; i < vc_layout_dropped_count(layout); i++) {
            vc_dropped d;
            if (!vc_layout_dropped(layout, i, &d)) {
                continue;
            }
            vc_drop_reason why = d.why == VC_DROP_NOTHING_FITS ? VC_DROP_NO_ROOM : d.why;
            if (why == order[k]) {
                size_t len = strlen(buf);
                snprintf(buf + len, size - len, "%s%s", len ? "; " : "", dropped_kind_text(why));
                break;
            }
        }
    }
}

static void warn_dropped(const cli_opts *o, const vc_layout *layout)
{
    size_t n = vc_layout_dropped_count(layout);
    if (n == 0) {
        return;
    }
    char why[256];
    dropped_summary(layout, why, sizeof why);
    /* Point at a report this run writes, if any. */
    const char *report = o->layout_json ? o->layout_json
                         : o->pack      ? o->pack_paths[CLI_PACK_LAYOUT_JSON]
                                        : "--layout-json";
    cli_warn(o, "%zu word%s left out (%s): see %s", n, n == 1 ? "" : "s", why, report);
}

/* One line naming the drawn words with a character no font here has: the
 * image shows a box where the table and alt text give the character. */
static void warn_undrawable(const cli_opts *o, const vc_layout *layout)
{
    char named[512] = "";
    size_t n = 0, shown = 0;
    for (size_t i = 0; i < vc_layout_placed_count(layout); i++) {
        uint32_t cp = vc_layout_placed_undrawable(layout, i);
        vc_placed p;
        if (!cp || !vc_layout_placed(layout, i, &p)) {
            continue;
        }
        n++;
        size_t len = strlen(named);
        if (shown < 3 && len + strlen(p.text) + 24 < sizeof named) {
            snprintf(named + len, sizeof named - len, "%s'%s' (U+%04X)", shown ? ", " : "",
                     p.text, (unsigned)cp);
            shown++;
        }
    }
    if (n == 0) {
        return;
    }
    char more[48] = "";
    if (n > shown) {
        snprintf(more, sizeof more, " and %zu more", n - shown);
    }
    cli_warn(o, "%zu word%s drawn with a box for a character no font here has: %s%s; "
             "install a font that covers it, or choose one with --font",
             n, n == 1 ? "" : "s", named, more);
}

/* WCAG ratios shown rounded down, so a failing 4.46 never reads "4.5". */
static double ratio_down(double r)
{
    return floor(r * 10) / 10;
}

/* One line per palette colour the layout drew darker or lighter; a
 * colour adjusted for both small (4.5:1) and large (3:1) text names both. */
static void warn_adjusted(const cli_opts *o, const vc_layout *layout)
{
    /* The named palettes ship colours that are adjusted by design (NHS
     * Warm Yellow on white); only colours the user typed are news. */
    const char *palette = o->render.palette ? o->render.palette : "";
    if (!strchr(palette, '#')) {
        return;
    }
    size_t n = vc_layout_adjusted_color_count(layout);
    for (size_t i = 0; i < n; i++) {
        vc_color_adjustment a, b = {0};
        vc_layout_adjusted_color(layout, i, &a);
        bool seen = false, both = false;
        for (size_t j = 0; j < n; j++) {
            vc_color_adjustment t;
            vc_layout_adjusted_color(layout, j, &t);
            seen = seen || (t.from == a.from && j < i);
            if (t.from == a.from && j > i) {
                b = t;
                both = true;
            }
        }
        if (seen) {
            continue;
        }
        if (both && a.needed < b.needed) {
            vc_color_adjustment swap = a;
            a = b;
            b = swap;
        }
        char large[96] = "";
        if (both) {
            snprintf(large, sizeof large, " for small text, #%06X (%.1f:1) for large text",
                     (unsigned)b.to, ratio_down(b.to_ratio));
        }
        cli_warn(o, "colour #%06X has contrast %.1f:1 on #%06X; using #%06X (%.1f:1)%s "
                 "\xE2\x80\x94 --contrast off keeps it",
                 (unsigned)a.from, ratio_down(a.from_ratio), (unsigned)a.against,
                 (unsigned)a.to, ratio_down(a.to_ratio), large);
    }
}

static int report_staged_cb(void *user, vc_error *err)
{
    return cli_report_staged(user, err);
}

/* The pack's folder, made when missing; *made says so, so a failed run
 * can take it away again and leave nothing new. */
static int pack_folder(const char *dir, bool *made)
{
    struct stat sb;
    *made = false;
    if (stat(dir, &sb) == 0) {
        return S_ISDIR(sb.st_mode) ? 0
                                   : cli_fail(VC_ERR_CANTCREAT, "--pack %s: not a folder", dir);
    }
    if (mkdir(dir, 0777) != 0) {
        return cli_fail(VC_ERR_CANTCREAT, "--pack %s: cannot create the folder: %s", dir,
                        strerror(errno));
    }
    *made = true;
    return 0;
}

/* The input names the description gives, without their folders: a
 * published page must not show the machine's paths. */
static size_t source_names(const cli_opts *o, const char **names, size_t cap)
{
    size_t n = 0;
    for (size_t i = 0; i < o->n_inputs && n < cap; i++) {
        const char *in = o->inputs[i];
        const char *slash = strrchr(in, '/');
        names[n++] = strcmp(in, "-") == 0 ? "standard input" : slash ? slash + 1 : in;
    }
    return n;
}

static int write_pack(const cli_opts *o, vc_layout *layout, const vc_words *words,
                      cli_staged *st)
{
    const char *tmp[CLI_PACK_N];
    int rc = 0;
    vc_error err = {0};
    for (int i = 0; err.status == VC_OK && i < CLI_PACK_N; i++) {
        tmp[i] = cli_stage(st, o->pack_paths[i], &err);
    }
    if (err.status != VC_OK) {
        return cli_report(&err);
    }
    const char *sources[CLI_MAX_LIST];
    cli_pack_job job = {.o = o, .layout = layout, .words = words, .sources = sources,
                        .report = report_staged_cb, .report_user = st};
    job.n_sources = source_names(o, sources, CLI_MAX_LIST);
    rc = cli_pack_date(&job.date);
    return rc ? rc : cli_pack_write(&job, tmp);
}

/* One library write of a run: an image, or the layout report. */
typedef struct write_job {
    const vc_layout *layout;
    const char *path; /* the staged name, or one written directly */
    bool report;      /* --layout-json */
    bool ran, ok;
    vc_error err;
} write_job;

/* The staged jobs, taken in order by the writing threads. */
typedef struct write_jobs {
    write_job *job;
    size_t n;
    atomic_size_t next;
    atomic_bool failed; /* no job is started after one failed */
} write_jobs;

static bool run_write_job(write_job *j)
{
    j->ran = true;
    j->ok = j->report ? vc_layout_write_json(j->layout, j->path, &j->err)
                      : vc_layout_write(j->layout, j->path, &j->err);
    return j->ok;
}

static void *write_worker(void *arg)
{
    write_jobs *w = arg;
    for (size_t i;
         !atomic_load(&w->failed) && (i = atomic_fetch_add(&w->next, 1)) < w->n;) {
        if (!run_write_job(&w->job[i])) {
            atomic_store(&w->failed, true);
        }
    }
    return NULL;
}

/* Writes the images and the layout report of `t`, the staged files side
 * by side on their own threads (at most --threads): each ends with an
 * fsync, which waits for the disk while the others are drawn.  The layout
 * is immutable, so any thread may draw it, and no file's bytes depend on
 * the threads.  Files not staged (standard output, a device) are written
 * first, one by one on this thread, so two writers never share a stream.
 * Jobs start in the order of the options, so the first failure in that
 * order is the one reported, however the threads ran. */
static int write_layout_files(const cli_opts *t, const vc_layout *layout,
                              const cli_staged *st)
{
    write_job job[CLI_MAX_LIST + 1];
    size_t n = 0;
    for (size_t i = 0; i <= t->n_outputs; i++) {
        const char *path = i < t->n_outputs ? t->outputs[i] : t->layout_json;
        write_job j = {.layout = layout, .path = path, .report = i == t->n_outputs};
        if (path && !cli_is_staged(st, path)) {
            if (!run_write_job(&j)) {
                return cli_report_staged(st, &j.err);
            }
        } else if (path) {
            job[n++] = j;
        }
    }
    write_jobs w = {.job = job, .n = n};
    atomic_init(&w.next, 0);
    atomic_init(&w.failed, false);
    /* A file each (they wait on the disk more than on a core), at most
     * --threads. */
    size_t writers = t->render.threads > 0 && (size_t)t->render.threads < n
                         ? (size_t)t->render.threads
                         : n;
    pthread_t tid[CLI_MAX_LIST];
    size_t started = 0;
    while (started + 1 < writers &&
           pthread_create(&tid[started], NULL, write_worker, &w) == 0) {
        started++; /* if a thread cannot start, this one writes the rest */
    }
    write_worker(&w);
    for (size_t i = 0; i < started; i++) {
        pthread_join(tid[i], NULL);
    }
    for (size_t i = 0; i < n; i++) {
        if (job[i].ran && !job[i].ok) {
            return cli_report_staged(st, &job[i].err);
        }
    }
    return 0;
}

/* Stages `path` (when given) into *out, unless an earlier one failed. */
static void stage(cli_staged *st, const char *path, const char **out, vc_error *err)
{
    if (path && err->status == VC_OK) {
        *out = cli_stage(st, path, err);
    }
}

int cli_render_outputs(const cli_opts *o, vc_layout *layout, const vc_words *words)
{
    cli_staged st = {.n = 0};
    cli_opts t = *o; /* the same run, with staged names */
    int rc = 0;
    bool made_pack = false;
    if (o->pack) {
        rc = pack_folder(o->pack, &made_pack);
    }
    vc_error err = {0};
    if (rc == 0) {
        for (size_t i = 0; i < o->n_outputs; i++) {
            stage(&st, o->outputs[i], &t.outputs[i], &err);
        }
        stage(&st, o->layout_json, &t.layout_json, &err);
        stage(&st, o->alt_text, &t.alt_text, &err);
        stage(&st, o->report, &t.report, &err);
        for (size_t i = 0; i < o->n_tables; i++) {
            stage(&st, o->tables[i], &t.tables[i], &err);
        }
        rc = err.status == VC_OK ? 0 : cli_report(&err);
    }
    if (rc == 0) {
        rc = write_layout_files(&t, layout, &st);
    }
    if (rc == 0) {
        rc = cli_write_accessibility(&t, layout);
    }
    if (rc == 0 && t.report && !vc_words_write_merge_report(words, t.report, &err)) {
        rc = cli_report_staged(&st, &err);
    }
    if (rc == 0 && o->pack) {
        rc = write_pack(o, layout, words, &st);
    }
    if (rc != 0) {
        cli_unstage(&st, false);
        if (made_pack) {
            rmdir(o->pack);
        }
        return rc;
    }
    return cli_commit_staged(&st, &err) ? 0 : cli_report(&err);
}

static void print_timings(const vc_layout *layout, double read_s, double total_s)
{
    vc_timings t;
    vc_layout_timings(layout, &t);
    fprintf(stderr,
            "votecloud: timings (ms): read %.1f, shape %.1f, raster %.1f, layout %.1f, "
            "draw %.1f, encode %.1f, total %.1f\n",
            read_s * 1e3, t.shape * 1e3, t.rasterise * 1e3, t.layout * 1e3, t.draw * 1e3,
            t.encode * 1e3, total_s * 1e3);
    /* Page faults and peak memory: time lost to memory churn shows here
     * (minor faults are pages touched for the first time). */
    struct rusage ru;
    if (getrusage(RUSAGE_SELF, &ru) == 0) {
        fprintf(stderr,
                "votecloud: memory: peak RSS %.1f MB, page faults %ld minor, %ld major; "
                "cpu user %.1f ms, system %.1f ms\n",
                ru.ru_maxrss / 1024.0, ru.ru_minflt, ru.ru_majflt,
                ru.ru_utime.tv_sec * 1e3 + ru.ru_utime.tv_usec / 1e3,
                ru.ru_stime.tv_sec * 1e3 + ru.ru_stime.tv_usec / 1e3);
    }
}

int cmd_render(int argc, char **argv)
{
    double start = now();
    cli_opts o;
    int rc = cli_parse(argc, argv, CLI_RENDER, &o);
    if (rc) {
        cli_opts_free(&o);
        return rc < 0 ? 0 : rc;
    }
    rc = check_outputs(&o);
    if (rc) {
        cli_opts_free(&o);
        return rc;
    }
    vc_error err = {0};
    vc_words *words = NULL;
    vc_context *ctx = NULL;
    vc_layout *layout = NULL;
    vc_counter *counter = cli_count_inputs(&o, o.inputs, o.n_inputs, &rc);
    if (counter && !(words = vc_counter_words(counter, NULL, &err))) {
        rc = cli_report(&err);
    }
    double read_s = now() - start;
    if (words) {
        cli_report_merges(&o, words);
    }
    if (words && !rc && !(ctx = vc_context_new(&err))) {
        rc = cli_report(&err);
    }
    if (ctx && !(layout = vc_layout_new(ctx, words, &o.render, &err))) {
        rc = cli_report(&err);
    }
    /* One layout: what the context keeps for the next (spiral points)
     * would only add to the peak memory while the outputs are drawn. */
    vc_context_free(ctx);
    if (layout) {
        cli_writing_begin();
        rc = cli_render_outputs(&o, layout, words);
        cli_writing_end();
    }
    if (layout && !rc) {
        warn_adjusted(&o, layout);
        warn_undrawable(&o, layout);
        warn_dropped(&o, layout);
        if (o.timings) {
            print_timings(layout, read_s, now() - start);
        }
    }
    vc_layout_free(layout);
    vc_words_free(words);
    vc_counter_free(counter);
    cli_opts_free(&o);
    return rc;
}
