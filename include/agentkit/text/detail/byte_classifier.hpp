#pragma once
// The kernels that count a text's byte features (text/byte_features.hpp): portable C++, SSE2 and AVX2, each
// giving the same counts, and the dispatch to the best one this CPU runs (text/simd_dispatch.hpp).
#include <agentkit/text/byte_features.hpp>
#include <agentkit/text/simd_dispatch.hpp>

#include <cstddef>
#include <cstdint>
#include <cstring>

#if AGENTKIT_X86_SIMD
#include <immintrin.h>
#endif

namespace agentkit::text::detail {

// The flags byte_features::prev keeps for a byte (see there).
constexpr std::uint32_t flags_of(unsigned b) noexcept {
    const unsigned lower = b - 'a' < 26u, upper = b - 'A' < 26u, letter = lower | upper;
    const unsigned digit = b - '0' < 10u, space = b == ' ', newline = b == '\n';
    const unsigned punct = (b > 0x20 && b < 0x7F) & !letter & !digit;
    return letter | (digit << 1) | (punct << 2) | (space << 3) | (lower << 4) | (newline << 5);
}

// Per-byte classification: the portable path, the SSE2 kernel's tail, and the first byte of the AVX2 kernel.
inline void classify_scalar(const unsigned char* p, std::size_t n, byte_features& f) noexcept {
    std::uint32_t prev = f.prev;
    // The 17 counts as 16-bit fields of five words (features 4k..4k+3 in word k), flushed every 65535
    // bytes: five additions per byte instead of seventeen, and nothing for clang's SLP vectoriser to
    // gather into vectors byte by byte (it did, at 8 MB/s with -march=native).
    for (std::size_t done = 0; done < n;) {
        const std::size_t block = n - done < 65535 ? n - done : 65535;
        std::uint64_t w[5] = {};
        for (const unsigned char* q = p + done; q != p + done + block; ++q) {
            const unsigned b = *q;
            const unsigned lower = b - 'a' < 26u, upper = b - 'A' < 26u, letter = lower | upper;
            const unsigned digit = b - '0' < 10u, space = b == ' ', newline = b == '\n';
            const unsigned punct = (b > 0x20 && b < 0x7F) & !letter & !digit;
            const auto fields = [](unsigned a, unsigned b1, unsigned c, unsigned d) {
                return std::uint64_t{a} | (std::uint64_t{b1} << 16) | (std::uint64_t{c} << 32) |
                    (std::uint64_t{d} << 48);
            };
            w[0] += fields(letter, letter & !(prev & 1u), digit, digit & !((prev >> 1) & 1u));
            w[1] += fields(punct, punct & !((prev >> 2) & 1u), space, space & ((prev >> 3) & 1u));
            w[2] += fields(newline, (b == '\t') | (b == '\r'), (b >= 0xC0) & (b < 0xE0), (b >= 0xE0) & (b < 0xF0));
            w[3] += fields(b >= 0xF0, upper & ((prev >> 4) & 1u), (b >= 0xE3) & (b < 0xEA), b >= 0xF1);
            w[4] += space & ((prev >> 5) & 1u);
            prev = flags_of(b);
        }
        for (std::size_t k = 0; k < estimator_features; ++k) f.n[k] += (w[k / 4] >> (16 * (k % 4))) & 0xFFFFu;
        done += block;
    }
    f.prev = prev;
}

#if AGENTKIT_X86_SIMD
// AVX2, 64 bytes per step as two 32-byte halves, ~100 instructions per step. On the CPU measured (Zen 3)
// the limits are vpmovmskb (about one per cycle), the instruction count and register pressure, so the work
// is split between masks and byte lanes to use few of each:
//  - letters, digits and punctuation (their counts and run starts) are 64-bit masks (two vpmovmskb each:
//    letters, digits, printable), shifted by one with the last bit of the previous step carried in, and
//    popcounted;
//  - spaces, newlines, tabs/CRs, and the features that look at the previous byte of a space or a capital,
//    are summed in byte lanes (vpsubb of a compare result), the previous bytes loaded from p + i - 1;
//  - the UTF-8 lead bytes are summed in byte lanes in a second loop over the same L1-resident chunk, run
//    only over its kilobytes that have a byte >= 0x80.
// Range tests are one add and one signed compare; letters one range test on x | 0x20; tab/CR one compare
// of x | 4. Byte lanes are folded with vpsadbw every 127 steps. No table, no per-byte branch, no
// allocation. Compiled for AVX2 by attribute: any build calls it when simd_level_available(avx2).
AGENTKIT_TARGET_AVX2_INLINE __m256i avx2_in_range(__m256i x, unsigned char lo, unsigned char hi) noexcept {
    // lo <= x <= hi (unsigned), for ranges of at most 127 values.
    const __m256i y = _mm256_add_epi8(x, _mm256_set1_epi8(static_cast<char>(0x80 - lo)));
    return _mm256_cmpgt_epi8(_mm256_set1_epi8(static_cast<char>(-128 + (hi - lo) + 1)), y);
}
AGENTKIT_TARGET_AVX2_INLINE std::uint64_t avx2_fold(__m256i acc) noexcept {
    const __m256i s = _mm256_sad_epu8(acc, _mm256_setzero_si256());
    const __m128i t = _mm_add_epi64(_mm256_castsi256_si128(s), _mm256_extracti128_si256(s, 1));
    return static_cast<std::uint64_t>(_mm_cvtsi128_si64(t)) + static_cast<std::uint64_t>(_mm_extract_epi64(t, 1));
}
// total += popcount(m), as an opaque instruction pair: both compilers otherwise gather the scalar
// counters into vectors (vmovq/vpinsrd/vpunpcklqdq/vpaddq) or vectorise the popcounts, which costs more
// than it saves and spills registers.
AGENTKIT_TARGET_AVX2_INLINE void avx2_count(std::uint64_t& total, std::uint64_t m) noexcept {
    std::uint64_t t;
    __asm__("popcntq %2, %1\n\taddq %1, %0" : "+r"(total), "=&r"(t) : "r"(m) : "cc");
}
// Masks of 64 bytes (bit k is byte k): letters, digits, printable non-space ASCII (punctuation among
// non-alphanumerics).
struct avx2_masks {
    std::uint64_t letter, digit, printable;
};
// Byte-lane counters (each lane gains at most 2 per 64-byte step).
struct avx2_lanes {
    __m256i tab_return, space, newline, space_after_space, space_after_newline, upper_after_lower;
};
AGENTKIT_TARGET_AVX2_INLINE std::uint64_t avx2_bits(__m256i m, unsigned shift) noexcept {
    return std::uint64_t{static_cast<std::uint32_t>(_mm256_movemask_epi8(m))} << shift;
}
// The 32 bytes x (xp: the same shifted back by one byte): masks at bit `shift` (0 or 32), lane counts.
AGENTKIT_TARGET_AVX2_INLINE void avx2_half(__m256i x, __m256i xp, unsigned shift, avx2_masks& m,
                                           avx2_lanes& a) noexcept {
    m.letter |= avx2_bits(avx2_in_range(_mm256_or_si256(x, _mm256_set1_epi8(0x20)), 'a', 'z'), shift);
    m.digit |= avx2_bits(avx2_in_range(x, '0', '9'), shift);
    m.printable |= avx2_bits(avx2_in_range(x, 0x21, 0x7E), shift);
    const __m256i sp = _mm256_set1_epi8(' '), nl = _mm256_set1_epi8('\n');
    const __m256i space = _mm256_cmpeq_epi8(x, sp), newline = _mm256_cmpeq_epi8(x, nl);
    a.space = _mm256_sub_epi8(a.space, space);
    a.newline = _mm256_sub_epi8(a.newline, newline);
    a.space_after_space = _mm256_sub_epi8(a.space_after_space, _mm256_and_si256(space, _mm256_cmpeq_epi8(xp, sp)));
    a.space_after_newline = _mm256_sub_epi8(a.space_after_newline, _mm256_and_si256(space, _mm256_cmpeq_epi8(xp, nl)));
    const __m256i upper_after_lower = _mm256_and_si256(avx2_in_range(x, 'A', 'Z'), avx2_in_range(xp, 'a', 'z'));
    a.upper_after_lower = _mm256_sub_epi8(a.upper_after_lower, upper_after_lower);
    // '\t' | 4 == '\r' | 4 == 0x0D, and no other byte | 4 is.
    const __m256i tab_return = _mm256_cmpeq_epi8(_mm256_or_si256(x, _mm256_set1_epi8(4)), _mm256_set1_epi8(0x0D));
    a.tab_return = _mm256_sub_epi8(a.tab_return, tab_return);
}
// UTF-8 lead-byte thresholds of 32 bytes, added to byte-lane counters. Flipping the top bit maps
// 0x80..0xFF to 0..127 and ASCII below zero, so "at least T" is one signed compare.
struct avx2_leads {
    __m256i c0, e0, f0, f1, cjk;
};
AGENTKIT_TARGET_AVX2_INLINE void avx2_add_leads(__m256i x, avx2_leads& a) noexcept {
    const __m256i y = _mm256_xor_si256(x, _mm256_set1_epi8(static_cast<char>(0x80)));
    a.c0 = _mm256_sub_epi8(a.c0, _mm256_cmpgt_epi8(y, _mm256_set1_epi8(0xBF - 0x80)));
    a.e0 = _mm256_sub_epi8(a.e0, _mm256_cmpgt_epi8(y, _mm256_set1_epi8(0xDF - 0x80)));
    a.f0 = _mm256_sub_epi8(a.f0, _mm256_cmpgt_epi8(y, _mm256_set1_epi8(0xEF - 0x80)));
    a.f1 = _mm256_sub_epi8(a.f1, _mm256_cmpgt_epi8(y, _mm256_set1_epi8(0xF0 - 0x80)));
    a.cjk = _mm256_sub_epi8(a.cjk, avx2_in_range(x, 0xE3, 0xE9));
}

// The mask counters and the flags carried from the last byte of the previous step.
struct avx2_mask_counts {
    std::uint64_t letters, letter_runs, digits, digit_runs, punct, punct_runs;
    std::uint64_t prev_letter, prev_digit, prev_punct;  // 0 or 1
};
// One 64-byte step at q (q[-1] readable).
AGENTKIT_TARGET_AVX2_INLINE void avx2_step(const unsigned char* q, avx2_mask_counts& c, avx2_lanes& a,
                                           __m256i& any_high) noexcept {
    const __m256i x0 = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(q));
    const __m256i x1 = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(q + 32));
    avx2_masks m{};
    avx2_half(x0, _mm256_loadu_si256(reinterpret_cast<const __m256i*>(q - 1)), 0, m, a);
    avx2_half(x1, _mm256_loadu_si256(reinterpret_cast<const __m256i*>(q + 31)), 32, m, a);
    any_high = _mm256_or_si256(any_high, _mm256_or_si256(x0, x1));
    const std::uint64_t pu = m.printable & ~(m.letter | m.digit);
    avx2_count(c.letters, m.letter);
    avx2_count(c.letter_runs, m.letter & ~((m.letter << 1) | c.prev_letter));
    avx2_count(c.digits, m.digit);
    avx2_count(c.digit_runs, m.digit & ~((m.digit << 1) | c.prev_digit));
    avx2_count(c.punct, pu);
    avx2_count(c.punct_runs, pu & ~((pu << 1) | c.prev_punct));
    c.prev_letter = m.letter >> 63, c.prev_digit = m.digit >> 63, c.prev_punct = pu >> 63;
}

