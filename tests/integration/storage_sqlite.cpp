// SQLite-specific behaviour on real files: pragmas and profiles as configured (synchronous NORMAL really is
// NORMAL under WAL), schema versions and migrations, readers concurrent with the writer, maintenance,
// corrupted and foreign files, rollback of a failed batch.
#include <agentkit/storage/sqlite_backend.hpp>

#include <gtest/gtest.h>

#include <atomic>
#include <set>
#include <agentkit_test/scratch_db.hpp>

#include <filesystem>
#include <fstream>
#include <thread>
#include <unistd.h>

using namespace agentkit;
using namespace agentkit::storage;

namespace {

using agentkit_test::fresh_db;
}  // namespace

TEST(SqliteBackend, DefaultPragmasAreFlynnsAndNormalIsReallyNormal) {
    sqlite_config cfg;
    cfg.path = fresh_db("defaults.db");
    storage::sqlite db(cfg);
    EXPECT_EQ(db.pragma("journal_mode"), "wal");
    EXPECT_EQ(db.pragma("synchronous"), "1");  // NORMAL (Debian's WAL default would be 2 = FULL)
    EXPECT_EQ(db.pragma("cache_size"), "-64000");
    EXPECT_EQ(db.pragma("temp_store"), "2");  // MEMORY
    EXPECT_EQ(db.pragma("mmap_size"), "268435456");
    EXPECT_EQ(db.pragma("page_size"), "4096");
    EXPECT_EQ(db.pragma("busy_timeout"), "5000");
    EXPECT_EQ(db.schema_version(), sqlite_schema::latest_version);
}

TEST(SqliteBackend, EachProfileIsAppliedAsConfigured) {
    {
        storage::sqlite db(sqlite_profiles::high_throughput(fresh_db("ht.db")));
        EXPECT_EQ(db.pragma("cache_size"), "-262144");
        EXPECT_EQ(db.pragma("mmap_size"), "1073741824");
        EXPECT_EQ(db.pragma("wal_autocheckpoint"), "2000");
        EXPECT_EQ(db.pragma("journal_size_limit"), "104857600");
        EXPECT_EQ(db.pragma("synchronous"), "1");
    }
    {
        storage::sqlite db(sqlite_profiles::low_latency(fresh_db("ll.db")));
        EXPECT_EQ(db.pragma("cache_size"), "-524288");
        EXPECT_EQ(db.pragma("wal_autocheckpoint"), "5000");
    }
    {
        storage::sqlite db(sqlite_profiles::resource_constrained(fresh_db("rc.db")));
        EXPECT_EQ(db.pragma("page_size"), "1024");
        EXPECT_EQ(db.pragma("auto_vacuum"), "2");  // INCREMENTAL
        EXPECT_EQ(db.pragma("temp_store"), "1");   // FILE
        EXPECT_EQ(db.pragma("journal_size_limit"), "20971520");
        EXPECT_EQ(db.pragma("mmap_size"), "134217728");
    }
    {
        auto cfg = sqlite_profiles::high_throughput(fresh_db("full.db"));
        cfg.synchronous = sqlite_synchronous::full;
        cfg.journal_mode = sqlite_journal_mode::delete_;
        storage::sqlite db(cfg);
        EXPECT_EQ(db.pragma("synchronous"), "2");
        EXPECT_EQ(db.pragma("journal_mode"), "delete");
    }
}

TEST(SqliteBackend, InvalidConfigNamesTheField) {
    auto cfg = sqlite_profiles::high_throughput(fresh_db("bad.db"));
    cfg.page_size = 3000;
    try {
        storage::sqlite db(cfg);
        FAIL();
    } catch (const error& e) {
        EXPECT_EQ(e.field(), "sqlite.page_size");
    }
    cfg.page_size = 4096;
    cfg.path.clear();
    EXPECT_THROW(storage::sqlite{cfg}, error);
}

