#pragma once
// Key hashing for the caches. std::hash of an integer is the identity in libstdc++, which would put
// sequential keys in sequential slots; every key hash is therefore mixed: the high 32 bits (table slot and
// frequency-sketch item) by Caffeine's bijective spread, the low 32 bits (shard) by a 64-bit finaliser, so
// the two never correlate. Keys whose two 32-bit halves XOR to the same value share a slot (as in
// Caffeine, whose item is Long.hashCode); the key compare keeps that correct, only slower.
#include <agentkit/core/hash.hpp>

#include <cstdint>
#include <functional>

namespace agentkit::cache {

using agentkit::mix64;  // MurmurHash3's finaliser (core/hash.hpp)

// Caffeine's FrequencySketch.spread(): a bijective 32-bit mixer (multiply-xorshift, a seeded last round).
constexpr std::uint32_t spread32(std::uint32_t x, std::uint32_t seed) noexcept {
    x = ((x >> 16) ^ x) * 0x45d9f3bu;
    x = ((x >> 16) ^ x) * seed;
    return (x >> 16) ^ x;
}

// The high half of the key hash (table slot, sketch item) is Caffeine's item hash of the 64-bit std::hash
// value, taken as a Java long's hashCode (high ^ low half) and spread with a fixed odd seed (the golden
// ratio; Caffeine draws its seed at random). Being the same function as Caffeine's, W-TinyLFU's sketch
// sees the collisions a Caffeine cache would: on traces of sequential block numbers (ARC P3) this
// bijective spread collides less than a 64-bit finaliser's high half (+0.3 point at 131072 entries, over
// 11 seeds each). The low half (shard) comes from mix64, independent of the high half.
// A Hash that declares `using is_avalanching = std::true_type;` (the Boost.Unordered convention) is used
// as is.
inline constexpr auto default_spread_seed = static_cast<std::uint32_t>(golden_gamma >> 32);
template <class Key, class Hash = std::hash<Key>>
struct key_hasher {
    [[no_unique_address]] Hash hash{};
    std::uint64_t operator()(const Key& key) const noexcept(noexcept(hash(key))) {
        const auto h = static_cast<std::uint64_t>(hash(key));
        if constexpr (requires { requires Hash::is_avalanching::value; }) {
            return h;
        } else {
            const std::uint32_t item = spread32(static_cast<std::uint32_t>(h ^ (h >> 32)), default_spread_seed);
            return (std::uint64_t{item} << 32) | static_cast<std::uint32_t>(mix64(h));
        }
    }
};

}  // namespace agentkit::cache
