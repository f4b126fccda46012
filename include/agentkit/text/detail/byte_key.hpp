#pragma once
// Short byte strings as 64-bit keys, for the rank table and the piece memo: up to 8 bytes are the key
// itself (so such tokens compare as one integer), longer ones are hashed; hash_of() spreads a key and its
// length over a table.
#include <agentkit/core/hash.hpp>

#include <cstddef>
#include <cstdint>
#include <cstring>

namespace agentkit::text::detail {

// The len (1..8) bytes at p as one integer, without reading past p + len and without a memcpy call:
// two overlapping 4-byte loads, or three single bytes. (Host byte order; the key only needs to be
// injective for a given length.)
inline std::uint64_t load_le(const unsigned char* p, std::size_t len) noexcept {
    if (len >= 4) {
        std::uint32_t lo, hi;
        std::memcpy(&lo, p, 4);
        std::memcpy(&hi, p + len - 4, 4);
        return std::uint64_t{lo} | (std::uint64_t{hi} << (8 * (len - 4)));
    }
    if (len == 0) return 0;
    return std::uint64_t{p[0]} | (std::uint64_t{p[len / 2]} << (8 * (len / 2))) |
        (std::uint64_t{p[len - 1]} << (8 * (len - 1)));
}

// core/hash.hpp's cheaper mixer: mix64 here and in piece_memo.hpp cost bench_tokens 1-5 % CPU time.
constexpr std::uint64_t mix(std::uint64_t h) noexcept { return mix64_fast(h); }

// The bytes themselves for len <= 8, else their hash.
inline std::uint64_t key_of(const unsigned char* p, std::size_t len) noexcept {
    if (len <= 8) return load_le(p, len);
    std::uint64_t h = golden_gamma ^ len;
    std::size_t i = 0;
    for (; i + 8 <= len; i += 8) h = mix(h ^ load_le(p + i, 8)) * golden_gamma;
    if (i < len) h = mix(h ^ load_le(p + i, len - i)) * golden_gamma;
    return h;
}

inline std::uint64_t hash_of(std::uint64_t key, std::size_t len) noexcept { return mix(key * golden_gamma + len); }

}  // namespace agentkit::text::detail
