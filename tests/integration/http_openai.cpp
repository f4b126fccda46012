// The HTTP transport and the OpenAI provider against our OpenAI-compatible test server on 127.0.0.1:
// real sockets, keep-alive, chunked SSE, and every failure the client must survive. Nothing may hang: each
// test bounds its waits with the transport's timeouts.
#include <agentkit/agent/agent.hpp>
#include <agentkit/model/openai_provider.hpp>
#include <agentkit/model/router.hpp>
#include <agentkit/resilience/backoff.hpp>
#include <agentkit/tools/tool_set.hpp>
#include <agentkit/transport/http.hpp>
#include <agentkit_test/agent_fixtures.hpp>
#include <agentkit_test/error_of.hpp>
#include <agentkit_test/http_providers.hpp>
#include <agentkit_test/openai_server.hpp>

#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <thread>
#include <vector>

namespace integration_http_openai_test {
using namespace agentkit;
using agentkit_test::openai_server;
using provider = model::openai_provider<transport::http>;

using agentkit_test::ask;
using agentkit_test::error_of;
using agentkit_test::fast_timeouts;
using agentkit_test::openai_over_http;
using agentkit_test::weather_request;

TEST(HttpOpenAi, NonStreamingChatWithUsage) {
    openai_server server;
    auto p = openai_over_http(server);
    auto r = p.complete(ask("hello"));
    EXPECT_EQ(r.reply.content(), "echo: hello");
    EXPECT_EQ(r.finish_reason, "stop");
    EXPECT_EQ(r.tokens, (model::usage{10, 5}));
    EXPECT_EQ(r.model, "test-model");
    const auto bodies = server.bodies();
    ASSERT_EQ(bodies.size(), 1u);
    EXPECT_NE(bodies[0].find(R"("messages":[{"role":"user","content":"hello"}])"), std::string::npos) << bodies[0];
}

TEST(HttpOpenAi, StreamingDeltasAddUpToTheReply) {
    openai_server server;
    auto p = openai_over_http(server);
    std::string streamed;
    std::size_t deltas = 0;
    auto r = p.stream(ask("a longer message to stream"), [&](const model::chat_delta& d) {
        streamed += d.content;
        ++deltas;
    });
    EXPECT_EQ(r.reply.content(), "echo: a longer message to stream");
    EXPECT_EQ(streamed, r.reply.content());
    EXPECT_GT(deltas, 3u);
    EXPECT_EQ(r.tokens, (model::usage{10, 5}));  // from the usage-only chunk (stream_options.include_usage)
    EXPECT_NE(server.bodies()[0].find(R"("stream":true)"), std::string::npos);
}

TEST(HttpOpenAi, ToolCallsAndToolsOnTheWire) {
    openai_server server;
    auto p = openai_over_http(server);
    auto req = weather_request();
    auto r = p.complete(req);
    ASSERT_EQ(r.reply.tool_calls().size(), 1u);
    EXPECT_EQ(r.reply.tool_calls()[0].name, "get_weather");
    EXPECT_EQ(r.reply.tool_calls()[0].arguments, R"({"city":"Paris"})");
    EXPECT_EQ(r.finish_reason, "tool_calls");
    EXPECT_NE(server.bodies()[0].find(R"("tools":[{"type":"function","function":{"name":"get_weather")"),
              std::string::npos);

    std::vector<model::tool_call_delta> pieces;
    auto s = p.stream(req, [&](const model::chat_delta& d) {
        for (const auto& t : d.tool_calls) pieces.push_back(t);
    });
    ASSERT_EQ(pieces.size(), 2u);  // id + name + half the arguments, then the rest
    EXPECT_EQ(pieces[0].id, "call_1");
    EXPECT_EQ(pieces[1].name, "");
    ASSERT_EQ(s.reply.tool_calls().size(), 1u);
    EXPECT_EQ(s.reply.tool_calls()[0].arguments, R"({"city":"Paris"})");
}

TEST(HttpOpenAi, RateLimitCarriesRetryAfter) {
    openai_server server;
    auto p = openai_over_http(server);
    server.push(openai_server::status(429, "Rate limit reached", "2"));
    auto e = error_of<model::provider_error>([&] { p.complete(ask("x")); });
    EXPECT_EQ(e.http_status(), 429);
    EXPECT_TRUE(e.retryable());
    EXPECT_EQ(e.retry_after(), std::chrono::milliseconds(2000));
    EXPECT_NE(std::string(e.what()).find("Rate limit reached (test_error)"), std::string::npos) << e.what();
    EXPECT_EQ(p.complete(ask("after")).reply.content(), "echo: after");  // the connection is still usable
}

TEST(HttpOpenAi, ServerErrorsRetryAuthErrorsDoNot) {
    openai_server server;
    auto p = openai_over_http(server);
    server.push(openai_server::status(500, "boom"));
    server.push(openai_server::status(401, "Incorrect API key provided"));
    EXPECT_TRUE(error_of<model::provider_error>([&] { p.complete(ask("x")); }).retryable());
    auto e = error_of<model::provider_error>([&] { p.complete(ask("x")); });
    EXPECT_FALSE(e.retryable());
    EXPECT_EQ(e.http_status(), 401);
}

TEST(HttpOpenAi, ReadTimeoutEndsAHungRequest) {
    openai_server server;
    auto cfg = fast_timeouts();
    cfg.read_timeout = std::chrono::milliseconds(150);
    auto p = openai_over_http(server, cfg);
    server.push(openai_server::hang());
    auto e = error_of<model::provider_error>([&] { p.complete(ask("x")); });
    EXPECT_EQ(e.code(), errc::timeout);
    EXPECT_TRUE(e.retryable());
    EXPECT_EQ(e.field(), "http.read_timeout");
    server.release();
    EXPECT_EQ(p.complete(ask("next")).reply.content(), "echo: next");
}

TEST(HttpOpenAi, TotalTimeoutBoundsASlowStream) {
    openai_server server;
    auto cfg = fast_timeouts();
    cfg.total_timeout = std::chrono::milliseconds(300);
    auto p = openai_over_http(server, cfg);
    // Each event arrives within the read timeout, but the whole stream takes too long.
    server.push(openai_server::stream(openai_server::stream_events(std::string(60, 'x'), {}, {}, 1), false,
                                      std::chrono::milliseconds(20)));
    auto e = error_of<model::provider_error>([&] { p.stream(ask("x"), {}); });
    EXPECT_EQ(e.code(), errc::timeout);
    EXPECT_EQ(e.field(), "http.total_timeout");
}

TEST(HttpOpenAi, TruncatedStreamIsAClearRetryableError) {
    openai_server server;
    auto p = openai_over_http(server);
    auto events = openai_server::stream_events("this reply will be cut");
    events.resize(3);  // no finish, no usage, no [DONE], and no last chunk: the connection just closes
    server.push(openai_server::stream(events, /*cut_short=*/true));
    std::string got;
    auto e = error_of<model::provider_error>(
        [&] { p.stream(ask("x"), [&](const model::chat_delta& d) { got += d.content; }); });
    EXPECT_TRUE(e.retryable());
    EXPECT_EQ(e.code(), errc::unavailable);
    EXPECT_NE(std::string(e.what()).find("closed"), std::string::npos) << e.what();
    EXPECT_FALSE(got.empty());  // what arrived before the cut was delivered

    // A stream that ends cleanly (last chunk sent) but without [DONE] is also an error.
    events = openai_server::stream_events("short");
    events.pop_back();
    server.push(openai_server::stream(events));
    auto e2 = error_of<model::provider_error>([&] { p.stream(ask("x"), {}); });
    EXPECT_NE(std::string(e2.what()).find("before [DONE]"), std::string::npos) << e2.what();
}

TEST(HttpOpenAi, MalformedJsonAndSseAreClearErrors) {
    openai_server server;
    auto p = openai_over_http(server);
    server.push(openai_server::raw(200, R"({"choices":[{"message":{"content":"unterminated)"));
    auto e = error_of<model::provider_error>([&] { p.complete(ask("x")); });
    EXPECT_EQ(e.code(), errc::parse_error);
    EXPECT_TRUE(e.retryable());
    EXPECT_NE(std::string(e.what()).find("malformed chat completion"), std::string::npos) << e.what();

    server.push(openai_server::raw(200, R"({"choices":[]})"));
    EXPECT_EQ(error_of<model::provider_error>([&] { p.complete(ask("x")); }).field(), "choices");

    server.push(openai_server::stream(
        {"data: {\"choices\":[{\"delta\":{\"content\":\"ok\"}}]}\n\n", "data: {oops\n\n", "data: [DONE]\n\n"}));
    auto e3 = error_of<model::provider_error>([&] { p.stream(ask("x"), {}); });
    EXPECT_EQ(e3.code(), errc::parse_error);
    EXPECT_EQ(e3.field(), "stream chunk");

    server.push(openai_server::stream({"data: {\"error\":{\"message\":\"overloaded\"}}\n\n"}));
    auto e4 = error_of<model::provider_error>([&] { p.stream(ask("x"), {}); });
    EXPECT_EQ(e4.code(), errc::unavailable);
    EXPECT_NE(std::string(e4.what()).find("overloaded"), std::string::npos);
    EXPECT_EQ(p.complete(ask("still fine")).reply.content(), "echo: still fine");
}

TEST(HttpOpenAi, ConnectionRefusedIsRetryable) {
    std::uint16_t port;
    {
        openai_server gone;
        port = gone.port();
    }
    provider::config pc;
    pc.base_url = "http://127.0.0.1:" + std::to_string(port) + "/v1";
    provider p(pc, transport::http(fast_timeouts()));
    auto e = error_of<model::provider_error>([&] { p.complete(ask("x")); });
    EXPECT_EQ(e.code(), errc::unavailable);
    EXPECT_TRUE(e.retryable());
}

TEST(HttpOpenAi, Embeddings) {
    openai_server server;
    auto p = openai_over_http(server);
    auto v = p.embed({"abc", "hello"});
    ASSERT_EQ(v.size(), 2u);
    EXPECT_EQ(v[0], (std::vector<float>{3.0f, 0.5f, -1.0f}));
    EXPECT_EQ(v[1][0], 5.0f);
}

TEST(HttpTransport, KeepAliveReusesOneConnection) {
    openai_server server;
    auto p = openai_over_http(server);
    for (int i = 0; i < 5; ++i) p.complete(ask("x"));
    EXPECT_EQ(server.connections(), 1u);
    auto st = p.transport().statistics();
    EXPECT_EQ(st.connections_opened, 1u);
    EXPECT_EQ(st.connections_reused, 4u);
}

TEST(HttpTransport, PoolSizeIsLimitedPerHost) {
    openai_server server;
    auto cfg = fast_timeouts();
    cfg.max_connections_per_host = 2;
    transport::http client(cfg);
    std::vector<std::thread> threads;
    std::atomic<int> ok{0};
    for (int t = 0; t < 4; ++t)
        threads.emplace_back([&] {
            for (int i = 0; i < 5; ++i) {
                transport::http_request r;
                r.url = server.base_url() + "/chat/completions";
                r.body = R"({"messages":[{"role":"user","content":"hi"}]})";
                if (client.send(r).ok()) ++ok;
            }
        });
    for (auto& t : threads) t.join();
    EXPECT_EQ(ok.load(), 20);
    EXPECT_LE(server.connections(), 2u);
    EXPECT_LE(client.open_connections("http://127.0.0.1:" + std::to_string(server.port())), 2u);
}

TEST(HttpTransport, APostTheServerReadThenDroppedIsNotSentTwice) {
    openai_server server;
    auto p = openai_over_http(server);
    p.complete(ask("first"));
    server.push(openai_server::close_now());  // the server reads the next request, then drops the connection
    auto e = error_of<model::provider_error>([&] { p.complete(ask("second")); });
    EXPECT_EQ(e.code(), errc::unavailable);
    EXPECT_TRUE(e.retryable());  // the retry layer may decide; the transport must not resend a POST itself
    EXPECT_EQ(server.requests(), 2u);
    EXPECT_EQ(p.transport().statistics().stale_retries, 0u);
    EXPECT_EQ(p.complete(ask("third")).reply.content(), "echo: third");  // on a fresh connection
    EXPECT_EQ(server.connections(), 2u);
}

TEST(HttpTransport, RejectsBadUrlsAndConfig) {
    transport::http client;
    transport::http_request r;
    r.url = "ftp://example.com/";
    try {
        client.send(r);
        FAIL();
    } catch (const error& e) {
        EXPECT_EQ(e.field(), "url");
    }
    transport::http::config c;
    c.max_connections_per_host = 0;
    EXPECT_THROW(transport::http{c}, error);
    EXPECT_TRUE(transport::http::config{}.verify_peer);  // TLS peer verification is on by default
}

// ---- the agent over real HTTP ---------------------------------------------------------------------------
using agentkit_test::no_wait_backoff;
using agentkit_test::weather_tool;

TEST(AgentHttp, ReActTurnWithAToolOverHttpWithRetries) {
    openai_server server;
    using tools_t = tools::tool_set<decltype(weather_tool())>;
    std::vector<std::chrono::nanoseconds> waits;
    agent_config cfg;
    cfg.sleep = [&](std::chrono::nanoseconds d) { waits.push_back(d); };
    agent<with_model<provider>, with_tools<tools_t>, with_retry<no_wait_backoff>> a(openai_over_http(server),
                                                                                    tools_t(weather_tool()), cfg);
    server.push(openai_server::status(429, "slow down", "1"));
    server.push(openai_server::status(503, "overloaded"));
    std::string streamed;
    agent_callbacks cb;
    cb.on_delta = [&](const model::chat_delta& d) { streamed += d.content; };
    auto r = a.run(R"(call get_weather {"city":"Paris"})", cb);
    EXPECT_EQ(r.reply, "tool said sunny, 21 C");
    EXPECT_EQ(streamed, r.reply);
    EXPECT_EQ(r.iterations, 2u);
    EXPECT_EQ(r.retries, 2u);
    ASSERT_EQ(waits.size(), 2u);
    EXPECT_EQ(waits[0], std::chrono::seconds(1));  // Retry-After
    EXPECT_EQ(r.tokens, (model::usage{20, 10}));
    EXPECT_EQ(server.connections(), 1u);  // error replies kept the connection alive
}

// ---- the router over real HTTP: retries with Retry-After, then a fallback to another endpoint ---------------
TEST(RouterHttp, RetriesHonourRetryAfterThenFallBackToAnotherEndpoint) {
    openai_server primary, secondary;
    std::vector<std::chrono::nanoseconds> waits;
    model::router::config c;
    c.tiers = {{"fast", "primary:small"}, {"default", "primary:large"}, {"complex", "primary:large"}};
    c.tier_fallbacks = {{"default", {"secondary:large-backup"}}};
    c.retry.seed = 7;
    c.sleep = [&](std::chrono::nanoseconds d) { waits.push_back(d); };
    model::router rt(c);
    auto quick = fast_timeouts();
    quick.read_timeout = std::chrono::milliseconds(300);  // the hung reply below ends here
    rt.add_provider("primary", openai_over_http(primary, quick));
    rt.add_provider("secondary", openai_over_http(secondary));
    primary.push(openai_server::status(429, "Rate limit reached", "2"));
    primary.push(openai_server::status(500, "boom"));
    primary.push(openai_server::status(503, "overloaded"));
    agent<with_model<model::router>> a(rt);  // a copy: the same router
    auto r = a.run("hello over http");
    EXPECT_EQ(r.reply, "echo: hello over http");
    ASSERT_EQ(waits.size(), 2u);
    EXPECT_GE(waits[0], std::chrono::seconds(2));  // Retry-After from the 429
    const auto s = rt.statistics();
    EXPECT_EQ(s.per_model.at("primary:large").failures, 3u);
    EXPECT_EQ(s.per_model.at("secondary:large-backup").calls, 1u);
    EXPECT_EQ(s.fallbacks, 1u);
    EXPECT_EQ(primary.connections(), 1u);  // error replies kept the connection alive
    EXPECT_NE(secondary.bodies().at(0).find(R"("model":"large-backup")"), std::string::npos);

    // Malformed JSON, a hung server, malformed JSON: each retried (transient), then attempts run out: the fallback.
    primary.push(openai_server::raw(200, "{not json"));
    primary.push(openai_server::hang());
    primary.push(openai_server::raw(200, "{not json"));
    EXPECT_EQ(rt.complete(ask("again")).reply.content(), "echo: again");
    EXPECT_EQ(rt.statistics().fallbacks, 2u);
    EXPECT_EQ(rt.statistics().per_model.at("primary:large").failures, 6u);
    primary.release();
}

TEST(RouterHttp, ABadRequestFailsAtOnceWithTheServersMessage) {
    openai_server server;
    model::router::config c;
    c.tiers = {{"fast", "p:m"}, {"default", "p:m"}, {"complex", "p:m"}};
    c.fallback_chain = {"p:other"};
    c.sleep = [](std::chrono::nanoseconds) { ADD_FAILURE() << "a 400 must not be retried"; };
    model::router rt(c);
    rt.add_provider("p", openai_over_http(server));
    server.push(openai_server::status(400, "maximum context length exceeded"));
    auto e = error_of<model::provider_error>([&] { rt.complete(ask("x")); });
    EXPECT_EQ(e.http_status(), 400);
    EXPECT_NE(std::string(e.what()).find("maximum context length"), std::string::npos) << e.what();
    EXPECT_EQ(server.bodies().size(), 1u);
}

}  // namespace integration_http_openai_test
