#pragma once
// The recursive-separator strategy, with the semantics of LangChain's RecursiveCharacterTextSplitter: take
// the first separator present in the text, cut there; pieces smaller than the max are merged greedily into
// chunks (keeping up to chunk_overlap of the previous chunk's tail pieces); larger pieces are cut again with
// the next separators. Unlike LangChain it never copies: pieces are byte ranges into the document, the merge
// queue is a ring of ranges, the level stack is a fixed array, and chunks are produced lazily, one by one.
//
// Differences from LangChain, all deliberate and documented in docs/policies.md (chunking section):
//  - "" cuts between code points, never inside one (JavaScript cuts between UTF-16 units, so it can split an
//    emoji into lone surrogates);
//  - keep_separator::none keeps doubled separators inside a chunk (a view cannot drop them) and counts the
//    separators between pieces in the size, so max_chunk_size and chunk_overlap hold on the real text.
#include <agentkit/text/chunk.hpp>
#include <agentkit/text/chunk_config.hpp>
#include <agentkit/text/chunk_sizing.hpp>
#include <agentkit/text/chunk_utf8.hpp>

#include <algorithm>
#include <array>
#include <cstring>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>
#include <type_traits>
#include <vector>

namespace agentkit::text {

// A byte range [begin, end) of a document.
struct byte_range {
    std::size_t begin = 0;
    std::size_t end = 0;
};

template <chunk_sizer Sizer>
class recursive_producer {
public:
    recursive_producer() = default;
    // `protect`: sorted, disjoint ranges no cut may fall strictly inside (markdown code fences).
    recursive_producer(std::string_view doc, const chunk_config* cfg, const Sizer* sizer,
                       std::span<const byte_range> protect = {})
        : doc_(doc), cfg_(cfg), sizer_(sizer), protect_(protect) {
        start(0, doc.size());
    }

    // Restarts on doc[begin, end) (a markdown section); the merge queue keeps its memory.
    void start(std::size_t begin, std::size_t end) {
        depth_ = 0;
        head_ = count_ = 0;
        total_ = 0;
        has_pending_ = false;
        jumped_ = false;
        fast_ = fast_sizer && cfg_->keep == keep_separator::start && protect_.empty();
        if (begin < end) push_level(begin, end, 0);
    }

    void set_protected(std::span<const byte_range> protect) noexcept { protect_ = protect; }

    // The next chunk in document order; false when the range is exhausted.
    bool next(chunk& out) {
        if (has_pending_) {
            out = pending_;
            has_pending_ = false;
            return true;
        }
        if constexpr (fast_sizer) {
            if (fast_) return next_fast(out);
        }
        const std::size_t max = cfg_->max_chunk_size;
        while (depth_ > 0) {
            level& lv = stack_[depth_ - 1];
            if (lv.next >= lv.end) {
                --depth_;
                if (flush(out)) return true;
                continue;
            }
            const piece p = next_piece(lv, lv.next);
            lv.next = p.after;
            if (p.begin >= p.end) continue;
            const std::size_t len = measure(p.begin, p.end);
            if (len < max) {
                std::size_t gap = 0;
                if (count_ != 0 && p.begin > back().end) gap = measure(back().end, p.begin);
                bool emitted = false;
                if (count_ != 0 && total_ + gap + len > max) {
                    emitted = emit(out);
                    while (count_ != 0 && (total_ > cfg_->chunk_overlap || total_ + gap + len > max)) pop_front();
                }
                push_back({p.begin, p.end, len, count_ != 0 ? gap : 0});
                if (emitted) return true;
            } else {
                const bool got = flush(out);
                if (lv.can_recurse) {
                    push_level(p.begin, p.end, lv.next_separator);
                } else {
                    // No separator left: the piece is one unit as LangChain keeps it (untrimmed).
                    return hand_out({doc_.substr(p.begin, p.end - p.begin), p.begin, p.end, len, len > max}, got, out);
                }
                if (got) return true;
            }
        }
        return false;
    }

private:
    // A piece handed out whole (no separator left to cut it with): now if this call has produced no chunk
    // yet (`got` false), else next call, after the one it has.
    bool hand_out(const chunk& c, bool got, chunk& out) {
        if (got) {
            pending_ = c;
            has_pending_ = true;
        } else {
            out = c;
        }
        return true;
    }

