/* test-allocfail.c - fails the Nth allocation, for every N, through a whole
 * in-process pipeline (survey buffer -> vc_words -> vc_context -> layout ->
 * PNG, SVG and JSON files), like SQLite's malloc tests.  Every failing run
 * must end with a non-OK status and a message, free everything the engine
 * allocated, and leave no output or temporary file behind.
 *
 * malloc, calloc, realloc, posix_memalign, aligned_alloc, strdup and strndup
 * are defined here, so they interpose on every caller in the process, and
 * forward to the next definition (glibc's, or ASan's in the sanitizer
 * build, which keeps leak checking).  By default only allocations whose
 * caller is in this executable (the statically linked engine) are failed,
 * except those the engine makes for FreeType (see from_engine):
 * FreeType, fontconfig, cairo, HarfBuzz and libpng allocate internally and
 * some of them abort or leak on a failed malloc, which is not ours to fix.
 * VC_ALLOCFAIL_SCOPE=all fails every caller's allocations instead, to look.
 *
 * Three sweeps.  The first runs the engine on one thread (render option
 * threads = 1), where the Nth allocation is always the same call: it must
 * fail each of exactly as many allocations as a clean run makes, no more.
 * The second runs it with its helper thread (the rasteriser that works
 * ahead of placement), whose error paths the first never reaches; there
 * the timing of the two threads decides how many raster faces and glyph
 * caches get made, so "the Nth" is not always the same call and a run may
 * make a few more allocations than the clean one.  The third is the second
 * with jitter: a thread pauses after about half the engine's allocations
 * in vc_layout_new, so the threads meet in orders their usual timing
 * rarely gives: that is how a sprite freed by the placer while the
 * rasteriser was still making it (place.c) showed up in every run instead
 * of once in some dozen.  Every run of every sweep
 * still gets exactly one failure and must handle it.  A run that shows a
 * problem prints the N to rerun it with (VC_ALLOCFAIL_ONLY, with
 * VC_ALLOCFAIL_THREADS and VC_ALLOCFAIL_PAUSE=1 for the sweep). */
#define _GNU_SOURCE
#include "votecloud.h"
#include "tap.h"

#include <cairo.h>
#include <dirent.h>
#include <dlfcn.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#ifndef VC_TEST_FONT_DIR
#define VC_TEST_FONT_DIR NULL
#endif

/* ---- the interposer ----------------------------------------------------- */

/* The interposer runs while libasan itself starts, before its shadow
 * memory exists: it must not be instrumented. */
#if defined(__clang__)
#define NOSAN __attribute__((no_sanitize("address", "undefined")))
#else
#define NOSAN __attribute__((no_sanitize_address, no_sanitize_undefined))
#endif

extern char __executable_start[];
extern char etext[];

static void *(*real_malloc)(size_t);
static void *(*real_calloc)(size_t, size_t);
static void *(*real_realloc)(void *, size_t);
static void (*real_free)(void *);
static int (*real_posix_memalign)(void **, size_t, size_t);
static void *(*real_aligned_alloc)(size_t, size_t);

/* dlsym, and the dynamic loader while libasan starts (before this
 * executable is relocated), allocate before the real functions are known. */
static _Alignas(16) char boot_arena[1 << 18];
static size_t boot_used;
static int resolving;

static bool armed;          /* counting allocations of the pipeline */
static bool scope_all;      /* fail every caller, not just the engine */
static bool jitter;         /* threads pause after some allocations */
static unsigned long count; /* allocations counted since arming */
static unsigned long fail_at; /* 0: never */
static unsigned long injected;
static const void *injected_caller; /* who got the failure */

/* Blocks the engine allocated while armed and has not freed yet. */
#define LIVE_CAP (1u << 16)
static void *live[LIVE_CAP];
static const void *live_caller[LIVE_CAP]; /* for VC_ALLOCFAIL_ONLY reports */
static size_t n_live;

/* Under AddressSanitizer the real allocator is ASan's: clang links its
 * runtime into the executable (where our definitions replace its weak
 * malloc), gcc loads libasan.so first.  Both export __interceptor_*. */
extern void *__interceptor_malloc(size_t) __attribute__((weak));
extern void *__interceptor_calloc(size_t, size_t) __attribute__((weak));
extern void *__interceptor_realloc(void *, size_t) __attribute__((weak));
extern void __interceptor_free(void *) __attribute__((weak));
extern int __interceptor_posix_memalign(void **, size_t, size_t) __attribute__((weak));
extern void *__interceptor_aligned_alloc(size_t, size_t) __attribute__((weak));

