#ifndef MAMORI_NEEDLE_SCAN_H
#define MAMORI_NEEDLE_SCAN_H
#include <stddef.h>
#include <stdint.h>

/// 1 when this CPU runs AVX2 (checked once by the caller).
int mamori_cpu_has_avx2(void);

/// The packed-pair search of SigmaEngine's NeedleSearcher with 32-byte AVX2 vectors: from `i`,
/// in steps of 64 while `i < stop`, the 64 start positions of a step are candidates where
/// `(base[p + first_offset] | fold_first) == first` and `(base[p + last_offset] | fold_last) == last`.
/// Returns the first step with a candidate (its mask in `*bits`, bit k for position i + k), or
/// the first step at or past `stop` (then `*bits` is 0). The caller guarantees that every byte up
/// to `stop + 63 + max(first_offset, last_offset)` is readable. Call only when
/// `mamori_cpu_has_avx2()` is 1.
size_t mamori_pair_scan_avx2(const uint8_t *base, size_t i, size_t stop, size_t first_offset, size_t last_offset,
                             uint8_t first, uint8_t last, uint8_t fold_first, uint8_t fold_last, uint64_t *bits);

#endif
