// storage::sqlite sharing a real WAL file with other connections and processes: no call leaves a read
// transaction open (checkpoints complete, other writers' commits do not break our next write), a failed
// BEGIN leaves the backend usable, checkpoint() says whether it completed; pragma() takes names only; no
// string or blob longer than SQLite's length limit is bound (bind lengths are int: a longer one would wrap).
#include <agentkit/storage/sqlite_backend.hpp>

#include <gtest/gtest.h>

#include <agentkit_test/error_of.hpp>
#include <agentkit_test/scratch_db.hpp>

#include <SQLiteCpp/SQLiteCpp.h>

#include <filesystem>
#include <string>
#include <sys/wait.h>
#include <unistd.h>

using namespace agentkit;
using namespace agentkit::storage;
using agentkit_test::fresh_db;
using namespace std::chrono_literals;

namespace {

// PRAGMA wal_checkpoint(TRUNCATE) on a connection of its own: 0 when it completed, 1 when blocked.
int checkpoint_busy(const std::string& path) {
    SQLite::Database db(path, SQLite::OPEN_READWRITE);
    db.setBusyTimeout(200);
    SQLite::Statement st(db, "PRAGMA wal_checkpoint(TRUNCATE)");
    return st.executeStep() ? st.getColumn(0).getInt() : -1;
}

using agentkit_test::expect_error;

sqlite_config file_config(const std::string& name) {
    sqlite_config c;
    c.path = fresh_db(name);
    return c;
}

}  // namespace

// After every read of the writer and of a reader, another process writes and checkpoints fully.
TEST(SqliteConnections, NoReadLeavesATransactionOpen) {
    const auto cfg = file_config("reads.db");
    storage::sqlite db(cfg);
    auto reader = db.open_reader();
    db.create_session("s");
    db.append("s", message::user("hello"));
    db.put("ns", "k", "v");
    const auto e = db.upsert_entity("alice", "person");
    db.add_observation(e, "likes tea");
    db.add_relation(e, db.upsert_entity("bob", "person"), "knows", 0.5);
    int writes = 0;
    const auto other_process_writes_and_checkpoints = [&](const char* after) {
        const pid_t child = ::fork();
        ASSERT_GE(child, 0);
        if (child == 0) {
            int rc = 1;
            try {
                SQLite::Database other(cfg.path, SQLite::OPEN_READWRITE);
                other.setBusyTimeout(2000);
                other.exec(
                    "INSERT INTO kv(namespace, key, value, updated_at) VALUES('other', 'k', 'x', 0) "
                    "ON CONFLICT(namespace, key) DO UPDATE SET updated_at = updated_at + 1");
                rc = 0;
            } catch (...) {
                rc = 2;
            }
            ::_exit(rc);
        }
        int status = 0;
        ASSERT_EQ(::waitpid(child, &status, 0), child);
        ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << "after " << after;
        ++writes;
        EXPECT_EQ(checkpoint_busy(cfg.path), 0) << "after " << after;
        EXPECT_NO_THROW(db.put("probe", "k", std::to_string(writes))) << "after " << after;
    };
    ASSERT_EQ(db.get("ns", "k"), "v");
    other_process_writes_and_checkpoints("get");
    ASSERT_EQ(reader.get("ns", "k"), "v");
    other_process_writes_and_checkpoints("reader get");
    ASSERT_EQ(db.last("s", 1).size(), 1u);
    other_process_writes_and_checkpoints("last");
    ASSERT_EQ(reader.last("s", 1).size(), 1u);
    other_process_writes_and_checkpoints("reader last");
    ASSERT_TRUE(db.find_session("s").has_value());
    other_process_writes_and_checkpoints("find_session");
    ASSERT_TRUE(reader.find_session("s").has_value());
    other_process_writes_and_checkpoints("reader find_session");
    ASSERT_EQ(db.list_sessions(1).size(), 1u);
    other_process_writes_and_checkpoints("list_sessions");
    ASSERT_EQ(db.session_count(), 1u);
    other_process_writes_and_checkpoints("session_count");
    ASSERT_EQ(db.keys("ns").size(), 1u);
    other_process_writes_and_checkpoints("keys");
    ASSERT_TRUE(db.find_entity("alice", "person").has_value());
    other_process_writes_and_checkpoints("find_entity");
    ASSERT_EQ(db.relations_of(e).size(), 1u);
    other_process_writes_and_checkpoints("relations_of");
    ASSERT_EQ(db.observations_of(e, 1).size(), 1u);
    other_process_writes_and_checkpoints("observations_of");
    ASSERT_EQ(db.pragma("journal_mode"), "wal");
    other_process_writes_and_checkpoints("pragma");
    ASSERT_GE(db.schema_version(), 1);
    other_process_writes_and_checkpoints("schema_version");
    ASSERT_TRUE(db.integrity_check().empty());
    other_process_writes_and_checkpoints("integrity_check");
    EXPECT_EQ(reader.get("probe", "k"), std::to_string(writes));
}

