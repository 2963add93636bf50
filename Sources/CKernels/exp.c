// e^x without a table: x = k·ln2 + r with |r| <= ln2/2, e^r by its Taylor polynomial to
// degree 13 (truncation error below 0.05 ulp), then the exact scaling by 2^k done in two
// halves so that subnormal and overflowing results round once, like libm's.
//
// Every line is branch-free so that the loops below vectorise; the file is compiled with
// -ffp-contract=off and uses fma() explicitly, so the AVX2 build and the portable build
// compute the same bits (fma() is exact in both; only its speed differs).
#include "kernels.h"
#include <math.h>
#include <stdint.h>
#include <string.h>

#define INLINE static inline __attribute__((always_inline))

INLINE double bits_to_double(uint64_t u) { double d; memcpy(&d, &u, sizeof d); return d; }
INLINE uint64_t double_to_bits(double d) { uint64_t u; memcpy(&u, &d, sizeof u); return u; }

INLINE double exp_kernel(double x) {
    const double log2e = 0x1.71547652b82fep+0;
    const double ln2hi = 0x1.62e42fee00000p-1, ln2lo = 0x1.a39ef35793c76p-33;
    const double shift = 0x1.8p52;  // adding it rounds to an integer kept in the low bits
    // Beyond these e^x is 0 or inf whatever r is; the comparisons keep NaN as it is.
    x = x > 710.0 ? 710.0 : x;
    x = x < -746.0 ? -746.0 : x;
    double kd = x * log2e + shift;
    int64_t k = (int64_t)(double_to_bits(kd) - double_to_bits(shift));
    kd -= shift;
    double r = fma(-kd, ln2hi, x);
    r = fma(-kd, ln2lo, r);
    // Horner's rule, ending in 1 + r·(1 + r·(…)) so the last step rounds once. (Estrin's
    // scheme was no faster here and one ulp off twice as often.)
    double p = 0x1.6124613a86d09p-33;  // 1/13!
    p = fma(p, r, 0x1.1eed8eff8d898p-29);
    p = fma(p, r, 0x1.ae64567f544e4p-26);
    p = fma(p, r, 0x1.27e4fb7789f5cp-22);
    p = fma(p, r, 0x1.71de3a556c734p-19);
    p = fma(p, r, 0x1.a01a01a01a01ap-16);
    p = fma(p, r, 0x1.a01a01a01a01ap-13);
    p = fma(p, r, 0x1.6c16c16c16c17p-10);
    p = fma(p, r, 0x1.1111111111111p-7);
    p = fma(p, r, 0x1.5555555555555p-5);
    p = fma(p, r, 0x1.5555555555555p-3);
    p = fma(p, r, 0.5);
    p = fma(p, r, 1.0);
    p = fma(p, r, 1.0);
    // 2^k as 2^k1 · 2^k2, k1 = floor(k/2) (k + 2048 > 0, so a logical shift does it).
    int64_t k1 = (int64_t)((uint64_t)(k + 2048) >> 1) - 1024;
    int64_t k2 = k - k1;
    double s1 = bits_to_double((uint64_t)(k1 + 1023) << 52);
    double s2 = bits_to_double((uint64_t)(k2 + 1023) << 52);
    return p * s1 * s2;
}

INLINE double sigmoid_kernel(double z) { return 1.0 / (1.0 + exp_kernel(-z)); }

double descent_exp(double x) { return exp_kernel(x); }

#define LOOPS(suffix, attributes)                                                           \
    attributes static void sigmoid_##suffix(const double *z, double *a, size_t n) {         \
        _Pragma("clang loop interleave_count(4)")                                          \
        for (size_t i = 0; i < n; i++) a[i] = sigmoid_kernel(z[i]);                        \
    }

#if defined(__x86_64__) && defined(__clang__)
LOOPS(avx2, __attribute__((target("avx2,fma"))))
static int has_avx2(void) {
    static int answer = -1;  // a benign race: every thread computes the same value
    if (answer < 0) {
        __builtin_cpu_init();
        answer = __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
    }
    return answer;
}
#else
static int has_avx2(void) { return 0; }
static void sigmoid_avx2(const double *z, double *a, size_t n) { (void)z; (void)a; (void)n; }
#endif
LOOPS(portable, )

int descent_has_avx2(void) { return has_avx2(); }

void descent_sigmoid(const double *z, double *a, size_t n) {
    if (has_avx2()) sigmoid_avx2(z, a, n); else sigmoid_portable(z, a, n);
}

void descent_sigmoid_portable(const double *z, double *a, size_t n) { sigmoid_portable(z, a, n); }
