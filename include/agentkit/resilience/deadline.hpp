#pragma once
// A deadline: the instant by which a whole operation must be done, passed down so every nested call (each
// retry attempt, each fallback alternative, each upstream request) gets only the time that is left. A child
// deadline is never later than its parent: child = min(parent, now + own timeout).
#include <agentkit/core/clock.hpp>

#include <chrono>
#include <cstdint>
#include <string>

namespace agentkit::resilience {

template <clock_policy Clock = steady_clock>
class deadline {
public:
    using clock_type = Clock;
    using time_point = typename Clock::time_point;

    // No deadline at all.
    constexpr deadline() noexcept : at_(time_point::max()) {}
    static constexpr deadline never() noexcept { return deadline(); }
    static constexpr deadline at(time_point t) noexcept { return deadline(t); }
    // `timeout` from now; a timeout <= 0 is already expired, a huge one saturates to never.
    static deadline after(time_point now, std::chrono::nanoseconds timeout) noexcept {
        const auto room = time_point::max() - now;
        if (timeout >= room) return never();
        return deadline(now + std::chrono::duration_cast<typename Clock::duration>(timeout));
    }
    static deadline after(const Clock& clock, std::chrono::nanoseconds timeout) noexcept {
        return after(clock.now(), timeout);
    }

    constexpr bool is_never() const noexcept { return at_ == time_point::max(); }
    constexpr time_point when() const noexcept { return at_; }
    bool expired(time_point now) const noexcept { return !is_never() && now >= at_; }
    // Time left (zero once expired; nanoseconds::max() for never).
    std::chrono::nanoseconds remaining(time_point now) const noexcept {
        if (is_never()) return std::chrono::nanoseconds::max();
        return now >= at_ ? std::chrono::nanoseconds(0)
                          : std::chrono::duration_cast<std::chrono::nanoseconds>(at_ - now);
    }
    constexpr deadline sooner(deadline other) const noexcept { return other.at_ < at_ ? other : *this; }
    // The deadline a nested call gets: its own timeout, but never past ours.
    deadline child(time_point now, std::chrono::nanoseconds timeout) const noexcept {
        return sooner(after(now, timeout));
    }

    // The remaining time as a gRPC `grpc-timeout` header value ("250m", "30S"; at most 8 digits), so a
    // deadline crosses a process boundary. Empty for never.
    std::string grpc_timeout(time_point now) const {
        if (is_never()) return {};
        const auto left = remaining(now).count();
        static constexpr struct {
            char unit;
            std::int64_t ns;
        } units[] = {{'n', 1},
                     {'u', 1000},
                     {'m', 1'000'000},
                     {'S', 1'000'000'000},
                     {'M', 60'000'000'000},
                     {'H', 3'600'000'000'000}};
        for (const auto& u : units) {
            const auto v = left / u.ns;  // round down: the callee never gets more time than we have
            if (v < 100'000'000) return std::to_string(v) + u.unit;
        }
        return "99999999H";
    }

    friend constexpr bool operator==(const deadline&, const deadline&) = default;

private:
    constexpr explicit deadline(time_point t) noexcept : at_(t) {}
    time_point at_;
};

}  // namespace agentkit::resilience
