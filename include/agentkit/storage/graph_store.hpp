#pragma once
// storage::graph_store — the knowledge graph: entities (name + type), relations between them and
// observations about them (what memory::entity and the MCP memory server keep).
#include <agentkit/storage/records.hpp>

#include <concepts>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

namespace agentkit::storage {

template <class B>
concept graph_store = requires(B& store, std::string_view name, entity_id e, std::size_t n) {
    { store.upsert_entity(name, name) } -> std::same_as<entity_id>;
    { store.add_relation(e, e, name, 1.0) } -> std::convertible_to<std::int64_t>;
    { store.add_observation(e, name) } -> std::convertible_to<std::int64_t>;
    { store.find_entity(name, name) } -> std::same_as<std::optional<entity>>;
    { store.relations_of(e) } -> std::same_as<std::vector<relation>>;           // either end
    { store.observations_of(e, n) } -> std::same_as<std::vector<observation>>;  // newest first
};

}  // namespace agentkit::storage
