#pragma once
// storage::kv_store — key-value namespaces ("session/checkpoints", a memory's saved history): string
// values under (namespace, key), listed in key order.
#include <concepts>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace agentkit::storage {

template <class B>
concept kv_store = requires(B& store, std::string_view ns, std::string_view key) {
    store.put(ns, key, key);
    { store.get(ns, key) } -> std::same_as<std::optional<std::string>>;
    { store.erase(ns, key) } -> std::same_as<bool>;                // false when there was nothing to erase
    { store.keys(ns) } -> std::same_as<std::vector<std::string>>;  // ascending
};

}  // namespace agentkit::storage
