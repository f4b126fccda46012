#pragma once
// UTF-8 as every layer reads it: strict decoding of one code point (RFC 3629: no overlong forms, no
// surrogates, nothing above U+10FFFF), validation of a whole string, and code-point boundaries for cutting
// text without splitting a sequence. A boundary is any byte that is not a continuation byte (10xxxxxx), so
// the stray continuation bytes of invalid input stay glued to what precedes them and a cut never lands
// inside a sequence, valid or not.
#include <cstddef>
#include <cstdint>
#include <string_view>

namespace agentkit::utf8 {

// 10xxxxxx. Takes the byte widened (any char type converts with the low 8 bits intact).
constexpr bool is_continuation(unsigned c) noexcept { return (c & 0xC0u) == 0x80u; }

// One decoded code point. length 0: the bytes there are not a well-formed sequence (invalid lead byte,
// truncated, overlong, surrogate or above U+10FFFF); value is then 0.
struct code_point {
    char32_t value;
    std::uint8_t length;  // bytes, 1..4; 0 = ill-formed
};

namespace detail {
// byte(k): the k-th byte from the start, for k < avail (avail >= 1).
template <class Byte, class Valid, class Invalid>
[[gnu::always_inline]] constexpr auto decode_with(Byte byte, std::size_t avail, Valid valid, Invalid invalid) noexcept {
    const unsigned c = byte(0);
    if (c < 0x80) return valid(char32_t{c}, 1);
    if (c >= 0xC2 && c <= 0xDF) {
        if (avail >= 2 && is_continuation(byte(1))) return valid(char32_t{((c & 0x1Fu) << 6) | (byte(1) & 0x3Fu)}, 2);
    } else if (c >= 0xE0 && c <= 0xEF) {
        if (avail >= 3 && is_continuation(byte(1)) && is_continuation(byte(2))) {
            const char32_t cp = ((c & 0x0Fu) << 12) | ((byte(1) & 0x3Fu) << 6) | (byte(2) & 0x3Fu);
            if (cp >= 0x800 && (cp < 0xD800 || cp > 0xDFFF)) return valid(cp, 3);
        }
    } else if (c >= 0xF0 && c <= 0xF4) {
        if (avail >= 4 && is_continuation(byte(1)) && is_continuation(byte(2)) && is_continuation(byte(3))) {
            const char32_t cp =
                ((c & 0x07u) << 18) | ((byte(1) & 0x3Fu) << 12) | ((byte(2) & 0x3Fu) << 6) | (byte(3) & 0x3Fu);
            if (cp >= 0x10000 && cp <= 0x10FFFF) return valid(cp, 4);
        }
    }
    return invalid();
}
inline constexpr auto as_code_point = [](char32_t value, std::uint8_t length) { return code_point{value, length}; };
inline constexpr auto ill_formed = [] { return code_point{0, 0}; };
}  // namespace detail

// Decodes the code point at p (p < end) and returns valid(value, length), or invalid() for an ill-formed
// sequence. Always inlined, so a caller that maps the code point at once (the tokenizer's pre-split
// classifies every non-ASCII character) gets one branch per lead-byte range and no code_point in between.
template <class Valid, class Invalid>
[[gnu::always_inline]] constexpr auto decode_with(const unsigned char* p, const unsigned char* end, Valid valid,
                                                  Invalid invalid) noexcept {
    return detail::decode_with([p](std::size_t k) -> unsigned { return p[k]; }, static_cast<std::size_t>(end - p),
                               valid, invalid);
}

// The code point starting at p (p < end).
[[gnu::always_inline]] constexpr code_point decode(const unsigned char* p, const unsigned char* end) noexcept {
    return decode_with(p, end, detail::as_code_point, detail::ill_formed);
}
// The code point starting at s[pos] (pos < s.size()).
constexpr code_point decode(std::string_view s, std::size_t pos) noexcept {
    return detail::decode_with([s, pos](std::size_t k) -> unsigned { return static_cast<unsigned char>(s[pos + k]); },
                               s.size() - pos, detail::as_code_point, detail::ill_formed);
}

// Well-formed UTF-8 throughout.
constexpr bool is_valid(std::string_view s) noexcept {
    for (std::size_t i = 0; i < s.size();) {
        if (static_cast<unsigned char>(s[i]) < 0x80) {
            ++i;
            continue;
        }
        const code_point c = decode(s, i);
        if (c.length == 0) return false;
        i += c.length;
    }
    return true;
}

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

// Where to cut s to keep at most max_bytes without splitting a sequence: the last boundary at or before
// max_bytes (s.size() when it fits whole).
constexpr std::size_t cut_point(std::string_view s, std::size_t max_bytes) noexcept {
    if (max_bytes >= s.size()) return s.size();
    while (max_bytes > 0 && is_continuation(static_cast<unsigned char>(s[max_bytes]))) --max_bytes;
    return max_bytes;
}

}  // namespace agentkit::utf8
