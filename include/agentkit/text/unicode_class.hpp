#pragma once
// The character classes tiktoken's split patterns ask about (\p{L} and its case classes, \p{M}, \p{N},
// \s = Unicode White_Space, [\r\n]), one byte per code point from a two-stage table generated from the
// Unicode Character Database (scripts/tokens/gen-unicode-tables.mjs; version in unicode_table_version).
// Decoding is strict UTF-8: an invalid byte is reported as one OTHER character of length 1, so a split
// over invalid input never stalls and never reads past the end.
#include <agentkit/core/utf8.hpp>
#include <agentkit/text/unicode_class_table.hpp>

#include <cstddef>
#include <cstdint>

namespace agentkit::text {

enum class uclass : std::uint8_t {
    other = 0,         // punctuation, symbols, controls, unassigned, invalid UTF-8 bytes
    upper = 1,         // Lu, Lt
    lower = 2,         // Ll
    other_letter = 3,  // Lm, Lo (in both of o200k's case classes)
    mark = 4,          // Mn, Mc, Me (in o200k's case classes; not \p{L})
    number = 5,        // Nd, Nl, No
    space = 6,         // White_Space except \r and \n (U+FEFF is not White_Space)
    newline = 7,       // \r, \n
};

struct uchar {
    uclass cls;
    std::uint8_t len;  // bytes, 1..4
};

namespace detail {
inline constexpr std::uint8_t ascii_class[128] = {
    // 0x00-0x1F: controls; \t \n \v \f \r are White_Space (\n \r: newline). 0x1C-0x1F are not (unlike isspace).
    0, 0, 0, 0, 0, 0, 0, 0, 0, 6, 7, 6, 6, 7, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    // 0x20-0x3F: space, punctuation, digits
    6, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 0, 0, 0, 0, 0, 0,
    // 0x40-0x5F: @ A-Z [ \ ] ^ _
    0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0,
    // 0x60-0x7F: ` a-z { | } ~ DEL
    0, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 0, 0, 0, 0, 0};
}  // namespace detail

inline uclass class_of(char32_t cp) noexcept {
    if (cp >= 0x110000) return uclass::other;
    const unsigned block = detail::unicode_stage1[cp >> detail::unicode_block_shift];
    return static_cast<uclass>(detail::unicode_stage2[(block << detail::unicode_block_shift) |
                                                      (cp & ((1u << detail::unicode_block_shift) - 1))]);
}

// Decodes the character at p (p < end). Invalid or truncated sequences, overlong forms, surrogates and
// values above U+10FFFF give {other, 1}. Always inlined: the splitters call it once per non-ASCII
// character, and the call was ~10 % of splitting CJK and Cyrillic text.
[[gnu::always_inline]] inline uchar decode_class(const unsigned char* p, const unsigned char* end) noexcept {
    const unsigned c = p[0];
    if (c < 0x80) return {static_cast<uclass>(detail::ascii_class[c]), 1};
    return agentkit::utf8::decode_with(
        p, end,
        [](char32_t cp, std::uint8_t n) {
            return uchar{class_of(cp), n};
        },
        [] {
            return uchar{uclass::other, 1};
        });
}

inline constexpr const char* unicode_version() noexcept { return detail::unicode_table_version; }

}  // namespace agentkit::text
