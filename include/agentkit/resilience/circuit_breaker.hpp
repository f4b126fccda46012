#pragma once
// A circuit breaker (resilience4j's model): CLOSED lets calls through and records their outcomes in a
// sliding window (the last N calls, or the last N seconds); once at least minimum_number_of_calls are in
// the window and the failure rate (or the slow-call rate) reaches its threshold it turns OPEN and refuses
// calls for wait_duration_in_open_state; then HALF_OPEN lets permitted_number_of_calls_in_half_open_state
// trial calls through and, on their rates, closes again or re-opens. State changes are observable.
//
//   circuit_breaker<> breaker;                              // resilience4j defaults
//   if (!breaker.try_acquire_permission()) return failure::from_errc(errc::unavailable, "circuit open");
//   ... call ...; breaker.on_success(elapsed) / breaker.on_failure(elapsed);
//
// Recording an outcome in the closed state with a count-based window is a few integer operations and
// reads no clock. Mutex: no_mutex (one strand owns the breaker) or std::mutex.
#include <agentkit/core/clock.hpp>
#include <agentkit/core/error.hpp>
#include <agentkit/resilience/failure.hpp>
#include <agentkit/resilience/sync_policy.hpp>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <type_traits>
#include <utility>
#include <vector>

namespace agentkit::resilience {

enum class circuit_state : std::uint8_t { closed, open, half_open };
enum class window_kind : std::uint8_t { count_based, time_based };

inline const char* to_string(circuit_state s) noexcept {
    switch (s) {
        case circuit_state::closed: return "closed";
        case circuit_state::open: return "open";
        case circuit_state::half_open: return "half_open";
    }
    return "unknown";
}

// Field names and defaults: resilience4j's (presets.hpp has Hystrix's).
struct circuit_breaker_config {
    double failure_rate_threshold = 50.0;     // percent
    double slow_call_rate_threshold = 100.0;  // percent
    std::chrono::milliseconds slow_call_duration_threshold{60000};
    std::uint32_t permitted_number_of_calls_in_half_open_state = 10;
    window_kind sliding_window_type = window_kind::count_based;
    std::uint32_t sliding_window_size = 100;  // calls (count_based) or seconds (time_based)
    std::uint32_t minimum_number_of_calls = 100;
    std::chrono::milliseconds wait_duration_in_open_state{60000};
};

template <clock_policy Clock = steady_clock, class Mutex = no_mutex>
class circuit_breaker {
public:
    using config = circuit_breaker_config;
    using clock_type = Clock;
    using state_listener = std::function<void(circuit_state from, circuit_state to)>;

    struct snapshot {
        circuit_state state;
        std::uint32_t calls, failures, slow_calls;
        double failure_rate, slow_call_rate;  // percent; -1 while fewer than minimum_number_of_calls
        std::uint64_t not_permitted_calls;
    };

    explicit circuit_breaker(circuit_breaker_config cfg = {}, Clock clock = {}) : cfg_(cfg), clock_(clock) {
        if (!(cfg_.failure_rate_threshold > 0 && cfg_.failure_rate_threshold <= 100))
            throw_invalid_field("circuit_breaker.failure_rate_threshold", "must be within (0, 100]");
        if (!(cfg_.slow_call_rate_threshold > 0 && cfg_.slow_call_rate_threshold <= 100))
            throw_invalid_field("circuit_breaker.slow_call_rate_threshold", "must be within (0, 100]");
        if (cfg_.sliding_window_size == 0)
            throw_invalid_field("circuit_breaker.sliding_window_size", "must be at least 1");
        if (cfg_.sliding_window_size > (1u << 24))
            throw_invalid_field("circuit_breaker.sliding_window_size", "at most 2^24");
        if (cfg_.minimum_number_of_calls == 0)
            throw_invalid_field("circuit_breaker.minimum_number_of_calls", "must be at least 1");
        if (cfg_.permitted_number_of_calls_in_half_open_state == 0)
            throw_invalid_field("circuit_breaker.permitted_number_of_calls_in_half_open_state", "must be at least 1");
        if (cfg_.wait_duration_in_open_state.count() < 0)
            throw_invalid_field("circuit_breaker.wait_duration_in_open_state", "must not be negative");
        if (cfg_.slow_call_duration_threshold.count() <= 0)
            throw_invalid_field("circuit_breaker.slow_call_duration_threshold", "must be positive");
        // A count window never holds more than its size: asking for more calls would never trip.
        if (cfg_.sliding_window_type == window_kind::count_based &&
            cfg_.minimum_number_of_calls > cfg_.sliding_window_size)
            cfg_.minimum_number_of_calls = cfg_.sliding_window_size;
        slow_ns_ = std::chrono::duration_cast<std::chrono::nanoseconds>(cfg_.slow_call_duration_threshold).count();
        ring_size_ = cfg_.sliding_window_size;
        if (cfg_.sliding_window_type == window_kind::count_based)
            ring_.assign(cfg_.sliding_window_size, 0);
        else
            buckets_.assign(cfg_.sliding_window_size, bucket{});
    }

