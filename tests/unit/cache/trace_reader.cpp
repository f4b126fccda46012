// The trace parser: every format, any chunking, the LIRS/ARC quirks the traces README lists, and clear
// errors (naming the line) for bad input.
#include <agentkit/cache/trace_reader.hpp>

#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <vector>

// Everything in one namespace named after the file (the layer may be built as one unity executable).
namespace cache_trace_reader_test {

namespace ac = agentkit::cache;

namespace {
std::vector<std::uint64_t> parse(ac::trace_format f, const std::string& text, std::size_t chunk = 0) {
    ac::trace_parser p(f);
    std::vector<std::uint64_t> keys;
    auto sink = [&](std::uint64_t k) { keys.push_back(k); };
    if (chunk == 0) {
        p.feed(text, sink);
    } else {
        for (std::size_t i = 0; i < text.size(); i += chunk) p.feed(std::string_view(text).substr(i, chunk), sink);
    }
    p.finish(sink);
    return keys;
}
using keys = std::vector<std::uint64_t>;
}  // namespace

TEST(TraceParser, KeysFormat) {
    EXPECT_EQ(parse(ac::trace_format::keys, "1\n2\n  3 \n\n4"), (keys{1, 2, 3, 4}));
    EXPECT_EQ(parse(ac::trace_format::keys, "-1\n"), (keys{~std::uint64_t{0}}));
    EXPECT_THROW(parse(ac::trace_format::keys, "1\n*\n"), agentkit::error);
    EXPECT_THROW(parse(ac::trace_format::keys, "1 2\n"), agentkit::error);
    EXPECT_THROW(parse(ac::trace_format::keys, "99999999999999999999999\n"), agentkit::error);
}

TEST(TraceParser, LirsSkipsBreakpointsAndCrlf) {
    EXPECT_EQ(parse(ac::trace_format::lirs, "5\r\n*\r\n6\r\n\r\n"), (keys{5, 6}));
}

TEST(TraceParser, ArcExpandsRecords) {
    EXPECT_EQ(parse(ac::trace_format::arc, "10 3 0 0\n7 1 0 1\n"), (keys{10, 11, 12, 7}));
    EXPECT_EQ(parse(ac::trace_format::arc, "10 0 0 0\n"), keys{});
    EXPECT_THROW(parse(ac::trace_format::arc, "10\n"), agentkit::error);
    EXPECT_THROW(parse(ac::trace_format::arc, "1 2 3 4 5\n"), agentkit::error);
    EXPECT_THROW(parse(ac::trace_format::arc, "1 -2 3 4\n"), agentkit::error);
    EXPECT_THROW(parse(ac::trace_format::arc, "1 99999999999 0 0\n"), agentkit::error);  // no hang on hostile counts
    EXPECT_THROW(parse(ac::trace_format::arc, "18446744073709551615 2 0 0\n"), agentkit::error);
}

TEST(TraceParser, Cache2kIsBigEndian32) {
    const std::string bytes("\x00\x00\x01\x02\xff\xff\xff\xfe", 8);
    EXPECT_EQ(parse(ac::trace_format::cache2k, bytes, 3), (keys{0x102, 0xfffffffe}));
    EXPECT_THROW(parse(ac::trace_format::cache2k, bytes.substr(0, 5)), agentkit::error);
}

TEST(TraceParser, U64IsLittleEndian64) {
    const std::string bytes("\x01\x00\x00\x00\x00\x00\x00\x80", 8);
    EXPECT_EQ(parse(ac::trace_format::u64, bytes, 5), (keys{0x8000000000000001ULL}));
}

TEST(TraceParser, ChunkingDoesNotMatter) {
    std::string text;
    std::mt19937 rng(7);
    for (int i = 0; i < 500; ++i) text += std::to_string(rng() % 100000) + (i % 3 ? "\n" : "\r\n");
    const auto whole = parse(ac::trace_format::lirs, text);
    for (std::size_t chunk : {1u, 2u, 7u, 64u}) EXPECT_EQ(parse(ac::trace_format::lirs, text, chunk), whole);
}

TEST(TraceParser, ErrorsNameTheLine) {
    try {
        parse(ac::trace_format::keys, "1\n2\nthree\n");
        FAIL();
    } catch (const agentkit::error& e) {
        EXPECT_EQ(e.field(), "trace");
        EXPECT_NE(std::string(e.what()).find("line 3"), std::string::npos) << e.what();
    }
    EXPECT_THROW(parse(ac::trace_format::keys, std::string(5000, '1')), agentkit::error);
    EXPECT_THROW(ac::parse_trace_format("csv"), agentkit::error);
}

TEST(ReadTrace, PlainAndCompressedFiles) {
    const auto dir = std::filesystem::temp_directory_path() / ("agentkit_trace_" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    const auto plain = dir / "t.keys";
    std::ofstream(plain) << "1\n2\n3\n";
    EXPECT_EQ(ac::load_trace(plain.string(), ac::trace_format::keys), (keys{1, 2, 3}));
    ASSERT_EQ(std::system(("gzip -kf " + plain.string()).c_str()), 0);
    EXPECT_EQ(ac::load_trace(plain.string() + ".gz", ac::trace_format::keys), (keys{1, 2, 3}));
    std::ofstream(dir / "bad.gz") << "not gzip";
    EXPECT_THROW(ac::load_trace((dir / "bad.gz").string(), ac::trace_format::keys), agentkit::error);
    EXPECT_THROW(ac::load_trace((dir / "missing").string(), ac::trace_format::keys), agentkit::error);
    std::filesystem::remove_all(dir);
}

}  // namespace cache_trace_reader_test
