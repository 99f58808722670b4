/* batch-run.c - the worker pool: each worker takes the next event, counts it
 * (unless its words are known), lays it out with its own vc_context and
 * writes its files.  Results go to the event's own slot, so nothing a worker
 * writes depends on which worker it is or when it ran.  The main thread
 * only waits and, on a terminal, draws the progress bar. */
#include "batch.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

struct batch_runner {
    const cli_opts *o;
    const char *outdir;
    batch_events *ev;
    int jobs;
    int layout_threads; /* render option `threads` of each layout (0: its own choice) */
    vc_context **ctx; /* one per worker slot, kept across passes */
    bool progress;

    pthread_mutex_t mu;
    pthread_cond_t cv;
    batch_pass pass;
    double same_scale;
    const vc_home *homes; /* --coordinate: borrowed */
    size_t n_homes;
    size_t next;    /* the next event to take */
    size_t running; /* workers not yet finished */
    size_t done;    /* events finished in this pass */
    size_t failed;  /* events failed so far */
    double start;
    bool drawn;     /* a progress line is on screen */
};

typedef struct worker {
    batch_runner *r;
    int slot;
    pthread_t thread;
} worker;

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* ---- one event ------------------------------------------------------------- */

/* Counting as cli_count_inputs does it, but keeping the message for the
 * summary instead of printing it. */
static vc_words *count_event(const cli_opts *o, const char *input, vc_error *err)
{
    vc_counter *counter = cli_counter_load(o, &input, 1, err);
    vc_words *words = counter ? vc_counter_words(counter, NULL, err) : NULL;
    vc_counter_free(counter);
    return words;
}

typedef struct dropped_key {
    const char *text;
    vc_group group;
    const char *reason;
} dropped_key;

static int cmp_dropped(const void *a, const void *b)
{
    const dropped_key *x = a, *y = b;
    int c = strcmp(x->text, y->text);
    return c ? c : (int)x->group - (int)y->group;
}

/* The drawn words with a box, for the summary and the gallery page. */
static bool collect_boxed(batch_event *e, const vc_layout *layout, vc_error *err)
{
    size_t n = 0;
    for (size_t i = 0; i < e->drawn; i++) {
        n += vc_layout_placed_undrawable(layout, i) != 0;
    }
    if (n == 0) {
        return true;
    }
    e->boxed_words = calloc(n, sizeof *e->boxed_words);
    bool ok = e->boxed_words != NULL;
    for (size_t i = 0; ok && i < e->drawn; i++) {
        uint32_t cp = vc_layout_placed_undrawable(layout, i);
        vc_placed p;
        if (cp && vc_layout_placed(layout, i, &p)) {
            char *text = strdup(p.text);
            e->boxed_words[e->boxed++] = (batch_boxed){text, cp};
            ok = text != NULL;
        }
    }
    return ok || batch_fail(err, VC_ERR_NOMEM, "out of memory for the words drawn with a box");
}

/* The table of counts: every word in count order, with the reason it was
 * left out, if it was. */
static bool collect_rows(batch_event *e, const vc_layout *layout, vc_error *err)
{
    size_t n_words = vc_words_size(e->words);
    size_t n_dropped = vc_layout_dropped_count(layout);
    dropped_key *dropped = calloc(n_dropped ? n_dropped : 1, sizeof *dropped);
    e->rows = calloc(n_words ? n_words : 1, sizeof *e->rows);
    if (!dropped || !e->rows) {
        free(dropped);
        return batch_fail(err, VC_ERR_NOMEM, "out of memory for the table");
    }
    size_t k = 0;
    for (size_t i = 0; i < n_dropped; i++) {
        vc_dropped d;
        if (vc_layout_dropped(layout, i, &d) && d.text) {
            dropped[k++] = (dropped_key){d.text, d.group, d.reason ? d.reason : ""};
        }
    }
    qsort(dropped, k, sizeof *dropped, cmp_dropped);
    bool ok = true;
    for (size_t i = 0; ok && i < n_words; i++) {
        batch_row *row = &e->rows[e->n_rows++];
        dropped_key key = {vc_words_text(e->words, i), vc_words_group(e->words, i), NULL};
        const dropped_key *hit = bsearch(&key, dropped, k, sizeof *dropped, cmp_dropped);
        row->text = strdup(key.text);
        row->count = vc_words_count(e->words, i);
        row->group = key.group;
        row->reason = hit ? strdup(hit->reason) : NULL;
        ok = row->text && (!hit || row->reason);
    }
    free(dropped);
    return ok ? true : batch_fail(err, VC_ERR_NOMEM, "out of memory for the table");
}

