#pragma once
// The retry slot's concept: a complete retry policy - backoff, classifier, max attempts, max delay, budget -
// reduced to its decision. After call number `calls_made` failed with `f` (and `previous` was slept before
// it): retry or not, and after how long. resilience::retry<Backoff, Classifier> is the one the toolkit ships.
#include <agentkit/resilience/failure.hpp>
#include <agentkit/resilience/retry.hpp>

#include <chrono>
#include <concepts>
#include <cstdint>

namespace agentkit::resilience {

template <class P>
concept retry_policy = requires(P& p, const failure& f, std::chrono::nanoseconds previous) {
    { p.decide(std::uint32_t{1}, f, previous) } -> std::same_as<retry_decision>;
};

}  // namespace agentkit::resilience