    struct level {
        std::size_t begin = 0, end = 0, next = 0;
        std::string_view separator;  // "" = between code points
        std::uint8_t next_separator = 0;
        bool can_recurse = false;
    };
    struct piece {
        std::size_t begin, end, after;
    };
    struct queued {
        std::size_t begin, end, len, gap;  // gap: size of the separators between the previous piece and this one
    };

    // Sizers that can jump over n units without looking at separators: with them (and keep_separator::start,
    // no protected ranges) the merge runs on positions instead of one piece at a time. Same chunks.
    static constexpr bool fast_sizer =
        std::is_same_v<Sizer, by_chars> || std::is_same_v<Sizer, by_utf16> || std::is_same_v<Sizer, by_bytes>;
    // Units where an ASCII byte is one unit: inside an ASCII run, measuring is a subtraction.
    static constexpr bool ascii_is_bytes = std::is_same_v<Sizer, by_chars> || std::is_same_v<Sizer, by_utf16>;

    // The fast merge. Invariant: the current document is [front_, back_) with total_ = measure of it (count_ is
    // 0 or 1: empty or not), and lv.next == back_ when not empty. Instead of pushing piece after piece, it jumps
    // as far as the budget allows and backs up to the last cut; instead of popping pieces for the overlap, it
    // goes back min(overlap, max - next piece) units from the end and forward to the first cut.
    bool next_fast(chunk& out) {
        const std::size_t max = cfg_->max_chunk_size;
        while (depth_ > 0) {
            level& lv = stack_[depth_ - 1];
            if (lv.next >= lv.end) {
                --depth_;
                if (flush_fast(out)) return true;
                continue;
            }
            // After a jump the piece at lv.next reaches past the budget (or has size 0): take it one by one.
            std::size_t no_cut_to = lv.next;               // no cut in (lv.next, no_cut_to]
            if (count_ != 0 && total_ != 0 && !jumped_) {  // total_ > 0: each piece that fits is below max
                std::size_t consumed = 0;
                const std::size_t p = jump(lv.next, lv.end, max - total_, consumed);
                const std::size_t q = p >= lv.end ? lv.end : last_cut(lv, lv.next, p);
                if (q != std::string_view::npos && q > lv.next) {  // every piece up to q fits
                    total_ += consumed - (q < p ? measure(q, p) : 0);
                    back_ = q;
                    lv.next = q;
                    jumped_ = true;
                    continue;
                }
                no_cut_to = p;  // the search back from p found none: the forward search starts after p
            }
            jumped_ = false;
            const std::size_t c = next_cut(lv, no_cut_to);
            // Counting stops at max: a larger piece is cut again (or measured in full below when it is not).
            std::size_t len = 0;
            if constexpr (std::is_same_v<Sizer, by_bytes>) {
                len = c - lv.next;
            } else {
                const std::size_t p = jump(lv.next, c, max, len);
                if (p < c) len = max;  // more than max (a 2-unit code point may stop the jump at max - 1)
            }
            if (len < max) {
                if (count_ == 0) {
                    front_ = lv.next, back_ = c, total_ = len, count_ = 1;
                    lv.next = c;
                    continue;
                }
                if (total_ + len <= max) {  // only after zero-size pieces (stray continuation bytes)
                    back_ = c, total_ += len;
                    lv.next = c;
                    continue;
                }
                // The piece does not fit: emit, keep the overlap, then take the piece.
                const bool emitted = emit_fast(out);
                const std::size_t limit = std::min(cfg_->chunk_overlap, max - len);
                const std::size_t r = retreat(front_ + 1, back_, limit);
                const std::size_t s = r >= back_ ? back_ : first_cut_from(lv, r, back_);
                front_ = s;
                total_ = s < back_ ? measure(s, back_) : 0;
                if (s >= back_) front_ = lv.next;
                back_ = c;
                total_ += len;
                count_ = 1;
                lv.next = c;
                if (emitted) return true;
                continue;
            }
            // A piece of max or more: flush, then cut it with the next separators (or hand it out whole).
            const std::size_t b = lv.next;
            lv.next = c;
            const bool got = flush_fast(out);
            if (lv.can_recurse) {
                push_level(b, c, lv.next_separator);
            } else {
                len = measure(b, c);
                return hand_out({doc_.substr(b, c - b), b, c, len, len > max}, got, out);
            }
            if (got) return true;
        }
        return false;
    }

