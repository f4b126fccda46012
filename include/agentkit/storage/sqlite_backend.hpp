#pragma once
// storage::sqlite — sessions, messages, key-value namespaces and the knowledge graph in one SQLite file
// (SQLiteCpp over the system SQLite). Every pragma of the seeds is configurable (sqlite_config.hpp, with
// the three profiles); the schema is versioned and migrated on open (sqlite_schema.hpp).
//
// Speed: every statement is prepared once and reused; each append is one transaction (BEGIN IMMEDIATE ..
// COMMIT) and append_batch / batch(f) put many writes in one, so a batch costs one commit.
// Concurrency: one backend object is one connection, safe to share between threads (a mutex serialises
// it); under WAL, any number of sqlite_reader connections (open_reader) read while the one writer writes.
// Statements: each reused statement is reset (and its bindings dropped) as soon as its call leaves, however
// it leaves, so no call keeps a read transaction open behind it (that would pin an old snapshot: checkpoints
// stall, and after another connection's commit our next write fails with SQLITE_BUSY_SNAPSHOT).
// Lengths: no string or blob longer than sqlite_config::max_length (SQLITE_LIMIT_LENGTH) is bound; SQLite
// takes bind lengths as int, so a longer one would wrap.
// Durability: an append has committed when it returns. With synchronous=NORMAL a committed transaction
// survives the process being killed (SIGKILL) but may be lost on power failure; FULL survives both.
#include <agentkit/core/clock.hpp>
#include <agentkit/core/config_macros.hpp>
#include <agentkit/core/error.hpp>
#include <agentkit/core/message.hpp>
#include <agentkit/storage/backend.hpp>
#include <agentkit/storage/message_codec.hpp>
#include <agentkit/storage/records.hpp>
#include <agentkit/storage/sqlite_config.hpp>
#include <agentkit/storage/sqlite_schema.hpp>
#include <agentkit/storage/storage_metrics.hpp>

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Exception.h>
#include <SQLiteCpp/Statement.h>
#include <sqlite3.h>

#include <algorithm>
#include <climits>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

