// Chunk views: behaviour of each strategy and sizing unit, and the invariants as properties over random and
// real text (prose, code, markdown, CJK, emoji, invalid UTF-8):
//   chunks are views that map back exactly; they come in order and cover the input (up to trimmed whitespace
//   and dropped separators); no chunk exceeds the max unless it is a single code point (flagged oversized);
//   overlap never exceeds chunk_overlap; no cut splits a code point; sizes are the sizer's measure; a short
//   document is one chunk and a short tail is merged.
#include <agentkit/text/chars_per_token.hpp>
#include <agentkit/text/chunk_view.hpp>

#include <gtest/gtest.h>
#include <range/v3/range/conversion.hpp>
#include <range/v3/view/filter.hpp>
#include <range/v3/view/take.hpp>
#include <range/v3/view/transform.hpp>

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <new>
#include <random>
#include <string>
#include <vector>

// Counts allocations so a test can show the character path allocates nothing per chunk.
namespace chunk_view_test {
std::atomic<std::size_t> g_allocations{0};
}
// (Not inlined: g++ -O2 would otherwise see free() on memory from operator new and warn.)
[[gnu::noinline]] void* operator new(std::size_t n) {
    chunk_view_test::g_allocations.fetch_add(1, std::memory_order_relaxed);
    if (void* p = std::malloc(n == 0 ? 1 : n)) return p;
    throw std::bad_alloc();
}
[[gnu::noinline]] void operator delete(void* p) noexcept { std::free(p); }
[[gnu::noinline]] void operator delete(void* p, std::size_t) noexcept { std::free(p); }

namespace agentkit::text {
// Readable failures: [begin,end)=size.
inline void PrintTo(const chunk& c, std::ostream* os) {
    *os << "[" << c.begin << "," << c.end << ")=" << c.size << (c.oversized ? "!" : "");
}
}  // namespace agentkit::text

