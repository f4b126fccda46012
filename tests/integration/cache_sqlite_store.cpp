// sqlite_store on real SQLite files in WAL mode shared by several connections (and processes): a read
// never leaves a transaction open behind it, so another connection's write cannot make our next write fail
// and checkpoints complete; value, key and ttl limits are checked before anything is bound.
#include <agentkit/cache/sqlite_store.hpp>
#include <agentkit/core/clock.hpp>

#include <agentkit_test/error_of.hpp>
#include <agentkit_test/temp_dir.hpp>
#include <gtest/gtest.h>

#include <SQLiteCpp/SQLiteCpp.h>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <limits>
#include <string>
#include <sys/wait.h>
#include <unistd.h>

namespace ac = agentkit::cache;
using namespace std::chrono_literals;

namespace {
// A directory of each test's own.
struct temp_dir : agentkit_test::temp_dir {
    temp_dir()
        : agentkit_test::temp_dir(std::string("agentkit_cache_sqlite_store_") +
                                  ::testing::UnitTest::GetInstance()->current_test_info()->name()) {}
};

// Runs PRAGMA wal_checkpoint(TRUNCATE) on its own connection: {busy, wal frames, frames checkpointed}.
struct checkpoint_result {
    int busy = -1;
    int log = -1;
    int checkpointed = -1;
};
checkpoint_result checkpoint_truncate(const std::string& path) {
    SQLite::Database db(path, SQLite::OPEN_READWRITE);
    db.setBusyTimeout(200);  // a blocked checkpoint waits this long, then reports busy
    SQLite::Statement st(db, "PRAGMA wal_checkpoint(TRUNCATE)");
    checkpoint_result r;
    if (st.executeStep()) r = {st.getColumn(0).getInt(), st.getColumn(1).getInt(), st.getColumn(2).getInt()};
    return r;
}

using agentkit_test::expect_error;
}  // namespace

// A hit used to leave the SELECT stepped on its one row: the connection kept a read transaction on an old
// snapshot, and after another connection wrote, its next write failed with SQLITE_BUSY_SNAPSHOT (no busy
// timeout helps) and the entry was lost.
TEST(CacheSqliteStore, WriteAfterHitSucceedsWhenAnotherConnectionWroteInBetween) {
    temp_dir dir;
    const auto db = dir.file("l2.sqlite");
    ac::sqlite_store a({.path = db});
    ac::sqlite_store b({.path = db});
    a.put("k", "v1");
    ASSERT_EQ(a.get("k"), "v1");  // a hit
    b.put("other", "from b");
    ASSERT_NO_THROW(a.put("k2", "v2"));
    EXPECT_EQ(a.get("k2"), "v2");
    EXPECT_EQ(b.get("k2"), "v2");
    EXPECT_EQ(a.get("other"), "from b");  // and a sees b's write: no stale snapshot
}

TEST(CacheSqliteStore, WriteAfterHitSucceedsWhenAnotherProcessWroteInBetween) {
    temp_dir dir;
    const auto db = dir.file("l2.sqlite");
    ac::sqlite_store a({.path = db});
    a.put("k", "v1");
    ASSERT_EQ(a.get("k"), "v1");
    const pid_t child = ::fork();
    ASSERT_GE(child, 0);
    if (child == 0) {
        int rc = 1;
        try {
            ac::sqlite_store b({.path = db});
            b.put("other", "from the child");
            rc = b.get("other") == "from the child" ? 0 : 2;
        } catch (...) {
            rc = 3;
        }
        ::_exit(rc);
    }
    int status = 0;
    ASSERT_EQ(::waitpid(child, &status, 0), child);
    ASSERT_TRUE(WIFEXITED(status));
    ASSERT_EQ(WEXITSTATUS(status), 0);
    ASSERT_NO_THROW(a.put("k2", "v2"));
    EXPECT_EQ(a.get("k2"), "v2");
    EXPECT_EQ(a.get("other"), "from the child");
}

TEST(CacheSqliteStore, CheckpointCompletesAfterAHit) {
    temp_dir dir;
    const auto db = dir.file("l2.sqlite");
    ac::sqlite_store a({.path = db});
    ac::sqlite_store b({.path = db});
    a.put("k", "v1");
    ASSERT_EQ(a.get("k"), "v1");
    b.put("other", "from b");  // frames a's old snapshot would pin
    const auto r = checkpoint_truncate(db);
    EXPECT_EQ(r.busy, 0);
    EXPECT_EQ(r.log, 0);  // TRUNCATE: the WAL is empty afterwards
    EXPECT_EQ(std::filesystem::file_size(db + "-wal"), 0u);
    EXPECT_EQ(a.get("other"), "from b");
}

