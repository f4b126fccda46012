// Whole-file reads: file_cache (a miss from a cold page cache, a miss from a warm one, a hit) beside
// agentkit::read_file alone and the std::istreambuf_iterator loop it replaced, in bytes per second.
// The file is $AGENTKIT_FILE_INPUT, else the chunking corpus (<data>/chunking/bench-corpus.txt).
// "cold" evicts the file from the page cache before every read with posix_fadvise(POSIX_FADV_DONTNEED)
// (no privileges needed; under a VM the host may still hold the blocks, so it is the guest's cold read).
// bench/run-file-input.sh runs it beside `cat` on the same file.
#include <agentkit/cache/file_cache.hpp>
#include <agentkit/core/read_file.hpp>

#include <agentkit_bench/corpus.hpp>
#include <benchmark/benchmark.h>

#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <string>

#include <fcntl.h>
#include <unistd.h>

namespace {
namespace ac = agentkit::cache;

const std::string& input_path() {
    static const std::string path = [] {
        const char* env = std::getenv("AGENTKIT_FILE_INPUT");
        return env != nullptr && *env != '\0' ? std::string(env)
                                              : agentkit_bench::data_dir() + "/chunking/bench-corpus.txt";
    }();
    return path;
}

std::int64_t input_size(benchmark::State& state) {
    const std::int64_t n = static_cast<std::int64_t>(
        agentkit::read_file(input_path(), agentkit_bench::max_corpus_bytes, "bench.max_corpus_bytes").size());
    if (n == 0) state.SkipWithError("empty or missing input: set AGENTKIT_FILE_INPUT");
    return n;
}

// Drops the file's pages from the page cache (clean pages only: the file is not being written).
void evict(const std::string& path) {
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return;
    ::posix_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED);
    ::close(fd);
}

// Every file is cached whatever its size: the 50 MB end-to-end file too.
ac::file_cache::config caching_everything() { return {.max_file_size = std::size_t{1} << 30}; }

void BM_FileCacheMissCold(benchmark::State& state) {
    const auto bytes = input_size(state);
    ac::file_cache cache(caching_everything());
    for (auto _ : state) {
        state.PauseTiming();
        cache.clear();
        evict(input_path());
        state.ResumeTiming();
        benchmark::DoNotOptimize(cache.read(input_path()));
    }
    state.SetBytesProcessed(state.iterations() * bytes);
}
BENCHMARK(BM_FileCacheMissCold)->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_FileCacheMissWarm(benchmark::State& state) {
    const auto bytes = input_size(state);
    ac::file_cache cache(caching_everything());
    for (auto _ : state) {
        state.PauseTiming();
        cache.clear();
        state.ResumeTiming();
        benchmark::DoNotOptimize(cache.read(input_path()));
    }
    state.SetBytesProcessed(state.iterations() * bytes);
}
BENCHMARK(BM_FileCacheMissWarm)->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_FileCacheHit(benchmark::State& state) {
    input_size(state);
    ac::file_cache cache(caching_everything());
    cache.read(input_path());
    for (auto _ : state) benchmark::DoNotOptimize(cache.read(input_path()));  // a stat and a lookup: time per hit
}
BENCHMARK(BM_FileCacheHit)->UseRealTime();

void BM_ReadFileWarm(benchmark::State& state) {
    const auto bytes = input_size(state);
    for (auto _ : state) benchmark::DoNotOptimize(agentkit::read_file(input_path(), std::size_t{1} << 30, "max"));
    state.SetBytesProcessed(state.iterations() * bytes);
}
BENCHMARK(BM_ReadFileWarm)->Unit(benchmark::kMillisecond)->UseRealTime();

// The loop file_cache used before read_file, for comparison only.
void BM_IstreambufIteratorWarm(benchmark::State& state) {
    const auto bytes = input_size(state);
    for (auto _ : state) {
        std::ifstream in(input_path(), std::ios::binary);
        std::string s;
        s.reserve(static_cast<std::size_t>(bytes));
        s.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
        benchmark::DoNotOptimize(s);
    }
    state.SetBytesProcessed(state.iterations() * bytes);
}
BENCHMARK(BM_IstreambufIteratorWarm)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace
