#pragma once
// A small fixed set of literal substrings, searched for in short texts (provider error messages) without
// regex and without allocation. Built once; `found_in` answers "does any pattern occur?".
//
// How: each pattern keeps two anchor bytes, the two rarest of its bytes by a byte-frequency ranking of
// English/JSON text, at their offsets. A candidate position must have both anchors; vector compares test
// 16 (SSE2) or 32 (AVX2) positions at once per pattern, and only a position with both anchors is compared
// in full. On a ~70-byte message with the patterns absent that is 2-4 vector blocks per pattern and
// almost never a full compare. Without SSE2 the same anchor test runs one position at a time.
//
// Matching is case-sensitive, decided up front: the patterns are machine-readable error codes
// (`invalid_api_key`), which providers send verbatim.
#include <agentkit/core/error.hpp>

#include <array>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#if defined(__AVX2__)
#include <immintrin.h>
#elif defined(__SSE2__)
#include <emmintrin.h>
#endif

// The rare paths stay out of line so the vector loop keeps its registers (no spills, no stack realignment).
#if defined(__GNUC__)
#define AGENTKIT_PATTERN_SET_COLD [[gnu::noinline, gnu::cold]]
#else
#define AGENTKIT_PATTERN_SET_COLD
#endif

namespace agentkit::resilience {

class pattern_set {
public:
    pattern_set() = default;
    // Throws agentkit::error naming `field` if a pattern is empty.
    explicit pattern_set(const std::vector<std::string>& patterns, const char* field = "patterns") {
        for (const auto& p : patterns) {
            if (p.empty()) throw_invalid_field(field, "a pattern must not be empty");
            entries_.push_back(make_entry(p));
            if (p.size() < min_size_) min_size_ = p.size();
        }
    }

    bool empty() const noexcept { return entries_.empty(); }
    std::size_t size() const noexcept { return entries_.size(); }

    bool found_in(std::string_view text) const noexcept {
        if (text.size() < min_size_) return false;  // also: no pattern at all
        for (const auto& e : entries_)
            if (find(e, text)) return true;
        return false;
    }

    // Rank of a byte's frequency in English text and JSON error bodies: 0 = rarest. Letters follow English
    // letter frequency; space, quotes, ':' and ',' are the most frequent; control bytes and non-ASCII rarest.
    static constexpr std::uint8_t frequency_rank(unsigned char c) noexcept { return ranks()[c]; }

private:
    struct entry {
        std::string needle;
        std::size_t first = 0, second = 0;  // anchor offsets (first != second unless size 1)
        char first_byte = 0, second_byte = 0;
    };

    static constexpr std::array<std::uint8_t, 256> ranks() noexcept {
        std::array<std::uint8_t, 256> r{};
        for (std::size_t c = 0; c < 256; ++c) r[c] = 0;                          // control, non-ASCII
        for (unsigned char c = 0x21; c < 0x7f; ++c) r[c] = 40;                   // rare punctuation
        for (unsigned char c = 'A'; c <= 'Z'; ++c) r[c] = 50;                    // capitals
        for (unsigned char c = '0'; c <= '9'; ++c) r[c] = 60;                    // digits
        constexpr std::string_view by_frequency = "zqxjkvbpygfwmucldrhsnioate";  // rarest first
        for (std::size_t i = 0; i < by_frequency.size(); ++i)
            r[static_cast<unsigned char>(by_frequency[i])] = static_cast<std::uint8_t>(100 + 4 * i);
        r['_'] = 150;  // snake_case codes: error_type, server_error
        r['.'] = 160;
        r[','] = 200;
        r[':'] = 200;
        r['"'] = 220;
        r[' '] = 255;
        return r;
    }

    static entry make_entry(const std::string& p) {
        entry e;
        e.needle = p;
        std::size_t best = 0;
        for (std::size_t i = 1; i < p.size(); ++i)
            if (frequency_rank(static_cast<unsigned char>(p[i])) < frequency_rank(static_cast<unsigned char>(p[best])))
                best = i;
        std::size_t next = best == 0 ? (p.size() > 1 ? 1 : 0) : 0;
        for (std::size_t i = 0; i < p.size(); ++i) {
            if (i == best) continue;
            const auto ri = frequency_rank(static_cast<unsigned char>(p[i]));
            const auto rn = frequency_rank(static_cast<unsigned char>(p[next]));
            // Prefer a rarer byte; on a tie, a byte different from the first anchor (two tests, not one).
            if (ri < rn || (ri == rn && p[next] == p[best] && p[i] != p[best])) next = i;
        }
        e.first = best < next ? best : next;
        e.second = best < next ? next : best;
        e.first_byte = p[e.first];
        e.second_byte = p[e.second];
        return e;
    }

