#pragma once
// A monotonic clock read from the kernel's tick-updated copy (CLOCK_MONOTONIC_COARSE on Linux): a few ns
// per read instead of the ~20-60 ns of a precise steady_clock read, at the resolution of the scheduler
// tick (1-4 ms). For rate limiters admitting tens of millions of checks per second, where the clock read
// would otherwise cost more than the decision. The long-run admitted rate stays exact (GCRA and the token
// bucket only compare times); requests within one tick see the same instant. Elsewhere, use steady_clock.
#include <agentkit/core/clock.hpp>

#include <chrono>
#include <cstdint>
#include <ctime>

namespace agentkit {

struct coarse_steady_clock : nanosecond_clock<coarse_steady_clock, true> {
    time_point now() const noexcept {
#if defined(CLOCK_MONOTONIC_COARSE)
        timespec ts{};
        ::clock_gettime(CLOCK_MONOTONIC_COARSE, &ts);
        return time_point(duration(static_cast<std::int64_t>(ts.tv_sec) * 1'000'000'000 + ts.tv_nsec));
#else
        return time_point(std::chrono::duration_cast<duration>(std::chrono::steady_clock::now().time_since_epoch()));
#endif
    }
};

static_assert(clock_policy<coarse_steady_clock>);

}  // namespace agentkit
