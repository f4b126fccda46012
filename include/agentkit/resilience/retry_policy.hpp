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

/// @brief The retry slot of an agent (`with_retry<P>`): whether and when to try a failed model call again.
/// @details `p.decide(calls_made, failure, previous)` returns a `retry_decision` (retry or not, after how long)
/// after call number `calls_made` failed with `failure`, `previous` being the delay slept before it. The model
/// shipped is `retry<Backoff, Classifier>`; a bare `backoff_policy` in the slot stands for `retry<Backoff>`.
/// Default: no retries.
/// @tparam P the retry policy.
template <class P>
concept retry_policy = requires(P& p, const failure& f, std::chrono::nanoseconds previous) {
    { p.decide(std::uint32_t{1}, f, previous) } -> std::same_as<retry_decision>;
};

}  // namespace agentkit::resilience
