#pragma once
// A count-min sketch of 4-bit counters, the popularity estimate behind W-TinyLFU's admission (Einziger,
// Friedman & Manes, "TinyLFU", ACM ToS 2017; the layout follows Caffeine's FrequencySketch): one 64-bit
// word per cached entry holds 16 counters; an item owns one counter in each of 4 words, all in the same
// 16-bit group of their words, so an estimate is 4 loads. After 10 x capacity increments every counter is
// halved ("reset"), so the sketch forgets old popularity and tracks a moving window.
#include <agentkit/cache/huge_page_allocator.hpp>

#include <algorithm>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <vector>

namespace agentkit::cache {

class frequency_sketch {
public:
    explicit frequency_sketch(std::size_t capacity) {
        const std::size_t n = std::bit_ceil(std::clamp<std::size_t>(capacity, 1, std::size_t{1} << 26));
        table_.assign(n, 0);
        mask_ = static_cast<std::uint32_t>(n - 1);
        sample_size_ = std::max<std::size_t>(10, 10 * std::min<std::size_t>(capacity, std::size_t{1} << 28));
    }

    // Counts one occurrence of the item with this 32-bit hash (saturates at 15).
    void increment(std::uint32_t hash) noexcept {
        const unsigned start = (hash & 3u) << 2;
        bool added = false;
        for (unsigned i = 0; i < 4; ++i) added |= increment_at(index_of(hash, i), start + i);
        if (added && ++size_ == sample_size_) reset();
    }
    // The estimated count, 0..15: the minimum over the item's 4 counters.
    unsigned frequency(std::uint32_t hash) const noexcept {
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

private:
    static constexpr std::uint64_t seeds_[4] = {0xc3a5c85c97cb3127ULL, 0xb492b66fbe98f273ULL, 0x9ae16a3b2f90404fULL,
                                                0xcbf29ce484222325ULL};
    std::uint32_t index_of(std::uint32_t hash, unsigned i) const noexcept {
        std::uint64_t h = (hash + seeds_[i]) * seeds_[i];
        h += h >> 32;
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

    std::vector<std::uint64_t, detail::huge_page_allocator<std::uint64_t>> table_;
    std::uint32_t mask_ = 0;
    std::size_t sample_size_ = 10;
    std::size_t size_ = 0;
};

}  // namespace agentkit::cache
