// The Anthropic Messages wire format and provider over the in_process transport: requests encoded exactly,
// responses and every stream event type decoded, streams split at every byte, hostile streams stopped at
// their limits, error bodies classified for retry - without sockets (tests/integration/http_anthropic.cpp
// covers real HTTP).
#include <agentkit/json/document.hpp>
#include <agentkit/model/anthropic_provider.hpp>
#include <agentkit/model/any_provider.hpp>
#include <agentkit/transport/in_process.hpp>

#include <agentkit_test/anthropic_events.hpp>
#include <agentkit_test/error_of.hpp>
#include <agentkit_test/in_process_providers.hpp>
#include <gtest/gtest.h>

#include <cstdlib>
#include <string>
#include <vector>

using namespace agentkit;
using namespace agentkit::model;
using fake_transport = transport::in_process<>;
using ant_provider = anthropic_provider<fake_transport>;

static_assert(streaming_provider<ant_provider>);

using agentkit_test::error_of;

namespace {
ant_provider make(agentkit_test::in_process_handler h, std::size_t piece = 64) {
    return agentkit_test::anthropic_in_process(std::move(h), piece);
}
transport::http_response ok(std::string body) { return {200, {}, std::move(body)}; }

using agentkit_test::anthropic_events::event;
using agentkit_test::anthropic_events::text_stream;
using agentkit_test::anthropic_events::tool_stream;

}  // namespace

// ---- requests ---------------------------------------------------------------------------------------------

TEST(AnthropicWire, EncodesSystemToolUseAndToolResults) {
    chat_request r;
    r.messages.push_back(message::system("be brief"));
    r.messages.push_back(message::user("hi \"there\"\n"));
    r.messages.push_back(message::assistant("", {{"toolu_1", "add", R"({"a":1})"}, {"toolu_2", "now", ""}}));
    r.messages.push_back(message::tool_result("toolu_1", "2", "add"));
    r.messages.push_back(message::tool_result("toolu_2", "noon"));
    r.messages.push_back(message::assistant("It is noon; 1+1=2."));
    r.tools.push_back({"add", "adds", R"({"type":"object"})"});
    r.temperature = 0.5;
    EXPECT_EQ(
        anthropic::encode_request(r, "claude-default", 4096, true),
        R"({"model":"claude-default","max_tokens":4096,"system":"be brief","messages":[)"
        R"({"role":"user","content":"hi \"there\"\n"},)"
        R"({"role":"assistant","content":[{"type":"tool_use","id":"toolu_1","name":"add","input":{"a":1}},)"
        R"({"type":"tool_use","id":"toolu_2","name":"now","input":{}}]},)"
        R"({"role":"user","content":[{"type":"tool_result","tool_use_id":"toolu_1","content":"2"},)"
        R"({"type":"tool_result","tool_use_id":"toolu_2","content":"noon"}]},)"
        R"({"role":"assistant","content":"It is noon; 1+1=2."}],)"
        R"("tools":[{"name":"add","description":"adds","input_schema":{"type":"object"}}],"temperature":0.5,"stream":true})");
}

// The body the official TypeScript SDK (@anthropic-ai/sdk 1.17.0) sent for this conversation written as its
// documentation says (system prompt, a text + tool_use turn, a tool_result turn, one tool), recorded at our
// test server: the encoder writes the same bytes.
TEST(AnthropicWire, MatchesTheBodyTheOfficialSdkSends) {
    chat_request r;
    r.model = "claude-test";
    r.max_tokens = 256;
    r.messages.push_back(message::system("be brief"));
    r.messages.push_back(message::user("what is the weather in Paris?"));
    r.messages.push_back(message::assistant("Let me check.", {{"toolu_01", "get_weather", R"({"city":"Paris"})"}}));
    r.messages.push_back(message::tool_result("toolu_01", "sunny, 21 C"));
    r.tools.push_back({"get_weather", "weather for a city",
                       R"({"type":"object","properties":{"city":{"type":"string"}},"required":["city"]})"});
    EXPECT_EQ(
        anthropic::encode_request(r, "unused", 1, false),
        R"({"model":"claude-test","max_tokens":256,"system":"be brief","messages":[{"role":"user","content":"what is the weather in Paris?"},)"
        R"({"role":"assistant","content":[{"type":"text","text":"Let me check."},{"type":"tool_use","id":"toolu_01","name":"get_weather","input":{"city":"Paris"}}]},)"
        R"({"role":"user","content":[{"type":"tool_result","tool_use_id":"toolu_01","content":"sunny, 21 C"}]}],)"
        R"("tools":[{"name":"get_weather","description":"weather for a city","input_schema":{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}}]})");
}

