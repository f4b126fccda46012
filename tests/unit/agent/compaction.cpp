// The agent with the memory layer's compaction policy in its slot: compaction runs before each model call,
// so the model never sees more than the budget, and the agent keeps working across many turns.
#include <agentkit/agent/agent.hpp>
#include <agentkit/memory/trim.hpp>
#include <agentkit/model/scripted_provider.hpp>

#include <gtest/gtest.h>

using namespace agentkit;

TEST(AgentCompaction, TheModelNeverSeesMoreThanTheBudget) {
    agent_config cfg;
    cfg.context_window = 400;  // tokens; trim's threshold_pct 75 -> a budget of 300
    agent<with_model<model::scripted_provider>, with_compaction<memory::trim<>>> a(model::scripted_provider{}, cfg);
    a.set_system_prompt("You are terse.");
    const text::chars_per_token<4> counter;
    for (int i = 0; i < 40; ++i) a.run("message number " + std::to_string(i) + ": " + std::string(120, 'x'));
    for (const auto& r : a.model().requests()) {
        std::size_t tokens = 0;
        for (const auto& m : r.messages) tokens += counter.count(m.content());
        EXPECT_LE(tokens, 300u);
        EXPECT_EQ(r.messages.front().role(), role::system);  // the system prompt survives compaction
    }
    EXPECT_LT(a.history().size(), 40u);
    EXPECT_EQ(a.history()[a.history().size() - 1].content().substr(0, 24), "echo: message number 39:");
}
