#pragma once
// fifo: first in, first out. A hit changes nothing (no write on the read path, the cheapest hit); the
// oldest insertion is evicted. The baseline the modern FIFO-based policies (SIEVE, S3-FIFO) improve on.
#include <agentkit/cache/cache_fwd.hpp>
#include <agentkit/cache/node_list.hpp>

namespace agentkit::cache {

struct fifo {
    template <class K, class V>
    using cache_type = cache<K, V, fifo>;
    struct config {};

    class state {
    public:
        state(const config&, std::size_t) {}
        template <class Ns> void on_insert(Ns& ns, std::uint32_t i) noexcept { q_.push_back(ns, i, ns[i].weight.get()); }
        template <class Ns> void on_hit(Ns&, std::uint32_t) noexcept {}
        template <class Ns> void on_erase(Ns& ns, std::uint32_t i) noexcept { q_.unlink(ns, i, ns[i].weight.get()); }
        template <class Ns> void on_reweigh(Ns&, std::uint32_t, std::size_t before, std::size_t after) noexcept {
            q_.weight = q_.weight - before + after;
        }
        template <class Ns, class Over, class Evict>
        void evict(Ns&, Over over, Evict evict) {
            while (over() && !q_.empty()) evict(q_.head);
        }
        void clear() noexcept { q_ = {}; }

    private:
        detail::node_list q_;
    };
};

}  // namespace agentkit::cache
