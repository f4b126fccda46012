#pragma once
// basic_sqlite_kv — storage::sqlite's key-value namespaces (storage::kv_store) on a shared
// basic_sqlite_connection. A value is stored as a BLOB, so any bytes round-trip.
#include <agentkit/core/clock.hpp>
#include <agentkit/storage/kv_store.hpp>
#include <agentkit/storage/records.hpp>
#include <agentkit/storage/sqlite/connection.hpp>
#include <agentkit/storage/sqlite/support.hpp>

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace agentkit::storage {

namespace detail {

// The key-value reads, prepared once by the writer's kv part and by each sqlite_reader.
struct kv_reads {
    explicit kv_reads(SQLite::Database& db)
        : max_length(length_limit(db)),
          kv_get(db, "SELECT value FROM kv WHERE namespace = ? AND key = ?"),
          kv_keys(db, "SELECT key FROM kv WHERE namespace = ? ORDER BY key") {}

    std::size_t max_length;  // of any string bound
    SQLite::Statement kv_get, kv_keys;

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
};

}  // namespace detail

template <clock_policy Clock = system_clock>
class basic_sqlite_kv {
public:
    using connection_type = basic_sqlite_connection<Clock>;

    // `connection` must outlive this part.
    explicit basic_sqlite_kv(connection_type& connection)
        : conn_(connection),
          reads_(connection.template prepare<detail::kv_reads>()),
          writes_(connection.template prepare<write_statements>()) {}

    void put(std::string_view ns, std::string_view key, std::string_view value) {
        detail::check_key(ns, key, conn_.configuration().limits);
        detail::check_value(value, conn_.configuration().limits);
        conn_.locked("put", [&](SQLite::Database&) {
            const auto max_length = conn_.max_length();
            auto& s = writes_->put;
            detail::statement_use use(s);
            detail::bind_text(s, 1, ns, max_length);
            detail::bind_text(s, 2, key, max_length);
            detail::bind_blob(s, 3, value, max_length);
            s.bind(4, conn_.now_ms());
            conn_.in_transaction([&] { s.exec(); });
        });
    }
    std::optional<std::string> get(std::string_view ns, std::string_view key) const {
        return conn_.locked("get", [&](SQLite::Database&) { return reads_->get(ns, key); });
    }
    bool erase(std::string_view ns, std::string_view key) {
        return conn_.locked("erase", [&](SQLite::Database&) {
            auto& s = writes_->erase;
            detail::statement_use use(s);
            detail::bind_text(s, 1, ns, conn_.max_length());
            detail::bind_text(s, 2, key, conn_.max_length());
            return s.exec() > 0;
        });
    }
    std::vector<std::string> keys(std::string_view ns) const {
        return conn_.locked("keys", [&](SQLite::Database&) { return reads_->keys(ns); });
    }

private:
    struct write_statements {
        explicit write_statements(SQLite::Database& db)
            : put(db,
                  "INSERT INTO kv(namespace, key, value, updated_at) VALUES(?, ?, ?, ?) "
                  "ON CONFLICT(namespace, key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at"),
              erase(db, "DELETE FROM kv WHERE namespace = ? AND key = ?") {}
        SQLite::Statement put, erase;
    };

    connection_type& conn_;
    std::unique_ptr<detail::kv_reads> reads_;
    std::unique_ptr<write_statements> writes_;
};

#if defined(AGENTKIT_SEPARATE_COMPILATION)
extern template class basic_sqlite_kv<system_clock>;
#endif

static_assert(kv_store<basic_sqlite_kv<system_clock>>);

}  // namespace agentkit::storage
