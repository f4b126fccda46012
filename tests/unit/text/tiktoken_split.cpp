// The hand-written pre-tokenizers against pieces worked out from tiktoken's split patterns; the
// exhaustive comparison with the reference is in bpe_exactness.cpp.
#include <agentkit/text/tiktoken_split.hpp>

#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

namespace {
using namespace agentkit::text;

template <class Split>
std::vector<std::string> pieces(std::string_view text) {
    std::vector<std::string> out;
    for_each_piece<Split>(text, [&](std::size_t b, std::size_t e) { out.emplace_back(text.substr(b, e - b)); });
    return out;
}
using v = std::vector<std::string>;

TEST(UnicodeClass, AsciiTableAgreesWithTheGeneratedTable) {
    for (char32_t c = 0; c < 0x80; ++c) {
        const auto* p = reinterpret_cast<const unsigned char*>("");
        (void)p;
        EXPECT_EQ(static_cast<int>(detail::ascii_class[c]), static_cast<int>(class_of(c)))
            << "U+" << std::hex << unsigned(c);
    }
}

TEST(UnicodeClass, WhiteSpaceIsUnicodesNotJavaScripts) {
    EXPECT_EQ(class_of(0xFEFF), uclass::other);  // BOM: \s in JavaScript, not White_Space
    EXPECT_EQ(class_of(0x00A0), uclass::space);
    EXPECT_EQ(class_of(0x3000), uclass::space);
    EXPECT_EQ(class_of(0x0085), uclass::space);
    EXPECT_EQ(class_of(0x200B), uclass::other);  // ZERO WIDTH SPACE is not White_Space
    EXPECT_EQ(class_of(0x001C), uclass::other);  // information separators: isspace, not White_Space
}

TEST(UnicodeClass, CategoriesAndUnicode16Additions) {
    EXPECT_EQ(class_of(U'A'), uclass::upper);
    EXPECT_EQ(class_of(0x01C5), uclass::upper);         // ǅ Lt
    EXPECT_EQ(class_of(0x02B0), uclass::other_letter);  // ʰ Lm
    EXPECT_EQ(class_of(0x4E2D), uclass::other_letter);  // 中
    EXPECT_EQ(class_of(0x0301), uclass::mark);
    EXPECT_EQ(class_of(0x00B2), uclass::number);         // ² No
    EXPECT_EQ(class_of(0x216B), uclass::number);         // Ⅻ Nl
    EXPECT_EQ(class_of(0x1C89), uclass::upper);          // Unicode 16.0 (CYRILLIC CAPITAL LETTER TJE)
    EXPECT_EQ(class_of(0x2EBF0), uclass::other_letter);  // Unicode 15.1 CJK Extension I
    EXPECT_EQ(class_of(0xE0000), uclass::other);         // unassigned
}

TEST(UnicodeClass, InvalidUtf8IsOneOtherByte) {
    const unsigned char cases[][4] = {{0x80},       {0xC0, 0x80}, {0xED, 0xA0, 0x80}, {0xF4, 0x90, 0x80, 0x80},
                                      {0xE2, 0x82}, {0xFF}};
    const std::size_t lens[] = {1, 2, 3, 4, 2, 1};
    for (std::size_t k = 0; k < 6; ++k) {
        const uchar c = decode_class(cases[k], cases[k] + lens[k]);
        EXPECT_EQ(c.cls, uclass::other) << k;
        EXPECT_EQ(c.len, 1) << k;
    }
}

TEST(Cl100kSplit, WordsNumbersPunctuationAndContractions) {
    EXPECT_EQ(pieces<cl100k_split>("Hello world"), (v{"Hello", " world"}));
    EXPECT_EQ(pieces<cl100k_split>("I'm don't WE'LL"), (v{"I", "'m", " don", "'t", " WE", "'LL"}));
    EXPECT_EQ(pieces<cl100k_split>("12345678"), (v{"123", "456", "78"}));
    EXPECT_EQ(pieces<cl100k_split>("a+=b;\n"), (v{"a", "+=", "b", ";\n"}));
    EXPECT_EQ(pieces<cl100k_split>("x 'ſ"), (v{"x", " '", "ſ"}));  // " '" is a symbol run: ' is not at a piece start
    EXPECT_EQ(pieces<cl100k_split>("'ſ"), (v{"'ſ"}));              // (?i)'s matches 'ſ (case folding)
    EXPECT_EQ(pieces<cl100k_split>("$x"), (v{"$x"}));
}

TEST(Cl100kSplit, WhitespaceRules) {
    EXPECT_EQ(pieces<cl100k_split>("a   b"), (v{"a", "  ", " b"}));        // \s+(?!\S) leaves one space
    EXPECT_EQ(pieces<cl100k_split>("a   "), (v{"a", "   "}));              // at the end: the whole run
    EXPECT_EQ(pieces<cl100k_split>("a \n\n b"), (v{"a", " \n\n", " b"}));  // \s*[\r\n]+ up to the last newline
    EXPECT_EQ(pieces<cl100k_split>("a\t5"), (v{"a", "\t", "5"}));
    EXPECT_EQ(pieces<cl100k_split>("x\xEF\xBB\xBFy"), (v{"x", "\xEF\xBB\xBFy"}));  // U+FEFF is not \s: prefixes y
    EXPECT_EQ(pieces<cl100k_split>("\xE3\x80\x80\xE3\x80\x80z"), (v{"\xE3\x80\x80", "\xE3\x80\x80z"}));
}

TEST(O200kSplit, CaseClassesAndSlashes) {
    EXPECT_EQ(pieces<o200k_split>("HelloWorld"), (v{"Hello", "World"}));
    EXPECT_EQ(pieces<o200k_split>("HTTPServer"), (v{"HTTPServer"}));  // U*W+: U* gives back nothing here
    EXPECT_EQ(pieces<o200k_split>("ABC def"), (v{"ABC", " def"}));
    EXPECT_EQ(pieces<o200k_split>("they're THEY'RE"), (v{"they're", " THEY'RE"}));
    EXPECT_EQ(pieces<o200k_split>("a//b\n"), (v{"a", "//", "b", "\n"}));
    EXPECT_EQ(pieces<o200k_split>("x.//\n/y"), (v{"x", ".//\n/", "y"}));
    // A mark is in both case classes and may be the optional prefix: backtracking gives it its own piece.
    EXPECT_EQ(pieces<o200k_split>("\xCC\x81"
                                  "ABC "),
              (v{"\xCC\x81", "ABC", " "}));
}

TEST(Split, EveryByteStringSplitsIntoContiguousNonEmptyPieces) {
    std::mt19937 rng(42);
    for (int round = 0; round < 2000; ++round) {
        std::string s(rng() % 40, '\0');
        for (auto& c : s)
            c = static_cast<char>(rng() % 4 == 0 ? rng() % 256
                                                 : " a'\n\xC3\xA9"
                                                   "1."[rng() % 9]);
        for (int enc = 0; enc < 2; ++enc) {
            std::size_t at = 0;
            auto check = [&](std::size_t b, std::size_t e) {
                ASSERT_EQ(b, at);
                ASSERT_GT(e, b);
                at = e;
            };
            if (enc == 0)
                for_each_piece<cl100k_split>(s, check);
            else
                for_each_piece<o200k_split>(s, check);
            EXPECT_EQ(at, s.size());
        }
    }
}

}  // namespace
