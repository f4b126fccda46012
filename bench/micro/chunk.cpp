// Chunking throughput on the ~10 MB corpus of bench/peers/chunking/corpus.mjs ($AGENTKIT_DATA_DIR/chunking/
// bench-corpus.txt; bench/run-chunking.sh makes it), every strategy and sizing unit. Each iteration chunks the
// whole corpus as one document and touches every chunk. bench/run-chunking.sh puts these side by side with
// @langchain/textsplitters on the same file.
#include <agentkit/text/bpe_encoding.hpp>
#include <agentkit/text/chars_per_token.hpp>
#include <agentkit/text/chunk_token_boundaries.hpp>
#include <agentkit/text/chunk_view.hpp>

#include <agentkit_bench/corpus.hpp>
#include <benchmark/benchmark.h>
#include <sys/resource.h>

#include <cstdlib>
#include <filesystem>
#include <string>

namespace {
namespace tx = agentkit::text;

const std::string& corpus() {
    static const std::string text = [] {
        const std::string path = agentkit_bench::data_dir() + "/chunking/bench-corpus.txt";
        std::string t = agentkit_bench::read_file(path);
        if (t.empty()) {
            std::fprintf(
                stderr,
                "bench_chunk: %s missing: run bench/run-chunking.sh (or node bench/peers/chunking/corpus.mjs)\n",
                path.c_str());
            std::exit(2);
        }
        return t;
    }();
    return text;
}

// The corpus is pure ASCII. This copy puts a non-ASCII character every ~100 bytes (every 16th "a" -> "ä",
// every 32nd "o" -> "中"), so the character path also shows what it does outside ASCII runs.
const std::string& non_ascii_corpus() {
    static const std::string text = [] {
        std::string out;
        out.reserve(corpus().size() + corpus().size() / 20);
        std::size_t a = 0, o = 0;
        for (const char c : corpus()) {
            if (c == 'a' && ++a % 16 == 0)
                out += "\xc3\xa4";
            else if (c == 'o' && ++o % 32 == 0)
                out += "\xe4\xb8\xad";
            else
                out += c;
        }
        return out;
    }();
    return text;
}

// Peak resident set of the process so far, MB (the 10 MB corpus included).
double peak_rss_mb() {
    rusage u{};
    getrusage(RUSAGE_SELF, &u);
    return static_cast<double>(u.ru_maxrss) / 1024.0;
}

// FNV-1a (32 bits) over the chunks' bytes, each followed by a 0 byte: throughput.mjs computes the same over
// LangChain's chunks, so report.mjs can show that both produced the very same chunks on the whole corpus.
std::uint32_t chunks_digest(auto&& chunks) {
    std::uint32_t h = 2166136261u;
    auto eat = [&](unsigned char b) { h = (h ^ b) * 16777619u; };
    for (const auto& c : chunks) {
        for (const char ch : c.text) eat(static_cast<unsigned char>(ch));
        eat(0);
    }
    return h;
}

bool have_vocab() {
    return std::filesystem::exists(std::filesystem::path(agentkit_bench::data_dir()) / "tiktoken" /
                                   "cl100k_base.tiktoken");
}

template <class Strategy, class Sizer>
void run(benchmark::State& state, const tx::chunk_config& cfg, const Sizer& sizer, bool digest = false,
         const std::string& doc = corpus()) {
    std::size_t chunks = 0;
    for (auto _ : state) {
        chunks = 0;
        std::size_t units = 0;
        for (const auto& c : tx::chunk_view<Strategy, Sizer>(doc, cfg, sizer)) {
            ++chunks;
            units += c.size;
        }
        benchmark::DoNotOptimize(units);
    }
    state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * doc.size()));
    state.counters["chunks"] = static_cast<double>(chunks);
    state.counters["peak_rss_mb"] = peak_rss_mb();
    if (digest)  // outside the timed loop
        state.counters["digest"] = static_cast<double>(chunks_digest(tx::chunk_view<Strategy, Sizer>(doc, cfg, sizer)));
}

const tx::chunk_config langchain_512 = tx::chunk_config::langchain(512, 50);

