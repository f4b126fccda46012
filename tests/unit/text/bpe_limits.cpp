// The bounds of the exact BPE on hostile input: a rank file is read up to a size limit, its rank tables
// grow with the file (never with the highest rank it names), and a piece the pre-tokenizer cannot break
// is merged only up to max_piece_bytes: past it encode and count throw, they never truncate.
#include <agentkit/text/bpe_encoding.hpp>
#include <agentkit/text/bpe_vocabulary.hpp>

#include <agentkit_test/error_of.hpp>
#include <agentkit_test/temp_dir.hpp>
#include <agentkit_test/tiktoken_files.hpp>
#include <gtest/gtest.h>

#include <cstddef>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <sys/resource.h>
#include <unistd.h>

namespace bpe_limits_test {
using namespace agentkit::text;

// Peak resident set of the process so far, in bytes.
std::size_t peak_rss_bytes() {
    rusage u{};
    ::getrusage(RUSAGE_SELF, &u);
    return static_cast<std::size_t>(u.ru_maxrss) * 1024;
}

// All 256 bytes as ranks 0..255 (the smallest byte-level vocabulary), then "ab" and "aa".
std::string byte_level_file() {
    static const char* t = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    std::string f;
    for (unsigned c = 0; c < 256; ++c)
        f += std::string{t[c >> 2], t[(c & 3) << 4], '=', '='} + " " + std::to_string(c) + "\n";
    return f + "YWI= 256\nYWE= 257\n";
}

using agentkit_test::error_of;

// A few bytes naming a huge rank once sized the rank tables by that rank (8 bytes per rank): 400 MB for
// this 15-byte file. Now the rank is rejected before anything is sized by it.
TEST(BpeLimits, AHugeRankInATinyFileIsRejectedBeforeAllocating) {
    const std::size_t before = peak_rss_bytes();
    const auto e = error_of([] { (void)bpe_vocabulary::parse("AA== 49999999\n", "tiny.tiktoken"); });
    EXPECT_EQ(e.code(), agentkit::errc::parse_error);
    EXPECT_EQ(e.field(), "tiny.tiktoken");
    EXPECT_NE(std::string(e.what()).find("line 1: the rank 49999999 is out of range"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("max_rank_per_line"), std::string::npos) << e.what();
    EXPECT_LT(peak_rss_bytes() - before, std::size_t{64} << 20);

    // A real-sized vocabulary with one far-off rank is rejected the same way.
    const auto sparse =
        error_of([] { (void)bpe_vocabulary::parse(byte_level_file() + "YWJj 40000\n", "sparse.tiktoken"); });
    EXPECT_EQ(sparse.code(), agentkit::errc::parse_error);
    EXPECT_NE(std::string(sparse.what()).find("line 259: the rank 40000 is out of range"), std::string::npos)
        << sparse.what();
    // Gaps within the bound are fine (the rank table keeps them empty).
    const auto v = bpe_vocabulary::parse(byte_level_file() + "YWJj 1000\n", "gap.tiktoken");
    EXPECT_EQ(v.size(), 259u);
    EXPECT_EQ(v.rank("abc"), 1000u);
    EXPECT_EQ(v.bytes_of(999), "");
}

// The real vocabularies are dense (ranks 0..N-1), well inside the bound.
TEST(BpeLimits, TheRealVocabulariesLoad) {
    AGENTKIT_REQUIRE_BPE(cl100k, cl);
    AGENTKIT_REQUIRE_BPE(o200k, o2);
    EXPECT_EQ(cl->vocabulary().size(), cl100k::ranks);
    EXPECT_EQ(o2->vocabulary().size(), o200k::ranks);
}

// A rank file over the size limit is refused before it is read, naming the knob.
TEST(BpeLimits, ARankFileOverTheSizeLimitIsCapacityExceeded) {
    const agentkit_test::temp_dir scratch("agentkit-bpe-limits");
    const auto& dir = scratch.path;
    const auto big = dir / "big.tiktoken";
    std::ofstream(big, std::ios::binary).put('A');
    std::filesystem::resize_file(big, bpe_vocabulary::default_max_file_bytes + 1);  // sparse: costs no disk
    const auto e = error_of([&] { (void)bpe_vocabulary::load(big.string()); });
    EXPECT_EQ(e.code(), agentkit::errc::capacity_exceeded);
    EXPECT_EQ(e.field(), "text.max_rank_file_bytes");
    EXPECT_NE(std::string(e.what()).find("big.tiktoken"), std::string::npos) << e.what();

    // The limit is a parameter of load; a file within it loads.
    const auto small = dir / "small.tiktoken";
    std::ofstream(small, std::ios::binary) << byte_level_file();
    EXPECT_EQ(bpe_vocabulary::load(small.string()).size(), 258u);
    const auto tight = error_of([&] { (void)bpe_vocabulary::load(small.string(), 100); });
    EXPECT_EQ(tight.code(), agentkit::errc::capacity_exceeded);
    EXPECT_EQ(tight.field(), "text.max_rank_file_bytes");

    const auto missing = error_of([&] { (void)bpe_vocabulary::load((dir / "none.tiktoken").string()); });
    EXPECT_EQ(missing.code(), agentkit::errc::not_found);
    EXPECT_EQ(missing.field(), (dir / "none.tiktoken").string());
    EXPECT_NE(std::string(missing.what()).find("scripts/bootstrap"), std::string::npos) << missing.what();
}

// Restores the process-wide piece limit when a test ends.
struct piece_limit_guard {
    std::size_t saved = bpe_vocabulary::max_piece_bytes();
    ~piece_limit_guard() { bpe_vocabulary::set_max_piece_bytes(saved); }
};

TEST(BpeLimits, APieceOverMaxPieceBytesThrowsAndIsNeverTruncated) {
    EXPECT_EQ(bpe_vocabulary::max_piece_bytes(), bpe_vocabulary::default_max_piece_bytes);
    const piece_limit_guard guard;
    const auto v = bpe_vocabulary::parse(byte_level_file(), "v");
    bpe_vocabulary::set_max_piece_bytes(4096);
    const std::string at_limit(4096, 'a'), over(4097, 'a');
    const auto* p = reinterpret_cast<const unsigned char*>(at_limit.data());
    EXPECT_EQ(v.count_piece(p, at_limit.size()), 2048u);
    std::size_t tokens = 0;
    v.encode_piece(p, at_limit.size(), [&](token_id id, std::size_t, std::size_t) { tokens += id == 257u; });
    EXPECT_EQ(tokens, 2048u);

    const auto* q = reinterpret_cast<const unsigned char*>(over.data());
    for (const auto& e : {error_of([&] { (void)v.count_piece(q, over.size()); }), error_of([&] {
                              v.encode_piece(q, over.size(), [](token_id, std::size_t, std::size_t) {});
                          })}) {
        EXPECT_EQ(e.code(), agentkit::errc::capacity_exceeded);
        EXPECT_EQ(e.field(), "text.max_piece_bytes");
        EXPECT_NE(std::string(e.what()).find("4097 bytes"), std::string::npos) << e.what();
        EXPECT_NE(std::string(e.what()).find("exceeds 4096 bytes"), std::string::npos) << e.what();
    }
    // The limit never drops below the pieces the short merge handles.
    bpe_vocabulary::set_max_piece_bytes(1);
    EXPECT_EQ(bpe_vocabulary::max_piece_bytes(), 64u);
}

// Through the encodings: runs of one character class are single pieces (letters, spaces, punctuation);
// past the limit every entry point throws rather than count or encode a cut piece.
TEST(BpeLimits, EncodingsThrowOnAnUnbreakablePieceOverTheLimit) {
    AGENTKIT_REQUIRE_BPE(cl100k, cl);
    AGENTKIT_REQUIRE_BPE(o200k, o2);
    const piece_limit_guard guard;
    bpe_vocabulary::set_max_piece_bytes(1 << 16);
    for (const char c : {'a', ' ', '-'}) {
        const std::string fits(1 << 16, c), over((1 << 16) + 1, c);
        EXPECT_EQ(cl->decode(cl->encode_ordinary(fits)), fits);
        EXPECT_EQ(o2->count(fits), o2->encode_ordinary(fits).size());
        for (const auto& e :
             {error_of([&] { (void)cl->count(over); }), error_of([&] { (void)cl->encode_ordinary(over); }),
              error_of([&] { (void)cl->encode(over); }), error_of([&] { (void)o2->count("x " + over + " y"); }),
              error_of([&] { cl->for_each_token(over, [](token_id, std::size_t, std::size_t) {}); })}) {
            EXPECT_EQ(e.code(), agentkit::errc::capacity_exceeded) << c;
            EXPECT_EQ(e.field(), "text.max_piece_bytes") << c;
        }
    }
    // Digits are split into runs of at most three by both patterns: no limit is ever reached.
    const std::string digits((1 << 16) + 1, '7');
    EXPECT_EQ(cl->count(digits), cl->encode_ordinary(digits).size());
}

// count_parallel counts chunks on worker threads: a piece over the limit in any chunk reaches the caller
// as the same error (an exception escaping a worker thread would terminate the process).
TEST(BpeLimits, ParallelCountThrowsTheLimitErrorFromAnyChunk) {
    AGENTKIT_REQUIRE_BPE(cl100k, cl);
    const piece_limit_guard guard;
    bpe_vocabulary::set_max_piece_bytes(1 << 12);
    std::string line_text;
    while (line_text.size() < (1 << 16)) line_text += "Some words on a line.\n";
    for (const std::size_t where : {std::size_t{0}, std::size_t{1}, std::size_t{3}}) {
        std::string text;
        for (std::size_t k = 0; k < 4; ++k)
            text += k == where ? "Chunk " + std::string(5000, 'z') + "\n" + line_text : line_text;
        const auto e = error_of([&] { (void)cl->count_parallel(text, 4, 1 << 14); });
        EXPECT_EQ(e.code(), agentkit::errc::capacity_exceeded) << where;
        EXPECT_EQ(e.field(), "text.max_piece_bytes") << where;
    }
    std::string fine;
    for (std::size_t k = 0; k < 4; ++k) fine += line_text;
    EXPECT_EQ(cl->count_parallel(fine, 4, 1 << 14), cl->count(fine));
}

}  // namespace bpe_limits_test
