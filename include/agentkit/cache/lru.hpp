#pragma once
// lru: least recently used. A hit moves the entry to the newest end; the oldest is evicted. Exact LRU, the
// same algorithm as java.util.LinkedHashMap in access order and the node lru-cache package.
#include <agentkit/cache/cache_fwd.hpp>
#include <agentkit/cache/node_list.hpp>

namespace agentkit::cache {

struct lru {
    template <class K, class V>
    using cache_type = cache<K, V, lru>;
    struct config {};

    class state {
    public:
        state(const config&, std::size_t) {}
        template <class Ns> void on_insert(Ns& ns, std::uint32_t i) noexcept { q_.push_back(ns, i, ns[i].weight.get()); }
        template <class Ns> void on_hit(Ns& ns, std::uint32_t i) noexcept { q_.move_to_back(ns, i); }
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
