// Hot paths of the observe layer: counter increment (plain vs striped, 1 and 2 threads on one shared
// counter), gauge add, histogram record (1 and 2 threads on one shared histogram; m = 6 and m = 7), scoped
// timer, snapshot, p50/p95/p99 from a snapshot (three quantile() calls; one summary() pass), and a /metrics
// scrape of a registry with 100 series.
// Counters: bytes (object size), allocs/op (operator new calls inside the timed loop), bytes/scrape.
#include <agentkit/observe/counter.hpp>
#include <agentkit/observe/gauge.hpp>
#include <agentkit/observe/log_linear_histogram.hpp>
#include <agentkit/observe/metric_registry.hpp>
#include <agentkit/observe/prometheus_text.hpp>
#include <agentkit/observe/scoped_timer.hpp>

#include <agentkit_bench/allocation_counter.hpp>
#include <benchmark/benchmark.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <new>
#include <random>
#include <string>
#include <vector>

namespace {
namespace obs = agentkit::observe;

using alloc_counter = agentkit_bench::allocs_per_op;

// Latencies in ns, lognormal around 50 ms (sigma 1.2): the shape of LLM/tool call latencies.
// The node peer (bench/peers/observe/observe.mjs) draws from the same distribution.
const std::vector<std::uint64_t>& latencies() {
    static const std::vector<std::uint64_t> v = [] {
        std::mt19937_64 rng(42);
        std::lognormal_distribution<double> d(std::log(50e6), 1.2);
        std::vector<std::uint64_t> out(1 << 16);
        for (auto& x : out) x = static_cast<std::uint64_t>(d(rng));
        return out;
    }();
    return v;
}

template <class Counter>
void BM_CounterIncrement(benchmark::State& state) {
    static Counter c;  // shared by the benchmark's threads
    alloc_counter a{state};
    for (auto _ : state) c.increment();
    benchmark::DoNotOptimize(c.value());
    state.counters["bytes"] = benchmark::Counter(sizeof(Counter), benchmark::Counter::kAvgThreads);
    state.SetItemsProcessed(state.iterations());
}
BENCHMARK_TEMPLATE(BM_CounterIncrement, obs::counter)->Name("counter_increment")->Threads(1)->Threads(2)->UseRealTime();
BENCHMARK_TEMPLATE(BM_CounterIncrement, obs::striped_counter<8>)
    ->Name("striped_counter_increment")
    ->Threads(1)
    ->Threads(2)
    ->UseRealTime();

void BM_GaugeAdd(benchmark::State& state) {
    static obs::gauge g;
    for (auto _ : state) g.add(1.0);
    benchmark::DoNotOptimize(g.value());
    state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_GaugeAdd)->Name("gauge_add")->Threads(1)->Threads(2)->UseRealTime();

template <class Histogram>
void BM_HistogramRecord(benchmark::State& state) {
    static Histogram h;
    const auto& v = latencies();
    std::size_t i = static_cast<std::size_t>(state.thread_index()) * 7919;
    alloc_counter a{state};
    for (auto _ : state) h.record(v[i++ & (v.size() - 1)]);
    state.counters["bytes"] = benchmark::Counter(sizeof(Histogram), benchmark::Counter::kAvgThreads);
    state.SetItemsProcessed(state.iterations());
}
BENCHMARK_TEMPLATE(BM_HistogramRecord, obs::latency_histogram)
    ->Name("histogram_record/m=6")
    ->Threads(1)
    ->Threads(2)
    ->UseRealTime();
BENCHMARK_TEMPLATE(BM_HistogramRecord, obs::log_linear_histogram<7, 42>)
    ->Name("histogram_record/m=7")
    ->Threads(1)
    ->Threads(2)
    ->UseRealTime();

void BM_HistogramObserveSeconds(benchmark::State& state) {
    obs::latency_histogram h;
    const auto& v = latencies();
    std::vector<double> secs(v.size());
    for (std::size_t k = 0; k < v.size(); ++k) secs[k] = static_cast<double>(v[k]) * 1e-9;
    std::size_t i = 0;
    for (auto _ : state) h.observe(secs[i++ & (secs.size() - 1)]);
    state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_HistogramObserveSeconds)->Name("histogram_observe_seconds");

void BM_ScopedTimer(benchmark::State& state) {
    obs::latency_histogram h;
    for (auto _ : state) {
        obs::scoped_timer t(h);
    }
    state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_ScopedTimer)->Name("scoped_timer_steady_clock");

void fill(obs::latency_histogram& h, std::size_t n) {
    const auto& v = latencies();
    for (std::size_t k = 0; k < n; ++k) h.record(v[k & (v.size() - 1)]);
}

void BM_Snapshot(benchmark::State& state) {
    obs::latency_histogram h;
    fill(h, 100'000);
    obs::histogram_snapshot s;
    alloc_counter a{state};
    for (auto _ : state) {
        h.snapshot_into(s);
        benchmark::DoNotOptimize(s.count());
    }
}
BENCHMARK(BM_Snapshot)->Name("histogram_snapshot_into");

void BM_Quantiles(benchmark::State& state) {
    obs::latency_histogram h;
    fill(h, latencies().size());
    const auto s = h.snapshot();
    for (auto _ : state) {
        benchmark::DoNotOptimize(s.quantile(0.5));
        benchmark::DoNotOptimize(s.quantile(0.95));
        benchmark::DoNotOptimize(s.quantile(0.99));
    }
    // Accuracy on the same 64k values against the exact nearest-rank quantiles (the documented bound is 0.78%).
    auto sorted = latencies();
    std::sort(sorted.begin(), sorted.end());
    double worst = 0;
    for (double q : {0.5, 0.95, 0.99}) {
        const auto rank =
            std::max<std::size_t>(1, static_cast<std::size_t>(std::ceil(q * static_cast<double>(sorted.size()))));
        const double exact = static_cast<double>(sorted[rank - 1]);
        worst = std::max(worst, std::abs(static_cast<double>(s.quantile_ticks(q)) - exact) / exact);
    }
    state.counters["max_rel_err"] = worst;
}
BENCHMARK(BM_Quantiles)->Name("quantiles_p50_p95_p99_from_snapshot");

void BM_Summary(benchmark::State& state) {
    obs::latency_histogram h;
    fill(h, latencies().size());
    const auto s = h.snapshot();
    for (auto _ : state) benchmark::DoNotOptimize(s.summary());
}
BENCHMARK(BM_Summary)->Name("summary_p50_p95_p99_one_pass");

// What a scrape or a peer reading a live histogram pays: copy the counts, then p50/p95/p99 in one pass.
void BM_SnapshotSummary(benchmark::State& state) {
    obs::latency_histogram h;
    fill(h, 100'000);
    obs::histogram_snapshot s;
    for (auto _ : state) {
        h.snapshot_into(s);
        benchmark::DoNotOptimize(s.summary());
    }
}
BENCHMARK(BM_SnapshotSummary)->Name("snapshot_then_summary");

// A scrape: 100 series of one family, each series holding 1000 latencies.
void BM_Exposition(benchmark::State& state) {
    const bool histograms = state.range(0) == 0;
    obs::metric_registry reg;
    if (histograms) {
        auto& f = reg.add_histogram("http_request_duration_seconds", "HTTP request latency", {"route"});
        for (int r = 0; r < 100; ++r) fill(f.with({"/route/" + std::to_string(r)}), 1000);
    } else {
        auto& f = reg.add_counter("http_requests_total", "HTTP requests", {"route"});
        for (int r = 0; r < 100; ++r)
            f.with({"/route/" + std::to_string(r)}).increment(static_cast<std::uint64_t>(r) * 1000);
    }
    std::string out;
    std::size_t bytes = 0;
    for (auto _ : state) {
        out.clear();
        obs::write_prometheus_text(out, reg);
        bytes = out.size();
        benchmark::DoNotOptimize(out.data());
    }
    state.counters["bytes/scrape"] = static_cast<double>(bytes);
}
BENCHMARK(BM_Exposition)->Name("exposition_100_series/histogram")->Arg(0)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_Exposition)->Name("exposition_100_series/counter")->Arg(1)->Unit(benchmark::kMicrosecond);

}  // namespace
