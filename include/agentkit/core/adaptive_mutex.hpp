#pragma once
// adaptive_mutex: a mutex for critical sections of tens of nanoseconds (a cache lookup, a counter
// update). std::mutex is a call into pthread for every lock and parks a contended thread in the kernel at
// once, although the holder will let go in less time than the round trip through the kernel takes. This
// one locks with one inline compare-exchange, spins a bounded while (`spins` pauses, about a microsecond)
// when the lock is taken, and only then sleeps on the lock word (C++20 atomic wait: a futex on Linux), so
// a holder that was preempted costs a spinner no more than that microsecond. The states are Drepper's
// ("Futexes Are Tricky", mutex 3): 0 free, 1 locked, 2 locked and maybe waited on; unlock wakes one waiter
// only from state 2. BasicLockable and Lockable: works with std::lock_guard / std::unique_lock, not with
// std::condition_variable (use condition_variable_any, or std::mutex where a condition is waited on).
// Measured in bench/micro/cache.cpp (mixed_90get, against the same cache locked by std::mutex in one run):
// an LRU cache shared by 2 threads, +34 % throughput with one lock, +56 % with 16 shards; +23 % on 1 thread.
#include <atomic>
#include <cstdint>

namespace agentkit {

class adaptive_mutex {
public:
    adaptive_mutex() = default;
    adaptive_mutex(const adaptive_mutex&) = delete;
    adaptive_mutex& operator=(const adaptive_mutex&) = delete;

    void lock() noexcept {
        std::uint32_t s = free;
        if (state_.compare_exchange_strong(s, locked, std::memory_order_acquire, std::memory_order_relaxed)) return;
        for (int i = 0; i < spins; ++i) {
            cpu_relax();
            s = state_.load(std::memory_order_relaxed);
            if (s == free &&
                state_.compare_exchange_weak(s, locked, std::memory_order_acquire, std::memory_order_relaxed))
                return;
        }
        // Still taken: announce a waiter (state 2) and sleep until the word changes; whoever takes the lock
        // from here keeps state 2, since other sleepers may remain.
        if (s != contended) s = state_.exchange(contended, std::memory_order_acquire);
        while (s != free) {
            state_.wait(contended, std::memory_order_relaxed);
            s = state_.exchange(contended, std::memory_order_acquire);
        }
    }
    bool try_lock() noexcept {
        std::uint32_t s = free;
        return state_.compare_exchange_strong(s, locked, std::memory_order_acquire, std::memory_order_relaxed);
    }
    void unlock() noexcept {
        if (state_.exchange(free, std::memory_order_release) == contended) state_.notify_one();
    }

    // Pauses before a spinning thread gives up and sleeps: ~1 µs on current x86 (a pause is 10-140 cycles).
    static constexpr int spins = 64;

private:
    static constexpr std::uint32_t free = 0, locked = 1, contended = 2;
    static void cpu_relax() noexcept {
#if defined(__x86_64__) || defined(__i386__)
        __builtin_ia32_pause();  // _mm_pause without <immintrin.h>: 86 headers a lock has no use for
#elif defined(__aarch64__)
        asm volatile("yield" ::: "memory");
#endif
    }
    std::atomic<std::uint32_t> state_{free};
};

}  // namespace agentkit
