#pragma once
// storage::memory — the in-process backend: everything in hash maps behind one mutex. Nothing survives
// the process; choose it for tests, short-lived agents, or as the L1 in front of storage::sqlite.
// Same contract and errors as storage::sqlite (tests run one suite against both).
#include <agentkit/core/clock.hpp>
#include <agentkit/core/hash.hpp>
#include <agentkit/storage/backend.hpp>
#include <agentkit/storage/records.hpp>
#include <agentkit/storage/storage_metrics.hpp>

#include <algorithm>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

namespace agentkit::storage {

struct memory_config {
    storage::limits limits{};
};

template <clock_policy Clock = system_clock>
class basic_memory_backend {
public:
    using config = memory_config;
    using clock_type = Clock;

    basic_memory_backend() = default;
    explicit basic_memory_backend(config cfg, Clock clock = Clock{}) : cfg_(std::move(cfg)), clock_(std::move(clock)) {}

    // --- sessions ---------------------------------------------------------------------------------
    bool create_session(std::string_view id) {
        detail::check_session_id(id, cfg_.limits);
        std::lock_guard lock(mu_);
        const auto now = now_ms();
        if (auto it = sessions_.find(id); it != sessions_.end()) {
            touch_locked(it->second, now);
            return false;
        }
        auto [it, ok] = sessions_.emplace(std::string(id), state{});
        it->second.info.id = it->first;
        it->second.info.created_at = now;
        it->second.info.last_active_at = now;
        it->second.seq = ++seq_;
        by_activity_.emplace(key_of(it->second), &it->second);
        return true;
    }
    void touch(std::string_view id) {
        std::lock_guard lock(mu_);
        touch_locked(require(id), now_ms());
    }
    std::size_t delete_session(std::string_view id) {
        std::lock_guard lock(mu_);
        auto it = sessions_.find(id);
        if (it == sessions_.end()) return 0;
        const auto n = it->second.messages.size();
        by_activity_.erase(key_of(it->second));
        sessions_.erase(it);
        return n;
    }
    std::optional<session_info> find_session(std::string_view id) const {
        std::lock_guard lock(mu_);
        auto it = sessions_.find(id);
        if (it == sessions_.end()) return std::nullopt;
        return it->second.info;
    }
    std::vector<session_info> list_sessions(std::size_t limit) const {
        std::lock_guard lock(mu_);
        std::vector<session_info> out;
        for (auto it = by_activity_.rbegin(); it != by_activity_.rend() && out.size() < limit; ++it)
            out.push_back(it->second->info);
        return out;
    }
    std::size_t session_count() const {
        std::lock_guard lock(mu_);
        return sessions_.size();
    }

    // --- messages ---------------------------------------------------------------------------------
    message_id append(std::string_view session, const message& m) {
        detail::check_message(m, cfg_.limits);
        std::lock_guard lock(mu_);
        const auto started = meter_.start();
        auto& s = require(session);
        const auto now = now_ms();
        s.messages.push_back({++next_id_, now, m});
        ++s.info.message_count;
        touch_locked(s, now);
        meter_.appended(1, started);
        return next_id_;
    }
    message_id append_batch(std::string_view session, std::span<const message> batch) {
        for (std::size_t i = 0; i < batch.size(); ++i)
            detail::check_message(batch[i], cfg_.limits, std::string("batch[").append(std::to_string(i)).append("]"));
        std::lock_guard lock(mu_);
        const auto started = meter_.start();
        auto& s = require(session);
        if (batch.empty()) return 0;
        const auto now = now_ms();
        const auto first = next_id_ + 1;
        for (const auto& m : batch) s.messages.push_back({++next_id_, now, m});
        s.info.message_count += batch.size();
        touch_locked(s, now);
        meter_.appended(batch.size(), started);
        return first;
    }
    std::vector<message> last(std::string_view session, std::size_t n) const {
        std::lock_guard lock(mu_);
        const auto& msgs = require(session).messages;
        const auto k = std::min(n, msgs.size());
        std::vector<message> out;
        out.reserve(k);
        for (auto it = msgs.end() - static_cast<std::ptrdiff_t>(k); it != msgs.end(); ++it) out.push_back(it->message);
        return out;
    }
    std::vector<stored_message> last_stored(std::string_view session, std::size_t n) const {
        std::lock_guard lock(mu_);
        const auto& msgs = require(session).messages;
        const auto k = std::min(n, msgs.size());
        return {msgs.end() - static_cast<std::ptrdiff_t>(k), msgs.end()};
    }
    std::vector<stored_message> range(std::string_view session, message_id from, message_id to) const {
        std::lock_guard lock(mu_);
        const auto& msgs = require(session).messages;  // ids ascend within a session
        auto lo = std::lower_bound(msgs.begin(), msgs.end(), from,
                                   [](const stored_message& m, message_id v) { return m.id < v; });
        auto hi = std::upper_bound(lo, msgs.end(), to, [](message_id v, const stored_message& m) { return v < m.id; });
        return {lo, hi};
    }
    std::vector<stored_message> range_by_time(std::string_view session, timestamp_ms from, timestamp_ms to) const {
        std::lock_guard lock(mu_);
        std::vector<stored_message> out;
        for (const auto& m : require(session).messages)  // a clock may step back: no ordering assumed
            if (m.created_at >= from && m.created_at <= to) out.push_back(m);
        return out;
    }

