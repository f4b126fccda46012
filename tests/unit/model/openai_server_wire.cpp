// The server's side of the OpenAI wire (what the gateway reads from clients and answers them with), checked
// against the client's side: a request our provider writes is read back whole, and every answer we write is
// read by the same decoder that reads OpenAI's own answers. Errors name the field or the limit.
#include <agentkit/model/openai_wire.hpp>

#include <agentkit_test/error_of.hpp>
#include <gtest/gtest.h>

#include <string>

namespace unit_model_openai_server_wire_test {
using namespace agentkit;
namespace openai = agentkit::model::openai;

namespace {
agentkit::error error_of(std::string_view body, const openai::request_limits& limits = {}) {
    SCOPED_TRACE(testing::Message() << "accepted: " << body);
    return agentkit_test::error_of([&] { (void)openai::decode_chat_request(body, limits); });
}
}  // namespace

TEST(OpenAiServerWire, ReadsBackWhatTheProviderWrites) {
    model::chat_request rq;
    rq.model = "gpt-4o-mini";
    rq.messages.push_back(message::system("be brief"));
    rq.messages.push_back(message::user("add 1 and 2"));
    rq.messages.push_back(message::assistant("", {tool_call{"call_1", "add", R"({"a":1,"b":2})"}}));
    rq.messages.push_back(message::tool_result("call_1", "3"));
    rq.tools.push_back({"add", "adds numbers", R"({"type":"object","properties":{"a":{"type":"number"}}})"});
    rq.temperature = 0.5;
    rq.max_tokens = 128;
    const auto in = openai::decode_chat_request(openai::encode_chat_request(rq, "unused", true));
    EXPECT_TRUE(in.stream);
    EXPECT_TRUE(in.include_usage);
    EXPECT_EQ(in.request.model, "gpt-4o-mini");
    ASSERT_EQ(in.request.messages.size(), 4u);
    EXPECT_EQ(in.request.messages[0].role(), role::system);
    EXPECT_EQ(in.request.messages[1].content(), "add 1 and 2");
    ASSERT_EQ(in.request.messages[2].tool_calls().size(), 1u);
    EXPECT_EQ(in.request.messages[2].tool_calls()[0].arguments, R"({"a":1,"b":2})");
    EXPECT_EQ(in.request.messages[3].tool_call_id(), "call_1");
    ASSERT_EQ(in.request.tools.size(), 1u);
    EXPECT_EQ(in.request.tools[0].parameters_schema, rq.tools[0].parameters_schema);
    EXPECT_EQ(in.request.temperature, 0.5);
    EXPECT_EQ(in.request.max_tokens, 128u);
}

TEST(OpenAiServerWire, ContentPartsAndAliases) {
    const auto in = openai::decode_chat_request(
        R"({"messages":[{"role":"developer","content":"sys"},
                        {"role":"user","name":"ann","content":[{"type":"text","text":"a"},{"type":"text","text":"b"}]}],
            "max_completion_tokens":7})");
    EXPECT_EQ(in.request.messages[0].role(), role::system);
    EXPECT_EQ(in.request.messages[1].content(), "ab");
    EXPECT_EQ(in.request.messages[1].name(), "ann");
    EXPECT_EQ(in.request.max_tokens, 7u);
    EXPECT_FALSE(in.stream);
}

TEST(OpenAiServerWire, ErrorsNameTheField) {
    EXPECT_EQ(error_of("[]").field(), "request body");
    EXPECT_EQ(error_of("{}").field(), "messages");
    EXPECT_EQ(error_of(R"({"messages":[{"role":"robot","content":"x"}]})").field(), "messages[0].role");
    EXPECT_EQ(error_of(R"({"messages":[{"role":"user","content":[{"type":"image_url"}]}]})").field(),
              "messages[0].content[0].type");
    EXPECT_EQ(error_of(R"({"messages":[{"role":"tool","content":"x"}]})").field(), "messages[0].tool_call_id");
    EXPECT_EQ(error_of(R"({"messages":[{"role":"assistant","tool_calls":[{"id":"c","function":{}}]}]})").field(),
              "messages[0].tool_calls[0].function.name");
    EXPECT_EQ(error_of(R"({"messages":[],"stream":"yes"})").field(), "stream");
    EXPECT_EQ(error_of(R"({"messages":[],"max_tokens":-1})").field(), "max_tokens");
    EXPECT_EQ(error_of(R"({"messages":[],"tools":[{"type":"retrieval"}]})").field(), "tools[0].type");
    EXPECT_EQ(error_of(R"({"messages":[)").code(), errc::parse_error);
}

