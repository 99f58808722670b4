/* cairo-lib.c - cairo opened with dlopen on first use (cairo-lib.h says
 * why).
 *
 * The table is the one thing in the library shared by the whole process:
 * which cairo is loaded is a fact about the process, as the dynamic
 * linker's own list is.  It is written once, under the lock, before
 * `loaded` says so, and only read after. */
#define VC_CAIRO_LIB_IMPL
#include "layout/cairo-lib.h"

#include <dlfcn.h>
#include <pthread.h>
#include <stdatomic.h>
#include <string.h>

/* The soname that every cairo 1.x installs. */
#define CAIRO_SONAME "libcairo.so.2"

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static atomic_bool loaded;
static vc_cairo_lib lib;

/* Looks up every function in `h`; the name of the first one missing, or
 * NULL. */
static const char *resolve(void *h, vc_cairo_lib *t)
{
#define VC_CAIRO_RESOLVE(name)                                                           \
    {                                                                                    \
        void *p = dlsym(h, #name);                                                       \
        if (!p) {                                                                        \
            return #name;                                                                \
        }                                                                                \
        memcpy(&t->name, &p, sizeof p);                                                  \
    }
    VC_CAIRO_FUNCTIONS(VC_CAIRO_RESOLVE)
#undef VC_CAIRO_RESOLVE
    return NULL;
}

/* Under the lock. */
static bool load(vc_error *err)
{
    dlerror();
    void *h = dlopen(CAIRO_SONAME, RTLD_NOW | RTLD_LOCAL);
    if (!h) {
        const char *why = dlerror();
        why = why ? why : "unknown reason";
        /* dlopen says so when the dynamic linker ran out of memory. */
        vc_status status = strstr(why, "memory") ? VC_ERR_NOMEM : VC_ERR_SOFTWARE;
        return vc_fail(err, status, "cannot load cairo (needed for PDF, charts and some fonts): %s",
                       why);
    }
    vc_cairo_lib t;
    const char *missing = resolve(h, &t);
    if (missing) {
        dlclose(h);
        return vc_fail(err, VC_ERR_SOFTWARE,
                       "cannot use cairo (needed for PDF, charts and some fonts): the %s found "
                       "has no %s; cairo 1.16 or later is needed",
                       CAIRO_SONAME, missing);
    }
    /* Never closed: cairo keeps fonts and caches for the process's life. */
    lib = t;
    atomic_store_explicit(&loaded, true, memory_order_release);
    return true;
}

bool vc_cairo_require(vc_error *err)
{
    if (atomic_load_explicit(&loaded, memory_order_acquire)) {
        return true;
    }
    pthread_mutex_lock(&lock);
    bool ok = atomic_load_explicit(&loaded, memory_order_relaxed) || load(err);
    pthread_mutex_unlock(&lock);
    return ok;
}

const vc_cairo_lib *vc_cairo_lib_get(void)
{
    return &lib;
}
