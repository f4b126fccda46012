// Hot paths of the resilience layer: one retry decision, one backoff delay, one rate-limit check (global,
// contended, per key), one breaker outcome. Counters: items/s. The allocation check counts operator new
// calls inside the timed loop (must be 0).
#include <agentkit/resilience/backoff.hpp>
#include <agentkit/resilience/circuit_breaker.hpp>
#include <agentkit/core/coarse_clock.hpp>
#include <agentkit/resilience/gcra.hpp>
#include <agentkit/resilience/keyed_rate_limiter.hpp>
#include <agentkit/resilience/rate_limiter.hpp>
#include <agentkit/resilience/retry.hpp>
#include <agentkit/resilience/token_bucket.hpp>
#include <agentkit/core/tsc_clock.hpp>

#include <agentkit_bench/allocation_counter.hpp>
#include <benchmark/benchmark.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <mutex>
#include <new>
#include <random>
#include <string>
#include <type_traits>
#include <vector>

namespace {
using namespace agentkit;
using namespace agentkit::resilience;
using namespace std::chrono_literals;
using ns = std::chrono::nanoseconds;

using alloc_counter = agentkit_bench::allocs_per_op;

template <class Jitter>
void BM_BackoffDelay(benchmark::State& state) {
    const exponential_backoff<Jitter> b({.initial_delay = 500ms, .multiplier = 1.5, .max_delay = 60000ms});
    std::mt19937_64 random(1);
    std::uint32_t attempt = 0;
    ns previous{0};
    alloc_counter ac{state};
    for (auto _ : state) {
        previous = b.delay((attempt++ & 15u) + 1, previous, random);
        benchmark::DoNotOptimize(previous);
    }
    state.SetItemsProcessed(state.iterations());
}
BENCHMARK_TEMPLATE(BM_BackoffDelay, no_jitter);
BENCHMARK_TEMPLATE(BM_BackoffDelay, full_jitter);
BENCHMARK_TEMPLATE(BM_BackoffDelay, equal_jitter);
BENCHMARK_TEMPLATE(BM_BackoffDelay, decorrelated_jitter);
BENCHMARK_TEMPLATE(BM_BackoffDelay, proportional_jitter);

// One full retry decision: classify (HTTP status, pattern scan of the message), attempts, backoff with
// jitter, Retry-After, max delay, deadline; optionally the retry budget.
void BM_RetryDecision(benchmark::State& state) {
    const bool with_message = state.range(0) != 0;
    const bool with_budget = state.range(1) != 0;
    manual_clock clock;
    retry_budget<manual_clock> budget({.ttl = 10000ms, .min_retries_per_sec = 1e12, .percent_can_retry = 0.2}, clock);
    retry<exponential_backoff<full_jitter>, default_classifier, manual_clock> r(
        retry_config{.max_attempts = 5, .seed = 1}, {}, {}, clock, with_budget ? &budget : nullptr);
    const failure f = failure::from_http(
        503, with_message ? R"({"error":{"message":"The server is overloaded","type":"server_error"}})" : "");
    const auto dl = deadline<manual_clock>::after(clock, 1h);
    std::uint32_t n = 0;
    alloc_counter ac{state};
    for (auto _ : state) {
        const auto d = r.decide((n++ & 3u) + 1, f, ns(0), r.random(), clock.now(), dl);
        benchmark::DoNotOptimize(d);
    }
    state.SetItemsProcessed(state.iterations());
    state.SetLabel(std::string(with_message ? "503 + 70-byte message" : "503") + (with_budget ? " + budget" : ""));
}
BENCHMARK(BM_RetryDecision)->Args({0, 0})->Args({1, 0})->Args({0, 1});

// The parts of a decision: the classifier alone (status + message scan), the pattern scan alone.
void BM_Classify(benchmark::State& state) {
    const default_classifier c;
    const failure f = failure::from_http(
        503, state.range(0) ? R"({"error":{"message":"The server is overloaded","type":"server_error"}})" : "");
    for (auto _ : state) {
        benchmark::DoNotOptimize(&f);
        benchmark::DoNotOptimize(c.classify(f));
    }
    state.SetItemsProcessed(state.iterations());
    state.SetLabel(state.range(0) ? "503 + 70-byte message" : "503");
}
BENCHMARK(BM_Classify)->Arg(0)->Arg(1);

template <class Algorithm, class Sync, class Clock>
void BM_TryAcquire(benchmark::State& state) {
    Clock clock;
    // A rate so high that every check is admitted (the admitted path writes the word).
    rate_limiter<Algorithm, Clock, Sync> limiter(
        Algorithm({.rate = 1'000'000'000, .period = 1s, .burst_size = 1'000'000'000}), clock);
    alloc_counter ac{state};
    for (auto _ : state) benchmark::DoNotOptimize(limiter.try_acquire());
    state.SetItemsProcessed(state.iterations());
    if constexpr (std::is_same_v<Clock, tsc_clock>) state.SetLabel(tsc_clock::calibration().reason);
}
BENCHMARK_TEMPLATE(BM_TryAcquire, gcra, concurrent, manual_clock);
BENCHMARK_TEMPLATE(BM_TryAcquire, gcra, single_thread, manual_clock);
BENCHMARK_TEMPLATE(BM_TryAcquire, gcra, concurrent, steady_clock);
BENCHMARK_TEMPLATE(BM_TryAcquire, gcra, concurrent, coarse_steady_clock);
BENCHMARK_TEMPLATE(BM_TryAcquire, gcra, concurrent, tsc_clock);
BENCHMARK_TEMPLATE(BM_TryAcquire, token_bucket, concurrent, manual_clock);
BENCHMARK_TEMPLATE(BM_TryAcquire, token_bucket, single_thread, manual_clock);
BENCHMARK_TEMPLATE(BM_TryAcquire, token_bucket, concurrent, steady_clock);
BENCHMARK_TEMPLATE(BM_TryAcquire, token_bucket, concurrent, tsc_clock);

// What one clock read costs here (the share of a try_acquire that is not the decision).
template <class Clock>
void BM_ClockRead(benchmark::State& state) {
    Clock clock;
    for (auto _ : state) benchmark::DoNotOptimize(clock.now());
    state.SetItemsProcessed(state.iterations());
    if constexpr (std::is_same_v<Clock, tsc_clock>) state.SetLabel(tsc_clock::calibration().reason);
}
BENCHMARK_TEMPLATE(BM_ClockRead, steady_clock);
BENCHMARK_TEMPLATE(BM_ClockRead, coarse_steady_clock);
BENCHMARK_TEMPLATE(BM_ClockRead, tsc_clock);

// The decision alone with a precise time the caller read once for a batch of checks.
void BM_TryAcquireAtSharedNow(benchmark::State& state) {
    rate_limiter<gcra, steady_clock> limiter(gcra({.rate = 1'000'000'000, .period = 1s, .burst_size = 1'000'000'000}));
    std::int64_t now = 0;
    std::uint32_t n = 0;
    for (auto _ : state) {
        if ((n++ & 63u) == 0)
            now = std::chrono::duration_cast<ns>(std::chrono::steady_clock::now().time_since_epoch()).count();
        benchmark::DoNotOptimize(limiter.try_acquire_at(now));
    }
    state.SetItemsProcessed(state.iterations());
    state.SetLabel("one steady_clock read per 64 checks");
}
BENCHMARK(BM_TryAcquireAtSharedNow);

// Refusals under overload: no write at all.
void BM_TryAcquireRefused(benchmark::State& state) {
    manual_clock clock;
    rate_limiter<gcra, manual_clock> limiter(gcra({.rate = 1, .period = 1s, .burst_size = 1}), clock);
    (void)limiter.try_acquire();
    for (auto _ : state) benchmark::DoNotOptimize(limiter.try_acquire());
    state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_TryAcquireRefused);

// Several threads on one limiter: the CAS contends (2 cores on the reference machine).
rate_limiter<gcra, steady_clock>& shared_limiter() {
    static rate_limiter<gcra, steady_clock> l(gcra({.rate = 1'000'000'000, .period = 1s, .burst_size = 1'000'000'000}));
    return l;
}
void BM_TryAcquireContended(benchmark::State& state) {
    auto& limiter = shared_limiter();
    for (auto _ : state) benchmark::DoNotOptimize(limiter.try_acquire());
    state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_TryAcquireContended)->Threads(1)->Threads(2)->UseRealTime();

template <class Mutex>
void BM_KeyedTryAcquire(benchmark::State& state) {
    manual_clock clock;
    keyed_rate_limiter<gcra, manual_clock, Mutex> limiter(
        gcra({.rate = 1'000'000, .period = 1s, .burst_size = 1'000'000}), {.max_keys = 65536}, clock);
    std::vector<std::string> keys;
    for (int i = 0; i < 10000; ++i) keys.push_back("10.0." + std::to_string(i / 256) + "." + std::to_string(i % 256));
    std::size_t i = 0;
    alloc_counter ac{state};
    for (auto _ : state) {
        benchmark::DoNotOptimize(limiter.try_acquire(keys[i]));
        if (++i == keys.size()) i = 0;
    }
    state.SetItemsProcessed(state.iterations());
    state.counters["bytes/key"] = static_cast<double>(limiter.memory_bytes()) / static_cast<double>(limiter.capacity());
}
BENCHMARK_TEMPLATE(BM_KeyedTryAcquire, no_mutex);
BENCHMARK_TEMPLATE(BM_KeyedTryAcquire, std::mutex);

template <class Mutex>
void BM_BreakerRecordClosed(benchmark::State& state) {
    manual_clock clock;
    circuit_breaker_config c;  // resilience4j defaults: count window of 100
    c.sliding_window_type = state.range(0) ? window_kind::time_based : window_kind::count_based;
    circuit_breaker<manual_clock, Mutex> b(c, clock);
    std::uint32_t n = 0;
    alloc_counter ac{state};
    for (auto _ : state) {
        b.record((n++ & 7u) == 0, 5ms);  // 12.5 % failures: stays closed
    }
    benchmark::DoNotOptimize(b.metrics());
    state.SetItemsProcessed(state.iterations());
    state.SetLabel(state.range(0) ? "time window" : "count window");
}
BENCHMARK_TEMPLATE(BM_BreakerRecordClosed, no_mutex)->Arg(0)->Arg(1);
BENCHMARK_TEMPLATE(BM_BreakerRecordClosed, spin_mutex)->Arg(0);
BENCHMARK_TEMPLATE(BM_BreakerRecordClosed, std::mutex)->Arg(0);

void BM_BreakerPermissionClosed(benchmark::State& state) {
    circuit_breaker<manual_clock> b;
    for (auto _ : state) benchmark::DoNotOptimize(b.try_acquire_permission());
    state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_BreakerPermissionClosed);
}  // namespace