namespace agentkit::storage {

namespace detail {

// Runs f, turning SQLite's exceptions into agentkit::error (io_error) that says what we were doing.
template <class F>
decltype(auto) sqlite_call(const char* what, F&& f) {
    try {
        return std::forward<F>(f)();
    } catch (const SQLite::Exception& e) {
        throw error(errc::io_error, std::string(what) + ": " + e.what() + " (SQLite error " + std::to_string(e.getErrorCode()) + ")",
                    "sqlite");
    }
}

// Resets a reused statement when a call leaves, however it leaves, and drops its bindings (a bindNoCopy'd
// argument does not outlive the call).
struct statement_use {
    SQLite::Statement& s;
    explicit statement_use(SQLite::Statement& st) noexcept : s(st) {}
    ~statement_use() {
        s.tryReset();
        try {
            s.clearBindings();
        } catch (...) {  // sqlite3_clear_bindings cannot fail on a prepared statement
        }
    }
    statement_use(const statement_use&) = delete;
    statement_use& operator=(const statement_use&) = delete;
};

// The longest string or blob this connection takes (SQLITE_LIMIT_LENGTH: at most INT_MAX).
inline std::size_t length_limit(SQLite::Database& db) {
    return static_cast<std::size_t>(sqlite3_limit(db.getHandle(), SQLITE_LIMIT_LENGTH, -1));
}
inline void check_length(std::size_t n, std::size_t max_length) {
    if (n > max_length)
        throw error(errc::capacity_exceeded,
                    std::string("a string or blob of ").append(std::to_string(n)).append(" bytes exceeds ").append(std::to_string(max_length)).append(" bytes"),
                    "sqlite.max_length");
}

// Binds TEXT (a sized bindNoCopy would bind a BLOB, which never compares equal to TEXT written by other
// tools). A std::string is bound without a copy and must outlive the execution; a view is copied. Either
// is checked against max_length first, so its size fits SQLite's int.
inline void bind_text(SQLite::Statement& s, int i, const std::string& v, std::size_t max_length) {
    check_length(v.size(), max_length);
    s.bindNoCopy(i, v);
}
inline void bind_text(SQLite::Statement& s, int i, std::string_view v, std::size_t max_length) {
    check_length(v.size(), max_length);
    s.bind(i, std::string(v));
}
// Binds a BLOB without a copy: `v` must outlive the execution.
inline void bind_blob(SQLite::Statement& s, int i, std::string_view v, std::size_t max_length) {
    check_length(v.size(), max_length);
    s.bindNoCopy(i, static_cast<const void*>(v.data()), static_cast<int>(v.size()));
}
// Runs a pragma whether or not it returns a row (some return none, e.g. mmap_size on :memory:).
inline void exec_pragma(SQLite::Database& db, const std::string& sql) {
    SQLite::Statement st(db, sql);
    while (st.executeStep()) {
    }
}
inline std::string column_text(const SQLite::Column& c) {
    const auto* p = static_cast<const char*>(c.getBlob());
    return p ? std::string(p, static_cast<std::size_t>(c.getBytes())) : std::string();
}

inline constexpr const char* message_columns = "id, created_at, role, content, name, tool_call_id, tool_calls, importance";

inline stored_message read_message_row(SQLite::Statement& s) {
    stored_message out;
    out.id = s.getColumn(0).getInt64();
    out.created_at = s.getColumn(1).getInt64();
    const auto r = s.getColumn(2).getInt();
    if (r < 0 || r > static_cast<int>(role::tool))
        throw error(errc::parse_error, std::string("message ").append(std::to_string(out.id)).append(" has unknown role ").append(std::to_string(r)), "messages.role");
    auto content = column_text(s.getColumn(3));
    auto name = column_text(s.getColumn(4));
    auto call_id = column_text(s.getColumn(5));
    const auto importance = s.getColumn(7).getDouble();
    if (static_cast<role>(r) == role::tool) {
        out.message = message::tool_result(std::move(call_id), std::move(content), std::move(name));
    } else {
        out.message = message(static_cast<role>(r), std::move(content));
        out.message.set_name(std::move(name));
        const auto calls = s.getColumn(6);
        if (!calls.isNull())
            for (auto& c : codec::decode_tool_calls({static_cast<const char*>(calls.getBlob()), static_cast<std::size_t>(calls.getBytes())}))
                out.message.add_tool_call(std::move(c));
    }
    if (!(importance >= 0.0 && importance <= 1.0))
        throw error(errc::parse_error, std::string("message ").append(std::to_string(out.id)).append(" has importance outside [0, 1]"), "messages.importance");
    out.message.set_importance(static_cast<float>(importance));
    return out;
}

// Pragma names and values are pasted into SQL (pragmas take no parameters), so only these shapes pass:
// a name is [a-z_]+; a value is an integer ([-]digits) or a word ([A-Za-z_]+). Anything else is an
// invalid_argument naming sqlite.pragma.
inline bool pragma_name_ok(std::string_view name) noexcept {
    if (name.empty()) return false;
    for (const char c : name)
        if (!((c >= 'a' && c <= 'z') || c == '_')) return false;
    return true;
}
inline bool pragma_value_ok(std::string_view v) noexcept {
    if (v.empty()) return false;
    const bool number = v.find_first_not_of("0123456789", v[0] == '-' ? 1 : 0) == std::string_view::npos && v != "-";
    const bool word = v.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz_") == std::string_view::npos;
    return number || word;
}
inline std::string pragma_sql(std::string_view name, std::string_view value) {
    if (!pragma_name_ok(name)) throw_invalid_field("sqlite.pragma", "a pragma name must match [a-z_]+");
    if (!pragma_value_ok(value)) throw_invalid_field("sqlite.pragma", "a pragma value must be an integer or a word ([A-Za-z_]+)");
    return std::string("PRAGMA ").append(name).append(" = ").append(value);
}

inline void apply_pragmas(SQLite::Database& db, const sqlite_config& c, bool writer) {
    if (writer) {
        // page_size and auto_vacuum only take effect before the first table exists (or on VACUUM).
        exec_pragma(db, pragma_sql("page_size", std::to_string(c.page_size)));
        exec_pragma(db, pragma_sql("auto_vacuum", to_string(c.auto_vacuum)));
        exec_pragma(db, pragma_sql("journal_mode", to_string(c.journal_mode)));
    }
    exec_pragma(db, pragma_sql("synchronous", to_string(c.synchronous)));  // always explicit: Debian's WAL default is FULL
    exec_pragma(db, pragma_sql("cache_size", std::to_string(c.cache_size)));
    exec_pragma(db, pragma_sql("temp_store", to_string(c.temp_store)));
    exec_pragma(db, pragma_sql("mmap_size", std::to_string(c.mmap_size)));
    if (writer) {
        exec_pragma(db, pragma_sql("wal_autocheckpoint", std::to_string(c.wal_autocheckpoint)));
        exec_pragma(db, pragma_sql("journal_size_limit", std::to_string(c.journal_size_limit)));
    }
}

// The read statements both the writer and the readers prepare once.
struct read_statements {
    explicit read_statements(SQLite::Database& db)
        : max_length(length_limit(db)),
          session_key(db, "SELECT id FROM sessions WHERE name = ?"),
          session_row(db, "SELECT name, created_at, last_active_at, message_count FROM sessions WHERE name = ?"),
          list(db, "SELECT name, created_at, last_active_at, message_count FROM sessions ORDER BY last_active_at DESC, id DESC LIMIT ?"),
          count(db, "SELECT count(*) FROM sessions"),
          last_n(db, std::string("SELECT ") + message_columns + " FROM messages WHERE session_id = ? ORDER BY id DESC LIMIT ?"),
          range_ids(db, std::string("SELECT ") + message_columns + " FROM messages WHERE session_id = ? AND id BETWEEN ? AND ? ORDER BY id"),
          range_time(db, std::string("SELECT ") + message_columns +
                             " FROM messages WHERE session_id = ? AND created_at BETWEEN ? AND ? ORDER BY id"),
          kv_get(db, "SELECT value FROM kv WHERE namespace = ? AND key = ?"),
          kv_keys(db, "SELECT key FROM kv WHERE namespace = ? ORDER BY key"),
          entity_find(db, "SELECT id, name, entity_type, created_at, updated_at FROM entities WHERE name = ? AND entity_type = ?"),
          relations_of(db, "SELECT id, from_entity, to_entity, relation_type, strength, created_at FROM relations "
                           "WHERE from_entity = ?1 UNION ALL SELECT id, from_entity, to_entity, relation_type, strength, created_at "
                           "FROM relations WHERE to_entity = ?1 AND from_entity <> ?1 ORDER BY id"),
          observations_of(db, "SELECT id, entity_id, content, created_at FROM observations WHERE entity_id = ? "
                              "ORDER BY created_at DESC, id DESC LIMIT ?") {}

