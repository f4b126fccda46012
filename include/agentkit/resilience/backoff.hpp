#pragma once
// Backoff policies for the retry slot: constant, linear and exponential delays, each with a jitter policy
// (jitter.hpp). Small value types, usable on their own:
//
//   agentkit::resilience::exponential_backoff<agentkit::resilience::full_jitter> b;   // 1 s, x2, 30 s cap
//   std::mt19937_64 random(42);
//   auto d = b.delay(1, {}, random);   // before retry 1: uniform(0, 1 s)
//
// `attempt` is 1-based (the first retry); delay(0, ...) is zero (the first call does not wait).
// The arithmetic saturates: multiplier^attempt never overflows, every delay is clamped to the cap.
#include <agentkit/core/error.hpp>
#include <agentkit/resilience/backoff_policy.hpp>
#include <agentkit/resilience/jitter.hpp>

#include <chrono>
#include <cmath>
#include <cstdint>
#include <random>

namespace agentkit::resilience {

using std::chrono::milliseconds;
using std::chrono::nanoseconds;

// The knobs, shared by every jitter variant (so one config serves exponential_backoff<full_jitter> and
// exponential_backoff<no_jitter> alike). Defaults: the seeds' (Flynn) retry profile.
struct constant_backoff_config {
    milliseconds delay{1000};
};
struct linear_backoff_config {
    milliseconds initial_delay{1000};
    milliseconds increment{1000};
    milliseconds max_delay{30000};
};
struct exponential_backoff_config {
    milliseconds initial_delay{1000};
    double multiplier = 2.0;
    milliseconds max_delay{30000};
};

// Always the same delay.
template <class Jitter = no_jitter>
struct constant_backoff {
    static_assert(jitter_policy<Jitter>,
                  "agentkit::resilience::constant_backoff<Jitter>: Jitter is not a jitter policy (needs "
                  "apply(const jitter_input&, random) -> std::chrono::nanoseconds)");
    using config = constant_backoff_config;
    config cfg{};
    [[no_unique_address]] Jitter jitter{};

    constant_backoff() = default;
    explicit constant_backoff(config c, Jitter j = {}) : cfg(c), jitter(j) {
        if (cfg.delay.count() < 0) throw_invalid_field("retry.delay", "must not be negative");
    }

    template <std::uniform_random_bit_generator G>
    nanoseconds delay(std::uint32_t attempt, nanoseconds previous, G& random) const noexcept {
        if (attempt == 0) return nanoseconds(0);
        const nanoseconds d = cfg.delay;
        return jitter.apply(jitter_input{d, previous, d, d}, random);
    }
};

// initial + increment * (attempt - 1), up to max.
template <class Jitter = no_jitter>
struct linear_backoff {
    static_assert(jitter_policy<Jitter>,
                  "agentkit::resilience::linear_backoff<Jitter>: Jitter is not a jitter policy (needs "
                  "apply(const jitter_input&, random) -> std::chrono::nanoseconds)");
    using config = linear_backoff_config;
    config cfg{};
    [[no_unique_address]] Jitter jitter{};

    linear_backoff() = default;
    explicit linear_backoff(config c, Jitter j = {}) : cfg(c), jitter(j) {
        if (cfg.initial_delay.count() < 0) throw_invalid_field("retry.initial_delay", "must not be negative");
        if (cfg.increment.count() < 0) throw_invalid_field("retry.increment", "must not be negative");
        if (cfg.max_delay < cfg.initial_delay) throw_invalid_field("retry.max_delay", "must be at least initial_delay");
    }

    template <std::uniform_random_bit_generator G>
    nanoseconds delay(std::uint32_t attempt, nanoseconds previous, G& random) const noexcept {
        if (attempt == 0) return nanoseconds(0);
        const nanoseconds cap = cfg.max_delay, initial = cfg.initial_delay;
        const auto steps = static_cast<std::int64_t>(attempt - 1);
        const nanoseconds inc = cfg.increment;
        // initial + inc * steps <= cap  <=>  steps <= (cap - initial) / inc: no multiplication that can overflow.
        nanoseconds base = cap;
        if (inc.count() == 0 || steps <= (cap - initial).count() / inc.count()) base = initial + inc * steps;
        return jitter.apply(jitter_input{base, previous, initial, cap}, random);
    }
};

// initial * multiplier^(attempt - 1), up to max: the seeds' retry (initialDelayMs, multiplier, maxDelayMs).
template <class Jitter = no_jitter>
struct exponential_backoff {
    static_assert(jitter_policy<Jitter>,
                  "agentkit::resilience::exponential_backoff<Jitter>: Jitter is not a jitter policy (needs "
                  "apply(const jitter_input&, random) -> std::chrono::nanoseconds)");
    using config = exponential_backoff_config;
    config cfg{};
    [[no_unique_address]] Jitter jitter{};

    exponential_backoff() = default;
    explicit exponential_backoff(config c, Jitter j = {}) : cfg(c), jitter(j) {
        if (cfg.initial_delay.count() < 0) throw_invalid_field("retry.initial_delay", "must not be negative");
        if (!(cfg.multiplier >= 1.0) || !std::isfinite(cfg.multiplier))
            throw_invalid_field("retry.multiplier", "must be a finite number >= 1");
        if (cfg.max_delay < cfg.initial_delay) throw_invalid_field("retry.max_delay", "must be at least initial_delay");
    }

    // The delay before jitter: clamped to the cap, computed by squaring in double (inf saturates to the cap).
    nanoseconds nominal(std::uint32_t attempt) const noexcept {
        if (attempt == 0) return nanoseconds(0);
        const nanoseconds cap = cfg.max_delay, initial = cfg.initial_delay;
        double factor = 1.0, m = cfg.multiplier;
        for (std::uint32_t n = attempt - 1; n != 0; n >>= 1) {
            if (n & 1u) factor *= m;
            m *= m;
        }
        const double v = static_cast<double>(initial.count()) * factor;
        return v < static_cast<double>(cap.count()) ? nanoseconds(static_cast<std::int64_t>(v)) : cap;
    }

    template <std::uniform_random_bit_generator G>
    nanoseconds delay(std::uint32_t attempt, nanoseconds previous, G& random) const noexcept {
        if (attempt == 0) return nanoseconds(0);
        const nanoseconds cap = cfg.max_delay, initial = cfg.initial_delay;
        return jitter.apply(jitter_input{nominal(attempt), previous, initial, cap}, random);
    }
};

static_assert(backoff_policy<constant_backoff<>> && backoff_policy<linear_backoff<full_jitter>> &&
              backoff_policy<exponential_backoff<full_jitter>> &&
              backoff_policy<exponential_backoff<decorrelated_jitter>>);

}  // namespace agentkit::resilience
