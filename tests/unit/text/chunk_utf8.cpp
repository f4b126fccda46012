// The UTF-8 scanning helpers of the chunkers (text/chunk_utf8.hpp) against naive one-byte-at-a-time versions,
// on random strings that mix ASCII, separators, multi-byte sequences and invalid bytes, at every offset (the
// SIMD blocks, their tails and the inline first blocks all get exercised).
#include <agentkit/text/chunk_utf8.hpp>

#include <gtest/gtest.h>

#include <cstddef>
#include <random>
#include <string>
#include <string_view>

namespace chunk_utf8_test {
namespace u8 = agentkit::text::utf8;
constexpr std::size_t npos = std::string_view::npos;

// Mostly ASCII with long runs, so that both the "all ASCII" and the "stops at a high byte" paths are taken.
std::string random_text(std::mt19937_64& rng, std::size_t n, unsigned high_per_mille) {
    static const char* const parts[] = {"word", " ", "\n", "\n\n", "ab", "\t", "x", "  ", ". ", "\r\n"};
    static const char* const high[] = {"é", "漢", "😀", "\x80", "\xff", "\xe2\x80\xa8", "\xc2\xa0"};
    std::string s;
    while (s.size() < n) {
        if (rng() % 1000 < high_per_mille)
            s += high[rng() % std::size(high)];
        else
            s += parts[rng() % std::size(parts)];
    }
    return s;
}

std::size_t naive_find(std::string_view s, std::string_view sep, std::size_t from, std::size_t to) {
    if (from >= to || sep.size() > to - from) return npos;
    for (std::size_t m = from; m + sep.size() <= to; ++m)
        if (s.substr(m, sep.size()) == sep) return m;
    return npos;
}

std::size_t naive_first_non_ascii(std::string_view s, std::size_t from, std::size_t to) {
    for (std::size_t i = from; i < to; ++i)
        if (static_cast<unsigned char>(s[i]) >= 0x80u) return i;
    return to;
}

TEST(ChunkUtf8Scan, FindEqualsNaiveSearch) {
    std::mt19937_64 rng(7);
    const std::string_view seps[] = {" ", "\n", "\n\n", ". ", "\r\n", "ab", "word", "漢", "\n\n\n"};
    for (int round = 0; round < 60; ++round) {
        const std::string s = random_text(rng, 1 + rng() % 400, round % 3 == 0 ? 0 : 20);
        for (const auto sep : seps) {
            for (std::size_t from = 0; from <= s.size(); from += 1 + rng() % 5) {
                const std::size_t to = from + rng() % (s.size() - from + 1);
                ASSERT_EQ(u8::find(s, sep, from, to), naive_find(s, sep, from, to))
                    << "round " << round << " sep " << ::testing::PrintToString(std::string(sep)) << " [" << from << ","
                    << to << ")";
            }
        }
    }
}

TEST(ChunkUtf8Scan, FindNotingAsciiFindsTheSameAndNeverCallsNonAsciiTextAscii) {
    std::mt19937_64 rng(11);
    const std::string_view seps[] = {" ", "\n", "\n\n", "\r\n", "word"};
    std::size_t said_ascii = 0;
    for (int round = 0; round < 60; ++round) {
        const std::string s = random_text(rng, 1 + rng() % 900, round % 2 == 0 ? 0 : 3);
        for (const auto sep : seps) {
            for (std::size_t from = 0; from <= s.size(); from += 1 + rng() % 17) {
                const std::size_t to = from + rng() % (s.size() - from + 1);
                bool ascii = true;
                const std::size_t got = u8::find_noting_ascii(s, sep, from, to, ascii);
                const std::size_t want = naive_find(s, sep, from, to);
                ASSERT_EQ(got, want) << "round " << round << " [" << from << "," << to << ")";
                const std::size_t end = want == npos ? to : want;
                if (ascii) {
                    ++said_ascii;
                    ASSERT_EQ(naive_first_non_ascii(s, from, end), end) << "round " << round << " said ASCII wrongly";
                }
            }
        }
    }
    EXPECT_GT(said_ascii, 0u);  // the ASCII note is taken, not only its safe "false"
}

TEST(ChunkUtf8Scan, FirstNonAsciiEqualsNaiveScan) {
    std::mt19937_64 rng(13);
    for (int round = 0; round < 200; ++round) {
        const std::string s = random_text(rng, 1 + rng() % 700, rng() % 2 == 0 ? 0 : 5);
        const std::size_t from = rng() % (s.size() + 1);
        const std::size_t to = from + rng() % (s.size() - from + 1);
        ASSERT_EQ(u8::first_non_ascii(s, from, to), naive_first_non_ascii(s, from, to)) << "round " << round;
    }
}

TEST(ChunkUtf8Scan, RfindCandidateFindsTheLastAcceptedStart) {
    std::mt19937_64 rng(17);
    const std::string_view seps[] = {" ", "\n", "\n\n", "\r\n", "word"};
    for (int round = 0; round < 60; ++round) {
        const std::string s = random_text(rng, 1 + rng() % 500, 10);
        for (const auto sep : seps) {
            // accept(): the whole separator matches and the position is even (stands for any caller rule).
            auto accept = [&](std::size_t m) { return s.compare(m, sep.size(), sep) == 0 && m % 2 == 0; };
            for (std::size_t from = 0; from <= s.size(); from += 1 + rng() % 9) {
                const std::size_t to = from + rng() % (s.size() - from + 1);
                std::size_t want = npos;
                for (std::size_t m = to; m > from;)
                    if (--m, accept(m)) {
                        want = m;
                        break;
                    }
                ASSERT_EQ(u8::rfind_candidate(s, sep, from, to, accept), want)
                    << "round " << round << " [" << from << "," << to << ")";
            }
        }
    }
}

TEST(ChunkUtf8Scan, TrimKeepsCodePointBoundariesAndTheJavaScriptSet) {
    auto trimmed = [](std::string_view s) {
        std::size_t b = 0, e = s.size();
        u8::trim(s, b, e);
        return std::string(s.substr(b, e - b));
    };
    EXPECT_EQ(trimmed("  \t\r\n word \n"), "word");
    EXPECT_EQ(trimmed("\xc2\xa0\xe3\x80\x80word\xe2\x80\xa8 "), "word");  // NBSP, ideographic space, LS
    EXPECT_EQ(trimmed(" \x80word"), " \x80word");  // a space before a stray continuation byte stays
    EXPECT_EQ(trimmed("   "), "");
    EXPECT_EQ(trimmed("word"), "word");
    EXPECT_EQ(trimmed("é "), "é");
}

}  // namespace chunk_utf8_test