/* Set once this executable's relocations are done: before that even the
 * address of a weak symbol cannot be read. */
static volatile bool relocated;

NOSAN static void mark_relocated(void)
{
    relocated = true;
}

/* preinit: after relocation, before any library's constructor allocates. */
__attribute__((section(".preinit_array"), used)) static void (*const
    mark_relocated_entry)(void) = mark_relocated;

NOSAN static void resolve(void)
{
    if (real_malloc || resolving || !relocated) {
        return;
    }
    if (__interceptor_malloc && __interceptor_free) {
        real_calloc = __interceptor_calloc;
        real_realloc = __interceptor_realloc;
        real_free = __interceptor_free;
        real_posix_memalign = __interceptor_posix_memalign;
        real_aligned_alloc = __interceptor_aligned_alloc;
        real_malloc = __interceptor_malloc;
        return;
    }
    resolving = 1;
    real_malloc = (void *(*)(size_t))dlsym(RTLD_NEXT, "malloc");
    real_calloc = (void *(*)(size_t, size_t))dlsym(RTLD_NEXT, "calloc");
    real_realloc = (void *(*)(void *, size_t))dlsym(RTLD_NEXT, "realloc");
    real_free = (void (*)(void *))dlsym(RTLD_NEXT, "free");
    real_posix_memalign =
        (int (*)(void **, size_t, size_t))dlsym(RTLD_NEXT, "posix_memalign");
    real_aligned_alloc =
        (void *(*)(size_t, size_t))dlsym(RTLD_NEXT, "aligned_alloc");
    resolving = 0;
}

NOSAN static void *boot_alloc(size_t n)
{
    n = (n + 15) & ~(size_t)15;
    if (boot_used + n > sizeof boot_arena) {
        return NULL;
    }
    void *p = boot_arena + boot_used;
    boot_used += n;
    return p;
}

NOSAN static bool in_boot(const void *p)
{
    return (const char *)p >= boot_arena &&
           (const char *)p < boot_arena + sizeof boot_arena;
}

/* FreeType's allocation functions (src/layout/font.c): FreeType allocates through
 * them on behalf of cairo, and cairo 1.16 asserts when that fails while it
 * draws a glyph, so they count as third-party. */
extern char __start_vc_ft_memory[];
extern char __stop_vc_ft_memory[];

NOSAN static bool from_engine(const void *caller)
{
    const char *c = caller;
    if (c >= __start_vc_ft_memory && c < __stop_vc_ft_memory) {
        return false;
    }
    return c >= __executable_start && c < etext;
}

/* The engine allocates from helper threads too (raster look-ahead, PNG
 * deflate workers): counting and the live set are guarded. */
static volatile char guard;

NOSAN static void lock(void)
{
    while (__atomic_test_and_set(&guard, __ATOMIC_ACQUIRE)) {
    }
}

NOSAN static void unlock(void)
{
    __atomic_clear(&guard, __ATOMIC_RELEASE);
}

/* Slot i of the live set holds a block (not empty, not a tombstone). */
static bool slot_live(size_t i)
{
    return live[i] && live[i] != (void *)1;
}

NOSAN static size_t live_slot(const void *p)
{
    uintptr_t h = (uintptr_t)p;
    h ^= h >> 17;
    h *= 0x9E3779B97F4A7C15ull;
    return (size_t)(h >> 40) & (LIVE_CAP - 1);
}

/* Jitter: after about half of the engine's allocations (a fixed pattern
 * of their order, so a run can be repeated) the thread that made it
 * pauses, long enough for the other thread to run on, so the two meet in
 * orders their usual timing rarely gives: one thread freeing a block the
 * other has just made and is still filling in, say.  Only in
 * vc_layout_new, where the rasteriser thread runs: elsewhere a pause
 * would only cost time. */
static unsigned long jitter_n;
static volatile bool in_layout; /* the rasteriser thread runs only there */

NOSAN static void jitter_pause(void)
{
    if (!jitter || !in_layout) {
        return;
    }
    uint64_t h = __atomic_add_fetch(&jitter_n, 1, __ATOMIC_RELAXED) * 0x9E3779B97F4A7C15ull;
    if ((h >> 63) != 0) {
        struct timespec ts = {0, 20000};
        nanosleep(&ts, NULL);
    }
}

