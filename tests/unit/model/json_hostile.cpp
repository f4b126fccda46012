// Hostile JSON at the OpenAI wire: every decoder and the request encoder go through the bounded parser
// (json/document.hpp, tested in tests/unit/json/document.cpp), so deep nesting and embedded NULs give typed
// errors, never a crash.
#include <agentkit/model/openai_wire.hpp>

#include <agentkit_test/repeat.hpp>
#include <gtest/gtest.h>

#include <string>
#include <string_view>

using namespace agentkit;

namespace {
using agentkit_test::repeat;

std::string completion_body(std::string_view content) {
    return R"({"model":"m","choices":[{"message":{"role":"assistant","content":")" + std::string(content) +
        R"("},"finish_reason":"stop"}]})";
}
}  // namespace

TEST(JsonHostile, EveryWireDecoderIsBounded) {
    using namespace model::openai;
    const std::string deep(200 * 1024, '[');
    const std::string deep_in_field = R"({"choices":[{"message":{"content":"x","extra":)" + deep;
    for (const std::string& body : {deep, deep_in_field, repeat(R"({"a":)", 200 * 1024)}) {
        EXPECT_THROW((void)decode_chat_response(body), error);
        EXPECT_THROW((void)decode_stream_chunk(body), error);
        EXPECT_THROW((void)decode_embeddings(body, 1), error);
        EXPECT_EQ(error_message(body), body.substr(0, 300));
    }
}

TEST(JsonHostile, WireDecodersRejectANulInTheBody) {
    using namespace model::openai;
    const std::string good = completion_body("hi");
    EXPECT_EQ(decode_chat_response(good).reply.content(), "hi");
    std::string bad = good;
    bad.push_back('\0');
    bad += "garbage";
    EXPECT_THROW((void)decode_chat_response(bad), error);
    std::string chunk = R"({"choices":[{"delta":{"content":"a"}}]})";
    chunk.push_back('\0');
    chunk += "{}";
    EXPECT_THROW((void)decode_stream_chunk(chunk), error);
}

TEST(JsonHostile, DeepToolSchemaIsRejectedBeforeSending) {
    model::chat_request r;
    r.messages.push_back(message::user("hi"));
    r.tools.push_back({"t", "", std::string(200 * 1024, '[')});
    try {
        (void)model::openai::encode_chat_request(r, "m", false);
        FAIL();
    } catch (const error& e) {
        EXPECT_EQ(e.code(), errc::invalid_argument);
        EXPECT_EQ(e.field(), "tools[0].function.parameters");
    }
}

// RapidJSON 1.1.0's own strtod reads out of bounds on a long mantissa with a large negative exponent (found
// by fuzzing the stream decoder); numbers are converted by the toolkit instead.

// The stream decoder met the number that RapidJSON 1.1.0's own strtod reads out of bounds on (json/document.hpp).
TEST(JsonHostile, StreamDecoderTakesALongMantissaWithAHugeNegativeExponent) {
    const std::string n =
        "7777777770000000000000000885020000000000000000000000000085."
        "7777777777777777000000000000000000007E-0000000388";
    EXPECT_NO_THROW((void)model::openai::decode_stream_chunk(R"({"choices":[],"x":)" + n + "}"));
}