TEST(SqliteBackend, DataSurvivesReopen) {
    const auto path = fresh_db("reopen.db");
    {
        storage::sqlite db(sqlite_profiles::high_throughput(path));
        db.create_session("s");
        db.append("s", message::user("persisted"));
        db.put("session/checkpoints", "s", "blob");
    }
    storage::sqlite db(sqlite_profiles::high_throughput(path));
    ASSERT_EQ(db.last("s", 5).size(), 1u);
    EXPECT_EQ(db.last("s", 5)[0].content(), "persisted");
    EXPECT_EQ(*db.get("session/checkpoints", "s"), "blob");
}

TEST(SqliteBackend, MigratesAnOlderSchemaAndRefusesANewerOne) {
    const auto path = fresh_db("migrate.db");
    {
        SQLite::Database raw(path, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
        sqlite_schema::migrate(raw, 1);  // a database written by a build that knew only version 1
        EXPECT_EQ(sqlite_schema::version(raw), 1);
        raw.exec("INSERT INTO sessions(name, created_at, last_active_at) VALUES('old', 1, 1)");
    }
    {
        storage::sqlite db(sqlite_profiles::high_throughput(path));
        EXPECT_EQ(db.schema_version(), 2);
        EXPECT_TRUE(db.find_session("old").has_value());
        EXPECT_GT(db.upsert_entity("e", "t"), 0);  // version 2's tables exist
    }
    {
        SQLite::Database raw(path, SQLite::OPEN_READWRITE);
        raw.exec("PRAGMA user_version = 99");
    }
    try {
        storage::sqlite db(sqlite_profiles::high_throughput(path));
        FAIL();
    } catch (const error& e) {
        EXPECT_EQ(e.field(), "sqlite.schema_version");
        EXPECT_NE(std::string(e.what()).find("newer"), std::string::npos);
    }
}

TEST(SqliteBackend, SeedIndexesExist) {
    storage::sqlite db(sqlite_profiles::high_throughput(fresh_db("idx.db")));
    SQLite::Database raw(db.configuration().path, SQLite::OPEN_READONLY);
    SQLite::Statement q(raw, "SELECT name FROM sqlite_master WHERE type = 'index' AND name LIKE 'idx_%'");
    std::set<std::string> names;
    while (q.executeStep()) names.insert(q.getColumn(0).getString());
    for (const char* n : {"idx_sessions_created_at", "idx_sessions_last_active", "idx_messages_session_id",
                          "idx_entities_composite", "idx_entities_updated", "idx_relations_composite",
                          "idx_relations_strength", "idx_observations_entity_time", "idx_embeddings_search"})
        EXPECT_TRUE(names.contains(n)) << n;
}

TEST(SqliteBackend, CorruptedOrForeignFileIsAClearError) {
    const auto path = fresh_db("garbage.db");
    {
        std::ofstream out(path, std::ios::binary);
        for (int i = 0; i < 4096; ++i) out.put(static_cast<char>((i * 37) & 0xff));
    }
    try {
        storage::sqlite db(sqlite_profiles::high_throughput(path));
        FAIL() << "a garbage file opened";
    } catch (const error& e) {
        EXPECT_EQ(e.code(), make_error_code(errc::io_error));
        EXPECT_EQ(e.field(), "sqlite.path");
        EXPECT_NE(std::string(e.what()).find("not a database"), std::string::npos) << e.what();
    }
    // A real database whose pages were overwritten: opening may work, reading reports the damage.
    const auto damaged = fresh_db("damaged.db");
    {
        auto cfg = sqlite_profiles::high_throughput(damaged);
        cfg.journal_mode = sqlite_journal_mode::delete_;
        storage::sqlite db(cfg);
        db.create_session("s");
        std::vector<message> batch(2000, message::user(std::string(200, 'x')));
        db.append_batch("s", batch);
    }
    {
        std::fstream f(damaged, std::ios::in | std::ios::out | std::ios::binary);
        f.seekp(4096 * 3);
        for (int i = 0; i < 4096 * 20; ++i) f.put(static_cast<char>(0xA5));
    }
    auto cfg = sqlite_profiles::high_throughput(damaged);
    cfg.journal_mode = sqlite_journal_mode::delete_;
    bool reported = false;
    try {
        storage::sqlite db(cfg);
        try {
            (void)db.last("s", 2000);
        } catch (const error& e) {
            reported = true;
            EXPECT_EQ(e.code(), make_error_code(errc::io_error)) << e.what();
        }
        if (!reported) reported = !db.integrity_check().empty();
    } catch (const error& e) {
        reported = true;
        EXPECT_EQ(e.code(), make_error_code(errc::io_error)) << e.what();
    }
    EXPECT_TRUE(reported);
}

TEST(SqliteBackend, FailedBatchRollsBackEverything) {
    storage::sqlite db(sqlite_profiles::high_throughput(fresh_db("rollback.db")));
    db.create_session("s");
    db.append("s", message::user("before"));
    EXPECT_THROW(db.batch([&] {
        db.append("s", message::user("inside 1"));
        db.put("ns", "k", "v");
        db.append("missing", message::user("boom"));  // unknown session: throws
    }),
                 error);
    EXPECT_EQ(db.last("s", 10).size(), 1u);
    EXPECT_FALSE(db.get("ns", "k").has_value());
    db.batch([&] {
        db.append("s", message::user("a"));
        db.append("s", message::user("b"));
    });
    EXPECT_EQ(db.last("s", 10).size(), 3u);
}

TEST(SqliteBackend, ReadersRunConcurrentlyWithOneWriter) {
    storage::sqlite db(sqlite_profiles::high_throughput(fresh_db("wal.db")));
    db.create_session("s");
    constexpr int total = 3000;
    std::atomic<bool> done{false};
    std::atomic<int> reads{0};
    std::atomic<int> errors{0};
    auto reader = [&] {
        auto r = db.open_reader();
        std::size_t seen = 0;
        while (!done.load()) {
            try {
                const auto info = r.find_session("s");
                const auto n = info ? info->message_count : 0;
                if (n < seen) ++errors;  // a reader never sees the count go backwards
                seen = n;
                const auto tail = r.last("s", 20);
                if (tail.size() > 20 || (n >= 20 && tail.size() != 20)) ++errors;
                ++reads;
            } catch (const error&) {
                ++errors;
            }
        }
    };
    std::thread r1(reader), r2(reader);
    for (int i = 0; i < total; i += 10) {
        std::vector<message> batch;
        for (int j = 0; j < 10; ++j) batch.push_back(message::user(std::to_string(i + j)));
        db.append_batch("s", batch);
    }
    done = true;
    r1.join();
    r2.join();
    EXPECT_EQ(errors.load(), 0);
    EXPECT_GT(reads.load(), 0);
    EXPECT_EQ(db.open_reader().last("s", 1)[0].content(), std::to_string(total - 1));
    EXPECT_THROW(storage::sqlite().open_reader(), error);  // in-memory: no second connection
}

TEST(SqliteBackend, MaintenanceRuns) {
    storage::sqlite db(sqlite_profiles::resource_constrained(fresh_db("maint.db")));
    db.create_session("s");
    std::vector<message> batch(500, message::user(std::string(500, 'm')));
    db.append_batch("s", batch);
    db.delete_session("s");
    db.checkpoint();
    const auto before = std::stoll(db.pragma("freelist_count"));
    EXPECT_GT(before, 0);
    db.incremental_vacuum();
    EXPECT_EQ(std::stoll(db.pragma("freelist_count")), 0);
    db.analyze();
    db.optimize();
    db.reindex();
    db.vacuum();
    EXPECT_TRUE(db.integrity_check().empty());
}
