#pragma once
// fifo: first in, first out. A hit changes nothing (no write on the read path, the cheapest hit); the
// oldest insertion is evicted. The baseline the modern FIFO-based policies (SIEVE, S3-FIFO) improve on.
#include <agentkit/cache/cache_fwd.hpp>
#include <agentkit/cache/one_queue_state.hpp>

#include <cstddef>

namespace agentkit::cache {

struct fifo {
    template <class K, class V>
    using cache_type = cache<K, V, fifo>;
    struct config {};

    class state : public detail::one_queue_state<false> {
    public:
        state(const config&, std::size_t) {}
    };
};

}  // namespace agentkit::cache
