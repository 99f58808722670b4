/* test-lifetime.c - contexts come and go while cairo keeps their font
 * faces in its caches (a long batch, a server): freeing a context and then
 * letting cairo drop its faces must not touch freed FreeType state.
 * cairo_debug_reset_static_data() empties cairo's caches the way a long
 * run eventually does; M_PERTURB makes a use-after-free crash in the normal
 * build, and ASan reports it in the sanitizer build. */
#include "votecloud.h"
#include "tap.h"

#include <cairo.h>
#include <malloc.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#ifndef VC_TEST_FONT_DIR
#define VC_TEST_FONT_DIR NULL
#endif

static bool one_render(const char *path)
{
    vc_error err = {0};
    vc_words *words = vc_words_new(&err);
    vc_context *ctx = NULL;
    vc_layout *layout = NULL;
    vc_render_options ro;
    vc_render_options_init(&ro);
    ro.width = 160;
    ro.height = 100;
    ro.font_dir = VC_TEST_FONT_DIR;
    bool ok = words && vc_words_add(words, "prevention", 20, VC_GROUP_WORD, &err) &&
              vc_words_add(words, "hope", 5, VC_GROUP_WORD, &err) &&
              (ctx = vc_context_new(&err)) &&
              (layout = vc_layout_new(ctx, words, &ro, &err)) &&
              vc_layout_write_png(layout, path, &err);
    if (!ok) {
        printf("# %s\n", err.message);
    }
    vc_layout_free(layout);
    vc_context_free(ctx);
    vc_words_free(words);
    return ok;
}

/* The layout is the last thing standing: its words and its context are
 * freed first, then it is drawn in every format, with the legend (whose
 * text is shaped with the context's fonts) and a right-to-left word. */
static bool layout_outlives(const char *dir)
{
    vc_error err = {0};
    vc_words *words = vc_words_new(&err);
    vc_context *ctx = vc_context_new(&err);
    vc_render_options ro;
    vc_render_options_init(&ro);
    ro.width = 480;
    ro.height = 300;
    ro.font_dir = VC_TEST_FONT_DIR;
    ro.legend = true;
    ro.title = "Lifetime";
    vc_layout *layout = NULL;
    bool ok = words && ctx && vc_words_add(words, "prevention", 20, VC_GROUP_CHOSEN, &err) &&
              vc_words_add(words, "\xd8\xb3\xd9\x84\xd8\xa7\xd9\x85", 9, VC_GROUP_SUGGESTED, &err) &&
              vc_words_add(words, "hope", 5, VC_GROUP_CHOSEN, &err) &&
              (layout = vc_layout_new(ctx, words, &ro, &err));
    vc_words_free(words);
    vc_context_free(ctx);
    static const char *const names[] = {"a.png", "a.svg", "a.pdf", "a.json", "a.html"};
    for (size_t i = 0; ok && i < 5; i++) {
        char path[512];
        snprintf(path, sizeof path, "%s/%s", dir, names[i]);
        ok = i < 4 ? vc_layout_write(layout, path, &err) || vc_layout_write_json(layout, path, &err)
                   : vc_layout_write_table(layout, path, &err);
        struct stat st;
        ok = ok && stat(path, &st) == 0 && st.st_size > 100;
    }
    char *alt = ok ? vc_layout_alt_text(layout) : NULL;
    ok = ok && alt && strstr(alt, "prevention");
    if (!ok) {
        printf("# %s\n", err.message);
    }
    free(alt);
    vc_layout_free(layout);
    /* Only now may cairo's caches be emptied: nothing of cairo's is alive. */
    cairo_debug_reset_static_data();
    return ok;
}

/* One finished layout drawn by four threads at once: every thread's PNG,
 * SVG and PDF are the same bytes (the layout is immutable; each renderer
 * keeps its state on its own stack). */
typedef struct drawer {
    const vc_layout *layout;
    char dir[64];
    int id;
    bool ok;
} drawer;

static void *draw_all(void *arg)
{
    drawer *d = arg;
    vc_error err = {0};
    d->ok = true;
    static const char *const ext[] = {"png", "svg", "pdf"};
    for (int round = 0; round < 3; round++) {
        for (int k = 0; k < 3; k++) {
            char path[128];
            snprintf(path, sizeof path, "%s/t%d.%s", d->dir, d->id, ext[k]);
            d->ok = vc_layout_write(d->layout, path, &err) && d->ok;
        }
    }
    return NULL;
}

static bool same_file(const char *a, const char *b)
{
    FILE *fa = fopen(a, "rb"), *fb = fopen(b, "rb");
    bool same = fa && fb;
    while (same) {
        int ca = fgetc(fa), cb = fgetc(fb);
        same = ca == cb;
        if (ca == EOF) {
            break;
        }
    }
    if (fa) {
        fclose(fa);
    }
    if (fb) {
        fclose(fb);
    }
    return same;
}

