#pragma once
// tiered<L1, L2>: a fast bounded cache in front of a larger (or persistent) store. get() tries L1, then
// L2 and promotes an L2 hit into L1; put() writes through to both; invalidation reaches both tiers.
// get_or_compute() is single-flight through L1 (concurrent misses of a key consult L2 and compute once).
//
//   using responses = tiered<cache<std::string, std::string, w_tinylfu, ttl<>, max_entries, sharded<8>>, sqlite_store>;
//   responses r({.max_size = 1000, .expiry = {.ttl = 300s}}, sqlite_store::config{.path = "cache.sqlite"});
#include <agentkit/cache/cache.hpp>
#include <agentkit/cache/stats.hpp>
#include <agentkit/cache/store.hpp>

#include <atomic>
#include <optional>
#include <string_view>
#include <utility>

namespace agentkit::cache {

struct tiered_stats {
    cache_stats l1;
    std::uint64_t l2_hits = 0;
    std::uint64_t l2_misses = 0;
    // Hits in either tier over all lookups.
    double hit_rate() const noexcept {
        const auto n = l1.hits + l2_hits + l2_misses;
        return n == 0 ? 0.0 : static_cast<double>(l1.hits + l2_hits) / static_cast<double>(n);
    }
};

template <class L1, class L2>
class tiered {
public:
    using key_type = typename L1::key_type;
    using mapped_type = typename L1::mapped_type;
    static_assert(
        store<L2, key_type, mapped_type>,
        "agentkit::cache::tiered<L1, L2>: L2 is not a store of L1's key and value (needs get(k) -> optional<V>, "
        "put(k, v), erase(k), clear())");

    template <class... L2Args>
    explicit tiered(const typename L1::config& l1_config, L2Args&&... l2_args)
        : l1_(l1_config), l2_(std::forward<L2Args>(l2_args)...) {}

    std::optional<mapped_type> get(const key_type& key) {
        if (auto v = l1_.get(key)) return v;
        auto v = l2_.get(key);
        if (v) {
            l2_hits_.fetch_add(1, std::memory_order_relaxed);
            l1_.put(key, *v);  // promotion
        } else {
            l2_misses_.fetch_add(1, std::memory_order_relaxed);
        }
        return v;
    }
    // Write-through: the store first, so a crash between the two never leaves L1 ahead of L2.
    void put(const key_type& key, const mapped_type& value) {
        l2_.put(key, value);
        l1_.put(key, value);
    }
    template <class F>
    mapped_type get_or_compute(const key_type& key, F&& compute) {
        return l1_.get_or_compute(key, [&]() -> mapped_type {
            if (auto v = l2_.get(key)) {
                l2_hits_.fetch_add(1, std::memory_order_relaxed);
                return *std::move(v);
            }
            l2_misses_.fetch_add(1, std::memory_order_relaxed);
            mapped_type v = compute();
            l2_.put(key, v);
            return v;
        });
    }
    bool invalidate(const key_type& key) {
        const bool a = l1_.invalidate(key);
        const bool b = l2_.erase(key);
        return a || b;
    }
    std::size_t invalidate_matching(std::string_view pattern) requires requires(L2& s) { s.erase_matching(pattern); }
    {
        const std::size_t a = l1_.invalidate_matching(pattern);
        const std::size_t b = l2_.erase_matching(pattern);
        return std::max(a, b);
    }
    void clear() {
        l1_.clear();
        l2_.clear();
    }
    tiered_stats statistics() const {
        return {l1_.statistics(), l2_hits_.load(std::memory_order_relaxed), l2_misses_.load(std::memory_order_relaxed)};
    }
    L1& l1() noexcept { return l1_; }
    L2& l2() noexcept { return l2_; }

private:
    L1 l1_;
    L2 l2_;
    std::atomic<std::uint64_t> l2_hits_{0}, l2_misses_{0};
};

}  // namespace agentkit::cache
