#pragma once
// The storage behind cache<...>: one shard's open-addressing table of 64-bit slots (hash tag | node index)
// over an array of nodes, with the eviction policy's bookkeeping, the expiry deadlines and the counters.
// cache<...> holds one shard per concurrency stripe and serialises calls per shard.
#include <agentkit/cache/cache_metrics.hpp>
#include <agentkit/cache/node_list.hpp>
#include <agentkit/cache/stats.hpp>
#include <agentkit/core/error.hpp>
#include <agentkit/core/huge_page_allocator.hpp>

#include <algorithm>
#include <bit>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <utility>
#include <vector>

namespace agentkit::cache::detail {

template <class X>
struct expiry_traits {
    using duration = std::chrono::nanoseconds;
};
template <class X>
requires X::enabled struct expiry_traits<X> {
    using duration = typename X::duration;
};

template <class K, class V, class Expiry, class Capacity>
struct cache_node {
    std::uint32_t prev = nil;  // the eviction policy's queue links
    std::uint32_t next = nil;
    std::uint32_t hash = 0;  // high half of the mixed 64-bit key hash
    std::uint8_t flag = 0;   // the eviction policy's per-entry state (queue id, visited bit)
    [[no_unique_address]] typename Capacity::entry_weight weight{};
    [[no_unique_address]] typename Expiry::entry_time expiry{};
    K key{};
    V value{};
};

enum class removal { explicit_, evicted, expired };

// One shard: the table, the nodes, the policy state and the counters. Not thread safe by itself; the
// cache front serialises calls per shard as its concurrency policy says.
template <class K, class V, class E, class X, class C>
class cache_shard {
public:
    using node = cache_node<K, V, X, C>;
    using duration = typename expiry_traits<X>::duration;
    struct config {
        std::size_t max_size = 0;
        std::size_t max_entry_size = 0;
        typename X::config expiry{};
        typename E::config eviction{};
    };

    cache_shard() : cache_shard(config{.max_size = 1}) {}
    explicit cache_shard(const config& s) : s_(s), policy_(s.eviction, s.max_size) {
        // Entry-counted caches know their final size: reserve it (up to 16M entries) so neither the nodes
        // nor the table ever move. Byte-counted caches grow.
        const std::size_t expect = C::weighted ? 8 : std::min<std::size_t>(s.max_size, std::size_t{1} << 24);
        nodes_.reserve(expect);
        table_.assign(std::bit_ceil(std::max<std::size_t>(16, 2 * expect)), 0);
        mask_ = table_.size() - 1;
    }

    // The value of key, or nullptr: counts a hit or a miss and tells the policy.
    V* lookup(const K& key, std::uint32_t h) {
        const std::uint32_t i = find_index(key, h);
        if (i == nil) {
            ++misses_;
            meter_.miss();
            return nullptr;
        }
        node& n = nodes_[i];
        if constexpr (X::enabled) {
            const auto now = s_.expiry.clock.now();
            if (n.expiry.deadline <= now) {
                remove(i, removal::expired);
                ++misses_;
                meter_.miss();
                return nullptr;
            }
            if (s_.expiry.update_age_on_get && n.expiry.ttl > duration::zero()) n.expiry.deadline = now + n.expiry.ttl;
        }
        policy_.on_hit(nodes_, i);
        ++hits_;
        meter_.hit();
        return &n.value;
    }
    // Presence without side effects: no stats, no reordering.
    bool contains(const K& key, std::uint32_t h) const {
        const std::uint32_t i = find_index(key, h);
        if (i == nil) return false;
        if constexpr (X::enabled) return nodes_[i].expiry.deadline > s_.expiry.clock.now();
        return true;
    }

