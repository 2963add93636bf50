// OpenBLAS, opened on the first matrix product that needs it rather than when descent
// starts: loading the 36 MB library (and its Fortran runtime) was 3 ms of every start, and
// a learner's tiny nets never call it. See Sources/CKernels/blas.c.
#ifndef DESCENT_BLAS_H
#define DESCENT_BLAS_H

/// Opens OpenBLAS if that has not been tried yet; 1 if its dgemm can be called, 0 if the
/// library could not be loaded (then products use Descent's own loop).
int descent_blas_available(void);

/// C = op(A)·op(B) + beta·C for row-major matrices (cblas_dgemm with alpha = 1). Call only
/// after descent_blas_available() returned 1.
void descent_dgemm(int transpose_a, int transpose_b, int m, int n, int k,
                   const double *a, int lda, const double *b, int ldb,
                   double beta, double *c, int ldc);

/// The threads OpenBLAS may use: remembered until it is loaded, passed on after.
void descent_blas_set_threads(int n);
int descent_blas_threads(void);

#endif