    const circuit_breaker_config& configuration() const noexcept { return cfg_; }

    // Called on every transition, with the breaker's lock held: keep it short, do not call back into it.
    void on_state_change(state_listener listener) {
        std::lock_guard lock(mutex_);
        listener_ = std::move(listener);
    }

    circuit_state state() {
        std::lock_guard lock(mutex_);
        if (state_ == circuit_state::open) maybe_half_open(now_ns());
        return state_;
    }

    // May a call go out now? Counts a refusal; in half-open hands out the permitted trial calls.
    bool try_acquire_permission() {
        std::lock_guard lock(mutex_);
        switch (state_) {
            case circuit_state::closed: return true;
            case circuit_state::open:
                if (!maybe_half_open(now_ns())) {
                    ++not_permitted_;
                    return false;
                }
                [[fallthrough]];
            case circuit_state::half_open:
                if (half_permits_ < cfg_.permitted_number_of_calls_in_half_open_state) {
                    ++half_permits_;
                    return true;
                }
                ++not_permitted_;
                return false;
        }
        return false;
    }

    void on_success(std::chrono::nanoseconds duration) { record(false, duration); }
    void on_failure(std::chrono::nanoseconds duration) { record(true, duration); }

    void record(bool failed, std::chrono::nanoseconds duration) {
        std::lock_guard lock(mutex_);
        const bool slow = duration.count() >= slow_ns_;
        if (state_ == circuit_state::closed) {
            if (cfg_.sliding_window_type == window_kind::count_based)
                add_count(failed, slow);
            else
                add_time(failed, slow, now_ns());
            // Only a failure, a slow call, or reaching the minimum can raise a rate to its threshold.
            if ((failed || slow || calls_ == cfg_.minimum_number_of_calls) && calls_ >= cfg_.minimum_number_of_calls &&
                tripped(calls_, failures_, slow_))
                open(now_ns());
        } else if (state_ == circuit_state::half_open) {
            ++half_calls_;
            half_failures_ += failed ? 1u : 0u;
            half_slow_ += slow ? 1u : 0u;
            if (half_calls_ >= cfg_.permitted_number_of_calls_in_half_open_state) {
                if (tripped(half_calls_, half_failures_, half_slow_))
                    open(now_ns());
                else
                    close();
            }
        }
        // Outcomes of calls that started before the breaker opened are not counted.
    }

    // Runs op() -> outcome<T> if permitted, timing it with the clock and recording the outcome; a refused
    // call fails with errc::unavailable "circuit open". `counts_as_failure(const failure&)` lets a caller
    // ignore failures that say nothing about the dependency's health (a 400 is the caller's fault).
    template <class Op, class Filter>
    auto execute(Op&& op, Filter&& counts_as_failure) -> std::invoke_result_t<Op&> {
        using result = std::invoke_result_t<Op&>;
        if (!try_acquire_permission()) return result(failure::from_errc(errc::unavailable, "circuit open"));
        const auto start = clock_.now();
        result r = op();
        const auto elapsed = std::chrono::duration_cast<std::chrono::nanoseconds>(clock_.now() - start);
        record(!r.has_value() && counts_as_failure(r.error()), elapsed);
        return r;
    }
    template <class Op>
    auto execute(Op&& op) -> std::invoke_result_t<Op&> {
        return execute(std::forward<Op>(op), [](const failure&) { return true; });
    }

    // Manual transitions (operations: force open during an incident, close after a fix).
    void transition_to_open() {
        std::lock_guard lock(mutex_);
        open(now_ns());
    }
    void transition_to_closed() {
        std::lock_guard lock(mutex_);
        close();
    }

    snapshot metrics() {
        std::lock_guard lock(mutex_);
        if (cfg_.sliding_window_type == window_kind::time_based) expire(now_ns() / second);
        const bool enough = calls_ >= cfg_.minimum_number_of_calls;
        return {state_,
                calls_,
                failures_,
                slow_,
                enough ? 100.0 * failures_ / calls_ : -1.0,
                enough ? 100.0 * slow_ / calls_ : -1.0,
                not_permitted_};
    }

private:
    static constexpr std::int64_t second = 1'000'000'000;
    struct bucket {
        std::int64_t epoch = INT64_MIN;
        std::uint32_t calls = 0, failures = 0, slow = 0;
    };

