#pragma once
// A byte-pair-encoding vocabulary in tiktoken's rank-file format ("<base64 token> <rank>" per line):
// the parser, the rank lookup (one open-addressing table behind a Bloom filter; tokens of up to 8 bytes
// compare as one integer), a per-thread memo of recent pieces, the rank -> bytes table for decoding, and
// the merge loop.
//
// Built once and immutable afterwards, so one instance is shared by any number of threads. The merge is
// tiktoken's (repeatedly merge the adjacent pair of lowest rank, leftmost first) with two costs: a
// quadratic scan for short pieces, where it is fastest, and a heap with lazy deletion for long ones, so a
// megabyte of letters without a space takes O(n log n), not O(n^2).
//
// Memory is bounded by the input: load() reads at most default_max_file_bytes, the rank tables grow with
// the file's lines (max_rank_per_line), and one merge with its piece, up to max_piece_bytes().
#include <agentkit/core/error.hpp>
#include <agentkit/core/huge_page_allocator.hpp>
#include <agentkit/core/read_file.hpp>

#include <algorithm>
#include <atomic>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <functional>
#include <limits>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace agentkit::text {

using token_id = std::uint32_t;

class bpe_vocabulary {
public:
    static constexpr token_id no_rank = std::numeric_limits<token_id>::max();

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
            throw error(errc::not_found, "cannot open the BPE rank file (run scripts/bootstrap, or set AGENTKIT_TIKTOKEN_DIR)", e.field());
        }
        return parse(data, path);
    }

    std::size_t size() const noexcept { return count_; }
    // One past the highest rank.
    token_id rank_limit() const noexcept { return static_cast<token_id>(offsets_.size() - 1); }

    // The rank of exactly these bytes, or no_rank.
    token_id rank(const unsigned char* p, std::size_t len) const noexcept {
        if (len == 0 || len > max_token_len_) return no_rank;
        const std::uint64_t key = key_of(p, len);
        const std::uint64_t h = hash_of(key, len);
        // Most lookups during a merge ask for pairs that are not tokens: the filter (128 / 256 KiB, 3-6 %
        // false positives) answers them without touching the multi-megabyte slot table.
        const std::uint64_t probe = filter_probe(h);
        if ((filter_[filter_word(h)] & probe) != probe) return no_rank;
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
    token_id rank(std::string_view bytes) const noexcept {
        return rank(reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size());
    }
    // The bytes of a rank (empty for a rank the file does not define).
    std::string_view bytes_of(token_id r) const noexcept {
        if (r >= rank_limit()) return {};
        return {bytes_.data() + offsets_[r], static_cast<std::size_t>(offsets_[r + 1] - offsets_[r])};
    }
    // Bytes this vocabulary keeps resident (token bytes, rank table, hash slots).
    std::size_t resident_bytes() const noexcept {
        return sizeof(*this) + bytes_.capacity() + offsets_.capacity() * sizeof(std::uint32_t) +
               slots_.capacity() * sizeof(slot) + pair_ranks_.capacity() * sizeof(token_id) +
               filter_.capacity() * sizeof(std::uint64_t);
    }

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
    static void set_memo_limit_bits(unsigned bits) noexcept { memo_limit_bits.store(std::clamp(bits, 8u, 24u), std::memory_order_relaxed); }
    // Sizes the calling thread's memo to 2^bits entries (default and at most: the limit) now rather than
    // growing into it: for a worker about to count a large text (count_parallel does it on its threads).
    static void reserve_thread_memo(unsigned bits = ~0u) {
        memo& m = thread_memo();
        bits = std::min(bits, memo_limit_bits.load(std::memory_order_relaxed));
        if (m.bits < bits) m.resize(bits);
    }
    // Bytes of the calling thread's memo (0 when it has not tokenized yet).
    static std::size_t thread_memo_bytes() noexcept {
        const memo* m = memo_slot().get();
        if (!m) return 0;
        return sizeof(memo) + m->size() * sizeof(memo_tag) + m->ids.size() * sizeof(memo_ids);
    }

    // A thread's view of the vocabulary while it tokenizes one text (defined below the class).
    class piece_reader;

private:
    struct slot {
        std::uint64_t key = 0;  // the bytes themselves for tokens of <= 8 bytes, else their hash
        std::uint32_t rank = 0;
        std::uint32_t len = 0;  // 0 = empty slot
    };
    static constexpr std::size_t small_piece = 64;

    // Pieces repeat (Zipf), so each thread keeps the tokens of the pieces of 3..24 bytes it met recently in
    // a direct-mapped memo in front of the multi-megabyte rank table; a miss costs a whole-piece lookup and
    // often a merge (~300-500 cycles). The memo grows with the work the thread does: 4096 entries (128 KiB
    // of tags) at first, x4 whenever it has been refilled twice over, up to memo_limit_bits (default 2^17
    // entries = 4 MiB of tags: on the 10 MB mixed corpus that answers ~90 % of those pieces, 2^13 ~76 %).
    // The count path reads only the 32-byte tags; token ids live in a second array that the first encode on
    // the thread allocates. Entries name their vocabulary (owner), so several vocabularies share a thread.
    // A tag's tokens field holds the full count even when the ids did not fit (> memo_max_tokens).
    static constexpr std::size_t memo_piece = 24;
    static constexpr unsigned memo_max_tokens = 8;
    static constexpr unsigned memo_first_bits = 12;
    struct memo_key {
        std::uint64_t w0, w1, w2;  // the bytes, as load_le words (injective for a given length)
    };
    struct memo_tag {
        std::uint64_t w[3] = {};
        std::uint32_t owner = 0;  // low 32 bits of instance_: unique until 2^32 vocabularies were parsed in one process
        std::uint8_t len = 0;
        std::uint8_t tokens = 0;
        bool has_ids = false;  // false when the count path filled it: the ids are stale
    };
    static_assert(sizeof(memo_tag) == 32, "two tags per cache line");
    struct memo_ids {
        token_id ids[memo_max_tokens] = {};
        std::uint8_t ends[memo_max_tokens] = {};
    };
    struct memo {
        unsigned bits = 0;
        std::size_t fills = 0;  // since the last resize
        std::vector<memo_tag, huge_page_allocator<memo_tag>> tag;
        std::vector<memo_ids, huge_page_allocator<memo_ids>> ids;  // allocated by the first encode

        std::size_t size() const noexcept { return std::size_t{1} << bits; }
        void resize(unsigned new_bits) {
            tag = decltype(tag)(std::size_t{1} << new_bits);
            ids = {};
            bits = new_bits;
            fills = 0;
        }
        // Called between batches of pieces (never while a batch holds indexes into the table).
        void maybe_grow() {
            if (fills > 2 * size()) [[unlikely]] {
                const unsigned limit = memo_limit_bits.load(std::memory_order_relaxed);
                if (bits < limit) resize(std::min(bits + 2, limit));
                else fills = 0;
            }
        }
        std::size_t index(const memo_key& k) const noexcept {
            const std::uint64_t h = (k.w0 ^ std::rotl(k.w1, 21) ^ std::rotl(k.w2, 42)) * 0x9e3779b97f4a7c15ull;
            return static_cast<std::size_t>((h ^ (h >> 29)) * 0xbf58476d1ce4e5b9ull >> (64 - bits));
        }
        memo_ids& ids_at(std::size_t at) {
            if (ids.empty()) [[unlikely]] ids = decltype(ids)(size());
            return ids[at];
        }
    };
    inline static std::atomic<unsigned> memo_limit_bits{17};
    inline static std::atomic<std::size_t> max_piece_limit{default_max_piece_bytes};
    // Allocated on a thread's first lookup rather than in static TLS: threads that never tokenize pay nothing.
    static std::unique_ptr<memo>& memo_slot() noexcept {
        thread_local std::unique_ptr<memo> m;
        return m;
    }
    static memo& thread_memo() {
        std::unique_ptr<memo>& m = memo_slot();
        if (!m) [[unlikely]] {
            m = std::make_unique<memo>();
            m->resize(std::min(memo_first_bits, memo_limit_bits.load(std::memory_order_relaxed)));
        }
        return *m;
    }
    static memo_key memo_key_of(const unsigned char* p, std::size_t n) noexcept {
        if (n <= 8) return {load_le(p, n), 0, 0};
        if (n <= 16) return {load_le(p, 8), load_le(p + 8, n - 8), 0};
        return {load_le(p, 8), load_le(p + 8, 8), load_le(p + 16, n - 16)};
    }
    // Fills memo entry `at` with the tokens of the piece p[0, n) (3 <= n <= memo_piece), whose key is k.
    // With_ids false (the count path) leaves the entry's token ids alone: their array is not written, so it
    // does not crowd the cache while counting, and encode() fills them on its first hit.
    void memo_fill(memo& m, std::size_t at, const memo_key& k, const unsigned char* p, std::size_t n, bool with_ids) const {
        memo_tag& t = m.tag[at];
        ++m.fills;
        t.owner = static_cast<std::uint32_t>(instance_);
        t.len = static_cast<std::uint8_t>(n);
        t.w[0] = k.w0, t.w[1] = k.w1, t.w[2] = k.w2;
        t.has_ids = with_ids;
        if (const token_id r = rank(p, n); r != no_rank) {  // whole-piece lookup first: most pieces are one token
            t.tokens = 1;
            if (with_ids) {
                memo_ids& c = m.ids_at(at);
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
        token_id ids[memo_max_tokens + 1];
        std::uint8_t ends[memo_max_tokens + 1];
        merge_small(p, n, [&](token_id id, std::size_t, std::size_t e) {
            const unsigned slot = tokens < memo_max_tokens ? tokens : memo_max_tokens;
            ids[slot] = id;
            ends[slot] = static_cast<std::uint8_t>(e);
            ++tokens;
        });
        memo_ids& c = m.ids_at(at);
        std::memcpy(c.ids, ids, sizeof c.ids);
        std::memcpy(c.ends, ends, sizeof c.ends);
        t.tokens = static_cast<std::uint8_t>(tokens);
    }

    // The len (1..8) bytes at p as one integer, without reading past p + len and without a memcpy call:
    // two overlapping 4-byte loads, or three single bytes. (Host byte order; the key only needs to be
    // injective for a given length.)
    static std::uint64_t load_le(const unsigned char* p, std::size_t len) noexcept {
        if (len >= 4) {
            std::uint32_t lo, hi;
            std::memcpy(&lo, p, 4);
            std::memcpy(&hi, p + len - 4, 4);
            return std::uint64_t{lo} | (std::uint64_t{hi} << (8 * (len - 4)));
        }
        if (len == 0) return 0;
        return std::uint64_t{p[0]} | (std::uint64_t{p[len / 2]} << (8 * (len / 2))) | (std::uint64_t{p[len - 1]} << (8 * (len - 1)));
    }
    static std::uint64_t mix(std::uint64_t h) noexcept {
        h ^= h >> 32;
        h *= 0xd6e8feb86659fd93ull;
        h ^= h >> 32;
        return h;
    }
    static std::uint64_t key_of(const unsigned char* p, std::size_t len) noexcept {
        if (len <= 8) return load_le(p, len);
        std::uint64_t h = 0x9e3779b97f4a7c15ull ^ len;
        std::size_t i = 0;
        for (; i + 8 <= len; i += 8) h = mix(h ^ load_le(p + i, 8)) * 0x9e3779b97f4a7c15ull;
        if (i < len) h = mix(h ^ load_le(p + i, len - i)) * 0x9e3779b97f4a7c15ull;
        return h;
    }
    static std::uint64_t hash_of(std::uint64_t key, std::size_t len) noexcept { return mix(key * 0x9e3779b97f4a7c15ull + len); }
    // A blocked Bloom filter: two bits of one 64-bit word per token (5.5 % / 3.2 % false positives on the
    // mixed corpus for cl100k / o200k at 8 bits per token, ~10 % with one bit), one load either way. Low bits pick the word and the bits, high
    // bits the slot.
    std::size_t filter_word(std::uint64_t h) const noexcept { return static_cast<std::size_t>(h >> 12) & filter_mask_; }
    static std::uint64_t filter_probe(std::uint64_t h) noexcept { return (std::uint64_t{1} << (h & 63)) | (std::uint64_t{1} << ((h >> 6) & 63)); }
    // High bits pick the slot.
    std::size_t slot_of(std::uint64_t key, std::size_t len) const noexcept { return static_cast<std::size_t>(hash_of(key, len) >> shift_); }

    [[noreturn]] static void fail(const std::string& origin, std::size_t line, const std::string& what) {
        throw error(errc::parse_error, std::string("line ").append(std::to_string(line)).append(": ").append(what), origin);
    }
    static int b64(unsigned char c) noexcept {
        if (c >= 'A' && c <= 'Z') return c - 'A';
        if (c >= 'a' && c <= 'z') return c - 'a' + 26;
        if (c >= '0' && c <= '9') return c - '0' + 52;
        if (c == '+') return 62;
        if (c == '/') return 63;
        return -1;
    }
    // Standard base64 with padding; appends to out. False when malformed.
    static bool decode_base64(std::string_view in, std::string& out) {
        if (in.empty() || in.size() % 4 != 0) return false;
        for (std::size_t i = 0; i < in.size(); i += 4) {
            int v[4];
            int pad = 0;
            for (int k = 0; k < 4; ++k) {
                const unsigned char c = static_cast<unsigned char>(in[i + k]);
                if (c == '=') {
                    if (i + 4 != in.size() || k < 2) return false;
                    v[k] = 0;
                    ++pad;
                } else {
                    if (pad != 0) return false;
                    v[k] = b64(c);
                    if (v[k] < 0) return false;
                }
            }
            const std::uint32_t w = (std::uint32_t(v[0]) << 18) | (std::uint32_t(v[1]) << 12) | (std::uint32_t(v[2]) << 6) | std::uint32_t(v[3]);
            out.push_back(static_cast<char>(w >> 16));
            if (pad < 2) out.push_back(static_cast<char>((w >> 8) & 0xFF));
            if (pad < 1) out.push_back(static_cast<char>(w & 0xFF));
        }
        return true;
    }

    void parse_into(std::string_view data, const std::string& origin) {
        static std::atomic<std::uint64_t> instances{0};
        instance_ = ++instances;
        struct entry {
            std::uint32_t rank, off, len, line;
        };
        std::vector<entry> entries;
        std::string raw;
        raw.reserve(data.size() / 2);
        std::size_t line_no = 0;
        std::uint32_t max_rank = 0;
        // The rank tables below are sized by the highest rank: bounded by the file's length before any
        // rank is trusted, so a few bytes naming rank 49999999 cannot make them 400 MB.
        const std::size_t rank_bound = max_rank_per_line * (static_cast<std::size_t>(std::count(data.begin(), data.end(), '\n')) +
                                                                 (data.empty() || data.back() != '\n' ? 1 : 0));
        for (std::size_t pos = 0; pos < data.size();) {
            std::size_t eol = data.find('\n', pos);
            if (eol == std::string_view::npos) eol = data.size();
            std::string_view line = data.substr(pos, eol - pos);
            pos = eol + 1;
            ++line_no;
            if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
            if (line.empty()) continue;
            const std::size_t sp = line.find(' ');
            if (sp == std::string_view::npos) fail(origin, line_no, "expected '<base64 token> <rank>'");
            const std::size_t off = raw.size();
            if (!decode_base64(line.substr(0, sp), raw)) fail(origin, line_no, "the token is not valid base64");
            const std::string_view num = line.substr(sp + 1);
            if (num.empty() || num.size() > 10) fail(origin, line_no, "the rank is not a number below 2^32-1");
            std::uint64_t r = 0;
            for (char ch : num) {
                if (ch < '0' || ch > '9') fail(origin, line_no, "the rank is not a decimal number");
                r = r * 10 + static_cast<unsigned>(ch - '0');
            }
            if (r >= no_rank || r > 50'000'000 || r >= rank_bound)
                fail(origin, line_no,
                     std::string("the rank ").append(std::to_string(r)).append(" is out of range (a file of ").append(std::to_string(rank_bound / max_rank_per_line))
                         .append(" lines has ranks below ").append(std::to_string(rank_bound)).append(": bpe_vocabulary::max_rank_per_line)"));
            const std::size_t len = raw.size() - off;
            if (len > 0xFFFF) fail(origin, line_no, "the token is longer than 65535 bytes");
            entries.push_back({static_cast<std::uint32_t>(r), static_cast<std::uint32_t>(off), static_cast<std::uint32_t>(len),
                               static_cast<std::uint32_t>(line_no)});
            max_rank = std::max(max_rank, static_cast<std::uint32_t>(r));
        }
        if (entries.empty()) throw error(errc::parse_error, "the BPE rank file is empty", origin);

        // Token bytes in rank order, so bytes_of(r) is two loads.
        offsets_.assign(std::size_t{max_rank} + 2, 0);
        std::vector<std::uint32_t> line_of_rank(std::size_t{max_rank} + 1, 0);
        for (std::size_t k = 0; k < entries.size(); ++k) {
            auto& slot_line = line_of_rank[entries[k].rank];
            if (slot_line != 0) fail(origin, entries[k].line, std::string("rank ").append(std::to_string(entries[k].rank)).append(" appears twice"));
            slot_line = static_cast<std::uint32_t>(k + 1);
        }
        bytes_.reserve(raw.size());
        for (std::size_t r = 0; r <= max_rank; ++r) {
            offsets_[r] = static_cast<std::uint32_t>(bytes_.size());
            if (const auto k = line_of_rank[r]) {
                const entry& e = entries[k - 1];
                bytes_.append(raw, e.off, e.len);
                max_token_len_ = std::max<std::size_t>(max_token_len_, e.len);
            }
        }
        offsets_[std::size_t{max_rank} + 1] = static_cast<std::uint32_t>(bytes_.size());
        count_ = entries.size();

        std::size_t cap = 16;
        while (cap < count_ + count_ / 2) cap <<= 1;
        slots_.assign(cap, slot{});
        mask_ = cap - 1;
        shift_ = 64;
        for (std::size_t c = cap; c > 1; c >>= 1) --shift_;
        std::size_t filter_bits = 64;
        while (filter_bits < 8 * count_) filter_bits <<= 1;
        filter_.assign(filter_bits / 64, 0);
        filter_mask_ = filter_bits / 64 - 1;
        for (std::size_t r = 0; r <= max_rank; ++r) {
            const std::string_view b = bytes_of(static_cast<token_id>(r));
            if (b.empty()) continue;
            const auto* p = reinterpret_cast<const unsigned char*>(b.data());
            if (rank(p, b.size()) != no_rank) fail(origin, entries[line_of_rank[r] - 1].line, "a token appears twice");
            const std::uint64_t key = key_of(p, b.size());
            std::size_t i = slot_of(key, b.size());
            while (slots_[i].len != 0) i = (i + 1) & mask_;
            slots_[i] = {key, static_cast<std::uint32_t>(r), static_cast<std::uint32_t>(b.size())};
            const std::uint64_t h = hash_of(key, b.size());
            filter_[filter_word(h)] |= filter_probe(h);
        }
        for (unsigned c = 0; c < 256; ++c) {
            const unsigned char byte = static_cast<unsigned char>(c);
            byte_rank_[c] = rank(&byte, 1);
            if (byte_rank_[c] == no_rank)
                throw error(errc::parse_error, std::string("byte ").append(std::to_string(c)).append(" has no rank: not a byte-level BPE vocabulary"), origin);
        }
        // Few of the 65536 byte pairs are tokens (3830 in cl100k_base, 4653 in o200k_base): one bit per pair
        // and the ranks of the set bits in order, found with a popcount. 28 KB instead of a 256 KB table, so
        // it stays in L1/L2 next to the piece memo.
        pair_ranks_.clear();
        for (unsigned w = 0; w < 1024; ++w) {
            pair_before_[w] = static_cast<std::uint16_t>(pair_ranks_.size());
            std::uint64_t bits = 0;
            for (unsigned b = 0; b < 64; ++b) {
                const unsigned c = w * 64 + b;
                const unsigned char two[2] = {static_cast<unsigned char>(c >> 8), static_cast<unsigned char>(c & 0xFF)};
                if (const token_id r = rank(two, 2); r != no_rank) {
                    bits |= std::uint64_t{1} << b;
                    pair_ranks_.push_back(r);
                }
            }
            pair_bits_[w] = bits;
        }
    }

    // The rank of the two bytes at p, or no_rank.
    token_id pair2(const unsigned char* p) const noexcept {
        const unsigned c = (unsigned{p[0]} << 8) | p[1];
        const std::uint64_t below = pair_bits_[c >> 6] << (63 - (c & 63));  // bit c and the bits under it, at the top
        if (!(below >> 63)) return no_rank;
        return pair_ranks_[pair_before_[c >> 6] + static_cast<unsigned>(std::popcount(below)) - 1];
    }

    // tiktoken's merge on a short piece: part starts in a small array, rescanned after each merge. The
    // token of a merged part is the rank of the pair that formed it, so emitting needs no lookups.
    template <class Emit>
    void merge_small(const unsigned char* p, std::size_t n, Emit&& emit) const {
        std::uint32_t start[small_piece + 1];
        token_id rk[small_piece + 1];   // rk[k]: rank of parts k and k+1 merged
        token_id tok[small_piece + 1];  // tok[k]: token of part k
        std::size_t parts = n + 1;      // boundaries; part k spans [start[k], start[k+1])
        for (std::size_t k = 0; k < n; ++k) {
            start[k] = static_cast<std::uint32_t>(k);
            tok[k] = byte_rank_[p[k]];
            rk[k] = k + 1 < n ? pair2(p + k) : no_rank;
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
                return rank(p + start[k], start[k + 2] - start[k]);
            };
            rk[at] = pair_rank(at);
            if (at > 0) rk[at - 1] = pair_rank(at - 1);
        }
        for (std::size_t k = 0; k + 1 < parts; ++k) emit(tok[k], std::size_t{start[k]}, std::size_t{start[k + 1]});
    }

    // The same merge in O(n log n): candidate pairs in a min-heap keyed by (rank, start); entries whose
    // part has changed since are skipped when popped. 8 bytes per byte of the piece plus 8 per pending
    // heap item (12.5-13 bytes per byte in all on letters, spaces or one repeated letter; 24 at most):
    // a part is a token, so at most 65535 bytes long (checked at load), and each start keeps its length
    // and the previous part's in 4 bytes instead of two 4-byte links; the token of a merged part lives in
    // the rank slot of its second byte, which no pair starts at any more, tagged so no heap item matches.
    template <class Emit>
    void merge_large(const unsigned char* p, std::size_t n, Emit&& emit) const {
        if (n > max_piece_bytes()) [[unlikely]]
            throw error(errc::capacity_exceeded,
                        std::string("a piece of ").append(std::to_string(n)).append(" bytes without a pre-tokenizer break exceeds ")
                            .append(std::to_string(max_piece_bytes())).append(" bytes"),
                        "text.max_piece_bytes");
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
            return rank(p + k, std::size_t{parts[k].len} + parts[a].len);
        };
        for (std::uint32_t k = 0; k + 1 < n; ++k) {
            rk[k] = pair2(p + k);
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
            const token_id t = parts[k].len == 1 ? byte_rank_[p[k]] : rk[k + 1] & ~stored_token;
            emit(t, std::size_t{k}, std::size_t{k} + parts[k].len);
        }
    }

    std::string bytes_;
    std::vector<std::uint32_t> offsets_;
    token_id byte_rank_[256] = {};
    std::uint64_t pair_bits_[1024] = {};    // bit c: the bytes c >> 8, c & 0xFF form a token
    std::uint16_t pair_before_[1024] = {};  // set bits in the words before
    std::vector<token_id> pair_ranks_;      // the ranks of the set bits, in order
    std::vector<slot, huge_page_allocator<slot>> slots_;
    std::vector<std::uint64_t> filter_;  // one bit per hash value of the tokens (8+ bits per token)
    std::size_t filter_mask_ = 0;  // words - 1
    std::size_t mask_ = 0;
    unsigned shift_ = 64;
    std::size_t count_ = 0;
    std::size_t max_token_len_ = 0;
    std::uint64_t instance_ = 0;  // unique per parsed vocabulary, keys the per-thread merge cache
};

