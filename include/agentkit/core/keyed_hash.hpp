#pragma once
// keyed_hash: SipHash (Aumasson and Bernstein) with a secret 128-bit key, for tables whose keys a client
// chooses (rate-limit subjects, session ids). An unkeyed hash such as std::hash (MurmurHash-style, fixed seed)
// lets an attacker precompute keys that collide on all 64 bits, whatever mixing follows; with a secret key
// nobody outside the process can. SipHash-1-3 by default (what Rust's HashMap uses); siphash<2, 4> is the
// reference variant and is tested against the paper's vectors.
#include <bit>
#include <cstddef>
#include <cstdint>
#include <string_view>

namespace agentkit {

struct sip_key {
    std::uint64_t k0 = 0, k1 = 0;
};

template <int CompressionRounds = 1, int FinalizationRounds = 3>
constexpr std::uint64_t siphash(const sip_key& key, std::string_view bytes) noexcept {
    std::uint64_t v0 = 0x736f6d6570736575ULL ^ key.k0;
    std::uint64_t v1 = 0x646f72616e646f6dULL ^ key.k1;
    std::uint64_t v2 = 0x6c7967656e657261ULL ^ key.k0;
    std::uint64_t v3 = 0x7465646279746573ULL ^ key.k1;
    auto round = [&] {
        v0 += v1;
        v1 = std::rotl(v1, 13);
        v1 ^= v0;
        v0 = std::rotl(v0, 32);
        v2 += v3;
        v3 = std::rotl(v3, 16);
        v3 ^= v2;
        v0 += v3;
        v3 = std::rotl(v3, 21);
        v3 ^= v0;
        v2 += v1;
        v1 = std::rotl(v1, 17);
        v1 ^= v2;
        v2 = std::rotl(v2, 32);
    };
    // Little-endian words, as the specification reads them, on any host.
    auto load = [&](std::size_t at, std::size_t n) {
        std::uint64_t w = 0;
        for (std::size_t i = 0; i < n; ++i) w |= std::uint64_t{static_cast<unsigned char>(bytes[at + i])} << (8 * i);
        return w;
    };
    const std::size_t full = bytes.size() & ~std::size_t{7};
    for (std::size_t at = 0; at < full; at += 8) {
        const std::uint64_t m = load(at, 8);
        v3 ^= m;
        for (int i = 0; i < CompressionRounds; ++i) round();
        v0 ^= m;
    }
    const std::uint64_t last = (std::uint64_t{bytes.size() & 0xff} << 56) | load(full, bytes.size() - full);
    v3 ^= last;
    for (int i = 0; i < CompressionRounds; ++i) round();
    v0 ^= last;
    v2 ^= 0xff;
    for (int i = 0; i < FinalizationRounds; ++i) round();
    return v0 ^ v1 ^ v2 ^ v3;
}

}  // namespace agentkit