    // --- key-value namespaces -----------------------------------------------------------------------
    void put(std::string_view ns, std::string_view key, std::string_view value) {
        detail::check_key(ns, key, cfg_.limits);
        detail::check_value(value, cfg_.limits);
        std::lock_guard lock(mu_);
        kv_[std::string(ns)].insert_or_assign(std::string(key), std::string(value));
    }
    std::optional<std::string> get(std::string_view ns, std::string_view key) const {
        std::lock_guard lock(mu_);
        auto n = kv_.find(ns);
        if (n == kv_.end()) return std::nullopt;
        auto k = n->second.find(key);
        if (k == n->second.end()) return std::nullopt;
        return k->second;
    }
    bool erase(std::string_view ns, std::string_view key) {
        std::lock_guard lock(mu_);
        auto n = kv_.find(ns);
        if (n == kv_.end()) return false;
        auto k = n->second.find(key);
        if (k == n->second.end()) return false;
        n->second.erase(k);
        return true;
    }
    std::vector<std::string> keys(std::string_view ns) const {
        std::lock_guard lock(mu_);
        std::vector<std::string> out;
        if (auto n = kv_.find(ns); n != kv_.end())
            for (const auto& [k, v] : n->second) out.push_back(k);
        std::sort(out.begin(), out.end());
        return out;
    }

    // --- pruning: sessions idle longer than ttl, then the least recently active beyond max_sessions ---
    prune_counts prune(std::chrono::milliseconds ttl, std::size_t max_sessions) {
        std::lock_guard lock(mu_);
        prune_counts counts;
        const auto cutoff = now_ms() - ttl.count();
        while (!by_activity_.empty() && by_activity_.begin()->first.first < cutoff) {
            counts.messages_deleted += drop_oldest();
            ++counts.sessions_expired;
        }
        while (sessions_.size() > max_sessions) {
            counts.messages_deleted += drop_oldest();
            ++counts.sessions_evicted;
        }
        return counts;
    }

