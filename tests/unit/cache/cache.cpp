// Behaviour of the cache front: API, stats, capacity by bytes and skipping, TTL on the manual clock,
// invalidation (key, predicate, glob), single-flight get_or_compute, and thread-safety stress for
// mutex and sharded<N> (run under ASan/TSan in CI).
#include <agentkit/cache/cache.hpp>
#include <agentkit/cache/frequency_sketch.hpp>

#include <gtest/gtest.h>

#include <agentkit_test/numbered.hpp>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <latch>
#include <optional>
#include <random>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

// Everything in one namespace named after the file (the layer may be built as one unity executable).
namespace cache_cache_test {

namespace ac = agentkit::cache;
using namespace std::chrono_literals;
using agentkit_test::numbered;

TEST(Cache, GetPutAndStats) {
    ac::cache<std::string, int, ac::lru> c({.max_size = 2});
    EXPECT_FALSE(c.get("a"));
    EXPECT_TRUE(c.put("a", 1));
    EXPECT_TRUE(c.put("b", 2));
    EXPECT_EQ(c.get("a"), 1);
    EXPECT_TRUE(c.put("c", 3));  // evicts b, the least recently used
    EXPECT_FALSE(c.contains("b"));
    EXPECT_TRUE(c.contains("a"));
    ASSERT_NE(c.find("c"), nullptr);
    EXPECT_EQ(*c.find("c"), 3);
    const auto s = c.statistics();
    EXPECT_EQ(s.hits, 3u);  // get("a") and the two finds; contains() does not count
    EXPECT_EQ(s.misses, 1u);
    EXPECT_EQ(s.evictions, 1u);
    EXPECT_EQ(s.size, 2u);
    EXPECT_EQ(s.capacity, 2u);
    EXPECT_DOUBLE_EQ(s.hit_rate(), 0.75);
    c.reset_stats();
    EXPECT_EQ(c.statistics().requests(), 0u);
}

TEST(Cache, PutReplacesValue) {
    ac::cache<int, std::string, ac::fifo> c({.max_size = 3});
    c.put(1, "one");
    c.put(1, "uno");
    EXPECT_EQ(c.size(), 1u);
    EXPECT_EQ(c.get(1), "uno");
}

TEST(Cache, RejectsBadConfig) {
    using lru_cache = ac::cache<int, int, ac::lru>;
    EXPECT_THROW(lru_cache({.max_size = 0}), agentkit::error);
    try {
        lru_cache c({.max_size = 0});
    } catch (const agentkit::error& e) {
        EXPECT_EQ(e.field(), "cache.max_size");
    }
    using sharded_cache = ac::cache<int, int, ac::lru, ac::no_expiry, ac::max_entries, ac::sharded<8>>;
    EXPECT_THROW(sharded_cache({.max_size = 4}), agentkit::error);
    using ttl_cache = ac::cache<int, int, ac::lru, ac::ttl<agentkit::manual_clock>>;
    EXPECT_THROW(ttl_cache({.max_size = 4, .expiry = {.ttl = -1s}}), agentkit::error);
    ttl_cache t({.max_size = 4});
    EXPECT_THROW(t.put(1, 1, -1s), agentkit::error);
}

TEST(Cache, ByteCapacitySkipsOversizedAndDropsStale) {
    ac::cache<std::string, std::string, ac::lru, ac::no_expiry, ac::max_bytes<>> c(
        {.max_size = 1000, .max_entry_size = 300});
    const std::string small(100, 'x'), big(400, 'y');
    EXPECT_TRUE(c.put("k", small));
    EXPECT_FALSE(c.put("k", big));  // too big: skipped, and the old value must not be served as if current
    EXPECT_FALSE(c.get("k"));
    EXPECT_EQ(c.statistics().skipped, 1u);
    for (int i = 0; i < 20; ++i) c.put(numbered("k", i), small);
    const auto s = c.statistics();
    EXPECT_LE(s.weight, 1000u);
    EXPECT_GT(s.evictions, 0u);
    EXPECT_EQ(s.size * ac::byte_size{}(std::string("k10"), small), s.weight);
}

TEST(Cache, TtlExpiresOnTheManualClock) {
    agentkit::manual_clock clock;
    ac::cache<std::string, int, ac::lru, ac::ttl<agentkit::manual_clock>> c(
        {.max_size = 10, .expiry = {.ttl = 300s, .clock = clock}});
    c.put("default", 1);
    c.put("short", 2, 10s);
    clock.advance(9s);
    EXPECT_EQ(c.get("short"), 2);
    clock.advance(1s);
    EXPECT_FALSE(c.get("short"));  // exactly at the deadline: gone
    EXPECT_EQ(c.statistics().expirations, 1u);
    clock.advance(289s);
    EXPECT_EQ(c.get("default"), 1);
    clock.advance(1s);
    EXPECT_FALSE(c.contains("default"));
    EXPECT_EQ(c.size(), 1u);           // dropped lazily...
    EXPECT_EQ(c.clear_expired(), 1u);  // ...or all at once
    EXPECT_EQ(c.size(), 0u);
    EXPECT_EQ(c.statistics().expirations, 2u);
}

TEST(Cache, TtlZeroMeansNoDefaultExpiry) {
    agentkit::manual_clock clock;
    ac::cache<int, int, ac::lru, ac::ttl<agentkit::manual_clock>> c({.max_size = 10, .expiry = {.clock = clock}});
    c.put(1, 1);
    clock.advance(std::chrono::hours(24 * 365));
    EXPECT_EQ(c.get(1), 1);
}

TEST(Cache, UpdateAgeOnGetRestartsTheClock) {
    agentkit::manual_clock clock;
    ac::cache<int, int, ac::lru, ac::ttl<agentkit::manual_clock>> c(
        {.max_size = 10, .expiry = {.ttl = 10s, .update_age_on_get = true, .clock = clock}});
    c.put(1, 1);
    for (int i = 0; i < 5; ++i) {
        clock.advance(9s);
        EXPECT_EQ(c.get(1), 1);
    }
    clock.advance(10s);
    EXPECT_FALSE(c.get(1));
}

TEST(Cache, ClockJumpingBackwardsKeepsEntries) {
    agentkit::manual_clock clock(agentkit::manual_clock::time_point(1h));
    ac::cache<int, int, ac::lru, ac::ttl<agentkit::manual_clock>> c(
        {.max_size = 10, .expiry = {.ttl = 10s, .clock = clock}});
    c.put(1, 1);
    clock.set(agentkit::manual_clock::time_point(0s));
    EXPECT_EQ(c.get(1), 1);
}

TEST(Cache, InvalidateByKeyPredicateAndGlob) {
    ac::cache<std::string, int, ac::w_tinylfu> c({.max_size = 100});
    for (auto k : {"user:authentication:token", "user:profile", "authentication", "tool:search:1", "tool:search:22"})
        c.put(k, 1);
    EXPECT_TRUE(c.invalidate("user:profile"));
    EXPECT_FALSE(c.invalidate("user:profile"));
    EXPECT_EQ(c.invalidate_matching("*authentication*"), 2u);
    EXPECT_EQ(c.invalidate_matching("tool:search:?"), 1u);
    EXPECT_EQ(c.size(), 1u);
    EXPECT_TRUE(c.contains("tool:search:22"));
    c.put("a", 5);
    EXPECT_EQ(c.invalidate_if([](const std::string&, int v) { return v == 5; }), 1u);
    EXPECT_EQ(c.invalidate_if([](const std::string& k) { return k.starts_with("tool"); }), 1u);
    EXPECT_EQ(c.size(), 0u);
    c.put("x", 1);
    c.clear();
    EXPECT_EQ(c.size(), 0u);
    EXPECT_FALSE(c.get("x"));
}

TEST(Glob, Matches) {
    EXPECT_TRUE(ac::glob_match("*", ""));
    EXPECT_TRUE(ac::glob_match("a*b*c", "aXXbYYc"));
    EXPECT_FALSE(ac::glob_match("a*b*c", "aXXbYY"));
    EXPECT_TRUE(ac::glob_match("process.*", "process.spawn"));
    EXPECT_FALSE(ac::glob_match("process.*", "shell.exec"));
    EXPECT_TRUE(ac::glob_match("shell.exec", "shell.exec"));
    EXPECT_TRUE(ac::glob_match("?", "x"));
    EXPECT_FALSE(ac::glob_match("?", ""));
    EXPECT_TRUE(ac::glob_match("**a**", "bab"));
}

TEST(Cache, GetOrComputeSingleThread) {
    ac::cache<int, int, ac::sieve> c({.max_size = 4});
    int calls = 0;
    EXPECT_EQ(c.get_or_compute(1, [&] { return ++calls * 10; }), 10);
    EXPECT_EQ(c.get_or_compute(1, [&] { return ++calls * 10; }), 10);
    EXPECT_EQ(calls, 1);
}

template <class Concurrency>
void single_flight() {
    ac::cache<std::string, int, ac::lru, ac::no_expiry, ac::max_entries, Concurrency> c({.max_size = 64});
    constexpr int threads = 8;
    std::atomic<int> calls{0};
    std::latch all_started(threads);
    std::vector<int> got(threads);
    {
        std::vector<std::jthread> pool;
        for (int t = 0; t < threads; ++t)
            pool.emplace_back([&, t] {
                all_started.arrive_and_wait();
                got[t] = c.get_or_compute("answer", [&] {
                    ++calls;
                    for (int spin = 0; spin < 2000; ++spin) std::this_thread::yield();  // widen the race window
                    return 42;
                });
            });
    }
    EXPECT_EQ(calls.load(), 1);
    for (int v : got) EXPECT_EQ(v, 42);
}
TEST(Cache, GetOrComputeIsSingleFlightUnderMutex) { single_flight<ac::mutex>(); }
TEST(Cache, GetOrComputeIsSingleFlightSharded) { single_flight<ac::sharded<4>>(); }

TEST(Cache, GetOrComputeSharesExceptionsAndRetries) {
    ac::cache<int, int, ac::lru, ac::no_expiry, ac::max_entries, ac::mutex> c({.max_size = 4});
    EXPECT_THROW(c.get_or_compute(1, []() -> int { throw std::runtime_error("upstream down"); }), std::runtime_error);
    EXPECT_EQ(c.get_or_compute(1, [] { return 7; }), 7);  // a failure is not cached
}

// Stress: many threads mixing every operation on a small key space; values encode their key, so a torn
// or misplaced entry is caught. Run under ASan/UBSan (and TSan) to catch races.
template <class Eviction, class Concurrency>
void stress() {
    ac::cache<int, std::string, Eviction, ac::no_expiry, ac::max_entries, Concurrency> c({.max_size = 64});
    constexpr int threads = 4, ops = 20000;
    std::vector<std::jthread> pool;
    for (int t = 0; t < threads; ++t)
        pool.emplace_back([&c, t] {
            std::mt19937 rng(static_cast<unsigned>(t));
            for (int i = 0; i < ops; ++i) {
                const int k = static_cast<int>(rng() % 200);
                switch (rng() % 8) {
                    case 0: c.put(k, std::to_string(k)); break;
                    case 1: c.invalidate(k); break;
                    case 2: EXPECT_EQ(c.get_or_compute(k, [k] { return std::to_string(k); }), std::to_string(k)); break;
                    case 3:
                        if (i % 500 == 0) c.invalidate_if([](int key) { return key % 7 == 0; });
                        break;
                    default:
                        if (auto v = c.get(k)) {
                            EXPECT_EQ(*v, std::to_string(k));
                        }
                }
            }
        });
    pool.clear();
    const auto s = c.statistics();
    EXPECT_LE(s.size, 64u);
    EXPECT_GT(s.hits, 0u);
}
TEST(Cache, StressMutexLru) { stress<ac::lru, ac::mutex>(); }
TEST(Cache, StressShardedWTinyLfu) { stress<ac::w_tinylfu, ac::sharded<4>>(); }
TEST(Cache, StressShardedSieve) { stress<ac::sieve, ac::sharded<2>>(); }

TEST(Cache, ShardedCapacityIsSplit) {
    ac::cache<int, int, ac::lru, ac::no_expiry, ac::max_entries, ac::sharded<4>> c({.max_size = 100});
    for (int i = 0; i < 1000; ++i) c.put(i, i);
    EXPECT_LE(c.size(), 100u);
    EXPECT_GE(c.size(), 80u);
    EXPECT_EQ(c.capacity(), 100u);
}

// A byte-weighted W-TinyLFU cache sizes its frequency sketch by its entry count (as Caffeine does for a
// weigher), never by max_size: a 1 GiB cache is cheap to construct and stays small while it holds little.
TEST(Cache, WTinyLfuByteCapacityAllocatesByEntriesNotBytes) {
    ac::cache<std::string, std::string, ac::w_tinylfu, ac::no_expiry, ac::max_bytes<>, ac::sharded<8>> c(
        {.max_size = std::size_t{1} << 30});
    EXPECT_LT(c.memory_bytes(), 64u * 1024);
    for (int i = 0; i < 2000; ++i) c.put(numbered("key", i), std::string(100, 'v'));
    EXPECT_EQ(c.size(), 2000u);
    EXPECT_LT(c.memory_bytes(), 2000u * 256);
}

TEST(FrequencySketch, EmptyUntilSizedThenGrowsAndRestarts) {
    ac::frequency_sketch s;
    EXPECT_FALSE(s.initialized());
    EXPECT_EQ(s.memory_bytes(), sizeof(std::uint64_t));
    EXPECT_EQ(s.frequency(0x12345678u), 0u);
    s.ensure_capacity(100);
    EXPECT_TRUE(s.initialized());
    EXPECT_EQ(s.memory_bytes(), 128 * sizeof(std::uint64_t));
    EXPECT_EQ(s.sample_size(), 1000u);
    for (int i = 0; i < 3; ++i) s.increment(0x12345678u);
    EXPECT_EQ(s.frequency(0x12345678u), 3u);
    s.ensure_capacity(64);  // already large enough: counts and reset period kept
    EXPECT_EQ(s.frequency(0x12345678u), 3u);
    EXPECT_EQ(s.sample_size(), 1000u);
    s.ensure_capacity(120);  // same table (128 words), longer reset period
    EXPECT_EQ(s.sample_size(), 1200u);
    EXPECT_EQ(s.frequency(0x12345678u), 3u);
    s.ensure_capacity(1000);  // grown: a fresh table, as Caffeine's ensureCapacity
    EXPECT_EQ(s.memory_bytes(), 1024 * sizeof(std::uint64_t));
    EXPECT_EQ(s.frequency(0x12345678u), 0u);
}

// As in Caffeine, each W-TinyLFU cache hashes its sketch with its own random seed (no one can choose
// keys that collide in every deployment's sketch); a fixed seed makes a cache reproducible.
TEST(WTinyLfu, EachCacheDrawsItsOwnSketchSeedUnlessOneIsGiven) {
    const ac::w_tinylfu::state a({}, 100), b({}, 100);
    EXPECT_NE(a.sketch().seed(), b.sketch().seed());
    EXPECT_NE(a.sketch().seed(), 0u);
    const ac::w_tinylfu::state fixed({.sketch_seed = 7}, 100), as_is({.sketch_seed = 0}, 100);
    EXPECT_EQ(fixed.sketch().seed(), 7u);
    EXPECT_EQ(as_is.sketch().seed(), 0u);

    std::mt19937_64 rng(11);
    std::vector<int> trace(20000);
    for (auto& k : trace) k = static_cast<int>(rng() % 64 < 48 ? rng() % 40 : rng() % 5000);
    auto hits = [&](std::optional<std::uint32_t> seed) {
        ac::cache<int, int, ac::w_tinylfu> c({.max_size = 50, .eviction = {.sketch_seed = seed}});
        for (int k : trace)
            if (!c.get(k)) c.put(k, k);
        return c.statistics().hits;
    };
    EXPECT_EQ(hits(12345), hits(12345));
    EXPECT_GT(hits(std::nullopt), trace.size() / 2);  // a random seed is still W-TinyLFU: the 40 hot keys stay
}

TEST(Cache, MetadataPerEntryIsAtMost64Bytes) {
    constexpr std::size_t n = 100000;
    ac::cache<std::uint64_t, std::uint64_t, ac::lru> c({.max_size = n});
    for (std::uint64_t i = 0; i < n; ++i) c.put(i, i);
    const double per_entry = static_cast<double>(c.memory_bytes()) / n - 2 * sizeof(std::uint64_t);
    EXPECT_LE(per_entry, 64.0);
}

}  // namespace cache_cache_test
