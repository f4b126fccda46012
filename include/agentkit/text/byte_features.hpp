#pragma once
// The byte features of a text: the class counts one pass over its bytes yields (letters, digits, spaces,
// newlines, punctuation, UTF-8 lead bytes, run starts), from which calibrated_estimator computes tokens.
#include <array>
#include <cstddef>
#include <cstdint>

namespace agentkit::text {

// The byte features, in the order of the coefficient arrays (scripts/tokens/fit-estimator.mjs mirrors it).
enum class estimator_feature : unsigned {
    letters,      // ASCII letters
    letter_runs,  // ASCII letters not preceded by one (words)
    digits,       // ASCII digits
    digit_runs,
    punctuation,  // printable ASCII that is neither letter, digit nor space
    punctuation_runs,
    spaces,               // ' '
    space_after_space,    // ' ' preceded by ' ' (indentation, alignment)
    newlines,             // '\n'
    tabs_returns,         // '\t', '\r'
    lead2,                // UTF-8 lead bytes of 2-byte characters (Latin accents, Cyrillic, Greek, Arabic, ...)
    lead3,                // ... of 3-byte characters (CJK, most of the BMP)
    lead4,                // ... of 4-byte characters (emoji, rare scripts)
    upper_after_lower,    // an ASCII capital right after a lowercase letter (camelCase)
    lead3_cjk,            // lead bytes 0xE3..0xE9: kana, CJK ideographs (fewer tokens than other 3-byte text)
    lead4_high,           // lead bytes 0xF1..0xFF: planes 4-16 (mostly unassigned: byte tokens)
    space_after_newline,  // ' ' right after '\n' (indentation)
    count
};
inline constexpr std::size_t estimator_features = static_cast<std::size_t>(estimator_feature::count);

// The class counts of a text. Additive over concatenation given the carried previous-byte flags, which is
// what makes the estimator a streaming counter (token_tally appends in O(appended)).
struct byte_features {
    std::array<std::uint64_t, estimator_features> n{};
    // Flags of the last byte seen: bit 0 letter, 1 digit, 2 punctuation, 3 space, 4 lowercase letter, 5 newline.
    std::uint32_t prev = 0;
};

}  // namespace agentkit::text
