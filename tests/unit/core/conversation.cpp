#include <agentkit/core/conversation.hpp>
#include <agentkit/text/chars_per_token.hpp>

#include <gtest/gtest.h>

using agentkit::conversation;
using agentkit::message;

namespace {
conversation sample() {
    conversation c;
    c.append(message::system("sys"));
    c.append(message::user("what is 2+2?"));
    c.append(message::assistant("", {{"call_1", "calc", R"({"expr":"2+2"})"}}));
    c.append(message::tool_result("call_1", "4"));
    c.append(message::assistant("4"));
    c.append(message::user("thanks"));
    c.append(message::assistant("you're welcome"));
    return c;
}
}  // namespace

TEST(Conversation, TurnsStartAtUserMessagesSoToolPairsStayTogether) {
    const auto c = sample();
    EXPECT_EQ(c.turn_count(), 2u);
    EXPECT_EQ(c.turn_starts(), (std::vector<std::size_t>{1, 5}));
    ASSERT_NE(c.system_prompt(), nullptr);
    EXPECT_EQ(c.system_prompt()->content(), "sys");
}

TEST(Conversation, RejectsOrphanToolResult) {
    conversation c;
    c.append(message::user("hi"));
    try {
        c.append(message::tool_result("call_9", "x"));
        FAIL();
    } catch (const agentkit::error& e) {
        EXPECT_EQ(e.field(), "messages[1].tool_call_id");
        EXPECT_EQ(c.size(), 1u);  // nothing appended
    }
}

TEST(Conversation, ValidateFindsOrphansInABuiltHistory) {
    conversation c({message::user("hi"), message::tool_result("nope", "x")});
    EXPECT_THROW(c.validate(), agentkit::error);
    EXPECT_NO_THROW(sample().validate());
}

TEST(Conversation, TokenCountSumsCachedCounts) {
    const auto c = sample();
    const agentkit::text::chars_per_token<1> per_char;
    std::size_t expected = 0;
    for (const auto& m : c) expected += m.token_count(per_char);
    EXPECT_EQ(c.token_count(per_char), expected);
    EXPECT_GT(expected, 0u);
}

TEST(Conversation, ReplaceSwapsARangeAndChecksBounds) {
    auto c = sample();
    c.replace(1, 5, {message::system("summary: user asked 2+2, answer 4")});
    EXPECT_EQ(c.size(), 4u);
    EXPECT_EQ(c[1].content(), "summary: user asked 2+2, answer 4");
    EXPECT_THROW(c.replace(3, 9, {}), agentkit::error);
}
