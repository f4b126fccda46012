#pragma once
// cache<Key, Value, Eviction, Expiry, Capacity, Concurrency, Hash>: one cache template, orthogonal policies.
//
//   Eviction     lru | fifo | sieve | w_tinylfu        which entry leaves when the cache is full
//   Expiry       no_expiry | ttl<Clock>               whether entries also leave when their time runs out
//   Capacity     max_entries | max_bytes<SizeFn>      what config.max_size counts
//   Concurrency  single_thread | mutex | sharded<N>    which threads may call it
//
//   agentkit::cache::cache<std::string, std::string, cache::lru, cache::ttl<>> c({.max_size = 1000,
//                                                                           .expiry = {.ttl = 300s}});
//
// Storage: entries live in one array of nodes (key, value, 32-bit hash, two 32-bit queue links, one flag
// byte) indexed by an open-addressing table of 64-bit slots (hash tag | node index), linear probing,
// load <= 1/2, backward-shift deletion (no tombstones). A hit is a table probe, a key compare and the
// policy's O(1) bookkeeping: no allocation, no virtual call, and no lock under single_thread.
#include <agentkit/cache/cache_fwd.hpp>
#include <agentkit/cache/cache_metrics.hpp>
#include <agentkit/cache/detail/cache_shard.hpp>
#include <agentkit/cache/fifo.hpp>
#include <agentkit/cache/glob.hpp>
#include <agentkit/cache/hash.hpp>
#include <agentkit/cache/lru.hpp>
#include <agentkit/cache/sieve.hpp>
#include <agentkit/cache/stats.hpp>
#include <agentkit/cache/w_tinylfu.hpp>
#include <agentkit/core/error.hpp>

#include <array>
#include <concepts>
#include <cstddef>
#include <cstdint>
#include <exception>
#include <future>
#include <mutex>
#include <optional>
#include <string_view>
#include <type_traits>
#include <unordered_map>
#include <utility>

namespace agentkit::cache {

template <class P>
concept eviction_policy = requires {
    typename P::config;
    typename P::state;
};

template <class Key, class Value, class Eviction, class Expiry, class Capacity, class Concurrency, class Hash>
class cache {
    static_assert(eviction_policy<Eviction>,
                  "agentkit::cache::cache<Key, Value, Eviction, ...>: Eviction is not an eviction policy "
                  "(lru, fifo, sieve, w_tinylfu: needs Eviction::config and Eviction::state)");
    static_assert(expiry_policy<Expiry>,
                  "agentkit::cache::cache<...>: Expiry is not an expiry policy (no_expiry, ttl<Clock>)");
    static_assert(capacity_policy<Capacity>,
                  "agentkit::cache::cache<...>: Capacity is not a capacity policy (max_entries, max_bytes<SizeFn>)");
    static_assert(
        concurrency_policy<Concurrency>,
        "agentkit::cache::cache<...>: Concurrency is not a concurrency policy (single_thread, mutex, sharded<N>)");
    static_assert(std::default_initializable<Key> && std::default_initializable<Value> && std::movable<Value> &&
                      std::equality_comparable<Key>,
                  "agentkit::cache::cache<Key, Value, ...>: Key and Value must be default-constructible and movable, "
                  "Key equality-comparable");

    // A wrong policy stops at its static_assert above; these fallbacks keep the rest from cascading.
    using E_ = std::conditional_t<eviction_policy<Eviction>, Eviction, lru>;
    using X_ = std::conditional_t<expiry_policy<Expiry>, Expiry, no_expiry>;
    using C_ = std::conditional_t<capacity_policy<Capacity>, Capacity, max_entries>;
    using Conc_ = std::conditional_t<concurrency_policy<Concurrency>, Concurrency, single_thread>;

    using shard_type = detail::cache_shard<Key, Value, E_, X_, C_>;
    static constexpr std::size_t shard_count = shard_count_of<Conc_>;
    static constexpr bool thread_safe = Conc_::thread_safe;

public:
    using key_type = Key;
    using mapped_type = Value;
    using eviction_policy_type = Eviction;
    using expiry_policy_type = Expiry;
    using duration = typename shard_type::duration;

    struct config {
        std::size_t max_size = 1000;     // entries (max_entries) or bytes (max_bytes); seeds: tools.cache.maxSize
        std::size_t max_entry_size = 0;  // bytes, max_bytes only; larger values are skipped; 0 = max_size
        typename X_::config expiry{};    // ttl<>: {.ttl, .update_age_on_get, .clock}
        typename E_::config eviction{};  // w_tinylfu: {.window_percent, .protected_percent, .adaptive_window, .warm_up}
    };