/* Tracks a block the engine got (and, with jitter, may pause right after:
 * the window in which another thread may free what it is still filling
 * in). */
NOSAN static void live_add(void *p, const void *caller)
{
    jitter_pause();
    lock();
    if (!p || n_live >= LIVE_CAP / 2) {
        unlock();
        return;
    }
    size_t i = live_slot(p);
    while (live[i] && live[i] != (void *)1) {
        i = (i + 1) & (LIVE_CAP - 1);
    }
    live[i] = p;
    live_caller[i] = caller;
    n_live++;
    unlock();
}

NOSAN static void live_remove(void *p)
{
    if (!p) {
        return;
    }
    lock();
    size_t i = live_slot(p);
    while (n_live > 0 && live[i]) {
        if (live[i] == p) {
            live[i] = (void *)1; /* tombstone */
            n_live--;
            break;
        }
        i = (i + 1) & (LIVE_CAP - 1);
    }
    unlock();
}

/* A place for a debugger: break here to see who gets the failure. */
NOSAN __attribute__((noinline)) static void injection_point(void)
{
    __asm__ volatile("");
}

/* Decides whether this allocation fails; counts it when armed. */
NOSAN static bool should_fail(const void *caller, bool *track)
{
    *track = false;
    if (!armed) {
        return false;
    }
    bool ours = from_engine(caller);
    *track = ours;
    if (!ours && !scope_all) {
        return false;
    }
    unsigned long nth = __atomic_add_fetch(&count, 1, __ATOMIC_RELAXED);
    if (fail_at && nth == fail_at) {
        __atomic_add_fetch(&injected, 1, __ATOMIC_RELAXED);
        injected_caller = caller;
        injection_point();
        return true;
    }
    return false;
}

NOSAN static void *alloc_common(size_t n, const void *caller)
{
    resolve();
    if (!real_malloc) {
        return boot_alloc(n);
    }
    bool track;
    if (should_fail(caller, &track)) {
        errno = ENOMEM;
        return NULL;
    }
    void *p = real_malloc(n);
    if (track) {
        live_add(p, caller);
    }
    return p;
}

NOSAN void *malloc(size_t n)
{
    return alloc_common(n, __builtin_return_address(0));
}

NOSAN void *calloc(size_t a, size_t b)
{
    resolve();
    if (!real_calloc) {
        return boot_alloc(a * b); /* zeroed: static storage */
    }
    bool track;
    if (should_fail(__builtin_return_address(0), &track)) {
        errno = ENOMEM;
        return NULL;
    }
    void *p = real_calloc(a, b);
    if (track) {
        live_add(p, __builtin_return_address(0));
    }
    return p;
}

NOSAN void *realloc(void *old, size_t n)
{
    resolve();
    if (in_boot(old)) {
        void *p = malloc(n);
        size_t avail = (size_t)(boot_arena + sizeof boot_arena - (char *)old);
        if (p) {
            memcpy(p, old, n < avail ? n : avail);
        }
        return p;
    }
    if (!real_realloc) {
        void *p = boot_alloc(n);
        if (p && old) {
            memcpy(p, old, n);
        }
        return p;
    }
    bool track;
    if (should_fail(__builtin_return_address(0), &track)) {
        errno = ENOMEM;
        return NULL;
    }
    void *p = real_realloc(old, n);
    if (p) {
        live_remove(old);
        if (track) {
            live_add(p, __builtin_return_address(0));
        }
    }
    return p;
}

NOSAN void free(void *p)
{
    if (!p || in_boot(p)) {
        return;
    }
    resolve();
    live_remove(p);
    real_free(p);
}

NOSAN int posix_memalign(void **out, size_t align, size_t n)
{
    resolve();
    if (!real_posix_memalign) {
        *out = align <= 16 ? boot_alloc(n) : NULL;
        return *out ? 0 : ENOMEM;
    }
    bool track;
    if (should_fail(__builtin_return_address(0), &track)) {
        return ENOMEM;
    }
    int rc = real_posix_memalign(out, align, n);
    if (rc == 0 && track) {
        live_add(*out, __builtin_return_address(0));
    }
    return rc;
}

NOSAN void *aligned_alloc(size_t align, size_t n)
{
    resolve();
    if (!real_aligned_alloc) {
        return align <= 16 ? boot_alloc(n) : NULL;
    }
    bool track;
    if (should_fail(__builtin_return_address(0), &track)) {
        errno = ENOMEM;
        return NULL;
    }
    void *p = real_aligned_alloc(align, n);
    if (track) {
        live_add(p, __builtin_return_address(0));
    }
    return p;
}