// The feature totals of the byte-lane counters.
struct avx2_lane_totals {
    std::uint64_t upper_lower, tab_return, spaces, newlines, space_space, newline_space, ge_c0, ge_e0, ge_f0, ge_f1,
        cjk;
};
// The steps of one chunk, p[begin, end) (at most 127 steps; p[begin - 1] readable). Two loops (fused, they
// would run out of vector registers): the ASCII classes, two steps per iteration (~8 % faster than one),
// then, while the chunk is in L1, the UTF-8 lead bytes of each of its kilobytes that has a byte >= 0x80.
AGENTKIT_TARGET_AVX2_INLINE void avx2_chunk(const unsigned char* p, std::size_t begin, std::size_t end,
                                            avx2_mask_counts& mc, avx2_lane_totals& t) noexcept {
    const __m256i zero = _mm256_setzero_si256();
    avx2_lanes a{zero, zero, zero, zero, zero, zero};
    std::uint32_t high = 0;  // bit b: the b-th kilobyte of the chunk has a byte >= 0x80
    std::size_t i = begin;
    for (unsigned b = 0; i < end; ++b) {
        const std::size_t block_end = end - i > 1024 ? i + 1024 : end;
        __m256i any_high = zero;
        for (; i + 128 <= block_end; i += 128) {
            avx2_step(p + i, mc, a, any_high);
            avx2_step(p + i + 64, mc, a, any_high);
        }
        if (i < block_end) {
            avx2_step(p + i, mc, a, any_high);
            i += 64;
        }
        high |= std::uint32_t{_mm256_movemask_epi8(any_high) != 0} << b;
    }
    t.tab_return += avx2_fold(a.tab_return), t.spaces += avx2_fold(a.space), t.newlines += avx2_fold(a.newline);
    t.space_space += avx2_fold(a.space_after_space), t.newline_space += avx2_fold(a.space_after_newline);
    t.upper_lower += avx2_fold(a.upper_after_lower);
    if (high == 0) return;
    avx2_leads l{zero, zero, zero, zero, zero};
    for (unsigned b = 0; (high >> b) != 0; ++b) {
        if (((high >> b) & 1u) == 0) continue;
        const std::size_t from = begin + 1024 * b, to = end - from > 1024 ? from + 1024 : end;
        for (std::size_t j = from; j < to; j += 64) {
            avx2_add_leads(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(p + j)), l);
            avx2_add_leads(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(p + j + 32)), l);
        }
    }
    t.ge_c0 += avx2_fold(l.c0), t.ge_e0 += avx2_fold(l.e0), t.ge_f0 += avx2_fold(l.f0), t.ge_f1 += avx2_fold(l.f1);
    t.cjk += avx2_fold(l.cjk);
}

