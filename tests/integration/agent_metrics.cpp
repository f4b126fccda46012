// Metrics from every part of an assembled agent: a router over the OpenAI-compatible provider on real HTTP
// (our test server on 127.0.0.1), summary-buffer compaction, SQLite storage on a file, the response cache,
// a tool, and the lane queue the turns run through, all given one observe::metric_registry. One scrape holds
// every part's series with the values the turns produced, and `promtool check metrics` accepts it.
#include <agentkit/agent/agent.hpp>
#include <agentkit/agent/response_caching.hpp>
#include <agentkit/memory/summary_buffer.hpp>
#include <agentkit/model/openai_provider.hpp>
#include <agentkit/model/router.hpp>
#include <agentkit/observe/metric_registry.hpp>
#include <agentkit/observe/prometheus_text.hpp>
#include <agentkit/runtime/lane_queue.hpp>
#include <agentkit/runtime/thread_pool.hpp>
#include <agentkit/storage/sqlite_backend.hpp>
#include <agentkit/tools/tool_set.hpp>
#include <agentkit/transport/http.hpp>

#include <agentkit_test/agent_fixtures.hpp>
#include <agentkit_test/metrics_scrape.hpp>
#include <agentkit_test/openai_server.hpp>
#include <agentkit_test/scratch_db.hpp>

#include <gtest/gtest.h>

#include <string>

namespace integration_agent_metrics_test {
using namespace agentkit;
using agentkit_test::openai_server;
using agentkit_test::sample;

using summarising = memory::summary_buffer<text::chars_per_token<4>, memory::callable_summarizer>;
using assembled = agent<with_model<model::router>, with_tools<agentkit_test::add_tools>, with_compaction<summarising>,
                        with_storage<storage::sqlite>, with_cache<response_caching<>>>;

TEST(AgentMetrics, AnAssembledAgentsRegistryHoldsEveryPartsSeriesAndPassesPromtool) {
    openai_server server;
    server.push(openai_server::stream(openai_server::stream_events("", "add", R"({"a":2,"b":3})")));
    server.push(openai_server::stream(openai_server::stream_events("2 + 3 = 5")));

    observe::metric_registry registry;
    transport::http client;  // a handle: the provider's copy shares this pool and its metrics
    client.attach_metrics(registry, "upstream");
    model::openai_provider<transport::http>::config pc;
    pc.base_url = server.base_url();
    pc.model = "gpt-test";
    model::router::config rc;
    rc.tiers = {{"default", "openai:gpt-test"}};
    model::router router(rc);
    router.add_provider("openai", model::openai_provider<transport::http>(pc, client));

    storage::sqlite_config db;
    db.path = agentkit_test::fresh_db("agent_metrics.db");
    assembled a{use_model(router),
                use_tools(agentkit_test::add_tools(agentkit_test::add_tool())),
                use_storage(db),
                use_compaction(memory::compaction_config{}),
                use_config({.session = "m"}),
                use_metrics(registry, "helper")};

    runtime::thread_pool pool(1);
    runtime::lane_queue<runtime::thread_pool> lanes(pool);
    lanes.attach_metrics(registry);
    agent_callbacks stream;
    stream.on_delta = [](const model::chat_delta&) {};
    const auto turn = lanes.submit("m", [&] { return a.run("what is 2 + 3?", stream); }).get();
    EXPECT_EQ(turn.reply, "2 + 3 = 5");

    const std::string text = observe::to_prometheus_text(registry);
    const std::string origin = "origin=\"" + server.base_url().substr(0, server.base_url().size() - 3) + "\"";
    // the agent
    EXPECT_EQ(sample(text, R"(agentkit_agent_turns_total{agent="helper",outcome="answered"})"), 1) << text;
    EXPECT_EQ(sample(text, R"(agentkit_agent_model_calls_total{agent="helper"})"), 2) << text;
    EXPECT_EQ(sample(text, R"(agentkit_agent_tool_calls_total{agent="helper"})"), 1) << text;
    // the router, per provider and model
    EXPECT_EQ(sample(text, R"(agentkit_model_requests_total{router="router",provider="openai",model="gpt-test"})"), 2)
        << text;
    EXPECT_EQ(
        sample(
            text,
            R"(agentkit_model_time_to_first_token_seconds_count{router="router",provider="openai",model="gpt-test"})"),
        2)
        << text;
    // the HTTP client under it
    EXPECT_EQ(sample(text, "agentkit_http_client_requests_total{client=\"upstream\"," + origin + "}"), 2) << text;
    EXPECT_EQ(sample(text, "agentkit_http_client_connections_opened_total{client=\"upstream\"," + origin + "}"), 1)
        << text;
    // storage: user, assistant (tool call), tool result, assistant
    EXPECT_EQ(sample(text, R"(agentkit_storage_appends_total{backend="sqlite"})"), 4) << text;
    // the response cache: two misses, nothing hit yet
    EXPECT_EQ(sample(text, R"(agentkit_cache_misses_total{cache="response"})"), 2) << text;
    EXPECT_EQ(sample(text, R"(agentkit_cache_hits_total{cache="response"})"), 0) << text;
    // compaction is registered (nothing to compact in so short a conversation)
    EXPECT_EQ(sample(text, R"(agentkit_compaction_runs_total{policy="summary_buffer"})"), 0) << text;
    // the lane queue the turn ran through
    EXPECT_EQ(sample(text, R"(agentkit_queue_wait_seconds_count{queue="lanes",class=""})"), 1) << text;
    AGENTKIT_EXPECT_PROMTOOL_ACCEPTS(registry);
}

TEST(AgentMetrics, UseMetricsReachesTheHttpClientOfAnHttpModel) {
    openai_server server;
    server.push(openai_server::stream(openai_server::stream_events("hello")));
    observe::metric_registry registry;
    model::openai_provider<transport::http>::config pc;
    pc.base_url = server.base_url();
    agent<with_model<model::openai_provider<transport::http>>> a{
        use_model(model::openai_provider<transport::http>(pc, transport::http{})), use_metrics(registry)};
    agent_callbacks stream;
    stream.on_delta = [](const model::chat_delta&) {};
    EXPECT_EQ(a.run("hi", stream).reply, "hello");
    const std::string text = observe::to_prometheus_text(registry);
    const std::string origin = "origin=\"" + server.base_url().substr(0, server.base_url().size() - 3) + "\"";
    EXPECT_EQ(sample(text, "agentkit_http_client_requests_total{client=\"http\"," + origin + "}"), 1) << text;
    EXPECT_EQ(sample(text, R"(agentkit_agent_model_calls_total{agent="agent"})"), 1) << text;
    AGENTKIT_EXPECT_PROMTOOL_ACCEPTS(registry);
}

}  // namespace integration_agent_metrics_test
