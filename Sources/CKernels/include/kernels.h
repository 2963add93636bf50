// Elementwise kernels written in C so that the compiler vectorises them with AVX2 and FMA
// where the CPU has them (chosen once, at run time), and gives the same bits everywhere.
#ifndef DESCENT_KERNELS_H
#define DESCENT_KERNELS_H

#include <stddef.h>

/// e^x, accurate to about half an ulp more than the correctly rounded result (the
/// same function the vector kernels use, so one element and a whole matrix agree).
double descent_exp(double x);

/// a[i] = 1 / (1 + e^(-z[i])) for i < n.
void descent_sigmoid(const double *z, double *a, size_t n);

/// The portable loop, whatever the CPU: tests compare it with `descent_sigmoid`.
void descent_sigmoid_portable(const double *z, double *a, size_t n);

/// Whether the AVX2 + FMA versions run on this CPU (else the portable ones, same results).
int descent_has_avx2(void);

/// From this many entries on, the AVX2 path of descent_adam_update writes the moments with
/// streaming stores (same operations, same bits).
#define DESCENT_ADAM_STREAMING_MIN ((size_t)1 << 17)

/// One Adam update of n parameters (torch.optim.Adam's order of operations), g scaled by
/// `scale` first: m = lerp(m0, g, 1 − β1); v = β2·v0 + (1 − β2)·g²;
/// p ← p − stepSize · m / (√v / correction2Root + ε). No two arrays may overlap. m0 or v0
/// NULL stands for zeros (the first update), without a zero buffer.
void descent_adam_update(size_t n, double *p, const double *m0, double *m, const double *v0, double *v, const double *g,
                         double scale, double beta1, double beta2, double eps, double stepSize, double correction2Root);

/// One RMSprop update (torch.optim.RMSprop): v = α·v0 + (1 − α)·g²; without momentum
/// (buf == NULL) p ← p − lr·g/(√v + ε), else buf = μ·buf0 + g/(√v + ε), p ← p − lr·buf.
/// No two arrays may overlap. v0 or buf0 NULL stands for zeros (the first update).
void descent_rmsprop_update(size_t n, double *p, const double *v0, double *v, const double *buf0, double *buf,
                            const double *g, double scale, double alpha, double eps, double momentum, double lr);

/// descent_adam_update with the old moments read from m and v themselves and overwritten
/// (same operations, same bits); m, v hold the old moments (not NULL).
void descent_adam_update_in_place(size_t n, double *p, double *m, double *v, const double *g, double scale,
                                  double beta1, double beta2, double eps, double stepSize, double correction2Root);

/// descent_rmsprop_update with the old square average and momentum buffer read from v and buf
/// and overwritten (same bits); buf NULL without momentum.
void descent_rmsprop_update_in_place(size_t n, double *p, double *v, double *buf, const double *g, double scale,
                                     double alpha, double eps, double momentum, double lr);

/// From this many entries on, descent_copy_for_later bypasses the caches (256 KB; below that
/// the copy is likely to stay in the caches, where a plain copy is faster).
#define DESCENT_COPY_FOR_LATER_MIN ((size_t)1 << 15)

/// dst[i] = src[i] for i < n, with streaming stores from DESCENT_COPY_FOR_LATER_MIN entries
/// on: for a copy that is read only much later, if ever. The two must not overlap.
void descent_copy_for_later(double *dst, const double *src, size_t n);

#endif
