#pragma once
// A retry budget (Finagle's RetryBudget, Envoy's retry_budget): retries may be at most `percent_can_retry`
// of the requests of the last `ttl`, plus a floor of `min_retries_per_sec` so that a quiet client can still
// retry. During an outage every first attempt fails; without a budget each one turns into max_attempts
// calls and the retries amplify the outage; with it the extra load is bounded to the fraction.
// Shared by all retries against one upstream. Not thread-safe: one per strand/thread, or guard it.
#include <agentkit/core/clock.hpp>
#include <agentkit/core/error.hpp>

#include <array>
#include <chrono>
#include <cstdint>
#include <limits>

namespace agentkit::resilience {

template <clock_policy Clock = steady_clock>
class retry_budget {
public:
    struct config {
        std::chrono::milliseconds ttl{10000};  // the window deposits live in (Finagle: 10 s)
        double min_retries_per_sec = 10.0;     // the floor (Finagle: 10)
        double percent_can_retry = 0.2;        // retries per request (Finagle: 20 %)
    };

    explicit retry_budget(config c = {}, Clock clock = {}) : cfg_(c), clock_(clock) {
        if (cfg_.ttl.count() < static_cast<std::int64_t>(buckets))
            throw_invalid_field("retry_budget.ttl", "must be at least 10 ms");
        if (!(cfg_.min_retries_per_sec >= 0.0)) throw_invalid_field("retry_budget.min_retries_per_sec", "must be >= 0");
        if (!(cfg_.percent_can_retry >= 0.0 && cfg_.percent_can_retry <= 1000.0))
            throw_invalid_field("retry_budget.percent_can_retry", "must be within [0, 1000]");
        bucket_ns_ = std::chrono::duration_cast<std::chrono::nanoseconds>(cfg_.ttl).count() / buckets;
        floor_ = cfg_.min_retries_per_sec * std::chrono::duration<double>(cfg_.ttl).count();
    }

    // A first attempt was made: it earns `percent_can_retry` of a retry.
    void deposit() noexcept {
        slot(roll(now())).requests++;
        ++requests_;
    }

    // May a retry go out now? If so it is counted against the budget.
    bool try_withdraw() noexcept {
        const auto epoch = roll(now());
        if (static_cast<double>(retries_) + 1.0 > floor_ + cfg_.percent_can_retry * static_cast<double>(requests_))
            return false;
        slot(epoch).retries++;
        ++retries_;
        return true;
    }

    // Retries still allowed right now (for metrics).
    double balance() noexcept {
        roll(now());
        return floor_ + cfg_.percent_can_retry * static_cast<double>(requests_) - static_cast<double>(retries_);
    }

    const config& configuration() const noexcept { return cfg_; }

private:
    static constexpr std::size_t buckets = 10;
    struct bucket {
        std::int64_t epoch = INT64_MIN;
        std::uint64_t requests = 0;
        std::uint64_t retries = 0;
    };

    // The bucket epoch of now. A read within the bucket seen last skips the 64-bit division (most calls).
    std::int64_t now() noexcept {
        const auto t = std::chrono::duration_cast<std::chrono::nanoseconds>(clock_.now().time_since_epoch()).count();
        if (t >= seen_from_ && t < seen_to_) return seen_epoch_;
        const std::int64_t epoch = t / bucket_ns_;
        if (t >= 0 && epoch * bucket_ns_ <= std::numeric_limits<std::int64_t>::max() - bucket_ns_) {
            seen_from_ = epoch * bucket_ns_;
            seen_to_ = seen_from_ + bucket_ns_;
            seen_epoch_ = epoch;
        }
        return epoch;
    }
    // Clear the buckets that fell out of the window, keeping running totals; only when the bucket epoch
    // changed (also after a jump of the clock in either direction).
    std::int64_t roll(std::int64_t epoch) noexcept {
        if (epoch == current_) return epoch;
        current_ = epoch;
        for (auto& b : ring_)
            if (b.epoch != INT64_MIN && (b.epoch <= epoch - static_cast<std::int64_t>(buckets) || b.epoch > epoch)) {
                requests_ -= b.requests;
                retries_ -= b.retries;
                b = bucket{};
            }
        return epoch;
    }
    bucket& slot(std::int64_t epoch) noexcept {
        auto& b = ring_[static_cast<std::size_t>(((epoch % static_cast<std::int64_t>(buckets)) + buckets) % buckets)];
        if (b.epoch != epoch) {
            requests_ -= b.requests;
            retries_ -= b.retries;
            b = bucket{epoch, 0, 0};
        }
        return b;
    }

    config cfg_;
    Clock clock_;
    std::int64_t bucket_ns_ = 1;
    double floor_ = 0;
    std::array<bucket, buckets> ring_{};
    std::int64_t current_ = INT64_MIN;
    std::int64_t seen_from_ = 0, seen_to_ = 0, seen_epoch_ = 0;  // [from, to) maps to seen_epoch_ (empty at first)
    std::uint64_t requests_ = 0, retries_ = 0;                   // totals over ring_
};

}  // namespace agentkit::resilience