static bool write_text(const char *path, const char *text, vc_error *err)
{
    size_t n = strlen(text);
    char *s = malloc(n + 2);
    if (!s) {
        return batch_fail(err, VC_ERR_NOMEM, "%s: out of memory", path);
    }
    memcpy(s, text, n);
    s[n] = '\n';
    bool ok = vc_file_write_atomic(path, s, n + 1, err);
    free(s);
    return ok;
}

/* Output `which` of the event, to `path` (its staged name). */
static bool write_output(batch_event *e, const vc_layout *layout, int which, const char *path,
                         vc_error *err)
{
    switch (which) {
    case BATCH_PNG: return vc_layout_write_png(layout, path, err);
    case BATCH_SVG: return vc_layout_write_svg(layout, path, err);
    case BATCH_JSON: return vc_layout_write_json(layout, path, err);
    case BATCH_TXT:
        return e->alt_text ? write_text(path, e->alt_text, err)
                           : batch_fail(err, VC_ERR_SOFTWARE, "%s: no alt text", path);
    default: return batch_fail(err, VC_ERR_SOFTWARE, "%s: unknown output", path);
    }
}

static bool lay_out(const batch_runner *r, vc_context *ctx, batch_event *e,
                    vc_layout **out, vc_error *err)
{
    if (vc_words_size(e->words) == 0) {
        return batch_fail(err, VC_ERR_DATA, "nothing to draw: no words were counted");
    }
    vc_render_options ro = r->o->render;
    ro.title = e->title;
    if (r->layout_threads > 0) {
        ro.threads = r->layout_threads;
    }
    /* The key states the shared scale; on in both passes so each event's own
     * fit leaves room for it. */
    ro.legend = ro.legend || r->o->same_scale;
    ro.same_scale = r->pass == BATCH_PASS_DRAW ? r->same_scale : 0;
    ro.homes = r->homes;
    ro.n_homes = r->n_homes;
    vc_layout *layout = vc_layout_new(ctx, e->words, &ro, err);
    if (!layout) {
        return false;
    }
    if (vc_layout_placed_count(layout) == 0) {
        vc_dropped d = {0};
        bool why = vc_layout_dropped(layout, 0, &d) && d.reason;
        /* d.reason is borrowed from the layout: format it before freeing. */
        batch_fail(err, VC_ERR_DATA, "nothing to draw: every word was left out%s%s",
                   why ? ": " : "", why ? d.reason : "");
        vc_layout_free(layout);
        return false;
    }
    *out = layout;
    return true;
}

/* A pack failure is the event's: kept for the summary, not printed. */
static int keep_pack_error(void *user, vc_error *err)
{
    batch_event *e = user;
    batch_fail(&e->err, err->status != VC_OK ? err->status : VC_ERR_SOFTWARE, "publish pack: %s",
               err->message);
    return e->err.status;
}

/* The event's files, staged in `st`, and the final names st borrows
 * until they are renamed into place. */
typedef struct event_files {
    cli_staged st;
    char *final[BATCH_N_OUTPUTS];
    cli_opts pack; /* owns the pack's paths */
} event_files;

static void event_files_finish(event_files *f)
{
    for (int j = 0; j < BATCH_N_OUTPUTS; j++) {
        free(f->final[j]);
    }
    for (size_t i = 0; i < f->pack.n_owned; i++) {
        free(f->pack.owned[i]);
    }
    free(f->pack.owned);
}

/* OUTDIR/packs/SLUG/, staged in f->st with the event's other files. */
static bool write_pack(batch_runner *r, batch_event *e, const vc_layout *layout, event_files *f,
                       vc_error *err)
{
    char *packs = batch_path(r->outdir, "packs", "");
    char *dir = packs ? batch_path(packs, e->slug, "") : NULL;
    free(packs);
    const char *final[CLI_PACK_N], *tmp[CLI_PACK_N];
    bool ok = dir && batch_make_dir(dir, err) && cli_pack_paths(&f->pack, dir, final) == 0;
    free(dir);
    for (int i = 0; ok && i < CLI_PACK_N; i++) {
        ok = (tmp[i] = cli_stage(&f->st, final[i], err)) != NULL;
    }
    const char *source = e->input ? strrchr(e->input, '/') : NULL;
    const char *sources[1] = {source ? source + 1 : e->input ? e->input : e->name};
    cli_pack_job job = {.o = r->o, .layout = layout, .words = e->words, .sources = sources,
                        .n_sources = 1, .date = r->o->pack_date, .title = e->title,
                        .report = keep_pack_error, .report_user = e};
    ok = ok && cli_pack_write(&job, tmp) == 0;
    return ok || batch_fail(err, VC_ERR_CANTCREAT, "%s: cannot write its publish pack", e->name);
}

/* The event's files and its publish pack, all or nothing, as render
 * writes its own (staged.c): a failed event leaves none of this run's
 * files, never a new PNG beside an SVG of the last run. */