NOSAN char *strdup(const char *s)
{
    size_t n = strlen(s) + 1;
    char *p = alloc_common(n, __builtin_return_address(0));
    if (p) {
        memcpy(p, s, n);
    }
    return p;
}

NOSAN char *strndup(const char *s, size_t max)
{
    size_t n = strnlen(s, max);
    char *p = alloc_common(n + 1, __builtin_return_address(0));
    if (p) {
        memcpy(p, s, n);
        p[n] = '\0';
    }
    return p;
}

/* ---- the pipeline ------------------------------------------------------- */

static const char survey[] =
    "\xEF\xBB\xBFTimestamp,Word 1,Word 2,Other\r\n"
    "1,Prevention,Wellbeing,\"kindness, hope\"\r\n"
    "2,prevention,Well-being,\"Person centred\"\r\n"
    "3,Kindness,Prevention,\r\n"
    "4,Hope,\"think big\",\"prevension; fairness\"\r\n";

typedef struct outcome {
    vc_status status;
    char message[VC_ERROR_MESSAGE_MAX];
    bool wrote[3]; /* png, svg, json writers returned true */
} outcome;

static const char *const out_names[3] = {"out.png", "out.svg", "out.json"};

static void run_pipeline(const char *dir, int threads, outcome *out)
{
    vc_error err = {0};
    vc_count_options co;
    vc_words *words = NULL;
    vc_context *ctx = NULL;
    vc_layout *layout = NULL;
    char path[3][4096];
    memset(out, 0, sizeof *out);
    for (int i = 0; i < 3; i++) {
        snprintf(path[i], sizeof path[i], "%s/%s", dir, out_names[i]);
    }
    vc_count_options_init(&co);
    co.format = VC_FORMAT_SURVEY;
    co.columns = "Word 1,Word 2";
    co.free_text_columns = "Other";
    vc_counter *counter = vc_counter_new(&co, &err);
    if (!counter || !vc_counter_add_buffer(counter, "survey.csv", survey,
                                           sizeof survey - 1, &err)) {
        goto done;
    }
    if (!(words = vc_counter_words(counter, NULL, &err))) {
        goto done;
    }
    if (!(ctx = vc_context_new(&err))) {
        goto done;
    }
    vc_render_options ro;
    vc_render_options_init(&ro);
    ro.width = 160;
    ro.height = 100;
    ro.font_dir = VC_TEST_FONT_DIR;
    ro.threads = threads;
    ro.title = "Allocation <failure> & \"test\"";
    in_layout = true;
    layout = vc_layout_new(ctx, words, &ro, &err);
    in_layout = false;
    if (!layout) {
        goto done;
    }
    char *alt = vc_layout_alt_text(layout);
    free(alt);
    out->wrote[0] = vc_layout_write_png(layout, path[0], &err);
    if (out->wrote[0]) {
        out->wrote[1] = vc_layout_write_svg(layout, path[1], &err);
    }
    if (out->wrote[1]) {
        out->wrote[2] = vc_layout_write_json(layout, path[2], &err);
    }
done:
    vc_layout_free(layout);
    vc_context_free(ctx);
    vc_words_free(words);
    vc_counter_free(counter);
    out->status = err.status;
    memcpy(out->message, err.message, sizeof out->message);
}

/* The outputs of the run without failures, to compare tolerated runs. */
static char *reference[3];
static size_t reference_len[3];

static char *read_all(const char *path, size_t *len)
{
    FILE *fp = fopen(path, "rb");
    if (!fp) {
        return NULL;
    }
    char *buf = NULL;
    size_t cap = 0, n = 0, k;
    char chunk[65536];
    while ((k = fread(chunk, 1, sizeof chunk, fp)) > 0) {
        if (n + k > cap) {
            cap = (n + k) * 2;
            char *p = real_realloc(buf, cap);
            if (!p) {
                break;
            }
            buf = p;
        }
        memcpy(buf + n, chunk, k);
        n += k;
    }
    fclose(fp);
    *len = n;
    return buf;
}

