#pragma once
// Thread-safety policies of the resilience layer. A policy object owned by one strand or thread pays for
// no synchronisation; one shared across threads says so in its type.
//   no_mutex / spin_mutex / std::mutex   for the types with a Mutex parameter (breaker, per-key limiter)
//   single_thread / concurrent           for the global rate limiter (plain word vs one std::atomic word)
#include <atomic>
#include <thread>

namespace agentkit::resilience {

struct no_mutex {
    void lock() noexcept {}
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
    bool try_lock() noexcept { return !locked_.load(std::memory_order_relaxed) && !locked_.exchange(true, std::memory_order_acquire); }
    void unlock() noexcept { locked_.store(false, std::memory_order_release); }

private:
    std::atomic<bool> locked_{false};
};

struct single_thread {};
struct concurrent {};

}  // namespace agentkit::resilience
