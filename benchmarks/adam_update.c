// What bounds Adam's update on W3's 669 706 parameters: the update alone, timed four ways
// with AVX2 (compare the lines with each other, not with a whole step). Built and run by
// run.py; by hand: cc -O2 -mavx2 -mfma adam_update.c -o adam_update && ./adam_update
//   descent  as Descent does it for a step `back` keeps: the new moments go to the other
//            pair of buffers with streaming stores (the old pair stays with the snapshot)
//   in place m and v overwritten, as Descent does it for the earlier steps of a long run of
//            a big net, which `back` would not keep anyway
//   no div   in place, with the square root and both divisions replaced by multiplications
//            (wrong results; it shows how much of the time the divider takes)
//   gd       p ← p − lr·g, gradient descent's whole update
#include <immintrin.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#define N 669706
#define REPEATS 300

static double *p, *g, *m[2], *v[2];

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec * 1e-9;
}

static double *array(double value) {
    double *a;
    if (posix_memalign((void **)&a, 64, N * sizeof(double)) != 0) exit(1);
    for (int i = 0; i < N; i++) a[i] = value * (1 + i % 97);
    return a;
}

#define CONSTANTS                                                                                          \
    const __m256d w = _mm256_set1_pd(0.1), b2 = _mm256_set1_pd(0.999), c2 = _mm256_set1_pd(0.001),          \
                  root = _mm256_set1_pd(0.3), eps = _mm256_set1_pd(1e-8), step = _mm256_set1_pd(-1e-9)
#define MOMENTS(old_m, old_v)                                                                              \
    __m256d gi = _mm256_load_pd(g + i), mo = _mm256_load_pd((old_m) + i);                                   \
    __m256d mi = _mm256_add_pd(mo, _mm256_mul_pd(w, _mm256_sub_pd(gi, mo)));                                \
    __m256d vi = _mm256_add_pd(_mm256_mul_pd(_mm256_load_pd((old_v) + i), b2), _mm256_mul_pd(_mm256_mul_pd(gi, gi), c2))

static void descent_way(int k) {
    CONSTANTS;
    const double *m0 = m[k & 1], *v0 = v[k & 1];
    double *m1 = m[(k + 1) & 1], *v1 = v[(k + 1) & 1];
    for (int i = 0; i + 4 <= N; i += 4) {
        MOMENTS(m0, v0);
        _mm256_stream_pd(m1 + i, mi);
        _mm256_stream_pd(v1 + i, vi);
        __m256d denom = _mm256_add_pd(_mm256_div_pd(_mm256_sqrt_pd(vi), root), eps);
        _mm256_store_pd(p + i, _mm256_add_pd(_mm256_load_pd(p + i), _mm256_mul_pd(step, _mm256_div_pd(mi, denom))));
    }
    _mm_sfence();
}

static void in_place(int k) {
    (void)k;
    CONSTANTS;
    for (int i = 0; i + 4 <= N; i += 4) {
        MOMENTS(m[0], v[0]);
        _mm256_store_pd(m[0] + i, mi);
        _mm256_store_pd(v[0] + i, vi);
        __m256d denom = _mm256_add_pd(_mm256_div_pd(_mm256_sqrt_pd(vi), root), eps);
        _mm256_store_pd(p + i, _mm256_add_pd(_mm256_load_pd(p + i), _mm256_mul_pd(step, _mm256_div_pd(mi, denom))));
    }
}

static void no_divider(int k) {
    (void)k;
    CONSTANTS;
    for (int i = 0; i + 4 <= N; i += 4) {
        MOMENTS(m[0], v[0]);
        _mm256_store_pd(m[0] + i, mi);
        _mm256_store_pd(v[0] + i, vi);
        __m256d denom = _mm256_add_pd(_mm256_mul_pd(vi, root), eps);
        _mm256_store_pd(p + i, _mm256_add_pd(_mm256_load_pd(p + i), _mm256_mul_pd(step, _mm256_mul_pd(mi, denom))));
    }
}

static void gd(int k) {
    (void)k;
    for (int i = 0; i < N; i++) p[i] += -1e-9 * g[i];
}

/// Median milliseconds of one call over REPEATS, with the gradient rewritten before each
/// (as a step's backward pass does) so it is as warm as in a step.
static double timed(void (*update)(int)) {
    static double t[REPEATS];
    for (int k = 0; k < REPEATS; k++) {
        for (int i = 0; i < N; i++) g[i] = 1e-3 * p[i] + 1e-4;
        double start = now();
        update(k);
        t[k] = (now() - start) * 1e3;
    }
    for (int a = 1; a < REPEATS; a++)  // insertion sort, for the median
        for (int b = a; b > 0 && t[b - 1] > t[b]; b--) { double x = t[b]; t[b] = t[b - 1]; t[b - 1] = x; }
    return t[REPEATS / 2];
}

int main(void) {
    p = array(1e-3); g = array(1e-3);
    m[0] = array(1e-4); m[1] = array(1e-4); v[0] = array(1e-6); v[1] = array(1e-6);
    double a = timed(descent_way), b = timed(in_place), c = timed(no_divider), d = timed(gd);
    printf("adam update alone, %d parameters: descent %.2f ms, in place %.2f ms, no div %.2f ms; gd %.2f ms\n", N, a, b, c, d);
    return 0;
}
