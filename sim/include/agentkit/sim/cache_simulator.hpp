#pragma once
// Trace replay: runs a key sequence through an eviction policy the way Caffeine's simulator and
// libCacheSim do (a lookup per access; a miss inserts the key; cold misses count; the cache starts empty)
// and reports hits, evictions and the replay time. `opt` is Belady's optimum. Shared by the
// `agentkit cache-sim` CLI, the tests and the benchmarks.
#include <agentkit/cache/cache.hpp>
#include <agentkit/cache/hash.hpp>
#include <agentkit/core/error.hpp>
#include <agentkit/sim/belady.hpp>

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

namespace agentkit::cache {

struct replay_result {
    std::uint64_t requests = 0;
    std::uint64_t hits = 0;
    std::uint64_t evictions = 0;
    double seconds = 0;  // replay only (not parsing)
    double hit_ratio_percent() const noexcept {
        return requests == 0 ? 0.0 : 100.0 * static_cast<double>(hits) / static_cast<double>(requests);
    }
};

// Replays the trace through cache c (a miss inserts the key) and times it.
template <class Cache>
replay_result replay_into(Cache& c, const std::vector<std::uint64_t>& trace) {
    const auto t0 = std::chrono::steady_clock::now();
    for (const std::uint64_t k : trace)
        if (c.find(k) == nullptr) c.put(k, 0);
    const auto t1 = std::chrono::steady_clock::now();
    const auto st = c.statistics();
    return {trace.size(), st.hits, st.evictions, std::chrono::duration<double>(t1 - t0).count()};
}

template <class Eviction>
replay_result replay(const std::vector<std::uint64_t>& trace, std::size_t capacity,
                     const typename Eviction::config& policy = {}) {
    if (capacity == 0) throw_invalid_field("--capacity", "must be at least 1");
    cache<std::uint64_t, std::uint32_t, Eviction> c({.max_size = capacity, .eviction = policy});
    return replay_into(c, trace);
}

// Caffeine 2.6's item hash for a Long key, FrequencySketch.spread(Long.hashCode(key)) with that cache's
// randomSeed, as the high half (table slot and sketch item) of our 64-bit key hash. With it, w_tinylfu picks
// the same sketch counters as a Caffeine cache whose randomSeed is known (bench/peers/cache/CacheSim.java
// prints it), so the two can be compared decision by decision. Simulator use only: the seed is per thread.
struct caffeine_long_hash {
    using is_avalanching = std::true_type;
    static inline thread_local std::int32_t random_seed = 1;
    std::uint64_t operator()(std::uint64_t key) const noexcept {
        const std::uint32_t x =
            spread32(static_cast<std::uint32_t>(key ^ (key >> 32)), static_cast<std::uint32_t>(random_seed));
        return (std::uint64_t{x} << 32) | x;
    }
};

// w_tinylfu over Caffeine's hashing with its randomSeed (see caffeine_long_hash).
inline replay_result replay_caffeine_hashed(const std::vector<std::uint64_t>& trace, std::size_t capacity,
                                            std::int32_t random_seed) {
    if (capacity == 0) throw_invalid_field("--capacity", "must be at least 1");
    caffeine_long_hash::random_seed = random_seed;
    cache<std::uint64_t, std::uint32_t, w_tinylfu, no_expiry, max_entries, single_thread, caffeine_long_hash> c(
        {.max_size = capacity, .eviction = {.sketch_seed = 0}});
    return replay_into(c, trace);
}

// w_tinylfu_adaptive: with Caffeine >= 2.7's hill-climbed window; w_tinylfu_cold: without the warm-up.
inline constexpr std::string_view replay_policies =
    "lru, fifo, sieve, w_tinylfu, w_tinylfu_adaptive, w_tinylfu_cold, opt";

// True for the policies whose result depends on the sketch seed (the w_tinylfu family).
constexpr bool sketch_seeded(std::string_view policy) noexcept {
    return policy.starts_with("w_tinylfu") || policy == "wtinylfu" || policy == "tinylfu";
}

// sketch_seed: w_tinylfu's config.sketch_seed, fixed so that a replay repeats (0 = keys hashed as is; a
// cache in a program draws its own); vary it to see how much a hit ratio owes to which items share counters.
inline replay_result replay(std::string_view policy, const std::vector<std::uint64_t>& trace, std::size_t capacity,
                            std::uint32_t sketch_seed = 0) {
    if (policy == "lru") return replay<lru>(trace, capacity);
    if (policy == "fifo") return replay<fifo>(trace, capacity);
    if (policy == "sieve") return replay<sieve>(trace, capacity);
    if (policy == "w_tinylfu" || policy == "wtinylfu" || policy == "tinylfu")
        return replay<w_tinylfu>(trace, capacity, {.sketch_seed = sketch_seed});
    if (policy == "w_tinylfu_adaptive")
        return replay<w_tinylfu>(trace, capacity, {.adaptive_window = true, .sketch_seed = sketch_seed});
    if (policy == "w_tinylfu_cold")
        return replay<w_tinylfu>(trace, capacity, {.warm_up = false, .sketch_seed = sketch_seed});
    if (policy == "opt" || policy == "belady") {
        if (capacity == 0) throw_invalid_field("--capacity", "must be at least 1");
        const auto t0 = std::chrono::steady_clock::now();
        const auto hits = belady_hits(trace, capacity);
        const auto t1 = std::chrono::steady_clock::now();
        return {trace.size(), hits, 0, std::chrono::duration<double>(t1 - t0).count()};
    }
    throw error(errc::invalid_argument,
                std::string("unknown policy '").append(policy).append("' (").append(replay_policies).append(")"),
                "--policy");
}

}  // namespace agentkit::cache