void BM_RecursiveChars(benchmark::State& s) { run<tx::recursive>(s, langchain_512, tx::by_chars{}, true); }
void BM_RecursiveCharsSeedDefaults(benchmark::State& s) { run<tx::recursive>(s, tx::chunk_config{}, tx::by_chars{}); }
void BM_RecursiveCharsFastIndexing(benchmark::State& s) {
    run<tx::recursive>(s, tx::chunk_config::fast_indexing(), tx::by_chars{});
}
void BM_RecursiveCharsPreciseSearch(benchmark::State& s) {
    run<tx::recursive>(s, tx::chunk_config::precise_search(), tx::by_chars{});
}
void BM_RecursiveCharsNonAscii(benchmark::State& s) {
    run<tx::recursive>(s, langchain_512, tx::by_chars{}, false, non_ascii_corpus());
}
void BM_RecursiveBytes(benchmark::State& s) { run<tx::recursive>(s, langchain_512, tx::by_bytes{}); }
void BM_RecursiveUtf16(benchmark::State& s) { run<tx::recursive>(s, langchain_512, tx::by_utf16{}); }
void BM_FixedWindowChars(benchmark::State& s) { run<tx::fixed_window>(s, langchain_512, tx::by_chars{}); }
void BM_MarkdownChars(benchmark::State& s) { run<tx::markdown>(s, langchain_512, tx::by_chars{}); }
void BM_RecursiveHeuristicTokens(benchmark::State& s) {
    run<tx::recursive>(s, langchain_512, tx::by_tokens<tx::chars_per_token<4>>{});
}

// Exact BPE, the way LangChain does it: every candidate piece is encoded (count()).
void BM_RecursiveBpeCountPerPiece(benchmark::State& s) {
    if (!have_vocab()) return s.SkipWithError("no $AGENTKIT_DATA_DIR/tiktoken/cl100k_base.tiktoken");
    run<tx::recursive>(s, langchain_512, tx::by_tokens<tx::cl100k>{});
}

// Exact BPE, encode once: one token_ends pass, then pieces are measured by counting token ends.
void BM_RecursiveBpeEncodeOnce(benchmark::State& s) {
    if (!have_vocab()) return s.SkipWithError("no $AGENTKIT_DATA_DIR/tiktoken/cl100k_base.tiktoken");
    const std::string& doc = corpus();
    const auto& enc = tx::bpe_encoding_of<tx::cl100k>();
    std::size_t chunks = 0, boundary_bytes = 0;
    for (auto _ : s) {
        const tx::token_boundaries bounds(doc, enc);
        boundary_bytes = bounds.resident_bytes();
        chunks = 0;
        std::size_t units = 0;
        for (const auto& c :
             tx::chunk_view<tx::recursive, tx::by_token_ends>(doc, langchain_512, tx::by_token_ends{&bounds})) {
            ++chunks;
            units += c.size;
        }
        benchmark::DoNotOptimize(units);
    }
    s.SetBytesProcessed(static_cast<std::int64_t>(s.iterations() * doc.size()));
    s.counters["chunks"] = static_cast<double>(chunks);
    s.counters["boundary_bytes_per_input_byte"] = static_cast<double>(boundary_bytes) / static_cast<double>(doc.size());
    s.counters["peak_rss_mb"] = peak_rss_mb();
}

// The encode pass alone, to show what the chunking adds on top of it.
void BM_BpeTokenEndsOnly(benchmark::State& s) {
    if (!have_vocab()) return s.SkipWithError("no $AGENTKIT_DATA_DIR/tiktoken/cl100k_base.tiktoken");
    const std::string& doc = corpus();
    const auto& enc = tx::bpe_encoding_of<tx::cl100k>();
    for (auto _ : s) {
        const tx::token_boundaries bounds(doc, enc);
        benchmark::DoNotOptimize(bounds.tokens());
    }
    s.SetBytesProcessed(static_cast<std::int64_t>(s.iterations() * doc.size()));
}

BENCHMARK(BM_RecursiveChars)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_RecursiveCharsSeedDefaults)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_RecursiveCharsFastIndexing)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_RecursiveCharsPreciseSearch)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_RecursiveCharsNonAscii)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_RecursiveBytes)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_RecursiveUtf16)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_FixedWindowChars)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_MarkdownChars)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_RecursiveHeuristicTokens)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_RecursiveBpeCountPerPiece)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_RecursiveBpeEncodeOnce)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_BpeTokenEndsOnly)->Unit(benchmark::kMillisecond);

}  // namespace
