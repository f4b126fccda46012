#pragma once
// Key hashing for the caches. std::hash of an integer is the identity in libstdc++, which would put
// sequential keys in sequential slots and feed the frequency sketch correlated bits; every key hash is
// therefore finished with a 64-bit mixer. The high 32 bits pick the table slot and the sketch counters,
// the low bits pick the shard, so the two never correlate.
#include <cstdint>
#include <functional>

namespace agentkit::cache {

// MurmurHash3's 64-bit finaliser: every input bit flips each output bit with probability ~1/2.
constexpr std::uint64_t mix64(std::uint64_t x) noexcept {
    x ^= x >> 33;
    x *= 0xff51afd7ed558ccdULL;
    x ^= x >> 33;
    x *= 0xc4ceb9fe1a85ec53ULL;
    x ^= x >> 33;
    return x;
}

template <class Key, class Hash = std::hash<Key>>
struct key_hasher {
    [[no_unique_address]] Hash hash{};
    std::uint64_t operator()(const Key& key) const noexcept(noexcept(hash(key))) {
        return mix64(static_cast<std::uint64_t>(hash(key)));
    }
};

}  // namespace agentkit::cache
