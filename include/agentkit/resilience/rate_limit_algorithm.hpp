#pragma once
// What a rate-limit algorithm is: a pure function over ONE 64-bit word of state, so that a global limiter
// keeps its state in one std::atomic<std::int64_t> (a CAS per admitted request, no lock), a per-key
// limiter keeps 16 bytes per key, and a state that has gone idle is indistinguishable from a fresh one
// (which is what lets the per-key table drop it without changing any answer).
//
//   A::state empty                      the state of a key never seen (the bucket is full)
//   a.step(state, now_ns, quantity, out) -> bool: admitted? then `state` is updated; `out` (nullable)
//                                        receives limit / remaining / retry_after / reset_after
//   a.idle(state, now_ns) -> bool        state is equivalent to `empty` at now
#include <chrono>
#include <concepts>
#include <cstdint>
#include <limits>

namespace agentkit::resilience {

// The answer of a limiter, with redis-cell's CL.THROTTLE fields.
struct rate_limit_result {
    bool limited = false;
    std::int64_t limit = 0;      // the most a burst may take at once
    std::int64_t remaining = 0;  // what could still be taken right now
    // How long until this request would be admitted; -1 s when admitted, or when it never can be
    // (quantity > limit), as CL.THROTTLE answers.
    std::chrono::nanoseconds retry_after{std::chrono::seconds(-1)};
    std::chrono::nanoseconds reset_after{0};  // how long until the limiter is back to full
};

// CL.THROTTLE's reply: seconds, a partial second (>= 1 ms) rounded up so a caller never retries early.
struct cl_throttle_reply {
    std::int64_t limited, limit, remaining, retry_after, reset_after;
    friend bool operator==(const cl_throttle_reply&, const cl_throttle_reply&) = default;
};
inline std::int64_t cl_throttle_seconds(std::chrono::nanoseconds d) noexcept {
    auto whole =
        std::chrono::duration_cast<std::chrono::seconds>(d);  // truncates toward zero, like Rust's whole_seconds
    const auto sub_ms = std::chrono::duration_cast<std::chrono::milliseconds>(d - whole).count();
    return whole.count() + (sub_ms > 0 ? 1 : 0);
}
inline cl_throttle_reply to_cl_throttle(const rate_limit_result& r) noexcept {
    return {r.limited ? 1 : 0, r.limit, r.remaining, cl_throttle_seconds(r.retry_after),
            cl_throttle_seconds(r.reset_after)};
}

template <class A>
concept rate_limit_algorithm = requires(const A& a, std::int64_t& state, std::int64_t now, std::int64_t quantity,
                                        rate_limit_result* out) {
    { A::empty } -> std::convertible_to<std::int64_t>;
    { a.step(state, now, quantity, out) } -> std::same_as<bool>;
    { a.idle(state, now) } -> std::same_as<bool>;
    { a.limit() } -> std::convertible_to<std::int64_t>;
};

}  // namespace agentkit::resilience