static bool write_event(batch_runner *r, batch_event *e, const vc_layout *layout, vc_error *err)
{
    cli_writing_begin();
    event_files f = {.st = {.n = 0}};
    const char *tmp[BATCH_N_OUTPUTS];
    bool ok = true;
    for (int j = 0; ok && j < BATCH_N_OUTPUTS; j++) {
        f.final[j] = batch_path(r->outdir, e->slug, batch_output_ext[j]);
        ok = f.final[j] ? (tmp[j] = cli_stage(&f.st, f.final[j], err)) != NULL
                        : batch_fail(err, VC_ERR_NOMEM, "out of memory");
    }
    for (int j = 0; ok && j < BATCH_N_OUTPUTS; j++) {
        ok = write_output(e, layout, j, tmp[j], err);
    }
    if (ok && r->o->pack_events) {
        ok = write_pack(r, e, layout, &f, err);
    }
    ok = cli_staged_end(&f.st, ok, err);
    for (int j = 0; j < BATCH_N_OUTPUTS; j++) {
        e->wrote[j] = ok;
    }
    event_files_finish(&f);
    cli_writing_end();
    return ok;
}

static bool run_event(batch_runner *r, int slot, batch_event *e)
{
    vc_error *err = &e->err;
    if (!r->ctx[slot] && !(r->ctx[slot] = vc_context_new(err))) {
        return false;
    }
    if (!e->words && !(e->words = count_event(r->o, e->input, err))) {
        return false;
    }
    e->respondents = vc_words_respondents(e->words);
    if (r->pass == BATCH_PASS_COUNT) {
        return true;
    }
    vc_layout *layout = NULL;
    if (!lay_out(r, r->ctx[slot], e, &layout, err)) {
        return false;
    }
    if (r->pass == BATCH_PASS_FIT) {
        e->fit_scale = vc_layout_scale(layout);
        vc_layout_free(layout);
        return true;
    }
    e->drawn = vc_layout_placed_count(layout);
    e->left_out = vc_layout_dropped_count(layout);
    e->alt_text = vc_layout_alt_text(layout);
    bool ok = collect_boxed(e, layout, err) && collect_rows(e, layout, err) &&
              write_event(r, e, layout, err);
    vc_layout_free(layout);
    return ok;
}

/* ---- the pool ------------------------------------------------------------- */

static void *worker_main(void *arg)
{
    worker *w = arg;
    batch_runner *r = w->r;
    for (;;) {
        pthread_mutex_lock(&r->mu);
        size_t i = r->next < r->ev->n ? r->next++ : r->ev->n;
        pthread_mutex_unlock(&r->mu);
        if (i == r->ev->n) {
            break;
        }
        batch_event *e = &r->ev->v[i];
        bool newly_failed = false;
        if (!e->failed && !run_event(r, w->slot, e)) {
            if (e->err.status == VC_OK) {
                batch_fail(&e->err, VC_ERR_SOFTWARE, "failed without a message");
            }
            e->failed = newly_failed = true;
        }
        pthread_mutex_lock(&r->mu);
        r->done++;
        r->failed += newly_failed;
        pthread_cond_signal(&r->cv);
        pthread_mutex_unlock(&r->mu);
    }
    pthread_mutex_lock(&r->mu);
    r->running--;
    pthread_cond_signal(&r->cv);
    pthread_mutex_unlock(&r->mu);
    return NULL;
}

static void format_duration(char *out, size_t n, double s)
{
    long t = s < 0 ? 0 : (long)(s + 0.5);
    if (t >= 3600) {
        snprintf(out, n, "%ld:%02ld:%02ld", t / 3600, t / 60 % 60, t % 60);
    } else {
        snprintf(out, n, "%ld:%02ld", t / 60, t % 60);
    }
}

