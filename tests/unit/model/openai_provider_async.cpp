// The OpenAI provider's coroutine API over the in_process transport gives what its synchronous API gives:
// same inputs, same chat_response (or the same provider_error), same deltas - for whole answers, streams
// split at every byte with tool-call deltas and usage, errors with Retry-After, an error event mid-stream and a
// stream cut before [DONE].
#include <agentkit/model/any_provider.hpp>
#include <agentkit/model/openai_provider.hpp>
#include <agentkit/transport/in_process.hpp>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <agentkit_test/in_process_providers.hpp>
#include <agentkit_test/numbered.hpp>
#include <agentkit_test/openai_events.hpp>
#include <agentkit_test/sync_async_outcome.hpp>

#include <gtest/gtest.h>

#include <exception>
#include <optional>
#include <string>
#include <vector>

namespace model_openai_provider_async_test {

using namespace agentkit;
using namespace agentkit::model;
namespace asio = boost::asio;
using fake_transport = transport::in_process<>;
using handler = std::function<transport::http_response(const transport::http_request&)>;

static_assert(async_streaming_provider<openai_provider<fake_transport>>);
static_assert(async_embedding_provider<openai_provider<fake_transport>>);

using agentkit_test::expect_same;
using agentkit_test::outcome;
using agentkit_test::run;

openai_provider<fake_transport> make(handler h, std::size_t piece = 64) {
    return agentkit_test::openai_in_process(std::move(h), piece);
}

// Calls the provider both ways (stream or complete) and returns both outcomes.
std::pair<outcome, outcome> both_ways(const handler& h, bool stream, std::size_t piece = 64) {
    return agentkit_test::both_ways(make, h, stream, piece);
}

const std::string& tool_stream = agentkit_test::openai_events::text_and_tool_stream;

TEST(OpenAiProviderAsync, StreamedToolCallsAndUsageMatchTheSynchronousPath) {
    for (std::size_t piece : {1u, 2u, 7u, 1000u}) {
        const auto [sync, async] = both_ways(
            [](const transport::http_request&) {
                return transport::http_response{200, {}, tool_stream};
            },
            true, piece);
        expect_same(sync, async, agentkit_test::numbered("piece ", piece));
        ASSERT_TRUE(async.response);
        EXPECT_EQ(async.text, "Hello");
        EXPECT_EQ(async.response->reply.tool_calls().at(0), (tool_call{"c1", "f", R"({"a":1})"}));
        EXPECT_EQ(async.response->tokens, (usage{3, 4}));
        EXPECT_EQ(async.response->finish_reason, "tool_calls");
    }
}

TEST(OpenAiProviderAsync, WholeAnswersMatchTheSynchronousPath) {
    const std::string completion =
        R"({"id":"x","model":"m1","choices":[{"index":0,"message":{"role":"assistant","content":null,
      "tool_calls":[{"id":"call_a","type":"function","function":{"name":"lookup","arguments":"{\"q\":\"x\"}"}}]},
      "finish_reason":"tool_calls"}],"usage":{"prompt_tokens":12,"completion_tokens":7,"total_tokens":19}})";
    transport::http_request seen;
    const auto [sync, async] = both_ways(
        [&](const transport::http_request& r) {
            seen = r;
            return transport::http_response{200, {}, completion};
        },
        false);
    expect_same(sync, async, "complete");
    EXPECT_EQ(seen.url, "http://model.local/v1/chat/completions");
    EXPECT_EQ(seen.header("authorization"), "Bearer sk-test");
    ASSERT_TRUE(async.response);
    EXPECT_EQ(async.response->tokens, (usage{12, 7}));
}

