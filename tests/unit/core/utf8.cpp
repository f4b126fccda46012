// core/utf8.hpp: strict decoding (checked exhaustively over every 1-3 byte sequence and every code point),
// validation, code-point boundaries and the safe cut point.
#include <agentkit/core/utf8.hpp>

#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <string_view>

namespace utf8 = agentkit::utf8;

namespace {
std::string encode(char32_t cp) {
    std::string s;
    if (cp < 0x80) {
        s += static_cast<char>(cp);
    } else if (cp < 0x800) {
        s += static_cast<char>(0xC0 | (cp >> 6));
        s += static_cast<char>(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
        s += static_cast<char>(0xE0 | (cp >> 12));
        s += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        s += static_cast<char>(0x80 | (cp & 0x3F));
    } else {
        s += static_cast<char>(0xF0 | (cp >> 18));
        s += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
        s += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        s += static_cast<char>(0x80 | (cp & 0x3F));
    }
    return s;
}
bool is_surrogate(char32_t cp) { return cp >= 0xD800 && cp <= 0xDFFF; }
}  // namespace

TEST(Utf8, EveryScalarValueRoundTrips) {
    for (char32_t cp = 0; cp <= 0x10FFFF; ++cp) {
        if (is_surrogate(cp)) continue;
        const std::string s = encode(cp);
        const utf8::code_point d = utf8::decode(s, 0);
        ASSERT_EQ(std::size_t{d.length}, s.size()) << std::hex << static_cast<std::uint32_t>(cp);
        ASSERT_EQ(d.value, cp);
        ASSERT_TRUE(utf8::is_valid(s));
    }
}

// Every sequence of 2 or 3 bytes that starts with a non-ASCII byte: what decode accepts is exactly the
// shortest encoding of a scalar value (no overlong form, no surrogate), and the pointer and string_view
// forms agree.
TEST(Utf8, AcceptsOnlyShortestFormsOfScalarValues) {
    std::size_t two = 0, three = 0;
    for (std::uint32_t v = 0x800000; v < (1u << 24); ++v) {
        const unsigned char b[3] = {static_cast<unsigned char>(v >> 16), static_cast<unsigned char>(v >> 8),
                                    static_cast<unsigned char>(v)};
        const utf8::code_point d = utf8::decode(b, b + 3);
        const std::string_view s(reinterpret_cast<const char*>(b), 3);
        const utf8::code_point e = utf8::decode(s, 0);
        ASSERT_EQ(d.length, e.length);
        ASSERT_EQ(d.value, e.value);
        if (d.length == 0) continue;
        ASSERT_FALSE(is_surrogate(d.value));
        ASSERT_EQ(encode(d.value), std::string(s.substr(0, d.length)));  // the shortest form, so no overlong
        two += d.length == 2 && b[2] == 0;                               // each two-byte sequence once
        three += d.length == 3;
    }
    EXPECT_EQ(two, 0x800u - 0x80u);
    EXPECT_EQ(three, 0x10000u - 0x800u - 0x800u);  // less the 2048 surrogates
}

TEST(Utf8, RejectsIllFormedSequences) {
    for (const std::string_view bad :
         {"\xC0\x80", "\xC1\xBF", "\xE0\x80\x80", "\xED\xA0\x80", "\xF0\x80\x80\x80", "\xF4\x90\x80\x80",
          "\xF5\x80\x80\x80", "\xFF", "\x80", "\xC3", "\xE2\x82", "\xF0\x9F\x98"}) {
        EXPECT_EQ(utf8::decode(bad, 0).length, 0);
        EXPECT_FALSE(utf8::is_valid(bad));
        EXPECT_FALSE(utf8::is_valid(std::string("ok ") + std::string(bad) + " ok"));
    }
    EXPECT_TRUE(utf8::is_valid(""));
    EXPECT_TRUE(utf8::is_valid("plain ASCII \x7f"));
    EXPECT_TRUE(utf8::is_valid("caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80 \xF4\x8F\xBF\xBF"));
    static_assert(utf8::is_valid("\xC3\xA9") && !utf8::is_valid("\xC3"));  // usable at compile time
}

TEST(Utf8, DecodeNeverReadsPastTheEnd) {
    const unsigned char euro[3] = {0xE2, 0x82, 0xAC};
    EXPECT_EQ(utf8::decode(euro, euro + 2).length, 0);  // truncated by `end`, though the byte is there
    EXPECT_EQ(utf8::decode(euro, euro + 3).length, 3);
    EXPECT_EQ(utf8::decode(std::string_view("x\xE2\x82", 3), 1).length, 0);
}

TEST(Utf8, BoundariesSkipContinuationBytes) {
    const std::string_view s = "a\xC3\xA9\xF0\x9F\x98\x80z";  // a é 😀 z
    EXPECT_TRUE(utf8::is_boundary(s, 0));
    EXPECT_TRUE(utf8::is_boundary(s, 1));
    EXPECT_FALSE(utf8::is_boundary(s, 2));
    EXPECT_TRUE(utf8::is_boundary(s, s.size()));
    EXPECT_EQ(utf8::next_boundary(s, 1), 3u);
    EXPECT_EQ(utf8::next_boundary(s, 3), 7u);
    EXPECT_EQ(utf8::prev_boundary(s, 7), 3u);
    EXPECT_EQ(utf8::prev_boundary(s, 3), 1u);
    EXPECT_EQ(utf8::next_boundary(std::string_view("\x80\x80\x80"), 0), 3u);  // stray continuations stay glued
}

TEST(Utf8, CutPointNeverSplitsASequence) {
    const std::string_view s = "a\xC3\xA9\xF0\x9F\x98\x80z";
    EXPECT_EQ(utf8::cut_point(s, 100), s.size());
    EXPECT_EQ(utf8::cut_point(s, s.size()), s.size());
    EXPECT_EQ(utf8::cut_point(s, 0), 0u);
    EXPECT_EQ(utf8::cut_point(s, 1), 1u);
    EXPECT_EQ(utf8::cut_point(s, 2), 1u);  // inside é: cut before it
    EXPECT_EQ(utf8::cut_point(s, 3), 3u);
    for (std::size_t max = 4; max <= 6; ++max) EXPECT_EQ(utf8::cut_point(s, max), 3u);
    EXPECT_EQ(utf8::cut_point(s, 7), 7u);
    for (std::size_t max = 0; max <= s.size(); ++max) EXPECT_TRUE(utf8::is_valid(s.substr(0, utf8::cut_point(s, max))));
}
