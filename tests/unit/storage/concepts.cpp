// The storage concepts: a backend may model only some of them, and each user asks only for what it uses.
// A backend that keeps conversations and nothing else fits the agent's storage slot and runs a turn; one
// that can only prune is enough for session_pruner; both shipped backends and each SQLite part model
// their concepts.
#include <agentkit/agent/agent.hpp>
#include <agentkit/model/scripted_provider.hpp>
#include <agentkit/storage/backend.hpp>
#include <agentkit/storage/graph_store.hpp>
#include <agentkit/storage/kv_store.hpp>
#include <agentkit/storage/memory_backend.hpp>
#include <agentkit/storage/message_store.hpp>
#include <agentkit/storage/session_pruner.hpp>
#include <agentkit/storage/session_store.hpp>
#include <agentkit/storage/sqlite_backend.hpp>
#include <agentkit/storage/store_maintenance.hpp>

#include <boost/asio/io_context.hpp>

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

using namespace agentkit;
using namespace agentkit::storage;
using storage_memory = agentkit::storage::memory;
using storage_sqlite = agentkit::storage::sqlite;

namespace {

// Conversations only (storage::message_store): no key-value namespaces, no graph, no pruning. Time is a
// counter, so activity order is exact.
class conversations_only {
public:
    bool create_session(std::string_view id) {
        auto [it, fresh] = sessions_.try_emplace(std::string(id));
        if (fresh)
            it->second.info = {std::string(id), ++tick_, tick_, 0};
        else
            it->second.info.last_active_at = ++tick_;
        ++creates_;
        return fresh;
    }
    void touch(std::string_view id) { require(id).info.last_active_at = ++tick_; }
    std::size_t delete_session(std::string_view id) {
        auto it = sessions_.find(std::string(id));
        if (it == sessions_.end()) return 0;
        const auto n = it->second.messages.size();
        sessions_.erase(it);
        return n;
    }
    std::optional<session_info> find_session(std::string_view id) const {
        auto it = sessions_.find(std::string(id));
        if (it == sessions_.end()) return std::nullopt;
        return it->second.info;
    }
    std::vector<session_info> list_sessions(std::size_t n) const {
        std::vector<session_info> out;
        for (const auto& [name, s] : sessions_) out.push_back(s.info);
        std::sort(out.begin(), out.end(),
                  [](const auto& a, const auto& b) { return a.last_active_at > b.last_active_at; });
        if (out.size() > n) out.resize(n);
        return out;
    }
    std::size_t session_count() const { return sessions_.size(); }

    message_id append(std::string_view id, const message& m) {
        auto& s = require(id);
        s.messages.push_back({++next_id_, ++tick_, m});
        s.info.last_active_at = tick_;
        ++s.info.message_count;
        return next_id_;
    }
    message_id append_batch(std::string_view id, std::span<const message> batch) {
        message_id first = 0;
        for (const auto& m : batch) {
            const auto i = append(id, m);
            if (first == 0) first = i;
        }
        return first;
    }
    std::vector<message> last(std::string_view id, std::size_t n) const {
        std::vector<message> out;
        for (auto& s : last_stored(id, n)) out.push_back(s.message);
        return out;
    }
    std::vector<stored_message> last_stored(std::string_view id, std::size_t n) const {
        const auto& all = require(id).messages;
        return {all.end() - static_cast<std::ptrdiff_t>(std::min(n, all.size())), all.end()};
    }
    std::vector<stored_message> range(std::string_view id, message_id from, message_id to) const {
        return matching(id, [&](const stored_message& m) { return m.id >= from && m.id <= to; });
    }
    std::vector<stored_message> range_by_time(std::string_view id, timestamp_ms from, timestamp_ms to) const {
        return matching(id, [&](const stored_message& m) { return m.created_at >= from && m.created_at <= to; });
    }

    int creates() const { return creates_; }

private:
    struct state {
        session_info info;
        std::vector<stored_message> messages;
    };
    state& require(std::string_view id) {
        auto it = sessions_.find(std::string(id));
        if (it == sessions_.end()) storage::detail::throw_unknown_session(id);
        return it->second;
    }
    const state& require(std::string_view id) const { return const_cast<conversations_only*>(this)->require(id); }
    template <class Pred>
    std::vector<stored_message> matching(std::string_view id, Pred pred) const {
        std::vector<stored_message> out;
        for (const auto& m : require(id).messages)
            if (pred(m)) out.push_back(m);
        return out;
    }

