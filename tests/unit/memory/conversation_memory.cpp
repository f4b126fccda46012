#include <agentkit/memory/conversation_memory.hpp>

#include <gtest/gtest.h>

using namespace agentkit;
using namespace agentkit::memory;

namespace {
template <class M>
void feed(M& m, int turns) {
    m.save(message::system("sys"));
    for (int t = 0; t < turns; ++t) {
        m.save(message::user("The value of item " + std::to_string(t) + " is " + std::to_string(t * 10) + "."));
        if (t % 2 == 0) {
            m.save(message::assistant("", {{"c" + std::to_string(t), "f", "{}"}}));
            m.save(message::tool_result("c" + std::to_string(t), "out"));
        }
        m.save(message::assistant("ok " + std::to_string(t)));
    }
}
}  // namespace

TEST(ConversationMemory, BufferKeepsEverything) {
    buffer_memory m;
    feed(m, 10);
    EXPECT_EQ(m.load("q").size(), 1u + 10 * 2 + 5 * 2);
    m.clear();
    EXPECT_TRUE(m.load().empty());
}

TEST(ConversationMemory, WindowKeepsSystemAndLastKTurnsWhole) {
    window_memory m(window_config{3});
    feed(m, 10);
    const auto got = m.load();
    EXPECT_EQ(got[0].content(), "sys");
    EXPECT_EQ(got[1].role(), role::user);
    EXPECT_NE(got[1].content().find("item 7"), std::string::npos);
    EXPECT_TRUE(tool_pairing_problems(got).empty());
}

TEST(ConversationMemory, SummaryHoldsSystemAndOneSummary) {
    summary_memory<> m;
    feed(m, 10);
    const auto got = m.load();
    ASSERT_EQ(got.size(), 2u);
    EXPECT_EQ(got[1].name(), summary_name);
    EXPECT_NE(got[1].content().find("item 9 is 90"), std::string::npos);
    m.save(message::user("The value of item 3 is 999."));
    EXPECT_NE(m.summary().find("999"), std::string::npos);
    EXPECT_EQ(m.summary().find("item 3 is 30"), std::string::npos);  // superseded
}

TEST(ConversationMemory, SummaryBufferKeepsRecentWithinLimitAndSummarisesTheRest) {
    summary_buffer_memory<> m(summary_buffer_memory_config{60, 512});
    feed(m, 20);
    EXPECT_LE(m.buffer_tokens(), 60u);
    const auto got = m.load();
    EXPECT_EQ(got[0].content(), "sys");
    EXPECT_EQ(got[1].name(), summary_name);
    EXPECT_NE(got[1].content().find("item 0 is 0"), std::string::npos);
    EXPECT_EQ(got.back().content(), "ok 19");
    EXPECT_TRUE(tool_pairing_problems(std::span<const message>(got).subspan(2)).empty());
}
