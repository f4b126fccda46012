// Cache micro benchmarks: ns/op of get-hit, get-miss and put (insert with eviction) per eviction policy at
// 10k and 1M entries (single_thread), allocations per hit, metadata bytes per entry, and throughput of
// mutex vs sharded<16> under 1 and 2 threads. bench/run-cache.sh runs it beside the hit-ratio tables.
#include <agentkit/cache/cache.hpp>
#include <agentkit/cache/response_cache.hpp>
#include <agentkit/sim/zipf.hpp>

#include <agentkit_bench/allocation_counter.hpp>
#include <benchmark/benchmark.h>

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <cstdlib>
#include <map>
#include <memory>
#include <mutex>
#include <new>
#include <random>
#include <vector>

// Heap allocations (calls and bytes) are counted (agentkit_bench/allocation_counter.hpp) so the benchmarks
// can report allocations per hit and the bytes a cache allocates per entry.

namespace {
namespace ac = agentkit::cache;
using key_t_ = std::uint64_t;
using value_t_ = std::uint64_t;

template <class P>
using st_cache = ac::cache<key_t_, value_t_, P>;

std::vector<key_t_> random_keys(std::size_t n, std::size_t count, std::uint64_t offset, std::uint64_t seed) {
    std::mt19937_64 rng(seed);
    std::vector<key_t_> keys(count);
    for (auto& k : keys) k = offset + rng() % n;
    return keys;
}

// A full cache of n entries (keys 0..n-1, or zipf_key(0..n-1)), built once per policy and reused by the
// following benchmarks and repetitions: Google Benchmark calls a benchmark function several times, and
// filling a 1M-entry cache each time dominated the run. Only the latest one is kept (memory).
enum class fill { keys, zipf_keys, for_put };  // for_put: same keys, but put benchmarks change it
struct fixture_info {
    std::size_t n = 0;
    fill kind = fill::keys;
    double alloc_bytes = 0;  // bytes allocated while building it (nodes, table, sketch)
};
template <class P>
st_cache<P>& filled(std::size_t n, fill kind, fixture_info*& info) {
    static std::unique_ptr<st_cache<P>> c;
    static fixture_info fi;
    if (!c || fi.n != n || fi.kind != kind) {
        c.reset();
        const auto before = agentkit_bench::allocated_bytes.load();
        c = std::make_unique<st_cache<P>>(typename st_cache<P>::config{.max_size = n});
        for (std::size_t i = 0; i < n; ++i) c->put(kind == fill::zipf_keys ? ac::zipf_key(i) : i, i);
        fi = {n, kind, static_cast<double>(agentkit_bench::allocated_bytes.load() - before - sizeof(st_cache<P>))};
        if (kind != fill::for_put) {
            // Filled in key order, the queues would link each node to its memory neighbours, so the first
            // hits would update links in lines already loaded. One hit per key in random order first: the
            // measured hits then start from a steady state with randomly placed queue neighbours.
            std::vector<std::uint64_t> order(n);
            for (std::size_t i = 0; i < n; ++i) order[i] = i;
            std::shuffle(order.begin(), order.end(), std::mt19937_64(7));
            for (const auto i : order) benchmark::DoNotOptimize(c->find(kind == fill::zipf_keys ? ac::zipf_key(i) : i));
        }
    }
    info = &fi;
    return *c;
}
const std::vector<key_t_>& key_stream(std::size_t n, int kind) {  // 0: hits, 1: misses, 2: zipf 0.9 hits
    static std::map<std::pair<std::size_t, int>, std::vector<key_t_>> streams;
    auto& v = streams[{n, kind}];
    if (v.empty())
        v = kind == 2 ? ac::zipf_trace(n, 0.9, 1 << 20, 3)
                      : random_keys(n, 1 << 20, kind == 1 ? n : 0, kind == 1 ? 2 : 1);
    return v;
}

template <class P>
void get_hit(benchmark::State& state) {
    const auto n = static_cast<std::size_t>(state.range(0));
    fixture_info* info = nullptr;
    auto& c = filled<P>(n, fill::keys, info);
    const auto& keys = key_stream(n, 0);
    std::size_t i = 0;
    const auto allocs = agentkit_bench::allocation_count.load();
    for (auto _ : state) {
        benchmark::DoNotOptimize(c.find(keys[i]));
        i = (i + 1) & ((1 << 20) - 1);
    }
    state.counters["allocs_per_hit"] =
        static_cast<double>(agentkit_bench::allocation_count.load() - allocs) / static_cast<double>(state.iterations());
    state.counters["meta_bytes_per_entry"] =
        info->alloc_bytes / static_cast<double>(n) - sizeof(key_t_) - sizeof(value_t_);
}

template <class P>
void get_hit_zipf(benchmark::State& state) {
    const auto n = static_cast<std::size_t>(state.range(0));
    fixture_info* info = nullptr;
    auto& c = filled<P>(n, fill::zipf_keys, info);
    const auto& keys = key_stream(n, 2);
    std::size_t i = 0;
    for (auto _ : state) {
        benchmark::DoNotOptimize(c.find(keys[i]));
        i = (i + 1) & ((1 << 20) - 1);
    }
}

template <class P>
void get_miss(benchmark::State& state) {
    const auto n = static_cast<std::size_t>(state.range(0));
    fixture_info* info = nullptr;
    auto& c = filled<P>(n, fill::keys, info);
    const auto& keys = key_stream(n, 1);  // all absent
    std::size_t i = 0;
    for (auto _ : state) {
        benchmark::DoNotOptimize(c.find(keys[i]));
        i = (i + 1) & ((1 << 20) - 1);
    }
}

template <class P>
void put_evict(benchmark::State& state) {
    const auto n = static_cast<std::size_t>(state.range(0));
    fixture_info* info = nullptr;
    auto& c = filled<P>(n, fill::for_put, info);
    static key_t_ next = std::uint64_t{1} << 40;  // keys never used before: insert + one eviction each
    for (auto _ : state) c.put(next++, 1);
}

// Shared-cache throughput: 90% get, 10% put on Zipf(0.9) keys over 100k keys, capacity 10k.
template <class Concurrency>
auto& shared_cache() {
    static ac::cache<key_t_, value_t_, ac::lru, ac::no_expiry, ac::max_entries, Concurrency> c({.max_size = 10000});
    return c;
}
template <class Concurrency>
void shared_mixed(benchmark::State& state) {
    auto& c = shared_cache<Concurrency>();
    static const auto keys = ac::zipf_trace(100000, 0.9, 1 << 20, 4);
    std::size_t i = static_cast<std::size_t>(state.thread_index()) * 7919;
    for (auto _ : state) {
        const auto k = keys[i & ((1 << 20) - 1)];
        if (i % 10 == 0)
            c.put(k, i);
        else
            benchmark::DoNotOptimize(c.get(k));
        ++i;
    }
    state.SetItemsProcessed(state.iterations());
}

// Constructing (and destroying) the seeds' default response cache: 64 MB by bytes, W-TinyLFU, sharded<8>.
// Nothing is sized by the byte capacity, so this is a few small allocations per shard.
void response_cache_construct(benchmark::State& state) {
    for (auto _ : state) {
        ac::response_cache c;
        benchmark::DoNotOptimize(&c);
    }
}
BENCHMARK(response_cache_construct)->Name("construct/response_cache_64MB")->Unit(benchmark::kMicrosecond);

#define AK_POLICY_BENCH(P)                                                   \
    BENCHMARK_TEMPLATE(get_hit, ac::P)->Name("get_hit/" #P)->Arg(10000);     \
    BENCHMARK_TEMPLATE(get_miss, ac::P)->Name("get_miss/" #P)->Arg(10000);   \
    BENCHMARK_TEMPLATE(put_evict, ac::P)->Name("put/" #P)->Arg(10000);       \
    BENCHMARK_TEMPLATE(get_hit, ac::P)->Name("get_hit/" #P)->Arg(1000000);   \
    BENCHMARK_TEMPLATE(get_miss, ac::P)->Name("get_miss/" #P)->Arg(1000000); \
    BENCHMARK_TEMPLATE(put_evict, ac::P)->Name("put/" #P)->Arg(1000000);     \
    BENCHMARK_TEMPLATE(get_hit_zipf, ac::P)->Name("get_hit_zipf0.9/" #P)->Arg(1000000);
AK_POLICY_BENCH(lru)
AK_POLICY_BENCH(fifo)
AK_POLICY_BENCH(sieve)
AK_POLICY_BENCH(w_tinylfu)

// The same policies with std::mutex as the lock, for the side-by-side ratio (ours: core/adaptive_mutex.hpp).
struct std_mutex_one {
    static constexpr std::size_t shards = 1;
    static constexpr bool thread_safe = true;
    using lock_type = std::mutex;
};
struct std_mutex_sharded16 {
    static constexpr std::size_t shards = 16;
    static constexpr bool thread_safe = true;
    using lock_type = std::mutex;
};

BENCHMARK_TEMPLATE(shared_mixed, ac::mutex)->Name("mixed_90get/mutex")->Threads(1)->Threads(2)->UseRealTime();
BENCHMARK_TEMPLATE(shared_mixed, std_mutex_one)
    ->Name("mixed_90get/mutex_std_mutex")
    ->Threads(1)
    ->Threads(2)
    ->UseRealTime();
BENCHMARK_TEMPLATE(shared_mixed, ac::sharded<16>)->Name("mixed_90get/sharded16")->Threads(1)->Threads(2)->UseRealTime();
BENCHMARK_TEMPLATE(shared_mixed, std_mutex_sharded16)
    ->Name("mixed_90get/sharded16_std_mutex")
    ->Threads(1)
    ->Threads(2)
    ->UseRealTime();

}  // namespace
