#pragma once
// The ranks of one- and two-byte tokens, the commonest lookups of a merge, from direct tables without
// hashing: every byte's rank, and one bit per byte pair with the ranks of the set bits in order, found with
// a popcount. Few of the 65536 pairs are tokens (3830 in cl100k_base, 4653 in o200k_base), so that is 28 KB
// instead of a 256 KB table, and it stays in L1/L2 next to the piece memo.
#include <agentkit/text/detail/rank_table.hpp>
#include <agentkit/text/detail/token_id.hpp>

#include <bit>
#include <cstddef>
#include <cstdint>
#include <vector>

namespace agentkit::text::detail {

class short_token_ranks {
public:
    void build(const rank_table& table) {
        for (unsigned c = 0; c < 256; ++c) {
            const unsigned char byte = static_cast<unsigned char>(c);
            byte_rank_[c] = table.rank(&byte, 1);
        }
        pair_ranks_.clear();
        for (unsigned w = 0; w < 1024; ++w) {
            pair_before_[w] = static_cast<std::uint16_t>(pair_ranks_.size());
            std::uint64_t bits = 0;
            for (unsigned b = 0; b < 64; ++b) {
                const unsigned c = w * 64 + b;
                const unsigned char two[2] = {static_cast<unsigned char>(c >> 8), static_cast<unsigned char>(c & 0xFF)};
                if (const token_id r = table.rank(two, 2); r != no_rank) {
                    bits |= std::uint64_t{1} << b;
                    pair_ranks_.push_back(r);
                }
            }
            pair_bits_[w] = bits;
        }
    }
    // The rank of the byte c (no_rank if it is no token).
    token_id of_byte(unsigned char c) const noexcept { return byte_rank_[c]; }
    // The rank of the two bytes at p, or no_rank.
    token_id of_pair(const unsigned char* p) const noexcept {
        const unsigned c = (unsigned{p[0]} << 8) | p[1];
        const std::uint64_t below = pair_bits_[c >> 6] << (63 - (c & 63));  // bit c and the bits under it, at the top
        if (!(below >> 63)) return no_rank;
        return pair_ranks_[pair_before_[c >> 6] + static_cast<unsigned>(std::popcount(below)) - 1];
    }
    std::size_t heap_bytes() const noexcept { return pair_ranks_.capacity() * sizeof(token_id); }

private:
    token_id byte_rank_[256] = {};
    std::uint64_t pair_bits_[1024] = {};    // bit c: the bytes c >> 8, c & 0xFF form a token
    std::uint16_t pair_before_[1024] = {};  // set bits in the words before
    std::vector<token_id> pair_ranks_;      // the ranks of the set bits, in order
};

}  // namespace agentkit::text::detail
