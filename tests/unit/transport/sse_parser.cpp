#include <agentkit/transport/sse_parser.hpp>

#include <gtest/gtest.h>

#include <string>
#include <vector>

using agentkit::transport::sse_event;
using agentkit::transport::sse_parser;

namespace {
struct seen {
    std::string type, data, id;
    friend bool operator==(const seen&, const seen&) = default;
};
std::vector<seen> parse_in_pieces(std::string_view body, std::size_t piece) {
    sse_parser p;
    std::vector<seen> out;
    for (std::size_t i = 0; i < body.size(); i += piece)
        p.feed(body.substr(i, piece), [&](const sse_event& e) {
            out.push_back({std::string(e.type), std::string(e.data), std::string(e.id)});
        });
    return out;
}
}  // namespace

TEST(SseParser, ParsesOpenAiStyleStream) {
    const std::string body = "data: {\"a\":1}\n\ndata: {\"a\":2}\n\ndata: [DONE]\n\n";
    auto events = parse_in_pieces(body, body.size());
    ASSERT_EQ(events.size(), 3u);
    EXPECT_EQ(events[0], (seen{"message", "{\"a\":1}", ""}));
    EXPECT_EQ(events[2].data, "[DONE]");
}

TEST(SseParser, SameEventsWhateverTheSplit) {
    const std::string body =
        "\xEF\xBB\xBF: keep-alive\r\nevent: delta\r\nid: 7\r\ndata: one\r\ndata:two\r\n\r\n"
        "data: three\r\rdata\n\nretry: 250\nfield-without-colon\ndata: x:y\n\n";
    const auto whole = parse_in_pieces(body, body.size());
    ASSERT_EQ(whole.size(), 4u);
    EXPECT_EQ(whole[0], (seen{"delta", "one\ntwo", "7"}));
    EXPECT_EQ(whole[1], (seen{"message", "three", "7"}));
    EXPECT_EQ(whole[2], (seen{"message", "", "7"}));  // a bare "data" line gives an empty data line
    EXPECT_EQ(whole[3], (seen{"message", "x:y", "7"}));
    for (std::size_t piece = 1; piece < body.size(); ++piece) EXPECT_EQ(parse_in_pieces(body, piece), whole) << piece;
}

TEST(SseParser, CrLfSplitAcrossPiecesIsOneLineEnd) {
    sse_parser p;
    int n = 0;
    auto count = [&](const sse_event&) { ++n; };
    p.feed("data: a\r", count);
    p.feed("\n", count);  // the LF that completes the CRLF: not an empty line
    EXPECT_EQ(n, 0);
    p.feed("\r\n", count);
    EXPECT_EQ(n, 1);
}

TEST(SseParser, ReportsATruncatedStream) {
    sse_parser p;
    p.feed("data: {\"partial\":", [](const sse_event&) {});
    EXPECT_TRUE(p.mid_event());
    p.reset();
    EXPECT_FALSE(p.mid_event());
    p.feed("data: done\n\n", [](const sse_event&) {});
    EXPECT_FALSE(p.mid_event());
}

TEST(SseParser, RetryAndCommentsAndUnknownFields) {
    sse_parser p;
    int n = 0;
    p.feed(":comment\nretry: 1500\nretry: x\nfoo: bar\n\n", [&](const sse_event&) { ++n; });
    EXPECT_EQ(n, 0);  // no data, no event
    EXPECT_EQ(p.retry_ms(), 1500u);
}

TEST(SseParser, BoundsEventSize) {
    sse_parser p(sse_parser::config{.max_event_bytes = 64});
    try {
        p.feed("data: " + std::string(100, 'x'), [](const sse_event&) {});
        FAIL() << "expected capacity_exceeded";
    } catch (const agentkit::error& e) {
        EXPECT_EQ(e.code(), agentkit::errc::capacity_exceeded);
        EXPECT_EQ(e.field(), "sse.max_event_bytes");
    }
}

namespace {
// Feeds `body` in pieces of `piece` bytes; returns the events seen and whether the size limit fired.
std::pair<std::vector<seen>, bool> feed_bounded(std::string_view body, std::size_t piece, std::size_t max_event_bytes) {
    sse_parser p(sse_parser::config{.max_event_bytes = max_event_bytes});
    std::vector<seen> out;
    try {
        for (std::size_t i = 0; i < body.size(); i += piece)
            p.feed(body.substr(i, piece), [&](const sse_event& e) {
                out.push_back({std::string(e.type), std::string(e.data), std::string(e.id)});
            });
    } catch (const agentkit::error& e) {
        EXPECT_EQ(e.code(), agentkit::errc::capacity_exceeded);
        EXPECT_EQ(e.field(), "sse.max_event_bytes");
        return {out, true};
    }
    return {out, false};
}
}  // namespace

TEST(SseParser, EndlessLineWithoutNewlineStopsAtTheDefaultLimit) {
    sse_parser p;
    const std::string piece(64 * 1024, 'x');
    std::size_t fed = 0;
    try {
        for (;;) {
            p.feed(piece, [](const sse_event&) {});
            fed += piece.size();
            ASSERT_LE(fed, sse_parser::config{}.max_event_bytes);
        }
    } catch (const agentkit::error& e) {
        EXPECT_EQ(e.code(), agentkit::errc::capacity_exceeded);
        EXPECT_EQ(e.field(), "sse.max_event_bytes");
    }
}

TEST(SseParser, LongFieldLinesAreBoundedWhateverTheSplit) {
    // An event type, id or comment line longer than the limit is refused even when it arrives whole.
    for (const std::string line : {"event: ", "id: ", ": ", "retry: ", "unknown: ", "data: "}) {
        const std::string body = "data: ok\n\n" + line + std::string(100, 'x') + "\ndata: after\n\n";
        for (std::size_t piece : {body.size(), std::size_t{1}, std::size_t{7}}) {
            const auto [events, limited] = feed_bounded(body, piece, 64);
            EXPECT_TRUE(limited) << line << " piece " << piece;
            ASSERT_EQ(events.size(), 1u) << line << " piece " << piece;
            EXPECT_EQ(events[0].data, "ok");
        }
    }
}

TEST(SseParser, TypeIdAndDataTogetherAreBounded) {
    // Each line fits; the event they build does not.
    const std::string body =
        "id: " + std::string(30, 'i') + "\nevent: " + std::string(30, 't') + "\ndata: " + std::string(30, 'd') + "\n\n";
    for (std::size_t piece = 1; piece <= body.size(); ++piece) {
        const auto [events, limited] = feed_bounded(body, piece, 64);
        EXPECT_TRUE(limited) << piece;
        EXPECT_TRUE(events.empty()) << piece;
    }
    const auto [events, limited] = feed_bounded(body, body.size(), 128);
    EXPECT_FALSE(limited);
    ASSERT_EQ(events.size(), 1u);
}
