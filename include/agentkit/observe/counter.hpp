#pragma once
// Counters: monotonic event counts (requests, tool calls, cache hits), safe to bump from any thread.
//   counter          one relaxed atomic (8 bytes). The default: an uncontended increment is one `lock xadd`.
//   striped_counter  one cache line per stripe; a thread always bumps "its" stripe, so two cores incrementing
//                    the same counter do not bounce one cache line between them. Costs 64 bytes per stripe and
//                    a sum on read; choose it for counters hit by several threads at once (bench/micro/observe.cpp
//                    measures both).
// Relaxed ordering is enough: a counter orders nothing else, and a reader only needs every increment to be
// counted exactly once, which atomic read-modify-writes guarantee.
#include <array>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <new>

namespace agentkit::observe {

class counter {
public:
    counter() = default;
    counter(const counter&) = delete;
    counter& operator=(const counter&) = delete;

    void increment(std::uint64_t n = 1) noexcept { value_.fetch_add(n, std::memory_order_relaxed); }
    std::uint64_t value() const noexcept { return value_.load(std::memory_order_relaxed); }
    // Counters only go up; reset is for tests and for a process that re-exports from zero deliberately.
    void reset() noexcept { value_.store(0, std::memory_order_relaxed); }

private:
    std::atomic<std::uint64_t> value_{0};
};

namespace detail {
// 64 bytes on every x86-64 and most AArch64 parts; std::hardware_destructive_interference_size warns
// under g++ (its value may change with -mtune), so the constant is spelled out.
inline constexpr std::size_t cache_line_bytes = 64;

// A per-thread number handed out round-robin at a thread's first use, so the first N threads get N different
// stripes (a hash of the thread id would put two threads on one stripe 1 time in 8).
inline std::size_t thread_stripe_index() noexcept {
    static std::atomic<std::size_t> next{0};
    thread_local const std::size_t index = next.fetch_add(1, std::memory_order_relaxed);
    return index;
}
}  // namespace detail

template <std::size_t Stripes = 8>
class striped_counter {
    static_assert(Stripes > 0 && (Stripes & (Stripes - 1)) == 0, "striped_counter: Stripes must be a power of two");

public:
    striped_counter() = default;
    striped_counter(const striped_counter&) = delete;
    striped_counter& operator=(const striped_counter&) = delete;

    void increment(std::uint64_t n = 1) noexcept {
        cells_[detail::thread_stripe_index() & (Stripes - 1)].value.fetch_add(n, std::memory_order_relaxed);
    }
    // The sum of all stripes; exact once writers stop, never below any value read earlier.
    std::uint64_t value() const noexcept {
        std::uint64_t sum = 0;
        for (const auto& c : cells_) sum += c.value.load(std::memory_order_relaxed);
        return sum;
    }
    void reset() noexcept {
        for (auto& c : cells_) c.value.store(0, std::memory_order_relaxed);
    }

private:
    struct alignas(detail::cache_line_bytes) cell {
        std::atomic<std::uint64_t> value{0};
    };
    std::array<cell, Stripes> cells_{};
};

}  // namespace agentkit::observe
