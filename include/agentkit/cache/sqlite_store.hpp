#pragma once
// sqlite_store: a persistent second-level cache store (string key -> string/blob value) in one SQLite
// table, WAL journal, so an L2 outlives the process (Caxton's L1-memory-over-L2-SQLite layout). Optional
// time to live in wall-clock time (entries must expire across restarts too). Thread safe: one connection,
// statements prepared once, calls serialised by a mutex. Link agentkit::sqlite.
// Several stores (processes) may share one file: every statement is reset as soon as its call leaves,
// however it leaves, so no call keeps a read transaction open. A statement left on its row would pin an
// old snapshot: after another connection's write, this connection's next write fails (SQLITE_BUSY_SNAPSHOT,
// which no busy timeout can wait out) and checkpoints cannot complete.
#include <agentkit/cache/glob.hpp>
#include <agentkit/core/clock.hpp>
#include <agentkit/core/detail/statement_use.hpp>
#include <agentkit/core/error.hpp>

#include <SQLiteCpp/SQLiteCpp.h>
#include <sqlite3.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <limits>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace agentkit::cache {

template <clock_policy Clock = system_clock>
class basic_sqlite_store {
public:
    struct config {
        std::string path = "agentkit-cache.sqlite";  // ":memory:" for a private in-memory database
        std::string table = "agentkit_cache";
        std::chrono::seconds ttl{0};  // 0 = entries never expire; a huge ttl saturates (never)
        std::chrono::milliseconds busy_timeout{5000};
        // Largest key and value put or looked up (capacity_exceeded above). Also capped at SQLite's own
        // length limit (SQLITE_LIMIT_LENGTH, 1e9 bytes by default). Keys may be whole prompts (response_cache).
        std::size_t max_key_bytes = std::size_t{16} << 20;    // 16 MiB
        std::size_t max_value_bytes = std::size_t{64} << 20;  // 64 MiB
        Clock clock{};
    };

    explicit basic_sqlite_store(config c) : c_(std::move(c)) {
        if (c_.path.empty()) throw_invalid_field("sqlite_store.path", "must not be empty");
        if (!valid_identifier(c_.table)) throw_invalid_field("sqlite_store.table", "must match [A-Za-z_][A-Za-z0-9_]*");
        if (c_.ttl.count() < 0) throw_invalid_field("sqlite_store.ttl", "must not be negative");
        if (c_.max_key_bytes == 0) throw_invalid_field("sqlite_store.max_key_bytes", "must not be 0");
        if (c_.max_value_bytes == 0) throw_invalid_field("sqlite_store.max_value_bytes", "must not be 0");
        try {
            db_ = std::make_unique<SQLite::Database>(
                c_.path, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE | SQLite::OPEN_FULLMUTEX);
            db_->setBusyTimeout(static_cast<int>(c_.busy_timeout.count()));
            if (c_.path != ":memory:") db_->exec("PRAGMA journal_mode=WAL");
            db_->exec("PRAGMA synchronous=NORMAL");
            // Bind lengths are int: never let a knob exceed what SQLite accepts (at most INT_MAX).
            const auto sqlite_max = static_cast<std::size_t>(sqlite3_limit(db_->getHandle(), SQLITE_LIMIT_LENGTH, -1));
            max_key_bytes_ = std::min(c_.max_key_bytes, sqlite_max);
            max_value_bytes_ = std::min(c_.max_value_bytes, sqlite_max);
            db_->exec("CREATE TABLE IF NOT EXISTS " + c_.table +
                      " (key TEXT PRIMARY KEY NOT NULL, value BLOB NOT NULL, expires_at INTEGER NOT NULL DEFAULT 0) "
                      "WITHOUT ROWID");
            get_ = std::make_unique<SQLite::Statement>(*db_,
                                                       "SELECT value, expires_at FROM " + c_.table + " WHERE key = ?");
            put_ = std::make_unique<SQLite::Statement>(
                *db_,
                "INSERT INTO " + c_.table +
                    " (key, value, expires_at) VALUES (?, ?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value, "
                    "expires_at = excluded.expires_at");
            erase_ = std::make_unique<SQLite::Statement>(*db_, "DELETE FROM " + c_.table + " WHERE key = ?");
        } catch (const SQLite::Exception& e) {
            throw error(errc::io_error, std::string("cannot open cache database: ") + e.what(), "sqlite_store.path");
        }
    }

