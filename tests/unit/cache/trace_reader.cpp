// The trace parser: every format, any chunking, the LIRS/ARC quirks the traces README lists, and clear
// errors (naming the line) for bad input.
#include <agentkit/sim/trace_reader.hpp>

#include <agentkit_test/error_of.hpp>
#include <agentkit_test/temp_dir.hpp>
#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include <sys/stat.h>
#include <unistd.h>

// Everything in one namespace named after the file (the layer may be built as one unity executable).
namespace cache_trace_reader_test {

namespace ac = agentkit::cache;

namespace {
std::vector<std::uint64_t> parse(ac::trace_format f, const std::string& text, std::size_t chunk = 0,
                                 ac::trace_limits limits = {}) {
    ac::trace_parser p(f, limits);
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

using agentkit_test::error_of;

struct temp_dir : agentkit_test::temp_dir {
    temp_dir() : agentkit_test::temp_dir("agentkit_trace_limits") {}
};
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
    const agentkit_test::temp_dir scratch("agentkit_trace");
    const auto& dir = scratch.path;
    const auto plain = dir / "t.keys";
    std::ofstream(plain) << "1\n2\n3\n";
    EXPECT_EQ(ac::load_trace(plain.string(), ac::trace_format::keys), (keys{1, 2, 3}));
    ASSERT_EQ(std::system(("gzip -kf " + plain.string()).c_str()), 0);
    EXPECT_EQ(ac::load_trace(plain.string() + ".gz", ac::trace_format::keys), (keys{1, 2, 3}));
    std::ofstream(dir / "bad.gz") << "not gzip";
    EXPECT_THROW(ac::load_trace((dir / "bad.gz").string(), ac::trace_format::keys), agentkit::error);
    EXPECT_THROW(ac::load_trace((dir / "missing").string(), ac::trace_format::keys), agentkit::error);
}

TEST(TraceLimits, DefaultsAreLargeButBounded) {
    const ac::trace_limits defaults;
    EXPECT_EQ(defaults.max_requests, std::uint64_t{1} << 28);
    EXPECT_EQ(defaults.max_input_bytes, std::uint64_t{1} << 33);
}

TEST(TraceLimits, ArcExpansionStopsAtMaxRequestsBeforeExpanding) {
    // A few short ARC lines claim millions of keys: refused before one of them is produced.
    ac::trace_parser p(ac::trace_format::arc, {.max_requests = 1000});
    std::uint64_t produced = 0;
    auto sink = [&](std::uint64_t) { ++produced; };
    p.feed("0 600 0 0\n", sink);
    const auto e = error_of([&] { p.feed("0 1048576 0 0\n", sink); });
    EXPECT_EQ(e.code(), agentkit::errc::capacity_exceeded);
    EXPECT_EQ(e.field(), "cache.trace_limits.max_requests");
    EXPECT_NE(std::string(e.what()).find("more than 1000 requests"), std::string::npos) << e.what();
    EXPECT_EQ(produced, 600u);
    EXPECT_EQ(parse(ac::trace_format::arc, "0 1000 0 0\n", 0, {.max_requests = 1000}).size(),
              1000u);  // exactly the limit is fine
}

TEST(TraceLimits, EveryFormatCountsRequests) {
    const ac::trace_limits two{.max_requests = 2};
    EXPECT_EQ(parse(ac::trace_format::keys, "1\n2\n", 0, two), (keys{1, 2}));
    for (const auto& c :
         std::vector<std::pair<ac::trace_format, std::string>>{{ac::trace_format::keys, "1\n2\n3\n"},
                                                               {ac::trace_format::lirs, "1\n*\n2\n3\n"},
                                                               {ac::trace_format::arc, "1 3 0 0\n"},
                                                               {ac::trace_format::cache2k, std::string(12, '\0')},
                                                               {ac::trace_format::u64, std::string(24, '\0')}}) {
        const auto e = error_of([&] { parse(c.first, c.second, 1, two); });
        EXPECT_EQ(e.code(), agentkit::errc::capacity_exceeded);
        EXPECT_EQ(e.field(), "cache.trace_limits.max_requests");
    }
}

TEST(TraceLimits, InputBytesAreCappedEvenWithoutKeys) {
    // Blank lines and LIRS breakpoints produce no keys: the byte cap still ends the stream.
    const auto e = error_of([] {
        parse(ac::trace_format::lirs, std::string(200, '\n') + std::string(200, '*'), 7, {.max_input_bytes = 300});
    });
    EXPECT_EQ(e.code(), agentkit::errc::capacity_exceeded);
    EXPECT_EQ(e.field(), "cache.trace_limits.max_input_bytes");
    EXPECT_EQ(parse(ac::trace_format::keys, "1\n2\n", 0, {.max_input_bytes = 4}), (keys{1, 2}));
}

TEST(TraceLimits, CompressedTraceIsBoundedAfterDecompression) {
    // 64 MiB of zero records compress to a few KB; the decompressed stream is what is capped, and the
    // decompressor is stopped rather than left to run.
    temp_dir dir;
    const auto bomb = dir.path / "bomb.u64.zst";
    ASSERT_EQ(std::system(("head -c 67108864 /dev/zero | zstd -q -c > " + bomb.string()).c_str()), 0);
    ASSERT_LT(std::filesystem::file_size(bomb), 64u * 1024);
    auto e = error_of([&] { ac::load_trace(bomb.string(), ac::trace_format::u64, {.max_input_bytes = 1 << 20}); });
    EXPECT_EQ(e.code(), agentkit::errc::capacity_exceeded);
    EXPECT_EQ(e.field(), "cache.trace_limits.max_input_bytes");
    e = error_of([&] { ac::load_trace(bomb.string(), ac::trace_format::u64, {.max_requests = 1000}); });
    EXPECT_EQ(e.field(), "cache.trace_limits.max_requests");
    // Within the limits the same file loads.
    EXPECT_EQ(ac::load_trace(bomb.string(), ac::trace_format::u64).size(), 8u << 20);
}

TEST(ReadTrace, DevicesAndDirectoriesAreNotMissingFiles) {
    auto e = error_of([] { ac::load_trace("/dev/zero", ac::trace_format::u64); });
    EXPECT_EQ(e.code(), agentkit::errc::invalid_argument);
    EXPECT_NE(std::string(e.what()).find("/dev/zero is not a regular file"), std::string::npos) << e.what();
    temp_dir dir;
    e = error_of([&] { ac::load_trace(dir.path.string(), ac::trace_format::keys); });
    EXPECT_EQ(e.code(), agentkit::errc::invalid_argument);
    e = error_of([&] { ac::load_trace((dir.path / "missing").string(), ac::trace_format::keys); });
    EXPECT_EQ(e.code(), agentkit::errc::not_found);
    EXPECT_NE(std::string(e.what()).find("no such trace file"), std::string::npos) << e.what();
}

TEST(ReadTrace, ReadsFromAPipe) {
    // `cache-sim <(zstdcat trace.zst)` hands over a pipe, not a regular file.
    temp_dir dir;
    const auto fifo = dir.path / "trace.fifo";
    ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
    std::thread writer([&] { std::ofstream(fifo) << "4\n5\n6\n"; });
    const auto got = ac::load_trace(fifo.string(), ac::trace_format::keys);
    writer.join();
    EXPECT_EQ(got, (keys{4, 5, 6}));
}

TEST(ReadTrace, ErrorsEscapeControlBytes) {
    auto e = error_of([] { parse(ac::trace_format::keys, "1\n\x1b]0;owned\x07\x1b[2J\n"); });
    std::string what = e.what();
    EXPECT_EQ(what.find('\x1b'), std::string::npos) << what;
    EXPECT_NE(what.find("\\x1b]0;owned\\x07\\x1b[2J"), std::string::npos) << what;
    temp_dir dir;
    e = error_of([&] { ac::load_trace((dir.path / "evil\x1b[31m").string(), ac::trace_format::keys); });
    what = e.what();
    EXPECT_EQ(what.find('\x1b'), std::string::npos) << what;
    EXPECT_NE(what.find("evil\\x1b[31m"), std::string::npos) << what;
    e = error_of([] { ac::parse_trace_format("k\x1b[1m"); });
    EXPECT_EQ(std::string(e.what()).find('\x1b'), std::string::npos) << e.what();
}

}  // namespace cache_trace_reader_test
