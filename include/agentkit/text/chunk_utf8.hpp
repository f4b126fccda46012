#pragma once
// UTF-8 helpers of the chunkers: code-point boundaries, fast code-point / UTF-16 counting, separator search,
// and whitespace trimming with JavaScript's String.prototype.trim set (so trimmed chunks match LangChain's).
// A code-point boundary is any position whose byte is not a continuation byte (10xxxxxx): stray continuation
// bytes of invalid UTF-8 stay glued to the unit before them, so no cut ever lands inside a sequence.
#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string_view>

#include <agentkit/core/byte_block.hpp>
#include <agentkit/core/utf8.hpp>

namespace agentkit::text::utf8 {

// Code-point boundaries are core/utf8.hpp's.
using agentkit::utf8::is_boundary;
using agentkit::utf8::is_continuation;
using agentkit::utf8::next_boundary;
using agentkit::utf8::prev_boundary;

namespace detail {
inline constexpr std::uint64_t high_bits = 0x8080808080808080ULL;
inline std::uint64_t load8(const char* p) noexcept {
    std::uint64_t w;
    std::memcpy(&w, p, 8);
    return w;
}
// Bit 7 of each byte set when that byte is a continuation byte (10xxxxxx).
inline std::uint64_t continuation_mask(std::uint64_t w) noexcept { return w & ~(w << 1) & high_bits; }
// Bit 7 of each byte set when that byte starts a 4-byte sequence (11110xxx and above): 2 UTF-16 units.
inline std::uint64_t four_byte_lead_mask(std::uint64_t w) noexcept {
    return w & (w << 1) & (w << 2) & (w << 3) & high_bits;
}

// One bit per byte of a block of `block` bytes: set where the byte starts a code point (is no continuation byte).
#if defined(AGENTKIT_HAS_BYTE_BLOCK)
using simd::byte_block;
inline constexpr std::size_t block = simd::block_bytes;
inline std::uint64_t starts_mask(const char* p) noexcept { return byte_block::load(p).greater_signed(-65).mask(); }
#else
inline constexpr std::size_t block = 8;
inline std::uint64_t starts_mask(const char* p) noexcept {
    std::uint64_t m = 0;
    for (std::size_t i = 0; i < 8; ++i)
        m |= static_cast<std::uint64_t>(!is_continuation(static_cast<unsigned char>(p[i]))) << i;
    return m;
}
#endif
// One bit per byte of a block: set where the byte equals c / where the byte is not ASCII (>= 0x80).
#if defined(AGENTKIT_HAS_BYTE_BLOCK)
inline std::uint64_t eq_mask(const char* p, char c) noexcept {
    return (byte_block::load(p) == byte_block::splat(c)).mask();
}
inline std::uint64_t eq2_mask(const char* p, char c0, char c1) noexcept {
    return ((byte_block::load(p) == byte_block::splat(c0)) & (byte_block::load(p + 1) == byte_block::splat(c1))).mask();
}
inline std::uint64_t high_mask(const char* p) noexcept { return byte_block::load(p).mask(); }
inline bool any_high_block(const char* p) noexcept { return high_mask(p) != 0; }
inline bool any_high(const char* p) noexcept {  // 64 bytes
    byte_block acc = byte_block::load(p);
    for (std::size_t i = simd::block_bytes; i < 64; i += simd::block_bytes) acc = acc | byte_block::load(p + i);
    return acc.mask() != 0;
}
#else
inline std::uint64_t eq_mask(const char* p, char c) noexcept {
    std::uint64_t m = 0;
    for (std::size_t i = 0; i < block; ++i) m |= static_cast<std::uint64_t>(p[i] == c) << i;
    return m;
}
inline std::uint64_t eq2_mask(const char* p, char c0, char c1) noexcept {
    std::uint64_t m = 0;
    for (std::size_t i = 0; i < block; ++i) m |= static_cast<std::uint64_t>(p[i] == c0 && p[i + 1] == c1) << i;
    return m;
}
inline std::uint64_t high_mask(const char* p) noexcept {
    std::uint64_t m = 0;
    for (std::size_t i = 0; i < 8; ++i) m |= static_cast<std::uint64_t>(static_cast<unsigned char>(p[i]) >= 0x80u) << i;
    return m;
}
inline bool any_high_block(const char* p) noexcept { return (load8(p) & high_bits) != 0; }
inline bool any_high(const char* p) noexcept {  // 64 bytes
    std::uint64_t acc = 0;
    for (std::size_t i = 0; i < 64; i += 8) acc |= load8(p + i);
    return (acc & high_bits) != 0;
}
#endif
// Index of the (k+1)-th lowest set bit of m (m has more than k set bits): a byte at a time, then bit by bit.
inline std::size_t select_bit(std::uint64_t m, std::size_t k) noexcept {
    std::size_t offset = 0;
    for (;;) {
        const auto c = static_cast<std::size_t>(std::popcount(m & 0xFFu));
        if (c > k) break;
        k -= c;
        m >>= 8;
        offset += 8;
    }
    for (; k > 0; --k) m &= m - 1;
    return offset + static_cast<std::size_t>(std::countr_zero(m));
}
// Index of the (k+1)-th highest set bit of m (m has more than k set bits).
inline std::size_t select_bit_from_top(std::uint64_t m, std::size_t k) noexcept {
    return select_bit(m, static_cast<std::size_t>(std::popcount(m)) - 1 - k);
}
}  // namespace detail

// Code points (non-continuation bytes), one SIMD block per step.
inline std::size_t count_code_points(std::string_view s) noexcept {
    const char* p = s.data();
    const std::size_t n = s.size();
    std::size_t count = 0, i = 0;
    for (; i + detail::block <= n; i += detail::block)
        count += static_cast<std::size_t>(std::popcount(detail::starts_mask(p + i)));
    for (; i < n; ++i) count += !is_continuation(static_cast<unsigned char>(p[i]));
    return count;
}

// UTF-16 code units, i.e. JavaScript's String.length: code points, plus one for each 4-byte sequence.
inline std::size_t count_utf16_units(std::string_view s) noexcept {
    const char* p = s.data();
    std::size_t n = s.size(), cont = 0, astral = 0, i = 0;
    for (; i + 8 <= n; i += 8) {
        const auto w = detail::load8(p + i);
        cont += static_cast<std::size_t>(std::popcount(detail::continuation_mask(w)));
        astral += static_cast<std::size_t>(std::popcount(detail::four_byte_lead_mask(w)));
    }
    for (; i < n; ++i) {
        const auto c = static_cast<unsigned char>(p[i]);
        cont += is_continuation(c);
        astral += c >= 0xF0u;
    }
    return n - cont + astral;
}

// Position after skipping `units` code points from the boundary pos (or s.size() when fewer are left);
// `units` is decremented by the number skipped.
inline std::size_t advance_code_points(std::string_view s, std::size_t pos, std::size_t& units) noexcept {
    const char* p = s.data();
    const std::size_t n = s.size();
    // The answer is the (units + 1)-th code-point start at or after pos.
    while (pos + detail::block <= n) {
        std::uint64_t starts = detail::starts_mask(p + pos);
        const auto c = static_cast<std::size_t>(std::popcount(starts));
        if (c <= units) {
            units -= c;
            pos += detail::block;
            continue;
        }
        const std::size_t at = detail::select_bit(starts, units);
        units = 0;
        return pos + at;
    }
    for (; pos < n; ++pos) {
        if (is_continuation(static_cast<unsigned char>(p[pos]))) continue;
        if (units == 0) return pos;
        --units;
    }
    return n;
}

// Smallest code-point start p >= floor with at most `units` code points in [p, end) (end when units == 0).
inline std::size_t retreat_code_points(std::string_view s, std::size_t floor, std::size_t end,
                                       std::size_t units) noexcept {
    const char* p = s.data();
    std::size_t pos = end, scan = end, remaining = units;
    while (remaining > 0 && scan >= floor + detail::block) {
        const std::size_t base = scan - detail::block;
        std::uint64_t starts = detail::starts_mask(p + base);
        const auto c = static_cast<std::size_t>(std::popcount(starts));
        if (c <= remaining) {
            remaining -= c;
            if (c != 0) pos = base + static_cast<std::size_t>(std::countr_zero(starts));
            scan = base;
            continue;
        }
        return base + detail::select_bit_from_top(starts, remaining - 1);
    }
    while (remaining > 0 && scan > floor) {
        --scan;
        if (!is_continuation(static_cast<unsigned char>(p[scan]))) {
            pos = scan;
            --remaining;
        }
    }
    return pos;
}

inline std::size_t find_far(std::string_view s, std::string_view sep, std::size_t from, std::size_t to) noexcept;

// First occurrence of sep in s[from, to) (the whole separator inside), or npos. The first block of a one- or
// two-byte separator (a word, a line: the usual distance) is looked at inline.
inline std::size_t find(std::string_view s, std::string_view sep, std::size_t from, std::size_t to) noexcept {
    if (sep.size() - 1 < 2 && from < to && to - from >= sep.size() && from + detail::block + 1 <= s.size()) {
        const char* p = s.data() + from;
        const std::uint64_t m = sep.size() == 1 ? detail::eq_mask(p, sep[0]) : detail::eq2_mask(p, sep[0], sep[1]);
        if (m != 0) {
            const std::size_t at = from + static_cast<std::size_t>(std::countr_zero(m));
            return at + sep.size() <= to ? at : std::string_view::npos;
        }
        from += detail::block;
        if (from >= to) return std::string_view::npos;
    }
    return find_far(s, sep, from, to);
}

inline std::size_t first_non_ascii(std::string_view s, std::size_t from, std::size_t to) noexcept;

// find() of a one- or two-byte separator that also tells whether s[from, result) is ASCII (result: `to` when
// not found), for nothing: the bytes are in a register anyway. `ascii` may say false for ASCII text (other
// separators, short ranges), never true for text that is not.
inline std::size_t find_noting_ascii(std::string_view s, std::string_view sep, std::size_t from, std::size_t to,
                                     bool& ascii) noexcept {
    ascii = false;
    if (sep.size() - 1 >= 2 || from >= to || to - from < 4 * detail::block) return find(s, sep, from, to);
    const char* base = s.data();
    const bool two = sep.size() == 2;
    const char c0 = sep[0], c1 = two ? sep[1] : sep[0];
    bool high = false;
    std::size_t pos = from;
    // Blocks read [pos, pos + block + 1): stay inside [from, to).
    while (pos + detail::block + 1 <= to) {
        const std::uint64_t m = two ? detail::eq2_mask(base + pos, c0, c1) : detail::eq_mask(base + pos, c0);
        if (detail::any_high_block(base + pos)) high = true;  // the block's bytes after a hit count too: safe side
        if (m != 0) {
            ascii = !high;
            return pos + static_cast<std::size_t>(std::countr_zero(m));  // whole inside: pos + block + 1 <= to
        }
        pos += detail::block;
    }
    const std::size_t found = find(s, sep, pos, to);
    const std::size_t end = found == std::string_view::npos ? to : found;
    ascii = !high && first_non_ascii(s, pos, end) == end;
    return found;
}

// Index of the first byte >= 0x80 in s[from, to), or `to` (64 bytes per step).
inline std::size_t first_non_ascii(std::string_view s, std::size_t from, std::size_t to) noexcept {
    const char* p = s.data();
    std::size_t i = from;
    while (i + 64 <= to && !detail::any_high(p + i)) i += 64;
    for (; i + detail::block <= to; i += detail::block)
        if (const std::uint64_t m = detail::high_mask(p + i); m != 0)
            return i + static_cast<std::size_t>(std::countr_zero(m));
    for (; i < to; ++i)
        if (static_cast<unsigned char>(p[i]) >= 0x80u) return i;
    return to;
}

// Last m in [from, to) where sep starts (its first two bytes match: a candidate) and accept(m) holds, or
// npos; a block at a time from the top. accept() checks the rest (the whole separator, limits).
template <class Accept>
std::size_t rfind_candidate(std::string_view s, std::string_view sep, std::size_t from, std::size_t to,
                            Accept&& accept) noexcept {
    if (from >= to || sep.empty()) return std::string_view::npos;
    const char* p = s.data();
    const char c0 = sep[0];
    const bool two = sep.size() >= 2;
    const char c1 = two ? sep[1] : '\0';
    auto candidate = [&](std::size_t m) {
        return p[m] == c0 && (!two || (m + 1 < s.size() && p[m + 1] == c1)) && accept(m);
    };
    std::size_t hi = to;  // positions [from, hi) are left to look at
    // Blocks read [base, base + block + 1): stay inside s.
    while (hi > from && hi + 1 > s.size()) {
        --hi;
        if (candidate(hi)) return hi;
    }
    while (hi >= from + detail::block) {
        const std::size_t base = hi - detail::block;
        std::uint64_t m = two ? detail::eq2_mask(p + base, c0, c1) : detail::eq_mask(p + base, c0);
        while (m != 0) {
            const std::size_t at = base + 63 - static_cast<std::size_t>(std::countl_zero(m));
            if (accept(at)) return at;
            m &= ~(std::uint64_t{1} << (at - base));
        }
        hi = base;
    }
    while (hi > from) {
        --hi;
        if (candidate(hi)) return hi;
    }
    return std::string_view::npos;
}

// find() past its first block.
inline std::size_t find_far(std::string_view s, std::string_view sep, std::size_t from, std::size_t to) noexcept {
    if (sep.size() > to - from || from >= to) return std::string_view::npos;
    const char first = sep[0];
    const std::size_t last_start = to - sep.size();
    const char* base = s.data();
    std::size_t pos = from;
#if defined(AGENTKIT_HAS_BYTE_BLOCK)
    if (sep.size() >= 2) {
        // Candidates where the first two bytes match, a block at a time (a lone first byte such as the '\n' of
        // every line does not stop the scan, as it would with memchr).
        constexpr std::size_t B = simd::block_bytes;
        const auto c0 = detail::byte_block::splat(first), c1 = detail::byte_block::splat(sep[1]);
        auto pairs = [&](std::size_t i) {
            return ((detail::byte_block::load(base + i) == c0) & (detail::byte_block::load(base + i + 1) == c1)).mask();
        };
        // Loads read [i, i + B + 1): stay inside [from, to). Two blocks per step while none matches.
        while (pos + 2 * B + 1 <= to && (pairs(pos) | pairs(pos + B)) == 0) pos += 2 * B;
        while (pos + B + 1 <= to) {
            std::uint32_t m = pairs(pos);
            while (m != 0) {
                const std::size_t at = pos + static_cast<std::size_t>(std::countr_zero(m));
                if (at > last_start) return std::string_view::npos;
                if (sep.size() == 2 || std::memcmp(base + at + 2, sep.data() + 2, sep.size() - 2) == 0) return at;
                m &= m - 1;
            }
            pos += B;
        }
    }
    if (sep.size() == 1) {
        // Short distances (the next word) inline, long ones through memchr.
        for (std::size_t k = 0; k < 2 && pos + detail::block <= to; ++k, pos += detail::block)
            if (const std::uint64_t m = detail::eq_mask(base + pos, first); m != 0)
                return pos + static_cast<std::size_t>(std::countr_zero(m));
    }
#endif
    while (pos <= last_start) {
        const void* hit = std::memchr(base + pos, first, last_start - pos + 1);
        if (hit == nullptr) return std::string_view::npos;
        pos = static_cast<std::size_t>(static_cast<const char*>(hit) - base);
        if (sep.size() == 1 || std::memcmp(base + pos + 1, sep.data() + 1, sep.size() - 1) == 0) return pos;
        ++pos;
    }
    return std::string_view::npos;
}

// Length of the JavaScript whitespace character starting at pos (0 when none): TAB LF VT FF CR SPACE, NBSP,
// U+1680, U+2000..U+200A, U+2028, U+2029, U+202F, U+205F, U+3000, U+FEFF.
constexpr std::size_t whitespace_at(std::string_view s, std::size_t pos) noexcept {
    const std::size_t n = s.size() - pos;
    const auto b0 = static_cast<unsigned char>(s[pos]);
    if (b0 < 0x80u) return (b0 == 0x20u || (b0 >= 0x09u && b0 <= 0x0Du)) ? 1 : 0;
    if (n >= 2 && b0 == 0xC2u && static_cast<unsigned char>(s[pos + 1]) == 0xA0u) return 2;
    if (n < 3) return 0;
    const auto b1 = static_cast<unsigned char>(s[pos + 1]), b2 = static_cast<unsigned char>(s[pos + 2]);
    switch (b0) {
        case 0xE1u: return (b1 == 0x9Au && b2 == 0x80u) ? 3 : 0;
        case 0xE2u:
            if (b1 == 0x80u) return ((b2 >= 0x80u && b2 <= 0x8Au) || b2 == 0xA8u || b2 == 0xA9u || b2 == 0xAFu) ? 3 : 0;
            return (b1 == 0x81u && b2 == 0x9Fu) ? 3 : 0;
        case 0xE3u: return (b1 == 0x80u && b2 == 0x80u) ? 3 : 0;
        case 0xEFu: return (b1 == 0xBBu && b2 == 0xBFu) ? 3 : 0;
        default: return 0;
    }
}

// Length of the whitespace character ending at end (0 when none), for end > begin.
constexpr std::size_t whitespace_before(std::string_view s, std::size_t begin, std::size_t end) noexcept {
    const auto last = static_cast<unsigned char>(s[end - 1]);
    if (last < 0x80u) return whitespace_at(s, end - 1);
    for (std::size_t k = 2; k <= 3 && k <= end - begin; ++k)
        if (whitespace_at(s, end - k) == k) return k;
    return 0;
}

// Printable ASCII (0x21..0x7E): no whitespace, and a code point of its own.
constexpr bool is_printable_ascii(char c) noexcept { return static_cast<unsigned char>(c) - 0x21u < 0x5Eu; }

constexpr bool is_ascii_whitespace(char c) noexcept { return c == ' ' || (c >= '\t' && c <= '\r'); }

// trim() past the first non-ASCII-whitespace characters: the whole JavaScript set.
constexpr void trim_unicode(std::string_view s, std::size_t& begin, std::size_t& end) noexcept {
    while (begin < end) {
        const auto k = whitespace_at(s, begin);
        // Stop before whitespace followed by a stray continuation byte: begin stays on a code-point boundary.
        if (k == 0 || begin + k > end || !is_boundary(s, begin + k)) break;
        begin += k;
    }
    while (end > begin) {
        const auto k = whitespace_before(s, begin, end);
        if (k == 0) break;
        end -= k;
    }
}

// Shrinks [begin, end) past leading and trailing whitespace (the JavaScript String.prototype.trim set).
constexpr void trim(std::string_view s, std::size_t& begin, std::size_t& end) noexcept {
    // ASCII first (indentation, newlines), inline; other whitespace through whitespace_at.
    while (begin < end && is_ascii_whitespace(s[begin]) && is_boundary(s, begin + 1)) ++begin;
    while (end > begin && is_ascii_whitespace(s[end - 1])) --end;
    if (begin >= end || (is_printable_ascii(s[begin]) && is_printable_ascii(s[end - 1]))) return;
    trim_unicode(s, begin, end);
}

}  // namespace agentkit::text::utf8
