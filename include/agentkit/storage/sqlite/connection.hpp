#pragma once
// basic_sqlite_connection — the one SQLite connection the parts of storage::sqlite share (sessions, kv,
// graph, maintenance): the database, the mutex that serialises it, the transaction in progress, the
// clock, and the session-name -> row-id cache.
//
// Every call of every part runs through locked(what, f): it takes the mutex, hands f the database, and turns
// SQLite's exceptions into agentkit::error (io_error) that says what we were doing. Writes run through
// in_transaction(f), inside locked: one transaction (BEGIN IMMEDIATE .. COMMIT), or f joins the one already
// open (batch(f)), so a batch costs one commit.
// The session-key cache lives here, not in the sessions part, because a rollback must drop it (a
// rolled-back create_session must not stay cached) and pruning must too.
#include <agentkit/core/clock.hpp>
#include <agentkit/core/error.hpp>
#include <agentkit/core/hash.hpp>
#include <agentkit/storage/records.hpp>
#include <agentkit/storage/sqlite/support.hpp>
#include <agentkit/storage/sqlite_config.hpp>

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>
#include <sqlite3.h>

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>

namespace agentkit::storage {

template <clock_policy Clock = system_clock>
class basic_sqlite_connection {
public:
    using config = sqlite_config;
    using clock_type = Clock;

    // Opens the file read-write (created if missing, schema migrated): a connection that writes.
    explicit basic_sqlite_connection(config cfg, Clock clock = Clock{})
        : cfg_(std::move(cfg)), clock_(std::move(clock)), db_(detail::open_database(cfg_, true)) {
        if (cfg_.read_only)
            throw_invalid_field("sqlite.read_only", "a backend writes; use sqlite_reader for read-only access");
        max_length_ = detail::length_limit(*db_);
        detail::sqlite_call("prepare", [&] { tx_ = std::make_unique<transaction_statements>(*db_); });
    }
    basic_sqlite_connection(const basic_sqlite_connection&) = delete;
    basic_sqlite_connection& operator=(const basic_sqlite_connection&) = delete;

    // Runs f(database) holding the connection, SQLite's exceptions turned into agentkit::error naming `what`.
    template <class F>
    decltype(auto) locked(const char* what, F&& f) {
        std::lock_guard lock(mu_);
        return detail::sqlite_call(what, [&]() -> decltype(auto) { return std::forward<F>(f)(*db_); });
    }
    // A part's reused statements, prepared on this connection's database (a Statements constructed from it).
    template <class Statements>
    std::unique_ptr<Statements> prepare() {
        return locked("prepare", [](SQLite::Database& db) { return std::make_unique<Statements>(db); });
    }

    // Runs f in a transaction unless one is open already (then f joins it). Call it inside locked().
    // If f throws, the transaction is rolled back and the session-key cache dropped.
    template <class F>
    void in_transaction(F&& f) {
        if (depth_ > 0) {
            std::forward<F>(f)();
            return;
        }
        detail::sqlite_call("begin", [&] {
            detail::statement_use use(tx_->begin);
            tx_->begin.exec();
        });
        ++depth_;
        try {
            std::forward<F>(f)();
            --depth_;
            detail::sqlite_call("commit", [&] {
                detail::statement_use use(tx_->commit);
                tx_->commit.exec();
            });
        } catch (...) {
            if (depth_ > 0) --depth_;
            keys_.clear();
            if (!db_->getHandle() || sqlite3_get_autocommit(db_->getHandle()) == 0) {
                tx_->rollback.tryReset();
                try {
                    tx_->rollback.exec();
                } catch (...) {}
                tx_->rollback.tryReset();
            }
            throw;
        }
    }

    // Runs f with every write inside one transaction (one commit); if f throws, all of it is rolled back
    // and f's exception passes through.
    template <class F>
    void transaction(F&& f) {
        locked("batch", [&](SQLite::Database&) { in_transaction(std::forward<F>(f)); });
    }

    // The session-name -> row-id cache. Use it inside locked().
    std::optional<std::int64_t> cached_key(std::string_view session) const {
        if (auto it = keys_.find(session); it != keys_.end()) return it->second;
        return std::nullopt;
    }
    void cache_key(std::string_view session, std::int64_t key) { keys_.emplace(std::string(session), key); }
    void forget_key(std::string_view session) { keys_.erase(std::string(session)); }
    void forget_keys() noexcept { keys_.clear(); }

    timestamp_ms now_ms() const { return to_ms<Clock>(clock_.now()); }
    const config& configuration() const noexcept { return cfg_; }
    // The longest string or blob bound (sqlite.max_length as SQLite applied it).
    std::size_t max_length() const noexcept { return max_length_; }
    // Prepares a statement on this connection (the parts prepare theirs once, at construction).
    SQLite::Database& database() noexcept { return *db_; }

private:
    struct transaction_statements {
        explicit transaction_statements(SQLite::Database& db)
            : begin(db, "BEGIN IMMEDIATE"), commit(db, "COMMIT"), rollback(db, "ROLLBACK") {}
        SQLite::Statement begin, commit, rollback;
    };

    config cfg_;
    Clock clock_;
    std::unique_ptr<SQLite::Database> db_;
    std::unique_ptr<transaction_statements> tx_;
    std::recursive_mutex mu_;
    string_map<std::int64_t> keys_;
    int depth_ = 0;
    std::size_t max_length_ = 0;
};

#if defined(AGENTKIT_SEPARATE_COMPILATION)
extern template class basic_sqlite_connection<system_clock>;
#endif

}  // namespace agentkit::storage