// After every call, another connection writes and checkpoints fully: no call leaves a statement stepped.
TEST(CacheSqliteStore, NoCallLeavesATransactionOpen) {
    temp_dir dir;
    const auto db = dir.file("l2.sqlite");
    agentkit::manual_clock clock;
    ac::basic_sqlite_store<agentkit::manual_clock> a({.path = db, .clock = clock});
    ac::sqlite_store b({.path = db});
    int writes = 0;
    const auto other_writes_and_checkpoints = [&](const char* after) {
        b.put("other", std::to_string(++writes));
        const auto r = checkpoint_truncate(db);
        EXPECT_EQ(r.busy, 0) << "after " << after;
        EXPECT_NO_THROW(a.put("probe", "p")) << "after " << after;
    };
    a.put("user:1", "x");
    a.put("user:2", "y");
    a.put("short", "z", 1s);
    ASSERT_EQ(a.get("user:1"), "x");
    other_writes_and_checkpoints("get (hit)");
    ASSERT_EQ(a.get("missing"), std::nullopt);
    other_writes_and_checkpoints("get (miss)");
    ASSERT_EQ(a.size(), 5u);
    other_writes_and_checkpoints("size");
    clock.advance(2s);
    ASSERT_EQ(a.get("short"), std::nullopt);  // expired: erased on the way
    other_writes_and_checkpoints("get (expired)");
    ASSERT_EQ(a.erase_matching("user:*"), 2u);
    other_writes_and_checkpoints("erase_matching");
    ASSERT_EQ(a.clear_expired(), 0u);
    other_writes_and_checkpoints("clear_expired");
    ASSERT_TRUE(a.erase("probe"));
    other_writes_and_checkpoints("erase");
    EXPECT_EQ(a.get("other"), std::to_string(writes));
    other_writes_and_checkpoints("get (hit, last)");
}

TEST(CacheSqliteStore, ValueAndKeyOverTheirLimitsAreRefusedNamingTheKnob) {
    temp_dir dir;
    ac::sqlite_store s({.path = dir.file("l2.sqlite"), .max_key_bytes = 8, .max_value_bytes = 16});
    s.put("12345678", std::string(16, 'v'));  // exactly at both limits
    EXPECT_EQ(s.get("12345678"), std::string(16, 'v'));
    expect_error([&] { s.put("k", std::string(17, 'v')); }, agentkit::errc::capacity_exceeded,
                 "sqlite_store.max_value_bytes");
    expect_error([&] { s.put("123456789", "v"); }, agentkit::errc::capacity_exceeded, "sqlite_store.max_key_bytes");
    expect_error([&] { (void)s.get("123456789"); }, agentkit::errc::capacity_exceeded, "sqlite_store.max_key_bytes");
    EXPECT_EQ(s.size(), 1u);
    // A refused call leaves the store usable.
    s.put("k", "v");
    EXPECT_EQ(s.get("k"), "v");
}

// A knob above what SQLite can bind (SQLITE_LIMIT_LENGTH, 1e9 by default; bind lengths are int) is capped
// there, so no length is ever cast to int with a wrap.
TEST(CacheSqliteStore, LimitsAreCappedAtSqlitesLengthLimit) {
    temp_dir dir;
    const auto max = std::numeric_limits<std::size_t>::max();
    ac::sqlite_store s({.path = dir.file("l2.sqlite"), .max_key_bytes = max, .max_value_bytes = max});
    EXPECT_LE(s.max_value_bytes(), static_cast<std::size_t>(std::numeric_limits<int>::max()));
    EXPECT_LE(s.max_key_bytes(), static_cast<std::size_t>(std::numeric_limits<int>::max()));
    SQLite::Database raw(":memory:");
    EXPECT_EQ(s.max_value_bytes(), static_cast<std::size_t>(sqlite3_limit(raw.getHandle(), SQLITE_LIMIT_LENGTH, -1)));
    ac::sqlite_store d({.path = dir.file("l2.sqlite")});
    EXPECT_EQ(d.max_value_bytes(), 64u << 20);
    EXPECT_EQ(d.max_key_bytes(), 16u << 20);
    expect_error([&] { ac::sqlite_store z({.path = dir.file("l2.sqlite"), .max_value_bytes = 0}); },
                 agentkit::errc::invalid_argument, "sqlite_store.max_value_bytes");
    expect_error([&] { ac::sqlite_store z({.path = dir.file("l2.sqlite"), .max_key_bytes = 0}); },
                 agentkit::errc::invalid_argument, "sqlite_store.max_key_bytes");
}

// now + ttl used to overflow int64 for a huge ttl: the expiry wrapped into the past (or was UB).
TEST(CacheSqliteStore, HugeTtlNeverExpiresAndNegativeTtlIsRefused) {
    temp_dir dir;
    agentkit::manual_clock clock;
    ac::basic_sqlite_store<agentkit::manual_clock> s({.path = dir.file("l2.sqlite"), .clock = clock});
    clock.advance(std::chrono::hours(24 * 365 * 50));  // a realistic wall-clock "now"
    s.put("forever", "v", std::chrono::seconds::max());
    s.put("long", "v", std::chrono::seconds(std::numeric_limits<std::int64_t>::max() / 1000));
    EXPECT_EQ(s.get("forever"), "v");
    EXPECT_EQ(s.get("long"), "v");
    clock.advance(std::chrono::hours(24 * 365 * 100));
    EXPECT_EQ(s.get("forever"), "v");
    EXPECT_EQ(s.clear_expired(), 0u);
    expect_error([&] { s.put("neg", "v", -1s); }, agentkit::errc::invalid_argument, "sqlite_store.ttl");
    EXPECT_EQ(s.get("neg"), std::nullopt);
    // A huge configured ttl saturates the same way.
    ac::basic_sqlite_store<agentkit::manual_clock> t(
        {.path = dir.file("l2b.sqlite"), .ttl = std::chrono::seconds::max(), .clock = clock});
    t.put("k", "v");
    clock.advance(std::chrono::hours(24 * 365));
    EXPECT_EQ(t.get("k"), "v");
}
