/* cmd-batch.c - `votecloud batch`: one cloud per event.  Gathers the events,
 * names and checks their outputs before any work, runs the worker pool
 * (twice with --same-scale: fit each event alone, then draw all at the
 * smallest scale), then writes the gallery and summary and reports every
 * failed event.  A failed event never stops the others. */
#include "batch.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

/* Two batches into one folder would mix their outputs: the first takes an
 * exclusive lock on the folder itself (released when it exits, even on a
 * crash; nothing is left in a folder that gets published), the second is
 * refused at once.  Returns the lock's fd, or -1 after printing with
 * *status set. */
static int lock_folder(const char *outdir, int *status)
{
    int fd = open(outdir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) {
        *status = cli_fail(VC_ERR_CANTCREAT, "%s: cannot open the output folder: %s", outdir,
                           strerror(errno));
    } else if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
        int e = errno;
        close(fd);
        fd = -1;
        *status = e == EWOULDBLOCK
                      ? cli_fail(VC_ERR_CANTCREAT, "batch: another votecloud batch is "
                                 "writing to %s; wait for it to finish or choose another "
                                 "-o folder", outdir)
                      : cli_fail(VC_ERR_CANTCREAT, "%s: cannot lock: %s", outdir,
                                 strerror(e));
    }
    return fd;
}

/* --event-column: one survey counted once, its respondents split by event. */
static int events_from_column(const cli_opts *o, batch_events *ev)
{
    int rc = 0;
    vc_counter *counter = cli_count_inputs(o, o->inputs, o->n_inputs, &rc);
    if (!counter) {
        return rc;
    }
    vc_error err = {0};
    size_t n = vc_counter_event_count(counter);
    if (n == 0) {
        rc = cli_fail(VC_ERR_DATA, "batch: no events found in column '%s'",
                      o->count.event_column);
    }
    for (size_t i = 0; rc == 0 && i < n; i++) {
        const char *name = vc_counter_event_name(counter, i);
        if (!name) {
            name = "";
        }
        if (!batch_events_add(ev, name, *name ? NULL : "(no event given)", NULL, &err)) {
            rc = cli_report(&err);
            break;
        }
        /* Counters are not thread-safe, so the words are taken out here. */
        batch_event *e = &ev->v[ev->n - 1];
        e->words = vc_counter_words(counter, name, &e->err);
        e->failed = e->words == NULL;
    }
    vc_counter_free(counter);
    return rc;
}

static int load_events(const cli_opts *o, batch_events *ev)
{
    vc_error err = {0};
    if (o->manifest && o->n_inputs > 0) {
        return cli_fail(VC_ERR_USAGE, "batch: give input files or --manifest, not both");
    }
    if (o->manifest && o->count.event_column) {
        return cli_fail(VC_ERR_USAGE, "batch: --event-column splits input files; it "
                                      "cannot be used with --manifest");
    }
    if (o->count.event_column) {
        return events_from_column(o, ev);
    }
    bool ok = o->manifest ? batch_events_from_manifest(ev, o->manifest, &err)
                          : batch_events_from_files(ev, o->inputs, o->n_inputs, &err);
    return ok ? 0 : cli_report(&err);
}

/* Everything the batch reads, so no output can overwrite it. */
static int check_paths(const cli_opts *o, const batch_events *ev, const char *outdir)
{
    size_t cap = ev->n + o->n_inputs + o->n_stopword_files + o->n_exclude_files + 7;
    const char **inputs = calloc(cap, sizeof *inputs);
    if (!inputs) {
        return cli_fail(VC_ERR_NOMEM, "out of memory");
    }
    size_t n = 0;
    for (size_t i = 0; i < ev->n; i++) {
        if (ev->v[i].input) {
            inputs[n++] = ev->v[i].input;
        }
    }
    for (size_t i = 0; i < o->n_inputs; i++) {
        inputs[n++] = o->inputs[i];
    }
    for (size_t i = 0; i < o->n_stopword_files; i++) {
        inputs[n++] = o->stopword_files[i];
    }
    for (size_t i = 0; i < o->n_exclude_files; i++) {
        inputs[n++] = o->exclude_files[i];
    }
    const char *more[] = {o->style, o->manifest, o->synonyms, o->vocabulary, o->render.mask_path,
                          o->render.font};
    for (size_t i = 0; i < sizeof more / sizeof more[0]; i++) {
        if (more[i]) {
            inputs[n++] = more[i];
        }
    }
    vc_error err = {0};
    bool ok = batch_check_paths(ev, outdir, inputs, n, &err);
    free(inputs);
    return ok ? 0 : cli_report(&err);
}

/* The smallest scale any event fits at, so every event fits at it. */
static double smallest_scale(const batch_events *ev)
{
    double s = 0;
    for (size_t i = 0; i < ev->n; i++) {
        double f = ev->v[i].fit_scale;
        if (!ev->v[i].failed && isfinite(f) && f > 0 && (s == 0 || f < s)) {
            s = f;
        }
    }
    return s;
}