    // --- knowledge graph ----------------------------------------------------------------------------
    entity_id upsert_entity(std::string_view name, std::string_view type) {
        if (name.empty()) throw_invalid_field("entity.name", "is empty");
        std::lock_guard lock(mu_);
        const auto now = now_ms();
        for (auto& [id, e] : entities_)
            if (e.name == name && e.entity_type == type) {
                e.updated_at = now;
                return id;
            }
        const auto id = static_cast<entity_id>(entities_.size() + 1);
        entities_.emplace(id, entity{id, std::string(name), std::string(type), now, now});
        return id;
    }
    std::int64_t add_relation(entity_id from, entity_id to, std::string_view type, double strength) {
        std::lock_guard lock(mu_);
        require_entity(from, "relation.from_entity");
        require_entity(to, "relation.to_entity");
        const auto id = static_cast<std::int64_t>(relations_.size() + 1);
        relations_.push_back({id, from, to, std::string(type), strength, now_ms()});
        return id;
    }
    std::int64_t add_observation(entity_id e, std::string_view content) {
        std::lock_guard lock(mu_);
        require_entity(e, "observation.entity_id");
        const auto id = static_cast<std::int64_t>(observations_.size() + 1);
        observations_.push_back({id, e, std::string(content), now_ms()});
        return id;
    }
    std::optional<entity> find_entity(std::string_view name, std::string_view type) const {
        std::lock_guard lock(mu_);
        for (const auto& [id, e] : entities_)
            if (e.name == name && e.entity_type == type) return e;
        return std::nullopt;
    }
    std::vector<relation> relations_of(entity_id e) const {
        std::lock_guard lock(mu_);
        std::vector<relation> out;
        for (const auto& r : relations_)
            if (r.from_entity == e || r.to_entity == e) out.push_back(r);
        return out;
    }
    std::vector<observation> observations_of(entity_id e, std::size_t limit) const {
        std::lock_guard lock(mu_);
        std::vector<observation> out;
        for (auto it = observations_.rbegin(); it != observations_.rend() && out.size() < limit; ++it)
            if (it->entity == e) out.push_back(*it);
        return out;  // newest first
    }

    const config& configuration() const noexcept { return cfg_; }

    // Reports appends as agentkit_storage_appends_total and agentkit_storage_append_duration_seconds with
    // backend="<instance>" (storage_metrics.hpp). `registry` must outlive the backend. Until this is called
    // an append pays one null-pointer test.
    template <observe::registry Registry>
    void attach_metrics(Registry& registry, std::string_view instance = "memory") {
        const auto s = storage_series_in(registry, instance);
        std::lock_guard lock(mu_);
        meter_.attach(s);
    }

private:
    struct state {
        session_info info;
        std::uint64_t seq = 0;  // breaks ties between equal activity times (older touch first)
        std::vector<stored_message> messages;
    };
    using activity_key = std::pair<timestamp_ms, std::uint64_t>;
    template <class V>
    using string_map = agentkit::string_map<V>;

    timestamp_ms now_ms() const { return to_ms<Clock>(clock_.now()); }
    static activity_key key_of(const state& s) noexcept { return {s.info.last_active_at, s.seq}; }

    state& require(std::string_view id) {
        auto it = sessions_.find(id);
        if (it == sessions_.end()) detail::throw_unknown_session(id);
        return it->second;
    }
    const state& require(std::string_view id) const {
        auto it = sessions_.find(id);
        if (it == sessions_.end()) detail::throw_unknown_session(id);
        return it->second;
    }
    void require_entity(entity_id e, const char* field) const {
        if (!entities_.contains(e))
            throw error(errc::not_found, std::string("no entity ").append(std::to_string(e)), field);
    }
    void touch_locked(state& s, timestamp_ms now) {
        by_activity_.erase(key_of(s));
        s.info.last_active_at = now;
        s.seq = ++seq_;
        by_activity_.emplace(key_of(s), &s);
    }
    std::size_t drop_oldest() {
        auto it = by_activity_.begin();
        const auto n = it->second->messages.size();
        const std::string id = it->second->info.id;
        by_activity_.erase(it);
        sessions_.erase(id);
        return n;
    }

    config cfg_{};
    Clock clock_{};
    mutable std::mutex mu_;
    string_map<state> sessions_;
    std::map<activity_key, state*> by_activity_;
    std::uint64_t seq_ = 0;
    message_id next_id_ = 0;
    string_map<string_map<std::string>> kv_;
    std::map<entity_id, entity> entities_;
    std::vector<relation> relations_;
    std::vector<observation> observations_;
    detail::append_meter meter_;
};

using memory = basic_memory_backend<system_clock>;

static_assert(session_store<memory>);

}  // namespace agentkit::storage
