#pragma once
// basic_sqlite_maintenance — storage::sqlite's upkeep on a shared basic_sqlite_connection: pruning by ttl
// and max_sessions (storage::store_maintenance), and the file's own upkeep (checkpoint, vacuum, optimize,
// integrity_check, pragmas, schema version).
#include <agentkit/core/clock.hpp>
#include <agentkit/core/error.hpp>
#include <agentkit/storage/records.hpp>
#include <agentkit/storage/sqlite/connection.hpp>
#include <agentkit/storage/sqlite/support.hpp>
#include <agentkit/storage/sqlite_schema.hpp>
#include <agentkit/storage/store_maintenance.hpp>

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace agentkit::storage {

template <clock_policy Clock = system_clock>
class basic_sqlite_maintenance {
public:
    using connection_type = basic_sqlite_connection<Clock>;

    // `connection` must outlive this part.
    explicit basic_sqlite_maintenance(connection_type& connection)
        : conn_(connection), st_(connection.template prepare<statements>()) {}

    // Sessions idle longer than ttl, then the least recently active beyond max_sessions, with their
    // messages; one transaction.
    prune_counts prune(std::chrono::milliseconds ttl, std::size_t max_sessions) {
        return conn_.locked("prune", [&](SQLite::Database& db) {
            prune_counts counts;
            conn_.in_transaction([&] {
                db.exec("DELETE FROM temp.prune_ids");
                {
                    auto& expired = st_->prune_expired;
                    detail::statement_use use(expired);
                    expired.bind(1, conn_.now_ms() - ttl.count());
                    counts.sessions_expired = static_cast<std::size_t>(expired.exec());
                }
                const auto remaining = count_sessions() - counts.sessions_expired;
                if (remaining > max_sessions) {
                    auto& evict = st_->prune_evict;
                    detail::statement_use use(evict);
                    evict.bind(1, static_cast<std::int64_t>(remaining - max_sessions));
                    counts.sessions_evicted = static_cast<std::size_t>(evict.exec());
                }
                if (counts.sessions() > 0) {
                    counts.messages_deleted = static_cast<std::size_t>(
                        db.exec("DELETE FROM messages WHERE session_id IN (SELECT id FROM temp.prune_ids)"));
                    db.exec("DELETE FROM sessions WHERE id IN (SELECT id FROM temp.prune_ids)");
                }
            });
            if (counts.sessions() > 0) conn_.forget_keys();
            return counts;
        });
    }

    void optimize() { run("optimize", "PRAGMA optimize"); }
    void analyze() { run("analyze", "ANALYZE"); }
    void reindex() { run("reindex", "REINDEX"); }
    void vacuum() { run("vacuum", "VACUUM"); }
    // Frees up to `pages` free pages (0 = all); effective when auto_vacuum is INCREMENTAL.
    void incremental_vacuum(std::size_t pages = 0) {
        run("incremental_vacuum", std::string("PRAGMA incremental_vacuum(").append(std::to_string(pages)).append(")"));
    }
    // Writes the WAL back into the database file and truncates it. False when another connection's open
    // read transaction blocked it (after waiting busy_timeout): the WAL was written back only in part.
    bool checkpoint() {
        return conn_.locked("checkpoint", [&](SQLite::Database& db) {
            SQLite::Statement st(db, "PRAGMA wal_checkpoint(TRUNCATE)");
            return !st.executeStep() || st.getColumn(0).getInt() == 0;  // no row: not in WAL mode, nothing to do
        });
    }
    // Empty when the database is sound; otherwise SQLite's list of problems.
    std::vector<std::string> integrity_check() {
        return conn_.locked("integrity_check", [&](SQLite::Database& db) {
            SQLite::Statement s(db, "PRAGMA integrity_check");
            std::vector<std::string> problems;
            while (s.executeStep())
                if (auto row = detail::column_text(s.getColumn(0)); row != "ok") problems.push_back(std::move(row));
            return problems;
        });
    }
    // The current value of a pragma, as SQLite reports it (for checks and diagnostics). `name` is a plain
    // pragma name ([a-z_]+, else invalid_argument naming sqlite.pragma): it is pasted into the SQL.
    std::string pragma(std::string_view name) {
        if (!detail::pragma_name_ok(name)) throw_invalid_field("sqlite.pragma", "a pragma name must match [a-z_]+");
        return conn_.locked("pragma", [&](SQLite::Database& db) {
            SQLite::Statement st(db, std::string("PRAGMA ").append(name));
            return st.executeStep() ? detail::column_text(st.getColumn(0)) : std::string();
        });
    }
    int schema_version() {
        return conn_.locked("schema_version", [&](SQLite::Database& db) { return sqlite_schema::version(db); });
    }

private:
    struct statements {
        explicit statements(SQLite::Database& db)
            : prune_table((db.exec("CREATE TEMP TABLE IF NOT EXISTS prune_ids(id INTEGER PRIMARY KEY)"), 0)),
              prune_expired(db, "INSERT INTO temp.prune_ids SELECT id FROM sessions WHERE last_active_at < ?"),
              prune_evict(
                  db,
                  "INSERT INTO temp.prune_ids SELECT id FROM sessions WHERE id NOT IN (SELECT id FROM temp.prune_ids) "
                  "ORDER BY last_active_at, id LIMIT ?"),
              count(db, "SELECT count(*) FROM sessions") {}
        int prune_table;
        SQLite::Statement prune_expired, prune_evict, count;
    };

    std::size_t count_sessions() {
        detail::statement_use use(st_->count);
        st_->count.executeStep();
        return static_cast<std::size_t>(st_->count.getColumn(0).getInt64());
    }
    void run(const char* what, const std::string& sql) {
        conn_.locked(what, [&](SQLite::Database& db) { db.exec(sql); });
    }

    connection_type& conn_;
    std::unique_ptr<statements> st_;
};

#if defined(AGENTKIT_SEPARATE_COMPILATION)
extern template class basic_sqlite_maintenance<system_clock>;
#endif

static_assert(store_maintenance<basic_sqlite_maintenance<system_clock>>);

}  // namespace agentkit::storage
