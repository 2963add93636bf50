// The C side of Descent's numerics: elementwise kernels and OpenBLAS's dgemm.
#include "kernels.h"
#include "blas.h"