    // The furthest boundary p with measure(pos, p) <= units; consumed = measure(pos, p).
    std::size_t jump(std::size_t pos, std::size_t end, std::size_t units, std::size_t& consumed) noexcept {
        if constexpr (ascii_is_bytes) {
            // Inside ASCII a unit is a byte (the byte at the answer included: it must start a code point).
            const std::size_t stop = end - pos > units ? pos + units : end;
            if (ascii(pos, stop < doc_.size() ? stop + 1 : stop)) {
                consumed = stop - pos;
                return stop;
            }
            if constexpr (std::is_same_v<Sizer, by_chars>) {
                std::size_t left = units;
                const std::size_t p = utf8::advance_code_points(doc_.substr(0, end), pos, left);
                consumed = units - left;
                return p;
            } else {
                const std::size_t p = detail::advance_units(*sizer_, doc_, pos, end, units);
                consumed = measure(pos, p);
                return p;
            }
        } else {
            std::size_t p = end - pos > units ? pos + units : end;
            while (p > pos && !utf8::is_boundary(doc_, p)) --p;
            consumed = p - pos;
            return p;
        }
    }

    bool emit_fast(chunk& out) {
        std::size_t tb = front_, te = back_;
        if (cfg_->strip_whitespace) utf8::trim(doc_, tb, te);
        if (tb >= te) return false;
        std::size_t size = total_;
        if (tb != front_) size -= measure(front_, tb);
        if (te != back_) size -= measure(te, back_);
        out = chunk{doc_.substr(tb, te - tb), tb, te, size, size > cfg_->max_chunk_size};
        return true;
    }
    bool flush_fast(chunk& out) {
        if (count_ == 0) return false;
        count_ = 0;
        const bool got = emit_fast(out);
        total_ = 0;
        return got;
    }

    // A cut of keep_separator::start: where an occurrence of the separator begins (not at the level's start).
    bool is_cut(const level& lv, std::size_t m) const noexcept {
        const std::string_view sep = lv.separator;
        if (sep.empty()) return utf8::is_boundary(doc_, m);
        return m + sep.size() <= lv.end && std::memcmp(doc_.data() + m, sep.data(), sep.size()) == 0 &&
            utf8::is_boundary(doc_, m + sep.size());
    }
    // The first cut after pos, or lv.end.
    std::size_t next_cut(const level& lv, std::size_t pos) noexcept {
        if (lv.separator.empty()) return std::min(utf8::next_boundary(doc_, pos), lv.end);
        if constexpr (ascii_is_bytes) {
            // The search reads every byte up to the cut: it notes whether they are ASCII on the way.
            bool ascii_before = false;
            std::size_t m = utf8::find_noting_ascii(doc_, lv.separator, pos + 1, lv.end, ascii_before);
            if (m != std::string_view::npos && !utf8::is_boundary(doc_, m + lv.separator.size())) {
                ascii_before = false;
                m = find_cut(lv.separator, m + 1, lv.end);
            }
            const std::size_t c = m == std::string_view::npos ? lv.end : m;
            if (ascii_before) note_ascii(pos + 1, c);
            return c;
        }
        const std::size_t m = find_cut(lv.separator, pos + 1, lv.end);
        return m == std::string_view::npos ? lv.end : m;
    }
    // The first cut in [from, limit), or limit.
    std::size_t first_cut_from(const level& lv, std::size_t from, std::size_t limit) const noexcept {
        if (lv.separator.empty()) return from;
        const std::size_t m = find_cut(lv.separator, from, std::min(lv.end, limit + lv.separator.size() - 1));
        return m == std::string_view::npos || m >= limit ? limit : m;
    }
    // The last cut in (after, upto], or npos.
    std::size_t last_cut(const level& lv, std::size_t after, std::size_t upto) const noexcept {
        if (lv.separator.empty()) return upto > after ? upto : std::string_view::npos;
        // The usual case first, inline: a one-byte separator (word, line) in the block before upto.
        if (lv.separator.size() == 1 && upto >= after + utf8::detail::block && upto + 1 < lv.end) {
            const std::size_t base = upto + 1 - utf8::detail::block;
            if (const std::uint64_t m = utf8::detail::eq_mask(doc_.data() + base, lv.separator[0]); m != 0) {
                const std::size_t at = base + 63 - static_cast<std::size_t>(std::countl_zero(m));
                if (utf8::is_boundary(doc_, at + 1)) return at;
            }
        }
        return utf8::rfind_candidate(doc_, lv.separator, after + 1, std::min(upto + 1, lv.end),
                                     [&](std::size_t m) { return is_cut(lv, m); });
    }

    std::size_t measure(std::size_t b, std::size_t e) {
        if constexpr (ascii_is_bytes) {
            if (ascii(b, e)) return e - b;
            return sizer_->measure({doc_.data() + b, e - b});
        } else {
            return sizer_->measure({doc_.data() + b, e - b});
        }
    }

