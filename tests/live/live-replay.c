/* live-replay.c - the live layout's measurement: replays an event (one
 * update per participant, replay.py's output) through vc_live_update and,
 * for comparison, through a from-scratch vc_layout_new at every update,
 * and prints per update and in summary (median, p95): the share of words
 * that moved more than 1 em, the mean displacement as a share of the
 * canvas diagonal, 5-nearest-neighbour preservation, and the update's CPU
 * time (printed for the report, never asserted).
 *
 *   live-replay REPLAY [--participants N] [--scratch-every K] [--no-scratch]
 *               [--per-update FILE.tsv] [--frames DIR] [--at 50,100,...]
 *               [--width W] [--height H]
 *
 * --frames writes DIR/live-NNNN.png (and DIR/scratch-NNNN.png) after the
 * participants listed by --at. */
#include "replay.h"

#include <errno.h>
#include <time.h>

/* The process's CPU time (both threads of vc_layout_new): on a loaded
 * machine, wall-clock time says more about the other processes than
 * about the update. */
static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

typedef struct series {
    double *moved, *disp, *knn, *ms;
    size_t n, n_knn;
} series;

static bool series_init(series *s, size_t cap)
{
    memset(s, 0, sizeof *s);
    s->moved = calloc(cap, sizeof *s->moved);
    s->disp = calloc(cap, sizeof *s->disp);
    s->knn = calloc(cap, sizeof *s->knn);
    s->ms = calloc(cap, sizeof *s->ms);
    return s->moved && s->disp && s->knn && s->ms;
}

static void series_add(series *s, const measure *m, double ms)
{
    s->ms[s->n] = ms;
    s->moved[s->n] = m->moved_share;
    s->disp[s->n] = m->displacement;
    s->n++;
    if (m->knn >= 0) {
        s->knn[s->n_knn++] = m->knn;
    }
}

static void series_print(const char *name, series *s)
{
    printf("%-14s updates %4zu  moved>1em median %5.1f%% p95 %5.1f%%  "
           "displacement median %.4f p95 %.4f  5-NN kept median %.3f p5 %.3f  "
           "CPU time median %.2f ms p95 %.2f ms\n",
           name, s->n, 100 * quantile(s->moved, s->n, 0.5),
           100 * quantile(s->moved, s->n, 0.95), quantile(s->disp, s->n, 0.5),
           quantile(s->disp, s->n, 0.95), quantile(s->knn, s->n_knn, 0.5),
           quantile(s->knn, s->n_knn, 0.05), quantile(s->ms, s->n, 0.5),
           quantile(s->ms, s->n, 0.95));
}

static void series_free(series *s)
{
    free(s->moved);
    free(s->disp);
    free(s->knn);
    free(s->ms);
}

static bool wanted(const char *list, size_t p)
{
    if (!list) {
        return false;
    }
    const char *s = list;
    while (*s) {
        char *end;
        errno = 0;
        unsigned long v = strtoul(s, &end, 10);
        if (end == s) {
            return false;
        }
        if (v == p) {
            return true;
        }
        s = *end == ',' ? end + 1 : end;
    }
    return false;
}

static bool write_frame(const vc_layout *L, const char *dir, const char *kind, size_t p)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s-%04zu.png", dir, kind, p);
    vc_error err = {0};
    if (!vc_layout_write_png(L, path, &err)) {
        fprintf(stderr, "live-replay: %s\n", err.message);
        return false;
    }
    return true;
}

