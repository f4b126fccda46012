#include <agentkit/core/adaptive_mutex.hpp>

#include <gtest/gtest.h>

#include <atomic>
#include <latch>
#include <mutex>
#include <thread>

// Mutual exclusion and try_lock: sync.cpp (with spin_mutex).

// A waiter that outlasts the spin sleeps on the lock word and is woken by unlock(): the holder keeps the
// lock until the waiter has certainly started waiting, then lets go; the waiter must get in.
TEST(AdaptiveMutex, ASleepingWaiterIsWokenByUnlock) {
    agentkit::adaptive_mutex m;
    std::atomic<bool> acquired{false};
    m.lock();
    std::latch waiting(1);
    std::thread waiter([&] {
        waiting.count_down();
        std::lock_guard lock(m);
        acquired = true;
    });
    waiting.wait();
    // Give the waiter time to pass its spin and park (a yield loop, no fixed sleep: correctness does not
    // depend on it, only the path this test exercises).
    for (int i = 0; i < 1000 && !acquired; ++i) std::this_thread::yield();
    EXPECT_FALSE(acquired.load());
    m.unlock();
    waiter.join();
    EXPECT_TRUE(acquired.load());
}
