// tiered<L1, L2> over a real SQLite file (WAL): promotion, write-through, invalidation in both tiers,
// single-flight through both, expiry on the manual clock, and an L2 that survives a restart.
#include <agentkit/cache/sqlite_store.hpp>
#include <agentkit/cache/tiered.hpp>

#include <agentkit_test/temp_dir.hpp>
#include <gtest/gtest.h>

#include <SQLiteCpp/SQLiteCpp.h>

#include <atomic>
#include <filesystem>
#include <latch>
#include <string>
#include <thread>
#include <sys/wait.h>
#include <unistd.h>
#include <vector>

namespace ac = agentkit::cache;
using namespace std::chrono_literals;

namespace {
// A directory of each test's own.
struct temp_dir : agentkit_test::temp_dir {
    temp_dir()
        : agentkit_test::temp_dir(std::string("agentkit_cache_tiered_") +
                                  ::testing::UnitTest::GetInstance()->current_test_info()->name()) {}
};
using l1_cache = ac::cache<std::string, std::string, ac::lru, ac::no_expiry, ac::max_entries, ac::mutex>;
using tiered_sqlite = ac::tiered<l1_cache, ac::sqlite_store>;
}  // namespace

TEST(CacheTiered, L2SurvivesRestartAndPromotes) {
    temp_dir dir;
    const auto db = (dir.path / "l2.sqlite").string();
    {
        tiered_sqlite t({.max_size = 2}, ac::sqlite_store::config{.path = db});
        t.put("a", "alpha");
        t.put("b", std::string("b\0eta", 5));  // values are blobs: embedded NULs survive
        t.put("c", "gamma");                   // L1 holds 2: "a" leaves L1, stays in L2
        EXPECT_FALSE(t.l1().contains("a"));
        EXPECT_EQ(t.get("a"), "alpha");  // from L2, promoted
        EXPECT_TRUE(t.l1().contains("a"));
        EXPECT_EQ(t.statistics().l2_hits, 1u);
    }
    {
        SQLite::Database check(db);
        EXPECT_EQ(check.execAndGet("PRAGMA journal_mode").getString(), "wal");
    }
    tiered_sqlite again({.max_size = 2}, ac::sqlite_store::config{.path = db});  // a new process would see the same
    EXPECT_EQ(again.get("b"), std::string("b\0eta", 5));
    EXPECT_EQ(again.get("c"), "gamma");
    EXPECT_FALSE(again.get("zzz"));
    const auto s = again.statistics();
    EXPECT_EQ(s.l2_hits, 2u);
    EXPECT_EQ(s.l2_misses, 1u);
    EXPECT_EQ(again.get("b"), std::string("b\0eta", 5));  // now an L1 hit
    EXPECT_EQ(again.statistics().l1.hits, 1u);
}

TEST(CacheTiered, L2SurvivesAnotherProcessExitingAbruptly) {
    temp_dir dir;
    const auto db = (dir.path / "l2.sqlite").string();
    const pid_t child = ::fork();
    ASSERT_GE(child, 0);
    if (child == 0) {  // the writer process: put, then die without running any destructor
        try {
            tiered_sqlite t({.max_size = 4}, ac::sqlite_store::config{.path = db});
            t.put("written-by", "child");
            ::_exit(0);  // inside the scope: no destructor, no clean close of the database
        } catch (...) {
            ::_exit(2);
        }
    }
    int status = 0;
    ASSERT_EQ(::waitpid(child, &status, 0), child);
    ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    tiered_sqlite t({.max_size = 4}, ac::sqlite_store::config{.path = db});
    EXPECT_EQ(t.get("written-by"), "child");
}

TEST(CacheTiered, InvalidationReachesBothTiers) {
    temp_dir dir;
    tiered_sqlite t({.max_size = 10}, ac::sqlite_store::config{.path = (dir.path / "l2.sqlite").string()});
    t.put("user:authentication:1", "x");
    t.put("user:authentication:2", "y");
    t.put("user:profile", "z");
    EXPECT_EQ(t.invalidate_matching("*authentication*"), 2u);
    EXPECT_FALSE(t.get("user:authentication:1"));
    EXPECT_EQ(t.l2().size(), 1u);
    EXPECT_TRUE(t.invalidate("user:profile"));
    EXPECT_FALSE(t.get("user:profile"));
    t.put("k", "v");
    t.clear();
    EXPECT_EQ(t.l2().size(), 0u);
}

TEST(CacheTiered, GetOrComputeIsSingleFlightAcrossTiers) {
    temp_dir dir;
    tiered_sqlite t({.max_size = 10}, ac::sqlite_store::config{.path = (dir.path / "l2.sqlite").string()});
    std::atomic<int> calls{0};
    constexpr int threads = 6;
    std::latch go(threads);
    {
        std::vector<std::jthread> pool;
        for (int i = 0; i < threads; ++i)
            pool.emplace_back([&] {
                go.arrive_and_wait();
                EXPECT_EQ(t.get_or_compute("answer",
                                           [&] {
                                               ++calls;
                                               for (int spin = 0; spin < 2000; ++spin) std::this_thread::yield();
                                               return std::string("42");
                                           }),
                          "42");
            });
    }
    EXPECT_EQ(calls.load(), 1);
    EXPECT_EQ(t.l2().get("answer"), "42");  // written through
}

TEST(CacheTiered, SqliteStoreExpiresOnTheManualClock) {
    temp_dir dir;
    agentkit::manual_clock clock(agentkit::manual_clock::time_point(1000h));
    ac::basic_sqlite_store<agentkit::manual_clock> s(
        {.path = (dir.path / "l2.sqlite").string(), .ttl = 10s, .clock = clock});
    s.put("k", "v");
    s.put("forever", "v", 0s);
    clock.advance(9s);
    EXPECT_EQ(s.get("k"), "v");
    clock.advance(1s);
    EXPECT_FALSE(s.get("k"));
    s.put("k2", "v");
    clock.advance(11s);
    EXPECT_EQ(s.clear_expired(), 1u);
    EXPECT_EQ(s.get("forever"), "v");
}

TEST(CacheTiered, MemoryStoreL2) {
    ac::tiered<l1_cache, ac::memory_store<std::string, std::string>> t({.max_size = 1});
    t.put("a", "1");
    t.put("b", "2");
    EXPECT_EQ(t.get("a"), "1");
    EXPECT_EQ(t.statistics().l2_hits, 1u);
    EXPECT_EQ(t.invalidate_matching("*"), 2u);
}

TEST(CacheTiered, BadConfigIsAClearError) {
    temp_dir dir;
    try {
        ac::sqlite_store s({.path = (dir.path / "l2.sqlite").string(), .table = "x; DROP TABLE y"});
        FAIL();
    } catch (const agentkit::error& e) {
        EXPECT_EQ(e.field(), "sqlite_store.table");
    }
    try {
        ac::sqlite_store s({.path = (dir.path / "no/such/dir/l2.sqlite").string()});
        FAIL();
    } catch (const agentkit::error& e) {
        EXPECT_EQ(e.field(), "sqlite_store.path");
    }
}