    // Smallest code-point boundary p >= floor with measure(p, end) <= units.
    std::size_t retreat(std::size_t floor, std::size_t end, std::size_t units) {
        if constexpr (ascii_is_bytes) {
            const std::size_t p = end - floor > units ? end - units : floor;
            if (ascii(p, end)) return p;
        }
        return detail::retreat_units(*sizer_, doc_, floor, end, units);
    }

    // True when doc_[b, e) is all ASCII, where units are bytes. Remembers the ASCII run around the position
    // the merge is at (learnt from the separator searches, or scanned up to 256 bytes past the query), so that
    // measuring most pieces is a subtraction, and the last non-ASCII byte seen, so that a query over it fails
    // without a scan (text with a non-ASCII character every few words).
    bool ascii(std::size_t b, std::size_t e) noexcept {
        return (b >= ascii_lo_ && e <= ascii_hi_) || extend_ascii(b, e);
    }
    void note_ascii(std::size_t b, std::size_t e) noexcept {
        if (b >= ascii_lo_ && b <= ascii_hi_) {
            if (e > ascii_hi_) ascii_hi_ = e;
        } else if (e - b > ascii_hi_ - ascii_lo_ || b > ascii_hi_) {
            ascii_lo_ = b, ascii_hi_ = e;
        }
    }
    [[gnu::noinline]] bool extend_ascii(std::size_t b, std::size_t e) noexcept {
        if (non_ascii_at_ >= b && non_ascii_at_ < e) return false;
        if (e < ascii_lo_) return utf8::first_non_ascii(doc_, b, e) == e;  // behind the run: keep the run
        if (b > ascii_hi_) ascii_lo_ = ascii_hi_ = b;                      // past the run: start over
        if (b < ascii_lo_) {
            std::size_t lo = ascii_lo_;  // extend the run back while the bytes are ASCII
            while (lo > b && static_cast<unsigned char>(doc_[lo - 1]) < 0x80u) --lo;
            ascii_lo_ = lo;
            if (lo > b) {
                non_ascii_at_ = lo - 1;
                return false;
            }
        }
        if (e > ascii_hi_) {
            if (static_cast<unsigned char>(doc_[ascii_hi_]) >= 0x80u) return false;  // the run stops there
            ascii_hi_ = utf8::first_non_ascii(doc_, ascii_hi_, std::min(doc_.size(), e + 256));
            if (ascii_hi_ < doc_.size() && static_cast<unsigned char>(doc_[ascii_hi_]) >= 0x80u)
                non_ascii_at_ = ascii_hi_;
            if (e > ascii_hi_) return false;
        }
        return true;
    }

    // End of the protected range strictly containing pos, or 0.
    std::size_t protected_end(std::size_t pos) const noexcept {
        if (protect_.empty()) return 0;
        auto it = std::upper_bound(protect_.begin(), protect_.end(), pos,
                                   [](std::size_t p, const byte_range& r) { return p < r.begin; });
        if (it == protect_.begin()) return 0;
        --it;
        return (it->begin < pos && pos < it->end) ? it->end : 0;
    }

    // First occurrence of sep in [from, to) not starting strictly inside a protected range, and (invalid UTF-8
    // only) not followed by a stray continuation byte, so that a cut after the separator is a boundary too.
    std::size_t find_cut(std::string_view sep, std::size_t from, std::size_t to) const noexcept {
        for (;;) {
            const std::size_t m = utf8::find(doc_, sep, from, to);
            if (m == std::string_view::npos) return m;
            if (const std::size_t pe = protected_end(m); pe != 0) {
                from = pe;
                continue;
            }
            if (!utf8::is_boundary(doc_, m + sep.size())) {
                from = m + 1;
                continue;
            }
            return m;
        }
    }

    void push_level(std::size_t begin, std::size_t end, std::size_t first) {
        level lv;
        lv.begin = begin;
        lv.end = end;
        lv.next = begin;
        const auto seps = cfg_->separators;
        if (first >= seps.size()) {
            lv.separator = {};  // list exhausted: cut between code points, as LangChain's split("")
        } else {
            std::size_t i = first;
            for (; i < seps.size(); ++i) {
                if (seps[i].empty()) break;
                if (find_cut(seps[i], begin, end) != std::string_view::npos) {
                    lv.can_recurse = true;
                    break;
                }
            }
            if (i == seps.size()) i = seps.size() - 1;  // none present: the last one (one piece, no recursion)
            lv.separator = seps[i];
            lv.next_separator = static_cast<std::uint8_t>(i + 1);
        }
        stack_[depth_++] = lv;
    }