TEST(AnthropicWire, MergesTurnsTheWayTheApiWantsThem) {
    chat_request r;
    r.model = "claude-x";
    r.max_tokens = 10;
    r.messages.push_back(message::system("first"));
    r.messages.push_back(message::user("q"));
    r.messages.push_back(message::assistant("thinking aloud", {{"t1", "f", " {\"x\": [1, 2]} "}}));
    r.messages.push_back(message::tool_result("t1", ""));
    r.messages.push_back(message::user("and then?"));
    r.messages.push_back(message::system("second"));  // a system message anywhere joins the top-level system
    r.messages.push_back(message::assistant("a"));
    r.messages.push_back(message::assistant("b"));
    r.messages.push_back(message::user("odd order"));
    r.messages.push_back(message::tool_result("t2", "late"));  // still written before the text
    EXPECT_EQ(
        anthropic::encode_request(r, "unused", 4096, false),
        R"({"model":"claude-x","max_tokens":10,"system":"first\n\nsecond","messages":[{"role":"user","content":"q"},)"
        R"({"role":"assistant","content":[{"type":"text","text":"thinking aloud"},{"type":"tool_use","id":"t1","name":"f","input":{"x": [1, 2]}}]},)"
        R"({"role":"user","content":[{"type":"tool_result","tool_use_id":"t1"},{"type":"text","text":"and then?"}]},)"
        R"({"role":"assistant","content":[{"type":"text","text":"a"},{"type":"text","text":"b"}]},)"
        R"({"role":"user","content":[{"type":"tool_result","tool_use_id":"t2","content":"late"},{"type":"text","text":"odd order"}]}]})");
}

TEST(AnthropicWire, RefusesWhatTheApiCannotTake) {
    chat_request r;
    r.messages.push_back(message::assistant("", {{"t1", "f", "[1,2]"}}));
    EXPECT_EQ(error_of([&] { anthropic::encode_request(r, "m", 1, false); }).field(),
              "messages[0].tool_calls[0].arguments");
    r.messages[0] = message::assistant("", {{"t1", "f", "{\"cut\":"}});
    EXPECT_EQ(error_of([&] { anthropic::encode_request(r, "m", 1, false); }).field(),
              "messages[0].tool_calls[0].arguments");
    r.messages.clear();
    r.tools.push_back({"t", "", "{bad"});
    auto e = error_of([&] { anthropic::encode_request(r, "m", 1, false); });
    EXPECT_EQ(e.field(), "tools[0].input_schema");
    EXPECT_EQ(e.code(), errc::invalid_argument);
}

// ---- whole responses --------------------------------------------------------------------------------------

