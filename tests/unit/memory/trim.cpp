#include <agentkit/memory/trim.hpp>

#include <gtest/gtest.h>

using namespace agentkit;
using namespace agentkit::memory;

namespace {
conversation sample() {
    conversation c;
    c.append(message::system("sys"));
    for (int t = 0; t < 10; ++t) {
        c.append(message::user("user " + std::to_string(t) + " xxxxxxxxxxxxxxxxxxxxxxxxxxxx"));
        c.append(message::assistant("", {{"c" + std::to_string(t), "f", "{}"}}));
        c.append(message::tool_result("c" + std::to_string(t),
                                      "tool output " + std::to_string(t) + " yyyyyyyyyyyyyyyyyyyy"));
        c.append(message::assistant("reply " + std::to_string(t)));
    }
    return c;
}
}  // namespace

TEST(Trim, LastKeepsSystemAndStartsOnAUserTurn) {
    trim<> p(trim_config{.max_tokens = 120});
    auto c = sample();
    ASSERT_TRUE(p.maybe_compact(c, 100000));
    EXPECT_EQ(c[0].content(), "sys");
    EXPECT_EQ(c[1].role(), role::user);
    EXPECT_EQ(c[c.size() - 1].content(), "reply 9");
    EXPECT_TRUE(tool_pairing_problems(c.messages()).empty());
    EXPECT_NO_THROW(c.validate());
    EXPECT_FALSE(p.maybe_compact(c, 100000));  // now fits
}

TEST(Trim, FirstKeepsTheOldestWholeUnits) {
    trim<> p(trim_config{.max_tokens = 60, .strategy = trim_strategy::first});
    auto c = sample();
    ASSERT_TRUE(p.maybe_compact(c, 100000));
    EXPECT_EQ(c[1].content().substr(0, 6), "user 0");
    EXPECT_TRUE(tool_pairing_problems(c.messages()).empty());
}

TEST(Trim, WithoutSystemAndByThresholdOfTheWindow) {
    trim<> p(trim_config{.threshold_pct = 50, .include_system = false});
    auto c = sample();
    ASSERT_TRUE(p.maybe_compact(c, 200));  // budget 100 tokens
    EXPECT_NE(c[0].role(), role::system);
    EXPECT_EQ(c[0].role(), role::user);
    EXPECT_TRUE(tool_pairing_problems(c.messages()).empty());
}

TEST(Trim, EveryCutPointLeavesNoOrphans) {
    for (std::size_t budget = 5; budget < 400; budget += 7)
        for (auto strategy : {trim_strategy::last, trim_strategy::first}) {
            trim<> p(trim_config{.max_tokens = budget, .strategy = strategy, .start_on = std::nullopt});
            auto c = sample();
            p.maybe_compact(c, 100000);
            ASSERT_TRUE(tool_pairing_problems(c.messages()).empty()) << budget;
            ASSERT_NO_THROW(c.validate()) << budget;
        }
}