// A thread's view of the vocabulary while it tokenizes one text: the thread's memo is resolved once, not
// once per piece, and a caller that splits a few pieces ahead passes each piece's memo index from
// prefetch() (which starts loading the entry) to count() / encode(), so the piece is hashed once. Between
// batches of pieces the caller lets the memo grow (next_batch()).
class bpe_vocabulary::piece_reader {
public:
    explicit piece_reader(const bpe_vocabulary& v) : v_(v), m_(thread_memo()), owner_(static_cast<std::uint32_t>(v.instance_)) {}

    // Invalidates the indexes prefetch() returned so far.
    void next_batch() const { m_.maybe_grow(); }

    // Starts loading what looking up this piece will read (with_ids: for encode); returns the hint for
    // count / encode.
    std::uint32_t prefetch(const unsigned char* p, std::size_t len, bool with_ids = false) const noexcept {
        if (len <= 2) return 0;
        if (len <= memo_piece) {
            const auto at = static_cast<std::uint32_t>(m_.index(memo_key_of(p, len)));
            __builtin_prefetch(&m_.tag[at]);
            if (with_ids && !m_.ids.empty()) __builtin_prefetch(&m_.ids[at]);
            return at;
        }
        if (len <= v_.max_token_len_) __builtin_prefetch(&v_.slots_[v_.slot_of(key_of(p, len), len)]);
        return 0;
    }
    // The number of tokens of the piece p[0, n); `at` is what prefetch(p, n) returned.
    std::size_t count(const unsigned char* p, std::size_t n, std::uint32_t at) const {
        if (n <= 2) return n == 2 ? (v_.pair2(p) == no_rank ? 2 : 1) : n;
        if (n <= memo_piece) return m_.tag[find(p, n, at, false)].tokens;
        if (v_.rank(p, n) != no_rank) return 1;
        std::size_t k = 0;
        auto tally = [&k](token_id, std::size_t, std::size_t) { ++k; };
        if (n <= small_piece) v_.merge_small(p, n, tally);
        else v_.merge_large(p, n, tally);
        return k;
    }
    // Calls emit(rank, begin, end) for the tokens of the piece p[0, n); `at` is what prefetch(p, n) returned.
    template <class Emit>
    void encode(const unsigned char* p, std::size_t n, std::uint32_t at, Emit&& emit) const {
        if (n <= 2) {  // single bytes and pairs (punctuation, digits, spaces): direct tables, no hashing
            if (n == 0) return;
            const token_id r = n == 1 ? v_.byte_rank_[p[0]] : v_.pair2(p);
            if (r != no_rank) {
                emit(r, std::size_t{0}, n);
            } else {
                emit(v_.byte_rank_[p[0]], std::size_t{0}, std::size_t{1});
                emit(v_.byte_rank_[p[1]], std::size_t{1}, std::size_t{2});
            }
            return;
        }
        if (n <= memo_piece) {
            at = find(p, n, at, true);
            const memo_tag& t = m_.tag[at];
            if (t.tokens <= memo_max_tokens) {
                const memo_ids& c = m_.ids[at];
                for (unsigned k = 0, b = 0; k < t.tokens; b = c.ends[k], ++k) emit(c.ids[k], std::size_t{b}, std::size_t{c.ends[k]});
                return;
            }
            v_.merge_small(p, n, emit);  // more tokens than an entry keeps (rare: runs of rare characters)
            return;
        }
        if (const token_id r = v_.rank(p, n); r != no_rank) {
            emit(r, std::size_t{0}, n);
            return;
        }
        if (n <= small_piece) v_.merge_small(p, n, emit);
        else v_.merge_large(p, n, emit);
    }

private:
    // The memo index `at` (from prefetch) holding the piece p[0, n) (3 <= n <= memo_piece) once this returns.
    std::uint32_t find(const unsigned char* p, std::size_t n, std::uint32_t at, bool with_ids) const {
        const memo_key k = memo_key_of(p, n);
        const memo_tag& t = m_.tag[at];
        const bool hit = t.owner == owner_ && t.len == n && t.w[0] == k.w0 && t.w[1] == k.w1 && t.w[2] == k.w2 && (t.has_ids || !with_ids);
        if (!hit) [[unlikely]] v_.memo_fill(m_, at, k, p, n, with_ids);
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
