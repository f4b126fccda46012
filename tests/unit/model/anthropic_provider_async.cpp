// The Anthropic provider's coroutine API over the in_process transport gives what its synchronous API gives:
// same inputs, same chat_response (or the same provider_error), same deltas - for whole answers, streams
// split at every byte with tool-input deltas and usage, errors with Retry-After (429, 529 overloaded), error
// events mid-stream and streams cut before message_stop.
#include <agentkit/json/document.hpp>
#include <agentkit/model/anthropic_provider.hpp>
#include <agentkit/model/any_provider.hpp>
#include <agentkit/transport/in_process.hpp>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <agentkit_test/in_process_providers.hpp>
#include <agentkit_test/numbered.hpp>
#include <agentkit_test/sync_async_outcome.hpp>

#include <agentkit_test/anthropic_events.hpp>
#include <gtest/gtest.h>

#include <exception>
#include <optional>
#include <string>
#include <vector>

namespace model_anthropic_provider_async_test {

using namespace agentkit;
using namespace agentkit::model;
namespace asio = boost::asio;
using fake_transport = transport::in_process<>;
using ant_provider = anthropic_provider<fake_transport>;
using handler = std::function<transport::http_response(const transport::http_request&)>;

static_assert(async_streaming_provider<ant_provider>);

using agentkit_test::expect_same;
using agentkit_test::outcome;
using agentkit_test::run;

ant_provider make(handler h, std::size_t piece = 64) {
    return agentkit_test::anthropic_in_process(std::move(h), piece);
}

transport::http_response ok(std::string body) { return {200, {}, std::move(body)}; }
using agentkit_test::anthropic_events::event;
using agentkit_test::anthropic_events::text_stream;
using agentkit_test::anthropic_events::tool_stream;

// Calls the provider both ways (stream or complete) and returns both outcomes.
std::pair<outcome, outcome> both_ways(const handler& h, bool stream, std::size_t piece = 64) {
    return agentkit_test::both_ways(make, h, stream, piece);
}

const std::string input = R"({"location": "San Francisco, CA", "unit": "fahrenheit", "days": [1, 2, 3]})";

TEST(AnthropicProviderAsync, StreamedToolInputAndUsageMatchTheSynchronousPath) {
    const std::string sse = tool_stream(input, 40);
    for (std::size_t piece : {1u, 2u, 7u, 100000u}) {
        const auto [sync, async] = both_ways([&](const transport::http_request&) { return ok(sse); }, true, piece);
        expect_same(sync, async, agentkit_test::numbered("piece ", piece));
        ASSERT_TRUE(async.response);
        EXPECT_EQ(async.text, "Let me check.");
        EXPECT_EQ(async.arguments, input);
        EXPECT_EQ(async.response->reply.tool_calls().at(0).name, "get_weather");
        EXPECT_EQ(async.response->finish_reason, "tool_calls");
        EXPECT_EQ(async.response->tokens, (usage{25, 89}));
    }
}

TEST(AnthropicProviderAsync, WholeAnswersMatchTheSynchronousPath) {
    transport::http_request seen;
    const auto [sync, async] = both_ways(
        [&](const transport::http_request& r) {
            seen = r;
            return ok(
                R"({"type":"message","model":"claude-test","content":[{"type":"text","text":"hello"}],"stop_reason":"end_turn",)"
                R"("usage":{"input_tokens":3,"output_tokens":2}})");
        },
        false);
    expect_same(sync, async, "complete");
    EXPECT_EQ(seen.url, "http://model.local/v1/messages");
    EXPECT_EQ(seen.header("x-api-key"), "sk-ant-test");
    ASSERT_TRUE(async.response);
    EXPECT_EQ(async.response->reply.content(), "hello");
    EXPECT_EQ(async.response->tokens, (usage{3, 2}));
}

TEST(AnthropicProviderAsync, ErrorsMatchTheSynchronousPath) {
    const std::string sse = tool_stream(R"({"a":1})", 2);
    const std::string before_blocks = sse.substr(0, sse.find("event: content_block_start"));
    const std::vector<agentkit_test::failure_case> cases{
        {"429 retry-after",
         [](const transport::http_request&) {
             return transport::http_response{
                 429, {{"retry-after", "3"}}, R"({"type":"error","error":{"type":"rate_limit_error","message":"x"}})"};
         },
         false, errc::rate_limited, true},
        {"529 overloaded",
         [](const transport::http_request&) {
             return transport::http_response{
                 529,
                 {{"retry-after-ms", "250"}},
                 R"({"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}})"};
         },
         true, errc::unavailable, true},
        {"400",
         [](const transport::http_request&) {
             return transport::http_response{
                 400, {}, R"({"type":"error","error":{"type":"invalid_request_error","message":"bad"}})"};
         },
         true, errc::invalid_argument, false},
        {"overloaded event mid-stream",
         [&](const transport::http_request&) {
             return ok(
                 sse.substr(0, sse.find("event: content_block_stop")) +
                 event("error", R"({"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}})"));
         },
         true, errc::unavailable, true},
        {"invalid_request event mid-stream",
         [&](const transport::http_request&) {
             return ok(before_blocks +
                       event("error", R"({"type":"error","error":{"type":"invalid_request_error","message":"bad"}})"));
         },
         true, errc::invalid_argument, false},
        {"cut before message_stop",
         [&](const transport::http_request&) { return ok(sse.substr(0, sse.rfind("event: message_stop"))); }, true,
         errc::unavailable, true},
        {"cut inside an event", [&](const transport::http_request&) { return ok(sse.substr(0, sse.size() - 5)); }, true,
         errc::unavailable, true},
        {"garbled", [&](const transport::http_request&) { return ok(event("content_block_delta", "{\"type\":")); },
         true, errc::parse_error, true},
        {"proxied error body",
         [](const transport::http_request&) {
             return ok(R"({"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}})");
         },
         false, errc::unavailable, true},
        {"transport timeout",
         [](const transport::http_request&) -> transport::http_response {
             throw error(errc::timeout, "waiting timed out after 5 ms", "http.read_timeout");
         },
         false, errc::timeout, true},
    };
    ASSERT_NO_FATAL_FAILURE(agentkit_test::expect_same_failures(make, cases, 7));
    EXPECT_EQ(both_ways(cases[0].h, false).second.failure->retry_after(), std::chrono::seconds(3));
    EXPECT_EQ(both_ways(cases[1].h, true).second.failure->retry_after(), std::chrono::milliseconds(250));
    EXPECT_EQ(both_ways(cases[3].h, true).second.text, "Let me check.");  // deltas before the error event arrived
}

TEST(AnthropicProviderAsync, AnyProviderAwaitsIt) {
    any_provider any = make([](const transport::http_request&) { return ok(text_stream("ok")); });
    EXPECT_TRUE(any.has_async());
    const chat_request r;
    const delta_callback none;
    EXPECT_EQ(run(any.async_stream(r, none)).reply.content(), "ok");
}

}  // namespace model_anthropic_provider_async_test
