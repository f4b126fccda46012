#include <agentkit/core/random_seed.hpp>

#include <gtest/gtest.h>

#include <cstdint>
#include <mutex>
#include <set>
#include <thread>
#include <vector>

// Every call, from any thread, gets its own seed: caches and retries created together must not share one.
TEST(RandomSeed, DistinctAcrossCallsAndThreads) {
    std::set<std::uint64_t> seen;
    std::mutex m;
    auto draw = [&] {
        std::vector<std::uint64_t> mine;
        for (int i = 0; i < 5000; ++i) mine.push_back(agentkit::fresh_seed());
        std::lock_guard lock(m);
        seen.insert(mine.begin(), mine.end());
    };
    std::thread a(draw), b(draw);
    draw();
    a.join();
    b.join();
    EXPECT_EQ(seen.size(), 15000u);
}

// Seeds are mixed, not a counter: consecutive draws differ in about half their bits.
TEST(RandomSeed, ConsecutiveSeedsLookUnrelated) {
    std::uint64_t previous = agentkit::fresh_seed();
    int bits = 0;
    constexpr int n = 1000;
    for (int i = 0; i < n; ++i) {
        const std::uint64_t s = agentkit::fresh_seed();
        bits += __builtin_popcountll(s ^ previous);
        previous = s;
    }
    EXPECT_NEAR(bits / double(n), 32.0, 2.0);
}