TEST(OpenAiProviderAsync, ErrorsMatchTheSynchronousPath) {
    const std::string error_body = R"({"error":{"message":"nope","code":"invalid_api_key"}})";
    const std::vector<agentkit_test::failure_case> cases{
        {"429 retry-after-ms",
         [&](const transport::http_request&) {
             return transport::http_response{429, {{"retry-after-ms", "1500"}}, error_body};
         },
         false, errc::rate_limited, true},
        {"503 Retry-After streamed",
         [&](const transport::http_request&) {
             return transport::http_response{503, {{"Retry-After", "3"}}, error_body};
         },
         true, errc::unavailable, true},
        {"401",
         [&](const transport::http_request&) {
             return transport::http_response{401, {}, error_body};
         },
         false, errc::invalid_argument, false},
        {"error event mid-stream",
         [](const transport::http_request&) {
             return transport::http_response{
                 200,
                 {},
                 "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hi\"}}]}\n\n"
                 "data: {\"error\":{\"message\":\"overloaded\",\"type\":\"server_error\"}}\n\n"};
         },
         true, errc::unavailable, true},
        {"cut before [DONE]",
         [](const transport::http_request&) {
             return transport::http_response{
                 200, {}, tool_stream.substr(0, tool_stream.find("data: {\"choices\":[],"))};
         },
         true, errc::unavailable, true},
        {"cut inside an event",
         [](const transport::http_request&) {
             return transport::http_response{200, {}, tool_stream.substr(0, 40)};
         },
         true, errc::unavailable, true},
        {"garbled",
         [](const transport::http_request&) {
             return transport::http_response{200, {}, "{\"choices\":"};
         },
         false, errc::parse_error, true},
        {"transport timeout",
         [](const transport::http_request&) -> transport::http_response {
             throw error(errc::timeout, "waiting timed out after 5 ms", "http.read_timeout");
         },
         true, errc::timeout, true},
    };
    ASSERT_NO_FATAL_FAILURE(agentkit_test::expect_same_failures(make, cases, 5));
    const auto [sync, async] = both_ways(cases[0].h, false);
    EXPECT_EQ(async.failure->retry_after(), std::chrono::milliseconds(1500));
    const auto [s503, a503] = both_ways(cases[1].h, true);
    EXPECT_EQ(a503.failure->retry_after(), std::chrono::seconds(3));
    const auto [smid, amid] = both_ways(cases[3].h, true);
    EXPECT_EQ(amid.text, "Hi");  // the deltas before the error event were delivered
}

TEST(OpenAiProviderAsync, Embeddings) {
    auto p = make([](const transport::http_request& r) {
        EXPECT_NE(r.body.find(R"("input":["a","b"])"), std::string::npos);
        return transport::http_response{
            200, {}, R"({"data":[{"index":1,"embedding":[0.5]},{"index":0,"embedding":[1,2]}]})"};
    });
    const std::vector<std::string> inputs{"a", "b"};
    EXPECT_EQ(run(p.async_embed(inputs)), p.embed(inputs));
    EXPECT_EQ(run(p.async_embed(inputs)), (std::vector<std::vector<float>>{{1.0f, 2.0f}, {0.5f}}));
}

// any_provider awaits a provider with a coroutine API, and calls one without inline.
TEST(OpenAiProviderAsync, AnyProviderAwaitsIt) {
    any_provider held = make(
        [](const transport::http_request&) {
            return transport::http_response{200, {}, tool_stream};
        },
        3);
    EXPECT_TRUE(held.has_async());
    std::string text;
    const delta_callback on_delta = [&](const chat_delta& d) { text += d.content; };
    const chat_request r;
    auto res = run(held.async_stream(r, on_delta));
    EXPECT_EQ(text, "Hello");
    EXPECT_EQ(res.reply.tool_calls().at(0).arguments, R"({"a":1})");
    const std::vector<std::string> inputs{"x"};
    any_provider echo = make([](const transport::http_request&) {
        return transport::http_response{200, {}, R"({"data":[{"index":0,"embedding":[3]}]})"};
    });
    EXPECT_EQ(run(echo.async_embed(inputs)), (std::vector<std::vector<float>>{{3.0f}}));
}

}  // namespace model_openai_provider_async_test
