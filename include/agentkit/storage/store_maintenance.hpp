#pragma once
// storage::store_maintenance — the upkeep every backend can do and session_pruner drives: drop the
// sessions idle longer than ttl, then the least recently active beyond max_sessions.
// File upkeep (checkpoint, vacuum, optimize, integrity_check) is storage::sqlite's own (sqlite/maintenance.hpp):
// an in-memory backend has no file, and no generic code needs it.
#include <agentkit/storage/records.hpp>

#include <chrono>
#include <concepts>
#include <cstddef>

namespace agentkit::storage {

template <class B>
concept store_maintenance = requires(B& store, std::chrono::milliseconds ttl, std::size_t max_sessions) {
    { store.prune(ttl, max_sessions) } -> std::same_as<prune_counts>;
};

}  // namespace agentkit::storage