    std::size_t max_length;  // of any string bound
    SQLite::Statement session_key, session_row, list, count, last_n, range_ids, range_time, kv_get, kv_keys,
        entity_find, relations_of, observations_of;

    std::optional<std::int64_t> find_key(std::string_view name) {
        statement_use use(session_key);
        bind_text(session_key, 1, name, max_length);
        if (!session_key.executeStep()) return std::nullopt;
        return session_key.getColumn(0).getInt64();
    }
    static storage::session_info info_row(SQLite::Statement& s) {
        return {column_text(s.getColumn(0)), s.getColumn(1).getInt64(), s.getColumn(2).getInt64(),
                static_cast<std::size_t>(s.getColumn(3).getInt64())};
    }
    std::optional<storage::session_info> find_session(std::string_view name) {
        statement_use use(session_row);
        bind_text(session_row, 1, name, max_length);
        if (!session_row.executeStep()) return std::nullopt;
        return info_row(session_row);
    }
    std::vector<storage::session_info> list_sessions(std::size_t limit) {
        statement_use use(list);
        list.bind(1, static_cast<std::int64_t>(std::min<std::size_t>(limit, INT64_MAX)));
        std::vector<storage::session_info> out;
        while (list.executeStep()) out.push_back(info_row(list));
        return out;
    }
    std::size_t session_count() {
        statement_use use(count);
        count.executeStep();
        return static_cast<std::size_t>(count.getColumn(0).getInt64());
    }
    std::vector<stored_message> last(std::int64_t key, std::size_t n) {
        statement_use use(last_n);
        last_n.bind(1, key);
        last_n.bind(2, static_cast<std::int64_t>(std::min<std::size_t>(n, INT64_MAX)));
        std::vector<stored_message> out;
        out.reserve(std::min<std::size_t>(n, 256));
        while (last_n.executeStep()) out.push_back(read_message_row(last_n));
        std::reverse(out.begin(), out.end());
        return out;
    }
    std::vector<stored_message> between(SQLite::Statement& s, std::int64_t key, std::int64_t from, std::int64_t to) {
        statement_use use(s);
        s.bind(1, key);
        s.bind(2, from);
        s.bind(3, to);
        std::vector<stored_message> out;
        while (s.executeStep()) out.push_back(read_message_row(s));
        return out;
    }
    std::optional<std::string> get(std::string_view ns, std::string_view key) {
        statement_use use(kv_get);
        bind_text(kv_get, 1, ns, max_length);
        bind_text(kv_get, 2, key, max_length);
        if (!kv_get.executeStep()) return std::nullopt;
        return column_text(kv_get.getColumn(0));
    }
    std::vector<std::string> keys(std::string_view ns) {
        statement_use use(kv_keys);
        bind_text(kv_keys, 1, ns, max_length);
        std::vector<std::string> out;
        while (kv_keys.executeStep()) out.push_back(column_text(kv_keys.getColumn(0)));
        return out;
    }
    std::optional<entity> find_entity(std::string_view name, std::string_view type) {
        statement_use use(entity_find);
        bind_text(entity_find, 1, name, max_length);
        bind_text(entity_find, 2, type, max_length);
        if (!entity_find.executeStep()) return std::nullopt;
        return entity{entity_find.getColumn(0).getInt64(), column_text(entity_find.getColumn(1)),
                      column_text(entity_find.getColumn(2)), entity_find.getColumn(3).getInt64(),
                      entity_find.getColumn(4).getInt64()};
    }
    std::vector<relation> relations(entity_id e) {
        statement_use use(relations_of);
        relations_of.bind(1, e);
        std::vector<relation> out;
        while (relations_of.executeStep())
            out.push_back({relations_of.getColumn(0).getInt64(), relations_of.getColumn(1).getInt64(),
                           relations_of.getColumn(2).getInt64(), column_text(relations_of.getColumn(3)),
                           relations_of.getColumn(4).getDouble(), relations_of.getColumn(5).getInt64()});
        return out;
    }
    std::vector<observation> observations(entity_id e, std::size_t limit) {
        statement_use use(observations_of);
        observations_of.bind(1, e);
        observations_of.bind(2, static_cast<std::int64_t>(std::min<std::size_t>(limit, INT64_MAX)));
        std::vector<observation> out;
        while (observations_of.executeStep())
            out.push_back({observations_of.getColumn(0).getInt64(), observations_of.getColumn(1).getInt64(),
                           column_text(observations_of.getColumn(2)), observations_of.getColumn(3).getInt64()});
        return out;
    }
};

inline std::unique_ptr<SQLite::Database> open_database(const sqlite_config& cfg, bool writer) {
    cfg.validate();
    const int flags = (writer && !cfg.read_only) ? (SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE | SQLite::OPEN_NOMUTEX)
                                                 : (SQLite::OPEN_READONLY | SQLite::OPEN_NOMUTEX);
    try {
        auto db = std::make_unique<SQLite::Database>(cfg.path, flags, static_cast<int>(cfg.busy_timeout.count()));
        if (cfg.max_length > 0)  // SQLite caps it at its compile-time limit
            sqlite3_limit(db->getHandle(), SQLITE_LIMIT_LENGTH, static_cast<int>(std::min<std::int64_t>(cfg.max_length, INT_MAX)));
        apply_pragmas(*db, cfg, writer && !cfg.read_only);
        if (writer && !cfg.read_only) sqlite_schema::migrate(*db);
        else if (const int v = sqlite_schema::version(*db); v != sqlite_schema::latest_version)
            throw error(errc::invalid_argument,
                        std::string("schema version ").append(std::to_string(v)).append(" is not this build's ")
                            .append(std::to_string(sqlite_schema::latest_version)).append(" (open it read-write once to migrate)"),
                        "sqlite.schema_version");
        return db;
    } catch (const SQLite::Exception& e) {
        throw error(errc::io_error, "cannot open '" + cfg.path + "': " + e.what() + " (SQLite error " + std::to_string(e.getErrorCode()) + ")",
                    "sqlite.path");
    }
}

}  // namespace detail

// A read-only connection: reads run concurrently with the writer under WAL. One reader per thread.
class sqlite_reader {
public:
    explicit sqlite_reader(sqlite_config cfg) : db_(detail::open_database(cfg, false)), reads_(std::make_unique<detail::read_statements>(*db_)) {}

