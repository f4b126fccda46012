// Token-sized chunking with the exact BPE (cl100k_base): the count-per-piece path (by_tokens<cl100k>, what
// LangChain does) and the encode-once path (token_boundaries + by_token_ends). Needs the vocabulary in
// $AGENTKIT_DATA_DIR/tiktoken (scripts/bootstrap); without it every test here fails (agentkit_test/peer_data.hpp).
#include <agentkit/text/bpe_encoding.hpp>
#include <agentkit/text/chunk_token_boundaries.hpp>
#include <agentkit/text/chunk_view.hpp>

#include <agentkit_test/peer_data.hpp>
#include <gtest/gtest.h>
#include <range/v3/range/conversion.hpp>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <random>
#include <string>
#include <vector>

namespace chunk_tokens_test {
namespace fs = std::filesystem;
namespace tx = agentkit::text;
namespace av = agentkit::views;

fs::path data_dir() {
    const char* env = std::getenv("AGENTKIT_DATA_DIR");
    return env != nullptr && *env != '\0' ? fs::path(env) : fs::path(AGENTKIT_DATA_DIR);
}

bool have_vocab() { return fs::exists(data_dir() / "tiktoken" / "cl100k_base.tiktoken"); }

std::string slurp(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// Real text (seeds, design doc, generated corpus when present) plus a mixed CJK/emoji/code sample.
std::vector<std::string> texts() {
    std::vector<std::string> out;
    for (const fs::path& dir : {fs::path(AGENTKIT_SHARED_DIR) / "seeds", data_dir() / "chunking" / "corpus"}) {
        std::error_code ec;
        for (const auto& e : fs::directory_iterator(dir, ec)) {
            if (!e.is_regular_file()) continue;
            std::string t = slurp(e.path());
            if (t.size() > 40000) t.resize(40000);
            out.push_back(std::move(t));
        }
    }
    std::string mixed;
    std::mt19937_64 rng(5);
    static const char* const parts[] = {
        "漢字かな。", "😀 ", "👨‍👩‍👧 ", "int main() { return 0; }\n", "the agent ", "\n\n", "  ", "é"};
    while (mixed.size() < 20000) mixed += parts[rng() % std::size(parts)];
    out.push_back(mixed);
    return out;
}

#define REQUIRE_VOCAB() \
    if (!have_vocab())  \
    AGENTKIT_MISSING_PEER() << "no " << (data_dir() / "tiktoken" / "cl100k_base.tiktoken") << " (run scripts/bootstrap)"

TEST(TokenChunks, EncodeOnceInvariants) {
    REQUIRE_VOCAB();
    const auto& enc = tx::bpe_encoding_of<tx::cl100k>();
    std::size_t chunks = 0, off_by_one = 0, larger = 0, worst = 0;
    for (const auto& doc : texts()) {
        const tx::token_boundaries bounds(doc, enc);
        ASSERT_EQ(bounds.tokens(), enc.count(doc));
        for (const auto& cfg : {tx::chunk_config::langchain(512, 50), tx::chunk_config::precise_search(),
                                tx::chunk_config::langchain(64, 8)}) {
            const auto got = doc | av::chunk(cfg, tx::by_token_ends{&bounds}) | ranges::to<std::vector>();
            for (std::size_t i = 0; i < got.size(); ++i) {
                const auto& c = got[i];
                ASSERT_EQ(c.text.data(), doc.data() + c.begin);
                ASSERT_TRUE(tx::utf8::is_boundary(doc, c.begin) && tx::utf8::is_boundary(doc, c.end));
                ASSERT_EQ(c.size, bounds.tokens_in(c.begin, c.end));
                ASSERT_LE(c.size, cfg.max_chunk_size) << "chunk " << i;
                if (i > 0 && c.begin < got[i - 1].end) {
                    ASSERT_LE(bounds.tokens_in(c.begin, got[i - 1].end), cfg.chunk_overlap);
                }
                // Against encoding the chunk on its own.
                const std::size_t exact = enc.count(c.text);
                ++chunks;
                if (exact != c.size) ++off_by_one;
                if (exact > c.size) ++larger;
                worst = std::max(worst, exact > c.size ? exact - c.size : c.size - exact);
            }
        }
    }
    std::printf("%zu chunks: %zu sized differently from encoding them alone (%zu of them larger), by at most %zu\n",
                chunks, off_by_one, larger, worst);
    ::testing::Test::RecordProperty("chunks", static_cast<int>(chunks));
    ::testing::Test::RecordProperty("differs_from_own_encoding", static_cast<int>(off_by_one));
    // A token cut by a chunk start is counted where it ends; the chunk's own encoding can differ by a token
    // or two at its edges, never more.
    EXPECT_LE(worst, 2u);
}

TEST(TokenChunks, CountPerPieceIsExact) {
    REQUIRE_VOCAB();
    const auto& enc = tx::bpe_encoding_of<tx::cl100k>();
    std::size_t chunks = 0, over = 0;
    for (const auto& doc : texts()) {
        const auto cfg = tx::chunk_config::langchain(256, 25);
        for (const auto& c : doc | av::chunk(cfg, tx::by_tokens<tx::cl100k>{})) {
            ASSERT_EQ(c.size, enc.count(c.text)) << "size is the chunk's own exact count";
            ++chunks;
            over += c.size > cfg.max_chunk_size;
        }
    }
    // The merge sums the pieces' counts; a chunk's own count is never larger than that sum here.
    EXPECT_EQ(over, 0u) << over << " of " << chunks << " chunks above the max";
}

TEST(TokenChunks, EncodeOnceFixedWindowsCutOnTokenEnds) {
    REQUIRE_VOCAB();
    const auto& enc = tx::bpe_encoding_of<tx::cl100k>();
    const std::string doc = texts().front();
    const tx::token_boundaries bounds(doc, enc);
    const auto cfg = tx::chunk_config::langchain(100, 10);
    const auto got = doc | av::chunk<tx::fixed_window>(cfg, tx::by_token_ends{&bounds}) | ranges::to<std::vector>();
    ASSERT_FALSE(got.empty());
    EXPECT_EQ(got.back().end, doc.size());
    for (std::size_t i = 0; i + 1 < got.size(); ++i) {
        EXPECT_LE(got[i].size, 100u);
        EXPECT_GE(got[i].size, 95u) << "a window ends within a few tokens of the max (code-point cuts only)";
    }
}

TEST(TokenChunks, MeasuringAForeignTextIsAnError) {
    REQUIRE_VOCAB();
    const std::string doc = "some document text";
    const tx::token_boundaries bounds(doc, tx::bpe_encoding_of<tx::cl100k>());
    const std::string other = "another text entirely";
    EXPECT_THROW((void)tx::by_token_ends{&bounds}.measure(other), agentkit::error);
}

}  // namespace chunk_tokens_test
