#include <agentkit/memory/clear_tool_results.hpp>
#include <agentkit/memory/tool_pairs.hpp>

#include <gtest/gtest.h>

#include <agentkit_test/numbered.hpp>

using namespace agentkit;
using namespace agentkit::memory;

namespace {
conversation sample() {
    conversation c;
    c.append(message::system("sys"));
    for (int t = 0; t < 8; ++t) {
        c.append(message::user(agentkit_test::numbered("go ", t)));
        const std::string tool = t % 4 == 0 ? "memory" : "search";
        c.append(message::assistant("", {{agentkit_test::numbered("c", t), tool, R"({"q":"long query text"})"}}));
        c.append(message::tool_result(agentkit_test::numbered("c", t), std::string(400, 'r'), tool));
        c.append(message::assistant("done"));
    }
    return c;
}
std::size_t cleared(const conversation& c, const std::string& placeholder) {
    std::size_t n = 0;
    for (const auto& m : c) n += m.role() == role::tool && m.content() == placeholder;
    return n;
}
}  // namespace

TEST(ClearToolResults, DefaultsAreAnthropics) {
    const clear_tool_results_config c;
    EXPECT_EQ(c.trigger_tokens, 100000u);
    EXPECT_EQ(c.keep_tool_uses, 3u);
    EXPECT_FALSE(c.clear_tool_inputs);
}

TEST(ClearToolResults, ClearsOldResultsKeepsRecentAndExcludedOnes) {
    clear_tool_results_config cfg;
    cfg.trigger_tokens = 500;
    cfg.exclude_tools = {"memory"};
    clear_tool_results<> p(cfg);
    auto c = sample();
    const auto size = c.size();
    ASSERT_TRUE(p.maybe_compact(c, 0));
    EXPECT_EQ(c.size(), size);  // nothing removed
    // 8 uses, keep last 3 -> 5 candidates, of which t=0 and t=4 are "memory" (excluded) -> 3 cleared
    EXPECT_EQ(cleared(c, cfg.placeholder), 3u);
    EXPECT_EQ(p.cleared(), 3u);
    EXPECT_TRUE(tool_pairing_problems(c.messages()).empty());
    EXPECT_NO_THROW(c.validate());
    EXPECT_FALSE(p.maybe_compact(c, 0));  // nothing more to clear
}

TEST(ClearToolResults, RespectsTriggerClearAtLeastAndClearsInputs) {
    clear_tool_results_config cfg;
    cfg.trigger_tokens = 1'000'000;
    clear_tool_results<> quiet(cfg);
    auto c = sample();
    EXPECT_FALSE(quiet.maybe_compact(c, 0));
    cfg.trigger_tokens = 100;
    cfg.clear_at_least_tokens = 100000;
    clear_tool_results<> stingy(cfg);
    EXPECT_FALSE(stingy.maybe_compact(c, 0));
    cfg.clear_at_least_tokens = 0;
    cfg.clear_tool_inputs = true;
    clear_tool_results<> p(cfg);
    ASSERT_TRUE(p.maybe_compact(c, 0));
    EXPECT_EQ(c[2].tool_calls()[0].arguments, "{}");
    EXPECT_EQ(c[c.size() - 2].content(), std::string(400, 'r'));  // the last use is kept
}