TEST(AnthropicWire, DecodesAResponse) {
    const auto r = anthropic::decode_response(
        R"({"id":"msg_1","type":"message","role":"assistant","model":"claude-test","content":[)"
        R"({"type":"thinking","thinking":"hmm","signature":"sig"},{"type":"text","text":"Let me "},{"type":"text","text":"check."},)"
        R"({"type":"tool_use","id":"toolu_01","name":"get_weather","input":{"city": "Paris", "days": [1, 2]}}],)"
        R"("stop_reason":"tool_use","stop_sequence":null,)"
        R"("usage":{"input_tokens":20,"cache_creation_input_tokens":3,"cache_read_input_tokens":2,"output_tokens":7}})");
    EXPECT_EQ(r.reply.content(), "Let me check.");
    ASSERT_EQ(r.reply.tool_calls().size(), 1u);
    EXPECT_EQ(r.reply.tool_calls()[0], (tool_call{"toolu_01", "get_weather", R"({"city":"Paris","days":[1,2]})"}));
    EXPECT_EQ(r.finish_reason, "tool_calls");
    EXPECT_EQ(r.tokens, (usage{25, 7}));
    EXPECT_EQ(r.model, "claude-test");

    EXPECT_EQ(anthropic::decode_response(R"({"content":[{"type":"tool_use","name":"f"}]})").reply.tool_calls()[0],
              (tool_call{"toolu_0", "f", "{}"}));
    EXPECT_EQ(error_of([] { anthropic::decode_response(R"({"content":{}})"); }).field(), "content");
    EXPECT_EQ(error_of([] { anthropic::decode_response(R"({"content":[{"text":"x"}]})"); }).field(), "content[0].type");
    EXPECT_EQ(error_of([] {
                  anthropic::decode_response(R"({"content":[{"type":"tool_use","name":"f","input":"{}"}]})");
              }).field(),
              "content[0].input");
    EXPECT_EQ(error_of([] { anthropic::decode_response(R"({"content":[{"type":"tool_use","id":"x"}]})"); }).field(),
              "content[0].name");
    EXPECT_EQ(error_of([] { anthropic::decode_response(R"({"content":[],"usage":{"input_tokens":-1}})"); }).field(),
              "usage.input_tokens");
}

TEST(AnthropicWire, MapsStopReasons) {
    EXPECT_EQ(anthropic::finish_reason_of("end_turn"), "stop");
    EXPECT_EQ(anthropic::finish_reason_of("stop_sequence"), "stop");
    EXPECT_EQ(anthropic::finish_reason_of("max_tokens"), "length");
    EXPECT_EQ(anthropic::finish_reason_of("model_context_window_exceeded"), "length");
    EXPECT_EQ(anthropic::finish_reason_of("tool_use"), "tool_calls");
    EXPECT_EQ(anthropic::finish_reason_of("refusal"), "content_filter");
    EXPECT_EQ(anthropic::finish_reason_of("pause_turn"), "pause_turn");
    EXPECT_EQ(anthropic::finish_reason_of(""), "");
}

// ---- errors -----------------------------------------------------------------------------------------------

