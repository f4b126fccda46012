// runtime: the thread pool (lazy start), lazy<T> and object_pool<T>.
#include <agentkit/runtime/lazy.hpp>
#include <agentkit/runtime/object_pool.hpp>
#include <agentkit/runtime/thread_pool.hpp>

#include <gtest/gtest.h>

#include <atomic>
#include <latch>
#include <string>
#include <vector>

using namespace agentkit::runtime;

TEST(ThreadPool, StartsOnFirstUseAndRunsConcurrently) {
    thread_pool pool(3);
    EXPECT_FALSE(pool.started());
    std::latch all(3);
    std::vector<std::future<int>> f;
    for (int i = 0; i < 3; ++i)
        f.push_back(pool.submit([&all, i] {
            all.arrive_and_wait();  // finishes only if all three run at once
            return i;
        }));
    for (int i = 0; i < 3; ++i) EXPECT_EQ(f[static_cast<std::size_t>(i)].get(), i);
    EXPECT_TRUE(pool.started());
    EXPECT_THROW(thread_pool(0), agentkit::error);
}

TEST(ThreadPool, PropagatesExceptionsThroughTheFuture) {
    thread_pool pool(1);
    auto f = pool.submit([]() -> int { throw std::runtime_error("x"); });
    EXPECT_THROW(f.get(), std::runtime_error);
}

TEST(Lazy, BuildsOnceOnFirstUse) {
    int built = 0;
    lazy<std::string> s([&] {
        ++built;
        return std::string("ready");
    });
    EXPECT_FALSE(s.initialized());
    EXPECT_EQ(*s, "ready");
    EXPECT_EQ(s->size(), 5u);
    EXPECT_EQ(built, 1);
    EXPECT_TRUE(s.initialized());
}

TEST(ObjectPool, ReusesResetsAndBoundsIdle) {
    object_pool<std::string>::config cfg;
    cfg.max_idle = 1;
    object_pool<std::string> pool([] { return std::make_unique<std::string>("new"); },
                                  [](std::string& s) { s = "reset"; }, cfg);
    {
        auto a = pool.acquire();
        auto b = pool.acquire();
        *a = "used";
    }
    auto c = pool.acquire();
    EXPECT_EQ(*c, "reset");
    auto st = pool.statistics();
    EXPECT_EQ(st.created, 2u);
    EXPECT_EQ(st.reused, 1u);
    EXPECT_EQ(st.idle, 0u);
}
