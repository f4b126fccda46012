// delta_accumulator: folds streamed deltas, and bounds what an endless or hostile stream can make it hold.
#include <agentkit/model/chat.hpp>
#include <agentkit/model/openai_wire.hpp>

#include <gtest/gtest.h>

#include <string>

using namespace agentkit;
using namespace agentkit::model;

namespace {
chat_delta content(std::string s) {
    chat_delta d;
    d.content = std::move(s);
    return d;
}
chat_delta call_piece(std::size_t index, std::string id, std::string name, std::string args) {
    chat_delta d;
    d.tool_calls.push_back({index, std::move(id), std::move(name), std::move(args)});
    return d;
}
}  // namespace

TEST(DeltaAccumulator, FoldsContentAndToolCalls) {
    delta_accumulator acc;
    acc.add(content("Hel"));
    acc.add(content("lo"));
    acc.add(call_piece(1, "c2", "second", "{"));
    acc.add(call_piece(0, "c1", "first", "{}"));
    acc.add(call_piece(1, "", "", "}"));
    auto r = acc.finish("tool_calls", usage{1, 2}, "m");
    EXPECT_EQ(r.reply.content(), "Hello");
    ASSERT_EQ(r.reply.tool_calls().size(), 2u);
    EXPECT_EQ(r.reply.tool_calls()[0], (tool_call{"c1", "first", "{}"}));
    EXPECT_EQ(r.reply.tool_calls()[1], (tool_call{"c2", "second", "{}"}));
    EXPECT_EQ(r.finish_reason, "tool_calls");
    EXPECT_EQ(r.model, "m");
    EXPECT_EQ(acc.streamed_bytes(), 0u);  // finish() readies it for the next stream
}

TEST(DeltaAccumulator, EndlessContentStopsAtTheDefaultCap) {
    delta_accumulator acc;
    const chat_delta piece = content(std::string(64 * 1024, 'x'));
    std::size_t added = 0;
    try {
        for (;;) {
            acc.add(piece);
            added += piece.content.size();
            ASSERT_LE(added, delta_accumulator::config{}.max_streamed_bytes);
        }
    } catch (const error& e) {
        EXPECT_EQ(e.code(), errc::capacity_exceeded);
        EXPECT_EQ(e.field(), "model.max_streamed_bytes");
    }
    EXPECT_EQ(added, delta_accumulator::config{}.max_streamed_bytes);
    EXPECT_EQ(acc.streamed_bytes(), added);
}

TEST(DeltaAccumulator, EndlessArgumentsStopAtTheCap) {
    delta_accumulator acc(delta_accumulator::config{.max_streamed_bytes = 1000});
    acc.add(call_piece(0, "c1", "f", ""));
    try {
        for (int i = 0; i < 1000000; ++i) acc.add(call_piece(0, "", "", std::string(100, 'a')));
        FAIL() << "expected capacity_exceeded";
    } catch (const error& e) {
        EXPECT_EQ(e.code(), errc::capacity_exceeded);
        EXPECT_EQ(e.field(), "model.max_streamed_bytes");
    }
    EXPECT_LE(acc.streamed_bytes(), 1000u);
    // The delta that did not fit left nothing behind: what was folded so far is intact.
    auto r = acc.finish("length", {}, "m");
    ASSERT_EQ(r.reply.tool_calls().size(), 1u);
    EXPECT_EQ(r.reply.tool_calls()[0].arguments.size(), 900u);  // 9 pieces fit beside the 3 bytes of id and name
}

TEST(DeltaAccumulator, HugeToolCallIndexFailsWithoutAllocating) {
    delta_accumulator acc;
    try {
        acc.add(call_piece(4'000'000'000u, "c", "f", "{}"));
        FAIL() << "expected capacity_exceeded";
    } catch (const error& e) {
        EXPECT_EQ(e.code(), errc::capacity_exceeded);
        EXPECT_EQ(e.field(), "model.max_streamed_tool_calls");
    }
    EXPECT_TRUE(acc.finish("", {}, "").reply.tool_calls().empty());
}

TEST(DeltaAccumulator, ToolCallCountIsAKnob) {
    delta_accumulator acc(delta_accumulator::config{.max_streamed_tool_calls = 2});
    acc.add(call_piece(0, "a", "f", "{}"));
    acc.add(call_piece(1, "b", "g", "{}"));
    EXPECT_THROW(acc.add(call_piece(2, "c", "h", "{}")), error);
    EXPECT_EQ(acc.finish("", {}, "").reply.tool_calls().size(), 2u);
}

TEST(DeltaAccumulator, HugeIndexFromTheWireFailsCleanly) {
    const auto chunk =
        R"({"choices":[{"delta":{"tool_calls":[{"index":4000000000,"id":"c","function":{"name":"f"}}]}}]})";
    const auto decoded = openai::decode_stream_chunk(chunk);
    ASSERT_EQ(decoded.delta.tool_calls.size(), 1u);
    EXPECT_EQ(decoded.delta.tool_calls[0].index, 4'000'000'000u);
    delta_accumulator acc;
    try {
        acc.add(decoded.delta);
        FAIL();
    } catch (const error& e) {
        EXPECT_EQ(e.code(), errc::capacity_exceeded);
        EXPECT_EQ(e.field(), "model.max_streamed_tool_calls");
    }
}
