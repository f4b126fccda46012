#pragma once
// basic_sqlite_sessions — storage::sqlite's sessions and messages (storage::message_store) on a shared
// basic_sqlite_connection. Each append is one transaction and append_batch puts many in one; an append has
// committed when it returns.
#include <agentkit/core/clock.hpp>
#include <agentkit/core/error.hpp>
#include <agentkit/core/message.hpp>
#include <agentkit/observe/metric_registry_fwd.hpp>
#include <agentkit/storage/message_codec.hpp>
#include <agentkit/storage/message_store.hpp>
#include <agentkit/storage/records.hpp>
#include <agentkit/storage/sqlite/connection.hpp>
#include <agentkit/storage/sqlite/support.hpp>
#include <agentkit/storage/storage_metrics.hpp>

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace agentkit::storage {

namespace detail {

inline constexpr const char* message_columns =
    "id, created_at, role, content, name, tool_call_id, tool_calls, importance";

inline stored_message read_message_row(SQLite::Statement& s) {
    stored_message out;
    out.id = s.getColumn(0).getInt64();
    out.created_at = s.getColumn(1).getInt64();
    const auto r = s.getColumn(2).getInt();
    if (r < 0 || r > static_cast<int>(role::tool))
        throw error(errc::parse_error,
                    std::string("message ")
                        .append(std::to_string(out.id))
                        .append(" has unknown role ")
                        .append(std::to_string(r)),
                    "messages.role");
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
            for (auto& c : codec::decode_tool_calls(
                     {static_cast<const char*>(calls.getBlob()), static_cast<std::size_t>(calls.getBytes())}))
                out.message.add_tool_call(std::move(c));
    }
    if (!(importance >= 0.0 && importance <= 1.0))
        throw error(errc::parse_error,
                    std::string("message ").append(std::to_string(out.id)).append(" has importance outside [0, 1]"),
                    "messages.importance");
    out.message.set_importance(static_cast<float>(importance));
    return out;
}

// The session and message reads, prepared once by the writer's sessions part and by each sqlite_reader.
struct session_reads {
    explicit session_reads(SQLite::Database& db)
        : max_length(length_limit(db)),
          session_key(db, "SELECT id FROM sessions WHERE name = ?"),
          session_row(db, "SELECT name, created_at, last_active_at, message_count FROM sessions WHERE name = ?"),
          list(db,
               "SELECT name, created_at, last_active_at, message_count FROM sessions ORDER BY last_active_at DESC, id "
               "DESC LIMIT ?"),
          count(db, "SELECT count(*) FROM sessions"),
          last_n(db,
                 std::string("SELECT ") + message_columns +
                     " FROM messages WHERE session_id = ? ORDER BY id DESC LIMIT ?"),
          range_ids(db,
                    std::string("SELECT ") + message_columns +
                        " FROM messages WHERE session_id = ? AND id BETWEEN ? AND ? ORDER BY id"),
          range_time(db,
                     std::string("SELECT ") + message_columns +
                         " FROM messages WHERE session_id = ? AND created_at BETWEEN ? AND ? ORDER BY id") {}

    std::size_t max_length;  // of any string bound
    SQLite::Statement session_key, session_row, list, count, last_n, range_ids, range_time;

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
};

}  // namespace detail

template <clock_policy Clock = system_clock>
class basic_sqlite_sessions {
public:
    using connection_type = basic_sqlite_connection<Clock>;

    // `connection` must outlive this part.
    explicit basic_sqlite_sessions(connection_type& connection)
        : conn_(connection),
          reads_(connection.template prepare<detail::session_reads>()),
          writes_(connection.template prepare<write_statements>()) {}

