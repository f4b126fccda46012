#pragma once
// Cache statistics. Plain counters bumped under the shard's lock (or no lock at all for single_thread):
// an increment is one add on a line the operation already owns, so stats are always on.
#include <cstddef>
#include <cstdint>

namespace agentkit::cache {

struct cache_stats {
    std::uint64_t hits = 0;
    std::uint64_t misses = 0;
    std::uint64_t evictions = 0;    // removed to make room (including candidates W-TinyLFU refused)
    std::uint64_t expirations = 0;  // removed because their time to live ran out
    std::uint64_t skipped = 0;      // puts refused because the entry was larger than max_entry_size
    std::size_t size = 0;           // entries held now
    std::size_t weight = 0;         // sum of entry sizes (= size when capacity counts entries)
    std::size_t capacity = 0;       // max_size: entries or bytes, as the capacity policy counts

    std::uint64_t requests() const noexcept { return hits + misses; }
    // Fraction of lookups that hit, 0 when there was none.
    double hit_rate() const noexcept {
        const auto n = requests();
        return n == 0 ? 0.0 : static_cast<double>(hits) / static_cast<double>(n);
    }
    cache_stats& operator+=(const cache_stats& o) noexcept {
        hits += o.hits;
        misses += o.misses;
        evictions += o.evictions;
        expirations += o.expirations;
        skipped += o.skipped;
        size += o.size;
        weight += o.weight;
        capacity += o.capacity;
        return *this;
    }
};

}  // namespace agentkit::cache
