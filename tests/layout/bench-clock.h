/* bench-clock.h - seconds on a clock (wall or CPU), for the layout bench
 * programs (bench-raster, bench-shape), which time both. */
#ifndef VC_BENCH_CLOCK_H
#define VC_BENCH_CLOCK_H

#include <time.h>

static inline double bench_now(clockid_t clock)
{
    struct timespec ts;
    clock_gettime(clock, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

#endif