    std::optional<std::string> get(const std::string& key) {
        check_key(key);
        std::lock_guard lock(m_);
        return guarded([&]() -> std::optional<std::string> {
            std::int64_t expires = 0;
            std::string value;
            {
                statement_use use(*get_);
                get_->bindNoCopy(1, key);
                if (!get_->executeStep()) return std::nullopt;
                expires = get_->getColumn(1).getInt64();
                const auto col = get_->getColumn(0);
                if (const auto* p = static_cast<const char*>(col.getBlob()))
                    value.assign(p, static_cast<std::size_t>(col.getBytes()));
            }
            if (expires != 0 && expires <= now_ms()) {
                statement_use use(*erase_);
                erase_->bindNoCopy(1, key);
                erase_->exec();
                return std::nullopt;
            }
            return value;
        });
    }
    void put(const std::string& key, const std::string& value) { put(key, value, c_.ttl); }
    // ttl 0: never expires; a ttl past the end of time saturates to never.
    void put(const std::string& key, const std::string& value, std::chrono::seconds ttl) {
        if (ttl.count() < 0) throw_invalid_field("sqlite_store.ttl", "must not be negative");
        check_key(key);
        if (value.size() > max_value_bytes_)
            throw error(errc::capacity_exceeded,
                        std::string("value of ")
                            .append(std::to_string(value.size()))
                            .append(" bytes exceeds ")
                            .append(std::to_string(max_value_bytes_))
                            .append(" bytes"),
                        "sqlite_store.max_value_bytes");
        std::lock_guard lock(m_);
        guarded([&] {
            statement_use use(*put_);
            put_->bindNoCopy(1, key);
            put_->bindNoCopy(2, value.data(), static_cast<int>(value.size()));
            put_->bind(3, ttl.count() > 0 ? expiry(ttl) : std::int64_t{0});
            put_->exec();
            return 0;
        });
    }
    bool erase(const std::string& key) {
        check_key(key);
        std::lock_guard lock(m_);
        return guarded([&] {
            statement_use use(*erase_);
            erase_->bindNoCopy(1, key);
            return erase_->exec() > 0;
        });
    }
    std::size_t erase_matching(std::string_view pattern) {
        std::lock_guard lock(m_);
        return guarded([&] {
            std::vector<std::string> doomed;
            {
                SQLite::Statement all(*db_, "SELECT key FROM " + c_.table);
                while (all.executeStep()) {
                    std::string k = all.getColumn(0).getString();
                    if (glob_match(pattern, k)) doomed.push_back(std::move(k));
                }
            }  // finalised before the write transaction begins
            SQLite::Transaction tx(*db_);
            for (const auto& k : doomed) {
                statement_use use(*erase_);
                erase_->bindNoCopy(1, k);
                erase_->exec();
            }
            tx.commit();
            return doomed.size();
        });
    }
    std::size_t clear_expired() {
        std::lock_guard lock(m_);
        return guarded([&] {
            SQLite::Statement del(*db_, "DELETE FROM " + c_.table + " WHERE expires_at != 0 AND expires_at <= ?");
            del.bind(1, static_cast<std::int64_t>(now_ms()));
            return static_cast<std::size_t>(del.exec());
        });
    }
    void clear() {
        std::lock_guard lock(m_);
        guarded([&] { return db_->exec("DELETE FROM " + c_.table); });
    }
    // The effective limits: the config's knobs, capped at SQLite's length limit.
    std::size_t max_key_bytes() const noexcept { return max_key_bytes_; }
    std::size_t max_value_bytes() const noexcept { return max_value_bytes_; }

    std::size_t size() {
        std::lock_guard lock(m_);
        return guarded(
            [&] { return static_cast<std::size_t>(db_->execAndGet("SELECT count(*) FROM " + c_.table).getInt64()); });
    }

private:
    static bool valid_identifier(std::string_view s) {
        if (s.empty() || (s[0] >= '0' && s[0] <= '9')) return false;
        for (char ch : s)
            if (!((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') || ch == '_'))
                return false;
        return true;
    }
    std::int64_t now_ms() const {
        return std::chrono::duration_cast<std::chrono::milliseconds>(c_.clock.now().time_since_epoch()).count();
    }
    // now + ttl in milliseconds, saturating at the largest time instead of wrapping into the past.
    std::int64_t expiry(std::chrono::seconds ttl) const {
        constexpr auto max = std::numeric_limits<std::int64_t>::max();
        const std::int64_t now = now_ms();
        if (ttl.count() > max / 1000) return max;
        const std::int64_t ms = ttl.count() * 1000;
        return now > max - ms ? max : now + ms;
    }
    void check_key(const std::string& key) const {
        if (key.size() > max_key_bytes_)
            throw error(errc::capacity_exceeded,
                        std::string("key of ")
                            .append(std::to_string(key.size()))
                            .append(" bytes exceeds ")
                            .append(std::to_string(max_key_bytes_))
                            .append(" bytes"),
                        "sqlite_store.max_key_bytes");
    }
    // Resets a prepared statement and drops its bindings when a call leaves, however it leaves.
    using statement_use = agentkit::detail::statement_use<SQLite::Statement>;
    template <class F>
    auto guarded(F&& f) {
        try {
            return f();
        } catch (const SQLite::Exception& e) {
            throw error(errc::io_error, std::string("cache database: ") + e.what(), "sqlite_store");
        }
    }

    config c_;
    std::mutex m_;
    std::unique_ptr<SQLite::Database> db_;
    std::unique_ptr<SQLite::Statement> get_, put_, erase_;
    std::size_t max_key_bytes_ = 0, max_value_bytes_ = 0;
};

using sqlite_store = basic_sqlite_store<>;

}  // namespace agentkit::cache