namespace chunk_view_test {
namespace fs = std::filesystem;
namespace tx = agentkit::text;
namespace av = agentkit::views;

// --- inputs ------------------------------------------------------------------------------------------------
std::string slurp(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// Real text: the seeds (markdown guides), DESIGN.md, the generated corpus when present, our own headers (code).
std::vector<std::string> real_texts() {
    std::vector<std::string> out;
    for (const fs::path& dir : {fs::path(AGENTKIT_SHARED_DIR) / "seeds", fs::path(AGENTKIT_SHARED_DIR),
                                fs::path(AGENTKIT_DATA_DIR) / "chunking" / "corpus",
                                fs::path(AGENTKIT_SOURCE_DIR) / "include" / "agentkit" / "text"}) {
        std::error_code ec;
        for (const auto& e : fs::directory_iterator(dir, ec)) {
            if (!e.is_regular_file()) continue;
            std::string t = slurp(e.path());
            if (t.size() > 60000) t.resize(60000);  // keep the sanitizer run short
            out.push_back(std::move(t));
        }
    }
    return out;
}

// Random text from a mix of ASCII words, separators, CJK, emoji (with ZWJ), odd whitespace and invalid bytes.
std::string random_text(std::mt19937_64& rng, std::size_t n) {
    static const char* const parts[] = {"the ",
                                        "agent ",
                                        "chunk",
                                        "boundary",
                                        " ",
                                        "  ",
                                        "\n",
                                        "\n\n",
                                        "\n\n\n",
                                        ". ",
                                        ", ",
                                        "\t",
                                        "\r\n",
                                        "漢字",
                                        "かな",
                                        "。",
                                        "\xe3\x80\x80",
                                        "\xc2\xa0",
                                        "😀",
                                        "👨‍👩‍👧",
                                        "🇵🇹",
                                        "é",
                                        "# Title\n",
                                        "```\ncode here\n```\n",
                                        "- item\n",
                                        "\x80",
                                        "\xff",
                                        "\xe2\x82",
                                        "\xf0\x9f",
                                        "supercalifragilistic"};
    std::string s;
    while (s.size() < n) s += parts[rng() % std::size(parts)];
    return s;
}

// --- invariant checks --------------------------------------------------------------------------------------
bool only_gap_chars(std::string_view gap, const tx::chunk_config& cfg) {
    std::size_t b = 0, e = gap.size();
    std::size_t i = 0;
    while (i < gap.size()) {
        if (const auto k = tx::utf8::whitespace_at(gap, i); k != 0) {
            i += k;
            continue;
        }
        bool in_sep = false;
        if (cfg.keep == tx::keep_separator::none)
            for (auto s : cfg.separators)
                if (!s.empty() && s.find(gap[i]) != std::string_view::npos) in_sep = true;
        if (!in_sep) return false;
        ++i;
    }
    (void)b, (void)e;
    return true;
}

template <class Strategy, class Sizer>
void check_invariants(std::string_view doc, const tx::chunk_config& cfg, const Sizer& sizer, const std::string& what) {
    SCOPED_TRACE(what);
    std::vector<tx::chunk> chunks;
    for (const auto& c : tx::chunk_view<Strategy, Sizer>(doc, cfg, sizer)) chunks.push_back(c);
    const bool exact_cover = std::is_same_v<Strategy, tx::fixed_window> || !cfg.strip_whitespace;
    std::size_t covered = 0;
    for (std::size_t i = 0; i < chunks.size(); ++i) {
        const auto& c = chunks[i];
        ASSERT_LT(c.begin, c.end) << "chunk " << i;
        ASSERT_LE(c.end, doc.size());
        ASSERT_EQ(c.text.data(), doc.data() + c.begin) << "a view into the caller's buffer";
        ASSERT_EQ(c.text.size(), c.end - c.begin);
        ASSERT_TRUE(c.begin == 0 || tx::utf8::is_boundary(doc, c.begin))
            << "chunk " << i << " begins inside a code point";
        ASSERT_TRUE(tx::utf8::is_boundary(doc, c.end)) << "chunk " << i << " ends inside a code point";
        ASSERT_EQ(c.size, sizer.measure(c.text)) << "chunk " << i;
        ASSERT_EQ(c.oversized, c.size > cfg.max_chunk_size);
        if (c.oversized) {
            // Only one unit the strategy may not split: a single code point (or a separator-free piece when the
            // separator list has no "").
            if (!cfg.separators.empty() && cfg.separators.back().empty()) {
                ASSERT_EQ(tx::utf8::next_boundary(doc, c.begin), c.end)
                    << "oversized chunk " << i << " is not one code point";
            }
        }
        if (i > 0) {
            const auto& p = chunks[i - 1];
            // Trimming can make two neighbours start at the same byte (LangChain does the same); ends still grow.
            ASSERT_LE(p.begin, c.begin) << "chunks out of order at " << i;
            ASSERT_LE(p.end, c.end) << "chunk " << i << " ends before its predecessor";
            if (c.begin < p.end) {
                ASSERT_LE(sizer.measure(doc.substr(c.begin, p.end - c.begin)), cfg.chunk_overlap) << "overlap at " << i;
            }
        }
        // Coverage: what lies between the covered prefix and this chunk is whitespace (or dropped separators).
        if (c.begin > covered) {
            const auto gap = doc.substr(covered, c.begin - covered);
            if (exact_cover && cfg.keep != tx::keep_separator::none) {
                ASSERT_TRUE(gap.empty()) << "gap before chunk " << i;
            } else {
                ASSERT_TRUE(only_gap_chars(gap, cfg)) << "uncovered text before chunk " << i;
            }
        }
        covered = std::max(covered, c.end);
    }
    const auto rest = doc.substr(covered);
    if (exact_cover && cfg.keep != tx::keep_separator::none) {
        ASSERT_TRUE(rest.empty());
    } else {
        ASSERT_TRUE(only_gap_chars(rest, cfg)) << "uncovered tail";
    }
    // minChunkSize: a short document is one chunk; a short tail merged into its neighbour, or took min units
    // from it when the merge would not fit; every chunk before those two is as without minChunkSize.
    if (cfg.min_chunk_size > 0 && sizer.measure(doc) < cfg.min_chunk_size) {
        ASSERT_LE(chunks.size(), 1u);
    } else if (cfg.min_chunk_size > 0) {
        tx::chunk_config no_min = cfg;
        no_min.min_chunk_size = 0;
        std::vector<tx::chunk> plain;
        for (const auto& c : tx::chunk_view<Strategy, Sizer>(doc, no_min, sizer)) plain.push_back(c);
        const std::size_t n = plain.size();
        if (n >= 2 && plain.back().size < cfg.min_chunk_size) {
            ASSERT_GE(chunks.size() + 1, n);
            ASSERT_LE(chunks.size(), n);
            for (std::size_t i = 0; i + 2 < n; ++i) ASSERT_EQ(chunks[i], plain[i]) << "chunk " << i << " changed";
            ASSERT_EQ(chunks.back().end, plain.back().end);
            if (chunks.size() == n - 1 && chunks.back().begin == plain[n - 2].begin) {
                ASSERT_LE(chunks.back().size, cfg.max_chunk_size) << "merged";
            } else {
                const std::size_t lower = n >= 3 ? plain[n - 3].end : 0;
                ASSERT_TRUE(chunks.back().size >= cfg.min_chunk_size || chunks.back().begin <= lower + 4 * 4)
                    << "tail of " << chunks.back().size << " after moving the boundary";
            }
        } else {
            ASSERT_EQ(chunks, plain);
        }
    }
}

template <class Sizer>
void check_all_strategies(std::string_view doc, const tx::chunk_config& cfg, const Sizer& sizer,
                          const std::string& what) {
    check_invariants<tx::recursive>(doc, cfg, sizer, what + " recursive");
    check_invariants<tx::fixed_window>(doc, cfg, sizer, what + " fixed");
    check_invariants<tx::markdown>(doc, cfg, sizer, what + " markdown");
}

tx::chunk_config random_config(std::mt19937_64& rng) {
    tx::chunk_config cfg;
    // One draw per statement: the order of two draws in one expression is unspecified.
    const bool tiny = rng() % 4 == 0;
    cfg.max_chunk_size = 1 + rng() % (tiny ? 8 : 600);
    const bool no_overlap = rng() % 3 == 0;
    cfg.chunk_overlap = no_overlap ? 0 : rng() % cfg.max_chunk_size;
    const bool no_min = rng() % 2 == 0;
    cfg.min_chunk_size = no_min ? 0 : rng() % (cfg.max_chunk_size + 1);
    cfg.keep = static_cast<tx::keep_separator>(rng() % 3);
    cfg.strip_whitespace = rng() % 4 != 0;
    cfg.separators = rng() % 2 == 0 ? std::span<const std::string_view>(tx::langchain_separators)
                                    : std::span<const std::string_view>(tx::sentence_separators);
    return cfg;
}

std::string describe(const tx::chunk_config& c) {
    return "max=" + std::to_string(c.max_chunk_size) + " overlap=" + std::to_string(c.chunk_overlap) +
        " min=" + std::to_string(c.min_chunk_size) + " keep=" + std::to_string(static_cast<int>(c.keep)) +
        " strip=" + std::to_string(c.strip_whitespace) + " seps=" + std::to_string(c.separators.size());
}

// --- properties ----------------------------------------------------------------------------------------------
TEST(ChunkProperties, RandomTextEverySizerEveryStrategy) {
    std::mt19937_64 rng(20261123);
    for (int round = 0; round < 120; ++round) {
        const std::string doc = random_text(rng, rng() % 3000);
        const auto cfg = random_config(rng);
        const std::string what = "round " + std::to_string(round) + " " + describe(cfg);
        check_all_strategies(doc, cfg, tx::by_chars{}, what + " chars");
        check_all_strategies(doc, cfg, tx::by_bytes{}, what + " bytes");
        check_all_strategies(doc, cfg, tx::by_utf16{}, what + " utf16");
        check_all_strategies(doc, cfg, tx::by_tokens<tx::chars_per_token<4>>{}, what + " tokens");
        if (HasFatalFailure()) return;
    }
}

TEST(ChunkProperties, RandomBytes) {
    std::mt19937_64 rng(7);
    for (int round = 0; round < 80; ++round) {
        std::string doc(rng() % 2000, '\0');
        for (auto& ch : doc) ch = static_cast<char>(rng() % 4 == 0 ? ' ' : rng());
        const auto cfg = random_config(rng);
        check_all_strategies(doc, cfg, tx::by_chars{}, "bytes round " + std::to_string(round) + " " + describe(cfg));
        check_all_strategies(doc, cfg, tx::by_bytes{}, "bytes round " + std::to_string(round) + " " + describe(cfg));
        if (HasFatalFailure()) return;
    }
}

TEST(ChunkProperties, RealTextSeedPresets) {
    const auto texts = real_texts();
    ASSERT_FALSE(texts.empty());
    std::mt19937_64 rng(3);
    for (std::size_t i = 0; i < texts.size(); ++i) {
        for (const auto& cfg :
             {tx::chunk_config::defaults(), tx::chunk_config::fast_indexing(), tx::chunk_config::precise_search()}) {
            check_all_strategies(texts[i], cfg, tx::by_chars{}, "text " + std::to_string(i) + " " + describe(cfg));
            check_invariants<tx::recursive>(texts[i], cfg, tx::by_tokens<tx::chars_per_token<4>>{}, "text tokens");
        }
        const auto cfg = random_config(rng);
        check_all_strategies(texts[i], cfg, tx::by_utf16{}, "text " + std::to_string(i) + " " + describe(cfg));
        if (HasFatalFailure()) return;
    }
}

// The fast merge (by_chars / by_bytes with keep_separator::start) against the piece-by-piece merge, which a
// non-additive sizer always takes: the same counts through by_tokens must give the same chunks.
struct code_point_counter {
    std::size_t count(std::string_view t) const noexcept { return tx::utf8::count_code_points(t); }
};
struct byte_counter {
    std::size_t count(std::string_view t) const noexcept { return t.size(); }
};
struct utf16_counter {
    std::size_t count(std::string_view t) const noexcept { return tx::utf8::count_utf16_units(t); }
};

TEST(ChunkProperties, FastMergeEqualsPieceByPieceMerge) {
    std::mt19937_64 rng(99);
    for (int round = 0; round < 300; ++round) {
        const std::string doc = random_text(rng, rng() % 4000);
        auto cfg = random_config(rng);
        cfg.keep = tx::keep_separator::start;
        const std::string what = "round " + std::to_string(round) + " " + describe(cfg);
        const auto fast = tx::chunk_view<tx::recursive, tx::by_chars>(doc, cfg) | ranges::to<std::vector>();
        const auto slow =
            tx::chunk_view<tx::recursive, tx::by_tokens<code_point_counter>>(doc, cfg) | ranges::to<std::vector>();
        ASSERT_EQ(fast, slow) << what << " chars; doc starts " << ::testing::PrintToString(doc.substr(0, 40));
        const auto fast_u = tx::chunk_view<tx::recursive, tx::by_utf16>(doc, cfg) | ranges::to<std::vector>();
        const auto slow_u =
            tx::chunk_view<tx::recursive, tx::by_tokens<utf16_counter>>(doc, cfg) | ranges::to<std::vector>();
        ASSERT_EQ(fast_u, slow_u) << what << " utf16";
        const auto fast_b = tx::chunk_view<tx::markdown, tx::by_bytes>(doc, cfg) | ranges::to<std::vector>();
        const auto slow_b =
            tx::chunk_view<tx::markdown, tx::by_tokens<byte_counter>>(doc, cfg) | ranges::to<std::vector>();
        ASSERT_EQ(fast_b, slow_b) << what << " bytes markdown";
    }
}

// Long ASCII runs with a rare non-ASCII character or invalid byte: the character fast path counts inside ASCII
// runs by subtraction and learns the runs while it searches, so the runs' edges must not change a chunk.
std::string mostly_ascii_text(std::mt19937_64& rng, std::size_t n, unsigned one_in) {
    static const char* const parts[] = {"the ", "agent ", "chunk", "boundary", " ", "\n", "\n\n", ". ", "  ", "\t"};
    static const char* const rare[] = {"é", "漢字", "😀", "\xc2\xa0", "\x80", "\xe2\x80\xa8"};
    std::string s;
    while (s.size() < n) {
        if (rng() % one_in == 0)
            s += rare[rng() % std::size(rare)];
        else
            s += parts[rng() % std::size(parts)];
    }
    return s;
}

TEST(ChunkProperties, FastMergeEqualsPieceByPieceMergeOnMostlyAsciiText) {
    std::mt19937_64 rng(2026);
    for (int round = 0; round < 80; ++round) {
        const unsigned one_in = round % 2 == 0 ? 400 : 25;  // a rare character every ~2 KB, or every ~100 bytes
        const std::string doc = mostly_ascii_text(rng, rng() % 12000, one_in);
        auto cfg = random_config(rng);
        cfg.keep = tx::keep_separator::start;
        const std::string what = "round " + std::to_string(round) + " " + describe(cfg);
        const auto fast = tx::chunk_view<tx::recursive, tx::by_chars>(doc, cfg) | ranges::to<std::vector>();
        const auto slow =
            tx::chunk_view<tx::recursive, tx::by_tokens<code_point_counter>>(doc, cfg) | ranges::to<std::vector>();
        ASSERT_EQ(fast, slow) << what;
        check_invariants<tx::recursive>(doc, cfg, tx::by_chars{}, what);
        const auto fast_u = tx::chunk_view<tx::recursive, tx::by_utf16>(doc, cfg) | ranges::to<std::vector>();
        const auto slow_u =
            tx::chunk_view<tx::recursive, tx::by_tokens<utf16_counter>>(doc, cfg) | ranges::to<std::vector>();
        ASSERT_EQ(fast_u, slow_u) << what << " utf16";
    }
}

// --- behaviour -----------------------------------------------------------------------------------------------
std::vector<std::string> texts_of(auto&& view) {
    std::vector<std::string> out;
    for (const auto& c : view) out.emplace_back(c.text);
    return out;
}

TEST(RecursiveChunker, FollowsLangChainOnAHandExample) {
    // Outputs of @langchain/textsplitters 1.0.2 RecursiveCharacterTextSplitter (default separators).
    EXPECT_EQ(
        texts_of(std::string_view("one two three four\n\nfive six") | av::chunk(tx::chunk_config::langchain(10, 3))),
        (std::vector<std::string>{"one two", "three", "four", "five six"}));
    EXPECT_EQ(
        texts_of(std::string_view("alpha beta gamma delta\n\nepsilon") | av::chunk(tx::chunk_config::langchain(12, 5))),
        (std::vector<std::string>{"alpha beta", "beta gamma", "delta", "epsilon"}));
}

TEST(RecursiveChunker, KeepSeparatorEndSuitsSentences) {
    const std::string doc = "First sentence here. Second one is here. Third.";
    auto cfg = tx::chunk_config::langchain(25, 0);
    cfg.separators = tx::sentence_separators;
    cfg.keep = tx::keep_separator::end;
    const auto got = texts_of(doc | av::chunk(cfg));
    EXPECT_EQ(got, (std::vector<std::string>{"First sentence here.", "Second one is here.", "Third."}));
}

TEST(RecursiveChunker, KeepSeparatorNoneDropsSeparatorsAtBoundaries) {
    const std::string doc = "aaaa--bbbb--cccc";
    auto cfg = tx::chunk_config::langchain(5, 0);
    static constexpr std::string_view dashes[] = {"--", ""};
    cfg.separators = dashes;
    cfg.keep = tx::keep_separator::none;
    EXPECT_EQ(texts_of(doc | av::chunk(cfg)), (std::vector<std::string>{"aaaa", "bbbb", "cccc"}));
    cfg.keep = tx::keep_separator::start;  // the separator counts: "--bbbb" is 6
    cfg.max_chunk_size = 6;
    EXPECT_EQ(texts_of(doc | av::chunk(cfg)), (std::vector<std::string>{"aaaa", "--bbbb", "--cccc"}));
}

TEST(RecursiveChunker, NeverSplitsACodePointEvenWhenLangChainWould) {
    const std::string doc = "😀😀😀😀";  // no separator: cut between code points
    auto cfg = tx::chunk_config::langchain(3, 0);
    const auto got = doc | av::chunk(cfg, tx::by_utf16{}) | ranges::to<std::vector>();
    ASSERT_EQ(got.size(), 4u);  // each emoji is 2 UTF-16 units: one per chunk
    for (const auto& c : got) EXPECT_EQ(c.size, 2u);
    cfg.max_chunk_size = 1;
    const auto tiny = doc | av::chunk(cfg, tx::by_utf16{}) | ranges::to<std::vector>();
    ASSERT_EQ(tiny.size(), 4u);
    for (const auto& c : tiny) EXPECT_TRUE(c.oversized) << "a single code point larger than the max is flagged";
}

TEST(ChunkView, ShortDocumentIsOneChunk) {
    const std::string doc = "  A short note.\n\nWith two paragraphs.  ";
    auto cfg = tx::chunk_config::defaults();
    cfg.max_chunk_size = 20;
    cfg.chunk_overlap = 5;
    cfg.min_chunk_size = 20;
    const auto got = doc | av::chunk(cfg) | ranges::to<std::vector>();
    ASSERT_EQ(got.size(), 2u) << "the document is 37 characters: not below min";
    cfg.min_chunk_size = 20;
    cfg.max_chunk_size = 60;
    cfg.min_chunk_size = 60;
    const auto one = doc | av::chunk(cfg) | ranges::to<std::vector>();
    ASSERT_EQ(one.size(), 1u);
    EXPECT_EQ(one[0].text, "A short note.\n\nWith two paragraphs.");
}

TEST(ChunkView, ShortTailMergesIntoItsNeighbour) {
    const std::string doc = "alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu";  // 66 chars
    auto cfg = tx::chunk_config::langchain(60, 0);
    const auto plain = doc | av::chunk(cfg) | ranges::to<std::vector>();
    ASSERT_EQ(plain.size(), 2u);
    EXPECT_EQ(plain[1].text, "lambda mu");
    cfg.min_chunk_size = 12;
    const auto moved = doc | av::chunk(cfg) | ranges::to<std::vector>();
    ASSERT_EQ(moved.size(), 2u) << "merging would exceed the max: the boundary moves back instead";
    EXPECT_EQ(moved[0].text, "alpha beta gamma delta epsilon zeta eta theta iota");
    EXPECT_EQ(moved[1].text, "kappa lambda mu");
    cfg.max_chunk_size = 70;
    cfg.chunk_overlap = 0;
    const std::string two = doc + " nu xi omicron pi rho sigma tau upsilon phi chi psi omega";
    const auto merged = two | av::chunk(cfg) | ranges::to<std::vector>();
    ASSERT_EQ(merged.size(), 2u);
    cfg.min_chunk_size = 60;
    const auto m = two | av::chunk(cfg) | ranges::to<std::vector>();
    ASSERT_EQ(m.size(), 2u);
    EXPECT_GE(m.back().size, 60u);
    EXPECT_LE(m.front().size, 70u);
}

// With separators dropped (keep none, no stripping), giving a short tail its minimum can reach back into the
// gap between the two chunks: the chunk before keeps its own end, never past it and never above the max.
TEST(ChunkView, ShortTailReachingIntoADroppedSeparatorLeavesItsNeighbourAlone) {
    const std::string doc = "abcdef\n       g";
    tx::chunk_config cfg{.max_chunk_size = 6, .chunk_overlap = 0, .min_chunk_size = 5};
    cfg.keep = tx::keep_separator::none;
    cfg.strip_whitespace = false;
    const auto got = doc | av::chunk(cfg) | ranges::to<std::vector>();
    ASSERT_EQ(got.size(), 2u);
    EXPECT_EQ(got[0].text, "abcdef");
    EXPECT_FALSE(got[0].oversized);
    EXPECT_EQ(got[1].text, "     g");
    for (const auto& c : got) EXPECT_LE(c.size, cfg.max_chunk_size);
}

TEST(FixedWindow, WindowsOfMaxWithOverlap) {
    const std::string doc(1000, 'x');
    auto cfg = tx::chunk_config::langchain(100, 10);
    const auto got = doc | av::chunk<tx::fixed_window>(cfg) | ranges::to<std::vector>();
    ASSERT_EQ(got.size(), 11u);  // 100, then every 90
    for (std::size_t i = 0; i + 1 < got.size(); ++i) {
        EXPECT_EQ(got[i].size, 100u);
        EXPECT_EQ(got[i + 1].begin, got[i].end - 10);
    }
    EXPECT_EQ(got.back().end, 1000u);
}

TEST(FixedWindow, TokenWindowsWithTheHeuristicCounter) {
    const std::string doc(1000, 'x');
    auto cfg = tx::chunk_config::langchain(25, 5);  // 25 tokens = 100 characters at 4 per token
    const auto got =
        doc | av::chunk<tx::fixed_window>(cfg, tx::by_tokens{tx::chars_per_token<4>{}}) | ranges::to<std::vector>();
    ASSERT_GE(got.size(), 2u);
    EXPECT_EQ(got[0].end, 100u);
    EXPECT_EQ(got[1].begin, 80u);
}

TEST(MarkdownChunker, HeadingsStartChunksAndFencesStayWhole) {
    const std::string doc =
        "# Intro\nSome words here.\n\n## Setup\nRun this:\n\n```sh\nmake build\n\nmake test\n```\n\nDone.\n"
        "```\nnot a heading:\n# inside fence\n```\n### Next\nEnd.";
    auto cfg = tx::chunk_config::langchain(40, 0);
    const auto got = doc | av::chunk<tx::markdown>(cfg) | ranges::to<std::vector>();
    std::vector<std::string> texts;
    for (const auto& c : got) texts.emplace_back(c.text);
    const auto starts_with = [&](std::string_view p) {
        for (const auto& t : texts)
            if (t.rfind(p, 0) == 0) return true;
        return false;
    };
    EXPECT_TRUE(starts_with("# Intro"));
    EXPECT_TRUE(starts_with("## Setup"));
    EXPECT_TRUE(starts_with("### Next"));
    EXPECT_FALSE(starts_with("# inside fence")) << "a # line inside a fence is no heading";
    bool fence_whole = false;
    for (const auto& t : texts) fence_whole |= t.find("```sh\nmake build\n\nmake test\n```") != std::string::npos;
    EXPECT_TRUE(fence_whole) << "the fence fits in 40 characters: never cut";
}

TEST(MarkdownChunker, FenceLargerThanMaxIsCut) {
    std::string body;
    for (int i = 0; i < 30; ++i) body += "line " + std::to_string(i) + "\n";
    const std::string doc = "```\n" + body + "```\n";
    const auto got = doc | av::chunk<tx::markdown>(tx::chunk_config::langchain(50, 0)) | ranges::to<std::vector>();
    EXPECT_GT(got.size(), 1u);
    for (const auto& c : got) EXPECT_LE(c.size, 50u);
}

TEST(ChunkView, ComposesWithRangeV3Views) {
    const std::string doc = "one two three four five six seven eight nine ten";
    const auto sizes = doc | av::chunk(tx::chunk_config::langchain(10, 0)) |
        ranges::views::filter([](const tx::chunk& c) { return c.size > 3; }) |
        ranges::views::transform([](const tx::chunk& c) { return c.text; }) | ranges::views::take(2) |
        ranges::to<std::vector<std::string>>();
    EXPECT_EQ(sizes, (std::vector<std::string>{"one two", "three"}));  // " four" + " five" fit: "four five"
    // Multi-pass: iterating twice gives the same chunks.
    const auto v = doc | av::chunk(tx::chunk_config::langchain(10, 0));
    EXPECT_EQ(texts_of(v), texts_of(v));
}

TEST(ChunkView, NoAllocationPerChunkOnTheCharacterPath) {
    std::mt19937_64 rng(11);
    const std::string doc = random_text(rng, 2'000'000);
    const tx::chunk_config cfg = tx::chunk_config::defaults();
    const auto view = tx::chunk_view<tx::recursive, tx::by_chars>(doc, cfg);
    const std::size_t before = g_allocations.load();
    std::size_t chunks = 0, bytes = 0;
    for (const auto& c : view) {
        ++chunks;
        bytes += c.text.size();
    }
    const std::size_t allocations = g_allocations.load() - before;
    EXPECT_GT(chunks, 1000u);
    EXPECT_GT(bytes, 0u);
    EXPECT_LE(allocations, 8u) << allocations << " allocations for " << chunks
                               << " chunks (only the merge queue grows)";
}

TEST(ChunkConfig, PresetsAreTheSeeds) {
    EXPECT_EQ(tx::chunk_config{}.max_chunk_size, 512u);
    EXPECT_EQ(tx::chunk_config{}.chunk_overlap, 50u);
    EXPECT_EQ(tx::chunk_config{}.min_chunk_size, 128u);
    EXPECT_EQ(tx::chunk_config::fast_indexing().max_chunk_size, 1024u);
    EXPECT_EQ(tx::chunk_config::fast_indexing().chunk_overlap, 100u);
    EXPECT_EQ(tx::chunk_config::precise_search().max_chunk_size, 256u);
    EXPECT_EQ(tx::chunk_config::precise_search().chunk_overlap, 25u);
}

TEST(ChunkConfig, BadKnobsNameTheField) {
    const auto field_of = [](tx::chunk_config cfg) {
        try {
            cfg.validate();
        } catch (const agentkit::error& e) {
            return e.field();
        }
        return std::string("(accepted)");
    };
    EXPECT_EQ(field_of({.max_chunk_size = 0, .chunk_overlap = 0, .min_chunk_size = 0}), "max_chunk_size");
    EXPECT_EQ(field_of({.max_chunk_size = 100, .chunk_overlap = 100}), "chunk_overlap");
    EXPECT_EQ(field_of({.max_chunk_size = 100, .chunk_overlap = 10, .min_chunk_size = 101}), "min_chunk_size");
    static constexpr std::string_view bad[] = {"", "\n"};
    EXPECT_EQ(field_of({.separators = bad}), "separators");
    EXPECT_THROW((void)av::chunk(tx::chunk_config{.max_chunk_size = 10, .chunk_overlap = 10}), agentkit::error);
}

TEST(ChunkView, EmptyAndWhitespaceOnlyDocuments) {
    EXPECT_TRUE(texts_of(std::string_view{} | av::chunk()).empty());
    EXPECT_TRUE(texts_of(std::string_view{" \n\n \t "} | av::chunk()).empty());
    auto cfg = tx::chunk_config::langchain(10, 0);
    cfg.strip_whitespace = false;
    EXPECT_EQ(texts_of(std::string_view{" \n"} | av::chunk(cfg)).size(), 1u);
}

}  // namespace chunk_view_test
