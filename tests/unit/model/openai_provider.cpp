// The OpenAI provider over the in_process transport: wire format both ways, streaming split at every byte,
// and error mapping - without sockets (tests/integration/http_openai.cpp covers real HTTP).
#include <agentkit/model/openai_provider.hpp>
#include <agentkit/transport/in_process.hpp>

#include <agentkit_test/in_process_providers.hpp>
#include <agentkit_test/openai_events.hpp>
#include <gtest/gtest.h>

using namespace agentkit;
using namespace agentkit::model;
using fake_transport = transport::in_process<>;

namespace {
const std::string completion =
    R"({"id":"x","model":"m1","choices":[{"index":0,"message":{"role":"assistant","content":null,
  "tool_calls":[{"id":"call_a","type":"function","function":{"name":"lookup","arguments":"{\"q\":\"x\"}"}}]},
  "finish_reason":"tool_calls"}],"usage":{"prompt_tokens":12,"completion_tokens":7,"total_tokens":19}})";

openai_provider<fake_transport> make(agentkit_test::in_process_handler h, std::size_t piece = 64) {
    return agentkit_test::openai_in_process(std::move(h), piece);
}
}  // namespace

TEST(OpenAiWire, EncodesMessagesToolsAndToolResults) {
    chat_request r;
    r.messages.push_back(message::system("be brief"));
    r.messages.push_back(message::user("hi \"there\"\n"));
    r.messages.push_back(message::assistant("", {{"call_1", "add", R"({"a":1})"}}));
    r.messages.push_back(message::tool_result("call_1", "2", "add"));
    r.tools.push_back({"add", "adds", R"({"type":"object"})"});
    r.max_tokens = 100;
    const auto body = openai::encode_chat_request(r, "m-default", true);
    EXPECT_EQ(
        body,
        R"({"model":"m-default","messages":[{"role":"system","content":"be brief"},{"role":"user","content":"hi \"there\"\n"},)"
        R"({"role":"assistant","content":null,"tool_calls":[{"id":"call_1","type":"function","function":{"name":"add","arguments":"{\"a\":1}"}}]},)"
        R"({"role":"tool","content":"2","tool_call_id":"call_1"}],)"
        R"("tools":[{"type":"function","function":{"name":"add","description":"adds","parameters":{"type":"object"}}}],)"
        R"("max_tokens":100,"stream":true,"stream_options":{"include_usage":true}})");
    r.tools[0].parameters_schema = "{bad";
    try {
        openai::encode_chat_request(r, "m", false);
        FAIL();
    } catch (const error& e) {
        EXPECT_EQ(e.field(), "tools[0].function.parameters");
    }
}

TEST(OpenAiProvider, CompleteSendsAuthAndDecodesToolCalls) {
    transport::http_request seen;
    auto p = make([&](const transport::http_request& r) {
        seen = r;
        return transport::http_response{200, {}, completion};
    });
    auto res = p.complete({});
    EXPECT_EQ(seen.url, "http://model.local/v1/chat/completions");
    EXPECT_EQ(seen.header("authorization"), "Bearer sk-test");
    ASSERT_EQ(res.reply.tool_calls().size(), 1u);
    EXPECT_EQ(res.reply.tool_calls()[0], (tool_call{"call_a", "lookup", R"({"q":"x"})"}));
    EXPECT_EQ(res.tokens, (usage{12, 7}));
    EXPECT_EQ(res.finish_reason, "tool_calls");
}

TEST(OpenAiProvider, StreamSplitAtEveryByteGivesTheSameReply) {
    const std::string& sse = agentkit_test::openai_events::text_and_tool_stream;
    for (std::size_t piece : {1u, 2u, 7u, 1000u}) {
        auto p = make([&](const transport::http_request&) { return transport::http_response{200, {}, sse}; }, piece);
        std::string text;
        auto r = p.stream({}, [&](const chat_delta& d) { text += d.content; });
        EXPECT_EQ(text, "Hello") << piece;
        EXPECT_EQ(r.reply.content(), "Hello");
        ASSERT_EQ(r.reply.tool_calls().size(), 1u);
        EXPECT_EQ(r.reply.tool_calls()[0], (tool_call{"c1", "f", R"({"a":1})"}));
        EXPECT_EQ(r.tokens, (usage{3, 4}));
        EXPECT_EQ(r.finish_reason, "tool_calls");
        EXPECT_EQ(r.model, "m1");
    }
}