AGENTKIT_TARGET_AVX2 inline void classify_avx2(const unsigned char* p, std::size_t n, byte_features& f) noexcept {
    if (n < 2) return classify_scalar(p, n, f);
    // The first byte alone, so that every step can load the byte before it (p + i - 1).
    classify_scalar(p, 1, f);
    avx2_mask_counts mc{0, 0, 0, 0, 0, 0, f.prev & 1u, (f.prev >> 1) & 1u, (f.prev >> 2) & 1u};
    avx2_lane_totals t{};
    std::size_t i = 1;
    // Chunks of at most 127 steps: a byte-lane counter gains at most 2 per step.
    for (; i + 64 <= n;) {
        const std::size_t end = i + 64 * ((n - i) / 64 < 127 ? (n - i) / 64 : 127);
        avx2_chunk(p, i, end, mc, t);
        i = end;
    }
    // The last 1..63 bytes as one step over a zero-padded copy: a zero byte is in no class and adds to no
    // feature, so the padding counts nothing (only the carried flags are wrong, and recomputed below).
    if (i < n) {
        unsigned char tail[65] = {};
        std::memcpy(tail, p + i - 1, n - i + 1);
        avx2_chunk(tail, 1, 65, mc, t);
    }
    auto& c = f.n;
    c[0] += mc.letters, c[1] += mc.letter_runs, c[2] += mc.digits, c[3] += mc.digit_runs, c[4] += mc.punct,
        c[5] += mc.punct_runs;
    c[6] += t.spaces, c[7] += t.space_space, c[8] += t.newlines, c[9] += t.tab_return, c[10] += t.ge_c0 - t.ge_e0;
    c[11] += t.ge_e0 - t.ge_f0, c[12] += t.ge_f0, c[13] += t.upper_lower, c[14] += t.cjk, c[15] += t.ge_f1,
        c[16] += t.newline_space;
    f.prev = flags_of(p[n - 1]);
}

