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

#endif
