#include <agentkit/storage/message_codec.hpp>

#include <agentkit_test/error_of.hpp>
#include <gtest/gtest.h>

using namespace agentkit;
namespace codec = agentkit::storage::codec;

TEST(MessageCodec, ToolCallsRoundTrip) {
    const std::vector<tool_call> calls{{"c1", "search", R"({"q":"x"})"}, {"c2", "calc", std::string("a\0b", 3)}};
    EXPECT_EQ(codec::decode_tool_calls(codec::encode_tool_calls(calls)), calls);
    EXPECT_TRUE(codec::decode_tool_calls(codec::encode_tool_calls({})).empty());
}

TEST(MessageCodec, MessagesRoundTripWithImportance) {
    std::vector<message> msgs{message::system("sys"), message::user("hi"), message::assistant("", {{"c1", "f", "{}"}}),
                              message::tool_result("c1", "out", "f")};
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

namespace {
using agentkit_test::expect_error;
// `n` minimal messages (user, importance 0, all strings empty, no tool calls): 6 bytes each.
std::string minimal_messages(std::size_t n) {
    std::string blob(codec::messages_magic);
    codec::detail::put_varint(blob, n);
    for (std::size_t i = 0; i < n; ++i) blob.append(std::string("\x01\x00\x00\x00\x00\x00", 6));
    return blob;
}
// One assistant message carrying `n` tool calls {"c", "f", ""} (5 bytes each).
std::string message_with_empty_calls(std::size_t n) {
    std::string blob(codec::messages_magic);
    codec::detail::put_varint(blob, 1);
    blob.append(std::string("\x02\x00\x00\x00\x00", 5));
    codec::detail::put_varint(blob, n);
    for (std::size_t i = 0; i < n; ++i)
        blob.append(
            std::string("\x01"
                        "c"
                        "\x01"
                        "f"
                        "\x00",
                        5));
    return blob;
}
}  // namespace

// A 10-byte length whose last byte carries bits past 64 used to decode with those bits dropped.
TEST(MessageCodec, LengthsBeyondSixtyFourBitsAreParseErrors) {
    const std::string zero_with_lost_bit = std::string(9, '\x80') + "\x02";
    expect_error([&] { (void)codec::decode_tool_calls(zero_with_lost_bit); }, errc::parse_error, "messages.tool_calls");
    EXPECT_TRUE(codec::decode_tool_calls(std::string(9, '\x80') + std::string(1, '\0')).empty());  // long but exact
}

// Counts are checked against the blob and then against the knobs before anything is built.
TEST(MessageCodec, HugeCountsAreRefusedBeforeAllocating) {
    std::string claims_a_lot(codec::messages_magic);
    codec::detail::put_varint(claims_a_lot, std::uint64_t{1} << 62);
    expect_error([&] { (void)codec::decode_messages(claims_a_lot); }, errc::parse_error, "checkpoint");
    std::string calls_claim;
    codec::detail::put_varint(calls_claim, std::uint64_t{1} << 40);
    expect_error([&] { (void)codec::decode_tool_calls(calls_claim); }, errc::parse_error, "messages.tool_calls");

    EXPECT_EQ(codec::decode_messages(minimal_messages(3)).size(), 3u);
    expect_error([&] { (void)codec::decode_messages(minimal_messages(3), {.max_messages = 2}); },
                 errc::capacity_exceeded, "codec.max_messages");
    EXPECT_EQ(codec::decode_messages(message_with_empty_calls(5)).at(0).tool_calls().size(), 5u);
    expect_error([&] { (void)codec::decode_messages(message_with_empty_calls(5), {.max_tool_calls = 4}); },
                 errc::capacity_exceeded, "codec.max_tool_calls");
    expect_error(
        [&] {
            (void)codec::decode_tool_calls(codec::encode_tool_calls(std::vector<tool_call>(5)), {.max_tool_calls = 4});
        },
        errc::capacity_exceeded, "codec.max_tool_calls");
}

// The default knobs hold on blobs a few MB long: a million and one messages, or tool calls, are refused
// before they are decoded into ~20-30x their size.
TEST(MessageCodec, DefaultLimitsBoundWhatAHostileBlobBuilds) {
    const codec::decode_limits defaults;
    expect_error([&] { (void)codec::decode_messages(minimal_messages(defaults.max_messages + 1)); },
                 errc::capacity_exceeded, "codec.max_messages");
    expect_error([&] { (void)codec::decode_messages(message_with_empty_calls(defaults.max_tool_calls + 1)); },
                 errc::capacity_exceeded, "codec.max_tool_calls");
}

// Tool calls are counted over the whole blob, not per message.
TEST(MessageCodec, ToolCallLimitCountsAllMessagesTogether) {
    std::vector<message> msgs;
    for (int m = 0; m < 3; ++m) msgs.push_back(message::assistant("", {{"c1", "f", "{}"}, {"c2", "f", "{}"}}));
    const auto blob = codec::encode_messages(msgs);
    EXPECT_EQ(codec::decode_messages(blob, {.max_tool_calls = 6}), msgs);
    expect_error([&] { (void)codec::decode_messages(blob, {.max_tool_calls = 5}); }, errc::capacity_exceeded,
                 "codec.max_tool_calls");
}
