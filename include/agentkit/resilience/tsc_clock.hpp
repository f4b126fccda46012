#pragma once
// tsc_clock is core/tsc_clock.hpp's (the CPU's time-stamp counter, calibrated once against steady_clock).
#include <agentkit/core/tsc_clock.hpp>

namespace agentkit::resilience {

using agentkit::basic_tsc_clock;
using agentkit::rdtsc_ticks;
using agentkit::tsc_calibration;
using agentkit::tsc_clock;

namespace detail {
using agentkit::detail::calibrate_tsc;
}  // namespace detail

}  // namespace agentkit::resilience
