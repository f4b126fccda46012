// Real traces from ../shared/traces (decompressed through gzip/zstd/xz): our parser + exact LRU must
// reproduce the README's reference hit counts to the request, and every other policy must stay below
// Belady's optimum. Skipped (not failed) when the traces are absent.
#include <agentkit/sim/cache_simulator.hpp>
#include <agentkit/sim/trace_reader.hpp>

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

namespace ac = agentkit::cache;

namespace {
std::string traces_dir() {
    const char* env = std::getenv("AGENTKIT_SHARED_DIR");
    return std::string(env ? env : AGENTKIT_SHARED_DIR) + "/traces";
}
struct expected {
    const char* file;
    ac::trace_format format;
    std::uint64_t accesses;
    std::vector<std::pair<std::size_t, std::uint64_t>> lru_hits;  // capacity -> hits, from the README
};
}  // namespace

TEST(CacheTraces, LruReproducesTheReadmeFigures) {
    const std::vector<expected> cases = {
        {"lirs/cpp.trace.gz", ac::trace_format::lirs, 9047, {{50, 838}, {100, 6307}, {1000, 7817}}},
        {"lirs/cs.trace.gz", ac::trace_format::lirs, 6781, {{1300, 124}, {1400, 5372}}},
        {"lirs/gli.trace.gz", ac::trace_format::lirs, 6015, {{250, 55}, {1000, 674}, {2000, 3453}}},
        {"lirs/ps.trace.gz", ac::trace_format::lirs, 10448, {{250, 1364}, {2000, 7364}}},
        {"lirs/sprite.trace.gz", ac::trace_format::lirs, 133996, {{100, 28917}, {1000, 121452}}},
        {"lirs/multi1.trace.gz", ac::trace_format::lirs, 15858, {{500, 7375}}},
        {"lirs/multi2.trace.gz", ac::trace_format::lirs, 26311, {{1000, 12577}}},
        {"lirs/multi3.trace.gz", ac::trace_format::lirs, 30241, {{2000, 13485}}},
        {"lirs/loop.trace.gz", ac::trace_format::lirs, 505500, {{768, 0}, {1024, 504489}}},
        {"lirs/2_pools.trace.gz", ac::trace_format::lirs, 100000, {{1000, 54415}}},
        {"arc/OLTP.lis.zst", ac::trace_format::arc, 914145, {{250, 150591}, {1000, 300122}, {15000, 590851}}},
        {"cache2k/web07.trace.xz", ac::trace_format::cache2k, 76118, {{500, 34693}, {5000, 47702}}},
        {"cache2k/web12.trace.xz", ac::trace_format::cache2k, 95607, {{1000, 61882}}},
    };
    if (!std::filesystem::exists(traces_dir())) GTEST_SKIP() << "no traces at " << traces_dir();
    for (const auto& c : cases) {
        const auto trace = ac::load_trace(traces_dir() + "/" + c.file, c.format);
        ASSERT_EQ(trace.size(), c.accesses) << c.file;
        for (const auto& [cap, hits] : c.lru_hits)
            EXPECT_EQ(ac::replay("lru", trace, cap).hits, hits) << c.file << " @ " << cap;
        const auto cap = c.lru_hits.front().first;  // one size per trace keeps the test fast under sanitizers
        const auto opt = ac::replay("opt", trace, cap).hits;
        for (auto p : {"lru", "fifo", "sieve", "w_tinylfu"})
            EXPECT_LE(ac::replay(p, trace, cap).hits, opt) << p << " " << c.file;
    }
}

TEST(CacheTraces, LimitsStopARealCompressedTraceMidStream) {
    if (!std::filesystem::exists(traces_dir())) GTEST_SKIP() << "no traces at " << traces_dir();
    const std::string oltp = traces_dir() + "/arc/OLTP.lis.zst";
    for (const auto& [limits, field] :
         {std::pair{ac::trace_limits{.max_input_bytes = 1 << 20}, "cache.trace_limits.max_input_bytes"},
          std::pair{ac::trace_limits{.max_requests = 100000}, "cache.trace_limits.max_requests"}}) {
        try {
            (void)ac::load_trace(oltp, ac::trace_format::arc, limits);
            ADD_FAILURE() << "no limit hit for " << field;
        } catch (const agentkit::error& e) {
            EXPECT_EQ(e.code(), agentkit::errc::capacity_exceeded) << e.what();
            EXPECT_EQ(e.field(), field);
        }
    }
    // The defaults leave every real trace alone (the test above loads them all with the defaults).
    EXPECT_EQ(ac::load_trace(oltp, ac::trace_format::arc).size(), 914145u);
}
