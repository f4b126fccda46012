// keyed_rate_limiter against crafted keys: the set a key lands in depends on a per-instance random seed, so
// keys chosen offline to share one set (under the unseeded std::hash) spread out instead of evicting each
// other (an evicted busy key restarts with a full burst); state stays bounded under a million keys.
#include <agentkit/resilience/gcra.hpp>
#include <agentkit/resilience/keyed_rate_limiter.hpp>

#include <gtest/gtest.h>

#include <agentkit_test/numbered.hpp>

#include <chrono>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace resilience_keyed_rate_limiter_seed_test {

using namespace agentkit;
using namespace agentkit::resilience;
using namespace std::chrono_literals;

// The placement anyone could compute offline when the hash had no seed: std::hash, then a fixed mixer.
std::uint64_t unseeded_set(std::string_view key, std::uint64_t mask) {
    std::uint64_t h = std::hash<std::string_view>{}(key);
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdULL;
    h ^= h >> 33;
    return h & mask;
}

// `n` keys that all land in set 0 of a table with `sets` sets under the unseeded placement.
std::vector<std::string> crafted_keys(std::size_t n, std::size_t sets) {
    std::vector<std::string> keys;
    for (std::uint64_t i = 0; keys.size() < n; ++i) {
        auto k = "client-" + std::to_string(i);
        if (unseeded_set(k, sets - 1) == 0) keys.push_back(std::move(k));
    }
    return keys;
}

// One request drains a key for an hour: every key stays busy for the whole test.
gcra one_per_hour() { return gcra({.rate = 1, .period = 1h, .burst_size = 1}); }

TEST(KeyedRateLimiterSeed, KeysCraftedToShareASetDoNotEvictEachOther) {
    manual_clock clock;
    keyed_rate_limiter<gcra, manual_clock> limiter(one_per_hour(), {.max_keys = 1024}, clock);
    const std::size_t sets = limiter.capacity() / limiter.ways;
    // Twice as many keys as one set has ways: unseeded, half of them were evicted by the other half.
    const auto keys = crafted_keys(2 * limiter.ways, sets);
    for (const auto& k : keys) ASSERT_TRUE(limiter.try_acquire(k)) << k;
    EXPECT_EQ(limiter.evictions(), 0u);
    // No key got a fresh burst back: each is still limited.
    for (const auto& k : keys) EXPECT_FALSE(limiter.try_acquire(k)) << k;
    EXPECT_EQ(limiter.active_keys(), keys.size());
}

TEST(KeyedRateLimiterSeed, EachInstanceDrawsItsOwnSeedUnlessOneIsGiven) {
    keyed_rate_limiter<gcra> a(one_per_hour());
    keyed_rate_limiter<gcra> b(one_per_hour());
    EXPECT_NE(a.seed(), 0u);
    EXPECT_NE(a.seed(), b.seed());
    keyed_rate_limiter<gcra> fixed(one_per_hour(), {.hash_seed = 42});
    EXPECT_EQ(fixed.seed(), 42u);
}

// With the same seed two limiters agree (reproducible tests); with different seeds the same crafted keys
// that fill one set of one instance are spread differently by another.
TEST(KeyedRateLimiterSeed, PlacementFollowsTheSeed) {
    manual_clock clock;
    using limiter_t = keyed_rate_limiter<gcra, manual_clock>;
    const auto keys = crafted_keys(64, 8);  // all in set 0 of an unseeded 8-set table
    auto evictions = [&](std::uint64_t seed) {
        limiter_t l(one_per_hour(), {.max_keys = 64, .hash_seed = seed}, clock);
        for (const auto& k : keys) (void)l.try_acquire(k);
        return l.evictions();
    };
    EXPECT_EQ(evictions(7), evictions(7));
    // 64 busy keys in 64 slots: some sets overflow whatever the seed, but never all 56 extra keys as when
    // every key shared one set.
    for (std::uint64_t seed = 1; seed <= 8; ++seed) EXPECT_LT(evictions(seed), 56u) << "seed " << seed;
}

TEST(KeyedRateLimiterSeed, AMillionBusyKeysKeepStateBounded) {
    manual_clock clock;
    keyed_rate_limiter<gcra, manual_clock> limiter(one_per_hour(), {.max_keys = 4096}, clock);
    const auto bytes = limiter.memory_bytes();
    for (int i = 0; i < 1'000'000; ++i) (void)limiter.try_acquire(agentkit_test::numbered("k", i));
    EXPECT_EQ(limiter.memory_bytes(), bytes);
    EXPECT_EQ(limiter.capacity(), 4096u);
    EXPECT_LE(limiter.active_keys(), limiter.capacity());
    EXPECT_EQ(limiter.evictions(), 1'000'000u - limiter.capacity());
}

}  // namespace resilience_keyed_rate_limiter_seed_test
