#include <agentkit/core/adaptive_mutex.hpp>

#include <gtest/gtest.h>

#include <atomic>
#include <cstdint>
#include <latch>
#include <mutex>
#include <thread>
#include <vector>

// Mutual exclusion: threads add to a plain (non-atomic) counter under the lock; any overlap loses updates.
TEST(AdaptiveMutex, ExcludesUnderContention) {
    agentkit::adaptive_mutex m;
    std::uint64_t counter = 0;
    constexpr int threads = 4, per_thread = 100000;
    std::latch start(threads);
    std::vector<std::thread> pool;
    for (int t = 0; t < threads; ++t)
        pool.emplace_back([&] {
            start.arrive_and_wait();
            for (int i = 0; i < per_thread; ++i) {
                std::lock_guard lock(m);
                ++counter;
            }
        });
    for (auto& th : pool) th.join();
    EXPECT_EQ(counter, std::uint64_t{threads} * per_thread);
}

TEST(AdaptiveMutex, TryLockFailsWhileHeldAndSucceedsAfter) {
    agentkit::adaptive_mutex m;
    ASSERT_TRUE(m.try_lock());
    std::thread other([&] { EXPECT_FALSE(m.try_lock()); });
    other.join();
    m.unlock();
    EXPECT_TRUE(m.try_lock());
    m.unlock();
}

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
