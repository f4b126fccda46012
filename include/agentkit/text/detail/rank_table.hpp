#pragma once
// The rank of a token's bytes and the bytes of a rank: one open-addressing table (linear probing, tokens of up
// to 8 bytes compared as one integer) behind a Bloom filter, and the token bytes stored in rank order.
// Built once, then read-only: any number of threads may look up at once.
#include <agentkit/core/huge_page_allocator.hpp>
#include <agentkit/text/detail/bloom_filter.hpp>
#include <agentkit/text/detail/byte_key.hpp>
#include <agentkit/text/detail/token_id.hpp>

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace agentkit::text::detail {

class rank_table {
public:
    // Takes the tokens by rank (rank r = bytes[offsets[r], offsets[r + 1]), empty for no token) and indexes
    // them. Returns no_rank, or the first rank whose bytes a lower rank already has: the table is then not
    // to be used.
    token_id build(std::string bytes, std::vector<std::uint32_t> offsets, std::size_t count,
                   std::size_t max_token_len) {
        bytes_ = std::move(bytes);
        offsets_ = std::move(offsets);
        count_ = count;
        max_token_len_ = max_token_len;
        std::size_t cap = 16;
        while (cap < count_ + count_ / 2) cap <<= 1;
        slots_.assign(cap, slot{});
        mask_ = cap - 1;
        shift_ = 64;
        for (std::size_t c = cap; c > 1; c >>= 1) --shift_;
        filter_.reset(count_);
        for (token_id r = 0; r < rank_limit(); ++r) {
            const std::string_view b = bytes_of(r);
            if (b.empty()) continue;
            const auto* p = reinterpret_cast<const unsigned char*>(b.data());
            if (rank(p, b.size()) != no_rank) return r;
            const std::uint64_t key = key_of(p, b.size());
            std::size_t i = slot_of(key, b.size());
            while (slots_[i].len != 0) i = (i + 1) & mask_;
            slots_[i] = {key, r, static_cast<std::uint32_t>(b.size())};
            filter_.insert(hash_of(key, b.size()));
        }
        return no_rank;
    }

    // The rank of exactly these bytes, or no_rank.
    token_id rank(const unsigned char* p, std::size_t len) const noexcept {
        if (len == 0 || len > max_token_len_) return no_rank;
        const std::uint64_t key = key_of(p, len);
        const std::uint64_t h = hash_of(key, len);
        // Most lookups during a merge ask for pairs that are not tokens: the filter (128 / 256 KiB, 3-6 %
        // false positives) answers them without touching the multi-megabyte slot table.
        if (!filter_.may_contain(h)) return no_rank;
        std::size_t i = static_cast<std::size_t>(h >> shift_);
        for (;;) {
            const slot& s = slots_[i];
            if (s.len == len && s.key == key) {
                if (len <= 8 || std::memcmp(bytes_.data() + offsets_[s.rank], p, len) == 0) return s.rank;
            } else if (s.len == 0) {
                return no_rank;
            }
            i = (i + 1) & mask_;
        }
    }
    // The bytes of a rank (empty for a rank the table does not define).
    std::string_view bytes_of(token_id r) const noexcept {
        if (r >= rank_limit()) return {};
        return {bytes_.data() + offsets_[r], static_cast<std::size_t>(offsets_[r + 1] - offsets_[r])};
    }
    // Starts loading the slot a lookup of these bytes reads first.
    void prefetch(const unsigned char* p, std::size_t len) const noexcept {
        if (len <= max_token_len_) __builtin_prefetch(&slots_[slot_of(key_of(p, len), len)]);
    }

    std::size_t size() const noexcept { return count_; }
    // One past the highest rank.
    token_id rank_limit() const noexcept { return static_cast<token_id>(offsets_.size() - 1); }
    std::size_t max_token_len() const noexcept { return max_token_len_; }
    // Bytes held outside the object (token bytes, rank offsets, hash slots, filter).
    std::size_t heap_bytes() const noexcept {
        return bytes_.capacity() + offsets_.capacity() * sizeof(std::uint32_t) + slots_.capacity() * sizeof(slot) +
            filter_.heap_bytes();
    }

private:
    struct slot {
        std::uint64_t key = 0;  // the bytes themselves for tokens of <= 8 bytes, else their hash
        std::uint32_t rank = 0;
        std::uint32_t len = 0;  // 0 = empty slot
    };
    // High bits pick the slot (the filter takes the low ones).
    std::size_t slot_of(std::uint64_t key, std::size_t len) const noexcept {
        return static_cast<std::size_t>(hash_of(key, len) >> shift_);
    }

    std::string bytes_;
    std::vector<std::uint32_t> offsets_;
    std::vector<slot, huge_page_allocator<slot>> slots_;
    blocked_bloom_filter filter_;  // one bit per hash value of the tokens (8+ bits per token)
    std::size_t mask_ = 0;
    unsigned shift_ = 64;
    std::size_t count_ = 0;
    std::size_t max_token_len_ = 0;
};

}  // namespace agentkit::text::detail
