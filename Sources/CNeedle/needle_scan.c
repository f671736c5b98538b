// AVX2 is chosen at run time (releases target baseline x86-64): this file is compiled for the
// baseline and only the function below uses AVX2 instructions.
#include "needle_scan.h"

#if defined(__x86_64__)
#include <cpuid.h>
#include <immintrin.h>

// CPUID and XGETBV directly (no libgcc or compiler-rt helper, so static releases need nothing
// more): AVX2 in leaf 7, and the OS saving the YMM registers (OSXSAVE, XCR0 bits 1 and 2).
int mamori_cpu_has_avx2(void) {
    unsigned a, b, c, d;
    if (!__get_cpuid(1, &a, &b, &c, &d)) return 0;
    if (!(c & (1u << 27)) || !(c & (1u << 28))) return 0;
    unsigned lo, hi;
    __asm__ volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
    if ((lo & 6u) != 6u) return 0;
    if (!__get_cpuid_count(7, 0, &a, &b, &c, &d)) return 0;
    return (b & (1u << 5)) ? 1 : 0;
}

__attribute__((target("avx2")))
size_t mamori_pair_scan_avx2(const uint8_t *base, size_t i, size_t stop, size_t first_offset, size_t last_offset,
                             uint8_t first, uint8_t last, uint8_t fold_first, uint8_t fold_last, uint64_t *bits) {
    const __m256i vf = _mm256_set1_epi8((char)first);
    const __m256i vl = _mm256_set1_epi8((char)last);
    const __m256i ff = _mm256_set1_epi8((char)fold_first);
    const __m256i fl = _mm256_set1_epi8((char)fold_last);
    const uint8_t *a = base + first_offset;
    const uint8_t *b = base + last_offset;
    for (; i < stop; i += 64) {
        __m256i a0 = _mm256_or_si256(_mm256_loadu_si256((const __m256i *)(a + i)), ff);
        __m256i b0 = _mm256_or_si256(_mm256_loadu_si256((const __m256i *)(b + i)), fl);
        __m256i a1 = _mm256_or_si256(_mm256_loadu_si256((const __m256i *)(a + i + 32)), ff);
        __m256i b1 = _mm256_or_si256(_mm256_loadu_si256((const __m256i *)(b + i + 32)), fl);
        uint32_t m0 = (uint32_t)_mm256_movemask_epi8(_mm256_and_si256(_mm256_cmpeq_epi8(a0, vf), _mm256_cmpeq_epi8(b0, vl)));
        uint32_t m1 = (uint32_t)_mm256_movemask_epi8(_mm256_and_si256(_mm256_cmpeq_epi8(a1, vf), _mm256_cmpeq_epi8(b1, vl)));
        uint64_t m = (uint64_t)m0 | ((uint64_t)m1 << 32);
        if (m != 0) {
            *bits = m;
            return i;
        }
    }
    *bits = 0;
    return i;
}
#else
int mamori_cpu_has_avx2(void) { return 0; }

size_t mamori_pair_scan_avx2(const uint8_t *base, size_t i, size_t stop, size_t first_offset, size_t last_offset,
                             uint8_t first, uint8_t last, uint8_t fold_first, uint8_t fold_last, uint64_t *bits) {
    (void)base; (void)first_offset; (void)last_offset; (void)first; (void)last; (void)fold_first; (void)fold_last;
    *bits = 0;
    return i < stop ? stop : i;
}
#endif
