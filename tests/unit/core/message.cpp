#include <agentkit/core/message.hpp>
#include <agentkit/text/chars_per_token.hpp>

#include <gtest/gtest.h>

using agentkit::message;

namespace {
struct counting_counter {  // counts how often it is asked, to prove the cache works
    mutable int calls = 0;
    std::size_t count(std::string_view s) const {
        ++calls;
        return s.size();
    }
};
}  // namespace

TEST(Message, FactoriesSetRoleAndFields) {
    const auto s = message::system("be brief");
    EXPECT_EQ(s.role(), agentkit::role::system);
    EXPECT_EQ(s.content(), "be brief");
    const auto a = message::assistant("", {{"call_1", "search", R"({"q":"x"})"}});
    ASSERT_EQ(a.tool_calls().size(), 1u);
    EXPECT_EQ(a.tool_calls()[0].name, "search");
    const auto t = message::tool_result("call_1", "found", "search");
    EXPECT_EQ(t.tool_call_id(), "call_1");
    EXPECT_EQ(t.name(), "search");
}

TEST(Message, TokenCountIsCachedPerCounterAndDroppedOnEdit) {
    auto m = message::user("hello world");
    counting_counter c;
    EXPECT_FALSE(m.has_cached_token_count());
    EXPECT_EQ(m.token_count(c), 11u);
    EXPECT_EQ(m.token_count(c), 11u);
    EXPECT_EQ(c.calls, 1);
    // Another counter type recounts.
    EXPECT_EQ(m.token_count(agentkit::text::chars_per_token<4>{}), 3u);
    EXPECT_EQ(m.token_count(c), 11u);
    EXPECT_EQ(c.calls, 2);
    m.append_content("!");
    EXPECT_EQ(m.token_count(c), 12u);
    EXPECT_EQ(c.calls, 3);
}

TEST(Message, ToolCallsCountTowardTokens) {
    const auto a = message::assistant("ok", {{"c1", "calc", "{}"}});
    counting_counter c;
    EXPECT_EQ(a.token_count(c), 2u + 4u + 2u);
}

TEST(Message, ImportanceIsRangeChecked) {
    auto m = message::user("x");
    m.set_importance(0.9f);
    EXPECT_FLOAT_EQ(m.importance(), 0.9f);
    try {
        m.set_importance(1.5f);
        FAIL();
    } catch (const agentkit::error& e) {
        EXPECT_EQ(e.field(), "importance");
    }
}

TEST(Message, ValidateNamesTheOffendingField) {
    auto bad_tool = message(agentkit::role::tool, "result");
    try {
        agentkit::validate(bad_tool, "messages[4]");
        FAIL();
    } catch (const agentkit::error& e) {
        EXPECT_EQ(e.field(), "messages[4].tool_call_id");
    }
    const auto bad_call = message::assistant("", {{"", "search", "{}"}});
    try {
        agentkit::validate(bad_call, "messages[1]");
        FAIL();
    } catch (const agentkit::error& e) {
        EXPECT_EQ(e.field(), "messages[1].tool_calls[0].id");
    }
    auto user_with_id = message::user("hi");
    EXPECT_NO_THROW(agentkit::validate(user_with_id));
}
