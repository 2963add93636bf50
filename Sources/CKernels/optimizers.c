// The optimizers' per-element updates (Adam, RMSprop), in C with `restrict` pointers so that
// the compiler vectorises them (AVX2 where the CPU has it, chosen at run time); the
// operations and their order are torch.optim's, so every path gives the same bits. The
// moments are read from one buffer and written to another (the old one stays with `back`'s
// snapshot), so the two must not overlap.
#include "kernels.h"
#include <math.h>

#define ADAM(suffix, attributes)                                                                     \
    attributes static void adam_##suffix(size_t n, double *restrict p, const double *restrict m0,     \
                                         double *restrict m, const double *restrict v0,               \
                                         double *restrict v, const double *restrict g, double scale,  \
                                         double beta1, double beta2, double eps, double stepSize,     \
                                         double root2) {                                              \
        const double w = 1 - beta1, c2 = 1 - beta2;                                                   \
        if (w < 0.5) { /* PyTorch's lerp: start + w·(end − start) for w < 0.5 */                     \
            for (size_t i = 0; i < n; i++) {                                                          \
                double gi = g[i] * scale;                                                             \
                double mi = m0[i] + w * (gi - m0[i]);                                                 \
                double vi = v0[i] * beta2 + gi * gi * c2;                                             \
                m[i] = mi; v[i] = vi;                                                                 \
                p[i] += -stepSize * (mi / (sqrt(vi) / root2 + eps));                                  \
            }                                                                                         \
        } else { /* end − (end − start)·(1 − w) */                                                    \
            for (size_t i = 0; i < n; i++) {                                                          \
                double gi = g[i] * scale;                                                             \
                double mi = gi - (gi - m0[i]) * (1 - w);                                              \
                double vi = v0[i] * beta2 + gi * gi * c2;                                             \
                m[i] = mi; v[i] = vi;                                                                 \
                p[i] += -stepSize * (mi / (sqrt(vi) / root2 + eps));                                  \
            }                                                                                         \
        }                                                                                             \
    }

#define RMSPROP(suffix, attributes)                                                                  \
    attributes static void rmsprop_##suffix(size_t n, double *restrict p, const double *restrict v0,  \
                                            double *restrict v, const double *restrict buf0,          \
                                            double *restrict buf, const double *restrict g,           \
                                            double scale, double alpha, double eps, double momentum,  \
                                            double lr) {                                              \
        if (buf == 0) {                                                                               \
            for (size_t i = 0; i < n; i++) {                                                          \
                double gi = g[i] * scale;                                                             \
                double vi = v0[i] * alpha + gi * gi * (1 - alpha);                                    \
                v[i] = vi;                                                                            \
                p[i] += -lr * (gi / (sqrt(vi) + eps));                                                \
            }                                                                                         \
        } else {                                                                                      \
            for (size_t i = 0; i < n; i++) {                                                          \
                double gi = g[i] * scale;                                                             \
                double vi = v0[i] * alpha + gi * gi * (1 - alpha);                                    \
                double bi = buf0[i] * momentum + gi / (sqrt(vi) + eps);                               \
                v[i] = vi; buf[i] = bi;                                                               \
                p[i] += -lr * bi;                                                                     \
            }                                                                                         \
        }                                                                                             \
    }

#if defined(__x86_64__) && defined(__clang__)
ADAM(avx2, __attribute__((target("avx2,fma"))))
RMSPROP(avx2, __attribute__((target("avx2,fma"))))
#endif
ADAM(portable, )
RMSPROP(portable, )

void descent_adam_update(size_t n, double *p, const double *m0, double *m, const double *v0, double *v, const double *g,
                         double scale, double beta1, double beta2, double eps, double stepSize, double root2) {
#if defined(__x86_64__) && defined(__clang__)
    if (descent_has_avx2()) { adam_avx2(n, p, m0, m, v0, v, g, scale, beta1, beta2, eps, stepSize, root2); return; }
#endif
    adam_portable(n, p, m0, m, v0, v, g, scale, beta1, beta2, eps, stepSize, root2);
}

void descent_rmsprop_update(size_t n, double *p, const double *v0, double *v, const double *buf0, double *buf,
                            const double *g, double scale, double alpha, double eps, double momentum, double lr) {
#if defined(__x86_64__) && defined(__clang__)
    if (descent_has_avx2()) { rmsprop_avx2(n, p, v0, v, buf0, buf, g, scale, alpha, eps, momentum, lr); return; }
#endif
    rmsprop_portable(n, p, v0, v, buf0, buf, g, scale, alpha, eps, momentum, lr);
}