TEST(AnthropicWire, ClassifiesErrorBodies) {
    auto body = [](const std::string& type, const std::string& msg) {
        return R"({"type":"error","error":{"type":")" + type + R"(","message":")" + msg + R"("},"request_id":"req_1"})";
    };
    auto overloaded = anthropic::decode_error(529, body("overloaded_error", "Overloaded"));
    EXPECT_TRUE(overloaded.retryable());
    EXPECT_EQ(overloaded.code(), errc::unavailable);
    EXPECT_EQ(overloaded.http_status(), 529);
    EXPECT_NE(std::string(overloaded.what()).find("HTTP 529: Overloaded (overloaded_error)"), std::string::npos)
        << overloaded.what();
    EXPECT_EQ(to_failure(overloaded).http_status, 529);  // the resilience classifier retries 5xx

    auto limited = anthropic::decode_error(429, body("rate_limit_error", "slow down"), std::chrono::seconds(7));
    EXPECT_TRUE(limited.retryable());
    EXPECT_EQ(limited.code(), errc::rate_limited);
    EXPECT_EQ(limited.retry_after(), std::chrono::milliseconds(7000));
    EXPECT_TRUE(anthropic::decode_error(500, body("api_error", "Internal server error")).retryable());

    auto bad = anthropic::decode_error(400, body("invalid_request_error", "max_tokens: Field required"));
    EXPECT_FALSE(bad.retryable());
    EXPECT_EQ(bad.code(), errc::invalid_argument);
    EXPECT_NE(std::string(bad.what()).find("max_tokens: Field required (invalid_request_error)"), std::string::npos);
    EXPECT_FALSE(anthropic::decode_error(401, body("authentication_error", "invalid x-api-key")).retryable());
    EXPECT_FALSE(anthropic::decode_error(403, body("permission_error", "no")).retryable());
    EXPECT_EQ(anthropic::decode_error(404, body("not_found_error", "model: nope")).code(), errc::not_found);

    auto html = anthropic::decode_error(502, "<html>Bad Gateway</html>");  // a proxy's page, not JSON
    EXPECT_TRUE(html.retryable());
    EXPECT_NE(std::string(html.what()).find("<html>Bad Gateway</html>"), std::string::npos);

    // Inside a 200 stream there is no error status: the type decides.
    auto mid_overloaded = anthropic::decode_error(200, body("overloaded_error", "Overloaded"));
    EXPECT_TRUE(mid_overloaded.retryable());
    EXPECT_EQ(mid_overloaded.code(), errc::unavailable);
    EXPECT_EQ(to_failure(mid_overloaded).http_status, 0);
    EXPECT_EQ(anthropic::decode_error(200, body("rate_limit_error", "x")).code(), errc::rate_limited);
    EXPECT_EQ(anthropic::decode_error(200, body("timeout_error", "x")).code(), errc::timeout);
    EXPECT_FALSE(anthropic::decode_error(200, body("invalid_request_error", "x")).retryable());
    EXPECT_FALSE(anthropic::decode_error(200, body("authentication_error", "x")).retryable());
    EXPECT_TRUE(anthropic::decode_error(200, body("some_new_error", "x")).retryable());
    EXPECT_TRUE(anthropic::decode_error(200, "garbage").retryable());
}

// ---- stream events ----------------------------------------------------------------------------------------

TEST(AnthropicStream, EveryEventType) {
    anthropic::stream_decoder d;
    EXPECT_FALSE(d.decode("message_start",
                          R"({"type":"message_start","message":{"model":"claude-test","content":[],)"
                          R"("usage":{"input_tokens":10,"cache_read_input_tokens":5,"output_tokens":1}}})"));
    EXPECT_EQ(d.model(), "claude-test");
    EXPECT_EQ(d.tokens(), (usage{15, 1}));
    EXPECT_FALSE(d.decode("ping", R"({"type":"ping"})"));
    EXPECT_FALSE(d.decode("content_block_start",
                          R"({"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}})"));
    auto text = d.decode("content_block_delta",
                         R"({"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Hi"}})");
    ASSERT_TRUE(text);
    EXPECT_EQ(text->content, "Hi");
    EXPECT_FALSE(d.decode("content_block_stop", R"({"type":"content_block_stop","index":0})"));
    // Thinking blocks and their deltas have no place in agentkit's message.
    EXPECT_FALSE(
        d.decode("content_block_start",
                 R"({"type":"content_block_start","index":1,"content_block":{"type":"thinking","thinking":""}})"));
    EXPECT_FALSE(
        d.decode("content_block_delta",
                 R"({"type":"content_block_delta","index":1,"delta":{"type":"thinking_delta","thinking":"hm"}})"));
    EXPECT_FALSE(
        d.decode("content_block_delta",
                 R"({"type":"content_block_delta","index":1,"delta":{"type":"signature_delta","signature":"s"}})"));
    auto start = d.decode(
        "content_block_start",
        R"({"type":"content_block_start","index":2,"content_block":{"type":"tool_use","id":"toolu_9","name":"f","input":{}}})");
    ASSERT_TRUE(start);
    ASSERT_EQ(start->tool_calls.size(), 1u);
    EXPECT_EQ(start->tool_calls[0].index, 0u);  // block 2 is the first tool call
    EXPECT_EQ(start->tool_calls[0].id, "toolu_9");
    EXPECT_EQ(start->tool_calls[0].name, "f");
    EXPECT_EQ(start->tool_calls[0].arguments, "");
    auto json_piece = d.decode(
        "content_block_delta",
        R"({"type":"content_block_delta","index":2,"delta":{"type":"input_json_delta","partial_json":"{\"a\""}})");
    ASSERT_TRUE(json_piece);
    EXPECT_EQ(json_piece->tool_calls[0].index, 0u);
    EXPECT_EQ(json_piece->tool_calls[0].arguments, "{\"a\"");
    EXPECT_FALSE(
        d.decode("content_block_delta",
                 R"({"type":"content_block_delta","index":2,"delta":{"type":"input_json_delta","partial_json":""}})"));
    EXPECT_FALSE(
        d.decode("message_delta",
                 R"({"type":"message_delta","delta":{"stop_reason":"tool_use"},"usage":{"output_tokens":30}})"));
    EXPECT_EQ(d.finish_reason(), "tool_calls");
    EXPECT_EQ(d.tokens(), (usage{15, 30}));
    EXPECT_FALSE(d.done());
    EXPECT_FALSE(d.decode("some_future_event", R"({"type":"some_future_event","index":7})"));  // ignored
    EXPECT_FALSE(d.decode("message_stop", R"({"type":"message_stop"})"));
    EXPECT_TRUE(d.done());

    // The payload's type wins over the SSE name, which stands in when the payload has none.
    anthropic::stream_decoder by_name;
    EXPECT_FALSE(by_name.decode("message_stop", "{}"));
    EXPECT_TRUE(by_name.done());
}

