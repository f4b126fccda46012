// The agent with the memory layer's compaction policy in its slot: compaction runs before each model call,
// so the model never sees more than the budget, and the agent keeps working across many turns. A
// compaction policy that takes a summariser chosen at run time is bound to the router's `compaction`
// delegation (compaction -> fast), or to the offline extractive summariser when no router is present.
#include <agentkit/agent/agent.hpp>
#include <agentkit/agent/async_agent.hpp>
#include <agentkit/memory/summary_buffer.hpp>
#include <agentkit/memory/trim.hpp>
#include <agentkit/model/router.hpp>
#include <agentkit/model/scripted_provider.hpp>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/thread_pool.hpp>

#include <agentkit_test/numbered.hpp>
#include <gtest/gtest.h>

#include <exception>
#include <string>
#include <thread>
#include <vector>

namespace agent_compaction_test {
using namespace agentkit;
using step = model::scripted_provider::step;
using delegated_buffer = memory::summary_buffer<text::chars_per_token<4>, memory::callable_summarizer>;

model::router::config tiers() {
    model::router::config c;
    c.tiers = {{"fast", "cheap:mini"}, {"default", "big:large"}, {"complex", "big:huge"}};
    c.sleep = [](std::chrono::nanoseconds) {};
    return c;
}
std::string long_message(int i) {
    return agentkit_test::numbered("Fact ", i) + agentkit_test::numbered(": the value of item ", i) + " is " +
        std::string(150, 'v') + ".";
}

TEST(AgentCompaction, TheModelNeverSeesMoreThanTheBudget) {
    agent_config cfg;
    cfg.context_window = 400;  // tokens; trim's threshold_pct 75 -> a budget of 300
    agent<with_model<model::scripted_provider>, with_compaction<memory::trim<>>> a(model::scripted_provider{}, cfg);
    a.set_system_prompt("You are terse.");
    const text::chars_per_token<4> counter;
    for (int i = 0; i < 40; ++i) a.run(agentkit_test::numbered("message number ", i) + ": " + std::string(120, 'x'));
    for (const auto& r : a.model().requests()) {
        std::size_t tokens = 0;
        for (const auto& m : r.messages) tokens += counter.count(m.content());
        EXPECT_LE(tokens, 300u);
        EXPECT_EQ(r.messages.front().role(), role::system);  // the system prompt survives compaction
    }
    EXPECT_LT(a.history().size(), 40u);
    EXPECT_EQ(a.history()[a.history().size() - 1].content().substr(0, 24), "echo: message number 39:");
}

TEST(AgentCompactionDelegation, SummariesAreWrittenByTheRoutersFastTier) {
    model::router rt(tiers());
    std::vector<std::string> summarised_on;
    model::scripted_provider cheap;
    cheap.otherwise([&](const model::chat_request& r) {
        summarised_on.push_back(r.model);
        return step::reply("item values were discussed");
    });
    rt.add_provider("cheap", std::move(cheap));
    rt.add_provider("big", model::scripted_provider{});
    agent_config cfg;
    cfg.context_window = 600;
    agent<with_model<model::router>, with_compaction<delegated_buffer>> a(std::move(rt), cfg);
    for (int i = 0; i < 20; ++i) a.run(long_message(i));
    EXPECT_GE(a.compaction().statistics().compactions, 1u);
    ASSERT_FALSE(summarised_on.empty());
    EXPECT_EQ(summarised_on.front(), "mini");  // compaction -> fast -> cheap:mini
    const auto s = a.model().statistics();
    EXPECT_EQ(s.per_model.at("cheap:mini").calls, summarised_on.size());
    EXPECT_EQ(s.per_model.at("big:large").calls, 20u);  // the turns themselves ran on the default tier
    bool found = false;
    for (const auto& m : a.history())
        if (m.name() == memory::summary_name) {
            found = true;
            EXPECT_NE(m.content().find("item values were discussed"), std::string::npos) << m.content();
        }
    EXPECT_TRUE(found);
}

TEST(AgentCompactionDelegation, AsyncRunWithAnOffloadExecutorWritesSummariesThere) {
    // The summary is a synchronous call of the router's compaction task: async_run(agent, ..., offload) runs
    // it on the offload pool, so the coroutine's thread never waits for the fast tier.
    model::router rt(tiers());
    std::vector<std::thread::id> summarised_on;
    model::scripted_provider cheap;
    cheap.otherwise([&](const model::chat_request&) {
        summarised_on.push_back(std::this_thread::get_id());
        return step::reply("item values were discussed");
    });
    rt.add_provider("cheap", std::move(cheap));
    rt.add_provider("big", model::scripted_provider{});
    agent_config cfg;
    cfg.context_window = 600;
    agent<with_model<model::router>, with_compaction<delegated_buffer>> a(std::move(rt), cfg);
    boost::asio::io_context io;
    boost::asio::thread_pool offload(1);
    int done = 0;
    boost::asio::co_spawn(
        io,
        [&]() -> boost::asio::awaitable<void> {
            for (int i = 0; i < 20; ++i) co_await async_run(a, long_message(i), {}, offload.get_executor());
            ++done;
        },
        [](std::exception_ptr e) { EXPECT_FALSE(e); });
    io.run();
    offload.join();
    EXPECT_EQ(done, 1);
    EXPECT_GE(a.compaction().statistics().compactions, 1u);
    ASSERT_FALSE(summarised_on.empty());
    for (const auto& id : summarised_on) EXPECT_NE(id, std::this_thread::get_id());  // not the coroutine's thread
}

TEST(AgentCompactionDelegation, FallsBackToTheExtractiveSummariserWhenTheTierFails) {
    model::router rt(tiers());
    model::scripted_provider cheap;
    cheap.otherwise([](const model::chat_request&) { return step::fail(401, "invalid_api_key"); });
    rt.add_provider("cheap", std::move(cheap));
    rt.add_provider("big", model::scripted_provider{});
    agent_config cfg;
    cfg.context_window = 600;
    agent<with_model<model::router>, with_compaction<delegated_buffer>> a(std::move(rt), cfg);
    for (int i = 0; i < 20; ++i) EXPECT_NO_THROW(a.run(long_message(i)));
    EXPECT_GE(a.compaction().statistics().compactions, 1u);
    bool found = false;
    for (const auto& m : a.history())
        if (m.name() == memory::summary_name) found = m.content().find("Fact") != std::string::npos;
    EXPECT_TRUE(found);  // extractive: the summary quotes the facts
}

TEST(AgentCompactionDelegation, WithoutARouterTheExtractiveSummariserIsBound) {
    agent_config cfg;
    cfg.context_window = 600;
    agent<with_model<model::scripted_provider>, with_compaction<delegated_buffer>> a(model::scripted_provider{}, cfg);
    for (int i = 0; i < 20; ++i) a.run(long_message(i));
    EXPECT_GE(a.compaction().statistics().compactions, 1u);
    for (const auto& r : a.model().requests())
        for (const auto& m : r.messages) EXPECT_EQ(m.content().find("Summarise the conversation"), std::string::npos);
}

}  // namespace agent_compaction_test