    cache() : cache(config{}) {}
    explicit cache(const config& c) : max_size_(c.max_size) {
        if (c.max_size == 0) throw_invalid_field("cache.max_size", "must be at least 1");
        if (c.max_size < shard_count) throw_invalid_field("cache.max_size", "must be at least the number of shards");
        if constexpr (X_::enabled) {
            if (duration::zero() > c.expiry.ttl) throw_invalid_field("cache.ttl", "must not be negative");
        }
        const typename shard_type::config s{c.max_size / shard_count, c.max_entry_size, c.expiry, c.eviction};
        for (auto& sl : slots_) sl.shard = shard_type(s);
    }

    // The value of key (a copy), or nullopt. Counts a hit or a miss.
    std::optional<Value> get(const Key& key) {
        const auto h = hasher_(key);
        auto& sl = slot_of(h);
        std::lock_guard lock(sl.lock);
        if (Value* v = sl.shard.lookup(key, hi(h))) return *v;
        return std::nullopt;
    }
    // The value of key in place, or nullptr; valid until the next call that changes the cache. No copy,
    // so single_thread only.
    Value* find(const Key& key) requires(!thread_safe) {
        const auto h = hasher_(key);
        return slots_[0].shard.lookup(key, hi(h));
    }
    // Whether key is present and fresh; no stats, no reordering.
    bool contains(const Key& key) const {
        const auto h = hasher_(key);
        auto& sl = slot_of(h);
        std::lock_guard lock(sl.lock);
        return sl.shard.contains(key, hi(h));
    }

    // Stores (or replaces) key -> value; false if the value was larger than max_entry_size (skipped).
    bool put(Key key, Value value) { return put_impl(std::move(key), std::move(value), std::nullopt); }
    // Same with this entry's own time to live.
    bool put(Key key, Value value, duration ttl) requires X_::enabled {
        if (ttl < duration::zero()) throw_invalid_field("cache.put.ttl", "must not be negative");
        return put_impl(std::move(key), std::move(value), ttl);
    }

    // The cached value, or compute() stored and returned. Under mutex and sharded<N> this is single-flight:
    // concurrent misses of one key run compute once, the others wait and share its value (or exception).
    template <class F>
    requires std::convertible_to<std::invoke_result_t<F&>, Value> Value get_or_compute(const Key& key, F&& compute) {
        const auto h = hasher_(key);
        auto& sl = slot_of(h);
        if constexpr (!thread_safe) {
            if (Value* v = sl.shard.lookup(key, hi(h))) return *v;
            Value v = compute();
            sl.shard.put(Key(key), Value(v), hi(h), std::nullopt);
            return v;
        } else {
            std::promise<Value> promise;
            {
                std::unique_lock lock(sl.lock);
                if (Value* v = sl.shard.lookup(key, hi(h))) return *v;
                if (auto it = sl.inflight.find(key); it != sl.inflight.end()) {
                    auto shared = it->second;
                    lock.unlock();
                    return shared.get();
                }
                sl.inflight.emplace(key, promise.get_future().share());
            }
            try {
                Value v = compute();
                {
                    std::lock_guard lock(sl.lock);
                    sl.shard.put(Key(key), Value(v), hi(h), std::nullopt);
                    sl.inflight.erase(key);
                }
                promise.set_value(v);
                return v;
            } catch (...) {
                {
                    std::lock_guard lock(sl.lock);
                    sl.inflight.erase(key);
                }
                promise.set_exception(std::current_exception());
                throw;
            }
        }
    }