TEST(AnthropicStream, ErrorEventsThrowClassifiedErrors) {
    anthropic::stream_decoder d;
    try {
        d.decode("error", R"({"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}})");
        FAIL();
    } catch (const provider_error& e) {
        EXPECT_TRUE(e.retryable());
        EXPECT_EQ(e.code(), errc::unavailable);
        EXPECT_NE(std::string(e.what()).find("Overloaded (overloaded_error)"), std::string::npos) << e.what();
    }
    try {
        d.decode("error", R"({"type":"error","error":{"type":"invalid_request_error","message":"bad"}})");
        FAIL();
    } catch (const provider_error& e) {
        EXPECT_FALSE(e.retryable());
    }
}

TEST(AnthropicStream, HostileEvents) {
    anthropic::stream_decoder d(delta_accumulator::config{.max_streamed_bytes = 1024, .max_streamed_tool_calls = 3});
    // Nesting past json.max_depth stops the parser; nothing else is a crash either.
    const std::string deep =
        R"({"type":"content_block_delta","index":0,"delta":)" + std::string(5000, '[') + std::string(5000, ']') + "}";
    auto e = error_of([&] { d.decode("content_block_delta", deep); });
    EXPECT_EQ(e.code(), errc::capacity_exceeded);
    EXPECT_EQ(e.field(), "json.max_depth");
    EXPECT_EQ(error_of([&] { d.decode("x", "[1]"); }).field(), "stream event");
    EXPECT_EQ(error_of([&] { d.decode("x", "{\"type\":\"x\"} trailing"); }).code(), errc::parse_error);
    EXPECT_EQ(error_of([&] { d.decode("x", R"({"type":"content_block_delta","delta":{}})"); }).field(),
              "content_block_delta.index");
    EXPECT_EQ(error_of([&] { d.decode("x", R"({"type":"content_block_delta","index":-1,"delta":{}})"); }).field(),
              "content_block_delta.index");
    EXPECT_EQ(error_of([&] {
                  d.decode("x", R"({"type":"content_block_delta","index":99999999999999999999999,"delta":{}})");
              }).field(),
              "content_block_delta.index");
    // input_json_delta for a block that never started as tool_use.
    EXPECT_EQ(
        error_of([&] {
            d.decode(
                "x",
                R"({"type":"content_block_delta","index":0,"delta":{"type":"input_json_delta","partial_json":"{"}})");
        }).field(),
        "content_block_delta.index");
    EXPECT_EQ(error_of([&] {
                  d.decode("x",
                           R"({"type":"content_block_start","index":0,"content_block":{"type":"tool_use","id":"x"}})");
              }).field(),
              "content_block_start.content_block.name");

    // The largest block index there is maps to tool call 0: the index is a key, never a size.
    auto huge = d.decode(
        "x",
        R"({"type":"content_block_start","index":18446744073709551615,"content_block":{"type":"tool_use","id":"a","name":"f"}})");
    ASSERT_TRUE(huge);
    EXPECT_EQ(huge->tool_calls[0].index, 0u);
    auto more = d.decode(
        "x",
        R"({"type":"content_block_delta","index":18446744073709551615,"delta":{"type":"input_json_delta","partial_json":"{}"}})");
    ASSERT_TRUE(more);
    EXPECT_EQ(more->tool_calls[0].index, 0u);
    // Tool calls past the limit: the decoder stops before remembering another block.
    d.decode("x",
             R"({"type":"content_block_start","index":1,"content_block":{"type":"tool_use","id":"b","name":"f"}})");
    d.decode("x",
             R"({"type":"content_block_start","index":1,"content_block":{"type":"tool_use","id":"c","name":"f"}})");
    auto over = error_of([&] {
        d.decode("x",
                 R"({"type":"content_block_start","index":2,"content_block":{"type":"tool_use","id":"d","name":"f"}})");
    });
    EXPECT_EQ(over.code(), errc::capacity_exceeded);
    EXPECT_EQ(over.field(), "model.max_streamed_tool_calls");
}

// ---- the provider over in_process -----------------------------------------------------------------------------

TEST(AnthropicProvider, CompleteSendsHeadersAndDecodes) {
    transport::http_request seen;
    auto p = make([&](const transport::http_request& r) {
        seen = r;
        return ok(
            R"({"type":"message","model":"claude-test","content":[{"type":"text","text":"hello"}],"stop_reason":"end_turn",)"
            R"("usage":{"input_tokens":3,"output_tokens":2}})");
    });
    chat_request r;
    r.messages.push_back(message::user("hi"));
    auto res = p.complete(r);
    EXPECT_EQ(seen.url, "http://model.local/v1/messages");
    EXPECT_EQ(seen.header("x-api-key"), "sk-ant-test");
    EXPECT_EQ(seen.header("anthropic-version"), "2023-06-01");
    EXPECT_EQ(seen.header("content-type"), "application/json");
    EXPECT_FALSE(seen.header("authorization"));
    EXPECT_EQ(seen.body, R"({"model":"claude-test","max_tokens":4096,"messages":[{"role":"user","content":"hi"}]})");
    EXPECT_EQ(res.reply.content(), "hello");
    EXPECT_EQ(res.finish_reason, "stop");
    EXPECT_EQ(res.tokens, (usage{3, 2}));

    // A proxy that answers an error with 200 is still an error, classified by its type.
    auto proxied = make([](const transport::http_request&) {
        return ok(R"({"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}})");
    });
    EXPECT_TRUE(error_of<provider_error>([&] { proxied.complete(r); }).retryable());
    // A conversation the API cannot take fails before any request, as invalid_argument.
    chat_request bad;
    bad.messages.push_back(message::assistant("", {{"t", "f", "not json"}}));
    EXPECT_EQ(error_of([&] { p.complete(bad); }).code(), errc::invalid_argument);
}

