#pragma once
// A precise monotonic clock read from the CPU's time-stamp counter (x86 RDTSC): one instruction and one
// multiply per read instead of a vDSO clock_gettime (on the reference VM: ~11 ns vs ~29 ns of CPU time).
// For rate limiters doing tens of millions of checks per second with nanosecond-precise time (where
// coarse_steady_clock's 1-4 ms tick is too coarse).
//
// Calibrated once per process against std::chrono::steady_clock (the first tsc_clock constructed pays a
// ~5 ms calibration; call tsc_clock::calibration() at start-up to pay it early). Times are nanoseconds on
// steady_clock's epoch at the calibration instant; afterwards the two may drift apart by the calibration
// error (~1e-5) plus NTP's slewing of CLOCK_MONOTONIC (<= 500 ppm). tsc_clock itself never goes back.
//
// Used only when it is safe, checked at calibration; otherwise every read is steady_clock::now():
//   - x86 with an invariant TSC (CPUID 0x80000007 EDX bit 8: constant rate, runs in all C/P-states),
//   - on Linux, the kernel's current clocksource is "tsc" (the kernel checked the counters agree across
//     CPUs and watches them against another clock; it switches away if they misbehave),
//   - the measured frequency is plausible (100 MHz - 10 GHz),
//   - AGENTKIT_TSC_CLOCK is not set to 0 / off (an escape hatch).
// calibration().precise says which; calibration().reason says why.
//
// Limits: RDTSC is not serialising, so a read may be taken a few ns early relative to surrounding
// instructions (irrelevant at rate-limit granularity); monotonic per thread, and across threads within
// the kernel-verified TSC synchronisation. basic_tsc_clock<TickSource> takes the tick source as a
// policy so the conversion can be tested deterministically with a manual tick counter.
#include <agentkit/core/clock.hpp>

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <thread>

#if defined(__x86_64__) || defined(__i386__)
#include <cpuid.h>
#include <x86intrin.h>
#define AGENTKIT_HAS_RDTSC 1
#endif

namespace agentkit {

#if defined(__SIZEOF_INT128__)
__extension__ typedef unsigned __int128 detail_u128;
#endif

// ticks -> nanoseconds: ns = anchor_ns + floor((ticks - anchor_ticks) * q / 2^shift), q = ceil(10^9 * 2^shift
// / frequency) with shift chosen so q uses ~62 bits (relative error < 2^-61: exact to the nanosecond over
// years). One 64x64->128 multiply and a shift per read.
struct tsc_calibration {
    bool precise = false;  // false: the clock falls back to steady_clock
    const char* reason = "not calibrated";
    std::uint64_t anchor_ticks = 0;
    std::int64_t anchor_ns = 0;
    std::uint64_t ticks_per_second = 0;  // rounded to whole Hz
    std::uint64_t q = 0;                 // nanoseconds per tick * 2^shift, rounded up
    unsigned shift = 0;

