// The concept, count_tokens<C>, and token_tally's two modes (streaming state / recount of the tail).
#include <agentkit/text/chars_per_token.hpp>
#include <agentkit/text/token_counter.hpp>

#include <gtest/gtest.h>

#include <string>

namespace {
using namespace agentkit::text;

// A scripted test double: one token per byte, not a streaming counter, records what it was asked.
struct bytes_counter {
    mutable std::size_t calls = 0;
    std::size_t count(std::string_view s) const {
        ++calls;
        return s.size();
    }
};
static_assert(token_counter<bytes_counter> && !streaming_token_counter<bytes_counter>);

TEST(TokenCounter, CountTokensDefaultConstructsThePolicy) {
    EXPECT_EQ(count_tokens<chars_per_token<4>>("abcdefgh"), 2u);
    EXPECT_EQ(count_tokens<chars_per_token<1>>("h\xC3\xA9"), 2u);  // code points, not bytes
    EXPECT_EQ(count_tokens<bytes_counter>("abc"), 3u);
}

TEST(TokenCounter, TallyCommitsAtLineStartsAndRecountsOnlyTheTail) {
    token_tally<bytes_counter> t;
    t.append("first line\nsec");
    t.append("ond line\nthird");
    EXPECT_EQ(t.total(), std::string("first line\nsecond line\nthird").size());
    t.append(" and more");
    EXPECT_EQ(t.total(), std::string("first line\nsecond line\nthird and more").size());
    t.clear();
    EXPECT_EQ(t.total(), 0u);
}

TEST(TokenCounter, TallyOfAStreamingCounterIsExact) {
    token_tally<chars_per_token<4>> t;
    std::string all;
    for (int i = 0; i < 100; ++i) {
        const std::string piece(static_cast<std::size_t>(i % 7), 'x');
        t.append(piece);
        all += piece;
        EXPECT_EQ(t.total(), chars_per_token<4>{}.count(all));
    }
}

}  // namespace