    // Stores key -> value; false when the entry is larger than max_entry_size (skipped, counted, and any
    // older value of key dropped so a stale value is never served).
    bool put(K&& key, V&& value, std::uint32_t h, std::optional<duration> ttl) {
        const std::size_t w = C::weigh(key, value);
        std::uint32_t i = find_index(key, h);
        if constexpr (C::weighted) {
            const std::size_t limit = s_.max_entry_size == 0 ? s_.max_size : std::min(s_.max_entry_size, s_.max_size);
            if (w > limit) {
                ++skipped_;
                if (i != nil) remove(i, removal::explicit_);
                return false;
            }
        }
        if (i != nil) {
            node& n = nodes_[i];
            n.value = std::move(value);
            if constexpr (C::weighted) {
                const std::size_t before = n.weight.get();
                n.weight.set(w);
                policy_.on_reweigh(nodes_, i, before, w);
                weight_ = weight_ - before + w;
                meter_.reweighed(before, w);
            }
            set_deadline(n, ttl);
            policy_.on_hit(nodes_, i);
        } else {
            if ((count_ + 1) * 2 > table_.size()) grow();
            i = allocate();
            node& n = nodes_[i];
            n.key = std::move(key);
            n.value = std::move(value);
            n.hash = h;
            n.weight.set(w);
            set_deadline(n, ttl);
            std::size_t pos = h & mask_;
            while (table_[pos] != 0) pos = (pos + 1) & mask_;
            table_[pos] = (std::uint64_t{h} << 32) | (std::uint64_t{i} + 1);
            ++count_;
            weight_ += w;
            meter_.added(w);
            policy_.on_insert(nodes_, i);
        }
        if (weight_ > s_.max_size)
            policy_.evict(
                nodes_, [this] { return weight_ > s_.max_size; },
                [this](std::uint32_t v) { remove(v, removal::evicted); });
        return true;
    }

    bool invalidate(const K& key, std::uint32_t h) {
        const std::uint32_t i = find_index(key, h);
        if (i == nil) return false;
        remove(i, removal::explicit_);
        return true;
    }
    template <class Pred>
    std::size_t invalidate_if(Pred& pred) {
        std::vector<std::uint32_t> doomed;
        for_each_index([&](std::uint32_t i) {
            if (pred(std::as_const(nodes_[i].key), std::as_const(nodes_[i].value))) doomed.push_back(i);
        });
        for (const auto i : doomed) remove(i, removal::explicit_);
        return doomed.size();
    }
    std::size_t clear_expired() {
        std::vector<std::uint32_t> doomed;
        if constexpr (X::enabled) {
            const auto now = s_.expiry.clock.now();
            for_each_index([&](std::uint32_t i) {
                if (nodes_[i].expiry.deadline <= now) doomed.push_back(i);
            });
            for (const auto i : doomed) remove(i, removal::expired);
        }
        return doomed.size();
    }
    void clear() noexcept {
        std::fill(table_.begin(), table_.end(), 0);
        nodes_.clear();
        free_.clear();
        policy_.clear();
        count_ = weight_ = 0;
        meter_.cleared();
    }
    template <class F>
    void for_each(F&& f) const {
        for_each_index([&](std::uint32_t i) { f(nodes_[i].key, nodes_[i].value); });
    }