    // --- sessions ---------------------------------------------------------------------------------
    bool create_session(std::string_view id) {
        detail::check_session_id(id, conn_.configuration().limits);
        return conn_.locked("create_session", [&](SQLite::Database& db) {
            const auto now = conn_.now_ms();
            if (auto k = key_of(id)) {
                touch_key(*k, now);
                return false;
            }
            auto& s = writes_->insert_session;
            detail::statement_use use(s);
            detail::bind_text(s, 1, id, conn_.max_length());
            s.bind(2, now);
            s.bind(3, now);
            s.exec();
            conn_.cache_key(id, db.getLastInsertRowid());
            return true;
        });
    }
    void touch(std::string_view id) {
        conn_.locked("touch", [&](SQLite::Database&) { touch_key(require(id), conn_.now_ms()); });
    }
    std::size_t delete_session(std::string_view id) {
        return conn_.locked("delete_session", [&](SQLite::Database&) -> std::size_t {
            const auto k = key_of(id);
            if (!k) return 0;
            std::size_t n = 0;
            conn_.in_transaction([&] {
                n = exec_key(writes_->delete_messages, *k);
                exec_key(writes_->delete_session, *k);
            });
            conn_.forget_key(id);
            return n;
        });
    }
    std::optional<session_info> find_session(std::string_view id) const {
        return conn_.locked("find_session", [&](SQLite::Database&) { return reads_->find_session(id); });
    }
    std::vector<session_info> list_sessions(std::size_t limit) const {
        return conn_.locked("list_sessions", [&](SQLite::Database&) { return reads_->list_sessions(limit); });
    }
    std::size_t session_count() const {
        return conn_.locked("session_count", [&](SQLite::Database&) { return reads_->session_count(); });
    }

    // --- messages ---------------------------------------------------------------------------------
    message_id append(std::string_view session, const message& m) {
        detail::check_message(m, conn_.configuration().limits);
        return conn_.locked("append", [&](SQLite::Database& db) {
            const auto started = meter_.start();
            const auto k = require(session);
            message_id id = 0;
            const auto now = conn_.now_ms();
            conn_.in_transaction([&] {
                id = insert_message(db, k, now, m);
                after_append(session, k, now, 1);
            });
            meter_.appended(1, started);
            return id;
        });
    }
    message_id append_batch(std::string_view session, std::span<const message> batch) {
        for (std::size_t i = 0; i < batch.size(); ++i)
            detail::check_message(batch[i], conn_.configuration().limits,
                                  std::string("batch[").append(std::to_string(i)).append("]"));
        return conn_.locked("append_batch", [&](SQLite::Database& db) {
            const auto started = meter_.start();
            const auto k = require(session);
            message_id first = 0;
            if (batch.empty()) return first;
            const auto now = conn_.now_ms();
            conn_.in_transaction([&] {
                for (const auto& m : batch) {
                    const auto id = insert_message(db, k, now, m);
                    if (first == 0) first = id;
                }
                after_append(session, k, now, batch.size());
            });
            meter_.appended(batch.size(), started);
            return first;
        });
    }
    std::vector<message> last(std::string_view session, std::size_t n) const {
        std::vector<message> out;
        auto rows = last_stored(session, n);
        out.reserve(rows.size());
        for (auto& r : rows) out.push_back(std::move(r.message));
        return out;
    }
    std::vector<stored_message> last_stored(std::string_view session, std::size_t n) const {
        return conn_.locked("last", [&](SQLite::Database&) { return reads_->last(require(session), n); });
    }
    std::vector<stored_message> range(std::string_view session, message_id from, message_id to) const {
        return conn_.locked(
            "range", [&](SQLite::Database&) { return reads_->between(reads_->range_ids, require(session), from, to); });
    }
    std::vector<stored_message> range_by_time(std::string_view session, timestamp_ms from, timestamp_ms to) const {
        return conn_.locked("range_by_time", [&](SQLite::Database&) {
            return reads_->between(reads_->range_time, require(session), from, to);
        });
    }

