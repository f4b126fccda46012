// pattern_set against std::string_view::find: seeded random texts over a small alphabet (so patterns do
// occur, at every offset, across vector-block boundaries and in the overlapping last block), plus the
// edge cases: empty set, one-byte patterns, texts shorter than a pattern or than a vector block.
#include <agentkit/core/error.hpp>
#include <agentkit/resilience/pattern_set.hpp>

#include <gtest/gtest.h>

#include <random>
#include <string>
#include <string_view>
#include <vector>

namespace pattern_set_test {

bool reference(const std::vector<std::string>& patterns, std::string_view text) {
    for (const auto& p : patterns)
        if (text.find(p) != std::string_view::npos) return true;
    return false;
}

std::string random_text(std::mt19937_64& random, std::size_t n, std::string_view alphabet) {
    std::string s(n, ' ');
    for (auto& c : s) c = alphabet[random() % alphabet.size()];
    return s;
}

}  // namespace pattern_set_test

TEST(PatternSetMatch, ProviderMessages) {
    const agentkit::resilience::pattern_set p({"invalid_api_key", "permission_denied"});
    EXPECT_FALSE(p.found_in(R"({"error":{"message":"The server is overloaded","type":"server_error"}})"));
    EXPECT_TRUE(p.found_in(R"({"error":{"message":"Incorrect API key provided","code":"invalid_api_key"}})"));
    EXPECT_TRUE(p.found_in("permission_denied"));    // the whole text
    EXPECT_TRUE(p.found_in("x permission_denied"));  // at the very end
    EXPECT_FALSE(p.found_in("permission_denie"));    // one byte short
    EXPECT_FALSE(p.found_in("INVALID_API_KEY"));     // case-sensitive by design
    EXPECT_FALSE(p.found_in(""));
    EXPECT_FALSE(agentkit::resilience::pattern_set().found_in("anything"));
    EXPECT_THROW(agentkit::resilience::pattern_set({"ok", ""}, "retry.non_retryable_patterns"), agentkit::error);
}

TEST(PatternSetMatch, AgreesWithStringFindOnRandomTexts) {
    std::mt19937_64 random(20261123);
    const std::string_view alphabet = "ab_kx";  // small: patterns occur often, anchors collide often
    for (int round = 0; round < 400; ++round) {
        std::vector<std::string> patterns;
        const int count = 1 + static_cast<int>(random() % 4);
        for (int i = 0; i < count; ++i)
            patterns.push_back(pattern_set_test::random_text(random, 1 + random() % (round % 2 ? 20 : 4), alphabet));
        const agentkit::resilience::pattern_set set(patterns);
        for (int t = 0; t < 50; ++t) {
            const std::string text = pattern_set_test::random_text(random, random() % 140, alphabet);
            ASSERT_EQ(set.found_in(text), pattern_set_test::reference(patterns, text))
                << "text '" << text << "' first pattern '" << patterns[0] << "'";
        }
    }
}

TEST(PatternSetMatch, EveryOffsetAndLength) {
    const std::string pattern = "permission_denied";
    const agentkit::resilience::pattern_set set({pattern});
    for (std::size_t len = pattern.size(); len < 100; ++len)
        for (std::size_t at = 0; at + pattern.size() <= len; ++at) {
            std::string text(len, '.');
            text.replace(at, pattern.size(), pattern);
            ASSERT_TRUE(set.found_in(text)) << len << " " << at;
            text[at + pattern.size() - 1] = 'x';  // breaks it (anchors may still match)
            ASSERT_FALSE(set.found_in(text)) << len << " " << at;
        }
}

TEST(PatternSetMatch, AnchorsAreTheRarestBytes) {
    using agentkit::resilience::pattern_set;
    EXPECT_LT(pattern_set::frequency_rank('k'), pattern_set::frequency_rank('e'));
    EXPECT_LT(pattern_set::frequency_rank('_'), pattern_set::frequency_rank(' '));
    EXPECT_LT(pattern_set::frequency_rank('Z'), pattern_set::frequency_rank('a'));
}
