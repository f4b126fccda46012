#pragma once
// A byte-pair-encoding vocabulary in tiktoken's rank-file format ("<base64 token> <rank>" per line): parse
// or load it once, then look up ranks, decode ranks to bytes and merge pieces into tokens.
//
// Built once and immutable afterwards, so one instance is shared by any number of threads. The merge is
// tiktoken's (repeatedly merge the adjacent pair of lowest rank, leftmost first), quadratic for short
// pieces, where it is fastest, and O(n log n) for long ones (detail/bpe_merge.hpp); each thread keeps a
// memo of the pieces it merged recently (detail/piece_memo.hpp).
//
// Memory is bounded by the input: load() reads at most default_max_file_bytes, the rank tables grow with
// the file's lines (max_rank_per_line), and one merge with its piece, up to max_piece_bytes().
//
// The parts, one per header under detail/: base64.hpp and rank_file_parser.hpp (the file), rank_table.hpp
// (bytes <-> rank: a hash table behind bloom_filter.hpp, keys from byte_key.hpp), short_token_ranks.hpp
// (direct tables for tokens of one and two bytes), bpe_merge.hpp (the two merges), piece_memo.hpp.
#include <agentkit/core/error.hpp>
#include <agentkit/core/read_file.hpp>
#include <agentkit/text/detail/bpe_merge.hpp>
#include <agentkit/text/detail/piece_memo.hpp>
#include <agentkit/text/detail/rank_file_parser.hpp>
#include <agentkit/text/detail/rank_table.hpp>
#include <agentkit/text/detail/short_token_ranks.hpp>
#include <agentkit/text/detail/token_id.hpp>  // token_id

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace agentkit::text {

class bpe_vocabulary {
public:
    static constexpr token_id no_rank = detail::no_rank;

    // Parses a rank file's contents; `origin` names it in errors ("…/cl100k_base.tiktoken").
    static bpe_vocabulary parse(std::string_view data, const std::string& origin) {
        bpe_vocabulary v;
        v.parse_into(data, origin);
        return v;
    }
    // The largest rank file load() reads by default: 64 MiB (cl100k_base is 1.7 MB, o200k_base 3.6 MB).
    // A larger file is refused before it is read: capacity_exceeded naming "text.max_rank_file_bytes".
    static constexpr std::size_t default_max_file_bytes = std::size_t{64} << 20;
    // The highest rank a file may name, per line of the file (ranks are dense 0..N-1 in cl100k_base and
    // o200k_base): the rank tables are sized by the highest rank, so this keeps them proportional to the
    // file, whatever rank a line names. A rank past it is a parse error naming the line.
    static constexpr std::size_t max_rank_per_line = 4;

    static bpe_vocabulary load(const std::string& path, std::size_t max_file_bytes = default_max_file_bytes) {
        std::string data;
        try {
            data = read_file(path, max_file_bytes, "text.max_rank_file_bytes");
        } catch (const error& e) {
            if (e.code() != errc::not_found) throw;
            throw error(errc::not_found,
                        "cannot open the BPE rank file (run scripts/bootstrap, or set AGENTKIT_TIKTOKEN_DIR)",
                        e.field());
        }
        return parse(data, path);
    }

    std::size_t size() const noexcept { return table_.size(); }
    // One past the highest rank.
    token_id rank_limit() const noexcept { return table_.rank_limit(); }

    // The rank of exactly these bytes, or no_rank.
    token_id rank(const unsigned char* p, std::size_t len) const noexcept { return table_.rank(p, len); }
    token_id rank(std::string_view bytes) const noexcept {
        return rank(reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size());
    }
    // The bytes of a rank (empty for a rank the file does not define).
    std::string_view bytes_of(token_id r) const noexcept { return table_.bytes_of(r); }
    // Bytes this vocabulary keeps resident (token bytes, rank table, hash slots).
    std::size_t resident_bytes() const noexcept { return sizeof(*this) + table_.heap_bytes() + short_.heap_bytes(); }

    // Calls emit(rank, begin, end) for the tokens of one piece (byte offsets within the piece), in order.
    // Every byte has a rank (checked at load), so every piece encodes.
    template <class Emit>
    void encode_piece(const unsigned char* p, std::size_t n, Emit&& emit) const;
    std::size_t count_piece(const unsigned char* p, std::size_t n) const;

    // The longest piece (a run the pre-tokenizer does not break: letters, spaces or punctuation without
    // a break, e.g. megabytes of "aaaa") that is merged; a longer one makes encode and count throw
    // capacity_exceeded naming "text.max_piece_bytes", never cut it (a cut would change the tokens). The
    // merge of a long piece holds ~13 bytes per byte of it (24 at most), so the default 1 MiB bounds that
    // at ~13 MiB per tokenizing thread; tiktoken itself needs hours for such a piece (its merge is
    // quadratic). Process-wide; clamped to [64, 2^32 - 2] (shorter pieces are merged in place).
    static constexpr std::size_t default_max_piece_bytes = std::size_t{1} << 20;
    static void set_max_piece_bytes(std::size_t bytes) noexcept {
        max_piece_limit.store(std::clamp(bytes, small_piece, std::size_t{0xFFFFFFFEu}), std::memory_order_relaxed);
    }
    static std::size_t max_piece_bytes() noexcept { return max_piece_limit.load(std::memory_order_relaxed); }

    // The most entries a thread's piece memo grows to, as a power of two (default 17: 4 MiB of tags per
    // tokenizing thread, 9 MiB with the ids of encode); 12 keeps it at 128 KiB. Applies to memos that
    // grow or are created after the call.
    static void set_memo_limit_bits(unsigned bits) noexcept {
        detail::piece_memo::limit_bits.store(std::clamp(bits, 8u, 24u), std::memory_order_relaxed);
    }
    // Sizes the calling thread's memo to 2^bits entries (default and at most: the limit) now rather than
    // growing into it: for a worker about to count a large text (count_parallel does it on its threads).
    static void reserve_thread_memo(unsigned bits = ~0u) {
        memo& m = memo::of_this_thread();
        bits = std::min(bits, memo::limit_bits.load(std::memory_order_relaxed));
        if (m.bits < bits) m.resize(bits);
    }
    // Bytes of the calling thread's memo (0 when it has not tokenized yet).
    static std::size_t thread_memo_bytes() noexcept {
        const memo* m = memo::thread_slot().get();
        return m ? m->bytes() : 0;
    }

    // A thread's view of the vocabulary while it tokenizes one text (defined below the class).
    class piece_reader;

private:
    using memo = detail::piece_memo;
    static constexpr std::size_t small_piece = detail::small_piece;
    inline static std::atomic<std::size_t> max_piece_limit{default_max_piece_bytes};

    template <class Emit>
    void merge_small(const unsigned char* p, std::size_t n, Emit&& emit) const {
        detail::merge_small(table_, short_, p, n, emit);
    }
    template <class Emit>
    void merge_large(const unsigned char* p, std::size_t n, Emit&& emit) const {
        if (n > max_piece_bytes()) [[unlikely]]
            throw error(errc::capacity_exceeded,
                        std::string("a piece of ")
                            .append(std::to_string(n))
                            .append(" bytes without a pre-tokenizer break exceeds ")
                            .append(std::to_string(max_piece_bytes()))
                            .append(" bytes"),
                        "text.max_piece_bytes");
        detail::merge_large(table_, short_, p, n, emit);
    }

    // Fills memo entry `at` with the tokens of the piece p[0, n) (3 <= n <= memo_piece), whose key is k.
    // With_ids false (the count path) leaves the entry's token ids alone: their array is not written, so it
    // does not crowd the cache while counting, and encode() fills them on its first hit.
    void memo_fill(memo& m, std::size_t at, const detail::memo_key& k, const unsigned char* p, std::size_t n,
                   bool with_ids) const {
        detail::memo_tag& t = m.tag[at];
        ++m.fills;
        t.owner = static_cast<std::uint32_t>(instance_);
        t.len = static_cast<std::uint8_t>(n);
        t.w[0] = k.w0, t.w[1] = k.w1, t.w[2] = k.w2;
        t.has_ids = with_ids;
        if (const token_id r = rank(p, n); r != no_rank) {  // whole-piece lookup first: most pieces are one token
            t.tokens = 1;
            if (with_ids) {
                detail::memo_ids& c = m.ids_at(at);
                c.ids[0] = r;
                c.ends[0] = static_cast<std::uint8_t>(n);
            }
            return;
        }
        unsigned tokens = 0;
        if (!with_ids) {
            merge_small(p, n, [&tokens](token_id, std::size_t, std::size_t) { ++tokens; });
            t.tokens = static_cast<std::uint8_t>(tokens);
            return;
        }
        // Writes past memo_max_tokens go to one spare slot (branch-free: only the count matters then). The
        // clamp into a local array, rather than a test before writing into the entry, also keeps g++ 12 -O2
        // from reporting a false -Wstringop-overflow on the entry's arrays.
        constexpr unsigned max_tokens = detail::memo_max_tokens;
        token_id ids[max_tokens + 1];
        std::uint8_t ends[max_tokens + 1];
        merge_small(p, n, [&](token_id id, std::size_t, std::size_t e) {
            const unsigned slot = tokens < max_tokens ? tokens : max_tokens;
            ids[slot] = id;
            ends[slot] = static_cast<std::uint8_t>(e);
            ++tokens;
        });
        detail::memo_ids& c = m.ids_at(at);
        std::memcpy(c.ids, ids, sizeof c.ids);
        std::memcpy(c.ends, ends, sizeof c.ends);
        t.tokens = static_cast<std::uint8_t>(tokens);
    }

    void parse_into(std::string_view data, const std::string& origin) {
        static std::atomic<std::uint64_t> instances{0};
        instance_ = ++instances;
        detail::ranked_tokens tokens = detail::parse_rank_file(data, origin, max_rank_per_line);
        const std::vector<std::uint32_t> line_of_rank = std::move(tokens.line_of_rank);
        if (const token_id twice =
                table_.build(std::move(tokens.bytes), std::move(tokens.offsets), tokens.count, tokens.max_token_len);
            twice != no_rank)
            detail::fail_rank_file(origin, line_of_rank[twice], "a token appears twice");
        short_.build(table_);
        for (unsigned c = 0; c < 256; ++c) {
            if (short_.of_byte(static_cast<unsigned char>(c)) == no_rank)
                throw error(errc::parse_error,
                            std::string("byte ")
                                .append(std::to_string(c))
                                .append(" has no rank: not a byte-level BPE vocabulary"),
                            origin);
        }
    }

    detail::rank_table table_;
    detail::short_token_ranks short_;
    std::uint64_t instance_ = 0;  // unique per parsed vocabulary, keys the per-thread piece memo
};

// A thread's view of the vocabulary while it tokenizes one text: the thread's memo is resolved once, not
// once per piece, and a caller that splits a few pieces ahead passes each piece's memo index from
// prefetch() (which starts loading the entry) to count() / encode(), so the piece is hashed once. Between
// batches of pieces the caller lets the memo grow (next_batch()).
class bpe_vocabulary::piece_reader {
public:
    explicit piece_reader(const bpe_vocabulary& v)
        : v_(v), m_(memo::of_this_thread()), owner_(static_cast<std::uint32_t>(v.instance_)) {}

    // Invalidates the indexes prefetch() returned so far.
    void next_batch() const { m_.maybe_grow(); }

    // Starts loading what looking up this piece will read (with_ids: for encode); returns the hint for
    // count / encode.
    std::uint32_t prefetch(const unsigned char* p, std::size_t len, bool with_ids = false) const noexcept {
        if (len <= 2) return 0;
        if (len <= detail::memo_piece) {
            const auto at = static_cast<std::uint32_t>(m_.index(detail::memo_key_of(p, len)));
            __builtin_prefetch(&m_.tag[at]);
            if (with_ids && !m_.ids.empty()) __builtin_prefetch(&m_.ids[at]);
            return at;
        }
        v_.table_.prefetch(p, len);
        return 0;
    }
    // The number of tokens of the piece p[0, n); `at` is what prefetch(p, n) returned.
    std::size_t count(const unsigned char* p, std::size_t n, std::uint32_t at) const {
        if (n <= 2) return n == 2 ? (v_.short_.of_pair(p) == no_rank ? 2 : 1) : n;
        if (n <= detail::memo_piece) return m_.tag[find(p, n, at, false)].tokens;
        if (v_.rank(p, n) != no_rank) return 1;
        std::size_t k = 0;
        auto tally = [&k](token_id, std::size_t, std::size_t) { ++k; };
        if (n <= small_piece)
            v_.merge_small(p, n, tally);
        else
            v_.merge_large(p, n, tally);
        return k;
    }
    // Calls emit(rank, begin, end) for the tokens of the piece p[0, n); `at` is what prefetch(p, n) returned.
    template <class Emit>
    void encode(const unsigned char* p, std::size_t n, std::uint32_t at, Emit&& emit) const {
        if (n <= 2) {  // single bytes and pairs (punctuation, digits, spaces): direct tables, no hashing
            if (n == 0) return;
            const token_id r = n == 1 ? v_.short_.of_byte(p[0]) : v_.short_.of_pair(p);
            if (r != no_rank) {
                emit(r, std::size_t{0}, n);
            } else {
                emit(v_.short_.of_byte(p[0]), std::size_t{0}, std::size_t{1});
                emit(v_.short_.of_byte(p[1]), std::size_t{1}, std::size_t{2});
            }
            return;
        }
        if (n <= detail::memo_piece) {
            at = find(p, n, at, true);
            const detail::memo_tag& t = m_.tag[at];
            if (t.tokens <= detail::memo_max_tokens) {
                const detail::memo_ids& c = m_.ids[at];
                for (unsigned k = 0, b = 0; k < t.tokens; b = c.ends[k], ++k)
                    emit(c.ids[k], std::size_t{b}, std::size_t{c.ends[k]});
                return;
            }
            v_.merge_small(p, n, emit);  // more tokens than an entry keeps (rare: runs of rare characters)
            return;
        }
        if (const token_id r = v_.rank(p, n); r != no_rank) {
            emit(r, std::size_t{0}, n);
            return;
        }
        if (n <= small_piece)
            v_.merge_small(p, n, emit);
        else
            v_.merge_large(p, n, emit);
    }

private:
    // The memo index `at` (from prefetch) holding the piece p[0, n) (3 <= n <= memo_piece) once this returns.
    std::uint32_t find(const unsigned char* p, std::size_t n, std::uint32_t at, bool with_ids) const {
        const detail::memo_key k = detail::memo_key_of(p, n);
        const detail::memo_tag& t = m_.tag[at];
        const bool hit = t.owner == owner_ && t.len == n && t.w[0] == k.w0 && t.w[1] == k.w1 && t.w[2] == k.w2 &&
            (t.has_ids || !with_ids);
        if (!hit) [[unlikely]]
            v_.memo_fill(m_, at, k, p, n, with_ids);
        return at;
    }
    const bpe_vocabulary& v_;
    memo& m_;
    std::uint32_t owner_;
};

template <class Emit>
void bpe_vocabulary::encode_piece(const unsigned char* p, std::size_t n, Emit&& emit) const {
    const piece_reader r(*this);
    r.encode(p, n, r.prefetch(p, n, true), emit);
    r.next_batch();
}
inline std::size_t bpe_vocabulary::count_piece(const unsigned char* p, std::size_t n) const {
    const piece_reader r(*this);
    const std::size_t tokens = r.count(p, n, r.prefetch(p, n));
    r.next_batch();
    return tokens;
}

}  // namespace agentkit::text
