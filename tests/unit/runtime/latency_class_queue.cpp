// runtime::latency_class_queue: class order, FIFO within a class, deadline promotion (no starvation),
// bounded classes, per-class stats, blocking pop and close.
#include <agentkit/runtime/latency_class_queue.hpp>

#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <thread>
#include <vector>

namespace latency_class_queue_test {

namespace rt = agentkit::runtime;
using namespace std::chrono_literals;
using queue = rt::latency_class_queue<std::string, agentkit::manual_clock>;
constexpr std::size_t critical = 0, high = 1, normal = 2, background = 3;

std::vector<std::string> drain(queue& q) {
    std::vector<std::string> out;
    while (auto item = q.try_pop()) out.push_back(item->value);
    return out;
}

TEST(LatencyClassOrder, SeedClassesAreTheDefaults) {
    queue q;
    ASSERT_EQ(q.class_count(), 4u);
    EXPECT_EQ(q.class_index("critical"), critical);
    EXPECT_EQ(q.class_index("background"), background);
    auto cls = rt::default_latency_classes();
    EXPECT_EQ(cls[0].max_latency, 100ms);
    EXPECT_EQ(cls[1].queue_size, 1000u);
    EXPECT_EQ(cls[2].max_latency, 2000ms);
    EXPECT_EQ(cls[3].queue_size, 10000u);
    try {
        (void)q.class_index("urgent");
        ADD_FAILURE();
    } catch (const agentkit::error& e) {
        EXPECT_EQ(e.code(), agentkit::errc::not_found);
    }
}

TEST(LatencyClassOrder, StrictClassOrderWhileWithinBudgetFifoWithinClass) {
    agentkit::manual_clock clock;
    queue q({}, clock);
    q.push(background, "bg1");
    q.push(normal, "n1");
    q.push("high", "h1");
    q.push(critical, "c1");
    q.push(normal, "n2");
    q.push(critical, "c2");
    clock.advance(50ms);  // nobody is overdue yet (critical's budget is 100 ms)
    const std::vector<std::string> expected{"c1", "c2", "h1", "n1", "n2", "bg1"};
    EXPECT_EQ(drain(q), expected);
    EXPECT_FALSE(q.try_pop().has_value());
}

TEST(LatencyClassOrder, FifoSurvivesWrapAroundAndGrowth) {
    rt::latency_class_queue<int, agentkit::manual_clock> q;
    int next_in = 0, next_out = 0;
    for (int round = 0; round < 400; ++round) {  // grows to ~400 waiting, wrapping many times on the way
        for (int i = 0; i < 3; ++i) q.push(normal, next_in++);
        for (int i = 0; i < 2; ++i) {
            auto item = q.try_pop();
            ASSERT_TRUE(item);
            EXPECT_EQ(item->value, next_out++);
        }
    }
    while (auto item = q.try_pop()) EXPECT_EQ(item->value, next_out++);
    EXPECT_EQ(next_out, next_in);
}

TEST(LatencyClassAging, OverdueLowerClassIsServedBeforeFreshHigherClass) {
    agentkit::manual_clock clock;
    queue q({}, clock);
    q.push(background, "bg");
    clock.advance(10000ms);
    q.push(critical, "c-fresh");
    EXPECT_EQ(q.try_pop()->value, "c-fresh");  // background is exactly at its budget: not overdue yet
    q.push(critical, "c-fresh2");
    clock.advance(1ms);
    auto first = q.try_pop();
    ASSERT_TRUE(first);
    EXPECT_EQ(first->value, "bg");
    EXPECT_TRUE(first->missed_deadline);
    EXPECT_EQ(first->class_index, background);
    EXPECT_EQ(q.try_pop()->value, "c-fresh2");
}

TEST(LatencyClassAging, SteadyHigherClassLoadCannotStarveBackground) {
    // Every 50 ms one critical item arrives and one item is served; critical items alone would fill
    // every slot under strict priority. The background item gets the first slot after its 10 s budget.
    agentkit::manual_clock clock;
    queue q({}, clock);
    q.push(background, "bg");
    q.push(critical, "c");  // a backlog of one keeps a critical item always waiting
    std::chrono::milliseconds served_at{-1};
    for (int step = 1; step <= 400 && served_at.count() < 0; ++step) {
        clock.advance(50ms);
        q.push(critical, "c");
        auto item = q.try_pop();
        ASSERT_TRUE(item);
        if (item->value == "bg")
            served_at = std::chrono::milliseconds(step * 50);
        else
            EXPECT_FALSE(item->missed_deadline);
    }
    EXPECT_EQ(served_at, 10050ms);
}

TEST(LatencyClassAging, AmongOverdueItemsEarliestDeadlineFirst) {
    agentkit::manual_clock clock;
    queue q({}, clock);
    q.push(background, "bg");  // deadline 10 s
    q.push(normal, "n");       // deadline 2 s
    clock.advance(1900ms);
    q.push(high, "h");   // deadline 2.4 s
    clock.advance(20s);  // all overdue
    const std::vector<std::string> expected{"n", "h", "bg"};
    EXPECT_EQ(drain(q), expected);
}

TEST(LatencyClassBounds, FullClassRejectsNamingItsQueueSize) {
    queue q;
    for (int i = 0; i < 100; ++i) q.push(critical, "c");
    EXPECT_FALSE(q.try_push(critical, "one too many"));
    try {
        q.push(critical, "one too many");
        ADD_FAILURE();
    } catch (const agentkit::error& e) {
        EXPECT_EQ(e.code(), agentkit::errc::capacity_exceeded);
        EXPECT_EQ(e.field(), "priority_queues.critical.queue_size");
    }
    EXPECT_TRUE(q.try_push(high, "h"));  // other classes keep their own bound
    auto st = q.statistics();
    EXPECT_EQ(st[critical].rejected, 2u);
    EXPECT_EQ(st[critical].waiting, 100u);
    EXPECT_EQ(st[high].waiting, 1u);
    EXPECT_EQ(q.size(), 101u);
}

TEST(LatencyClassStats, WaitsAndDeadlineMissesPerClass) {
    agentkit::manual_clock clock;
    queue q({}, clock);
    q.push(critical, "a");
    q.push(critical, "b");
    clock.advance(80ms);
    EXPECT_FALSE(q.try_pop()->missed_deadline);  // waited 80 ms
    clock.advance(70ms);
    auto late = q.try_pop();  // waited 150 ms > 100 ms
    ASSERT_TRUE(late);
    EXPECT_TRUE(late->missed_deadline);
    EXPECT_EQ(late->waited, 150ms);
    auto st = q.statistics();
    EXPECT_EQ(st[critical].name, "critical");
    EXPECT_EQ(st[critical].pushed, 2u);
    EXPECT_EQ(st[critical].popped, 2u);
    EXPECT_EQ(st[critical].deadline_misses, 1u);
    EXPECT_EQ(st[critical].max_wait, 150ms);
    EXPECT_EQ(st[normal].popped, 0u);
}

TEST(LatencyClassConfig, CustomClassesAndValidation) {
    using cfg = queue::config;
    auto field_of = [](cfg c) {
        try {
            queue q(std::move(c));
        } catch (const agentkit::error& e) {
            return e.field();
        }
        return std::string("accepted");
    };
    EXPECT_EQ(field_of(cfg{{}}), "priority_queues.priorities");
    EXPECT_EQ(field_of(cfg{{{"interactive", 0ms, 10}}}), "priority_queues.priorities[0].max_latency_ms");
    EXPECT_EQ(field_of(cfg{{{"a", 10ms, 10}, {"b", 10ms, 0}}}), "priority_queues.priorities[1].queue_size");
    EXPECT_EQ(field_of(cfg{{{"a", 10ms, 10}, {"a", 20ms, 10}}}), "priority_queues.priorities[1].name");
    EXPECT_EQ(field_of(cfg{{{"", 10ms, 10}}}), "priority_queues.priorities[0].name");
    queue two(cfg{{{"interactive", 200ms, 2}, {"batch", 60000ms, 2}}});
    EXPECT_EQ(two.class_index("batch"), 1u);
}

TEST(LatencyClassThreads, PopWaitDeliversEverythingThenStopsOnClose) {
    rt::latency_class_queue<int> q;  // seed bounds: critical holds 100, so the producer honours rejections
    constexpr int n = 2000;
    std::vector<int> got;
    std::thread consumer([&] {
        while (auto item = q.pop_wait()) got.push_back(item->value);
    });
    for (int i = 0; i < n;) {
        if (q.try_push(static_cast<std::size_t>(i % 4), i))
            ++i;
        else
            std::this_thread::yield();
    }
    q.close();
    consumer.join();
    EXPECT_EQ(got.size(), static_cast<std::size_t>(n));
    EXPECT_FALSE(q.try_push(0, 1));
    EXPECT_THROW(q.push(0, 1), agentkit::error);
}

}  // namespace latency_class_queue_test
