// The Anthropic provider over the HTTP transport against our Messages API server on 127.0.0.1: real sockets,
// keep-alive, chunked SSE with named events, the API's headers and error bodies, and the agent and router
// driving it. Nothing may hang: each test bounds its waits with the transport's timeouts.
#include <agentkit/agent/agent.hpp>
#include <agentkit/model/anthropic_provider.hpp>
#include <agentkit/model/router.hpp>
#include <agentkit/resilience/classifier.hpp>
#include <agentkit/tools/tool_set.hpp>
#include <agentkit/transport/http.hpp>
#include <agentkit_test/agent_fixtures.hpp>
#include <agentkit_test/anthropic_server.hpp>
#include <agentkit_test/error_of.hpp>
#include <agentkit_test/http_providers.hpp>

#include <gtest/gtest.h>

#include <chrono>
#include <random>
#include <string>
#include <vector>

namespace integration_http_anthropic_test {
using namespace agentkit;
using agentkit_test::anthropic_server;
using provider = model::anthropic_provider<transport::http>;

using agentkit_test::anthropic_over_http;
using agentkit_test::ask;
using agentkit_test::error_of;

namespace {
std::string header(const anthropic_server::header_list& h, std::string_view name) {
    for (const auto& [k, v] : h)
        if (transport::header_name_equal(k, name)) return v;
    return "(absent)";
}
resilience::verdict classify(const model::provider_error& e) {
    return resilience::default_classifier{}.classify(model::to_failure(e));
}
}  // namespace

TEST(HttpAnthropic, PlainAnswerWithUsageAndTheApisHeaders) {
    anthropic_server server;
    auto p = anthropic_over_http(server);
    auto req = ask("hello");
    req.messages.insert(req.messages.begin(), message::system("be brief"));
    auto r = p.complete(req);
    EXPECT_EQ(r.reply.content(), "echo: hello");
    EXPECT_EQ(r.finish_reason, "stop");
    EXPECT_EQ(r.tokens, (model::usage{10, 5}));
    EXPECT_EQ(r.model, "claude-test");
    const auto headers = server.headers();
    ASSERT_EQ(headers.size(), 1u);
    EXPECT_EQ(header(headers[0], "x-api-key"), "sk-ant-test");
    EXPECT_EQ(header(headers[0], "anthropic-version"), "2023-06-01");
    EXPECT_EQ(header(headers[0], "content-type"), "application/json");
    EXPECT_EQ(header(headers[0], "authorization"), "(absent)");
    EXPECT_EQ(
        server.bodies()[0],
        R"({"model":"claude-test","max_tokens":4096,"system":"be brief","messages":[{"role":"user","content":"hello"}]})");
}

TEST(HttpAnthropic, StreamedAnswerWithAToolCall) {
    anthropic_server server;
    auto p = anthropic_over_http(server);
    auto req = ask(R"(call get_weather {"city": "Paris", "days": [1, 2, 3], "unit": "celsius"})");
    req.tools.push_back(
        {"get_weather", "weather for a city", R"({"type":"object","properties":{"city":{"type":"string"}}})"});
    std::vector<model::tool_call_delta> pieces;
    auto r = p.stream(req, [&](const model::chat_delta& d) {
        for (const auto& t : d.tool_calls) pieces.push_back(t);
    });
    ASSERT_EQ(r.reply.tool_calls().size(), 1u);
    EXPECT_EQ(r.reply.tool_calls()[0],
              (tool_call{"toolu_test1", "get_weather", R"({"city":"Paris","days":[1,2,3],"unit":"celsius"})"}));
    EXPECT_EQ(r.finish_reason, "tool_calls");
    EXPECT_EQ(r.tokens, (model::usage{10, 5}));  // input from message_start, output from message_delta
    ASSERT_GT(pieces.size(), 5u);                // the id and name, then the input in 6-byte input_json_delta pieces
    EXPECT_EQ(pieces[0].id, "toolu_test1");
    EXPECT_EQ(pieces[0].name, "get_weather");
    std::string streamed_input;
    for (const auto& t : pieces) streamed_input += t.arguments;
    EXPECT_EQ(streamed_input, R"({"city": "Paris", "days": [1, 2, 3], "unit": "celsius"})");
    EXPECT_NE(
        server.bodies()[0].find(
            R"("tools":[{"name":"get_weather","description":"weather for a city","input_schema":{"type":"object")"),
        std::string::npos)
        << server.bodies()[0];
    EXPECT_NE(server.bodies()[0].find(R"("stream":true)"), std::string::npos);

    // The same answer whole is the same reply.
    EXPECT_EQ(p.complete(req).reply, r.reply);

    // A plain streamed answer: the text deltas add up to the reply.
    std::string text;
    auto plain = p.stream(ask("a longer message to stream"), [&](const model::chat_delta& d) { text += d.content; });
    EXPECT_EQ(plain.reply.content(), "echo: a longer message to stream");
    EXPECT_EQ(text, plain.reply.content());
    EXPECT_EQ(plain.finish_reason, "stop");
}

TEST(HttpAnthropic, OverloadedIsRetryable) {
    anthropic_server server;
    auto p = anthropic_over_http(server);
    server.push(anthropic_server::error(529, "overloaded_error", "Overloaded", "3"));
    auto e = error_of<model::provider_error>([&] { p.complete(ask("x")); });
    EXPECT_EQ(e.http_status(), 529);
    EXPECT_EQ(e.code(), errc::unavailable);
    EXPECT_TRUE(e.retryable());
    EXPECT_EQ(e.retry_after(), std::chrono::milliseconds(3000));
    EXPECT_NE(std::string(e.what()).find("HTTP 529: Overloaded (overloaded_error)"), std::string::npos) << e.what();
    EXPECT_EQ(classify(e), resilience::verdict::retry);

    // The same inside a stream that had begun: an error event.
    auto events = anthropic_server::stream_events("partial answer");
    events.resize(4);  // message_start, ping, content_block_start, one delta
    events.push_back(anthropic_server::sse("error", anthropic_server::error_json("overloaded_error", "Overloaded")));
    server.push(anthropic_server::stream(events));
    auto mid = error_of<model::provider_error>([&] { p.stream(ask("x"), {}); });
    EXPECT_TRUE(mid.retryable());
    EXPECT_EQ(mid.code(), errc::unavailable);
    EXPECT_EQ(classify(mid), resilience::verdict::retry);

    server.push(
        anthropic_server::error(429, "rate_limit_error", "Number of request tokens has exceeded your rate limit", "2"));
    auto limited = error_of<model::provider_error>([&] { p.stream(ask("x"), {}); });
    EXPECT_EQ(limited.code(), errc::rate_limited);
    EXPECT_EQ(limited.retry_after(), std::chrono::milliseconds(2000));

    EXPECT_EQ(p.complete(ask("after")).reply.content(), "echo: after");  // the connection is still usable
}

TEST(HttpAnthropic, BadRequestAndAuthErrorsAreNotRetryable) {
    anthropic_server server;
    auto p = anthropic_over_http(server);
    server.push(anthropic_server::error(400, "invalid_request_error", "messages: roles must alternate"));
    auto e = error_of<model::provider_error>([&] { p.complete(ask("x")); });
    EXPECT_EQ(e.http_status(), 400);
    EXPECT_FALSE(e.retryable());
    EXPECT_EQ(classify(e), resilience::verdict::stop);
    EXPECT_NE(std::string(e.what()).find("messages: roles must alternate (invalid_request_error)"), std::string::npos)
        << e.what();

    // The server refuses a request without a key, as the API does.
    auto keyless = anthropic_over_http(server, "");
    auto auth = error_of<model::provider_error>([&] { keyless.stream(ask("x"), {}); });
    EXPECT_EQ(auth.http_status(), 401);
    EXPECT_FALSE(auth.retryable());
    EXPECT_NE(std::string(auth.what()).find("authentication_error"), std::string::npos) << auth.what();
}

TEST(HttpAnthropic, AStreamCutShortIsARetryableError) {
    anthropic_server server;
    auto p = anthropic_over_http(server);
    auto events = anthropic_server::stream_events("this answer never ends");
    events.pop_back();  // no message_stop
    server.push(anthropic_server::stream(events, true));
    auto e = error_of<model::provider_error>([&] { p.stream(ask("x"), {}); });
    EXPECT_TRUE(e.retryable()) << e.what();
    EXPECT_EQ(p.stream(ask("next"), {}).reply.content(), "echo: next");
}

// ---- the agent and the router over real HTTP ------------------------------------------------------------
using agentkit_test::no_wait_backoff;
using agentkit_test::weather_tool;

// A ReAct turn: the model calls a tool (tool_use), the tool's result goes back as a tool_result block, and
// the overloaded answers before it are retried.
TEST(AgentHttpAnthropic, ReActTurnWithAToolAndRetries) {
    anthropic_server server;
    using tools_t = tools::tool_set<decltype(weather_tool())>;
    agent_config cfg;
    std::vector<std::chrono::nanoseconds> waits;
    cfg.sleep = [&](std::chrono::nanoseconds d) { waits.push_back(d); };
    agent<with_model<provider>, with_tools<tools_t>, with_retry<no_wait_backoff>> a(anthropic_over_http(server),
                                                                                    tools_t(weather_tool()), cfg);
    server.push(anthropic_server::error(529, "overloaded_error", "Overloaded"));
    std::string streamed;
    agent_callbacks cb;
    cb.on_delta = [&](const model::chat_delta& d) { streamed += d.content; };
    auto r = a.run(R"(call get_weather {"city":"Paris"})", cb);
    EXPECT_EQ(r.reply, "tool said sunny, 21 C");
    EXPECT_EQ(streamed, r.reply);
    EXPECT_EQ(r.iterations, 2u);
    EXPECT_EQ(r.retries, 1u);
    const auto bodies = server.bodies();
    ASSERT_EQ(bodies.size(), 3u);
    EXPECT_NE(
        bodies[2].find(
            R"({"role":"assistant","content":[{"type":"tool_use","id":"toolu_test1","name":"get_weather","input":{"city":"Paris"}}]})"),
        std::string::npos)
        << bodies[2];
    EXPECT_NE(
        bodies[2].find(
            R"({"role":"user","content":[{"type":"tool_result","tool_use_id":"toolu_test1","content":"sunny, 21 C"}]})"),
        std::string::npos)
        << bodies[2];
}

TEST(RouterHttpAnthropic, OverloadedRetriesThenFallsBackABadRequestDoesNot) {
    anthropic_server primary, secondary;
    std::vector<std::chrono::nanoseconds> waits;
    model::router::config c;
    c.tiers = {{"fast", "claude:small"}, {"default", "claude:large"}, {"complex", "claude:large"}};
    c.tier_fallbacks = {{"default", {"backup:claude-backup"}}};
    c.retry.seed = 7;
    c.sleep = [&](std::chrono::nanoseconds d) { waits.push_back(d); };
    model::router rt(c);
    rt.add_provider("claude", anthropic_over_http(primary));
    rt.add_provider("backup", anthropic_over_http(secondary));
    primary.push(anthropic_server::error(529, "overloaded_error", "Overloaded", "1"));
    primary.push(anthropic_server::error(529, "overloaded_error", "Overloaded"));
    primary.push(anthropic_server::error(500, "api_error", "Internal server error"));
    auto r = rt.complete(ask("hello over http"));
    EXPECT_EQ(r.reply.content(), "echo: hello over http");
    ASSERT_EQ(waits.size(), 2u);
    EXPECT_GE(waits[0], std::chrono::seconds(1));  // retry-after from the first 529
    EXPECT_EQ(rt.statistics().fallbacks, 1u);
    EXPECT_NE(secondary.bodies().at(0).find(R"("model":"claude-backup")"), std::string::npos);

    primary.push(anthropic_server::error(400, "invalid_request_error", "prompt is too long"));
    const auto before = secondary.requests();
    auto e = error_of<model::provider_error>([&] { rt.complete(ask("x")); });
    EXPECT_EQ(e.http_status(), 400);
    EXPECT_NE(std::string(e.what()).find("prompt is too long"), std::string::npos) << e.what();
    EXPECT_EQ(secondary.requests(), before);  // a bad request is not worth the fallback either
}

}  // namespace integration_http_anthropic_test
