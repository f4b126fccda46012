#pragma once
// The cache slot's concept: a cache policy names the cache type it builds for a key and a value type,
// so `with_cache<cache::lru>` gives an agent a response cache `lru::cache_type<std::string, std::string>`.
#include <string>

namespace agentkit::cache {

/// @brief The response-cache slot of an agent (`with_cache<P>`): a policy that names the cache it builds.
/// @details `P::cache_type<Key, Value>` is the cache type for a key and a value type; the agent's cache is
/// `P::cache_type<std::string, std::string>` (prompt key to answer). Models: `lru`, `w_tinylfu`, `sieve`, `fifo`,
/// `tiered<...>`. Default: no cache.
/// @tparam P the cache policy.
template <class P>
concept cache_policy = requires {
    typename P::template cache_type<std::string, std::string>;
};

}  // namespace agentkit::cache
