#pragma once
// byte_block: 16 or 32 bytes compared at once (SSE2, or AVX2 when the target has it), for the byte scanners of
// the chunkers and the error-pattern matcher. Written with the compiler's vector extensions and the one
// movemask builtin, not <immintrin.h>: that header is ~60,000 lines (every AVX-512 intrinsic) that each
// translation unit including a chunker would otherwise parse, for the four operations used here. GCC and
// Clang compile these to the same instructions as the intrinsics (vpcmpeqb / vpcmpgtb / vpand / vpmovmskb).
#include <cstddef>
#include <cstdint>
#include <cstring>

#if defined(__AVX2__) || defined(__SSE2__)
#define AGENTKIT_HAS_BYTE_BLOCK 1

namespace agentkit::simd {

#if defined(__AVX2__)
inline constexpr std::size_t block_bytes = 32;
#else
inline constexpr std::size_t block_bytes = 16;
#endif

// One block; a bitwise value type, compared and combined with the operators below.
struct byte_block {
    typedef char lanes __attribute__((vector_size(block_bytes)));
    typedef signed char signed_lanes __attribute__((vector_size(block_bytes)));
    lanes v;

    // block_bytes bytes from p (any alignment).
    static byte_block load(const char* p) noexcept {
        byte_block b;
        std::memcpy(&b.v, p, block_bytes);
        return b;
    }
    static byte_block splat(char c) noexcept {
        byte_block b;
        std::memset(&b.v, c, block_bytes);
        return b;
    }

    // Lane i all ones where the bytes are equal / where this byte, signed, is greater than c's.
    friend byte_block operator==(byte_block a, byte_block b) noexcept { return {(lanes)(a.v == b.v)}; }
    byte_block greater_signed(signed char c) const noexcept {
        signed_lanes threshold;
        std::memset(&threshold, c, block_bytes);
        return {(lanes)((signed_lanes)v > threshold)};
    }
    friend byte_block operator&(byte_block a, byte_block b) noexcept { return {a.v & b.v}; }
    friend byte_block operator|(byte_block a, byte_block b) noexcept { return {a.v | b.v}; }

    // Bit i set when lane i's high bit is (after a comparison: when lane i compared true).
    std::uint32_t mask() const noexcept {
#if defined(__AVX2__)
        return static_cast<std::uint32_t>(__builtin_ia32_pmovmskb256(v));
#else
        return static_cast<std::uint32_t>(__builtin_ia32_pmovmskb128(v));
#endif
    }
};

}  // namespace agentkit::simd

#endif