    std::vector<message> last(std::string_view session, std::size_t n) {
        std::vector<message> out;
        for (auto& m : last_stored(session, n)) out.push_back(std::move(m.message));
        return out;
    }
    std::vector<stored_message> last_stored(std::string_view session, std::size_t n) {
        return detail::sqlite_call("last", [&] { return reads_->last(key(session), n); });
    }
    std::vector<stored_message> range(std::string_view session, message_id from, message_id to) {
        return detail::sqlite_call("range", [&] { return reads_->between(reads_->range_ids, key(session), from, to); });
    }
    std::optional<session_info> find_session(std::string_view id) {
        return detail::sqlite_call("find_session", [&] { return reads_->find_session(id); });
    }
    std::vector<session_info> list_sessions(std::size_t limit) {
        return detail::sqlite_call("list_sessions", [&] { return reads_->list_sessions(limit); });
    }
    std::optional<std::string> get(std::string_view ns, std::string_view k) {
        return detail::sqlite_call("get", [&] { return reads_->get(ns, k); });
    }

private:
    std::int64_t key(std::string_view session) {
        auto k = reads_->find_key(session);
        if (!k) detail::throw_unknown_session(session);
        return *k;
    }
    std::unique_ptr<SQLite::Database> db_;
    std::unique_ptr<detail::read_statements> reads_;
};

template <clock_policy Clock = system_clock>
class basic_sqlite_backend {
public:
    using config = sqlite_config;
    using clock_type = Clock;

    // Default: an in-memory database (nothing persists); give a config with a path for a file.
    basic_sqlite_backend() : basic_sqlite_backend(config{}) {}
    explicit basic_sqlite_backend(config cfg, Clock clock = Clock{})
        : cfg_(std::move(cfg)), clock_(std::move(clock)), db_(detail::open_database(cfg_, true)) {
        if (cfg_.read_only) throw_invalid_field("sqlite.read_only", "a backend writes; use sqlite_reader for read-only access");
        detail::sqlite_call("prepare", [&] {
            reads_ = std::make_unique<detail::read_statements>(*db_);
            writes_ = std::make_unique<write_statements>(*db_);
        });
        max_length_ = reads_->max_length;
    }

