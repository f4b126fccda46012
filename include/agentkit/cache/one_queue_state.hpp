#pragma once
// The state of an eviction policy that keeps its entries in ONE queue, newest at the back, and evicts from the
// front: fifo (a hit changes nothing) and lru (a hit moves the entry to the back) differ only in on_hit.
#include <agentkit/cache/node_list.hpp>

#include <cstddef>
#include <cstdint>

namespace agentkit::cache::detail {

template <bool HitMovesToBack>
class one_queue_state {
public:
    template <class Ns>
    void on_insert(Ns& ns, std::uint32_t i) noexcept {
        q_.push_back(ns, i, ns[i].weight.get());
    }
    template <class Ns>
    void on_hit([[maybe_unused]] Ns& ns, [[maybe_unused]] std::uint32_t i) noexcept {
        if constexpr (HitMovesToBack) q_.move_to_back(ns, i);
    }
    template <class Ns>
    void on_erase(Ns& ns, std::uint32_t i) noexcept {
        q_.unlink(ns, i, ns[i].weight.get());
    }
    template <class Ns>
    void on_reweigh(Ns&, std::uint32_t, std::size_t before, std::size_t after) noexcept {
        q_.weight = q_.weight - before + after;
    }
    template <class Ns, class Over, class Evict>
    void evict(Ns&, Over over, Evict evict) {
        while (over() && !q_.empty()) evict(q_.head);
    }
    void clear() noexcept { q_ = {}; }

private:
    node_list q_;
};

}  // namespace agentkit::cache::detail
