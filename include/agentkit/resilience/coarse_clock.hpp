#pragma once
// coarse_steady_clock is core/coarse_clock.hpp's (CLOCK_MONOTONIC_COARSE: a few ns per read, 1-4 ms resolution).
#include <agentkit/core/coarse_clock.hpp>

namespace agentkit::resilience {

using agentkit::coarse_steady_clock;

}  // namespace agentkit::resilience
