#pragma once
// Storage concepts.
//   backend       the agent's storage slot: persist a session's messages, read the recent ones back.
//   session_store what both shipped policies (storage::memory, storage::sqlite) provide: sessions with
//                 activity times, batched appends, reads by count / id / time, key-value namespaces,
//                 pruning (ttl + max_sessions) and the knowledge-graph tables.
#include <agentkit/core/message.hpp>
#include <agentkit/storage/records.hpp>

#include <chrono>
#include <concepts>
#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace agentkit::storage {

template <class B>
concept backend = requires(B& store, std::string_view session, const message& m, std::size_t n) {
    store.append(session, m);
    { store.last(session, n) } -> std::convertible_to<std::vector<message>>;
};

template <class B>
concept session_store =
    backend<B> &&
    requires(B& store, std::string_view id, const message& m, std::span<const message> batch, std::size_t n,
             message_id from, timestamp_ms t, std::chrono::milliseconds ttl, std::string_view ns, std::string_view key) {
        // sessions
        { store.create_session(id) } -> std::same_as<bool>;  // false when it existed (then it is touched)
        store.touch(id);
        { store.delete_session(id) } -> std::convertible_to<std::size_t>;  // messages deleted
        { store.find_session(id) } -> std::same_as<std::optional<session_info>>;
        { store.list_sessions(n) } -> std::same_as<std::vector<session_info>>;  // most recently active first
        { store.session_count() } -> std::convertible_to<std::size_t>;
        // messages
        { store.append(id, m) } -> std::same_as<message_id>;
        { store.append_batch(id, batch) } -> std::same_as<message_id>;  // id of the first one
        { store.last_stored(id, n) } -> std::same_as<std::vector<stored_message>>;
        { store.range(id, from, from) } -> std::same_as<std::vector<stored_message>>;         // ids [from, to]
        { store.range_by_time(id, t, t) } -> std::same_as<std::vector<stored_message>>;       // times [from, to]
        // key-value namespaces ("session/checkpoints")
        store.put(ns, key, key);
        { store.get(ns, key) } -> std::same_as<std::optional<std::string>>;
        { store.erase(ns, key) } -> std::same_as<bool>;
        { store.keys(ns) } -> std::same_as<std::vector<std::string>>;
        // pruning
        { store.prune(ttl, n) } -> std::same_as<prune_counts>;
        // knowledge graph
        { store.upsert_entity(id, id) } -> std::same_as<entity_id>;
        { store.add_relation(entity_id{}, entity_id{}, id, 1.0) } -> std::convertible_to<std::int64_t>;
        { store.add_observation(entity_id{}, id) } -> std::convertible_to<std::int64_t>;
        { store.find_entity(id, id) } -> std::same_as<std::optional<entity>>;
        { store.relations_of(entity_id{}) } -> std::same_as<std::vector<relation>>;
        { store.observations_of(entity_id{}, n) } -> std::same_as<std::vector<observation>>;
    };

}  // namespace agentkit::storage