/* True when the outputs equal the reference (all three written). */
static bool same_as_reference(const char *dir)
{
    for (int i = 0; i < 3; i++) {
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", dir, out_names[i]);
        size_t len = 0;
        char *got = read_all(path, &len);
        bool same = got && reference[i] && len == reference_len[i] &&
                    memcmp(got, reference[i], len) == 0;
        real_free(got);
        if (!same) {
            return false;
        }
    }
    return true;
}

/* Removes the outputs; returns the names of stray files (temporaries)
 * found, or an empty string. */
static void check_dir(const char *dir, const outcome *o, char *stray,
                      size_t stray_len, bool *missing)
{
    stray[0] = '\0';
    *missing = false;
    for (int i = 0; i < 3; i++) {
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", dir, out_names[i]);
        bool exists = access(path, F_OK) == 0;
        if (o->wrote[i] != exists) {
            *missing = *missing || o->wrote[i];
            if (!o->wrote[i]) {
                strncat(stray, out_names[i], stray_len - strlen(stray) - 2);
                strcat(stray, " ");
            }
        }
        unlink(path);
    }
    DIR *d = opendir(dir);
    struct dirent *e;
    while (d && (e = readdir(d)) != NULL) {
        if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..")) {
            strncat(stray, e->d_name, stray_len - strlen(stray) - 2);
            strcat(stray, " ");
            char path[4096];
            snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
            unlink(path);
        }
    }
    if (d) {
        closedir(d);
    }
}

/* What one run with the Nth allocation failed reports to the parent. */
typedef struct result {
    unsigned long count, injected;
    outcome o;
    size_t live;      /* engine blocks not freed */
    int lsan_leaks;   /* LeakSanitizer found leaks (ASan build) */
    unsigned long caller; /* offset of the failed call, for addr2line -e */
    unsigned long leaker; /* offset of the call that made a block not freed */
} result;

/* The offset in this executable of `caller`, for addr2line -e. */
static unsigned long offset_of(const void *caller)
{
    return caller ? (unsigned long)((const char *)caller - __executable_start) : 0;
}

/* Who made one of the blocks still live (the first found), or NULL. */
static const void *a_live_caller(void)
{
    for (size_t i = 0; i < LIVE_CAP; i++) {
        if (slot_live(i)) {
            return live_caller[i];
        }
    }
    return NULL;
}

/* In the ASan build: leaks of this run only, without exiting. */
extern int __lsan_do_recoverable_leak_check(void) __attribute__((weak));

/* Each run is a child process, so a crash at one N is reported with its N
 * and the other Ns still run. */
static bool run_child(const char *dir, int threads, unsigned long n, result *r,
                      int *signal_out)
{
    int fds[2];
    memset(r, 0, sizeof *r);
    *signal_out = 0;
    if (pipe(fds) != 0) {
        return false;
    }
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        close(fds[0]);
        /* The parent never arms, so the live set starts empty: clearing
         * it would copy its pages into every child. */
        count = 0;
        injected = 0;
        fail_at = n;
        armed = true;
        run_pipeline(dir, threads, &r->o);
        armed = false;
        cairo_debug_reset_static_data();
        r->count = count;
        r->injected = injected;
        r->live = n_live;
        r->caller = offset_of(injected_caller);
        r->leaker = n_live ? offset_of(a_live_caller()) : 0;
        if (__lsan_do_recoverable_leak_check) {
            r->lsan_leaks = __lsan_do_recoverable_leak_check();
        }
        ssize_t w = write(fds[1], r, sizeof *r);
        _exit(w == (ssize_t)sizeof *r ? 0 : 1);
    }
    close(fds[1]);
    if (pid < 0) {
        close(fds[0]);
        return false;
    }
    size_t got = 0;
    while (got < sizeof *r) {
        ssize_t k = read(fds[0], (char *)r + got, sizeof *r - got);
        if (k <= 0) {
            break;
        }
        got += (size_t)k;
    }
    close(fds[0]);
    int wstatus = 0;
    waitpid(pid, &wstatus, 0);
    if (WIFSIGNALED(wstatus)) {
        *signal_out = WTERMSIG(wstatus);
    } else if (got != sizeof *r || WEXITSTATUS(wstatus) != 0) {
        *signal_out = -1; /* died without reporting (e.g. ASan abort) */
    }
    return true;
}

/* VC_ALLOCFAIL_ONLY=N: fails only the Nth, in this process (for gdb), and
 * names the callers of the blocks left. */
