// Counts malloc calls; run.py preloads it (LD_PRELOAD) into descent running a workload for 10
// and for 210 steps: equal counts mean a step allocates nothing once the loop is running.
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>

static void *(*real_malloc)(size_t);
static long calls;

void *malloc(size_t size) {
    if (!real_malloc) real_malloc = (void *(*)(size_t))dlsym(RTLD_NEXT, "malloc");
    calls++;
    return real_malloc(size);
}

__attribute__((destructor)) static void report(void) { fprintf(stderr, "malloc calls: %ld\n", calls); }
