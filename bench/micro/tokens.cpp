// Token counting, one thread unless named: every estimator, exact count (count-only path), encode,
// token_ends, decode, parallel count, a 1 MiB piece without spaces, and vocabulary load time / resident
// bytes. Input: the ~10 MB mixed corpus of bench/peers/tokens/make-reference.mjs ($AGENTKIT_DATA_DIR/
// tokens/corpus.txt, written by scripts/bootstrap --peers). bench/run-tokens.sh puts it beside the peers.
#include <agentkit/text/bpe_encoding.hpp>
#include <agentkit/text/calibrated_estimator.hpp>
#include <agentkit/text/chars_per_token.hpp>

#include <agentkit_bench/corpus.hpp>
#include <benchmark/benchmark.h>

#include <chrono>
#include <random>
#include <string>
#include <vector>

namespace {
using namespace agentkit::text;

const std::string& corpus() { return agentkit_bench::tokens_corpus(); }
bool need_corpus(benchmark::State& state) {
    if (!corpus().empty()) return true;
    state.SkipWithError("no $AGENTKIT_DATA_DIR/tokens/corpus.txt (run scripts/bootstrap --peers)");
    return false;
}

template <class Counter>
void BM_estimate(benchmark::State& state) {
    if (!need_corpus(state)) return;
    const Counter c{};
    const std::string& text = corpus();
    for (auto _ : state) benchmark::DoNotOptimize(c.count(text));
    state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * text.size()));
    state.counters["tokens"] = static_cast<double>(c.count(text));
}
BENCHMARK(BM_estimate<chars_per_token<4>>)->Name("estimate/chars_per_token<4>")->Unit(benchmark::kMillisecond);
BENCHMARK(BM_estimate<calibrated_estimator<cl100k>>)
    ->Name("estimate/calibrated<cl100k>")
    ->Unit(benchmark::kMillisecond);
BENCHMARK(BM_estimate<calibrated_estimator<o200k>>)->Name("estimate/calibrated<o200k>")->Unit(benchmark::kMillisecond);

// A plain byte scan, as the memory-speed yardstick for the estimators.
void BM_byte_scan(benchmark::State& state) {
    if (!need_corpus(state)) return;
    const std::string& text = corpus();
    for (auto _ : state) {
        std::size_t n = 0;
        for (unsigned char c : text) n += c == '\n';
        benchmark::DoNotOptimize(n);
    }
    state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * text.size()));
}
BENCHMARK(BM_byte_scan)->Name("estimate/byte_scan(newlines)")->Unit(benchmark::kMillisecond);

template <class P>
void BM_count(benchmark::State& state) {
    if (!need_corpus(state)) return;
    const auto& enc = bpe_encoding_of<P>();
    const std::string& text = corpus();
    for (auto _ : state) benchmark::DoNotOptimize(enc.count(text));
    state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * text.size()));
    state.counters["tokens"] = static_cast<double>(enc.count(text));
    state.counters["memo_bytes"] = static_cast<double>(bpe_vocabulary::thread_memo_bytes());
}
BENCHMARK(BM_count<cl100k>)->Name("exact/count/cl100k_base")->Unit(benchmark::kMillisecond);
BENCHMARK(BM_count<o200k>)->Name("exact/count/o200k_base")->Unit(benchmark::kMillisecond);

template <class P>
void BM_encode(benchmark::State& state) {
    if (!need_corpus(state)) return;
    const auto& enc = bpe_encoding_of<P>();
    const std::string& text = corpus();
    std::vector<token_id> ids;
    for (auto _ : state) {
        ids.clear();
        enc.encode_ordinary(text, ids);
        benchmark::DoNotOptimize(ids.data());
    }
    state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * text.size()));
    state.counters["memo_bytes"] = static_cast<double>(bpe_vocabulary::thread_memo_bytes());
}
BENCHMARK(BM_encode<cl100k>)->Name("exact/encode/cl100k_base")->Unit(benchmark::kMillisecond);
BENCHMARK(BM_encode<o200k>)->Name("exact/encode/o200k_base")->Unit(benchmark::kMillisecond);

template <class P>
void BM_token_ends(benchmark::State& state) {
    if (!need_corpus(state)) return;
    const auto& enc = bpe_encoding_of<P>();
    const std::string& text = corpus();
    std::vector<std::uint32_t> ends;
    for (auto _ : state) {
        ends.clear();
        enc.token_ends(text, ends);
        benchmark::DoNotOptimize(ends.data());
    }
    state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * text.size()));
}
BENCHMARK(BM_token_ends<cl100k>)->Name("exact/token_ends/cl100k_base")->Unit(benchmark::kMillisecond);

template <class P>
void BM_decode(benchmark::State& state) {
    if (!need_corpus(state)) return;
    const auto& enc = bpe_encoding_of<P>();
    const std::string& text = corpus();
    const auto ids = enc.encode_ordinary(text);
    std::string out;
    for (auto _ : state) {
        out.clear();
        enc.decode(ids, out);
        benchmark::DoNotOptimize(out.data());
    }
    state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * text.size()));
}
BENCHMARK(BM_decode<cl100k>)->Name("exact/decode/cl100k_base")->Unit(benchmark::kMillisecond);

template <class P>
void BM_count_parallel(benchmark::State& state) {
    if (!need_corpus(state)) return;
    const auto& enc = bpe_encoding_of<P>();
    const std::string& text = corpus();
    const auto threads = static_cast<unsigned>(state.range(0));
    for (auto _ : state) benchmark::DoNotOptimize(enc.count_parallel(text, threads));
    state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * text.size()));
}
BENCHMARK(BM_count_parallel<cl100k>)
    ->Name("exact/count_parallel/cl100k_base")
    ->Arg(1)
    ->Arg(2)
    ->UseRealTime()
    ->Unit(benchmark::kMillisecond);

// One piece of 1 MiB (random lowercase letters, no spaces): the O(n log n) merge.
void BM_long_piece(benchmark::State& state) {
    const auto& enc = bpe_encoding_of<cl100k>();
    std::mt19937 rng(5);
    std::string letters(1 << 20, 'a');
    for (auto& c : letters) c = static_cast<char>('a' + rng() % 26);
    for (auto _ : state) benchmark::DoNotOptimize(enc.count(letters));
    state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * letters.size()));
}
BENCHMARK(BM_long_piece)->Name("exact/count/cl100k_base/1MiB_letters_one_piece")->Unit(benchmark::kMillisecond);

template <class P>
void BM_load(benchmark::State& state) {
    const std::string dir = tiktoken_dir();
    std::size_t resident = 0;
    for (auto _ : state) {
        const auto enc = load_bpe_encoding<P>(dir);
        resident = enc.resident_bytes();
        benchmark::DoNotOptimize(resident);
    }
    state.counters["resident_bytes"] = static_cast<double>(resident);
}
BENCHMARK(BM_load<cl100k>)->Name("vocab/load/cl100k_base")->Unit(benchmark::kMillisecond)->Iterations(5);
BENCHMARK(BM_load<o200k>)->Name("vocab/load/o200k_base")->Unit(benchmark::kMillisecond)->Iterations(5);

}  // namespace
