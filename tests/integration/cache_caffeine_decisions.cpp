// W-TinyLFU makes Caffeine's decisions: real Caffeine 2.6.2 caches (Debian's libcaffeine-java, driven by
// bench/peers/cache/CacheSim.java with a same-thread executor and cleanUp() after every hit, so its lossy read
// buffer drops no read) report their sketch's randomSeed; our w_tinylfu, hashing keys as that cache does
// (replay_caffeine_hashed), must reach the very same hit count on real traces. The rows are ones where
// Caffeine's only other randomness, its 1-in-128 admission of candidates with frequency >= 6, never fires.
// Failed without java/javac or caffeine.jar (agentkit_test/peer_data.hpp); skipped without the traces.
#include <agentkit/sim/cache_simulator.hpp>
#include <agentkit/sim/trace_reader.hpp>

#include <agentkit_test/peer_data.hpp>
#include <agentkit_test/temp_dir.hpp>
#include <gtest/gtest.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <unistd.h>

namespace cache_caffeine_decisions_test {

std::string shared_dir() {
    const char* env = std::getenv("AGENTKIT_SHARED_DIR");
    return env ? env : AGENTKIT_SHARED_DIR;
}

std::string run(const std::string& command) {
    std::string out;
    if (FILE* p = popen(command.c_str(), "r")) {
        char buf[4096];
        std::size_t n = 0;
        while ((n = std::fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
        if (pclose(p) != 0) out.clear();
    }
    return out;
}

struct caffeine_run {
    std::int32_t seed = 0;
    std::uint64_t hits = 0;
};

}  // namespace cache_caffeine_decisions_test

TEST(CacheCaffeineDecisions, SameHashSameHitsAsCaffeine) {
    namespace t = cache_caffeine_decisions_test;
    namespace ac = agentkit::cache;
    namespace fs = std::filesystem;
    const std::string jar = "/usr/share/java/caffeine.jar";
    if (!fs::exists(jar) || std::system("command -v java >/dev/null 2>&1 && command -v javac >/dev/null 2>&1") != 0)
        AGENTKIT_MISSING_PEER() << "needs java, javac and " << jar << " (run scripts/bootstrap)";
    const agentkit_test::temp_dir scratch("agentkit-caffeine-decisions");
    const fs::path& tmp = scratch.path;
    const std::string javac =
        "javac -cp " + jar + " -d " + tmp.string() + " " + AGENTKIT_SOURCE_DIR "/bench/peers/cache/CacheSim.java 2>&1";
    ASSERT_EQ(std::system(javac.c_str()), 0) << javac;

    const struct {
        const char* file;
        std::size_t capacity;
    } rows[] = {{"lirs/ps.trace.gz", 1000}, {"lirs/cs.trace.gz", 1000}, {"lirs/gli.trace.gz", 1000}};
    int checked = 0;
    for (const auto& row : rows) {
        const std::string path = t::shared_dir() + "/traces/" + row.file;
        if (!fs::exists(path)) continue;
        const auto trace = ac::load_trace(path, ac::trace_format::lirs);
        const fs::path u64 = tmp / "trace.u64";
        {
            std::ofstream out(u64, std::ios::binary);
            for (const std::uint64_t k : trace) {
                unsigned char b[8];
                for (int j = 0; j < 8; ++j) b[j] = static_cast<unsigned char>(k >> (8 * j));
                out.write(reinterpret_cast<const char*>(b), 8);
            }
        }
        const std::string out = t::run("java -XX:+UseSerialGC -cp " + jar + ":" + tmp.string() + " CacheSim " +
                                       u64.string() + " caffeine-drained " + std::to_string(row.capacity) + " 3");
        std::istringstream lines(out);
        std::string peer;
        std::size_t capacity = 0, requests = 0;
        double ratio = 0, ns = 0;
        t::caffeine_run r;
        int runs = 0;
        while (lines >> peer >> capacity >> requests >> r.hits >> ratio >> ns >> r.seed) {
            ++runs;
            EXPECT_EQ(requests, trace.size());
            EXPECT_EQ(ac::replay_caffeine_hashed(trace, row.capacity, r.seed).hits, r.hits)
                << row.file << " @ " << row.capacity << ", Caffeine randomSeed " << r.seed;
        }
        EXPECT_EQ(runs, 3) << "CacheSim output for " << row.file << ":\n" << out;
        ++checked;
    }
    if (checked == 0) GTEST_SKIP() << "no traces under " << t::shared_dir() << "/traces";
}
