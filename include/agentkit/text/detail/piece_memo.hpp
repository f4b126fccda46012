#pragma once
// The per-thread memo of recently merged pieces. Pieces repeat (Zipf), so each thread keeps the tokens of the
// pieces of 3..24 bytes it met recently in a direct-mapped memo in front of the multi-megabyte rank table; a
// miss costs a whole-piece lookup and often a merge (~300-500 cycles). The memo grows with the work the thread
// does: 4096 entries (128 KiB of tags) at first, x4 whenever it has been refilled twice over, up to
// piece_memo::limit_bits (default 2^17 entries = 4 MiB of tags: on the 10 MB mixed corpus that answers ~90 %
// of those pieces, 2^13 ~76 %). The count path reads only the 32-byte tags; token ids live in a second array
// that the first encode on the thread allocates. Entries name their vocabulary (owner), so several
// vocabularies share a thread. A tag's tokens field holds the full count even when the ids did not fit
// (> memo_max_tokens).
#include <agentkit/core/hash.hpp>
#include <agentkit/core/huge_page_allocator.hpp>
#include <agentkit/text/detail/byte_key.hpp>
#include <agentkit/text/detail/token_id.hpp>

#include <algorithm>
#include <atomic>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

namespace agentkit::text::detail {

inline constexpr std::size_t memo_piece = 24;   // the longest piece memoised
inline constexpr unsigned memo_max_tokens = 8;  // token ids an entry keeps
inline constexpr unsigned memo_first_bits = 12;

struct memo_key {
    std::uint64_t w0, w1, w2;  // the bytes, as load_le words (injective for a given length)
};
struct memo_tag {
    std::uint64_t w[3] = {};
    std::uint32_t owner =
        0;  // low 32 bits of the vocabulary's instance number: unique until 2^32 were parsed in one process
    std::uint8_t len = 0;
    std::uint8_t tokens = 0;
    bool has_ids = false;  // false when the count path filled it: the ids are stale
};
static_assert(sizeof(memo_tag) == 32, "two tags per cache line");
struct memo_ids {
    token_id ids[memo_max_tokens] = {};
    std::uint8_t ends[memo_max_tokens] = {};
};

// The key of the piece p[0, n), 3 <= n <= memo_piece.
inline memo_key memo_key_of(const unsigned char* p, std::size_t n) noexcept {
    if (n <= 8) return {load_le(p, n), 0, 0};
    if (n <= 16) return {load_le(p, 8), load_le(p + 8, n - 8), 0};
    return {load_le(p, 8), load_le(p + 8, 8), load_le(p + 16, n - 16)};
}

struct piece_memo {
    // The most entries a memo grows to, as a power of two (bpe_vocabulary::set_memo_limit_bits).
    inline static std::atomic<unsigned> limit_bits{17};

    unsigned bits = 0;
    std::size_t fills = 0;  // since the last resize
    std::vector<memo_tag, huge_page_allocator<memo_tag>> tag;
    std::vector<memo_ids, huge_page_allocator<memo_ids>> ids;  // allocated by the first encode

    std::size_t size() const noexcept { return std::size_t{1} << bits; }
    std::size_t bytes() const noexcept {
        return sizeof(piece_memo) + size() * sizeof(memo_tag) + ids.size() * sizeof(memo_ids);
    }
    void resize(unsigned new_bits) {
        tag = decltype(tag)(std::size_t{1} << new_bits);
        ids = {};
        bits = new_bits;
        fills = 0;
    }
    // Called between batches of pieces (never while a batch holds indexes into the table).
    void maybe_grow() {
        if (fills > 2 * size()) [[unlikely]] {
            const unsigned limit = limit_bits.load(std::memory_order_relaxed);
            if (bits < limit)
                resize(std::min(bits + 2, limit));
            else
                fills = 0;
        }
    }
    // A multiply-shift table index (golden_gamma, then SplitMix64's constant): mix64 here and in byte_key.hpp
    // cost bench_tokens 1-5 % CPU time.
    std::size_t index(const memo_key& k) const noexcept {
        const std::uint64_t h = (k.w0 ^ std::rotl(k.w1, 21) ^ std::rotl(k.w2, 42)) * golden_gamma;
        return static_cast<std::size_t>((h ^ (h >> 29)) * 0xbf58476d1ce4e5b9ull >> (64 - bits));
    }
    memo_ids& ids_at(std::size_t at) {
        if (ids.empty()) [[unlikely]]
            ids = decltype(ids)(size());
        return ids[at];
    }

    // The calling thread's memo, null until it first tokenizes. Allocated on a thread's first lookup rather
    // than in static TLS: threads that never tokenize pay nothing.
    static std::unique_ptr<piece_memo>& thread_slot() noexcept {
        thread_local std::unique_ptr<piece_memo> m;
        return m;
    }
    static piece_memo& of_this_thread() {
        std::unique_ptr<piece_memo>& m = thread_slot();
        if (!m) [[unlikely]] {
            m = std::make_unique<piece_memo>();
            m->resize(std::min(memo_first_bits, limit_bits.load(std::memory_order_relaxed)));
        }
        return *m;
    }
};

}  // namespace agentkit::text::detail
