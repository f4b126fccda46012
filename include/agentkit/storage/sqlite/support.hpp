#pragma once
// What every part of storage::sqlite shares: SQLite errors as agentkit::error, reused-statement hygiene,
// length-checked binding, pragmas (checked, since they are pasted into SQL) and opening a connection
// (pragmas applied, schema migrated or checked).
// Statements: each reused statement is reset (and its bindings dropped) as soon as its call leaves, however
// it leaves, so no call keeps a read transaction open behind it (that would pin an old snapshot: checkpoints
// stall, and after another connection's commit our next write fails with SQLITE_BUSY_SNAPSHOT).
// Lengths: no string or blob longer than sqlite_config::max_length (SQLITE_LIMIT_LENGTH) is bound; SQLite
// takes bind lengths as int, so a longer one would wrap.
#include <agentkit/core/detail/statement_use.hpp>
#include <agentkit/core/error.hpp>
#include <agentkit/storage/sqlite_config.hpp>
#include <agentkit/storage/sqlite_schema.hpp>

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Exception.h>
#include <SQLiteCpp/Statement.h>
#include <sqlite3.h>

#include <algorithm>
#include <climits>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>

namespace agentkit::storage::detail {

// Runs f, turning SQLite's exceptions into agentkit::error (io_error) that says what we were doing.
template <class F>
decltype(auto) sqlite_call(const char* what, F&& f) {
    try {
        return std::forward<F>(f)();
    } catch (const SQLite::Exception& e) {
        throw error(errc::io_error,
                    std::string(what) + ": " + e.what() + " (SQLite error " + std::to_string(e.getErrorCode()) + ")",
                    "sqlite");
    }
}

// Resets a reused statement when a call leaves, however it leaves, and drops its bindings.
using statement_use = agentkit::detail::statement_use<SQLite::Statement>;

// The longest string or blob this connection takes (SQLITE_LIMIT_LENGTH: at most INT_MAX).
inline std::size_t length_limit(SQLite::Database& db) {
    return static_cast<std::size_t>(sqlite3_limit(db.getHandle(), SQLITE_LIMIT_LENGTH, -1));
}
inline void check_length(std::size_t n, std::size_t max_length) {
    if (n > max_length)
        throw error(errc::capacity_exceeded,
                    std::string("a string or blob of ")
                        .append(std::to_string(n))
                        .append(" bytes exceeds ")
                        .append(std::to_string(max_length))
                        .append(" bytes"),
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
    while (st.executeStep()) {}
}
inline std::string column_text(const SQLite::Column& c) {
    const auto* p = static_cast<const char*>(c.getBlob());
    return p ? std::string(p, static_cast<std::size_t>(c.getBytes())) : std::string();
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
    const bool word =
        v.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz_") == std::string_view::npos;
    return number || word;
}
inline std::string pragma_sql(std::string_view name, std::string_view value) {
    if (!pragma_name_ok(name)) throw_invalid_field("sqlite.pragma", "a pragma name must match [a-z_]+");
    if (!pragma_value_ok(value))
        throw_invalid_field("sqlite.pragma", "a pragma value must be an integer or a word ([A-Za-z_]+)");
    return std::string("PRAGMA ").append(name).append(" = ").append(value);
}

inline void apply_pragmas(SQLite::Database& db, const sqlite_config& c, bool writer) {
    if (writer) {
        // page_size and auto_vacuum only take effect before the first table exists (or on VACUUM).
        exec_pragma(db, pragma_sql("page_size", std::to_string(c.page_size)));
        exec_pragma(db, pragma_sql("auto_vacuum", to_string(c.auto_vacuum)));
        exec_pragma(db, pragma_sql("journal_mode", to_string(c.journal_mode)));
    }
    exec_pragma(db,
                pragma_sql("synchronous", to_string(c.synchronous)));  // always explicit: Debian's WAL default is FULL
    exec_pragma(db, pragma_sql("cache_size", std::to_string(c.cache_size)));
    exec_pragma(db, pragma_sql("temp_store", to_string(c.temp_store)));
    exec_pragma(db, pragma_sql("mmap_size", std::to_string(c.mmap_size)));
    if (writer) {
        exec_pragma(db, pragma_sql("wal_autocheckpoint", std::to_string(c.wal_autocheckpoint)));
        exec_pragma(db, pragma_sql("journal_size_limit", std::to_string(c.journal_size_limit)));
    }
}

inline std::unique_ptr<SQLite::Database> open_database(const sqlite_config& cfg, bool writer) {
    cfg.validate();
    const int flags = (writer && !cfg.read_only) ? (SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE | SQLite::OPEN_NOMUTEX)
                                                 : (SQLite::OPEN_READONLY | SQLite::OPEN_NOMUTEX);
    try {
        auto db = std::make_unique<SQLite::Database>(cfg.path, flags, static_cast<int>(cfg.busy_timeout.count()));
        if (cfg.max_length > 0)  // SQLite caps it at its compile-time limit
            sqlite3_limit(db->getHandle(), SQLITE_LIMIT_LENGTH,
                          static_cast<int>(std::min<std::int64_t>(cfg.max_length, INT_MAX)));
        apply_pragmas(*db, cfg, writer && !cfg.read_only);
        if (writer && !cfg.read_only)
            sqlite_schema::migrate(*db);
        else if (const int v = sqlite_schema::version(*db); v != sqlite_schema::latest_version)
            throw error(errc::invalid_argument,
                        std::string("schema version ")
                            .append(std::to_string(v))
                            .append(" is not this build's ")
                            .append(std::to_string(sqlite_schema::latest_version))
                            .append(" (open it read-write once to migrate)"),
                        "sqlite.schema_version");
        return db;
    } catch (const SQLite::Exception& e) {
        throw error(
            errc::io_error,
            "cannot open '" + cfg.path + "': " + e.what() + " (SQLite error " + std::to_string(e.getErrorCode()) + ")",
            "sqlite.path");
    }
}

}  // namespace agentkit::storage::detail
