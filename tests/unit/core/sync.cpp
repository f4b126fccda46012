// core/sync.hpp: the locks exclude (spin_mutex, adaptive_mutex) or cost nothing (null_mutex), and the tags
// say what they imply. adaptive_mutex's futex path: adaptive_mutex.cpp.
#include <agentkit/core/sync.hpp>

#include <gtest/gtest.h>

#include <cstdint>
#include <latch>
#include <mutex>
#include <thread>
#include <type_traits>
#include <vector>

using namespace agentkit;

// The two real locks: threads add to a plain (non-atomic) counter under the lock; any overlap loses updates.
template <class Lock>
class Locks : public ::testing::Test {};
using lock_types = ::testing::Types<spin_mutex, adaptive_mutex>;
TYPED_TEST_SUITE(Locks, lock_types);

TYPED_TEST(Locks, ExcludeUnderContention) {
    TypeParam m;
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

TYPED_TEST(Locks, TryLockFailsWhileHeldAndSucceedsAfter) {
    TypeParam m;
    ASSERT_TRUE(m.try_lock());
    std::thread other([&] { EXPECT_FALSE(m.try_lock()); });
    other.join();
    m.unlock();
    EXPECT_TRUE(m.try_lock());
    m.unlock();
}

TEST(Sync, NullMutexIsLockableAndEmpty) {
    null_mutex m;
    {
        std::lock_guard lock(m);
        std::unique_lock second(m, std::try_to_lock);  // never blocks, never refuses
        EXPECT_TRUE(second.owns_lock());
    }
    static_assert(std::is_empty_v<null_mutex>);
}

TEST(Sync, TagsNameTheirLock) {
    static_assert(sync_policy<single_thread> && sync_policy<concurrent>);
    static_assert(!single_thread::thread_safe && concurrent::thread_safe);
    static_assert(std::is_same_v<single_thread::lock_type, null_mutex>);
    static_assert(std::is_same_v<concurrent::lock_type, adaptive_mutex>);
    static_assert(!sync_policy<int> && !sync_policy<null_mutex>);
    SUCCEED();
}