static void run_only(const char *dir, int threads, unsigned long n)
{
    outcome o;
    fail_at = n;
    armed = true;
    run_pipeline(dir, threads, &o);
    armed = false;
    cairo_debug_reset_static_data();
    printf("# N=%lu (threads %d): status %d: %s\n", fail_at, threads, o.status, o.message);
    /* The outputs go, so the directory can be removed after the run. */
    char stray[512];
    bool missing;
    check_dir(dir, &o, stray, sizeof stray, &missing);
    if (stray[0] || missing) {
        printf("# files: %s%s\n", missing ? "an output said written is missing; " : "",
               stray[0] ? stray : "");
    }
    for (size_t i = 0; i < LIVE_CAP; i++) {
        Dl_info info;
        if (slot_live(i) && dladdr(live_caller[i], &info) && info.dli_sname) {
            printf("# not freed: a block from %s\n", info.dli_sname);
        } else if (slot_live(i)) {
            /* Static functions: print the offset for addr2line -e. */
            printf("# not freed: a block from +0x%lx\n", offset_of(live_caller[i]));
        }
    }
}

/* What a sweep found, run by run. */
typedef struct tally {
    unsigned long crashes, bad_status, leaked, stray, tolerated;
    unsigned long most; /* the most allocations a run made */
} tally;

/* How one run with the Nth allocation failed went. */
typedef enum run_kind {
    RUN_INJECTED, /* the Nth allocation was failed */
    RUN_CLEAN,    /* the run made fewer than N allocations */
    RUN_NO_FORK,
} run_kind;

/* Runs the pipeline with the Nth allocation failed and checks it. */
static run_kind check_run(const char *dir, int threads, unsigned long n, tally *t)
{
    result r;
    int sig;
    char stray[1024];
    bool missing;
    if (!run_child(dir, threads, n, &r, &sig)) {
        TAP_OK(0, "fork for N=%lu", n);
        return RUN_NO_FORK;
    }
    bool tolerated = sig == 0 && r.injected && r.o.status == VC_OK;
    bool same = tolerated && same_as_reference(dir);
    check_dir(dir, &r.o, stray, sizeof stray, &missing);
    if (sig != 0) {
        if (++t->crashes <= 10) {
            printf("# N=%lu: the run crashed (signal %d)\n", n, sig);
        }
        return RUN_INJECTED;
    }
    t->most = r.count > t->most ? r.count : t->most;
    if (r.injected == 0) {
        /* Past this run's last allocation: it must be a clean run. */
        if (r.o.status != VC_OK || r.live != 0 || r.lsan_leaks || stray[0] || missing) {
            t->bad_status++;
            printf("# N=%lu: no failure injected, yet the run did not work: status %d: %s; "
                   "%zu blocks not freed; files left: '%s'\n", n, r.o.status, r.o.message,
                   r.live, stray);
        }
        return RUN_CLEAN;
    }
    if (r.o.status == VC_OK) {
        /* The engine tolerated the failure (an optional cache, say):
         * then every output must be there. */
        t->tolerated++;
        if (!(r.o.wrote[0] && r.o.wrote[1] && r.o.wrote[2])) {
            t->bad_status++;
            printf("# N=%lu: OK status but outputs missing\n", n);
        } else if (!same && ++t->bad_status <= 10) {
            printf("# N=%lu: OK status but the outputs differ from a run "
                   "without failures (failed call at +0x%lx)\n", n, r.caller);
        }
    } else if (r.o.message[0] == '\0') {
        t->bad_status++;
        printf("# N=%lu: status %d with an empty message\n", n, r.o.status);
    }
    if ((r.live != 0 || r.lsan_leaks) && ++t->leaked <= 10) {
        printf("# N=%lu: %zu engine blocks not freed%s (%s; failed call at +0x%lx, "
               "a block not freed made at +0x%lx)\n", n, r.live,
               r.lsan_leaks ? ", LeakSanitizer found leaks" : "", r.o.message, r.caller,
               r.leaker);
    }
    if ((stray[0] || missing) && ++t->stray <= 10) {
        printf("# N=%lu: files left: '%s'%s (%s)\n", n, stray,
               missing ? ", a reported output is missing" : "", r.o.message);
    }
    return RUN_INJECTED;
}

/* Fails each allocation of the pipeline in turn on `threads` threads.
 * One thread: every run makes exactly the clean run's `total`, so each N
 * up to it must inject and the sweep must end at total + 1.  More: a run
 * may make a few more allocations than the clean one or a few fewer, so
 * the sweep goes on until a run injects nothing at an N past every count
 * seen; twice the total only stops a runaway loop. */
