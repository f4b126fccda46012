#pragma once
// A gauge: a value that goes up and down (queue depth, open connections, resident bytes, cache size).
// Stored as an atomic double, because Prometheus values are doubles and a gauge often holds a ratio or a
// byte count beyond 2^53 is not a practical concern. set() is one store; add() is a compare-exchange loop.
#include <atomic>

namespace agentkit::observe {

class gauge {
public:
    gauge() = default;
    gauge(const gauge&) = delete;
    gauge& operator=(const gauge&) = delete;

    void set(double v) noexcept { value_.store(v, std::memory_order_relaxed); }
    void add(double delta) noexcept {
        double cur = value_.load(std::memory_order_relaxed);
        while (!value_.compare_exchange_weak(cur, cur + delta, std::memory_order_relaxed)) {}
    }
    void sub(double delta) noexcept { add(-delta); }
    void increment() noexcept { add(1.0); }
    void decrement() noexcept { add(-1.0); }
    double value() const noexcept { return value_.load(std::memory_order_relaxed); }

private:
    std::atomic<double> value_{0.0};
};

}  // namespace agentkit::observe
