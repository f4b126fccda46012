// The retry + circuit-breaker scenario run side by side with cockatiel (bench/peers/resilience/scenario.mjs
// runs the same three workloads with the same parameters). Policy: retry (3 attempts, constant 0 ms
// backoff, every failure retried) around a circuit breaker (count window 100 calls, minimum 100, 50 %).
//   success   the operation always succeeds: pure policy overhead
//   transient the attempt numbered c fails when c % 5 == 0, so one execution in four retries once
//   open      the breaker is open: every execution is refused at once
// Each workload runs `repeats` times; the median ns per execution is printed, as "name ns_per_op".
// Two drivers: sync (thread_sleeper) and async (Asio C++20 coroutines, steady_timer waits).
//   sim_resilience_scenario [repeats=5]
#include <agentkit/resilience/async_retry.hpp>
#include <agentkit/resilience/backoff.hpp>
#include <agentkit/resilience/bulkhead.hpp>
#include <agentkit/resilience/circuit_breaker.hpp>
#include <agentkit/resilience/gcra.hpp>
#include <agentkit/resilience/keyed_rate_limiter.hpp>
#include <agentkit/resilience/rate_limiter.hpp>
#include <agentkit/resilience/retry.hpp>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <vector>

#include <sys/resource.h>

namespace {
using namespace agentkit;
using namespace agentkit::resilience;
using namespace std::chrono_literals;
namespace asio = boost::asio;

// Every failure retries, except a refusal by the open breaker (retrying it at once is pointless); the
// cockatiel script says the same with handleWhen(err => !(err instanceof BrokenCircuitError)).
struct retry_unless_circuit_open {
    verdict classify(const failure& f) const noexcept {
        return f.message == "circuit open" ? verdict::stop : verdict::retry;
    }
};
using retry_type = retry<constant_backoff<>, retry_unless_circuit_open>;

circuit_breaker_config breaker_config() {
    circuit_breaker_config c;
    c.sliding_window_size = 100;
    c.minimum_number_of_calls = 100;
    c.failure_rate_threshold = 50;
    c.wait_duration_in_open_state = 10000ms;
    return c;
}
retry_type make_retry() {
    return retry_type(retry_config{.max_attempts = 3, .seed = 1}, constant_backoff<>({.delay = 0ms}));
}

enum class workload { success, transient, open };

double median(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    return v[v.size() / 2];
}

volatile std::int64_t sink = 0;

double run_sync(workload w, int n) {
    auto r = make_retry();
    circuit_breaker<> breaker(breaker_config());
    if (w == workload::open) breaker.transition_to_open();
    std::uint64_t c = 0;
    auto op = [&]() -> outcome<int> {
        const auto k = c++;
        if (w == workload::transient && k % 5 == 0) return failure::from_errc(errc::unavailable);
        return static_cast<int>(k);
    };
    const auto start = std::chrono::steady_clock::now();
    for (int i = 0; i < n; ++i) {
        auto o = r.execute([&](const attempt<>&) { return breaker.execute(op); }, thread_sleeper{});
        sink = sink + (o.has_value() ? o.value() : -1);
    }
    return std::chrono::duration<double, std::nano>(std::chrono::steady_clock::now() - start).count() / n;
}

double run_async(workload w, int n) {
    asio::io_context io;
    auto r = make_retry();
    circuit_breaker<> breaker(breaker_config());
    if (w == workload::open) breaker.transition_to_open();
    std::uint64_t c = 0;
    auto op = [&](const attempt<>&) -> asio::awaitable<outcome<int>> {
        co_return breaker.execute([&]() -> outcome<int> {
            const auto k = c++;
            if (w == workload::transient && k % 5 == 0) return failure::from_errc(errc::unavailable);
            return static_cast<int>(k);
        });
    };
    double result = 0;
    auto body = [&]() -> asio::awaitable<void> {
        const auto start = std::chrono::steady_clock::now();
        for (int i = 0; i < n; ++i) {
            auto o = co_await async_execute(r, op);
            sink = sink + (o.has_value() ? o.value() : -1);
        }
        result = std::chrono::duration<double, std::nano>(std::chrono::steady_clock::now() - start).count() / n;
    };
    asio::co_spawn(io, body(), asio::detached);
    io.run();
    return result;
}
}  // namespace

int main(int argc, char** argv) {
    const int repeats = argc > 1 ? std::max(1, std::atoi(argv[1])) : 5;
    struct item {
        const char* name;
        workload w;
        int n;
    };
    const item items[] = {{"success", workload::success, 1'000'000},
                          {"transient", workload::transient, 4'000},
                          {"open", workload::open, 100'000}};
    for (const auto& it : items) {
        std::vector<double> s, a;
        for (int i = 0; i < repeats; ++i) {
            s.push_back(run_sync(it.w, it.n));
            a.push_back(run_async(it.w, it.n));
        }
        std::printf("sync_%s %.1f\n", it.name, median(s));
        std::printf("async_%s %.1f\n", it.name, median(a));
    }
    // Memory: object sizes (the breaker's window adds 1 byte per call, the keyed limiter 16 bytes per key)
    // and the peak RSS of this whole run.
    std::printf("size_rate_limiter_gcra %zu\n", sizeof(rate_limiter<gcra>));
    std::printf("size_circuit_breaker %zu\n", sizeof(circuit_breaker<>));
    std::printf("size_retry %zu\n", sizeof(retry_type));
    std::printf("size_bulkhead %zu\n", sizeof(bulkhead));
    std::printf("size_exponential_backoff_full_jitter %zu\n", sizeof(exponential_backoff<full_jitter>));
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    std::printf("peak_rss_kb %ld\n", usage.ru_maxrss);
    return 0;
}