static void sweep(const char *dir, int threads, bool paused)
{
    result r;
    int sig;
    char stray[1024];
    bool missing;
    jitter = paused;
    printf("# sweep on %d thread%s%s\n", threads, threads == 1 ? "" : "s",
           paused ? ", pausing after half the allocations" : "");
    run_child(dir, threads, 0, &r, &sig);
    unsigned long total = r.count;
    TAP_OK(sig == 0, "threads %d: pipeline without failures does not crash (signal %d)",
           threads, sig);
    TAP_OK(r.o.status == VC_OK, "threads %d: pipeline without failures works: %s", threads,
           r.o.message);
    TAP_OK(r.o.wrote[0] && r.o.wrote[1] && r.o.wrote[2], "threads %d: all three outputs written",
           threads);
    for (int i = 0; i < 3; i++) {
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", dir, out_names[i]);
        real_free(reference[i]);
        reference[i] = read_all(path, &reference_len[i]);
    }
    check_dir(dir, &r.o, stray, sizeof stray, &missing);
    TAP_OK(!missing && stray[0] == '\0', "threads %d: only the outputs in the folder: '%s'",
           threads, stray);
    TAP_OK(r.live == 0 && r.lsan_leaks == 0, "threads %d: no leak without failures (%zu blocks)",
           threads, r.live);
    TAP_OK(total > 0, "threads %d: %lu allocations counted", threads, total);
    if (total == 0 || r.o.status != VC_OK) {
        return;
    }
    tally t = {0};
    unsigned long limit = 2 * total, n, clean_before = 0;
    run_kind kind = RUN_INJECTED;
    for (n = 1; n <= limit; n++) {
        kind = check_run(dir, threads, n, &t);
        if (kind == RUN_NO_FORK || (kind == RUN_CLEAN && n > total && n > t.most)) {
            break;
        }
        clean_before += kind == RUN_CLEAN;
    }
    if (threads == 1) {
        TAP_OK(kind == RUN_CLEAN && n == total + 1 && clean_before == 0,
               "threads 1: failed each of the %lu allocations in turn, and no more "
               "(stopped at N=%lu; %lu runs before it made fewer)", total, n, clean_before);
    } else {
        /* A run may make more allocations than the clean run, or fewer: the
         * sweep goes on past every count it has seen. */
        TAP_OK(kind == RUN_CLEAN, "threads %d: failed each allocation in turn (%lu in a "
               "clean run, at most %lu in one run; stopped at N=%lu; %lu runs made fewer "
               "than their N)", threads, total, t.most, n, clean_before);
    }
    TAP_OK(t.crashes == 0, "threads %d: no run crashed (%lu did)", threads, t.crashes);
    TAP_OK(t.bad_status == 0, "threads %d: every failing run returned an error with a "
           "message (%lu bad)", threads, t.bad_status);
    TAP_OK(t.leaked == 0, "threads %d: no failing run leaked (%lu leaked)", threads, t.leaked);
    TAP_OK(t.stray == 0, "threads %d: no failing run left a file behind (%lu did)", threads,
           t.stray);
    printf("# threads %d: %lu runs tolerated the failure and still produced every output\n",
           threads, t.tolerated);
}

int main(void)
{
    const char *scope = getenv("VC_ALLOCFAIL_SCOPE");
    scope_all = scope && strcmp(scope, "all") == 0;
    setvbuf(stdout, NULL, _IOLBF, 0);
    /* tmpfs when there is one: each run fsyncs three files. */
    char dir[64];
    snprintf(dir, sizeof dir, "%s/vc-allocfail-XXXXXX",
             access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp");
    if (!mkdtemp(dir)) {
        TAP_OK(0, "mkdtemp");
        return tap_done();
    }
    printf("# scope: %s\n", scope_all ? "every caller" : "engine callers only");
    const char *only = getenv("VC_ALLOCFAIL_ONLY");
    const char *threads = getenv("VC_ALLOCFAIL_THREADS");
    if (only) {
        jitter = getenv("VC_ALLOCFAIL_PAUSE") != NULL;
        run_only(dir, threads ? atoi(threads) : 2, strtoul(only, NULL, 10));
    } else {
        sweep(dir, 1, false);
        sweep(dir, 2, false);
        sweep(dir, 2, true);
    }
    rmdir(dir);
    return only ? 0 : tap_done();
}
