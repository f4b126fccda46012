#pragma once
// A cache's Prometheus series (cache<>::attach_metrics, and every cache front that wraps one):
//   agentkit_cache_hits_total{cache}         lookups that found a fresh entry
//   agentkit_cache_misses_total{cache}       lookups that did not (an expired entry is a miss)
//   agentkit_cache_evictions_total{cache}    entries removed to make room (W-TinyLFU's refused candidates too)
//   agentkit_cache_expirations_total{cache}  entries removed because their time to live ran out
//   agentkit_cache_entries{cache}            entries held now (gauge)
//   agentkit_cache_size_bytes{cache}         sum of entry sizes now, byte-capacity caches (max_bytes) only (gauge)
// The label is the instance name given to attach_metrics; caches attached under one name add into the same
// series (their entries gauges sum). Before attach_metrics a cache pays one null-pointer test per event: no
// atomic, no allocation. After it, a hit or a miss is one relaxed atomic add; the gauges change on inserts
// and removals only. The registry must outlive every cache attached to it.
#include <agentkit/observe/counter.hpp>
#include <agentkit/observe/gauge.hpp>
#include <agentkit/observe/metric_registry_fwd.hpp>

#include <cstddef>
#include <string_view>

namespace agentkit::cache {

// The series one cache updates; all null until attached.
struct cache_series {
    observe::counter* hits = nullptr;
    observe::counter* misses = nullptr;
    observe::counter* evictions = nullptr;
    observe::counter* expirations = nullptr;
    observe::gauge* entries = nullptr;
    observe::gauge* size_bytes = nullptr;  // byte-capacity caches only
};

// The series of cache `instance` in `registry`, registering the families on first use. `bytes`: the cache
// counts its capacity in bytes, so agentkit_cache_size_bytes is reported too.
template <observe::registry Registry>
cache_series cache_series_in(Registry& registry, std::string_view instance, bool bytes) {
    const auto counter = [&](const char* name, const char* help) {
        return &registry.find_or_add_counter(name, help, {"cache"}).with({instance});
    };
    const auto gauge = [&](const char* name, const char* help) {
        return &registry.find_or_add_gauge(name, help, {"cache"}).with({instance});
    };
    cache_series s;
    s.hits = counter("agentkit_cache_hits", "Cache lookups that found a fresh entry");
    s.misses = counter("agentkit_cache_misses", "Cache lookups that found no fresh entry");
    s.evictions = counter("agentkit_cache_evictions", "Cache entries removed to make room");
    s.expirations = counter("agentkit_cache_expirations", "Cache entries removed because their time to live ran out");
    s.entries = gauge("agentkit_cache_entries", "Entries the cache holds");
    if (bytes)
        s.size_bytes =
            gauge("agentkit_cache_size_bytes", "Sum of the sizes of the entries a byte-capacity cache holds");
    return s;
}

namespace detail {

// One shard's link to its series, plus what the shard has added to the gauges, so that a shard copied,
// moved, cleared, re-attached or destroyed adds or takes back exactly its own entries.
class cache_meter {
public:
    cache_meter() = default;
    // A copy holds the same entries as the original: it adds them again.
    cache_meter(const cache_meter& o) : s_(o.s_) { publish(o.entries_, o.weight_); }
    cache_meter(cache_meter&& o) noexcept : s_(o.s_), entries_(o.entries_), weight_(o.weight_) { o.forget(); }
    cache_meter& operator=(const cache_meter& o) {
        if (this != &o) {
            withdraw();
            s_ = o.s_;
            publish(o.entries_, o.weight_);
        }
        return *this;
    }
    cache_meter& operator=(cache_meter&& o) noexcept {
        if (this != &o) {
            withdraw();
            s_ = o.s_;
            entries_ = o.entries_;
            weight_ = o.weight_;
            o.forget();
        }
        return *this;
    }
    ~cache_meter() { withdraw(); }

    // Switches to `s` (moving this shard's entries from the old series' gauges to the new ones).
    void attach(const cache_series& s, std::size_t entries, std::size_t weight) noexcept {
        withdraw();
        s_ = s;
        publish(entries, weight);
    }

    void hit() noexcept {
        if (s_.hits) s_.hits->increment();
    }
    void miss() noexcept {
        if (s_.misses) s_.misses->increment();
    }
    void evicted() noexcept {
        if (s_.evictions) s_.evictions->increment();
    }
    void expired() noexcept {
        if (s_.expirations) s_.expirations->increment();
    }
    void added(std::size_t weight) noexcept {
        if (s_.entries) publish(1, weight);
    }
    void removed(std::size_t weight) noexcept {
        if (s_.entries) unpublish(1, weight);
    }
    void reweighed(std::size_t before, std::size_t after) noexcept {
        if (s_.entries) {
            unpublish(0, before);
            publish(0, after);
        }
    }
    void cleared() noexcept { withdraw_counts(); }

private:
    void publish(std::size_t entries, std::size_t weight) noexcept {
        if (!s_.entries) return;
        entries_ += entries;
        weight_ += weight;
        if (entries) s_.entries->add(static_cast<double>(entries));
        if (s_.size_bytes && weight) s_.size_bytes->add(static_cast<double>(weight));
    }
    void unpublish(std::size_t entries, std::size_t weight) noexcept {
        entries_ -= entries;
        weight_ -= weight;
        if (entries) s_.entries->sub(static_cast<double>(entries));
        if (s_.size_bytes && weight) s_.size_bytes->sub(static_cast<double>(weight));
    }
    void withdraw_counts() noexcept {
        if (s_.entries) unpublish(entries_, weight_);
    }
    void withdraw() noexcept {
        withdraw_counts();
        s_ = {};
    }
    void forget() noexcept {
        s_ = {};
        entries_ = weight_ = 0;
    }

    cache_series s_{};
    std::size_t entries_ = 0;  // what this shard has added to s_.entries
    std::size_t weight_ = 0;   // and to s_.size_bytes
};

}  // namespace detail

}  // namespace agentkit::cache
