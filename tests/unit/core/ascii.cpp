// core/ascii.hpp: case folding of A-Z only, whatever the C locale.
#include <agentkit/core/ascii.hpp>

#include <gtest/gtest.h>

#include <clocale>
#include <string>

namespace ascii = agentkit::ascii;

TEST(Ascii, FoldsOnlyAsciiLetters) {
    static_assert(ascii::to_lower('A') == 'a' && ascii::to_lower('Z') == 'z' && ascii::to_lower('a') == 'a');
    static_assert(ascii::to_lower('@') == '@' && ascii::to_lower('[') == '[');  // the neighbours of A-Z
    EXPECT_EQ(ascii::to_lower(std::string_view("Content-Type: JSON 42")), "content-type: json 42");
    EXPECT_EQ(ascii::to_lower(std::string_view("\xC3\x89T\xC3\x89")), "\xC3\x89t\xC3\x89");  // É stays É
    EXPECT_EQ(ascii::to_lower(static_cast<char>(0xC0)), static_cast<char>(0xC0));
}

TEST(Ascii, IequalsIgnoresAsciiCaseOnly) {
    static_assert(ascii::iequals("Retry-After", "retry-after"));
    EXPECT_TRUE(ascii::iequals("WAL", "wal"));
    EXPECT_TRUE(ascii::iequals("", ""));
    EXPECT_FALSE(ascii::iequals("wal", "wa"));
    EXPECT_FALSE(ascii::iequals("\xC3\x89", "\xC3\xA9"));  // É and é: not ASCII, not folded
    EXPECT_FALSE(ascii::iequals("a@", "A`"));
}

// A Latin-1 C locale (where present) makes std::tolower fold bytes >= 0x80; ascii:: never does.
TEST(Ascii, IndependentOfTheCLocale) {
    const char* previous = std::setlocale(LC_CTYPE, nullptr);
    const std::string saved = previous ? previous : "C";
    std::setlocale(LC_CTYPE, "en_US.ISO-8859-1");  // may be missing: the assertions hold either way
    EXPECT_FALSE(ascii::iequals("\xC0", "\xE0"));
    EXPECT_EQ(ascii::to_lower(static_cast<char>(0xC0)), static_cast<char>(0xC0));
    std::setlocale(LC_CTYPE, saved.c_str());
}
