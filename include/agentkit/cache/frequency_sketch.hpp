#pragma once
// A count-min sketch of 4-bit counters, the popularity estimate behind W-TinyLFU's admission (Einziger,
// Friedman & Manes, "TinyLFU", ACM ToS 2017; the layout follows Caffeine's FrequencySketch): one 64-bit
// word per cached entry holds 16 counters; an item owns one counter in each of 4 words, all in the same
// 16-bit group of their words, so an estimate is 4 loads. After 10 x capacity increments every counter is
// halved ("reset"), so the sketch forgets old popularity and tracks a moving window.
// Like Caffeine's, the table is sized on demand (ensure_capacity): W-TinyLFU allocates it once the cache is
// half full, and a byte-weighted cache sizes it by its entry count, never by max_size (a 64 MB response
// cache would otherwise zero 64 MB of counters per shard at construction).
#include <agentkit/core/hash.hpp>
#include <agentkit/core/huge_page_allocator.hpp>

#include <algorithm>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <vector>

namespace agentkit::cache {

class frequency_sketch {
public:
    // An empty sketch: one word, every estimate 0 until ensure_capacity() sizes it.
    frequency_sketch() : table_(1, 0) {}
    explicit frequency_sketch(std::size_t capacity) : frequency_sketch() { ensure_capacity(capacity); }

    // Grows the table to at least `capacity` counters' words (a power of two, at least min_words, at most
    // 2^26) and the reset period to 10 x capacity; a grown table starts from zero (Caffeine's
    // ensureCapacity). When the table is already that large only the reset period grows (a byte-weighted
    // cache calls this as its entry count rises, and the min_words floor must not pin the period low).
    void ensure_capacity(std::size_t capacity) {
        const std::size_t n = std::bit_ceil(std::clamp<std::size_t>(capacity, min_words, std::size_t{1} << 26));
        const std::size_t sample =
            std::max<std::size_t>(10, 10 * std::min<std::size_t>(capacity, std::size_t{1} << 28));
        if (table_.size() >= n && initialized_) {
            sample_size_ = std::max(sample_size_, sample);
            return;
        }
        table_.assign(n, 0);
        mask_ = static_cast<std::uint32_t>(n - 1);
        sample_size_ = sample;
        size_ = 0;
        initialized_ = true;
    }
    bool initialized() const noexcept { return initialized_; }

    // A non-zero seed re-mixes every hash before it picks counters, so two sketches with different seeds
    // collide on different items (Caffeine draws one at random per cache). 0 keeps the hash as given.
    void set_seed(std::uint32_t seed) noexcept { seed_ = seed; }
    std::uint32_t seed() const noexcept { return seed_; }

    // Counts one occurrence of the item with this 32-bit hash (saturates at 15).
    void increment(std::uint32_t hash) noexcept {
        hash = reseed(hash);
        const unsigned start = (hash & 3u) << 2;
        bool added = false;
        for (unsigned i = 0; i < 4; ++i) added |= increment_at(index_of(hash, i), start + i);
        if (added && ++size_ == sample_size_) reset();
    }
    // The estimated count, 0..15: the minimum over the item's 4 counters.
    unsigned frequency(std::uint32_t hash) const noexcept {
        hash = reseed(hash);
        const unsigned start = (hash & 3u) << 2;
        unsigned f = 15;
        for (unsigned i = 0; i < 4; ++i) {
            const unsigned c = static_cast<unsigned>((table_[index_of(hash, i)] >> ((start + i) << 2)) & 0xfu);
            f = std::min(f, c);
        }
        return f;
    }
    void clear() noexcept {
        std::fill(table_.begin(), table_.end(), 0);
        size_ = 0;
    }
    std::size_t memory_bytes() const noexcept { return table_.size() * sizeof(std::uint64_t); }
    // Increments between two halvings (10 x capacity): also the hill climber's sample period.
    std::size_t sample_size() const noexcept { return sample_size_; }

    // Floor of the table size (512 bytes). Caffeine sizes it by capacity alone, so a 10-entry cache gets 16
    // words whose counters its few hot items share constantly; with 64 the Zipf s 0.8-1.2 rows at 10 entries
    // gain 0.4-1.1 points and stop depending on the hash seed (docs/benchmarks.md).
    static constexpr std::size_t min_words = 64;

private:
    static constexpr std::uint64_t seeds_[4] = {0xc3a5c85c97cb3127ULL, 0xb492b66fbe98f273ULL, 0x9ae16a3b2f90404fULL,
                                                0xcbf29ce484222325ULL};
    // Which counters a seed picks is part of every documented seeded hit ratio (docs/benchmarks.md: medians
    // over seeds 0..RUNS-1), so this re-mix stays as measured rather than becoming core/hash.hpp's mix64.
    std::uint32_t reseed(std::uint32_t hash) const noexcept {
        if (seed_ == 0) return hash;
        std::uint64_t x = (std::uint64_t{hash} | (std::uint64_t{seed_} << 32)) * golden_gamma;
        x ^= x >> 29;
        x *= 0xbf58476d1ce4e5b9ULL;
        return static_cast<std::uint32_t>(x >> 32);
    }
    // Caffeine 2.6's indexOf(item, i) bit for bit: the item as a signed int times SEED[i] (Java long
    // arithmetic, wrapping), plus its arithmetic high half. With the same item hashes our sketch picks the
    // same counters as Caffeine's, so the policies can be compared decision by decision.
    std::uint32_t index_of(std::uint32_t hash, unsigned i) const noexcept {
        const auto item = static_cast<std::uint64_t>(static_cast<std::int64_t>(static_cast<std::int32_t>(hash)));
        std::uint64_t h = seeds_[i] * item;
        h += static_cast<std::uint64_t>(static_cast<std::int64_t>(h) >> 32);
        return static_cast<std::uint32_t>(h) & mask_;
    }
    bool increment_at(std::uint32_t i, unsigned j) noexcept {
        const unsigned offset = j << 2;
        const std::uint64_t mask = std::uint64_t{0xf} << offset;
        if ((table_[i] & mask) == mask) return false;
        table_[i] += std::uint64_t{1} << offset;
        return true;
    }
    void reset() noexcept {
        std::size_t odd = 0;
        for (auto& w : table_) {
            odd += static_cast<std::size_t>(std::popcount(w & 0x1111111111111111ULL));
            w = (w >> 1) & 0x7777777777777777ULL;
        }
        size_ = (size_ >> 1) - (odd >> 2);
    }

    std::vector<std::uint64_t, huge_page_allocator<std::uint64_t>> table_;
    std::uint32_t mask_ = 0;
    std::uint32_t seed_ = 0;
    std::size_t sample_size_ = 10;
    std::size_t size_ = 0;
    bool initialized_ = false;
};

}  // namespace agentkit::cache
