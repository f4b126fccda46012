// What cache metrics cost on the hit path: the same hits on the same full cache, once with no registry and
// once attached to an observe::metric_registry (agentkit_cache_*, cache/cache_metrics.hpp).
//   detached: one null-pointer test per hit, no atomic, no allocation;
//   attached: one relaxed atomic add per hit (shared by every shard of a cache, so threads hitting a
//             sharded cache also share that counter's cache line: the 2-thread rows show it).
// allocs_per_hit must stay 0 in both.
//   cmake --preset bench -B build/bench && cmake --build build/bench --target bench_cache_metrics
//   build/bench/bench/bench_cache_metrics --benchmark_repetitions=5 --benchmark_report_aggregates_only=true
#include <agentkit/cache/cache.hpp>
#include <agentkit/observe/metric_registry.hpp>

#include <agentkit_bench/allocation_counter.hpp>
#include <benchmark/benchmark.h>

#include <cstdint>
#include <random>
#include <type_traits>
#include <vector>

namespace {
namespace ac = agentkit::cache;
namespace obs = agentkit::observe;

constexpr std::size_t entries = 10000;
constexpr std::size_t stream = std::size_t{1} << 20;

const std::vector<std::uint64_t>& hit_keys() {
    static const auto keys = [] {
        std::mt19937_64 rng(1);
        std::vector<std::uint64_t> k(stream);
        for (auto& x : k) x = rng() % entries;
        return k;
    }();
    return keys;
}

obs::metric_registry& registry() {
    static obs::metric_registry r;
    return r;
}

template <class Cache>
Cache& full_cache(bool attached, const char* instance) {
    static Cache plain = [] {
        Cache c({.max_size = entries});
        for (std::uint64_t i = 0; i < entries; ++i) c.put(i, i);
        return c;
    }();
    static Cache metered = [instance] {
        Cache c({.max_size = entries});
        for (std::uint64_t i = 0; i < entries; ++i) c.put(i, i);
        c.attach_metrics(registry(), instance);
        return c;
    }();
    return attached ? metered : plain;
}

// single_thread: find() in place, the fastest hit there is.
template <class Policy>
constexpr const char* instance_for = std::is_same_v<Policy, ac::lru> ? "bench_lru" : "bench_w_tinylfu";

template <class Policy>
void find_hit(benchmark::State& state) {
    const char* instance = instance_for<Policy>;
    using cache_t = ac::cache<std::uint64_t, std::uint64_t, Policy>;
    auto& c = full_cache<cache_t>(state.range(0) != 0, instance);
    const auto& keys = hit_keys();
    std::size_t i = 0;
    const auto allocs = agentkit_bench::allocation_count.load();
    for (auto _ : state) {
        benchmark::DoNotOptimize(c.find(keys[i]));
        i = (i + 1) & (stream - 1);
    }
    state.counters["allocs_per_hit"] =
        static_cast<double>(agentkit_bench::allocation_count.load() - allocs) / static_cast<double>(state.iterations());
    // What the registry holds for the attached caches (0 when detached): proof that the hits were counted.
    state.counters["registry_hits"] = static_cast<double>(
        registry().find_or_add_counter("agentkit_cache_hits", "", {"cache"}).with({instance}).value());
}

// sharded<8>: get() under each shard's lock, from 1 and 2 threads.
using sharded_cache = ac::cache<std::uint64_t, std::uint64_t, ac::lru, ac::no_expiry, ac::max_entries, ac::sharded<8>>;
template <class Cache>
Cache& shared_full_cache(bool attached) {
    // Twice the room: every shard holds all of its keys, so every get() hits.
    static Cache plain({.max_size = 2 * entries});
    static Cache metered({.max_size = 2 * entries});
    static const bool filled = [] {
        for (std::uint64_t i = 0; i < entries; ++i) {
            plain.put(i, i);
            metered.put(i, i);
        }
        metered.attach_metrics(registry(), "bench_sharded");
        return true;
    }();
    (void)filled;
    return attached ? metered : plain;
}
void sharded_get_hit(benchmark::State& state) {
    auto& c = shared_full_cache<sharded_cache>(state.range(0) != 0);
    const auto& keys = hit_keys();
    std::size_t i = static_cast<std::size_t>(state.thread_index()) * 7919;
    for (auto _ : state) {
        benchmark::DoNotOptimize(c.get(keys[i & (stream - 1)]));
        ++i;
    }
    state.SetItemsProcessed(state.iterations());
}

BENCHMARK_TEMPLATE(find_hit, ac::lru)->Name("find_hit/lru/10k/detached")->Arg(0);
BENCHMARK_TEMPLATE(find_hit, ac::lru)->Name("find_hit/lru/10k/attached")->Arg(1);
BENCHMARK_TEMPLATE(find_hit, ac::w_tinylfu)->Name("find_hit/w_tinylfu/10k/detached")->Arg(0);
BENCHMARK_TEMPLATE(find_hit, ac::w_tinylfu)->Name("find_hit/w_tinylfu/10k/attached")->Arg(1);
BENCHMARK(sharded_get_hit)->Name("get_hit/lru_sharded8/10k/detached")->Arg(0)->Threads(1)->Threads(2)->UseRealTime();
BENCHMARK(sharded_get_hit)->Name("get_hit/lru_sharded8/10k/attached")->Arg(1)->Threads(1)->Threads(2)->UseRealTime();

}  // namespace