/* Called with r->mu held. */
static void draw_progress(batch_runner *r)
{
    size_t total = r->ev->n;
    struct winsize ws;
    int cols = ioctl(STDERR_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col ? ws.ws_col : 80;
    double elapsed = now() - r->start;
    char el[32], left[32] = "?";
    format_duration(el, sizeof el, elapsed);
    if (r->done > 0) {
        format_duration(left, sizeof left,
                        elapsed / (double)r->done * (double)(total - r->done));
    }
    char line[256];
    int width = 20;
    int fill = total ? (int)(width * r->done / total) : width;
    char bar[32];
    for (int i = 0; i < width; i++) {
        bar[i] = i < fill ? '#' : '.';
    }
    bar[width] = '\0';
    snprintf(line, sizeof line, "%s [%s] %zu/%zu events, %zu failed, %s elapsed, %s left",
             r->pass == BATCH_PASS_FIT ? "fitting" : "drawing", bar, r->done, total,
             r->failed, el, left);
    if ((int)strlen(line) >= cols) {
        line[cols > 1 ? cols - 1 : 0] = '\0';
    }
    fprintf(stderr, "\r%s\033[K", line);
    fflush(stderr);
    r->drawn = true;
}

batch_runner *batch_runner_new(const cli_opts *o, const char *outdir,
                               batch_events *ev, int jobs, long cores, bool progress)
{
    batch_runner *r = calloc(1, sizeof *r);
    if (!r) {
        return NULL;
    }
    r->o = o;
    r->outdir = outdir;
    r->ev = ev;
    r->jobs = jobs < 1 ? 1 : (size_t)jobs > ev->n && ev->n > 0 ? (int)ev->n : jobs;
    /* When the workers fill the cores, a layout's own helper threads
     * (rasterising and making spiral points ahead, compressing PNG bands)
     * only take turns with the other workers on the same cores.  Measured
     * (hyperfine, 50 events of 30 words, -j2 on 2 cores): 777 -> 671 ms
     * at 1200x675, 553 -> 494 ms at 800x600, 584 -> 542 ms at 1080x1920,
     * the same bytes. */
    r->layout_threads = cores > 0 && r->jobs >= cores ? 1 : 0;
    r->progress = progress;
    r->ctx = calloc((size_t)r->jobs, sizeof *r->ctx);
    pthread_condattr_t attr;
    pthread_condattr_init(&attr);
    pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
    bool ok = r->ctx && pthread_mutex_init(&r->mu, NULL) == 0;
    ok = ok && pthread_cond_init(&r->cv, &attr) == 0;
    pthread_condattr_destroy(&attr);
    if (!ok) {
        free(r->ctx);
        free(r);
        return NULL;
    }
    for (size_t i = 0; i < ev->n; i++) {
        r->failed += ev->v[i].failed; /* e.g. an event column with no words */
    }
    r->start = now();
    return r;
}

void batch_runner_free(batch_runner *r)
{
    if (!r) {
        return;
    }
    for (int i = 0; i < r->jobs; i++) {
        vc_context_free(r->ctx[i]);
    }
    free(r->ctx);
    pthread_cond_destroy(&r->cv);
    pthread_mutex_destroy(&r->mu);
    free(r);
}

static void wait_for_workers(batch_runner *r)
{
    pthread_mutex_lock(&r->mu);
    while (r->running > 0) {
        if (!r->progress) {
            pthread_cond_wait(&r->cv, &r->mu);
            continue;
        }
        draw_progress(r);
        struct timespec ts;
        clock_gettime(CLOCK_MONOTONIC, &ts);
        ts.tv_nsec += 250 * 1000000L;
        if (ts.tv_nsec >= 1000000000L) {
            ts.tv_sec++;
            ts.tv_nsec -= 1000000000L;
        }
        pthread_cond_timedwait(&r->cv, &r->mu, &ts);
    }
    if (r->progress) {
        draw_progress(r);
    }
    pthread_mutex_unlock(&r->mu);
}

bool batch_runner_pass(batch_runner *r, batch_pass pass, double same_scale,
                       vc_error *err)
{
    if (r->ev->n == 0) {
        return true;
    }
    worker *workers = calloc((size_t)r->jobs, sizeof *workers);
    if (!workers) {
        return batch_fail(err, VC_ERR_NOMEM, "out of memory for workers");
    }
    r->pass = pass;
    r->same_scale = same_scale;
    r->next = 0;
    r->done = 0;
    r->running = 0;
    int started = 0;
    for (int i = 0; i < r->jobs; i++) {
        workers[i] = (worker){.r = r, .slot = i};
        pthread_mutex_lock(&r->mu);
        r->running++;
        pthread_mutex_unlock(&r->mu);
        if (pthread_create(&workers[i].thread, NULL, worker_main, &workers[i]) != 0) {
            /* The workers already started drain the queue. */
            pthread_mutex_lock(&r->mu);
            r->running--;
            pthread_mutex_unlock(&r->mu);
            break;
        }
        started++;
    }
    if (started == 0) {
        free(workers);
        return batch_fail(err, VC_ERR_NOMEM, "cannot start a worker thread");
    }
    wait_for_workers(r);
    for (int i = 0; i < started; i++) {
        pthread_join(workers[i].thread, NULL);
    }
    free(workers);
    return true;
}

void batch_runner_set_homes(batch_runner *r, const vc_home *homes, size_t n)
{
    r->homes = homes;
    r->n_homes = n;
}

void batch_runner_finish(batch_runner *r)
{
    if (r && r->drawn) {
        fputs("\r\033[K", stderr);
        fflush(stderr);
        r->drawn = false;
    }
}