    std::map<std::string, state> sessions_;
    timestamp_ms tick_ = 0;
    message_id next_id_ = 0;
    int creates_ = 0;
};

// Pruning only (storage::store_maintenance): what session_pruner drives.
struct prune_only {
    int calls = 0;
    prune_counts prune(std::chrono::milliseconds, std::size_t) {
        ++calls;
        return {.sessions_expired = 1, .sessions_evicted = 0, .messages_deleted = 2};
    }
};

// Key-value only: not a message store, so not a storage slot policy.
struct kv_only {
    void put(std::string_view, std::string_view, std::string_view) {}
    std::optional<std::string> get(std::string_view, std::string_view) const { return std::nullopt; }
    bool erase(std::string_view, std::string_view) { return false; }
    std::vector<std::string> keys(std::string_view) const { return {}; }
};

}  // namespace

// Each backend models only what it provides; session_store is all four.
static_assert(message_store<conversations_only> && backend<conversations_only>);
static_assert(!kv_store<conversations_only> && !graph_store<conversations_only> &&
              !store_maintenance<conversations_only>);
static_assert(!session_store<conversations_only>);
static_assert(store_maintenance<prune_only> && !message_store<prune_only> && !backend<prune_only>);
static_assert(kv_store<kv_only> && !message_store<kv_only> && !backend<kv_only>);

// The agent's storage slot takes any backend with messages, and nothing without them.
static_assert(storage_slot_policy<conversations_only>);
static_assert(storage_slot_policy<storage_memory> && storage_slot_policy<storage_sqlite>);
static_assert(!storage_slot_policy<kv_only> && !storage_slot_policy<prune_only>);

// Both shipped backends model every concept.
static_assert(backend<storage_memory> && message_store<storage_memory> && kv_store<storage_memory> &&
              graph_store<storage_memory> && store_maintenance<storage_memory>);
static_assert(backend<storage_sqlite> && message_store<storage_sqlite> && kv_store<storage_sqlite> &&
              graph_store<storage_sqlite> && store_maintenance<storage_sqlite>);
static_assert(session_store<storage_memory> && session_store<storage_sqlite>);
static_assert(session_store<basic_memory_backend<manual_clock>> && session_store<basic_sqlite_backend<manual_clock>>);

// Each SQLite part models its own concept and no other.
static_assert(message_store<basic_sqlite_sessions<>> && !kv_store<basic_sqlite_sessions<>> &&
              !store_maintenance<basic_sqlite_sessions<>>);
static_assert(kv_store<basic_sqlite_kv<>> && !message_store<basic_sqlite_kv<>> && !graph_store<basic_sqlite_kv<>>);
static_assert(graph_store<basic_sqlite_graph<>> && !kv_store<basic_sqlite_graph<>> &&
              !message_store<basic_sqlite_graph<>>);
static_assert(store_maintenance<basic_sqlite_maintenance<>> && !message_store<basic_sqlite_maintenance<>>);
static_assert(storage_slot_policy<basic_sqlite_sessions<>>);

TEST(StorageConcepts, AConversationsOnlyBackendRunsTheAgentsTurnsAndResumes) {
    using conversations_agent = agent<with_model<model::scripted_provider>, with_storage<conversations_only>>;
    using step = model::scripted_provider::step;

    conversations_agent first{use_model(model::scripted_provider{step::reply("Noted.")}),
                              use_config({.session = "ada"})};
    EXPECT_EQ(first.run("My name is Ada.").reply, "Noted.");
    EXPECT_EQ(first.storage().creates(), 1);  // the agent opened the session: the backend has create_session
    ASSERT_EQ(first.storage().last("ada", 10).size(), 2u);
    EXPECT_EQ(first.storage().find_session("ada")->message_count, 2u);

    // A second agent given that store starts from its messages.
    conversations_agent second{use_storage(first.storage()), use_model(model::scripted_provider{step::reply("Ada.")}),
                               use_config({.session = "ada"})};
    EXPECT_EQ(second.history().size(), 2u);
    EXPECT_EQ(second.run("What is my name?").reply, "Ada.");
    const auto stored = second.storage().last_stored("ada", 10);
    ASSERT_EQ(stored.size(), 4u);
    EXPECT_EQ(stored.front().message.content(), "My name is Ada.");
    EXPECT_EQ(stored.back().message.content(), "Ada.");
    EXPECT_EQ(second.storage().range("ada", stored[1].id, stored[2].id).size(), 2u);
}

TEST(StorageConcepts, APruneOnlyStoreIsEnoughForTheSessionPruner) {
    prune_only store;
    boost::asio::io_context io;
    session_pruner<prune_only> pruner(io.get_executor(), store, session_config{});
    EXPECT_EQ(pruner.run_once().messages_deleted, 2u);
    EXPECT_EQ(store.calls, 1);
}