static void test_threads(void)
{
    vc_error err = {0};
    vc_words *words = vc_words_new(&err);
    vc_context *ctx = vc_context_new(&err);
    vc_render_options ro;
    vc_render_options_init(&ro);
    ro.width = 400;
    ro.height = 260;
    ro.font_dir = VC_TEST_FONT_DIR;
    ro.legend = true;
    vc_layout *layout = NULL;
    bool ok = words && ctx;
    static const char *const w[] = {"prevention", "wellbeing", "together", "hope",
                                    "\xe0\xa6\xac\xe0\xa6\xbe\xe0\xa6\x82\xe0\xa6\xb2\xe0\xa6\xbe"};
    for (int i = 0; ok && i < 5; i++) {
        ok = vc_words_add(words, w[i], 30 - 5 * i, VC_GROUP_WORD, &err);
    }
    ok = ok && (layout = vc_layout_new(ctx, words, &ro, &err));
    vc_context_free(ctx);
    char dir[] = "/tmp/vc-threads-XXXXXX";
    ok = ok && mkdtemp(dir);
    drawer d[4];
    pthread_t th[4];
    for (int i = 0; ok && i < 4; i++) {
        d[i] = (drawer){layout, "", i, false};
        snprintf(d[i].dir, sizeof d[i].dir, "%s", dir);
        ok = pthread_create(&th[i], NULL, draw_all, &d[i]) == 0;
    }
    bool drawn = ok;
    for (int i = 0; ok && i < 4; i++) {
        pthread_join(th[i], NULL);
        drawn = drawn && d[i].ok;
    }
    TAP_OK(ok && drawn, "four threads draw one layout (context already freed): %s",
           err.message[0] ? err.message : "all written");
    bool same = drawn;
    static const char *const ext[] = {"png", "svg", "pdf"};
    for (int k = 0; k < 3; k++) {
        for (int i = 1; same && i < 4; i++) {
            char a[128], b[128];
            snprintf(a, sizeof a, "%s/t0.%s", dir, ext[k]);
            snprintf(b, sizeof b, "%s/t%d.%s", dir, i, ext[k]);
            same = same_file(a, b);
            if (!same) {
                printf("# %s and %s differ\n", a, b);
            }
        }
    }
    TAP_OK(same, "... and every thread's PNG, SVG and PDF are the same bytes");
    for (int k = 0; k < 3; k++) {
        for (int i = 0; i < 4; i++) {
            char a[128];
            snprintf(a, sizeof a, "%s/t%d.%s", dir, i, ext[k]);
            unlink(a);
        }
    }
    rmdir(dir);
    vc_timings t;
    vc_layout_timings(layout, &t);
    TAP_OK(t.draw > 0 && t.encode > 0, "draw and encode time add up across threads");
    vc_layout_free(layout);
    vc_words_free(words);
}

int main(void)
{
    mallopt(M_PERTURB, 0xA5);
    char path[] = "/tmp/vc-lifetime-XXXXXX.png";
    int fd = mkstemps(path, 4);
    if (fd >= 0) {
        close(fd);
    }
    fflush(stdout);
    /* In a child, so a crash is a failed assertion, not a lost test. */
    pid_t pid = fork();
    if (pid == 0) {
        bool ok = true;
        for (int i = 0; i < 3; i++) {
            ok = one_render(path) && ok;
            cairo_debug_reset_static_data();
        }
        _exit(ok ? 0 : 1);
    }
    int status = 0;
    waitpid(pid, &status, 0);
    TAP_OK(!WIFSIGNALED(status),
           "render, free the context, let cairo drop its faces: no crash (signal %d)",
           WIFSIGNALED(status) ? WTERMSIG(status) : 0);
    TAP_OK(WIFEXITED(status) && WEXITSTATUS(status) == 0, "three renders worked");
    unlink(path);

    char dir[] = "/tmp/vc-outlives-XXXXXX";
    if (!mkdtemp(dir)) {
        TAP_OK(0, "mkdtemp");
        return tap_done();
    }
    fflush(stdout);
    pid = fork();
    if (pid == 0) {
        _exit(layout_outlives(dir) ? 0 : 1);
    }
    waitpid(pid, &status, 0);
    TAP_OK(WIFEXITED(status) && WEXITSTATUS(status) == 0,
           "words and context freed first: the layout still writes PNG, SVG, PDF, "
           "JSON, its table and alt text, legend on (status %d, signal %d)",
           WIFEXITED(status) ? WEXITSTATUS(status) : -1,
           WIFSIGNALED(status) ? WTERMSIG(status) : 0);
    static const char *const names[] = {"a.png", "a.svg", "a.pdf", "a.json", "a.html"};
    for (size_t i = 0; i < 5; i++) {
        char p[600];
        snprintf(p, sizeof p, "%s/%s", dir, names[i]);
        unlink(p);
    }
    rmdir(dir);
    test_threads();
    return tap_done();
}