int main(int argc, char **argv)
{
    const char *path = NULL, *per_path = NULL, *frames = NULL,
               *at = "50,100,200,400,1000";
    size_t limit = 0, every = 1;
    bool scratch = true;
    vc_render_options o;
    vc_render_options_init(&o);
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (strcmp(a, "--participants") == 0 && v) {
            limit = strtoul(v, NULL, 10);
            i++;
        } else if (strcmp(a, "--scratch-every") == 0 && v) {
            every = strtoul(v, NULL, 10);
            every = every ? every : 1;
            i++;
        } else if (strcmp(a, "--no-scratch") == 0) {
            scratch = false;
        } else if (strcmp(a, "--per-update") == 0 && v) {
            per_path = v;
            i++;
        } else if (strcmp(a, "--frames") == 0 && v) {
            frames = v;
            i++;
        } else if (strcmp(a, "--at") == 0 && v) {
            at = v;
            i++;
        } else if (strcmp(a, "--width") == 0 && v) {
            o.width = atoi(v);
            i++;
        } else if (strcmp(a, "--height") == 0 && v) {
            o.height = atoi(v);
            i++;
        } else if (a[0] != '-' && !path) {
            path = a;
        } else {
            fprintf(stderr,
                    "usage: live-replay REPLAY [--participants N] [--scratch-every K] "
                    "[--no-scratch] [--per-update FILE] [--frames DIR] [--at LIST] "
                    "[--width W] [--height H]\n");
            return 2;
        }
    }
    const char *fontdir = getenv("FONTDIR");
    if (fontdir && *fontdir) {
        o.font_dir = fontdir;
    }
    replay r;
    if (!path || !replay_load(path, &r)) {
        fprintf(stderr, "live-replay: cannot read the replay '%s'\n", path ? path : "");
        return 1;
    }
    size_t n = limit && limit < r.n ? limit : r.n;
    vc_error err = {0};
    vc_live *live = vc_live_new(&o, &err);
    vc_context *ctx = vc_context_new(&err);
    FILE *per = per_path ? fopen(per_path, "w") : NULL;
    series sl, ss;
    tally t = {0};
    frame prev_live = {0}, prev_scratch = {0};
    int rc = 0;
    if (!live || !ctx || (per_path && !per) || !series_init(&sl, n) ||
        !series_init(&ss, n)) {
        fprintf(stderr, "live-replay: %s\n",
                err.message[0] ? err.message : "cannot start");
        rc = 1;
        n = 0;
    }
    if (per) {
        fprintf(
            per,
            "participant\twords\tplaced\trescaled\tlive_moved\tlive_disp\tlive_knn\tlive_"
            "ms"
            "\tscratch_moved\tscratch_disp\tscratch_knn\tscratch_ms\tscratch_placed\n");
    }
    double diag = hypot(o.width, o.height);
    size_t rescales = 0;
    for (size_t p = 0; p < n && rc == 0; p++) {
        vc_words *words = NULL;
        vc_layout *L = NULL, *S = NULL;
        frame fl = {0}, fs = {0};
        vc_live_stats st;
        double t0 = 0, t_live = 0, t_scratch = 0;
        measure ml = {0, 0, 0, -1}, ms = {0, 0, 0, -1};
        bool do_scratch = scratch && (p + 1) % every == 0;
        bool ok = tally_participant(&t, &r, p) && (words = tally_words(&t, &err));
        if (ok) {
            t0 = now();
            ok = vc_live_update(live, words, &st, &err);
            t_live = now() - t0;
        }
        ok = ok && (L = vc_live_snapshot(live, &err)) && frame_from_layout(L, &fl);
        if (ok && do_scratch) {
            t0 = now();
            S = vc_layout_new(ctx, words, &o, &err);
            t_scratch = now() - t0;
            ok = S && frame_from_layout(S, &fs);
        }
        if (ok) {
            rescales += st.rescaled;
            ml = frame_measure(&prev_live, &fl, diag);
            if (p > 0) {
                series_add(&sl, &ml, 1e3 * t_live);
            }
            if (do_scratch && prev_scratch.w) {
                ms = frame_measure(&prev_scratch, &fs, diag);
                series_add(&ss, &ms, 1e3 * t_scratch);
            }
            if (per) {
                fprintf(per,
                        "%zu\t%zu\t%zu\t%d\t%.4f\t%.5f\t%.3f\t%.3f\t%.4f\t%.5f\t%.3f\t%."
                        "3f\t%zu\n",
                        p + 1, vc_words_size(words), vc_layout_placed_count(L),
                        st.rescaled, ml.moved_share, ml.displacement, ml.knn,
                        1e3 * t_live, ms.moved_share, ms.displacement, ms.knn,
                        1e3 * t_scratch, S ? vc_layout_placed_count(S) : 0);
            }
            if (frames && wanted(at, p + 1)) {
                ok = write_frame(L, frames, "live", p + 1) &&
                     (!S || write_frame(S, frames, "scratch", p + 1));
            }
        }
        if (!ok) {
            fprintf(stderr, "live-replay: participant %zu: %s\n", p + 1,
                    err.message[0] ? err.message : "out of memory");
            rc = 1;
        }
        if (ok && (do_scratch || !scratch)) {
            if (do_scratch) {
                frame_free(&prev_scratch);
                prev_scratch = fs;
                fs.w = NULL;
            }
        }
        frame_free(&prev_live);
        prev_live = fl;
        frame_free(&fs);
        vc_layout_free(L);
        vc_layout_free(S);
        vc_words_free(words);
    }
    if (rc == 0) {
        printf("replay: %zu participants x %d words, %zu distinct words, canvas %dx%d, "
               "%zu rescales\n",
               n, REPLAY_WORDS, t.n, o.width, o.height, rescales);
        series_print("grow-in-place", &sl);
        if (scratch) {
            series_print("from-scratch", &ss);
        }
    }
    if (per) {
        fclose(per);
    }
    frame_free(&prev_live);
    frame_free(&prev_scratch);
    series_free(&sl);
    series_free(&ss);
    tally_free(&t);
    replay_free(&r);
    vc_context_free(ctx);
    vc_live_free(live);
    return rc;
}
