// The pruner on a real Asio timer against a real SQLite file: expiry by ttl (manual clock), eviction of the
// least recently active beyond max_sessions, counts per run and in total, stop() ends it.
#include <agentkit/storage/memory_backend.hpp>
#include <agentkit/storage/session_pruner.hpp>
#include <agentkit/storage/sqlite_backend.hpp>

#include <agentkit_test/scratch_db.hpp>
#include <boost/asio/io_context.hpp>
#include <gtest/gtest.h>

using namespace agentkit;
using namespace agentkit::storage;
using namespace std::chrono_literals;

TEST(SessionConfig, DefaultsAndDurations) {
    const session_config c;
    EXPECT_EQ(c.ttl, 7 * 24h);
    EXPECT_EQ(c.max_sessions, 100u);
    EXPECT_EQ(c.interval, 1h);
    EXPECT_EQ(parse_duration("7d", "sessions.ttl"), 7 * 24h);
    EXPECT_EQ(parse_duration("30m", "x"), 30min);
    EXPECT_EQ(parse_duration("250ms", "x"), 250ms);
    try {
        parse_duration("7 days", "sessions.ttl");
        FAIL();
    } catch (const error& e) {
        EXPECT_EQ(e.field(), "sessions.ttl");
    }
    EXPECT_THROW(parse_duration("h", "x"), error);
    EXPECT_THROW(parse_duration("99999999999999999999d", "x"), error);
    session_config bad;
    bad.max_sessions = 0;
    EXPECT_THROW(bad.validate(), error);
}

TEST(SessionPruner, PrunesOnTheTimerAndCounts) {
    const auto path = agentkit_test::fresh_db("pruner.db");
    manual_clock clock;
    basic_sqlite_backend<manual_clock> store(sqlite_profiles::high_throughput(path), clock);
    for (int i = 0; i < 10; ++i) {
        store.create_session("s" + std::to_string(i));
        store.append("s" + std::to_string(i), message::user("hi"));
        clock.advance(1h);
    }
    clock.advance(7 * 24h - 5h);  // s0..s4 are now older than 7 days

    boost::asio::io_context io;
    session_config cfg;
    cfg.max_sessions = 3;
    cfg.interval = 1ms;  // the timer is real; what it prunes depends only on the manual clock
    std::vector<prune_counts> seen;
    session_pruner<basic_sqlite_backend<manual_clock>> pruner(io.get_executor(), store, cfg,
                                                              [&](const prune_counts& c) { seen.push_back(c); });
    pruner.start();
    while (pruner.runs() < 3) io.run_one();  // until the timer has fired three times
    pruner.stop();
    io.run();  // drains the cancelled wait; no further prune runs
    EXPECT_EQ(pruner.runs(), 3u);
    ASSERT_EQ(seen.size(), 3u);
    EXPECT_EQ(seen[0].sessions_expired, 5u);
    EXPECT_EQ(seen[0].sessions_evicted, 2u);
    EXPECT_EQ(seen[0].messages_deleted, 7u);
    EXPECT_EQ(seen[1].sessions(), 0u);
    EXPECT_EQ(pruner.totals().sessions(), 7u);
    EXPECT_EQ(store.session_count(), 3u);
    EXPECT_TRUE(store.find_session("s9").has_value());
    EXPECT_FALSE(store.find_session("s6").has_value());
}

TEST(SessionPruner, RunOnceAndDisabled) {
    manual_clock clock;
    basic_memory_backend<manual_clock> store({}, clock);
    store.create_session("a");
    clock.advance(8 * 24h);
    boost::asio::io_context io;
    session_config cfg;
    cfg.pruner_enabled = false;
    session_pruner<basic_memory_backend<manual_clock>> pruner(io.get_executor(), store, cfg);
    pruner.start();
    EXPECT_FALSE(pruner.running());
    EXPECT_EQ(pruner.run_once().sessions_expired, 1u);
    EXPECT_EQ(io.run(), 0u);  // nothing armed
}
