#pragma once
// Jitter policies: how a backoff spreads its nominal delay `base` so that clients which failed together do
// not retry together (AWS Architecture Blog, "Exponential Backoff and Jitter"). Each is a small value type
// with apply(input, random) -> nanoseconds; the random source is any uniform_random_bit_generator, so tests
// pass a seeded engine.
#include <agentkit/core/error.hpp>

#include <chrono>
#include <concepts>
#include <cstdint>
#include <limits>
#include <random>

namespace agentkit::resilience {

// What a jitter may look at: the nominal delay of this retry, the delay actually slept before the previous
// retry (zero before the first), and the backoff's initial delay and cap.
struct jitter_input {
    std::chrono::nanoseconds base;
    std::chrono::nanoseconds previous;
    std::chrono::nanoseconds initial;
    std::chrono::nanoseconds cap;
};

namespace detail {
// A double in [0, 1). The common 64-bit engines take the 53-bit fast path (no distribution object, no loop).
template <std::uniform_random_bit_generator G>
inline double uniform01(G& random) {
    if constexpr (G::min() == 0 && G::max() == std::numeric_limits<std::uint64_t>::max())
        return static_cast<double>(random() >> 11) * 0x1.0p-53;
    else
        return std::generate_canonical<double, 53>(random);
}

// A duration drawn uniformly from [low, high] (low when the range is empty).
template <std::uniform_random_bit_generator G>
inline std::chrono::nanoseconds uniform_between(std::chrono::nanoseconds low, std::chrono::nanoseconds high,
                                                G& random) {
    if (high <= low) return low;
    const double span = static_cast<double>(high.count()) - static_cast<double>(low.count());
    return low + std::chrono::nanoseconds(static_cast<std::int64_t>(uniform01(random) * span));
}

// a * k without overflowing int64 (saturates); k >= 0.
inline std::chrono::nanoseconds saturating_scale(std::chrono::nanoseconds a, double k) {
    const double v = static_cast<double>(a.count()) * k;
    if (!(v < 9.2e18)) return std::chrono::nanoseconds::max();
    return std::chrono::nanoseconds(static_cast<std::int64_t>(v));
}
// The knob of a jitter that scales the delay by up to `f` of itself (retry.jitter, within [0, 1]).
inline double jitter_fraction(double f) {
    if (!(f >= 0.0 && f <= 1.0)) throw_invalid_field("retry.jitter", "must be within [0, 1]");
    return f;
}
}  // namespace detail

template <class J>
concept jitter_policy = requires(const J& j, const jitter_input& in, std::mt19937_64& random) {
    { j.apply(in, random) } -> std::convertible_to<std::chrono::nanoseconds>;
};

// The nominal delay, unchanged. Clients that failed together retry together: use only with one client.
struct no_jitter {
    template <std::uniform_random_bit_generator G>
    std::chrono::nanoseconds apply(const jitter_input& in, G&) const noexcept {
        return in.base;
    }
};

// uniform(0, base): fewest calls in the AWS study; the default choice.
struct full_jitter {
    template <std::uniform_random_bit_generator G>
    std::chrono::nanoseconds apply(const jitter_input& in, G& random) const noexcept {
        return detail::uniform_between(std::chrono::nanoseconds(0), in.base, random);
    }
};

// base/2 + uniform(0, base/2): never retries sooner than half the nominal delay.
struct equal_jitter {
    template <std::uniform_random_bit_generator G>
    std::chrono::nanoseconds apply(const jitter_input& in, G& random) const noexcept {
        const auto half = in.base / 2;
        return half + detail::uniform_between(std::chrono::nanoseconds(0), in.base - half, random);
    }
};

// min(cap, uniform(initial, 3 * previous)): grows from the delay actually slept, not from the attempt number.
struct decorrelated_jitter {
    template <std::uniform_random_bit_generator G>
    std::chrono::nanoseconds apply(const jitter_input& in, G& random) const noexcept {
        const auto previous = in.previous > in.initial ? in.previous : in.initial;
        const auto high = detail::saturating_scale(previous, 3.0);
        const auto d = detail::uniform_between(in.initial, high, random);
        return d < in.cap ? d : in.cap;
    }
};

// base * (1 + uniform(-fraction, +fraction)): gRPC's connection backoff (fraction 0.2). The cap applies to
// the base, so a delay may exceed it by `fraction`, as in gRPC.
struct proportional_jitter {
    double fraction = 0.2;

    proportional_jitter() = default;
    explicit proportional_jitter(double f) : fraction(detail::jitter_fraction(f)) {}
    template <std::uniform_random_bit_generator G>
    std::chrono::nanoseconds apply(const jitter_input& in, G& random) const noexcept {
        const double k = 1.0 + fraction * (2.0 * detail::uniform01(random) - 1.0);
        return detail::saturating_scale(in.base, k);
    }
};

// base * (1 - uniform(0, fraction)): only ever shortens, the OpenAI Python client's jitter (fraction 0.25).
struct downward_jitter {
    double fraction = 0.25;

    downward_jitter() = default;
    explicit downward_jitter(double f) : fraction(detail::jitter_fraction(f)) {}
    template <std::uniform_random_bit_generator G>
    std::chrono::nanoseconds apply(const jitter_input& in, G& random) const noexcept {
        return detail::saturating_scale(in.base, 1.0 - fraction * detail::uniform01(random));
    }
};

static_assert(jitter_policy<downward_jitter>);
static_assert(jitter_policy<no_jitter> && jitter_policy<full_jitter> && jitter_policy<equal_jitter> &&
              jitter_policy<decorrelated_jitter> && jitter_policy<proportional_jitter>);

}  // namespace agentkit::resilience
