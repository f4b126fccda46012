#pragma once
// GCRA, the generic cell rate algorithm, with the semantics of redis-cell's CL.THROTTLE (same answers on
// the same (time, quantity) sequence, tests/unit/resilience/gcra.cpp). The state is the theoretical
// arrival time (TAT) in nanoseconds: admitting `q` moves it q emission intervals later; a request is
// refused when that would put it more than the delay-variation tolerance (limit intervals) ahead of now.
// A TAT in the past is the same as none, so idle keys need no storage.
#include <agentkit/core/error.hpp>
#include <agentkit/resilience/detail/rate_interval.hpp>
#include <agentkit/resilience/rate_limit_algorithm.hpp>

#include <chrono>
#include <cstdint>
#include <limits>

namespace agentkit::resilience {

class gcra {
public:
    struct config {
        std::int64_t rate = 100;  // requests per period (Caxton: per_ip_rate 100)
        std::chrono::nanoseconds period{std::chrono::seconds(1)};
        std::int64_t burst_size = 200;  // requests admitted at once from idle (Caxton: burst_size 200)
    };
    static constexpr std::int64_t empty = std::numeric_limits<std::int64_t>::min();

    gcra() : gcra(config{}) {}
    explicit gcra(config c) : cfg_(c) {
        emission_ = detail::rate_interval(cfg_.rate, cfg_.period, cfg_.burst_size, "request");
        tolerance_ = emission_ * cfg_.burst_size;
    }
    // CL.THROTTLE <key> <max_burst> <count per period> <period>: limit = max_burst + 1.
    static gcra from_cl_throttle(std::int64_t max_burst, std::int64_t count, std::chrono::seconds period) {
        return gcra(config{count, period, max_burst + 1});
    }

    std::int64_t limit() const noexcept { return cfg_.burst_size; }
    std::chrono::nanoseconds emission_interval() const noexcept { return std::chrono::nanoseconds(emission_); }
    const config& configuration() const noexcept { return cfg_; }

    bool idle(std::int64_t tat, std::int64_t now) const noexcept { return tat <= now; }

    bool step(std::int64_t& state, std::int64_t now, std::int64_t quantity, rate_limit_result* out) const noexcept {
        const std::int64_t tat = state > now ? state : now;
        // A quantity beyond what the tolerance could ever hold is refused outright (no overflow either);
        // so is a negative one (it would hand out capacity).
        const bool too_big = quantity > cfg_.burst_size || quantity < 0;
        const std::int64_t increment = (too_big ? cfg_.burst_size + 1 : quantity) * emission_;
        const std::int64_t new_tat = tat + increment;
        const std::int64_t diff = now - (new_tat - tolerance_);
        if (diff < 0) {
            if (out) fill(*out, true, tat - now, too_big ? std::chrono::seconds(-1) : std::chrono::nanoseconds(-diff));
            return false;
        }
        if (out) fill(*out, false, new_tat - now, std::chrono::seconds(-1));
        if (quantity > 0) state = new_tat;
        return true;
    }

private:
    void fill(rate_limit_result& out, bool limited, std::int64_t ttl,
              std::chrono::nanoseconds retry_after) const noexcept {
        out.limited = limited;
        out.limit = cfg_.burst_size;
        out.retry_after = retry_after;
        out.reset_after = std::chrono::nanoseconds(ttl);
        const std::int64_t next = tolerance_ - ttl;
        // redis-cell divides microseconds in floating point and truncates.
        out.remaining = next > -emission_
            ? static_cast<std::int64_t>(static_cast<double>(next / 1000) /
                                        static_cast<double>(emission_ / 1000 > 0 ? emission_ / 1000 : 1))
            : 0;
        if (emission_ < 1000) out.remaining = next > -emission_ ? next / emission_ : 0;
    }

    config cfg_;
    std::int64_t emission_ = 1;
    std::int64_t tolerance_ = 1;
};

static_assert(rate_limit_algorithm<gcra>);

}  // namespace agentkit::resilience
