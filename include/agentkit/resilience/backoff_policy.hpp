#pragma once
// The retry slot's concept: a backoff policy tells how long to wait before retry `attempt` (1-based),
// given the previous delay (decorrelated jitter needs it) and a random source it may draw from.
#include <chrono>
#include <concepts>
#include <cstdint>
#include <random>

namespace agentkit::resilience {

template <class P>
concept backoff_policy = requires(const P& policy, std::uint32_t attempt, std::chrono::nanoseconds previous,
                                  std::mt19937_64& random) {
    { policy.delay(attempt, previous, random) } -> std::convertible_to<std::chrono::nanoseconds>;
};

}  // namespace agentkit::resilience
