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

namespace agentkit::text::utf8 {

constexpr bool is_continuation(unsigned char c) noexcept { return (c & 0xC0u) == 0x80u; }

constexpr bool is_boundary(std::string_view s, std::size_t pos) noexcept {
    return pos >= s.size() || !is_continuation(static_cast<unsigned char>(s[pos]));
}

// Next code-point boundary after pos (pos < s.size()).
constexpr std::size_t next_boundary(std::string_view s, std::size_t pos) noexcept {
    ++pos;
    while (pos < s.size() && is_continuation(static_cast<unsigned char>(s[pos]))) ++pos;
    return pos;
}

// Previous code-point boundary before pos (pos > 0).
constexpr std::size_t prev_boundary(std::string_view s, std::size_t pos) noexcept {
    --pos;
    while (pos > 0 && is_continuation(static_cast<unsigned char>(s[pos]))) --pos;
    return pos;
}

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
inline std::uint64_t four_byte_lead_mask(std::uint64_t w) noexcept { return w & (w << 1) & (w << 2) & (w << 3) & high_bits; }
}  // namespace detail

// Code points (non-continuation bytes), 8 bytes per step.
inline std::size_t count_code_points(std::string_view s) noexcept {
    const char* p = s.data();
    std::size_t n = s.size(), cont = 0, i = 0;
    for (; i + 8 <= n; i += 8) cont += static_cast<std::size_t>(std::popcount(detail::continuation_mask(detail::load8(p + i))));
    for (; i < n; ++i) cont += is_continuation(static_cast<unsigned char>(p[i]));
    return n - cont;
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

// Position after skipping `units` code points from pos (or s.size()); `units` is decremented by those skipped.
inline std::size_t advance_code_points(std::string_view s, std::size_t pos, std::size_t& units) noexcept {
    const char* p = s.data();
    const std::size_t n = s.size();
    // Whole words while they cannot overshoot: a word holds at most 8 code points.
    while (units > 8 && pos + 8 <= n) {
        const auto starts = 8 - static_cast<std::size_t>(std::popcount(detail::continuation_mask(detail::load8(p + pos))));
        units -= starts;
        pos += 8;
    }
    // Realign on a boundary (the word may have ended inside a sequence), then go code point by code point.
    while (pos < n && is_continuation(static_cast<unsigned char>(p[pos]))) ++pos;
    while (units > 0 && pos < n) {
        pos = next_boundary(s, pos);
        --units;
    }
    return pos;
}

// First occurrence of sep in s[from, to) (the whole separator inside), or npos.
inline std::size_t find(std::string_view s, std::string_view sep, std::size_t from, std::size_t to) noexcept {
    if (sep.size() > to - from || from >= to) return std::string_view::npos;
    const char first = sep[0];
    const std::size_t last_start = to - sep.size();
    const char* base = s.data();
    std::size_t pos = from;
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

// Shrinks [begin, end) past leading and trailing whitespace.
constexpr void trim(std::string_view s, std::size_t& begin, std::size_t& end) noexcept {
    while (begin < end) {
        const auto k = whitespace_at(s, begin);
        if (k == 0 || begin + k > end) break;
        begin += k;
    }
    while (end > begin) {
        const auto k = whitespace_before(s, begin, end);
        if (k == 0) break;
        end -= k;
    }
}

}  // namespace agentkit::text::utf8
