#pragma once
// tiktoken's merge of one piece: repeatedly merge the adjacent pair of lowest rank, leftmost first. Two ways
// to the same tokens: merge_small rescans a small array after each merge, fastest for short pieces;
// merge_large keeps the candidate pairs in a heap, so a megabyte of letters without a space takes
// O(n log n), not O(n^2). Both call emit(rank, begin, end) for the tokens in order (byte offsets within
// the piece). Every byte must have a rank (bpe_vocabulary checks it at load).
#include <agentkit/text/detail/rank_table.hpp>
#include <agentkit/text/detail/short_token_ranks.hpp>
#include <agentkit/text/detail/token_id.hpp>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <vector>

namespace agentkit::text::detail {

// The longest piece merge_small takes.
inline constexpr std::size_t small_piece = 64;

// The merge on a piece of n <= small_piece bytes: part starts in a small array, rescanned after each merge.
// The token of a merged part is the rank of the pair that formed it, so emitting needs no lookups.
template <class Emit>
void merge_small(const rank_table& table, const short_token_ranks& shorts, const unsigned char* p, std::size_t n,
                 Emit&& emit) {
    std::uint32_t start[small_piece + 1];
    token_id rk[small_piece + 1];   // rk[k]: rank of parts k and k+1 merged
    token_id tok[small_piece + 1];  // tok[k]: token of part k
    std::size_t parts = n + 1;      // boundaries; part k spans [start[k], start[k+1])
    for (std::size_t k = 0; k < n; ++k) {
        start[k] = static_cast<std::uint32_t>(k);
        tok[k] = shorts.of_byte(p[k]);
        rk[k] = k + 1 < n ? shorts.of_pair(p + k) : no_rank;
    }
    start[n] = static_cast<std::uint32_t>(n);
    rk[n] = no_rank;
    for (;;) {
        token_id best = no_rank;
        std::size_t at = 0;
        for (std::size_t k = 0; k + 2 < parts; ++k) {
            if (rk[k] < best) {
                best = rk[k];
                at = k;
            }
        }
        if (best == no_rank) break;
        tok[at] = best;
        for (std::size_t k = at + 1; k + 1 < parts; ++k) {
            start[k] = start[k + 1];
            rk[k] = rk[k + 1];
            tok[k] = tok[k + 1];
        }
        --parts;
        auto pair_rank = [&](std::size_t k) -> token_id {
            if (k + 2 >= parts) return no_rank;
            return table.rank(p + start[k], start[k + 2] - start[k]);
        };
        rk[at] = pair_rank(at);
        if (at > 0) rk[at - 1] = pair_rank(at - 1);
    }
    for (std::size_t k = 0; k + 1 < parts; ++k) emit(tok[k], std::size_t{start[k]}, std::size_t{start[k + 1]});
}

// The same merge in O(n log n) for n < 2^32 bytes: candidate pairs in a min-heap keyed by (rank, start);
// entries whose part has changed since are skipped when popped. 8 bytes per byte of the piece plus 8 per
// pending heap item (12.5-13 bytes per byte in all on letters, spaces or one repeated letter; 24 at most):
// a part is a token, so at most 65535 bytes long (checked at load), and each start keeps its length and the
// previous part's in 4 bytes instead of two 4-byte links; the token of a merged part lives in the rank slot
// of its second byte, which no pair starts at any more, tagged so no heap item matches.
template <class Emit>
void merge_large(const rank_table& table, const short_token_ranks& shorts, const unsigned char* p, std::size_t n,
                 Emit&& emit) {
    struct part {
        std::uint16_t len;     // bytes of the part starting here (at a part start)
        std::uint16_t before;  // bytes of the part before it (at a part start after the first)
    };
    // Ranks are below 50'000'000 (checked at load): the top bit marks a token stored in a rank slot.
    static constexpr token_id stored_token = token_id{1} << 31;
    std::vector<part> parts(n, part{1, 1});
    // At a part start: the rank of the pair starting there. Inside a merged part: no_rank, or (second
    // byte) the part's token | stored_token.
    std::vector<token_id> rk(n, no_rank);
    // Heap items pack (rank, start) into one integer: the order is rank first, then leftmost. Each
    // merge pops one item and pushes at most two, so the heap never holds more than 2n: reserved
    // once, it never reallocates, and the pages it does not reach are never touched.
    auto item = [](token_id r, std::uint32_t k) { return (std::uint64_t{r} << 32) | k; };
    std::vector<std::uint64_t> heap;
    heap.reserve(2 * n);
    auto pair_rank = [&](std::uint32_t k) -> token_id {
        const std::uint32_t a = k + parts[k].len;
        if (a >= n) return no_rank;
        return table.rank(p + k, std::size_t{parts[k].len} + parts[a].len);
    };
    for (std::uint32_t k = 0; k + 1 < n; ++k) {
        rk[k] = shorts.of_pair(p + k);
        if (rk[k] != no_rank) heap.push_back(item(rk[k], k));
    }
    const std::greater<std::uint64_t> later;
    std::make_heap(heap.begin(), heap.end(), later);
    auto push = [&](token_id r, std::uint32_t k) {
        heap.push_back(item(r, k));
        std::push_heap(heap.begin(), heap.end(), later);
    };
    while (!heap.empty()) {
        std::pop_heap(heap.begin(), heap.end(), later);
        const std::uint64_t top = heap.back();
        heap.pop_back();
        const auto r = static_cast<token_id>(top >> 32);
        const auto k = static_cast<std::uint32_t>(top);
        if (rk[k] != r) continue;
        const std::uint32_t gone = k + parts[k].len;
        const auto merged = static_cast<std::uint16_t>(parts[k].len + parts[gone].len);  // a token: <= 65535
        rk[gone] = no_rank;
        rk[k + 1] = r | stored_token;
        parts[k].len = merged;
        if (k + merged < n) parts[k + merged].before = merged;
        rk[k] = pair_rank(k);
        if (rk[k] != no_rank) push(rk[k], k);
        if (k > 0) {
            const std::uint32_t q = k - parts[k].before;
            rk[q] = pair_rank(q);
            if (rk[q] != no_rank) push(rk[q], q);
        }
    }
    for (std::uint32_t k = 0; k < n; k += parts[k].len) {
        const token_id t = parts[k].len == 1 ? shorts.of_byte(p[k]) : rk[k + 1] & ~stored_token;
        emit(t, std::size_t{k}, std::size_t{k} + parts[k].len);
    }
}

}  // namespace agentkit::text::detail
