#pragma once
// sqlite_reader — a read-only connection to a storage::sqlite file: under WAL, reads run concurrently with
// the one writer and never block it. One reader per thread (it has no mutex of its own).
#include <agentkit/core/message.hpp>
#include <agentkit/storage/records.hpp>
#include <agentkit/storage/sqlite/kv.hpp>
#include <agentkit/storage/sqlite/sessions.hpp>
#include <agentkit/storage/sqlite/support.hpp>
#include <agentkit/storage/sqlite_config.hpp>

#include <SQLiteCpp/Database.h>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace agentkit::storage {

class sqlite_reader {
public:
    explicit sqlite_reader(sqlite_config cfg)
        : db_(detail::open_database(cfg, false)),
          sessions_(std::make_unique<detail::session_reads>(*db_)),
          kv_(std::make_unique<detail::kv_reads>(*db_)) {}

    std::vector<message> last(std::string_view session, std::size_t n) {
        std::vector<message> out;
        for (auto& m : last_stored(session, n)) out.push_back(std::move(m.message));
        return out;
    }
    std::vector<stored_message> last_stored(std::string_view session, std::size_t n) {
        return detail::sqlite_call("last", [&] { return sessions_->last(key(session), n); });
    }
    std::vector<stored_message> range(std::string_view session, message_id from, message_id to) {
        return detail::sqlite_call("range",
                                   [&] { return sessions_->between(sessions_->range_ids, key(session), from, to); });
    }
    std::optional<session_info> find_session(std::string_view id) {
        return detail::sqlite_call("find_session", [&] { return sessions_->find_session(id); });
    }
    std::vector<session_info> list_sessions(std::size_t limit) {
        return detail::sqlite_call("list_sessions", [&] { return sessions_->list_sessions(limit); });
    }
    std::optional<std::string> get(std::string_view ns, std::string_view k) {
        return detail::sqlite_call("get", [&] { return kv_->get(ns, k); });
    }

private:
    std::int64_t key(std::string_view session) {
        auto k = sessions_->find_key(session);
        if (!k) detail::throw_unknown_session(session);
        return *k;
    }
    std::unique_ptr<SQLite::Database> db_;
    std::unique_ptr<detail::session_reads> sessions_;
    std::unique_ptr<detail::kv_reads> kv_;
};

}  // namespace agentkit::storage