    cache_stats statistics() const noexcept {
        return {hits_, misses_, evictions_, expirations_, skipped_, count_, weight_, s_.max_size};
    }
    void reset_stats() noexcept { hits_ = misses_ = evictions_ = expirations_ = skipped_ = 0; }
    // Reports to `s` from now on (null series: to nothing); the entries held now move to its gauges.
    void attach(const cache_series& s) noexcept { meter_.attach(s, count_, weight_); }
    std::size_t size() const noexcept { return count_; }
    // Bytes this shard holds beyond what the keys and values themselves own on the heap.
    std::size_t memory_bytes() const noexcept {
        std::size_t b = nodes_.capacity() * sizeof(node) + table_.capacity() * sizeof(std::uint64_t) +
            free_.capacity() * sizeof(std::uint32_t);
        if constexpr (requires { policy_.sketch(); }) b += policy_.sketch().memory_bytes();
        return b;
    }
    const config& configuration() const noexcept { return s_; }

private:
    std::uint32_t find_index(const K& key, std::uint32_t h) const {
        std::size_t pos = h & mask_;
        for (;;) {
            const std::uint64_t s = table_[pos];
            if (s == 0) return nil;
            if (static_cast<std::uint32_t>(s >> 32) == h) {
                const auto i = static_cast<std::uint32_t>(s) - 1;
                if (nodes_[i].key == key) return i;
            }
            pos = (pos + 1) & mask_;
        }
    }
    template <class F>
    void for_each_index(F&& f) const {
        for (const std::uint64_t s : table_)
            if (s != 0) f(static_cast<std::uint32_t>(s) - 1);
    }
    void set_deadline([[maybe_unused]] node& n, [[maybe_unused]] const std::optional<duration>& ttl) {
        if constexpr (X::enabled) {
            n.expiry.ttl = ttl.value_or(s_.expiry.ttl);
            n.expiry.deadline =
                n.expiry.ttl > duration::zero() ? s_.expiry.clock.now() + n.expiry.ttl : X::time_point::max();
        }
    }
    std::uint32_t allocate() {
        if (!free_.empty()) {
            const std::uint32_t i = free_.back();
            free_.pop_back();
            return i;
        }
        if (nodes_.size() >= nil - 1)
            throw error(errc::capacity_exceeded, "more than 2^32 - 2 entries in one shard", "cache.max_size");
        nodes_.emplace_back();
        return static_cast<std::uint32_t>(nodes_.size() - 1);
    }
    void remove(std::uint32_t i, removal why) {
        node& n = nodes_[i];
        // Backward-shift deletion: pull later members of the probe run into the hole, so lookups never
        // need tombstones and the table never degrades.
        std::size_t hole = n.hash & mask_;
        while (static_cast<std::uint32_t>(table_[hole]) != i + 1) hole = (hole + 1) & mask_;
        for (std::size_t j = hole;;) {
            j = (j + 1) & mask_;
            const std::uint64_t s = table_[j];
            if (s == 0) break;
            const std::size_t home = static_cast<std::uint32_t>(s >> 32) & mask_;
            if (((j - home) & mask_) >= ((j - hole) & mask_)) {
                table_[hole] = s;
                hole = j;
            }
        }
        table_[hole] = 0;
        policy_.on_erase(nodes_, i);
        --count_;
        weight_ -= n.weight.get();
        meter_.removed(n.weight.get());
        n.key = K{};  // release what the key and value own now, not when the slot is reused
        n.value = V{};
        free_.push_back(i);
        switch (why) {
            case removal::evicted:
                ++evictions_;
                meter_.evicted();
                break;
            case removal::expired:
                ++expirations_;
                meter_.expired();
                break;
            case removal::explicit_: break;
        }
    }
    void grow() {
        table_vector bigger(table_.size() * 2, 0);
        const std::size_t mask = bigger.size() - 1;
        for (const std::uint64_t s : table_) {
            if (s == 0) continue;
            std::size_t pos = static_cast<std::uint32_t>(s >> 32) & mask;
            while (bigger[pos] != 0) pos = (pos + 1) & mask;
            bigger[pos] = s;
        }
        table_.swap(bigger);
        mask_ = mask;
    }

    using table_vector = std::vector<std::uint64_t, huge_page_allocator<std::uint64_t>>;
    config s_;
    std::vector<node, huge_page_allocator<node>> nodes_;
    table_vector table_;
    std::vector<std::uint32_t> free_;
    std::size_t mask_ = 0;
    std::size_t count_ = 0;
    std::size_t weight_ = 0;
    typename E::state policy_;
    std::uint64_t hits_ = 0, misses_ = 0, evictions_ = 0, expirations_ = 0, skipped_ = 0;
    cache_meter meter_;
};

struct no_inflight {};

}  // namespace agentkit::cache::detail
