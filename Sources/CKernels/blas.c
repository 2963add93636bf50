// OpenBLAS through dlopen, on first use. The library is the same one the linker would have
// bound (libopenblas.so.0, Debian's libopenblas0), its functions are looked up once, and
// the thread count asked for before loading is applied when it loads.
#include "blas.h"
#include <dlfcn.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stddef.h>

enum { ROW_MAJOR = 101, NO_TRANS = 111, TRANS = 112 };  // CBLAS_ORDER, CBLAS_TRANSPOSE

typedef void (*dgemm_function)(int, int, int, int, int, int, double, const double *, int,
                               const double *, int, double, double *, int);

static dgemm_function dgemm;
static void (*set_threads)(int);
static int (*get_threads)(void);
static pthread_once_t load_once = PTHREAD_ONCE_INIT;
static atomic_int loaded;           // 1 once dgemm is bound
static atomic_int wanted_threads = 1;

static void load(void) {
    const char *names[] = {"libopenblas.so.0", "libopenblas.so", "libopenblas.dylib"};
    void *library = NULL;
    for (size_t i = 0; i < sizeof names / sizeof *names && !library; i++) {
        library = dlopen(names[i], RTLD_NOW | RTLD_LOCAL);
    }
    if (!library) return;
    dgemm = (dgemm_function)dlsym(library, "cblas_dgemm");
    set_threads = (void (*)(int))dlsym(library, "openblas_set_num_threads");
    get_threads = (int (*)(void))dlsym(library, "openblas_get_num_threads");
    if (!dgemm) return;
    if (set_threads) set_threads(atomic_load(&wanted_threads));
    atomic_store(&loaded, 1);
}

int descent_blas_available(void) {
    if (atomic_load_explicit(&loaded, memory_order_acquire)) return 1;
    pthread_once(&load_once, load);
    return atomic_load(&loaded);
}

void descent_dgemm(int transpose_a, int transpose_b, int m, int n, int k,
                   const double *a, int lda, const double *b, int ldb,
                   double beta, double *c, int ldc) {
    dgemm(ROW_MAJOR, transpose_a ? TRANS : NO_TRANS, transpose_b ? TRANS : NO_TRANS,
          m, n, k, 1.0, a, lda, b, ldb, beta, c, ldc);
}

void descent_blas_set_threads(int n) {
    atomic_store(&wanted_threads, n);
    if (atomic_load(&loaded) && set_threads) set_threads(n);
}

int descent_blas_threads(void) {
    if (atomic_load(&loaded) && get_threads) return get_threads();
    return atomic_load(&wanted_threads);
}