TEST(OpenAiServerWire, LimitsNameTheKnob) {
    const std::string three =
        R"({"messages":[{"role":"user","content":"a"},{"role":"user","content":"b"},{"role":"user","content":"c"}]})";
    const auto e = error_of(three, {.max_messages = 2});
    EXPECT_EQ(e.code(), errc::capacity_exceeded);
    EXPECT_EQ(e.field(), "model.max_request_messages");
    const auto t =
        error_of(R"({"messages":[],"tools":[{"function":{"name":"a"}},{"function":{"name":"b"}}]})", {.max_tools = 1});
    EXPECT_EQ(t.field(), "model.max_request_tools");
    std::string deep = R"({"messages":[],"x":)";
    deep.append(100, '[').append(100, ']').append("}");
    EXPECT_EQ(error_of(deep, {.max_depth = 32}).field(), "json.max_depth");
}

TEST(OpenAiServerWire, AnswersReadBackByTheClientDecoder) {
    model::chat_response r;
    r.reply = message::assistant("", {tool_call{"call_9", "lookup", R"({"q":"x"})"}});
    r.finish_reason = "tool_calls";
    r.tokens = {12, 5};
    r.model = "m1";
    const auto back = openai::decode_chat_response(openai::encode_chat_response(r, "chatcmpl-1", 1700000000));
    EXPECT_EQ(back.reply.tool_calls().size(), 1u);
    EXPECT_EQ(back.reply.tool_calls()[0].id, "call_9");
    EXPECT_EQ(back.finish_reason, "tool_calls");
    EXPECT_EQ(back.tokens, r.tokens);
    EXPECT_EQ(back.model, "m1");
}

TEST(OpenAiServerWire, StreamChunksFoldIntoTheSameResponse) {
    const openai::stream_ids ids{"chatcmpl-2", 1700000000, "m1"};
    model::delta_accumulator acc;
    model::chat_delta first;
    first.content = "Hel";
    model::chat_delta second;
    second.content = "lo";
    model::chat_delta call_start;
    call_start.tool_calls.push_back({0, "call_1", "add", ""});
    model::chat_delta call_more;
    call_more.tool_calls.push_back({0, "", "", R"({"a":1})"});
    bool is_first = true;
    for (const auto* d : {&first, &second, &call_start, &call_more}) {
        const auto chunk = openai::decode_stream_chunk(openai::encode_stream_delta(*d, ids, is_first));
        is_first = false;
        EXPECT_FALSE(chunk.done);
        acc.add(chunk.delta);
    }
    const auto fin = openai::decode_stream_chunk(openai::encode_stream_finish("tool_calls", ids));
    EXPECT_EQ(fin.finish_reason, "tool_calls");
    const auto use = openai::decode_stream_chunk(openai::encode_stream_usage({3, 4}, ids));
    ASSERT_TRUE(use.tokens.has_value());
    EXPECT_EQ(use.tokens->total(), 7u);
    const auto r = acc.finish(fin.finish_reason, *use.tokens, "m1");
    EXPECT_EQ(r.reply.content(), "Hello");
    ASSERT_EQ(r.reply.tool_calls().size(), 1u);
    EXPECT_EQ(r.reply.tool_calls()[0].name, "add");
    EXPECT_EQ(r.reply.tool_calls()[0].arguments, R"({"a":1})");
    // The usage chunk's choices are empty, as stream_options.include_usage promises clients.
    EXPECT_NE(openai::encode_stream_usage({3, 4}, ids).find(R"("choices":[])"), std::string::npos);
}

}  // namespace unit_model_openai_server_wire_test
