#include <agentkit/storage/message_codec.hpp>

#include <gtest/gtest.h>

using namespace agentkit;
namespace codec = agentkit::storage::codec;

TEST(MessageCodec, ToolCallsRoundTrip) {
    const std::vector<tool_call> calls{{"c1", "search", R"({"q":"x"})"}, {"c2", "calc", std::string("a\0b", 3)}};
    EXPECT_EQ(codec::decode_tool_calls(codec::encode_tool_calls(calls)), calls);
    EXPECT_TRUE(codec::decode_tool_calls(codec::encode_tool_calls({})).empty());
}

TEST(MessageCodec, MessagesRoundTripWithImportance) {
    std::vector<message> msgs{message::system("sys"), message::user("hi"),
                              message::assistant("", {{"c1", "f", "{}"}}), message::tool_result("c1", "out", "f")};
    msgs[1].set_importance(0.85f);
    EXPECT_EQ(codec::decode_messages(codec::encode_messages(msgs)), msgs);
}

TEST(MessageCodec, TruncatedOrCorruptBlobsAreParseErrors) {
    const auto blob = codec::encode_messages(std::vector<message>{message::user("hello"), message::assistant("world")});
    for (std::size_t n = 0; n < blob.size(); ++n) {
        try {
            codec::decode_messages(std::string_view(blob).substr(0, n));
            FAIL() << "prefix of " << n << " bytes decoded";
        } catch (const error& e) {
            EXPECT_EQ(e.code(), make_error_code(errc::parse_error)) << n;
        }
    }
    EXPECT_THROW(codec::decode_messages(blob + "x"), error);
    EXPECT_THROW(codec::decode_tool_calls("\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\x01"), error);
    auto bad_role = blob;
    bad_role[5] = 9;  // first message's role byte
    EXPECT_THROW(codec::decode_messages(bad_role), error);
}
