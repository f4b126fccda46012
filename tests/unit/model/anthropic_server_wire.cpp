// The server's side of the Anthropic Messages wire, checked against the client's side: a request our provider
// writes is read back whole, a response and a stream we write are read by the decoders that read Anthropic's
// own. Errors name the field or the limit.
#include <agentkit/model/anthropic_wire.hpp>
#include <agentkit/transport/sse_parser.hpp>

#include <agentkit_test/error_of.hpp>
#include <gtest/gtest.h>

#include <string>

namespace unit_model_anthropic_server_wire_test {
using namespace agentkit;
namespace anthropic = agentkit::model::anthropic;

namespace {
agentkit::error error_of(std::string_view body, const model::request_limits& limits = {}) {
    SCOPED_TRACE(testing::Message() << "accepted: " << body);
    return agentkit_test::error_of([&] { (void)anthropic::decode_request(body, limits); });
}
}  // namespace

TEST(AnthropicServerWire, ReadsBackWhatTheProviderWrites) {
    model::chat_request rq;
    rq.model = "claude-x";
    rq.messages.push_back(message::system("be brief"));
    rq.messages.push_back(message::user("add 1 and 2"));
    rq.messages.push_back(message::assistant("let me", {tool_call{"toolu_1", "add", R"({"a":1,"b":2})"}}));
    rq.messages.push_back(message::tool_result("toolu_1", "3"));
    rq.messages.push_back(message::user("thanks"));
    rq.tools.push_back({"add", "adds numbers", R"({"type":"object","properties":{"a":{"type":"number"}}})"});
    rq.max_tokens = 99;
    const auto in = anthropic::decode_request(anthropic::encode_request(rq, "unused", 4096, true));
    EXPECT_TRUE(in.stream);
    EXPECT_EQ(in.request.model, "claude-x");
    EXPECT_EQ(in.request.max_tokens, 99u);
    ASSERT_EQ(in.request.messages.size(), 5u);
    EXPECT_EQ(in.request.messages[0].role(), role::system);
    EXPECT_EQ(in.request.messages[0].content(), "be brief");
    EXPECT_EQ(in.request.messages[2].content(), "let me");
    ASSERT_EQ(in.request.messages[2].tool_calls().size(), 1u);
    EXPECT_EQ(in.request.messages[2].tool_calls()[0].arguments, R"({"a":1,"b":2})");
    EXPECT_EQ(in.request.messages[3].role(), role::tool);
    EXPECT_EQ(in.request.messages[3].tool_call_id(), "toolu_1");
    EXPECT_EQ(in.request.messages[3].content(), "3");
    EXPECT_EQ(in.request.messages[4].content(), "thanks");
    ASSERT_EQ(in.request.tools.size(), 1u);
    EXPECT_EQ(in.request.tools[0].parameters_schema, rq.tools[0].parameters_schema);
}

TEST(AnthropicServerWire, ErrorsNameTheFieldAndLimits) {
    EXPECT_EQ(error_of("{}").field(), "messages");
    EXPECT_EQ(error_of(R"({"messages":[{"role":"system","content":"x"}]})").field(), "messages[0].role");
    EXPECT_EQ(error_of(R"({"messages":[{"role":"user","content":[{"type":"image","source":{}}]}]})").field(),
              "messages[0].content[0].type");
    EXPECT_EQ(error_of(R"({"messages":[{"role":"user","content":[{"type":"tool_use","id":"a","name":"b"}]}]})").field(),
              "messages[0].content[0].type");
    EXPECT_EQ(
        error_of(
            R"({"messages":[{"role":"assistant","content":[{"type":"tool_use","id":"a","name":"b","input":[]}]}]})")
            .field(),
        "messages[0].content[0].input");
    EXPECT_EQ(error_of(R"({"system":7,"messages":[]})").field(), "system");
    const auto e =
        error_of(R"({"messages":[{"role":"user","content":"a"},{"role":"user","content":"b"}]})", {.max_messages = 1});
    EXPECT_EQ(e.code(), errc::capacity_exceeded);
    EXPECT_EQ(e.field(), "model.max_request_messages");
}

TEST(AnthropicServerWire, ResponsesReadBackByTheClientDecoder) {
    model::chat_response r;
    r.reply = message::assistant("calling", {tool_call{"toolu_9", "lookup", R"({"q":"x"})"}});
    r.finish_reason = "tool_calls";
    r.tokens = {12, 5};
    r.model = "claude-x";
    const auto back = anthropic::decode_response(anthropic::encode_response(r, "msg_1"));
    EXPECT_EQ(back.reply.content(), "calling");
    ASSERT_EQ(back.reply.tool_calls().size(), 1u);
    EXPECT_EQ(back.reply.tool_calls()[0].arguments, R"({"q":"x"})");
    EXPECT_EQ(back.finish_reason, "tool_calls");
    EXPECT_EQ(back.tokens, r.tokens);
}

TEST(AnthropicServerWire, StreamReadBackByTheClientDecoder) {
    anthropic::stream_encoder enc("msg_2", "claude-x");
    std::string sse;
    model::chat_delta t1;
    t1.content = "Hel";
    model::chat_delta t2;
    t2.content = "lo";
    model::chat_delta call;
    call.tool_calls.push_back({0, "toolu_1", "add", ""});
    model::chat_delta args1;
    args1.tool_calls.push_back({0, "", "", R"({"a":)"});
    model::chat_delta args2;
    args2.tool_calls.push_back({0, "", "", "1}"});
    for (const auto* d : {&t1, &t2, &call, &args1, &args2}) sse += enc.delta(*d);
    sse += enc.finish("tool_calls", {7, 3});
    anthropic::stream_decoder dec;
    model::delta_accumulator acc;
    std::vector<std::string> types;
    transport::sse_parser parser;
    parser.feed(sse, [&](const transport::sse_event& e) {
        types.emplace_back(e.type);
        if (auto d = dec.decode(e.type, e.data)) acc.add(*d);
    });
    EXPECT_TRUE(dec.done());
    const std::vector<std::string> expected{"message_start",       "content_block_start", "content_block_delta",
                                            "content_block_delta", "content_block_stop",  "content_block_start",
                                            "content_block_delta", "content_block_delta", "content_block_stop",
                                            "message_delta",       "message_stop"};
    EXPECT_EQ(types, expected);
    const auto r = acc.finish(dec.finish_reason(), dec.tokens(), dec.model());
    EXPECT_EQ(r.reply.content(), "Hello");
    ASSERT_EQ(r.reply.tool_calls().size(), 1u);
    EXPECT_EQ(r.reply.tool_calls()[0].name, "add");
    EXPECT_EQ(anthropic::canonical_arguments(r.reply.tool_calls()[0].arguments), R"({"a":1})");
    EXPECT_EQ(r.finish_reason, "tool_calls");
    EXPECT_EQ(r.tokens.completion_tokens, 3u);
    EXPECT_EQ(r.model, "claude-x");
    // An error event is one the client decoder raises.
    transport::sse_parser p2;
    anthropic::stream_decoder dec2;
    EXPECT_THROW(p2.feed(anthropic::stream_encoder::error_event("cut", "api_error"),
                         [&](const transport::sse_event& e) { (void)dec2.decode(e.type, e.data); }),
                 model::provider_error);
}

}  // namespace unit_model_anthropic_server_wire_test