    // A read-only connection to the same file, for another thread (WAL: readers never block the writer).
    sqlite_reader open_reader() const {
        if (cfg_.path == ":memory:" || cfg_.path.empty())
            throw_invalid_field("sqlite.path", "an in-memory database has no second connection");
        return sqlite_reader(cfg_);
    }

    // --- sessions ---------------------------------------------------------------------------------
    bool create_session(std::string_view id) {
        detail::check_session_id(id, cfg_.limits);
        std::lock_guard lock(mu_);
        return detail::sqlite_call("create_session", [&] {
            const auto now = now_ms();
            if (auto k = key_of(id)) {
                touch_key(*k, now);
                return false;
            }
            auto& s = writes_->insert_session;
            detail::statement_use use(s);
            detail::bind_text(s, 1, id, max_length_);
            s.bind(2, now);
            s.bind(3, now);
            s.exec();
            keys_.emplace(std::string(id), db_->getLastInsertRowid());
            return true;
        });
    }
    void touch(std::string_view id) {
        std::lock_guard lock(mu_);
        detail::sqlite_call("touch", [&] { touch_key(require(id), now_ms()); });
    }
    std::size_t delete_session(std::string_view id) {
        std::lock_guard lock(mu_);
        return detail::sqlite_call("delete_session", [&]() -> std::size_t {
            const auto k = key_of(id);
            if (!k) return 0;
            std::size_t n = 0;
            in_transaction([&] {
                n = exec_key(writes_->delete_messages, *k);
                exec_key(writes_->delete_session, *k);
            });
            keys_.erase(std::string(id));
            return n;
        });
    }
    std::optional<session_info> find_session(std::string_view id) const {
        std::lock_guard lock(mu_);
        return detail::sqlite_call("find_session", [&] { return reads_->find_session(id); });
    }
    std::vector<session_info> list_sessions(std::size_t limit) const {
        std::lock_guard lock(mu_);
        return detail::sqlite_call("list_sessions", [&] { return reads_->list_sessions(limit); });
    }
    std::size_t session_count() const {
        std::lock_guard lock(mu_);
        return detail::sqlite_call("session_count", [&] { return reads_->session_count(); });
    }

    // --- messages ---------------------------------------------------------------------------------
    message_id append(std::string_view session, const message& m) {
        detail::check_message(m, cfg_.limits);
        std::lock_guard lock(mu_);
        const auto started = meter_.start();
        const auto appended = detail::sqlite_call("append", [&] {
            const auto k = require(session);
            message_id id = 0;
            const auto now = now_ms();
            in_transaction([&] {
                id = insert_message(k, now, m);
                after_append(session, k, now, 1);
            });
            return id;
        });
        meter_.appended(1, started);
        return appended;
    }
    message_id append_batch(std::string_view session, std::span<const message> batch) {
        for (std::size_t i = 0; i < batch.size(); ++i) detail::check_message(batch[i], cfg_.limits, std::string("batch[").append(std::to_string(i)).append("]"));
        std::lock_guard lock(mu_);
        const auto started = meter_.start();
        const auto first_id = detail::sqlite_call("append_batch", [&] {
            const auto k = require(session);
            message_id first = 0;
            if (batch.empty()) return first;
            const auto now = now_ms();
            in_transaction([&] {
                for (const auto& m : batch) {
                    const auto id = insert_message(k, now, m);
                    if (first == 0) first = id;
                }
                after_append(session, k, now, batch.size());
            });
            return first;
        });
        if (!batch.empty()) meter_.appended(batch.size(), started);
        return first_id;
    }
    std::vector<message> last(std::string_view session, std::size_t n) const {
        std::vector<message> out;
        auto rows = last_stored(session, n);
        out.reserve(rows.size());
        for (auto& r : rows) out.push_back(std::move(r.message));
        return out;
    }
    std::vector<stored_message> last_stored(std::string_view session, std::size_t n) const {
        std::lock_guard lock(mu_);
        return detail::sqlite_call("last", [&] { return reads_->last(require(session), n); });
    }
    std::vector<stored_message> range(std::string_view session, message_id from, message_id to) const {
        std::lock_guard lock(mu_);
        return detail::sqlite_call("range", [&] { return reads_->between(reads_->range_ids, require(session), from, to); });
    }
    std::vector<stored_message> range_by_time(std::string_view session, timestamp_ms from, timestamp_ms to) const {
        std::lock_guard lock(mu_);
        return detail::sqlite_call("range_by_time", [&] { return reads_->between(reads_->range_time, require(session), from, to); });
    }

    // Runs f with every write inside one transaction (one commit): the way to batch mixed writes.
    // If f throws, everything it wrote is rolled back.
    template <class F>
    void batch(F&& f) {
        std::lock_guard lock(mu_);
        in_transaction(std::forward<F>(f));
    }

