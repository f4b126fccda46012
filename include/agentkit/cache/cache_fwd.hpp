#pragma once
// Forward declaration of cache<> with its defaults, so each eviction policy can name the cache it builds
// (`lru::cache_type<K, V>`, the agent's cache slot) without including the whole template.
#include <agentkit/cache/capacity.hpp>
#include <agentkit/cache/concurrency.hpp>
#include <agentkit/cache/expiry.hpp>

#include <functional>

namespace agentkit::cache {

template <class Key, class Value, class Eviction, class Expiry = no_expiry, class Capacity = max_entries,
          class Concurrency = single_thread, class Hash = std::hash<Key>>
class cache;

}  // namespace agentkit::cache
