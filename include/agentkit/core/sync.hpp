#pragma once
// Thread-safety policies shared by every layer. A part owned by one thread or strand pays for no
// synchronisation; one shared across threads says so in its type.
//   locks  null_mutex (no lock) | spin_mutex (a few ns sections, waiters yield) | adaptive_mutex (spins
//          ~1 µs, then sleeps on a futex: core/adaptive_mutex.hpp) | std::mutex
//   tags   single_thread | concurrent: a part's Sync / Concurrency parameter. Each tag names the lock it
//          implies (lock_type) and whether it is thread_safe; a part may use something lighter than a
//          lock for `concurrent` (the rate limiter keeps one atomic word).
#include <agentkit/core/adaptive_mutex.hpp>

#include <atomic>
#include <concepts>
#include <thread>

namespace agentkit {

// BasicLockable and Lockable with no effect: the lock of a part that one thread owns.
struct null_mutex {
    void lock() noexcept {}
    bool try_lock() noexcept { return true; }
    void unlock() noexcept {}
};

// A test-and-test-and-set lock for critical sections of a few nanoseconds (a breaker's outcome recording):
// uncontended it is one atomic exchange and one store, where std::mutex is two atomic read-modify-writes
// and a call. A waiter spins briefly, then yields its time slice, so a preempted holder is not starved.
class spin_mutex {
public:
    void lock() noexcept {
        for (unsigned spins = 0; locked_.exchange(true, std::memory_order_acquire);) {
            while (locked_.load(std::memory_order_relaxed)) {
                if (++spins < 64) {
#if (defined(__x86_64__) || defined(__i386__)) && defined(__GNUC__)
                    __builtin_ia32_pause();
#endif
                } else {
                    std::this_thread::yield();
                }
            }
        }
    }
    bool try_lock() noexcept {
        return !locked_.load(std::memory_order_relaxed) && !locked_.exchange(true, std::memory_order_acquire);
    }
    void unlock() noexcept { locked_.store(false, std::memory_order_release); }

private:
    std::atomic<bool> locked_{false};
};

// One thread (or strand) calls the part: no lock, no atomic.
struct single_thread {
    static constexpr bool thread_safe = false;
    using lock_type = null_mutex;
};

// Any thread may call the part at any time.
struct concurrent {
    static constexpr bool thread_safe = true;
    using lock_type = adaptive_mutex;
};

template <class S>
concept sync_policy = requires {
    { S::thread_safe } -> std::convertible_to<bool>;
    typename S::lock_type;
};

static_assert(sync_policy<single_thread> && sync_policy<concurrent>);

}  // namespace agentkit
