#pragma once
// lru: least recently used. A hit moves the entry to the newest end; the oldest is evicted. Exact LRU, the
// same algorithm as java.util.LinkedHashMap in access order and the node lru-cache package.
#include <agentkit/cache/cache_fwd.hpp>
#include <agentkit/cache/one_queue_state.hpp>

#include <cstddef>

namespace agentkit::cache {

struct lru {
    template <class K, class V>
    using cache_type = cache<K, V, lru>;
    struct config {};

    class state : public detail::one_queue_state<true> {
    public:
        state(const config&, std::size_t) {}
    };
};

}  // namespace agentkit::cache