static int draw_events(const cli_opts *o, batch_events *ev, const char *outdir,
                       double *same_scale)
{
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    int jobs = o->jobs > 0 ? o->jobs : cores > 0 ? (int)(cores < CLI_MAX_JOBS ? cores : CLI_MAX_JOBS) : 1;
    if (jobs > CLI_MAX_JOBS) {
        /* cairo 1.16 deadlocks in its font mutexes above ~224 threads. */
        cli_warn(o, "-j %d: using %d workers, the most batch runs at once", jobs,
                 CLI_MAX_JOBS);
        jobs = CLI_MAX_JOBS;
    }
    bool progress = !o->quiet && isatty(STDERR_FILENO);
    batch_runner *r = batch_runner_new(o, outdir, ev, jobs, cores, progress);
    if (!r) {
        return cli_fail(VC_ERR_NOMEM, "out of memory starting workers");
    }
    vc_error err = {0};
    bool ok = true;
    *same_scale = 0;
    batch_homes homes = {0};
    if (o->coordinate) {
        /* Every event's words first: their union gives the homes. */
        ok = batch_runner_pass(r, BATCH_PASS_COUNT, 0, &err) &&
             batch_homes_make(o, ev, &homes, &err);
        batch_runner_set_homes(r, homes.v, homes.n);
    }
    if (ok && o->same_scale) {
        ok = batch_runner_pass(r, BATCH_PASS_FIT, 0, &err);
        *same_scale = smallest_scale(ev);
    }
    ok = ok && batch_runner_pass(r, BATCH_PASS_DRAW, *same_scale, &err);
    batch_runner_finish(r);
    batch_runner_free(r);
    batch_homes_free(&homes);
    return ok ? 0 : cli_report(&err);
}

/* One line per failed event and per event with words left out, in event
 * order; returns the first failed event's status. */
static int report_events(const cli_opts *o, const batch_events *ev)
{
    int rc = 0;
    for (size_t i = 0; i < ev->n; i++) {
        const batch_event *e = &ev->v[i];
        if (e->failed) {
            char text[VC_ERROR_MESSAGE_MAX + 128];
            cli_error_text(&e->err, text, sizeof text);
            cli_fail(e->err.status, "%s: %s", e->name, text);
            if (rc == 0) {
                rc = e->err.status != VC_OK ? (int)e->err.status : VC_ERR_SOFTWARE;
            }
            continue;
        }
        if (e->boxed > 0) {
            cli_warn(o, "%s: %zu word%s drawn with a box for a character no font here has "
                     "(marked \"undrawable\" in %s.json)",
                     e->name, e->boxed, e->boxed == 1 ? "" : "s", e->slug);
        }
        if (e->left_out > 0) {
            cli_warn(o, "%s: %zu word%s left out (listed in %s.json)", e->name,
                     e->left_out, e->left_out == 1 ? "" : "s", e->slug);
        }
    }
    return rc;
}

static int run_batch(const cli_opts *o)
{
    const char *outdir = o->outputs[0];
    batch_events ev = {0};
    vc_error err = {0};
    double same_scale = 0;
    int rc = load_events(o, &ev);
    if (rc == 0 && !batch_assign_slugs(&ev, &err)) {
        rc = cli_report(&err);
    }
    if (rc == 0) {
        rc = check_paths(o, &ev, outdir);
    }
    if (rc == 0 && !batch_make_dir(outdir, &err)) {
        rc = cli_report(&err);
    }
    int lock = rc == 0 ? lock_folder(outdir, &rc) : -1;
    if (rc == 0) {
        rc = draw_events(o, &ev, outdir, &same_scale);
    }
    if (rc == 0) {
        rc = report_events(o, &ev);
        cli_writing_begin();
        bool ok = gallery_write_summary(o, outdir, &ev, same_scale, &err) &&
                  gallery_write_index(o, outdir, &ev, same_scale, &err) &&
                  (!o->coordinate || gallery_write_compare(o, outdir, &ev, &err));
        cli_writing_end();
        if (!ok) {
            int st = cli_report(&err);
            rc = rc ? rc : st;
        }
    }
    if (lock >= 0) {
        close(lock);
    }
    batch_events_free(&ev);
    return rc;
}

int cmd_batch(int argc, char **argv)
{
    cli_opts o;
    int rc = cli_parse(argc, argv, CLI_BATCH, &o);
    if (rc == 0 && o.pack_events) {
        rc = cli_pack_date(&o.pack_date); /* once, before the workers */
    }
    if (rc == 0) {
        rc = run_batch(&o);
    }
    cli_opts_free(&o);
    return rc < 0 ? 0 : rc;
}