    // --- key-value namespaces -----------------------------------------------------------------------
    void put(std::string_view ns, std::string_view key, std::string_view value) {
        detail::check_key(ns, key, cfg_.limits);
        detail::check_value(value, cfg_.limits);
        std::lock_guard lock(mu_);
        detail::sqlite_call("put", [&] {
            auto& s = writes_->kv_put;
            detail::statement_use use(s);
            detail::bind_text(s, 1, ns, max_length_);
            detail::bind_text(s, 2, key, max_length_);
            detail::bind_blob(s, 3, value, max_length_);
            s.bind(4, now_ms());
            in_transaction([&] { s.exec(); });
        });
    }
    std::optional<std::string> get(std::string_view ns, std::string_view key) const {
        std::lock_guard lock(mu_);
        return detail::sqlite_call("get", [&] { return reads_->get(ns, key); });
    }
    bool erase(std::string_view ns, std::string_view key) {
        std::lock_guard lock(mu_);
        return detail::sqlite_call("erase", [&] {
            auto& s = writes_->kv_erase;
            detail::statement_use use(s);
            detail::bind_text(s, 1, ns, max_length_);
            detail::bind_text(s, 2, key, max_length_);
            return s.exec() > 0;
        });
    }
    std::vector<std::string> keys(std::string_view ns) const {
        std::lock_guard lock(mu_);
        return detail::sqlite_call("keys", [&] { return reads_->keys(ns); });
    }

    // --- pruning: idle longer than ttl, then least recently active beyond max_sessions; one transaction ---
    prune_counts prune(std::chrono::milliseconds ttl, std::size_t max_sessions) {
        std::lock_guard lock(mu_);
        return detail::sqlite_call("prune", [&] {
            prune_counts counts;
            in_transaction([&] {
                db_->exec("DELETE FROM temp.prune_ids");
                auto& expired = writes_->prune_expired;
                {
                    detail::statement_use use(expired);
                    expired.bind(1, now_ms() - ttl.count());
                    counts.sessions_expired = static_cast<std::size_t>(expired.exec());
                }
                const auto remaining = reads_->session_count() - counts.sessions_expired;
                if (remaining > max_sessions) {
                    auto& evict = writes_->prune_evict;
                    detail::statement_use use(evict);
                    evict.bind(1, static_cast<std::int64_t>(remaining - max_sessions));
                    counts.sessions_evicted = static_cast<std::size_t>(evict.exec());
                }
                if (counts.sessions() > 0) {
                    counts.messages_deleted = static_cast<std::size_t>(db_->exec("DELETE FROM messages WHERE session_id IN (SELECT id FROM temp.prune_ids)"));
                    db_->exec("DELETE FROM sessions WHERE id IN (SELECT id FROM temp.prune_ids)");
                }
            });
            if (counts.sessions() > 0) keys_.clear();
            return counts;
        });
    }

    // --- knowledge graph ----------------------------------------------------------------------------
    entity_id upsert_entity(std::string_view name, std::string_view type) {
        if (name.empty()) throw_invalid_field("entity.name", "is empty");
        std::lock_guard lock(mu_);
        return detail::sqlite_call("upsert_entity", [&] {
            auto& s = writes_->entity_upsert;
            detail::statement_use use(s);
            detail::bind_text(s, 1, name, max_length_);
            detail::bind_text(s, 2, type, max_length_);
            s.bind(3, now_ms());
            entity_id id = 0;
            in_transaction([&] {
                s.executeStep();
                id = s.getColumn(0).getInt64();
                while (s.executeStep()) {
                }
            });
            return id;
        });
    }
    std::int64_t add_relation(entity_id from, entity_id to, std::string_view type, double strength) {
        std::lock_guard lock(mu_);
        return detail::sqlite_call("add_relation", [&] {
            require_entity(from, "relation.from_entity");
            require_entity(to, "relation.to_entity");
            auto& s = writes_->relation_insert;
            detail::statement_use use(s);
            s.bind(1, from);
            s.bind(2, to);
            detail::bind_text(s, 3, type, max_length_);
            s.bind(4, strength);
            s.bind(5, now_ms());
            in_transaction([&] { s.exec(); });
            return db_->getLastInsertRowid();
        });
    }
    std::int64_t add_observation(entity_id e, std::string_view content) {
        std::lock_guard lock(mu_);
        return detail::sqlite_call("add_observation", [&] {
            require_entity(e, "observation.entity_id");
            auto& s = writes_->observation_insert;
            detail::statement_use use(s);
            s.bind(1, e);
            detail::bind_text(s, 2, content, max_length_);
            s.bind(3, now_ms());
            in_transaction([&] { s.exec(); });
            return db_->getLastInsertRowid();
        });
    }
    std::optional<entity> find_entity(std::string_view name, std::string_view type) const {
        std::lock_guard lock(mu_);
        return detail::sqlite_call("find_entity", [&] { return reads_->find_entity(name, type); });
    }
    std::vector<relation> relations_of(entity_id e) const {
        std::lock_guard lock(mu_);
        return detail::sqlite_call("relations_of", [&] { return reads_->relations(e); });
    }
    std::vector<observation> observations_of(entity_id e, std::size_t limit) const {
        std::lock_guard lock(mu_);
        return detail::sqlite_call("observations_of", [&] { return reads_->observations(e, limit); });
    }