    std::int64_t now_ns() const noexcept {
        return std::chrono::duration_cast<std::chrono::nanoseconds>(clock_.now().time_since_epoch()).count();
    }
    bool tripped(std::uint32_t calls, std::uint32_t failures, std::uint32_t slow) const noexcept {
        const double c = static_cast<double>(calls);
        return static_cast<double>(failures) * 100.0 >= cfg_.failure_rate_threshold * c ||
            static_cast<double>(slow) * 100.0 >= cfg_.slow_call_rate_threshold * c;
    }

    // Branch-free: a cell not yet written is 0, so "the oldest outcome leaves" subtracts nothing.
    void add_count(bool failed, bool slow) noexcept {
        const std::uint32_t bits = (failed ? 1u : 0u) | (slow ? 2u : 0u);
        std::uint8_t& cell = ring_[head_];
        const std::uint32_t old = cell;
        cell = static_cast<std::uint8_t>(bits);
        failures_ += (bits & 1u) - (old & 1u);
        slow_ += (bits >> 1) - (old >> 1);
        calls_ += calls_ < ring_size_ ? 1u : 0u;
        head_ = head_ + 1 == ring_size_ ? 0 : head_ + 1;
    }

    // Drop the seconds that left the window. A clock that went backwards keeps recording into the newest
    // second seen; one that jumped far ahead clears everything.
    void expire(std::int64_t sec) noexcept {
        if (sec < newest_) sec = newest_;
        newest_ = sec;
        const auto n = static_cast<std::int64_t>(buckets_.size());
        for (auto& b : buckets_)
            if (b.epoch != INT64_MIN && b.epoch <= sec - n) {
                calls_ -= b.calls;
                failures_ -= b.failures;
                slow_ -= b.slow;
                b = bucket{};
            }
    }
    void add_time(bool failed, bool slow, std::int64_t now) noexcept {
        std::int64_t sec = now / second;
        if (sec != newest_) expire(sec);
        sec = newest_;
        const auto n = static_cast<std::int64_t>(buckets_.size());
        bucket& b = buckets_[static_cast<std::size_t>(((sec % n) + n) % n)];
        if (b.epoch != sec) {
            calls_ -= b.calls;
            failures_ -= b.failures;
            slow_ -= b.slow;
            b = bucket{sec, 0, 0, 0};
        }
        ++b.calls;
        ++calls_;
        if (failed) ++b.failures, ++failures_;
        if (slow) ++b.slow, ++slow_;
    }

    void reset_window() noexcept {
        std::fill(ring_.begin(), ring_.end(), std::uint8_t{0});
        std::fill(buckets_.begin(), buckets_.end(), bucket{});
        head_ = 0;
        calls_ = failures_ = slow_ = 0;
        newest_ = INT64_MIN;
    }
    void reset_half_open() noexcept { half_permits_ = half_calls_ = half_failures_ = half_slow_ = 0; }

    void set_state(circuit_state to) {
        const circuit_state from = state_;
        state_ = to;
        if (from != to && listener_) listener_(from, to);
    }
    void open(std::int64_t now) {
        opened_at_ = now;
        reset_half_open();
        set_state(circuit_state::open);
    }
    void close() {
        reset_window();
        reset_half_open();
        set_state(circuit_state::closed);
    }
    bool maybe_half_open(std::int64_t now) {
        if (now < opened_at_) opened_at_ = now;  // the clock went backwards: wait the full duration from now
        const auto wait =
            std::chrono::duration_cast<std::chrono::nanoseconds>(cfg_.wait_duration_in_open_state).count();
        if (now - opened_at_ < wait) return false;
        reset_half_open();
        set_state(circuit_state::half_open);
        return true;
    }

    circuit_breaker_config cfg_;
    [[no_unique_address]] Clock clock_;
    circuit_state state_ = circuit_state::closed;
    std::int64_t slow_ns_ = 0;
    // closed-state window
    std::vector<std::uint8_t> ring_;  // count-based: bit 0 failed, bit 1 slow
    std::uint32_t head_ = 0, ring_size_ = 0;
    std::vector<bucket> buckets_;  // time-based: one per second
    std::int64_t newest_ = INT64_MIN;
    std::uint32_t calls_ = 0, failures_ = 0, slow_ = 0;
    // open / half-open
    std::int64_t opened_at_ = 0;
    std::uint32_t half_permits_ = 0, half_calls_ = 0, half_failures_ = 0, half_slow_ = 0;
    std::uint64_t not_permitted_ = 0;
    state_listener listener_;
    [[no_unique_address]] Mutex mutex_;
};

}  // namespace agentkit::resilience
