// The replay harness, Belady's optimum and the exact Zipf generator.
#include <agentkit/sim/cache_simulator.hpp>
#include <agentkit/sim/zipf.hpp>

#include <gtest/gtest.h>

#include <cmath>
#include <map>
#include <random>
#include <set>
#include <vector>

// Everything in one namespace named after the file (the layer may be built as one unity executable).
namespace cache_simulator_test {

namespace ac = agentkit::cache;

namespace {
// Brute-force optimum for tiny traces: try keeping every subset (exponential; only for a handful of keys).
std::uint64_t brute_opt(const std::vector<std::uint64_t>& t, std::size_t cap, std::size_t i = 0,
                        std::set<std::uint64_t> c = {}) {
    if (i == t.size()) return 0;
    if (c.count(t[i])) return 1 + brute_opt(t, cap, i + 1, c);
    std::uint64_t best = brute_opt(t, cap, i + 1, c);  // bypass
    if (c.size() < cap) {
        auto with = c;
        with.insert(t[i]);
        best = std::max(best, brute_opt(t, cap, i + 1, with));
    } else {
        for (auto victim : c) {
            auto with = c;
            with.erase(victim);
            with.insert(t[i]);
            best = std::max(best, brute_opt(t, cap, i + 1, with));
        }
    }
    return best;
}
}  // namespace

TEST(Belady, MatchesBruteForceOnSmallTraces) {
    std::mt19937 rng(3);
    for (int round = 0; round < 25; ++round) {
        std::vector<std::uint64_t> t(10);
        for (auto& k : t) k = rng() % 5;
        for (std::size_t cap = 1; cap <= 3; ++cap)
            EXPECT_EQ(ac::belady_hits(t, cap), brute_opt(t, cap)) << round << " " << cap;
    }
}

TEST(Belady, BoundsEveryPolicy) {
    const auto t = ac::zipf_trace(2000, 0.9, 50000, 1);
    for (std::size_t cap : {20u, 200u}) {
        const auto opt = ac::replay("opt", t, cap).hits;
        for (auto p : {"lru", "fifo", "sieve", "w_tinylfu"}) EXPECT_LE(ac::replay(p, t, cap).hits, opt) << p;
    }
}

TEST(Replay, WTinyLfuBeatsLruOnZipf) {
    const auto t = ac::zipf_trace(10000, 0.9, 300000, 2);
    const auto lru = ac::replay("lru", t, 100).hit_ratio_percent();
    const auto tlfu = ac::replay("w_tinylfu", t, 100).hit_ratio_percent();
    EXPECT_GT(tlfu, lru + 5.0);  // published: 26.2 vs 38.7 at s 0.9, 1%
    EXPECT_THROW(ac::replay("arc", t, 100), agentkit::error);
    EXPECT_TRUE(ac::sketch_seeded("w_tinylfu") && ac::sketch_seeded("w_tinylfu_cold") && ac::sketch_seeded("tinylfu"));
    EXPECT_FALSE(ac::sketch_seeded("lru") || ac::sketch_seeded("sieve") || ac::sketch_seeded("opt"));
    EXPECT_THROW(ac::replay("lru", t, 0), agentkit::error);
}

TEST(Zipf, FrequenciesFollowThePowerLaw) {
    ac::zipf_distribution z(1000, 1.0);
    std::mt19937_64 rng(5);
    std::vector<int> count(1000);
    constexpr int n = 400000;
    for (int i = 0; i < n; ++i) ++count[z(rng)];
    double h = 0;
    for (int r = 1; r <= 1000; ++r) h += 1.0 / r;
    for (int r : {0, 1, 9}) EXPECT_NEAR(count[r] / double(n), 1.0 / (r + 1) / h, 0.01) << r;
    EXPECT_EQ(ac::zipf_trace(100, 0.8, 10, 9), ac::zipf_trace(100, 0.8, 10, 9));  // deterministic per seed
    EXPECT_THROW(ac::zipf_distribution(0, 1.0), agentkit::error);
    EXPECT_THROW(ac::zipf_distribution(10, -1.0), agentkit::error);
}

}  // namespace cache_simulator_test