    // Reports appends as agentkit_storage_appends_total and agentkit_storage_append_duration_seconds with
    // backend="<instance>" (storage_metrics.hpp); a sample is one append / append_batch call, its commit
    // included. `registry` must outlive this part. Until this is called an append pays one null-pointer
    // test and reads no clock.
    template <observe::registry Registry>
    void attach_metrics(Registry& registry, std::string_view instance = "sqlite") {
        const auto s = storage_series_in(registry, instance);
        conn_.locked("attach_metrics", [&](SQLite::Database&) { meter_.attach(s); });
    }

private:
    struct write_statements {
        explicit write_statements(SQLite::Database& db)
            : insert_session(db, "INSERT INTO sessions(name, created_at, last_active_at) VALUES(?, ?, ?)"),
              touch(db, "UPDATE sessions SET last_active_at = ? WHERE id = ?"),
              after_append(db,
                           "UPDATE sessions SET last_active_at = ?, message_count = message_count + ? WHERE id = ?"),
              insert_message(db,
                             "INSERT INTO messages(session_id, created_at, role, content, name, tool_call_id, "
                             "tool_calls, importance) "
                             "VALUES(?, ?, ?, ?, ?, ?, ?, ?)"),
              delete_messages(db, "DELETE FROM messages WHERE session_id = ?"),
              delete_session(db, "DELETE FROM sessions WHERE id = ?") {}
        SQLite::Statement insert_session, touch, after_append, insert_message, delete_messages, delete_session;
    };

    // The session's row id, from the connection's cache or looked up (and cached). Under locked().
    std::optional<std::int64_t> key_of(std::string_view id) const {
        if (auto k = conn_.cached_key(id)) return k;
        auto k = reads_->find_key(id);
        if (k) conn_.cache_key(id, *k);
        return k;
    }
    std::int64_t require(std::string_view id) const {
        auto k = key_of(id);
        if (!k) detail::throw_unknown_session(id);
        return *k;
    }
    void touch_key(std::int64_t k, timestamp_ms now) {
        auto& s = writes_->touch;
        detail::statement_use use(s);
        s.bind(1, now);
        s.bind(2, k);
        s.exec();
    }
    static std::size_t exec_key(SQLite::Statement& s, std::int64_t k) {
        detail::statement_use use(s);
        s.bind(1, k);
        return static_cast<std::size_t>(s.exec());
    }
    message_id insert_message(SQLite::Database& db, std::int64_t k, timestamp_ms now, const message& m) {
        auto& s = writes_->insert_message;
        const auto max_length = conn_.max_length();
        detail::statement_use use(s);
        s.bind(1, k);
        s.bind(2, now);
        s.bind(3, static_cast<int>(m.role()));
        detail::bind_text(s, 4, m.content(), max_length);
        detail::bind_text(s, 5, m.name(), max_length);
        detail::bind_text(s, 6, m.tool_call_id(), max_length);
        s.bind(8, static_cast<double>(m.importance()));
        if (m.tool_calls().empty()) {
            s.bind(7);
            s.exec();
        } else {
            const auto blob = codec::encode_tool_calls(m.tool_calls());
            detail::bind_blob(s, 7, blob, max_length);
            s.exec();
        }
        return db.getLastInsertRowid();
    }
    void after_append(std::string_view session, std::int64_t k, timestamp_ms now, std::size_t n) {
        auto& s = writes_->after_append;
        detail::statement_use use(s);
        s.bind(1, now);
        s.bind(2, static_cast<std::int64_t>(n));
        s.bind(3, k);
        if (s.exec() == 0) {  // another connection deleted the session under our cached key
            conn_.forget_key(session);
            detail::throw_unknown_session(session);
        }
    }

    connection_type& conn_;
    std::unique_ptr<detail::session_reads> reads_;
    std::unique_ptr<write_statements> writes_;
    detail::append_meter meter_;
};

#if defined(AGENTKIT_SEPARATE_COMPILATION)
extern template class basic_sqlite_sessions<system_clock>;
#endif

static_assert(message_store<basic_sqlite_sessions<system_clock>>);

}  // namespace agentkit::storage
