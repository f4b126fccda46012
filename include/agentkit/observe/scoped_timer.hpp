#pragma once
// Times a scope and records the elapsed duration into a histogram when the scope ends (or at stop()).
//   { observe::scoped_timer t(request_latency); handle(request); }
// The Clock is a policy (core/clock.hpp): steady_clock in production, manual_clock in tests.
#include <agentkit/core/clock.hpp>

#include <chrono>

namespace agentkit::observe {

template <class Histogram, clock_policy Clock = steady_clock>
class [[nodiscard]] scoped_timer {
public:
    explicit scoped_timer(Histogram& h, Clock clock = {}) : h_(&h), clock_(std::move(clock)), start_(clock_.now()) {}
    scoped_timer(const scoped_timer&) = delete;
    scoped_timer& operator=(const scoped_timer&) = delete;
    ~scoped_timer() { stop(); }

    // Records once and returns the elapsed time; later calls (and the destructor) record nothing more.
    typename Clock::duration stop() noexcept {
        const auto elapsed = clock_.now() - start_;
        if (h_) h_->record(elapsed);
        h_ = nullptr;
        return elapsed;
    }
    // Leaves the scope without recording (e.g. the operation was cancelled and must not skew latencies).
    void cancel() noexcept { h_ = nullptr; }
    typename Clock::duration elapsed() const noexcept { return clock_.now() - start_; }

private:
    Histogram* h_;
    Clock clock_;
    typename Clock::time_point start_;
};

}  // namespace agentkit::observe
