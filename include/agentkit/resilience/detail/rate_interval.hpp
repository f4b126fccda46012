#pragma once
// The one time step of a rate-limit algorithm over a nanosecond clock (gcra, token_bucket): `rate` units per
// `period` as the interval between two units, after checking the knobs (rate_limit.rate, .period,
// .burst_size) so that burst_size intervals, and some headroom, fit the 64-bit state.
#include <agentkit/core/error.hpp>

#include <chrono>
#include <cstdint>
#include <limits>
#include <string>

namespace agentkit::resilience::detail {

// In whole nanoseconds, via floating point, truncated (as redis-cell computes it). `unit` names what is
// counted ("request", "token") in the error for a rate finer than one per nanosecond.
inline std::int64_t rate_interval(std::int64_t rate, std::chrono::nanoseconds period, std::int64_t burst_size,
                                  const char* unit) {
    if (rate <= 0) throw_invalid_field("rate_limit.rate", "must be positive");
    if (period.count() <= 0) throw_invalid_field("rate_limit.period", "must be positive");
    if (burst_size <= 0) throw_invalid_field("rate_limit.burst_size", "must be positive");
    const auto interval = static_cast<std::int64_t>(static_cast<double>(period.count()) / static_cast<double>(rate));
    if (interval <= 0)
        throw_invalid_field("rate_limit.rate", std::string("more than one ").append(unit).append(" per nanosecond"));
    if (burst_size > std::numeric_limits<std::int64_t>::max() / 4 / interval)
        throw_invalid_field("rate_limit.burst_size", "burst_size * period / rate overflows");
    return interval;
}

}  // namespace agentkit::resilience::detail
