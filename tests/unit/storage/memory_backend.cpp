// storage::memory specifics (the shared contract runs in tests/integration/storage_contract.cpp).
#include <agentkit/storage/memory_backend.hpp>
#include <agentkit/agent/agent.hpp>

#include <gtest/gtest.h>

#include <thread>

using namespace agentkit;

TEST(MemoryBackend, FitsTheAgentStorageSlot) {
    static_assert(storage::backend<storage::memory>);
    static_assert(storage::session_store<storage::memory>);
    agent<with_storage<storage::memory>> a;
    a.storage().create_session("s");
    a.storage().append("s", message::user("hi"));
    EXPECT_EQ(a.storage().last("s", 3).size(), 1u);
}

TEST(MemoryBackend, IsSafeToShareBetweenThreads) {
    storage::memory store;
    store.create_session("s");
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t)
        threads.emplace_back([&] {
            for (int i = 0; i < 500; ++i) {
                store.append("s", message::user("x"));
                (void)store.last("s", 5);
            }
        });
    for (auto& t : threads) t.join();
    EXPECT_EQ(store.find_session("s")->message_count, 2000u);
    const auto all = store.last_stored("s", 5000);
    for (std::size_t i = 1; i < all.size(); ++i) EXPECT_LT(all[i - 1].id, all[i].id);
}