// A tool call whose input arrives in many input_json_delta events, split at every byte on the way: the
// streamed reply equals the whole one, and the deltas add up to it.
TEST(AnthropicProvider, StreamedToolCallEqualsTheWholeReply) {
    const std::string input = R"({"location": "San Francisco, CA", "unit": "fahrenheit", "days": [1, 2, 3]})";
    const std::string sse = tool_stream(input, 40);
    const auto whole =
        anthropic::decode_response(R"({"model":"claude-test","content":[{"type":"text","text":"Let me check."},)"
                                   R"({"type":"tool_use","id":"toolu_01","name":"get_weather","input":)" +
                                   input +
                                   R"(}],)"
                                   R"("stop_reason":"tool_use","usage":{"input_tokens":25,"output_tokens":89}})");
    for (std::size_t piece : {1u, 2u, 7u, 100000u}) {
        auto p = make(
            [&](const transport::http_request& r) {
                EXPECT_NE(r.body.find(R"("stream":true)"), std::string::npos);
                EXPECT_EQ(r.header("accept"), "text/event-stream");
                return ok(sse);
            },
            piece);
        std::string text, args;
        std::size_t tool_deltas = 0;
        auto r = p.stream({}, [&](const chat_delta& d) {
            text += d.content;
            for (const auto& t : d.tool_calls) {
                EXPECT_EQ(t.index, 0u);
                args += t.arguments;
                ++tool_deltas;
            }
        });
        EXPECT_EQ(text, "Let me check.") << piece;
        EXPECT_EQ(args, input);  // the pieces as sent
        EXPECT_GT(tool_deltas, 30u);
        EXPECT_EQ(r.reply, whole.reply);  // the final arguments in the whole reply's compact form
        EXPECT_EQ(r.finish_reason, "tool_calls");
        EXPECT_EQ(r.tokens, (usage{25, 89}));
        EXPECT_EQ(r.model, "claude-test");
    }
    // A tool without input streams none; the reply says {} as a whole one does.
    std::string bare = tool_stream("", 1);
    auto p = make([&](const transport::http_request&) { return ok(bare); });
    EXPECT_EQ(p.stream({}, {}).reply.tool_calls()[0].arguments, "{}");
}