// checkpoint() used to ignore the busy flag PRAGMA wal_checkpoint returns: a blocked checkpoint looked done.
TEST(SqliteConnections, CheckpointSaysWhetherItCompleted) {
    auto cfg = file_config("checkpoint.db");
    cfg.busy_timeout = 100ms;  // how long a blocked checkpoint waits before it reports
    storage::sqlite db(cfg);
    db.put("ns", "k", "v1");
    EXPECT_TRUE(db.checkpoint());
    EXPECT_EQ(std::filesystem::file_size(cfg.path + "-wal"), 0u);
    {
        SQLite::Database other(cfg.path, SQLite::OPEN_READONLY);
        other.exec("BEGIN");
        SQLite::Statement st(other, "SELECT count(*) FROM kv");
        ASSERT_TRUE(st.executeStep());  // holds a snapshot until the transaction ends
        db.put("ns", "k", "v2");
        EXPECT_FALSE(db.checkpoint());
        st.reset();
        other.exec("COMMIT");
    }
    EXPECT_TRUE(db.checkpoint());
    EXPECT_EQ(std::filesystem::file_size(cfg.path + "-wal"), 0u);
    EXPECT_EQ(db.get("ns", "k"), "v2");
}

// A BEGIN IMMEDIATE that times out (another connection holds the write lock) leaves nothing stepped or open.
TEST(SqliteConnections, BusyWriteFailsCleanlyAndTheNextOneSucceeds) {
    auto cfg = file_config("busy.db");
    cfg.busy_timeout = 50ms;
    storage::sqlite db(cfg);
    db.create_session("s");
    {
        SQLite::Database other(cfg.path, SQLite::OPEN_READWRITE);
        other.exec("BEGIN IMMEDIATE");
        expect_error([&] { db.append("s", message::user("blocked")); }, errc::io_error, "sqlite");
        expect_error([&] { db.put("ns", "k", "blocked"); }, errc::io_error, "sqlite");
        other.exec("COMMIT");
    }
    EXPECT_NO_THROW(db.append("s", message::user("after")));
    EXPECT_NO_THROW(db.put("ns", "k", "after"));
    EXPECT_EQ(db.last("s", 10).size(), 1u);
    EXPECT_EQ(db.get("ns", "k"), "after");
    EXPECT_EQ(checkpoint_busy(cfg.path), 0);
}

// pragma() used to paste its argument into SQL: pragma("user_version = 99") wrote the schema version.
TEST(SqliteConnections, PragmaTakesAPlainNameOnly) {
    storage::sqlite db(file_config("pragma.db"));
    db.put("ns", "k", "v");
    for (const char* bad : {"journal_mode; DROP TABLE kv", "user_version = 99", "table_info(kv)", "", "Journal_Mode",
                            "journal_mode ", "main.journal_mode", "x--"})
        expect_error([&] { (void)db.pragma(bad); }, errc::invalid_argument, "sqlite.pragma");
    EXPECT_EQ(db.get("ns", "k"), "v");
    EXPECT_EQ(db.pragma("journal_mode"), "wal");
    EXPECT_EQ(db.pragma("user_version"), std::to_string(db.schema_version()));
}

TEST(SqliteConnections, PragmaValuesAreNumbersOrWords) {
    EXPECT_EQ(storage::detail::pragma_sql("cache_size", "-64000"), "PRAGMA cache_size = -64000");
    EXPECT_EQ(storage::detail::pragma_sql("journal_mode", "WAL"), "PRAGMA journal_mode = WAL");
    expect_error([] { (void)storage::detail::pragma_sql("cache_size", "1; DROP TABLE kv"); }, errc::invalid_argument,
                 "sqlite.pragma");
    expect_error([] { (void)storage::detail::pragma_sql("cache_size", ""); }, errc::invalid_argument, "sqlite.pragma");
    expect_error([] { (void)storage::detail::pragma_sql("cache size", "1"); }, errc::invalid_argument, "sqlite.pragma");
}

// Strings and blobs longer than the connection's length limit are refused before binding, naming the knob;
// the default limit is SQLite's (1e9 bytes), never above INT_MAX.
TEST(SqliteConnections, NothingLongerThanTheLengthLimitIsBound) {
    auto cfg = file_config("length.db");
    cfg.max_length = 1000;
    storage::sqlite db(cfg);
    db.create_session("s");
    const std::string big(1001, 'x');
    const std::string fits(900, 'y');
    expect_error([&] { db.put("ns", "k", big); }, errc::capacity_exceeded, "sqlite.max_length");
    expect_error([&] { (void)db.get("ns", big); }, errc::capacity_exceeded, "sqlite.max_length");
    expect_error([&] { db.append("s", message::user(big)); }, errc::capacity_exceeded, "sqlite.max_length");
    const auto e = db.upsert_entity("alice", "person");
    expect_error([&] { db.add_observation(e, big); }, errc::capacity_exceeded, "sqlite.max_length");
    expect_error([&] { (void)db.upsert_entity(big, "person"); }, errc::capacity_exceeded, "sqlite.max_length");
    auto reader = db.open_reader();
    expect_error([&] { (void)reader.get("ns", big); }, errc::capacity_exceeded, "sqlite.max_length");
    db.put("ns", "k", fits);
    db.append("s", message::user(fits));
    EXPECT_EQ(db.get("ns", "k"), fits);
    EXPECT_EQ(reader.last("s", 1).at(0).content(), fits);

    storage::sqlite defaults(file_config("length-default.db"));
    EXPECT_EQ(defaults.max_length(), 1000000000u);
    EXPECT_EQ(db.max_length(), 1000u);
    auto huge = file_config("length-huge.db");
    huge.max_length = std::int64_t{1} << 40;  // capped at SQLite's hard limit, never above INT_MAX
    storage::sqlite capped(huge);
    EXPECT_LE(capped.max_length(), 2147483647u);
    auto negative = file_config("length-negative.db");
    negative.max_length = -1;
    expect_error([&] { storage::sqlite bad(negative); }, errc::invalid_argument, "sqlite.max_length");
}
