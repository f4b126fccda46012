#pragma once
// sqlite_store: a persistent second-level cache store (string key -> string/blob value) in one SQLite
// table, WAL journal, so an L2 outlives the process (Caxton's L1-memory-over-L2-SQLite layout). Optional
// time to live in wall-clock time (entries must expire across restarts too). Thread safe: one connection,
// statements prepared once, calls serialised by a mutex. Link agentkit::sqlite.
#include <agentkit/cache/glob.hpp>
#include <agentkit/core/clock.hpp>
#include <agentkit/core/error.hpp>

#include <SQLiteCpp/SQLiteCpp.h>

#include <chrono>
#include <cstdint>
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
        std::chrono::seconds ttl{0};                  // 0 = entries never expire
        int busy_timeout_ms = 5000;
        Clock clock{};
    };

    explicit basic_sqlite_store(config c) : c_(std::move(c)) {
        if (c_.path.empty()) throw_invalid_field("sqlite_store.path", "must not be empty");
        if (!valid_identifier(c_.table)) throw_invalid_field("sqlite_store.table", "must match [A-Za-z_][A-Za-z0-9_]*");
        if (c_.ttl.count() < 0) throw_invalid_field("sqlite_store.ttl", "must not be negative");
        try {
            db_ = std::make_unique<SQLite::Database>(c_.path, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE | SQLite::OPEN_FULLMUTEX);
            db_->setBusyTimeout(c_.busy_timeout_ms);
            if (c_.path != ":memory:") db_->exec("PRAGMA journal_mode=WAL");
            db_->exec("PRAGMA synchronous=NORMAL");
            db_->exec("CREATE TABLE IF NOT EXISTS " + c_.table +
                      " (key TEXT PRIMARY KEY NOT NULL, value BLOB NOT NULL, expires_at INTEGER NOT NULL DEFAULT 0) WITHOUT ROWID");
            get_ = std::make_unique<SQLite::Statement>(*db_, "SELECT value, expires_at FROM " + c_.table + " WHERE key = ?");
            put_ = std::make_unique<SQLite::Statement>(
                *db_, "INSERT INTO " + c_.table +
                          " (key, value, expires_at) VALUES (?, ?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value, "
                          "expires_at = excluded.expires_at");
            erase_ = std::make_unique<SQLite::Statement>(*db_, "DELETE FROM " + c_.table + " WHERE key = ?");
        } catch (const SQLite::Exception& e) {
            throw error(errc::io_error, std::string("cannot open cache database: ") + e.what(), "sqlite_store.path");
        }
    }

    std::optional<std::string> get(const std::string& key) {
        std::lock_guard lock(m_);
        return guarded([&]() -> std::optional<std::string> {
            reset(*get_);
            get_->bindNoCopy(1, key);
            if (!get_->executeStep()) return std::nullopt;
            const auto expires = get_->getColumn(1).getInt64();
            if (expires != 0 && expires <= now_ms()) {
                reset(*erase_);
                erase_->bindNoCopy(1, key);
                erase_->exec();
                return std::nullopt;
            }
            const auto col = get_->getColumn(0);
            return std::string(static_cast<const char*>(col.getBlob()), static_cast<std::size_t>(col.getBytes()));
        });
    }
    void put(const std::string& key, const std::string& value) { put(key, value, c_.ttl); }
    void put(const std::string& key, const std::string& value, std::chrono::seconds ttl) {
        std::lock_guard lock(m_);
        guarded([&] {
            reset(*put_);
            put_->bindNoCopy(1, key);
            put_->bindNoCopy(2, value.data(), static_cast<int>(value.size()));
            put_->bind(3, static_cast<std::int64_t>(ttl.count() > 0 ? now_ms() + ttl.count() * 1000 : 0));
            put_->exec();
            return 0;
        });
    }
    bool erase(const std::string& key) {
        std::lock_guard lock(m_);
        return guarded([&] {
            reset(*erase_);
            erase_->bindNoCopy(1, key);
            return erase_->exec() > 0;
        });
    }
    std::size_t erase_matching(std::string_view pattern) {
        std::lock_guard lock(m_);
        return guarded([&] {
            std::vector<std::string> doomed;
            SQLite::Statement all(*db_, "SELECT key FROM " + c_.table);
            while (all.executeStep()) {
                std::string k = all.getColumn(0).getString();
                if (glob_match(pattern, k)) doomed.push_back(std::move(k));
            }
            SQLite::Transaction tx(*db_);
            for (const auto& k : doomed) {
                reset(*erase_);
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
    std::size_t size() {
        std::lock_guard lock(m_);
        return guarded([&] {
            return static_cast<std::size_t>(db_->execAndGet("SELECT count(*) FROM " + c_.table).getInt64());
        });
    }

private:
    static bool valid_identifier(std::string_view s) {
        if (s.empty() || (s[0] >= '0' && s[0] <= '9')) return false;
        for (char ch : s)
            if (!((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') || ch == '_')) return false;
        return true;
    }
    std::int64_t now_ms() const {
        return std::chrono::duration_cast<std::chrono::milliseconds>(c_.clock.now().time_since_epoch()).count();
    }
    static void reset(SQLite::Statement& s) {
        s.reset();
        s.clearBindings();
    }
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
};

using sqlite_store = basic_sqlite_store<>;

}  // namespace agentkit::cache
