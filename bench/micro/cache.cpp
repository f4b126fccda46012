// Cache micro benchmarks: ns/op of get-hit, get-miss and put (insert with eviction) per eviction policy at
// 10k and 1M entries (single_thread), allocations per hit, metadata bytes per entry, and throughput of
// mutex vs sharded<16> under 1 and 2 threads. bench/run-cache.sh runs it beside the hit-ratio tables.
#include <agentkit/cache/cache.hpp>
#include <agentkit/cache/zipf.hpp>

#include <benchmark/benchmark.h>

#include <atomic>
#include <cstdint>
#include <cstdlib>
#include <new>
#include <random>
#include <vector>

#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"  // GCC 12 misreads the replaced operators below
#endif

// Count heap allocations (calls and bytes) so the benchmarks can report allocations per hit and the
// bytes a cache allocates per entry.
namespace {
std::atomic<std::uint64_t> g_allocs{0}, g_bytes{0};
}
void* operator new(std::size_t n) {
    g_allocs.fetch_add(1, std::memory_order_relaxed);
    g_bytes.fetch_add(n, std::memory_order_relaxed);
    if (void* p = std::malloc(n ? n : 1)) return p;
    throw std::bad_alloc();
}
void* operator new(std::size_t n, std::align_val_t a) {
    g_allocs.fetch_add(1, std::memory_order_relaxed);
    g_bytes.fetch_add(n, std::memory_order_relaxed);
    const auto al = static_cast<std::size_t>(a);
    if (void* p = std::aligned_alloc(al, (n + al - 1) / al * al)) return p;
    throw std::bad_alloc();
}
void operator delete(void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }
void operator delete(void* p, std::align_val_t) noexcept { std::free(p); }
void operator delete(void* p, std::size_t, std::align_val_t) noexcept { std::free(p); }

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

template <class P>
void get_hit(benchmark::State& state) {
    const auto n = static_cast<std::size_t>(state.range(0));
    const auto before_bytes = g_bytes.load();
    st_cache<P> c({.max_size = n});
    for (std::size_t i = 0; i < n; ++i) c.put(i, i);
    const double alloc_bytes = static_cast<double>(g_bytes.load() - before_bytes);
    const auto keys = random_keys(n, 1 << 20, 0, 1);
    std::size_t i = 0;
    const auto allocs = g_allocs.load();
    for (auto _ : state) {
        benchmark::DoNotOptimize(c.find(keys[i]));
        i = (i + 1) & ((1 << 20) - 1);
    }
    state.counters["allocs_per_hit"] = static_cast<double>(g_allocs.load() - allocs) / static_cast<double>(state.iterations());
    state.counters["meta_bytes_per_entry"] = alloc_bytes / static_cast<double>(n) - sizeof(key_t_) - sizeof(value_t_);
}

template <class P>
void get_hit_zipf(benchmark::State& state) {
    const auto n = static_cast<std::size_t>(state.range(0));
    st_cache<P> c({.max_size = n});
    for (std::size_t i = 0; i < n; ++i) c.put(ac::zipf_key(i), i);
    const auto keys = ac::zipf_trace(n, 0.9, 1 << 20, 3);
    std::size_t i = 0;
    for (auto _ : state) {
        benchmark::DoNotOptimize(c.find(keys[i]));
        i = (i + 1) & ((1 << 20) - 1);
    }
}

template <class P>
void get_miss(benchmark::State& state) {
    const auto n = static_cast<std::size_t>(state.range(0));
    st_cache<P> c({.max_size = n});
    for (std::size_t i = 0; i < n; ++i) c.put(i, i);
    const auto keys = random_keys(n, 1 << 20, n, 2);  // all absent
    std::size_t i = 0;
    for (auto _ : state) {
        benchmark::DoNotOptimize(c.find(keys[i]));
        i = (i + 1) & ((1 << 20) - 1);
    }
}

template <class P>
void put_evict(benchmark::State& state) {
    const auto n = static_cast<std::size_t>(state.range(0));
    st_cache<P> c({.max_size = n});
    for (std::size_t i = 0; i < n; ++i) c.put(i, i);
    key_t_ next = n;
    for (auto _ : state) c.put(next++, 1);  // a new key every time: insert + one eviction
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
        if (i % 10 == 0) c.put(k, i);
        else benchmark::DoNotOptimize(c.get(k));
        ++i;
    }
    state.SetItemsProcessed(state.iterations());
}

#define AK_POLICY_BENCH(P)                                                            \
    BENCHMARK_TEMPLATE(get_hit, ac::P)->Name("get_hit/" #P)->Arg(10000)->Arg(1000000);   \
    BENCHMARK_TEMPLATE(get_hit_zipf, ac::P)->Name("get_hit_zipf0.9/" #P)->Arg(1000000); \
    BENCHMARK_TEMPLATE(get_miss, ac::P)->Name("get_miss/" #P)->Arg(10000)->Arg(1000000); \
    BENCHMARK_TEMPLATE(put_evict, ac::P)->Name("put/" #P)->Arg(10000)->Arg(1000000);
AK_POLICY_BENCH(lru)
AK_POLICY_BENCH(fifo)
AK_POLICY_BENCH(sieve)
AK_POLICY_BENCH(w_tinylfu)

BENCHMARK_TEMPLATE(shared_mixed, ac::mutex)->Name("mixed_90get/mutex")->Threads(1)->Threads(2)->UseRealTime();
BENCHMARK_TEMPLATE(shared_mixed, ac::sharded<16>)->Name("mixed_90get/sharded16")->Threads(1)->Threads(2)->UseRealTime();

}  // namespace