    static bool full_match(const entry& e, const char* at) noexcept {
        return std::memcmp(at, e.needle.data(), e.needle.size()) == 0;
    }

    // Positions [from, to) one at a time (texts shorter than a vector block, or no SSE2).
    AGENTKIT_PATTERN_SET_COLD static bool scan_scalar(const entry& e, const char* hay, std::size_t from,
                                                      std::size_t to) noexcept {
        for (std::size_t i = from; i < to; ++i)
            if (hay[i + e.first] == e.first_byte && hay[i + e.second] == e.second_byte && full_match(e, hay + i))
                return true;
        return false;
    }

    // The candidates in `mask` (bit j = position i + j) compared in full; rarely reached.
    AGENTKIT_PATTERN_SET_COLD static bool verify(const entry& e, const char* hay, std::size_t i,
                                                 std::uint32_t mask) noexcept {
        for (; mask != 0; mask &= mask - 1)
            if (full_match(e, hay + i + static_cast<std::size_t>(__builtin_ctz(mask)))) return true;
        return false;
    }

    static bool find(const entry& e, std::string_view text) noexcept {
        const std::size_t m = e.needle.size();
        if (text.size() < m) return false;
        const char* hay = text.data();
        const std::size_t positions = text.size() - m + 1;  // candidate starts: [0, positions)
#if defined(__AVX2__) || defined(__SSE2__)
#if defined(__AVX2__)
        constexpr std::size_t width = 32;
        using vec = __m256i;
#define AGENTKIT_PS_SET1 _mm256_set1_epi8
#define AGENTKIT_PS_MASK(x, y)                                                                      \
    static_cast<std::uint32_t>(_mm256_movemask_epi8(                                                \
        _mm256_and_si256(_mm256_cmpeq_epi8(_mm256_loadu_si256(reinterpret_cast<const vec*>(x)), a), \
                         _mm256_cmpeq_epi8(_mm256_loadu_si256(reinterpret_cast<const vec*>(y)), b))))
#else
        constexpr std::size_t width = 16;
        using vec = __m128i;
#define AGENTKIT_PS_SET1 _mm_set1_epi8
#define AGENTKIT_PS_MASK(x, y)                                                                               \
    static_cast<std::uint32_t>(                                                                              \
        _mm_movemask_epi8(_mm_and_si128(_mm_cmpeq_epi8(_mm_loadu_si128(reinterpret_cast<const vec*>(x)), a), \
                                        _mm_cmpeq_epi8(_mm_loadu_si128(reinterpret_cast<const vec*>(y)), b))))
#endif
        if (positions < width) return scan_scalar(e, hay, 0, positions);
        const vec a = AGENTKIT_PS_SET1(e.first_byte), b = AGENTKIT_PS_SET1(e.second_byte);
        const char* p1 = hay + e.first;
        const char* p2 = hay + e.second;
        // Every load stays inside the text: the last block starts at positions - width, so its furthest
        // byte is hay[positions - 1 + second] <= hay[size - 1]. The last block may overlap the one before.
        const std::size_t last = positions - width;
        for (std::size_t i = 0;;) {
            const std::uint32_t mask = AGENTKIT_PS_MASK(p1 + i, p2 + i);
            if (mask != 0 && verify(e, hay, i, mask)) [[unlikely]]
                return true;
            if (i == last) return false;
            i = i + width <= last ? i + width : last;
        }
#undef AGENTKIT_PS_SET1
#undef AGENTKIT_PS_MASK
#else
        return scan_scalar(e, hay, 0, positions);
#endif
    }

    std::vector<entry> entries_;
    std::size_t min_size_ = static_cast<std::size_t>(-1);
};

}  // namespace agentkit::resilience