TEST(AnthropicProvider, StreamEndsAtMessageStopOrFailsRetryably) {
    const std::string sse = tool_stream(R"({"a":1})", 2);
    // After message_stop nothing more is read, not even garbage.
    auto after = make([&](const transport::http_request&) { return ok(sse + "data: {garbage\n\n"); }, 16);
    EXPECT_EQ(after.stream({}, {}).reply.tool_calls()[0].arguments, R"({"a":1})");

    const auto cut = sse.substr(0, sse.rfind("event: message_stop"));
    auto short_stream = make([&](const transport::http_request&) { return ok(cut); });
    auto e = error_of<provider_error>([&] { short_stream.stream({}, {}); });
    EXPECT_EQ(e.code(), errc::unavailable);
    EXPECT_TRUE(e.retryable());

    auto garbled = make([&](const transport::http_request&) { return ok(event("content_block_delta", "{\"type\":")); });
    auto g = error_of<provider_error>([&] { garbled.stream({}, {}); });
    EXPECT_EQ(g.code(), errc::parse_error);
    EXPECT_TRUE(g.retryable());

    auto overloaded = make([&](const transport::http_request&) {
        return ok(sse.substr(0, sse.find("event: content_block_start")) +
                  event("error", R"({"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}})"));
    });
    auto o = error_of<provider_error>([&] { overloaded.stream({}, {}); });
    EXPECT_EQ(o.code(), errc::unavailable);
    EXPECT_TRUE(o.retryable());
    EXPECT_NE(std::string(o.what()).find("mid-stream: Overloaded (overloaded_error)"), std::string::npos) << o.what();

    auto refused = make([](const transport::http_request&) {
        return transport::http_response{
            400, {}, R"({"type":"error","error":{"type":"invalid_request_error","message":"bad"}})"};
    });
    auto b = error_of<provider_error>([&] { refused.stream({}, {}); });
    EXPECT_FALSE(b.retryable());
    EXPECT_EQ(b.http_status(), 400);
    auto limited = make([](const transport::http_request&) {
        return transport::http_response{
            429, {{"retry-after", "3"}}, R"({"type":"error","error":{"type":"rate_limit_error","message":"x"}})"};
    });
    EXPECT_EQ(error_of<provider_error>([&] { limited.complete({}); }).retry_after(), std::chrono::milliseconds(3000));
}

