#pragma once
// The cache slot's concept: a cache policy names the cache type it builds for a key and a value type,
// so `with_cache<cache::lru>` gives an agent a response cache `lru::cache_type<std::string, std::string>`.
#include <string>

namespace agentkit::cache {

template <class P>
concept cache_policy = requires { typename P::template cache_type<std::string, std::string>; };

}  // namespace agentkit::cache