    static tsc_calibration from_frequency(double hz, std::uint64_t anchor_ticks, std::int64_t anchor_ns,
                                          const char* reason = "given frequency") noexcept {
        tsc_calibration c;
        c.reason = reason;
        c.anchor_ticks = anchor_ticks;
        c.anchor_ns = anchor_ns;
        if (!(hz >= 1e6 && hz <= 1e11)) return c;  // not precise
        c.precise = true;
        c.ticks_per_second = static_cast<std::uint64_t>(hz + 0.5);
#if defined(__SIZEOF_INT128__)
        const detail_u128 f = c.ticks_per_second;
        while (c.shift < 80 &&
               ((static_cast<detail_u128>(1'000'000'000) << (c.shift + 1)) + f - 1) / f < (detail_u128{1} << 62))
            ++c.shift;
        c.q = static_cast<std::uint64_t>(((static_cast<detail_u128>(1'000'000'000) << c.shift) + f - 1) / f);
#else
        c.shift = 32;
        c.q = static_cast<std::uint64_t>(4294967296.0e9 / static_cast<double>(c.ticks_per_second)) + 1;
#endif
        return c;
    }

    // Monotonic in `ticks`; ticks slightly before the anchor (another CPU) give times slightly before it.
    std::int64_t to_ns(std::uint64_t ticks) const noexcept {
        const bool before = ticks < anchor_ticks;
        const std::uint64_t d = before ? anchor_ticks - ticks : ticks - anchor_ticks;
#if defined(__SIZEOF_INT128__)
        const auto ns = static_cast<std::uint64_t>((static_cast<detail_u128>(d) * q) >> shift);
#else
        const auto ns =
            static_cast<std::uint64_t>(static_cast<long double>(d) * static_cast<long double>(q) / 4294967296.0L);
#endif
        return before ? anchor_ns - static_cast<std::int64_t>(ns) : anchor_ns + static_cast<std::int64_t>(ns);
    }
};

#if defined(AGENTKIT_HAS_RDTSC)
struct rdtsc_ticks {
    std::uint64_t operator()() const noexcept { return __rdtsc(); }
};
#else
struct rdtsc_ticks {  // no TSC: never used, calibration() reports precise = false
    std::uint64_t operator()() const noexcept { return 0; }
};
#endif

namespace detail {
inline std::int64_t steady_ns() noexcept {
    return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now().time_since_epoch())
        .count();
}

#if defined(AGENTKIT_HAS_RDTSC)
inline bool invariant_tsc() noexcept {
    unsigned a = 0, b = 0, c = 0, d = 0;
    if (static_cast<unsigned>(__get_cpuid_max(0x80000000u, nullptr)) < 0x80000007u) return false;
    __cpuid(0x80000007u, a, b, c, d);
    return (d & (1u << 8)) != 0;
}

// The kernel's clocksource (Linux): "tsc" means the kernel verified and trusts the TSC.
inline bool kernel_uses_tsc() noexcept {
#if defined(__linux__)
    std::FILE* f = std::fopen("/sys/devices/system/clocksource/clocksource0/current_clocksource", "r");
    if (!f) return false;
    char name[32] = {};
    const bool ok = std::fgets(name, sizeof name, f) != nullptr;
    std::fclose(f);
    return ok && std::strncmp(name, "tsc", 3) == 0 && (name[3] == '\n' || name[3] == '\0');
#else
    return false;
#endif
}

// One (ticks, ns) pair: the steady_clock read bracketed by two TSC reads, the tightest of a few tries.
struct tsc_sample {
    std::uint64_t ticks;
    std::int64_t ns;
};
inline tsc_sample sample_tsc() noexcept {
    tsc_sample best{0, 0};
    std::uint64_t width = ~std::uint64_t{0};
    for (int i = 0; i < 7; ++i) {
        const std::uint64_t t0 = __rdtsc();
        const std::int64_t ns = steady_ns();
        const std::uint64_t t1 = __rdtsc();
        if (t1 >= t0 && t1 - t0 < width) {
            width = t1 - t0;
            best = {t0 + (t1 - t0) / 2, ns};
        }
    }
    return best;
}
#endif

inline tsc_calibration calibrate_tsc() noexcept {
    const char* env = std::getenv("AGENTKIT_TSC_CLOCK");
    if (env && (std::strcmp(env, "0") == 0 || std::strcmp(env, "off") == 0)) {
        tsc_calibration c;
        c.reason = "steady_clock fallback: AGENTKIT_TSC_CLOCK=off";
        return c;
    }
#if defined(AGENTKIT_HAS_RDTSC)
    tsc_calibration none;
    if (!invariant_tsc()) {
        none.reason = "steady_clock fallback: the CPU reports no invariant TSC";
        return none;
    }
    if (!kernel_uses_tsc()) {
        none.reason = "steady_clock fallback: the kernel's clocksource is not tsc";
        return none;
    }
    const tsc_sample a = sample_tsc();
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
    const tsc_sample b = sample_tsc();
    if (b.ns <= a.ns || b.ticks <= a.ticks) {
        none.reason = "steady_clock fallback: TSC did not advance during calibration";
        return none;
    }
    const double hz = static_cast<double>(b.ticks - a.ticks) * 1e9 / static_cast<double>(b.ns - a.ns);
    if (hz < 1e8 || hz > 1e10) {
        none.reason = "steady_clock fallback: implausible TSC frequency";
        return none;
    }
    return tsc_calibration::from_frequency(hz, b.ticks, b.ns, "tsc: invariant TSC, kernel clocksource tsc");
#else
    tsc_calibration c;
    c.reason = "steady_clock fallback: no TSC on this architecture";
    return c;
#endif
}
}  // namespace detail

template <class TickSource = rdtsc_ticks>
class basic_tsc_clock : public nanosecond_clock<basic_tsc_clock<TickSource>, true> {
    using base = nanosecond_clock<basic_tsc_clock, true>;

public:
    using typename base::duration;
    using typename base::time_point;

    // The process-wide calibration (computed once, thread-safe).
    static const tsc_calibration& calibration() noexcept {
        static const tsc_calibration c = detail::calibrate_tsc();
        return c;
    }

    basic_tsc_clock() : basic_tsc_clock(calibration()) {}
    explicit basic_tsc_clock(const tsc_calibration& c, TickSource ticks = {}) : cal_(c), ticks_(ticks) {}

    time_point now() const noexcept {
        if (cal_.precise) [[likely]]
            return time_point(duration(cal_.to_ns(ticks_())));
        return time_point(duration(detail::steady_ns()));
    }

    const tsc_calibration& configuration() const noexcept { return cal_; }
    bool precise() const noexcept { return cal_.precise; }

private:
    tsc_calibration cal_;
    [[no_unique_address]] TickSource ticks_;
};

using tsc_clock = basic_tsc_clock<>;

static_assert(clock_policy<tsc_clock>);

}  // namespace agentkit