    // --- maintenance --------------------------------------------------------------------------------
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
        std::lock_guard lock(mu_);
        return detail::sqlite_call("checkpoint", [&] {
            SQLite::Statement st(*db_, "PRAGMA wal_checkpoint(TRUNCATE)");
            return !st.executeStep() || st.getColumn(0).getInt() == 0;  // no row: not in WAL mode, nothing to do
        });
    }
    // Empty when the database is sound; otherwise SQLite's list of problems.
    std::vector<std::string> integrity_check() {
        std::lock_guard lock(mu_);
        return detail::sqlite_call("integrity_check", [&] {
            SQLite::Statement s(*db_, "PRAGMA integrity_check");
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
        std::lock_guard lock(mu_);
        return detail::sqlite_call("pragma", [&] {
            SQLite::Statement st(*db_, std::string("PRAGMA ").append(name));
            return st.executeStep() ? detail::column_text(st.getColumn(0)) : std::string();
        });
    }
    int schema_version() {
        std::lock_guard lock(mu_);
        return detail::sqlite_call("schema_version", [&] { return sqlite_schema::version(*db_); });
    }

    const config& configuration() const noexcept { return cfg_; }
    // The longest string or blob this backend binds (sqlite.max_length as SQLite applied it).
    std::size_t max_length() const noexcept { return max_length_; }

    // Reports appends as agentkit_storage_appends_total and agentkit_storage_append_duration_seconds with
    // backend="<instance>" (storage_metrics.hpp); a sample is one append / append_batch call, its commit
    // included. `registry` must outlive the backend. Until this is called an append pays one null-pointer
    // test and reads no clock.
    template <observe::registry Registry>
    void attach_metrics(Registry& registry, std::string_view instance = "sqlite") {
        const auto s = storage_series_in(registry, instance);
        std::lock_guard lock(mu_);
        meter_.attach(s);
    }

private:
    struct write_statements {
        explicit write_statements(SQLite::Database& db)
            : begin(db, "BEGIN IMMEDIATE"),
              commit(db, "COMMIT"),
              rollback(db, "ROLLBACK"),
              insert_session(db, "INSERT INTO sessions(name, created_at, last_active_at) VALUES(?, ?, ?)"),
              touch(db, "UPDATE sessions SET last_active_at = ? WHERE id = ?"),
              after_append(db, "UPDATE sessions SET last_active_at = ?, message_count = message_count + ? WHERE id = ?"),
              insert_message(db, "INSERT INTO messages(session_id, created_at, role, content, name, tool_call_id, tool_calls, importance) "
                                 "VALUES(?, ?, ?, ?, ?, ?, ?, ?)"),
              delete_messages(db, "DELETE FROM messages WHERE session_id = ?"),
              delete_session(db, "DELETE FROM sessions WHERE id = ?"),
              kv_put(db, "INSERT INTO kv(namespace, key, value, updated_at) VALUES(?, ?, ?, ?) "
                         "ON CONFLICT(namespace, key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at"),
              kv_erase(db, "DELETE FROM kv WHERE namespace = ? AND key = ?"),
              entity_upsert(db, "INSERT INTO entities(name, entity_type, created_at, updated_at) VALUES(?1, ?2, ?3, ?3) "
                                "ON CONFLICT(name, entity_type) DO UPDATE SET updated_at = excluded.updated_at RETURNING id"),
              entity_exists(db, "SELECT 1 FROM entities WHERE id = ?"),
              relation_insert(db, "INSERT INTO relations(from_entity, to_entity, relation_type, strength, created_at) VALUES(?, ?, ?, ?, ?)"),
              observation_insert(db, "INSERT INTO observations(entity_id, content, created_at) VALUES(?, ?, ?)"),
              prune_table((db.exec("CREATE TEMP TABLE IF NOT EXISTS prune_ids(id INTEGER PRIMARY KEY)"), 0)),
              prune_expired(db, "INSERT INTO temp.prune_ids SELECT id FROM sessions WHERE last_active_at < ?"),
              prune_evict(db, "INSERT INTO temp.prune_ids SELECT id FROM sessions WHERE id NOT IN (SELECT id FROM temp.prune_ids) "
                              "ORDER BY last_active_at, id LIMIT ?") {}
        SQLite::Statement begin, commit, rollback, insert_session, touch, after_append, insert_message, delete_messages,
            delete_session, kv_put, kv_erase, entity_upsert, entity_exists, relation_insert, observation_insert;
        int prune_table;
        SQLite::Statement prune_expired, prune_evict;
    };

    timestamp_ms now_ms() const { return to_ms<Clock>(clock_.now()); }

    // Runs f in a transaction unless one is open already (then f joins it).
    template <class F>
    void in_transaction(F&& f) {
        if (depth_ > 0) {
            std::forward<F>(f)();
            return;
        }
        detail::sqlite_call("begin", [&] {
            detail::statement_use use(writes_->begin);
            writes_->begin.exec();
        });
        ++depth_;
        try {
            std::forward<F>(f)();
            --depth_;
            detail::sqlite_call("commit", [&] {
                detail::statement_use use(writes_->commit);
                writes_->commit.exec();
            });
        } catch (...) {
            if (depth_ > 0) --depth_;
            keys_.clear();  // a rolled-back create_session must not stay cached
            if (!db_->getHandle() || sqlite3_get_autocommit(db_->getHandle()) == 0) {
                writes_->rollback.tryReset();
                try {
                    writes_->rollback.exec();
                } catch (...) {
                }
                writes_->rollback.tryReset();
            }
            throw;
        }
    }

    std::optional<std::int64_t> key_of(std::string_view id) {
        if (auto it = keys_.find(id); it != keys_.end()) return it->second;
        auto k = reads_->find_key(id);
        if (k) keys_.emplace(std::string(id), *k);
        return k;
    }
    std::int64_t require(std::string_view id) {
        auto k = key_of(id);
        if (!k) detail::throw_unknown_session(id);
        return *k;
    }
    std::int64_t require(std::string_view id) const {  // called under mu_, so filling the cache is safe
        if (auto it = keys_.find(id); it != keys_.end()) return it->second;
        auto k = reads_->find_key(id);
        if (!k) detail::throw_unknown_session(id);
        keys_.emplace(std::string(id), *k);
        return *k;
    }
    void require_entity(entity_id e, const char* field) {
        auto& s = writes_->entity_exists;
        detail::statement_use use(s);
        s.bind(1, e);
        if (!s.executeStep()) throw error(errc::not_found, std::string("no entity ").append(std::to_string(e)), field);
    }
    void touch_key(std::int64_t k, timestamp_ms now) {
        auto& s = writes_->touch;
        detail::statement_use use(s);
        s.bind(1, now);
        s.bind(2, k);
        s.exec();
    }
    std::size_t exec_key(SQLite::Statement& s, std::int64_t k) {
        detail::statement_use use(s);
        s.bind(1, k);
        return static_cast<std::size_t>(s.exec());
    }
    message_id insert_message(std::int64_t k, timestamp_ms now, const message& m) {
        auto& s = writes_->insert_message;
        detail::statement_use use(s);
        s.bind(1, k);
        s.bind(2, now);
        s.bind(3, static_cast<int>(m.role()));
        detail::bind_text(s, 4, m.content(), max_length_);
        detail::bind_text(s, 5, m.name(), max_length_);
        detail::bind_text(s, 6, m.tool_call_id(), max_length_);
        s.bind(8, static_cast<double>(m.importance()));
        if (m.tool_calls().empty()) {
            s.bind(7);
            s.exec();
        } else {
            const auto blob = codec::encode_tool_calls(m.tool_calls());
            detail::bind_blob(s, 7, blob, max_length_);
            s.exec();
        }
        return db_->getLastInsertRowid();
    }
    void after_append(std::string_view session, std::int64_t k, timestamp_ms now, std::size_t n) {
        auto& s = writes_->after_append;
        detail::statement_use use(s);
        s.bind(1, now);
        s.bind(2, static_cast<std::int64_t>(n));
        s.bind(3, k);
        if (s.exec() == 0) {  // another connection deleted the session under our cached key
            keys_.erase(std::string(session));
            detail::throw_unknown_session(session);
        }
    }
    void run(const char* what, const std::string& sql) {
        std::lock_guard lock(mu_);
        detail::sqlite_call(what, [&] { db_->exec(sql); });
    }

    struct transparent_hash {
        using is_transparent = void;
        std::size_t operator()(std::string_view s) const noexcept { return std::hash<std::string_view>{}(s); }
    };

    config cfg_;
    Clock clock_;
    std::unique_ptr<SQLite::Database> db_;
    std::unique_ptr<detail::read_statements> reads_;
    std::unique_ptr<write_statements> writes_;
    mutable std::recursive_mutex mu_;
    mutable std::unordered_map<std::string, std::int64_t, transparent_hash, std::equal_to<>> keys_;  // session name -> row id
    int depth_ = 0;
    std::size_t max_length_ = 0;
    detail::append_meter meter_;
};

using sqlite = basic_sqlite_backend<system_clock>;
#if defined(AGENTKIT_SEPARATE_COMPILATION)
// Compiled once, in src/sqlite.cpp: a user's translation unit instantiates none of sqlite's members.
extern template class basic_sqlite_backend<system_clock>;
#endif

static_assert(session_store<sqlite>);

}  // namespace agentkit::storage
