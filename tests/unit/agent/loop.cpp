// The ReAct loop of agent<...> on the scripted provider (a test double) and real tools.
#include <agentkit/agent/agent.hpp>
#include <agentkit/agent/agent_pool.hpp>
#include <agentkit/agent/response_caching.hpp>
#include <agentkit/cache/cache.hpp>
#include <agentkit/model/scripted_provider.hpp>
#include <agentkit/tools/registry.hpp>
#include <agentkit/tools/tool_set.hpp>

#include <agentkit_test/agent_fixtures.hpp>

#include <gtest/gtest.h>

#include <chrono>
#include <random>
#include <string>

namespace agent_loop_test {
using namespace agentkit;
using step = model::scripted_provider::step;

namespace {
using agentkit_test::add_tool;
using agentkit_test::add_tools;
using agentkit_test::fixed_backoff;
using tool_agent = agent<with_model<model::scripted_provider>, with_tools<add_tools>>;

struct vector_store {
    std::vector<message> all;
    void append(std::string_view, const message& m) { all.push_back(m); }
    std::vector<message> last(std::string_view, std::size_t n) const {
        return {all.end() - static_cast<std::ptrdiff_t>(std::min(n, all.size())), all.end()};
    }
};
}  // namespace

TEST(AgentLoop, CallsAToolThenAnswersAndStopsEarly) {
    model::scripted_provider p{step::call("c1", "add", R"({"a":2,"b":40})"), step::reply("2 + 40 = 42")};
    tool_agent a(std::move(p), add_tools(add_tool()));
    a.set_system_prompt("You add numbers.");
    auto r = a.run("what is 2 + 40?");
    EXPECT_EQ(r.reply, "2 + 40 = 42");
    EXPECT_EQ(r.reason, stop_reason::answered);
    EXPECT_EQ(r.iterations, 2u);
    EXPECT_EQ(r.tool_calls, 1u);
    // system, user, assistant(call), tool, assistant
    ASSERT_EQ(a.history().size(), 5u);
    EXPECT_EQ(a.history()[3].role(), role::tool);
    EXPECT_EQ(a.history()[3].content(), "42");
    // The model saw the tools and, on its second call, the tool result.
    auto seen = a.model().requests();
    ASSERT_EQ(seen.size(), 2u);
    ASSERT_EQ(seen[0].tools.size(), 1u);
    EXPECT_EQ(seen[0].tools[0].name, "add");
    EXPECT_EQ(seen[1].messages.back().content(), "42");
    EXPECT_GT(r.tokens.total(), 0u);
    EXPECT_EQ(a.lifetime_usage(), r.tokens);
}

TEST(AgentLoop, StopsAtMaxIterations) {
    model::scripted_provider p;
    p.otherwise([n = 0](const model::chat_request&) mutable {
        return step::call("c" + std::to_string(++n), "add", R"({"a":1,"b":1})");
    });
    tool_agent a(std::move(p), add_tools(add_tool()));
    EXPECT_EQ(a.configuration().max_iterations, 5u);
    auto r = a.run("loop forever");
    EXPECT_EQ(r.reason, stop_reason::max_iterations);
    EXPECT_EQ(r.iterations, 5u);
    EXPECT_EQ(r.tool_calls, 5u);
}

TEST(AgentLoop, ToolErrorsReachTheModelAsToolMessages) {
    model::scripted_provider p{step::call("c1", "missing_tool", "{}"), step::reply("sorry")};
    tool_agent a(std::move(p), add_tools(add_tool()));
    auto r = a.run("use a tool you do not have");
    EXPECT_EQ(r.reply, "sorry");
    EXPECT_EQ(a.history()[2].content(), "error: unknown tool 'missing_tool'");
}

TEST(AgentLoop, MultiTurnConversationKeepsHistory) {
    tool_agent a(model::scripted_provider{}, add_tools(add_tool()));
    EXPECT_EQ(a.run("hello").reply, "echo: hello");
    EXPECT_EQ(a.run("again").reply, "echo: again");
    EXPECT_EQ(a.history().turn_count(), 2u);
    EXPECT_EQ(a.model().requests()[1].messages.size(), 3u);
}

TEST(AgentLoop, StreamsDeltasAndToolEvents) {
    model::scripted_provider p{step::call("c1", "add", R"({"a":1,"b":2})"), step::reply("the sum is 3")};
    tool_agent a(std::move(p), add_tools(add_tool()));
    std::string streamed;
    std::vector<std::string> events;
    agent_callbacks cb;
    cb.on_delta = [&](const model::chat_delta& d) { streamed += d.content; };
    cb.on_tool_call = [&](const tool_call& c) { events.push_back("call " + c.name); };
    cb.on_tool_result = [&](const tools::tool_outcome& o) { events.push_back("result " + o.content); };
    auto r = a.run("1+2?", cb);
    EXPECT_EQ(streamed, "the sum is 3");
    EXPECT_EQ(r.reply, "the sum is 3");
    EXPECT_EQ(events, (std::vector<std::string>{"call add", "result 3"}));
}

TEST(AgentLoop, RetriesRetryableFailuresHonouringRetryAfter) {
    std::vector<std::chrono::nanoseconds> waits;
    agent_config cfg;
    cfg.sleep = [&](std::chrono::nanoseconds d) { waits.push_back(d); };
    model::scripted_provider p{step::fail(500), step::fail(429, "slow down", std::chrono::seconds(1)),
                               step::reply("fine")};
    agent<with_model<model::scripted_provider>, with_retry<fixed_backoff>> a(std::move(p), cfg);
    auto r = a.run("hi");
    EXPECT_EQ(r.reply, "fine");
    EXPECT_EQ(r.retries, 2u);
    ASSERT_EQ(waits.size(), 2u);
    EXPECT_EQ(waits[0], std::chrono::milliseconds(100));   // backoff
    EXPECT_EQ(waits[1], std::chrono::milliseconds(1000));  // Retry-After beats the 200 ms backoff
}

TEST(AgentLoop, DoesNotRetryWhatCannotSucceed) {
    agent_config cfg;
    cfg.sleep = [](std::chrono::nanoseconds) {};
    model::scripted_provider p{step::fail(401, "invalid_api_key"), step::reply("never")};
    agent<with_model<model::scripted_provider>, with_retry<fixed_backoff>> a(std::move(p), cfg);
    EXPECT_THROW(a.run("hi"), model::provider_error);
    // Without a retry policy the first failure surfaces.
    agent<with_model<model::scripted_provider>> b(model::scripted_provider{step::fail(503)});
    EXPECT_THROW(b.run("hi"), model::provider_error);
}

TEST(AgentLoop, GivesUpAfterMaxAttempts) {
    agent_config cfg;
    cfg.sleep = [](std::chrono::nanoseconds) {};
    model::scripted_provider p{step::fail(500), step::fail(500), step::fail(500), step::reply("too late")};
    agent<with_model<model::scripted_provider>, with_retry<fixed_backoff>> a(std::move(p), cfg);
    try {
        a.run("hi");
        FAIL();
    } catch (const model::provider_error& e) {
        EXPECT_EQ(e.http_status(), 500);
    }
    EXPECT_EQ(a.model().calls(), 3u);
}

TEST(AgentLoop, StorageSeesEveryMessage) {
    model::scripted_provider p{step::call("c1", "add", R"({"a":1,"b":1})"), step::reply("2")};
    agent<with_model<model::scripted_provider>, with_tools<add_tools>, with_storage<vector_store>> a(
        std::move(p), add_tools(add_tool()));
    a.run("1+1");
    EXPECT_EQ(a.storage().all.size(), 4u);
}

TEST(AgentLoop, ARuntimeRegistryWorksToo) {
    tools::registry box;
    box.add(add_tool());
    agent<with_model<model::scripted_provider>, with_tools<tools::registry>> a(
        model::scripted_provider{step::call("c1", "add", R"({"a":3,"b":4})"), step::reply("7")}, std::move(box));
    EXPECT_EQ(a.run("3+4").reply, "7");
    EXPECT_EQ(a.history()[2].content(), "7");
}

TEST(AgentLoop, NoModelNoLoopState) {
    // The loop's state exists only in agents with a model: a bare agent stays one conversation in size.
    static_assert(sizeof(agent<with_tokens<none>>) == sizeof(conversation));
    static_assert(sizeof(agent<with_model<model::scripted_provider>>) > sizeof(conversation));
    SUCCEED();
}

TEST(AgentPool, ReusesAgentsAndClearsTheirConversation) {
    using simple = agent<with_model<model::scripted_provider>>;
    agent_pool<simple> pool([] {
        auto a = std::make_unique<simple>(model::scripted_provider{});
        a->set_system_prompt("be brief");
        return a;
    });
    {
        auto a = pool.acquire();
        a->run("first conversation");
        EXPECT_EQ(a->history().size(), 3u);
    }
    auto b = pool.acquire();
    EXPECT_EQ(b->history().size(), 1u);  // only the system prompt survived
    EXPECT_EQ(pool.statistics().created, 1u);
    EXPECT_EQ(pool.statistics().reused, 1u);
}

TEST(AgentLoopCache, AResponseCacheAnswersARepeatedRequestWithoutTheModel) {
    using cached_agent =
        agent<with_model<model::scripted_provider>, with_tools<add_tools>, with_cache<response_caching<(1u << 20)>>>;
    model::scripted_provider p{step::call("c1", "add", R"({"a":2,"b":3})"), step::reply("5")};
    cached_agent a(std::move(p), add_tools(add_tool()));
    EXPECT_FALSE(a.cache().constructed());  // components start lazily: the cache on the first model call
    a.set_system_prompt("You add.");
    auto first = a.run("2+3?");
    EXPECT_EQ(first.reply, "5");
    EXPECT_EQ(first.cache_hits, 0u);
    EXPECT_EQ(a.model().calls(), 2u);

    // The same conversation again (a new session with the same prompt): both model calls come from the cache,
    // the tool still runs (its result is not the model's to cache), no tokens are spent.
    a.history().clear();
    a.set_system_prompt("You add.");
    std::string streamed;
    agent_callbacks cb;
    cb.on_delta = [&](const model::chat_delta& d) { streamed += d.content; };
    auto again = a.run("2+3?", cb);
    EXPECT_EQ(again.reply, "5");
    EXPECT_EQ(again.cache_hits, 2u);
    EXPECT_EQ(again.tool_calls, 1u);
    EXPECT_EQ(again.tokens.total(), 0u);
    EXPECT_EQ(streamed, "5");  // a cached answer still reaches a streaming caller
    EXPECT_EQ(a.model().calls(), 2u);
    EXPECT_EQ(a.history().size(), 5u);
    EXPECT_EQ(a.history()[2].tool_calls().at(0).arguments, R"({"a":2,"b":3})");
    EXPECT_EQ(a.cache().statistics().hits, 2u);

    // A different question misses.
    a.run("2+4?");
    EXPECT_EQ(a.model().calls(), 3u);
}

TEST(AgentLoopCache, AnyCachePolicyOfTheCacheLayerWorksInTheSlot) {
    agent<with_model<model::scripted_provider>, with_cache<cache::lru>> a(model::scripted_provider{});
    a.run("hello");
    a.history().clear();
    auto r = a.run("hello");
    EXPECT_EQ(r.reply, "echo: hello");
    EXPECT_EQ(r.cache_hits, 1u);
    EXPECT_EQ(a.model().calls(), 1u);
    // Without a cache slot nothing is cached.
    agent<with_model<model::scripted_provider>> b(model::scripted_provider{});
    b.run("hello");
    b.history().clear();
    EXPECT_EQ(b.run("hello").cache_hits, 0u);
    EXPECT_EQ(b.model().calls(), 2u);
}

}  // namespace agent_loop_test