// Answers past a limit are capacity_exceeded naming the knob and are not retried; the limits come from the config.
TEST(AnthropicProvider, AnswersPastALimitAreNotRetried) {
    auto expect_over_limit = [](auto&& call, const std::string& knob) {
        auto e = error_of<provider_error>(call);
        EXPECT_EQ(e.code(), errc::capacity_exceeded) << e.what();
        EXPECT_FALSE(e.retryable()) << e.what();
        EXPECT_EQ(e.field(), knob) << e.what();
    };
    std::string endless = event(
        "content_block_start", R"({"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}})");
    for (int i = 0; i < 50; ++i)
        endless +=
            event("content_block_delta",
                  R"({"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"0123456789"}})");
    auto cfg = make([](const transport::http_request&) { return ok(""); }).configuration();
    cfg.stream_limits.max_streamed_bytes = 100;
    ant_provider capped(cfg, fake_transport([&](const transport::http_request&) { return ok(endless); }));
    expect_over_limit([&] { capped.stream({}, {}); }, "model.max_streamed_bytes");

    std::string many;
    for (int i = 0; i < 20; ++i)
        many += event("content_block_start",
                      R"({"type":"content_block_start","index":)" + std::to_string(i) +
                          R"(,"content_block":{"type":"tool_use","id":"t","name":"f"}})");
    cfg = capped.configuration();
    cfg.stream_limits = {};
    cfg.stream_limits.max_streamed_tool_calls = 8;
    ant_provider few_tools(cfg, fake_transport([&](const transport::http_request&) { return ok(many); }));
    expect_over_limit([&] { few_tools.stream({}, {}); }, "model.max_streamed_tool_calls");

    cfg = few_tools.configuration();
    cfg.sse.max_event_bytes = 64;
    ant_provider small_events(cfg, fake_transport([&](const transport::http_request&) { return ok(endless); }));
    expect_over_limit([&] { small_events.stream({}, {}); }, "sse.max_event_bytes");

    const std::string deep = std::string(100000, '[') + std::string(100000, ']');
    auto deep_body = make([&](const transport::http_request&) { return ok(deep); });
    expect_over_limit([&] { deep_body.complete({}); }, "json.max_depth");
}

TEST(AnthropicProvider, TransportErrorsBecomeRetryableProviderErrors) {
    auto p = make([](const transport::http_request&) -> transport::http_response {
        throw error(errc::timeout, "waiting timed out after 5 ms", "http.read_timeout");
    });
    auto e = error_of<provider_error>([&] { p.complete({}); });
    EXPECT_TRUE(e.retryable());
    EXPECT_EQ(e.field(), "http.read_timeout");
}

TEST(AnthropicProvider, FitsAnyProviderAndReadsTheEnvironment) {
    any_provider any = make([](const transport::http_request&) { return ok(text_stream("ok")); });
    EXPECT_EQ(any.stream({}, {}).reply.content(), "ok");

    ::unsetenv("AGENTKIT_BASE_URL");
    EXPECT_FALSE(ant_provider::config::from_env());
    ::setenv("AGENTKIT_BASE_URL", "https://api.anthropic.com", 1);
    ::setenv("AGENTKIT_API_KEY", "sk-ant-env", 1);
    ::setenv("AGENTKIT_MODEL", "claude-opus-4-1", 1);
    auto c = ant_provider::config::from_env();
    ASSERT_TRUE(c);
    EXPECT_EQ(c->base_url, "https://api.anthropic.com");
    EXPECT_EQ(c->api_key, "sk-ant-env");
    EXPECT_EQ(c->model, "claude-opus-4-1");
    EXPECT_EQ(c->anthropic_version, "2023-06-01");
    ::unsetenv("AGENTKIT_BASE_URL");
    ::unsetenv("AGENTKIT_API_KEY");
    ::unsetenv("AGENTKIT_MODEL");

    ant_provider::config zero;
    zero.max_tokens = 0;
    EXPECT_THROW(ant_provider(zero, fake_transport([](const transport::http_request&) { return ok(""); })), error);
}