    bool invalidate(const Key& key) {
        const auto h = hasher_(key);
        auto& sl = slot_of(h);
        std::lock_guard lock(sl.lock);
        return sl.shard.invalidate(key, hi(h));
    }
    // Drops every entry for which pred(key) or pred(key, value) is true; returns how many.
    template <class Pred>
    std::size_t invalidate_if(Pred pred) {
        std::size_t n = 0;
        for (auto& sl : slots_) {
            std::lock_guard lock(sl.lock);
            if constexpr (std::is_invocable_r_v<bool, Pred&, const Key&, const Value&>) {
                n += sl.shard.invalidate_if(pred);
            } else {
                static_assert(std::is_invocable_r_v<bool, Pred&, const Key&>,
                              "agentkit::cache::invalidate_if(pred): pred must be bool(const Key&) or bool(const Key&, "
                              "const Value&)");
                auto by_key = [&pred](const Key& k, const Value&) { return pred(k); };
                n += sl.shard.invalidate_if(by_key);
            }
        }
        return n;
    }
    // Drops every entry whose key matches a glob ("*authentication*", "tool:?:x"); string-like keys only.
    std::size_t invalidate_matching(
        std::string_view pattern) requires std::convertible_to<const Key&, std::string_view> {
        return invalidate_if([pattern](const Key& k) { return glob_match(pattern, std::string_view(k)); });
    }
    void clear() {
        for (auto& sl : slots_) {
            std::lock_guard lock(sl.lock);
            sl.shard.clear();
        }
    }
    // Drops every expired entry now (they are otherwise dropped when next looked up); returns how many.
    std::size_t clear_expired() requires X_::enabled {
        std::size_t n = 0;
        for (auto& sl : slots_) {
            std::lock_guard lock(sl.lock);
            n += sl.shard.clear_expired();
        }
        return n;
    }
    // Visits every entry (expired ones included) under each shard's lock; f must not call back into the cache.
    template <class F>
    void for_each(F&& f) const {
        for (auto& sl : slots_) {
            std::lock_guard lock(sl.lock);
            sl.shard.for_each(f);
        }
    }

    cache_stats statistics() const {
        cache_stats total;
        for (auto& sl : slots_) {
            std::lock_guard lock(sl.lock);
            total += sl.shard.statistics();
        }
        total.capacity = max_size_;
        return total;
    }
    void reset_stats() {
        for (auto& sl : slots_) {
            std::lock_guard lock(sl.lock);
            sl.shard.reset_stats();
        }
    }

    // Reports this cache's hits, misses, evictions, expirations, entries (and bytes, under max_bytes) to
    // `registry` as agentkit_cache_*{cache="<instance>"} (cache_metrics.hpp). Caches attached under one
    // instance name share its series. Attaching again moves the cache to the new instance (or registry).
    // `registry` must outlive the cache. Until this is called the cache pays one null-pointer test per event.
    template <observe::registry Registry>
    void attach_metrics(Registry& registry, std::string_view instance = "cache") {
        attach_series(cache_series_in(registry, instance, C_::weighted));
    }
    // The same with series found beforehand (cache_series_in); cache_series{} detaches.
    void attach_series(const cache_series& series) {
        for (auto& sl : slots_) {
            std::lock_guard lock(sl.lock);
            sl.shard.attach(series);
        }
    }
    std::size_t size() const {
        std::size_t n = 0;
        for (auto& sl : slots_) {
            std::lock_guard lock(sl.lock);
            n += sl.shard.size();
        }
        return n;
    }
    std::size_t capacity() const noexcept { return max_size_; }
    // Bytes the cache's own structures hold (nodes, table, sketch), excluding what keys and values own.
    std::size_t memory_bytes() const {
        std::size_t n = sizeof(*this);
        for (auto& sl : slots_) {
            std::lock_guard lock(sl.lock);
            n += sl.shard.memory_bytes();
        }
        return n;
    }

private:
    using inflight_map =
        std::conditional_t<thread_safe, std::unordered_map<Key, std::shared_future<Value>, Hash>, detail::no_inflight>;
    struct alignas(64) slot {
        mutable typename Conc_::lock_type lock;
        shard_type shard;
        [[no_unique_address]] inflight_map inflight;
    };

    static std::uint32_t hi(std::uint64_t h) noexcept { return static_cast<std::uint32_t>(h >> 32); }
    slot& slot_of(std::uint64_t h) noexcept {
        if constexpr (shard_count == 1)
            return slots_[0];
        else
            return slots_[h & (shard_count - 1)];
    }
    const slot& slot_of(std::uint64_t h) const noexcept {
        if constexpr (shard_count == 1)
            return slots_[0];
        else
            return slots_[h & (shard_count - 1)];
    }
    bool put_impl(Key&& key, Value&& value, std::optional<duration> ttl) {
        const auto h = hasher_(key);
        auto& sl = slot_of(h);
        std::lock_guard lock(sl.lock);
        return sl.shard.put(std::move(key), std::move(value), hi(h), ttl);
    }

    std::array<slot, shard_count> slots_;
    [[no_unique_address]] key_hasher<Key, Hash> hasher_{};
    std::size_t max_size_;
};

}  // namespace agentkit::cache