    piece next_piece(const level& lv, std::size_t pos) const noexcept {
        const std::string_view sep = lv.separator;
        if (sep.empty()) {
            std::size_t e = utf8::next_boundary(doc_, pos);
            if (const std::size_t pe = protected_end(e); pe != 0) e = pe;
            e = std::min(e, lv.end);
            return {pos, e, e};
        }
        switch (cfg_->keep) {
            case keep_separator::start: {
                const std::size_t m = find_cut(sep, pos + 1, lv.end);
                const std::size_t e = m == std::string_view::npos ? lv.end : m;
                return {pos, e, e};
            }
            case keep_separator::end: {
                const std::size_t m = find_cut(sep, pos, lv.end);
                const std::size_t e = m == std::string_view::npos ? lv.end : m + sep.size();
                return {pos, e, e};
            }
            case keep_separator::none: break;
        }
        for (;;) {
            const std::size_t m = find_cut(sep, pos, lv.end);
            if (m == std::string_view::npos) return {pos, lv.end, lv.end};
            if (m > pos) return {pos, m, m + sep.size()};
            pos = m + sep.size();
            if (pos >= lv.end) return {lv.end, lv.end, lv.end};
        }
    }

    // --- the merge queue: a ring of piece ranges; only the innermost level ever has pieces queued ----------
    queued& back() noexcept { return queue_[(head_ + count_ - 1) & (queue_.size() - 1)]; }
    const queued& front() const noexcept { return queue_[head_]; }
    void push_back(const queued& q) {
        if (count_ == queue_.size()) grow();
        queue_[(head_ + count_) & (queue_.size() - 1)] = q;
        ++count_;
        total_ += q.len + q.gap;
    }
    void pop_front() noexcept {
        total_ -= queue_[head_].len;
        head_ = (head_ + 1) & (queue_.size() - 1);
        if (--count_ != 0) {
            total_ -= queue_[head_].gap;
            queue_[head_].gap = 0;
        } else {
            total_ = 0;
        }
    }
    void grow() {
        std::vector<queued> bigger(queue_.empty() ? 64 : queue_.size() * 2);
        for (std::size_t i = 0; i < count_; ++i) bigger[i] = queue_[(head_ + i) & (queue_.size() - 1)];
        queue_.swap(bigger);
        head_ = 0;
    }

    // The chunk of the queued pieces, trimmed; false when only whitespace is queued.
    bool emit(chunk& out) {
        std::size_t b = front().begin, e = back().end;
        std::size_t tb = b, te = e;
        if (cfg_->strip_whitespace) utf8::trim(doc_, tb, te);
        if (tb >= te) return false;
        std::size_t size;
        if constexpr (Sizer::additive) {
            size = total_;
            if (tb != b) size -= measure(b, tb);
            if (te != e) size -= measure(te, e);
        } else {
            size = measure(tb, te);
        }
        out = chunk{doc_.substr(tb, te - tb), tb, te, size, size > cfg_->max_chunk_size};
        return true;
    }
    bool flush(chunk& out) {
        if (count_ == 0) return false;
        const bool got = emit(out);
        head_ = count_ = 0;
        total_ = 0;
        return got;
    }

    std::string_view doc_;
    const chunk_config* cfg_ = nullptr;
    const Sizer* sizer_ = nullptr;
    std::span<const byte_range> protect_;
    std::array<level, max_separators + 2> stack_{};
    std::size_t depth_ = 0;
    std::vector<queued> queue_;  // capacity: power of two, grown on demand, kept across chunks
    std::size_t head_ = 0, count_ = 0, total_ = 0;
    std::size_t front_ = 0, back_ = 0;                   // the fast merge's current document
    std::size_t ascii_lo_ = 0, ascii_hi_ = 0;            // doc_[ascii_lo_, ascii_hi_) is ASCII (by_chars, by_utf16)
    std::size_t non_ascii_at_ = std::string_view::npos;  // a byte >= 0x80 there
    bool fast_ = false;
    bool jumped_ = false;  // the last step of the fast merge was a jump
    chunk pending_{};
    bool has_pending_ = false;
};

// Strategy tag: recursive separators (the default).
struct recursive {
    template <class Sizer>
    using producer = recursive_producer<Sizer>;
};

}  // namespace agentkit::text
