#pragma once
// sieve: SIEVE (Zhang et al., "SIEVE is Simpler than LRU", NSDI 2024). A FIFO queue plus one "visited" bit
// per entry and a hand. A hit only sets the bit (no list move, so hits are as cheap as FIFO's and need
// no reordering); eviction moves the hand from old to new, clearing bits, and evicts the first unvisited
// entry. New entries that are never reused leave quickly (quick demotion), popular ones stay in place
// (lazy promotion). docs/benchmarks.md (cache section) has its hit ratios beside LRU and W-TinyLFU on every trace.
#include <agentkit/cache/cache_fwd.hpp>
#include <agentkit/cache/node_list.hpp>

namespace agentkit::cache {

struct sieve {
    template <class K, class V>
    using cache_type = cache<K, V, sieve>;
    struct config {};

    class state {
    public:
        state(const config&, std::size_t) {}
        template <class Ns>
        void on_insert(Ns& ns, std::uint32_t i) noexcept {
            ns[i].flag = 0;
            q_.push_back(ns, i, ns[i].weight.get());
        }
        template <class Ns>
        void on_hit(Ns& ns, std::uint32_t i) noexcept {
            ns[i].flag = 1;
        }
        template <class Ns>
        void on_erase(Ns& ns, std::uint32_t i) noexcept {
            if (hand_ == i) hand_ = ns[i].next;
            q_.unlink(ns, i, ns[i].weight.get());
        }
        template <class Ns>
        void on_reweigh(Ns&, std::uint32_t, std::size_t before, std::size_t after) noexcept {
            q_.weight = q_.weight - before + after;
        }
        template <class Ns, class Over, class Evict>
        void evict(Ns& ns, Over over, Evict evict) {
            while (over() && !q_.empty()) {
                std::uint32_t o = hand_ == detail::nil ? q_.head : hand_;
                while (ns[o].flag) {
                    ns[o].flag = 0;
                    o = ns[o].next == detail::nil ? q_.head : ns[o].next;
                }
                hand_ = o;
                evict(o);  // on_erase moves the hand to the next newer entry (nil: restart at the oldest)
            }
        }
        void clear() noexcept {
            q_ = {};
            hand_ = detail::nil;
        }

    private:
        detail::node_list q_;
        std::uint32_t hand_ = detail::nil;
    };
};

}  // namespace agentkit::cache
