// storage::sqlite's parts on one shared connection: each part works on its own, their writes join one
// transaction, a rollback undoes all of them (and forgets the sessions it created), pruning forgets the
// sessions it removed, and locked() reports SQLite's errors as agentkit::error naming the call.
#include <agentkit/storage/sqlite/connection.hpp>
#include <agentkit/storage/sqlite/graph.hpp>
#include <agentkit/storage/sqlite/kv.hpp>
#include <agentkit/storage/sqlite/maintenance.hpp>
#include <agentkit/storage/sqlite/sessions.hpp>

#include <gtest/gtest.h>

#include <chrono>
#include <stdexcept>
#include <string>

using namespace agentkit;
using namespace agentkit::storage;

namespace {

struct parts {
    basic_sqlite_connection<manual_clock> connection;
    basic_sqlite_sessions<manual_clock> sessions{connection};
    basic_sqlite_kv<manual_clock> kv{connection};
    basic_sqlite_graph<manual_clock> graph{connection};
    basic_sqlite_maintenance<manual_clock> maintenance{connection};
    explicit parts(manual_clock clock) : connection(sqlite_config{}, clock) {}
};

}  // namespace

TEST(SqliteParts, EachPartWorksOnTheSharedConnection) {
    manual_clock clock;
    parts db(clock);
    EXPECT_TRUE(db.sessions.create_session("s"));
    db.sessions.append("s", message::user("hello"));
    db.kv.put("ns", "k", "v");
    const auto e = db.graph.upsert_entity("ada", "person");
    db.graph.add_observation(e, "writes programs");

    EXPECT_EQ(db.sessions.last("s", 5).at(0).content(), "hello");
    EXPECT_EQ(db.kv.get("ns", "k"), "v");
    EXPECT_EQ(db.graph.observations_of(e, 5).at(0).content, "writes programs");
    EXPECT_EQ(db.maintenance.schema_version(), sqlite_schema::latest_version);
    EXPECT_TRUE(db.maintenance.integrity_check().empty());
}

TEST(SqliteParts, WritesOfSeveralPartsShareOneTransaction) {
    manual_clock clock;
    parts db(clock);
    db.sessions.create_session("kept");
    db.connection.transaction([&] {
        db.sessions.append("kept", message::user("one"));
        db.kv.put("ns", "k", "v");
    });
    EXPECT_EQ(db.sessions.last("kept", 5).size(), 1u);
    EXPECT_EQ(db.kv.get("ns", "k"), "v");

    // A throw inside undoes every part's writes, the session created inside included.
    EXPECT_THROW(db.connection.transaction([&] {
        db.sessions.create_session("undone");
        db.sessions.append("kept", message::user("two"));
        db.kv.put("ns", "k2", "v2");
        db.graph.upsert_entity("ada", "person");
        throw std::runtime_error("abandon");
    }),
                 std::runtime_error);
    EXPECT_EQ(db.sessions.last("kept", 5).size(), 1u);
    EXPECT_FALSE(db.kv.get("ns", "k2").has_value());
    EXPECT_FALSE(db.graph.find_entity("ada", "person").has_value());
    EXPECT_FALSE(db.sessions.find_session("undone").has_value());
    EXPECT_THROW(db.sessions.append("undone", message::user("x")), error);  // not served from a stale cached key
    EXPECT_TRUE(db.sessions.create_session("undone"));
}

TEST(SqliteParts, PruningForgetsTheSessionsItRemoved) {
    using namespace std::chrono_literals;
    manual_clock clock;
    parts db(clock);
    db.sessions.create_session("old");
    db.sessions.append("old", message::user("x"));
    clock.advance(2h);
    const auto removed = db.maintenance.prune(1h, 10);
    EXPECT_EQ(removed.sessions_expired, 1u);
    EXPECT_EQ(removed.messages_deleted, 1u);
    EXPECT_EQ(db.sessions.session_count(), 0u);
    EXPECT_TRUE(db.sessions.create_session("old"));  // created anew, not touched through a forgotten row id
    EXPECT_EQ(db.sessions.find_session("old")->message_count, 0u);
}

TEST(SqliteParts, LockedReportsSqliteErrorsNamingTheCall) {
    parts db(manual_clock{});
    try {
        db.connection.locked("probe", [](SQLite::Database& d) { d.exec("SELECT * FROM no_such_table"); });
        ADD_FAILURE() << "no error thrown";
    } catch (const error& e) {
        EXPECT_EQ(e.code(), make_error_code(errc::io_error));
        EXPECT_EQ(e.field(), "sqlite");
        EXPECT_NE(std::string(e.what()).find("probe: "), std::string::npos) << e.what();
    }
    // The connection is free again: the next call runs.
    EXPECT_EQ(db.connection.locked("count", [](SQLite::Database& d) { return d.execAndGet("SELECT 1").getInt(); }), 1);
}