TEST(OpenAiProvider, MapsErrorsForRetry) {
    auto reply_with = [](int status, transport::header_list h) {
        return make([=](const transport::http_request&) {
            return transport::http_response{status, h, R"({"error":{"message":"nope","code":"invalid_api_key"}})"};
        });
    };
    try {
        reply_with(429, {{"retry-after-ms", "1500"}}).complete({});
        FAIL();
    } catch (const provider_error& e) {
        EXPECT_TRUE(e.retryable());
        EXPECT_EQ(e.retry_after(), std::chrono::milliseconds(1500));
        EXPECT_EQ(e.code(), errc::rate_limited);
    }
    try {
        reply_with(401, {}).complete({});
        FAIL();
    } catch (const provider_error& e) {
        EXPECT_FALSE(e.retryable());
        EXPECT_NE(std::string(e.what()).find("nope (invalid_api_key)"), std::string::npos) << e.what();
        // The resilience layer's default classifier also refuses it (non-retryable pattern + 4xx).
        EXPECT_EQ(to_failure(e).http_status, 401);
    }
    try {
        reply_with(503, {{"Retry-After", "3"}}).stream({}, {});
        FAIL();
    } catch (const provider_error& e) {
        EXPECT_TRUE(e.retryable());
        EXPECT_EQ(e.retry_after(), std::chrono::seconds(3));
    }
}

TEST(OpenAiProvider, TransportErrorsBecomeRetryableProviderErrors) {
    auto p = make([](const transport::http_request&) -> transport::http_response {
        throw error(errc::timeout, "waiting timed out after 5 ms", "http.read_timeout");
    });
    try {
        p.complete({});
        FAIL();
    } catch (const provider_error& e) {
        EXPECT_TRUE(e.retryable());
        EXPECT_EQ(e.field(), "http.read_timeout");
        EXPECT_EQ(std::string(e.what()), "agentkit: http.read_timeout: waiting timed out after 5 ms");
    }
}

TEST(OpenAiProvider, Embeddings) {
    auto p = make([](const transport::http_request& r) {
        EXPECT_NE(r.body.find(R"("input":["a","b"])"), std::string::npos);
        return transport::http_response{
            200, {}, R"({"data":[{"index":1,"embedding":[0.5]},{"index":0,"embedding":[1,2]}]})"};
    });
    auto v = p.embed({"a", "b"});
    EXPECT_EQ(v, (std::vector<std::vector<float>>{{1.0f, 2.0f}, {0.5f}}));
    auto bad = make([](const transport::http_request&) {
        return transport::http_response{200, {}, R"({"data":[{"index":0,"embedding":[1]}]})"};
    });
    EXPECT_THROW(bad.embed({"a", "b"}), provider_error);
}

// An answer past a limit is capacity_exceeded naming the knob and is not retried (the next attempt would bring
// the same answer); a garbled one stays a retryable parse_error. The stream's limits come from the config.
TEST(OpenAiProvider, AnswersPastALimitAreNotRetried) {
    auto expect_over_limit = [](auto&& call, const std::string& knob) {
        try {
            call();
            FAIL() << knob;
        } catch (const provider_error& e) {
            EXPECT_EQ(e.code(), errc::capacity_exceeded) << e.what();
            EXPECT_FALSE(e.retryable()) << e.what();
            EXPECT_EQ(e.field(), knob) << e.what();
        }
    };
    const std::string deep = std::string(100000, '[') + std::string(100000, ']');
    auto deep_body = make([&](const transport::http_request&) { return transport::http_response{200, {}, deep}; });
    expect_over_limit([&] { deep_body.complete({}); }, "json.max_depth");
    expect_over_limit([&] { deep_body.embed({"x"}); }, "json.max_depth");

    const std::string chunk = "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"0123456789\"}}]}\n\n";
    std::string endless;
    for (int i = 0; i < 20; ++i) endless += chunk;
    auto streamed = make([&](const transport::http_request&) {
        return transport::http_response{200, {}, endless + "data: [DONE]\n\n"};
    });
    EXPECT_NO_THROW(streamed.stream({}, {}));
    openai_provider<fake_transport>::config small = streamed.configuration();
    small.stream_limits.max_streamed_bytes = 100;
    openai_provider<fake_transport> capped(small, fake_transport([&](const transport::http_request&) {
                                               return transport::http_response{200, {}, endless + "data: [DONE]\n\n"};
                                           }));
    expect_over_limit([&] { capped.stream({}, {}); }, "model.max_streamed_bytes");

    small = streamed.configuration();
    small.sse.max_event_bytes = 32;
    openai_provider<fake_transport> small_events(small, fake_transport([&](const transport::http_request&) {
                                                     return transport::http_response{200, {}, endless};
                                                 }));
    expect_over_limit([&] { small_events.stream({}, {}); }, "sse.max_event_bytes");

    auto garbled = make([](const transport::http_request&) {
        return transport::http_response{200, {}, "{\"choices\":"};
    });
    try {
        garbled.complete({});
        FAIL();
    } catch (const provider_error& e) {
        EXPECT_EQ(e.code(), errc::parse_error);
        EXPECT_TRUE(e.retryable());
    }
}
