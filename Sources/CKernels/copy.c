// Copies for data written now and read only much later, if ever (`back`'s snapshots of the
// weights): streaming stores send the entries straight to memory, so the copy neither reads
// the destination's cache lines first nor pushes the weights and gradients the next step
// needs out of the caches.
#include "kernels.h"
#include <string.h>
#if defined(__x86_64__)
#include <emmintrin.h>
#endif

void descent_copy_for_later(double *restrict dst, const double *restrict src, size_t n) {
#if defined(__x86_64__)
    if (n >= DESCENT_COPY_FOR_LATER_MIN) {
        size_t i = 0;
        if (((size_t)dst & 15) != 0) { dst[0] = src[0]; i = 1; }  // doubles are 8-byte aligned
        for (; i + 2 <= n; i += 2) _mm_stream_pd(dst + i, _mm_loadu_pd(src + i));
        _mm_sfence();
        for (; i < n; i++) dst[i] = src[i];
        return;
    }
#endif
    memcpy(dst, src, n * sizeof(double));
}
