// Equivalence with @langchain/textsplitters: for every document of the deterministic corpus and every
// (chunkSize, chunkOverlap), our recursive splitter with LangChain's parameters yields exactly LangChain's
// chunks. The reference comes from bench/peers/chunking/reference.mjs (scripts/bootstrap); without it the
// tests fail, never pass (agentkit_test/peer_data.hpp).
#include <agentkit/text/chunk_view.hpp>

#include <agentkit_test/peer_data.hpp>
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <sstream>
#include <string>
#include <vector>

namespace chunk_langchain_equivalence_test {
namespace fs = std::filesystem;
using namespace agentkit::text;  // (inside this file's namespace only)

fs::path chunking_dir() {
    const char* env = std::getenv("AGENTKIT_DATA_DIR");
    return fs::path(env != nullptr && *env != '\0' ? env : AGENTKIT_DATA_DIR) / "chunking";
}

std::string slurp(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

std::vector<std::string> read_chunks(const fs::path& p) {
    const std::string all = slurp(p);
    std::vector<std::string> out;
    std::size_t pos = 0;
    while (pos < all.size()) {
        const std::size_t nl = all.find('\n', pos);
        const std::size_t len = std::stoull(all.substr(pos, nl - pos));
        out.push_back(all.substr(nl + 1, len));
        pos = nl + 1 + len + 1;
    }
    return out;
}

struct reference_case {
    std::string doc, splitter, status, file;
    std::size_t chunk_size = 0, overlap = 0;
};

std::vector<reference_case> manifest() {
    std::vector<reference_case> cases;
    std::ifstream in(chunking_dir() / "reference" / "manifest.tsv");
    std::string line;
    std::getline(in, line);  // header
    while (std::getline(in, line)) {
        std::istringstream row(line);
        reference_case c;
        std::string size, overlap;
        std::getline(row, c.doc, '\t');
        std::getline(row, c.splitter, '\t');
        std::getline(row, size, '\t');
        std::getline(row, overlap, '\t');
        std::getline(row, c.status, '\t');
        std::getline(row, c.file, '\t');
        c.chunk_size = std::stoull(size);
        c.overlap = std::stoull(overlap);
        cases.push_back(c);
    }
    return cases;
}

bool has_astral(std::string_view s) {
    for (unsigned char c : s)
        if (c >= 0xF0u) return true;
    return false;
}

template <class Sizer>
std::vector<std::string> ours(std::string_view doc, const reference_case& c) {
    chunk_config cfg = chunk_config::langchain(c.chunk_size, c.overlap);
    if (c.splitter == "markdown") cfg.separators = langchain_markdown_separators;
    std::vector<std::string> out;
    for (const auto& ch : chunk_view<recursive, Sizer>(doc, cfg)) {
        EXPECT_EQ(ch.text, doc.substr(ch.begin, ch.end - ch.begin));
        out.emplace_back(ch.text);
    }
    return out;
}

std::string first_difference(const std::vector<std::string>& want, const std::vector<std::string>& got) {
    for (std::size_t i = 0; i < std::min(want.size(), got.size()); ++i)
        if (want[i] != got[i])
            return "chunk " + std::to_string(i) + ": langchain |" + want[i] + "| ours |" + got[i] + "|";
    return "chunk counts " + std::to_string(want.size()) + " (langchain) vs " + std::to_string(got.size()) + " (ours)";
}

// Runs every case of `splitter`; by_utf16 is JavaScript's String.length, by_chars equals it without emoji.
template <class Sizer>
void run_cases(const std::string& splitter, bool bmp_only) {
    if (!fs::exists(chunking_dir() / "reference" / "manifest.tsv"))
        AGENTKIT_MISSING_PEER() << "no LangChain reference in " << chunking_dir()
                                << " (run scripts/bootstrap, which needs node and npm)";
    std::size_t compared = 0, divergent = 0;
    for (const auto& c : manifest()) {
        if (c.splitter != splitter) continue;
        const std::string doc = slurp(chunking_dir() / "corpus" / (c.doc + ".txt"));
        if (bmp_only && has_astral(doc)) continue;
        if (c.status == "divergent") {  // LangChain split an emoji into lone surrogates: documented difference
            ++divergent;
            continue;
        }
        const auto want = read_chunks(chunking_dir() / "reference" / c.file);
        const auto got = ours<Sizer>(doc, c);
        EXPECT_TRUE(want == got) << c.file << ": " << first_difference(want, got);
        ++compared;
    }
    EXPECT_GT(compared, 0u);
    ::testing::Test::RecordProperty("compared", static_cast<int>(compared));
    ::testing::Test::RecordProperty("divergent_lone_surrogates", static_cast<int>(divergent));
    std::printf("%zu cases equal to LangChain, %zu skipped (LangChain emitted lone surrogates)\n", compared, divergent);
}

TEST(LangChainEquivalence, RecursiveByUtf16Units) { run_cases<by_utf16>("recursive", false); }
TEST(LangChainEquivalence, RecursiveByCharsOnBmpText) { run_cases<by_chars>("recursive", true); }
TEST(LangChainEquivalence, MarkdownSeparatorsByUtf16Units) { run_cases<by_utf16>("markdown", false); }

}  // namespace chunk_langchain_equivalence_test
