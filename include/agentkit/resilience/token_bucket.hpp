#pragma once
// Token bucket: `burst_size` tokens, refilled at `rate` per `period`; a request takes `quantity` tokens or
// is refused. The state is one word, the instant the bucket was (virtually) empty: tokens(now) =
// min(burst_size, (now - empty_at) / interval). Admitting everything a bucket of this size and rate
// admits, it behaves like GCRA with limit = burst_size (they are the same machine seen from two sides);
// it answers in tokens, and a bucket may start partly filled (initial_tokens) where GCRA starts full.
#include <agentkit/core/error.hpp>
#include <agentkit/resilience/detail/rate_interval.hpp>
#include <agentkit/resilience/rate_limit_algorithm.hpp>

#include <chrono>
#include <cstdint>
#include <limits>

namespace agentkit::resilience {

class token_bucket {
public:
    struct config {
        std::int64_t rate = 10000;  // tokens per period (Caxton: global_rate 10000)
        std::chrono::nanoseconds period{std::chrono::seconds(1)};
        std::int64_t burst_size = 200;  // capacity (Caxton: burst_size 200)
    };
    static constexpr std::int64_t empty = std::numeric_limits<std::int64_t>::min();  // a full bucket

    token_bucket() : token_bucket(config{}) {}
    explicit token_bucket(config c) : cfg_(c) {
        interval_ = detail::rate_interval(cfg_.rate, cfg_.period, cfg_.burst_size, "token");
        capacity_ = interval_ * cfg_.burst_size;
    }

    std::int64_t limit() const noexcept { return cfg_.burst_size; }
    const config& configuration() const noexcept { return cfg_; }
    // The state of a bucket holding `tokens` at `now` (to start a bucket partly filled).
    std::int64_t state_with(std::int64_t tokens, std::int64_t now) const noexcept {
        if (tokens >= cfg_.burst_size) return empty;
        return now - (tokens < 0 ? 0 : tokens) * interval_;
    }

    bool idle(std::int64_t empty_at, std::int64_t now) const noexcept { return empty_at <= now - capacity_; }

    bool step(std::int64_t& state, std::int64_t now, std::int64_t quantity, rate_limit_result* out) const noexcept {
        // Token-time in the bucket, capped at capacity (also for `empty`: no overflow, no subtraction from min).
        const std::int64_t have = state <= now - capacity_ ? capacity_ : now - state;
        const bool too_big = quantity > cfg_.burst_size || quantity < 0;  // negative would add tokens
        const std::int64_t need = (too_big ? cfg_.burst_size + 1 : quantity) * interval_;
        if (have < need) {
            if (out) fill(*out, true, have, too_big ? std::chrono::seconds(-1) : std::chrono::nanoseconds(need - have));
            return false;
        }
        if (out) fill(*out, false, have - need, std::chrono::seconds(-1));
        if (quantity > 0) state = now - (have - need);
        return true;
    }

private:
    void fill(rate_limit_result& out, bool limited, std::int64_t left,
              std::chrono::nanoseconds retry_after) const noexcept {
        out.limited = limited;
        out.limit = cfg_.burst_size;
        out.remaining = left / interval_;
        out.retry_after = retry_after;
        out.reset_after = std::chrono::nanoseconds(capacity_ - left);
    }

    config cfg_;
    std::int64_t interval_ = 1;
    std::int64_t capacity_ = 1;
};

static_assert(rate_limit_algorithm<token_bucket>);

}  // namespace agentkit::resilience
