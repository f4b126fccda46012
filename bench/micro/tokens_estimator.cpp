// The calibrated token estimator alone, on the ~10 MB mixed corpus ($AGENTKIT_TOKENS_CORPUS, else
// $AGENTKIT_DATA_DIR/tokens/corpus.txt from scripts/bootstrap --peers), one thread, beside two plain byte
// scans in the same run: each kernel forced in turn (scalar, SSE2, AVX2), the dispatched count() for both
// encodings, chars/4. Counters: GB/s (decimal, CPU time) and heap allocations per call (must be 0).
//   build/<dir>/bench/bench_tokens_estimator --benchmark_repetitions=5 --benchmark_report_aggregates_only=true
#include <agentkit/text/calibrated_estimator.hpp>
#include <agentkit/text/chars_per_token.hpp>

#include <agentkit_bench/allocation_counter.hpp>
#include <agentkit_bench/corpus.hpp>
#include <benchmark/benchmark.h>

#include <atomic>
#include <cstdint>
#include <cstdlib>
#include <new>
#include <string>

// Every heap allocation of the process is counted (agentkit_bench/allocation_counter.hpp), to show that
// estimating allocates nothing.

namespace tokens_estimator_bench {
using namespace agentkit::text;

const std::string& corpus() { return agentkit_bench::tokens_corpus(); }

// Runs body(text) per iteration; reports GB/s and allocations per call.
template <class Body>
void run(benchmark::State& state, Body body) {
    const std::string& text = corpus();
    if (text.empty()) {
        state.SkipWithError("no $AGENTKIT_DATA_DIR/tokens/corpus.txt (run scripts/bootstrap --peers)");
        return;
    }
    const std::uint64_t before = agentkit_bench::allocation_count.load();
    for (auto _ : state) benchmark::DoNotOptimize(body(text));
    const auto calls = static_cast<double>(state.iterations());
    state.counters["allocs/call"] = static_cast<double>(agentkit_bench::allocation_count.load() - before) / calls;
    state.counters["GB/s"] =
        benchmark::Counter(static_cast<double>(text.size()) * calls / 1e9, benchmark::Counter::kIsRate);
    state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations()) * static_cast<std::int64_t>(text.size()));
}

void BM_kernel(benchmark::State& state) {
    const auto level = static_cast<simd_level>(state.range(0));
    if (!simd_level_available(level)) {
        state.SkipWithError("this CPU does not run the kernel");
        return;
    }
    state.SetLabel(to_string(level));
    run(state, [level](const std::string& text) {
        byte_features f;
        measure_features(text, f, level);
        return f;  // all of it: with only one count used, the compiler drops the others' work
    });
}
BENCHMARK(BM_kernel)
    ->Name("estimator/features/kernel")
    ->Arg(static_cast<int>(simd_level::scalar))
    ->Arg(static_cast<int>(simd_level::sse2))
    ->Arg(static_cast<int>(simd_level::avx2))
    ->Unit(benchmark::kMillisecond);

template <class Counter>
constexpr bool runs_a_kernel = false;
template <class E>
constexpr bool runs_a_kernel<calibrated_estimator<E>> = true;

template <class Counter>
void BM_count(benchmark::State& state) {
    if constexpr (runs_a_kernel<Counter>) state.SetLabel(to_string(detected_simd_level()));
    run(state, [](const std::string& text) { return Counter{}.count(text); });
}
BENCHMARK(BM_count<calibrated_estimator<cl100k>>)
    ->Name("estimator/count/calibrated<cl100k>")
    ->Unit(benchmark::kMillisecond);
BENCHMARK(BM_count<calibrated_estimator<o200k>>)
    ->Name("estimator/count/calibrated<o200k>")
    ->Unit(benchmark::kMillisecond);
BENCHMARK(BM_count<chars_per_token<4>>)->Name("estimator/count/chars_per_token<4>")->Unit(benchmark::kMillisecond);

// Yardsticks. The newline count of bench_tokens (whatever the compiler vectorises it to), and a sum of
// all bytes with AVX2 (two loads, one add and one vpsadbw per 64 bytes: about the speed of reading).
void BM_scan_newlines(benchmark::State& state) {
    run(state, [](const std::string& text) {
        std::size_t n = 0;
        for (const unsigned char c : text) n += c == '\n';
        return n;
    });
}
BENCHMARK(BM_scan_newlines)->Name("yardstick/byte_scan(newlines)")->Unit(benchmark::kMillisecond);

#if AGENTKIT_X86_SIMD
AGENTKIT_TARGET_AVX2 inline std::uint64_t sum_bytes_avx2(const unsigned char* p, std::size_t n) noexcept {
    __m256i acc = _mm256_setzero_si256();
    std::size_t i = 0;
    for (; i + 64 <= n; i += 64) {
        const __m256i a = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p + i));
        const __m256i b = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p + i + 32));
        acc = _mm256_add_epi64(
            acc,
            _mm256_add_epi64(_mm256_sad_epu8(a, _mm256_setzero_si256()), _mm256_sad_epu8(b, _mm256_setzero_si256())));
    }
    std::uint64_t s = static_cast<std::uint64_t>(_mm256_extract_epi64(acc, 0) + _mm256_extract_epi64(acc, 1) +
                                                 _mm256_extract_epi64(acc, 2) + _mm256_extract_epi64(acc, 3));
    for (; i < n; ++i) s += p[i];
    return s;
}
void BM_scan_sum_avx2(benchmark::State& state) {
    if (!simd_level_available(simd_level::avx2)) {
        state.SkipWithError("no AVX2");
        return;
    }
    run(state, [](const std::string& text) {
        return sum_bytes_avx2(reinterpret_cast<const unsigned char*>(text.data()), text.size());
    });
}
BENCHMARK(BM_scan_sum_avx2)->Name("yardstick/byte_sum(avx2)")->Unit(benchmark::kMillisecond);
#endif

}  // namespace tokens_estimator_bench
