// runtime::batcher: size and timeout boundaries, backpressure by max_batches_queued, flush on close.
#include <agentkit/runtime/batcher.hpp>

#include <gtest/gtest.h>

#include <chrono>
#include <thread>
#include <vector>

namespace batcher_test {

namespace rt = agentkit::runtime;
using namespace std::chrono_literals;
using manual_batcher = rt::batcher<int, agentkit::manual_clock>;

TEST(BatcherBoundaries, SeedDefaults) {
    manual_batcher::config cfg;
    EXPECT_EQ(cfg.batch_size, 100u);
    EXPECT_EQ(cfg.batch_timeout, 50ms);
    EXPECT_EQ(cfg.max_batches_queued, 10u);
}

TEST(BatcherBoundaries, FullBatchesThenTimeoutFromTheFirstItem) {
    agentkit::manual_clock clock;
    manual_batcher b({}, clock);
    for (int i = 0; i < 250; ++i) b.add(i);
    auto first = b.try_take();
    ASSERT_TRUE(first);
    ASSERT_EQ(first->size(), 100u);
    EXPECT_EQ(first->front(), 0);
    EXPECT_EQ(first->back(), 99);
    EXPECT_EQ(b.try_take()->front(), 100);
    EXPECT_FALSE(b.try_take());  // 50 items in the open batch, its first one 0 ms old
    ASSERT_TRUE(b.next_deadline());
    EXPECT_EQ(*b.next_deadline(), clock.now() + 50ms);
    clock.advance(49ms);
    EXPECT_FALSE(b.try_take());
    clock.advance(1ms);
    auto rest = b.try_take();
    ASSERT_TRUE(rest);
    EXPECT_EQ(rest->size(), 50u);
    EXPECT_EQ(rest->front(), 200);
    EXPECT_FALSE(b.next_deadline());
    auto st = b.statistics();
    EXPECT_EQ(st.sealed_full, 2u);
    EXPECT_EQ(st.sealed_timeout, 1u);
    EXPECT_EQ(st.added, 250u);
    EXPECT_EQ(st.taken, 3u);
}

TEST(BatcherBoundaries, TimeoutCountsFromFirstItemNotLast) {
    agentkit::manual_clock clock;
    manual_batcher b({}, clock);
    b.add(1);
    clock.advance(30ms);
    b.add(2);
    clock.advance(19ms);
    EXPECT_FALSE(b.poll());
    clock.advance(1ms);
    EXPECT_TRUE(b.poll());
    auto batch = b.try_take();
    ASSERT_TRUE(batch);
    EXPECT_EQ(*batch, (std::vector<int>{1, 2}));
}

TEST(BatcherBackpressure, RejectsWhenQueuedBatchesAndOpenBatchAreFull) {
    agentkit::manual_clock clock;
    manual_batcher b({.batch_size = 2, .batch_timeout = 50ms, .max_batches_queued = 2}, clock);
    for (int i = 0; i < 6; ++i) b.add(i);  // two sealed batches + a full open one
    EXPECT_FALSE(b.try_add(6));
    try {
        b.add(6);
        ADD_FAILURE() << "accepted beyond max_batches_queued";
    } catch (const agentkit::error& e) {
        EXPECT_EQ(e.code(), agentkit::errc::capacity_exceeded);
        EXPECT_EQ(e.field(), "max_batches_queued");
    }
    EXPECT_EQ(b.statistics().rejected, 2u);
    EXPECT_EQ(*b.try_take(), (std::vector<int>{0, 1}));  // room: the full open batch is sealed
    EXPECT_TRUE(b.try_add(6));
    EXPECT_EQ(*b.try_take(), (std::vector<int>{2, 3}));
    EXPECT_EQ(*b.try_take(), (std::vector<int>{4, 5}));
    EXPECT_FALSE(b.try_take());
    clock.advance(50ms);
    EXPECT_EQ(*b.try_take(), (std::vector<int>{6}));
}

TEST(BatcherBackpressure, TimedOutBatchWaitsForRoomThenSeals) {
    agentkit::manual_clock clock;
    manual_batcher b({.batch_size = 10, .batch_timeout = 50ms, .max_batches_queued = 1}, clock);
    b.add(1);
    clock.advance(50ms);
    EXPECT_TRUE(b.poll());  // queue now full
    b.add(2);
    clock.advance(60ms);
    EXPECT_FALSE(b.poll());  // timed out but no room: stays open, still accepts items
    EXPECT_TRUE(b.try_add(3));
    EXPECT_EQ(*b.try_take(), (std::vector<int>{1}));
    EXPECT_EQ(*b.try_take(), (std::vector<int>{2, 3}));  // sealed as soon as room appeared
}

TEST(BatcherShutdown, CloseFlushesThePartialBatchAndRefusesMore) {
    manual_batcher b({}, agentkit::manual_clock());
    for (int i = 0; i < 7; ++i) b.add(i);
    b.close();
    try {
        b.add(8);
        ADD_FAILURE();
    } catch (const agentkit::error& e) {
        EXPECT_EQ(e.code(), agentkit::errc::cancelled);
    }
    auto last = b.try_take();
    ASSERT_TRUE(last);
    EXPECT_EQ(last->size(), 7u);
    EXPECT_FALSE(b.try_take());
    EXPECT_EQ(b.statistics().sealed_flush, 1u);
}

TEST(BatcherShutdown, CloseNeverLosesItemsEvenWhenTheQueueIsFull) {
    manual_batcher b({.batch_size = 2, .batch_timeout = 50ms, .max_batches_queued = 1}, agentkit::manual_clock());
    for (int i = 0; i < 4; ++i) b.add(i);  // one sealed, one full open
    b.close();
    int total = 0;
    while (auto batch = b.try_take()) total += static_cast<int>(batch->size());
    EXPECT_EQ(total, 4);
}

TEST(BatcherConfig, RejectsNonsenseNamingTheField) {
    auto field_of = [](manual_batcher::config c) {
        try {
            manual_batcher b(c);
        } catch (const agentkit::error& e) {
            return e.field();
        }
        return std::string("accepted");
    };
    EXPECT_EQ(field_of({.batch_size = 0}), "batch_size");
    EXPECT_EQ(field_of({.batch_size = 1, .batch_timeout = -1ms}), "batch_timeout");
    EXPECT_EQ(field_of({.batch_size = 1, .batch_timeout = 1ms, .max_batches_queued = 0}), "max_batches_queued");
}

TEST(BatcherThreads, ConsumerTakesEverythingInOrderUntilClose) {
    rt::batcher<int> b({.batch_size = 64, .batch_timeout = 1ms, .max_batches_queued = 4});
    constexpr int n = 5000;
    std::vector<int> got;
    std::thread consumer([&] {
        while (auto batch = b.take_wait()) got.insert(got.end(), batch->begin(), batch->end());
    });
    for (int i = 0; i < n;) {
        if (b.try_add(i))
            ++i;
        else
            std::this_thread::yield();  // backpressure: the consumer is behind
    }
    b.close();
    consumer.join();
    ASSERT_EQ(got.size(), static_cast<std::size_t>(n));
    for (int i = 0; i < n; ++i) EXPECT_EQ(got[static_cast<std::size_t>(i)], i);
}

}  // namespace batcher_test
