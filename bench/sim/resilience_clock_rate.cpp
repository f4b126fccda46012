// Real-time check of a rate limiter's admitted rate with each clock policy: one thread offers requests as
// fast as it can (millions to tens of millions per second: >= 10x the configured rate even on a loaded
// machine) for `seconds` of real time, measured by steady_clock; the limiter is GCRA at 100 000/s with a
// burst of 100 000 (1 s: absorbs the
// thread being descheduled on a loaded machine, so the count depends only on how far the clock moved).
// Admitted rate = (admitted - burst) / elapsed: it differs from 100 000/s by as much as the clock's pace differs
// from steady_clock's (plus 1 / elapsed, and a coarse clock's tick / elapsed).
// Prints one markdown row per clock and a machine-readable line per clock.
//   sim_resilience_clock_rate [seconds=2]
#include <agentkit/core/clock.hpp>
#include <agentkit/core/coarse_clock.hpp>
#include <agentkit/resilience/gcra.hpp>
#include <agentkit/resilience/rate_limiter.hpp>
#include <agentkit/core/tsc_clock.hpp>

#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>

namespace {
namespace r = agentkit::resilience;
using namespace std::chrono_literals;

constexpr std::int64_t rate = 100'000, burst = 100'000;

template <class Clock>
void run(const char* name, double seconds) {
    r::rate_limiter<r::gcra, Clock> limiter(r::gcra({.rate = rate, .period = 1s, .burst_size = burst}));
    std::int64_t offered = 1, admitted = 0;
    const auto start = std::chrono::steady_clock::now();
    // Both ends are pinned to the limiter's clock read next to the steady_clock read: the first check is at
    // that instant, and at the end every admission already due is taken (a last loop turn that was
    // descheduled would otherwise count in the elapsed time without its admissions).
    admitted += limiter.try_acquire_at(r::detail::now_ns(limiter.clock())) ? 1 : 0;
    const auto end =
        start + std::chrono::duration_cast<std::chrono::steady_clock::duration>(std::chrono::duration<double>(seconds));
    auto now = start;
    std::chrono::steady_clock::duration longest{0};  // the longest stretch between two reads: descheduling
    while (now < end) {
        for (int i = 0; i < 4096; ++i) admitted += limiter.try_acquire() ? 1 : 0;
        offered += 4096;
        const auto t = std::chrono::steady_clock::now();
        if (t - now > longest) longest = t - now;
        now = t;
    }
    const std::int64_t end_ns = r::detail::now_ns(limiter.clock());
    while (limiter.try_acquire_at(end_ns)) ++admitted;
    const double elapsed = std::chrono::duration<double>(now - start).count();
    const double admitted_rate = static_cast<double>(admitted - burst) / elapsed;
    const double error = (admitted_rate - rate) / rate * 100.0;
    const double longest_ms = std::chrono::duration<double, std::milli>(longest).count();
    std::printf("| %s | %.1f M/s (%.0fx) | %.0f /s | %+.2f %% | %.1f ms |\n", name,
                static_cast<double>(offered) / elapsed / 1e6, static_cast<double>(offered) / elapsed / rate,
                admitted_rate, error, longest_ms);
    std::fprintf(stderr, "clock_rate_longest_gap_ms_%s %.3f\n", name, longest_ms);
    std::fprintf(stderr, "clock_rate_error_%s %.4f\n", name, error);
    std::fprintf(stderr, "clock_rate_overload_%s %.2f\n", name, static_cast<double>(offered) / elapsed / rate);
}
}  // namespace

int main(int argc, char** argv) {
    const double seconds = argc > 1 ? std::atof(argv[1]) : 2.0;
    if (!(seconds > 0)) {
        std::fprintf(stderr, "usage: %s [seconds>0]\n", argv[0]);
        return 2;
    }
    std::printf(
        "GCRA 100 000/s, burst 100 000, offered as fast as one thread can for %.1f s of real time; tsc_clock: %s\n\n",
        seconds, agentkit::tsc_clock::calibration().reason);
    std::printf(
        "| clock | offered | admitted rate | error vs 100 000/s | longest stretch between two loop turns "
        "|\n|---|---:|---:|---:|---:|\n");
    run<agentkit::steady_clock>("steady_clock", seconds);
    run<agentkit::tsc_clock>("tsc_clock", seconds);
    run<agentkit::coarse_steady_clock>("coarse_steady_clock", seconds);
    return 0;
}
