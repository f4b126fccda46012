#pragma once
// storage::message_store — sessions and their messages: what a conversation's history needs.
// Sessions carry activity times; appends may be batched; reads go by count, by id or by time.
// Both shipped backends (storage::memory, storage::sqlite) model it; so can a backend that keeps only
// conversations (no key-value namespaces, no graph, no pruning).
#include <agentkit/core/message.hpp>
#include <agentkit/storage/records.hpp>

#include <concepts>
#include <cstddef>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

namespace agentkit::storage {

template <class B>
concept message_store = requires(B& store, std::string_view id, const message& m, std::span<const message> batch,
                                 std::size_t n, message_id from, timestamp_ms t) {
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
    { store.last(id, n) } -> std::convertible_to<std::vector<message>>;
    { store.last_stored(id, n) } -> std::same_as<std::vector<stored_message>>;
    { store.range(id, from, from) } -> std::same_as<std::vector<stored_message>>;    // ids [from, to]
    { store.range_by_time(id, t, t) } -> std::same_as<std::vector<stored_message>>;  // times [from, to]
};

}  // namespace agentkit::storage