// The SSE2 fallback (every x86-64 CPU; no popcnt): 16 bytes per step and no masks at all.
// Each class is a vector of 0/-1 bytes; "the previous byte was of class C" is that vector shifted by one
// lane with the last lane of the previous step carried in; every feature is summed in byte lanes (psubb)
// and folded with psadbw every 255 steps.
[[gnu::always_inline]] inline __m128i sse2_in_range(__m128i x, unsigned char lo, unsigned char hi) noexcept {
    const __m128i y = _mm_add_epi8(x, _mm_set1_epi8(static_cast<char>(0x80 - lo)));
    return _mm_cmpgt_epi8(_mm_set1_epi8(static_cast<char>(-128 + (hi - lo) + 1)), y);
}
// v shifted up one lane, lane 0 taken from lane 15 of before.
[[gnu::always_inline]] inline __m128i sse2_shifted(__m128i v, __m128i before) noexcept {
    return _mm_or_si128(_mm_slli_si128(v, 1), _mm_srli_si128(before, 15));
}
inline std::uint64_t sse2_fold(__m128i acc) noexcept {
    const __m128i s = _mm_sad_epu8(acc, _mm_setzero_si128());
    return static_cast<std::uint64_t>(_mm_cvtsi128_si32(s)) +
        static_cast<std::uint64_t>(_mm_cvtsi128_si32(_mm_srli_si128(s, 8)));
}
inline __m128i sse2_carried(std::uint32_t prev, unsigned bit) noexcept {
    return _mm_slli_si128(_mm_cvtsi32_si128((prev >> bit) & 1u ? 0xFF : 0), 15);
}
inline std::uint32_t sse2_last(__m128i v) noexcept {
    return static_cast<std::uint32_t>(_mm_movemask_epi8(v) >> 15) & 1u;
}
inline void classify_sse2(const unsigned char* p, std::size_t n, byte_features& f) noexcept {
    std::size_t i = 0;
    if (n >= 16) {
        __m128i pl = sse2_carried(f.prev, 0), pd = sse2_carried(f.prev, 1), pp = sse2_carried(f.prev, 2),
                ps = sse2_carried(f.prev, 3), plow = sse2_carried(f.prev, 4), pn = sse2_carried(f.prev, 5);
        const __m128i sp = _mm_set1_epi8(' '), nl = _mm_set1_epi8('\n'), tab = _mm_set1_epi8('\t'),
                      cr = _mm_set1_epi8('\r');
        std::uint64_t c[estimator_features] = {};
        while (i + 16 <= n) {
            __m128i a[estimator_features];
            for (auto& v : a) v = _mm_setzero_si128();
            for (unsigned step = 0; step < 255 && i + 16 <= n; ++step, i += 16) {
                const __m128i x = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + i));
                const __m128i lower = sse2_in_range(x, 'a', 'z'), upper = sse2_in_range(x, 'A', 'Z'),
                              digit = sse2_in_range(x, '0', '9');
                const __m128i letter = _mm_or_si128(lower, upper);
                const __m128i punct = _mm_andnot_si128(_mm_or_si128(letter, digit), sse2_in_range(x, 0x21, 0x7E));
                const __m128i space = _mm_cmpeq_epi8(x, sp), newline = _mm_cmpeq_epi8(x, nl);
                a[0] = _mm_sub_epi8(a[0], letter);
                a[1] = _mm_sub_epi8(a[1], _mm_andnot_si128(sse2_shifted(letter, pl), letter));
                a[2] = _mm_sub_epi8(a[2], digit);
                a[3] = _mm_sub_epi8(a[3], _mm_andnot_si128(sse2_shifted(digit, pd), digit));
                a[4] = _mm_sub_epi8(a[4], punct);
                a[5] = _mm_sub_epi8(a[5], _mm_andnot_si128(sse2_shifted(punct, pp), punct));
                a[6] = _mm_sub_epi8(a[6], space);
                a[7] = _mm_sub_epi8(a[7], _mm_and_si128(sse2_shifted(space, ps), space));
                a[8] = _mm_sub_epi8(a[8], newline);
                a[9] = _mm_sub_epi8(a[9], _mm_or_si128(_mm_cmpeq_epi8(x, tab), _mm_cmpeq_epi8(x, cr)));
                a[10] = _mm_sub_epi8(a[10], sse2_in_range(x, 0xC0, 0xDF));
                a[11] = _mm_sub_epi8(a[11], sse2_in_range(x, 0xE0, 0xEF));
                a[12] = _mm_sub_epi8(a[12], sse2_in_range(x, 0xF0, 0xFF));
                a[13] = _mm_sub_epi8(a[13], _mm_and_si128(sse2_shifted(lower, plow), upper));
                a[14] = _mm_sub_epi8(a[14], sse2_in_range(x, 0xE3, 0xE9));
                a[15] = _mm_sub_epi8(a[15], sse2_in_range(x, 0xF1, 0xFF));
                a[16] = _mm_sub_epi8(a[16], _mm_and_si128(sse2_shifted(newline, pn), space));
                pl = letter, pd = digit, pp = punct, ps = space, plow = lower, pn = newline;
            }
            for (std::size_t k = 0; k < estimator_features; ++k) c[k] += sse2_fold(a[k]);
        }
        for (std::size_t k = 0; k < estimator_features; ++k) f.n[k] += c[k];
        f.prev = sse2_last(pl) | (sse2_last(pd) << 1) | (sse2_last(pp) << 2) | (sse2_last(ps) << 3) |
            (sse2_last(plow) << 4) | (sse2_last(pn) << 5);
    }
    classify_scalar(p + i, n - i, f);
}
#endif

// The kernel of a level, or of the best level this CPU runs when that one is not available. All
// kernels give identical features (tests/unit/text/calibrated_estimator.cpp checks every pair).
inline void classify(const unsigned char* p, std::size_t n, byte_features& f, simd_level level) noexcept {
    if (!simd_level_available(level)) level = detected_simd_level();
#if AGENTKIT_X86_SIMD
    if (level == simd_level::avx2) return classify_avx2(p, n, f);
    if (level == simd_level::sse2) return classify_sse2(p, n, f);
#endif
    classify_scalar(p, n, f);
}

}  // namespace agentkit::text::detail
