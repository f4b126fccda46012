// Queue metrics: lane_queue and latency_class_queue report agentkit_queue_depth and
// agentkit_queue_wait_seconds{queue,class} after attach_metrics. Waits are measured on a manual clock, so the
// histogram's sum is exact; the scripted executor below is a test double that runs jobs when told to.
#include <agentkit/core/clock.hpp>
#include <agentkit/observe/metric_registry.hpp>
#include <agentkit/observe/prometheus_text.hpp>
#include <agentkit/runtime/lane_queue.hpp>
#include <agentkit/runtime/latency_class_queue.hpp>
#include <agentkit/runtime/thread_pool.hpp>

#include <agentkit_test/numbered.hpp>
#include <agentkit_test/metrics_scrape.hpp>
#include <agentkit_test/scripted_executor.hpp>
#include <gtest/gtest.h>

#include <chrono>
#include <deque>
#include <functional>
#include <future>
#include <mutex>
#include <string>
#include <vector>

namespace metrics_queues_test {

namespace obs = agentkit::observe;
namespace rt = agentkit::runtime;
using agentkit_test::sample;
using namespace std::chrono_literals;

using agentkit_test::scripted_executor;

using manual_lanes = rt::lane_queue<scripted_executor, agentkit::manual_clock>;

double value(const obs::metric_registry& reg, const std::string& series) {
    const auto text = obs::to_prometheus_text(reg);
    const auto v = sample(text, series);
    EXPECT_TRUE(v.has_value()) << "no series " << series << " in\n" << text;
    return v.value_or(-1);
}

TEST(QueueMetrics, LaneQueueDepthAndWaitAfterKnownEnqueues) {
    obs::metric_registry reg;
    scripted_executor ex;
    agentkit::manual_clock clock;
    manual_lanes q(ex, {}, clock);
    q.attach_metrics(reg, "sessions");
    std::vector<std::future<int>> results;
    for (int i = 0; i < 3; ++i) results.push_back(q.submit("alice", [i] { return i; }));
    results.push_back(q.submit("bob", [] { return 9; }));
    EXPECT_EQ(value(reg, R"(agentkit_queue_depth{queue="sessions",class=""})"), 4);
    EXPECT_EQ(value(reg, R"(agentkit_queue_wait_seconds_count{queue="sessions",class=""})"), 0);
    clock.advance(200ms);
    ex.run_all();
    for (auto& r : results) (void)r.get();
    const auto text = obs::to_prometheus_text(reg);
    EXPECT_EQ(sample(text, R"(agentkit_queue_depth{queue="sessions",class=""})"), 0);
    EXPECT_EQ(sample(text, R"(agentkit_queue_wait_seconds_count{queue="sessions",class=""})"), 4);
    EXPECT_EQ(sample(text, R"(agentkit_queue_wait_seconds_sum{queue="sessions",class=""})"), 0.8);  // 4 x 200 ms
    EXPECT_EQ(sample(text, R"(agentkit_queue_wait_seconds_bucket{queue="sessions",class="",le="0.1"})"), 0);
    EXPECT_EQ(sample(text, R"(agentkit_queue_wait_seconds_bucket{queue="sessions",class="",le="0.25"})"), 4);
}

TEST(QueueMetrics, LaneQueueTasksThatTimeOutOrAreRejectedLeaveTheDepthAndRecordNoWait) {
    obs::metric_registry reg;
    scripted_executor ex;
    agentkit::manual_clock clock;
    manual_lanes q(ex, {.max_depth = 2, .request_timeout = 1000ms}, clock);
    q.attach_metrics(reg);
    auto a = q.submit("s", [] {});
    auto b = q.submit("s", [] {});
    EXPECT_THROW((void)q.submit("s", [] {}), agentkit::error);  // max_depth: rejected, never queued
    EXPECT_EQ(value(reg, R"(agentkit_queue_depth{queue="lanes",class=""})"), 2);
    clock.advance(2s);
    EXPECT_EQ(q.sweep_expired(), 2u);
    EXPECT_EQ(value(reg, R"(agentkit_queue_depth{queue="lanes",class=""})"), 0);
    ex.run_all();
    EXPECT_EQ(value(reg, R"(agentkit_queue_wait_seconds_count{queue="lanes",class=""})"), 0);
}

TEST(QueueMetrics, LaneQueueOnARealThreadPoolEndsEmptyWithOneWaitPerTask) {
    obs::metric_registry reg;
    {
        rt::thread_pool pool(2);
        rt::lane_queue<rt::thread_pool> q(pool);
        q.attach_metrics(reg, "pool");
        std::vector<std::future<int>> results;
        for (int i = 0; i < 50; ++i)
            results.push_back(q.submit(agentkit_test::numbered("lane", i % 5), [i] { return i; }));
        for (auto& r : results) (void)r.get();
    }  // the queue drains before it goes
    EXPECT_EQ(value(reg, R"(agentkit_queue_depth{queue="pool",class=""})"), 0);
    EXPECT_EQ(value(reg, R"(agentkit_queue_wait_seconds_count{queue="pool",class=""})"), 50);
}

TEST(QueueMetrics, LatencyClassQueueReportsEachClass) {
    obs::metric_registry reg;
    agentkit::manual_clock clock;
    rt::latency_class_queue<std::string, agentkit::manual_clock> q({}, clock);
    q.attach_metrics(reg);
    q.push("critical", "c1");
    q.push("critical", "c2");
    for (int i = 0; i < 3; ++i) q.push("normal", agentkit_test::numbered("n", i));
    auto text = obs::to_prometheus_text(reg);
    EXPECT_EQ(sample(text, R"(agentkit_queue_depth{queue="priority",class="critical"})"), 2);
    EXPECT_EQ(sample(text, R"(agentkit_queue_depth{queue="priority",class="high"})"), 0);
    EXPECT_EQ(sample(text, R"(agentkit_queue_depth{queue="priority",class="normal"})"), 3);
    EXPECT_EQ(sample(text, R"(agentkit_queue_depth{queue="priority",class="background"})"), 0);
    clock.advance(10ms);
    ASSERT_TRUE(q.try_pop());  // c1, waited 10 ms
    clock.advance(20ms);
    ASSERT_TRUE(q.try_pop());  // c2, waited 30 ms
    ASSERT_TRUE(q.try_pop());  // n0, waited 30 ms
    text = obs::to_prometheus_text(reg);
    EXPECT_EQ(sample(text, R"(agentkit_queue_depth{queue="priority",class="critical"})"), 0);
    EXPECT_EQ(sample(text, R"(agentkit_queue_depth{queue="priority",class="normal"})"), 2);
    EXPECT_EQ(sample(text, R"(agentkit_queue_wait_seconds_count{queue="priority",class="critical"})"), 2);
    EXPECT_EQ(sample(text, R"(agentkit_queue_wait_seconds_sum{queue="priority",class="critical"})"), 0.04);
    EXPECT_EQ(sample(text, R"(agentkit_queue_wait_seconds_count{queue="priority",class="normal"})"), 1);
    EXPECT_EQ(sample(text, R"(agentkit_queue_wait_seconds_sum{queue="priority",class="normal"})"), 0.03);
    EXPECT_EQ(sample(text, R"(agentkit_queue_wait_seconds_bucket{queue="priority",class="critical",le="0.005"})"), 0);
    EXPECT_EQ(sample(text, R"(agentkit_queue_wait_seconds_bucket{queue="priority",class="critical",le="0.025"})"), 1);
    EXPECT_EQ(sample(text, R"(agentkit_queue_wait_seconds_bucket{queue="priority",class="critical",le="0.05"})"), 2);
    EXPECT_FALSE(q.try_push(7, "no such class"));  // refused pushes leave the depth alone
    EXPECT_EQ(value(reg, R"(agentkit_queue_depth{queue="priority",class="normal"})"), 2);
}

// Two queues under one instance name add into the same series; a queue destroyed with items still queued
// takes them out of the depth.
TEST(QueueMetrics, OneInstanceNameAttachedTwiceSumsAndADestroyedQueueLeaves) {
    obs::metric_registry reg;
    rt::latency_class_queue<int> a;
    a.attach_metrics(reg, "jobs");
    a.push("high", 1);
    {
        rt::latency_class_queue<int> b;
        b.attach_metrics(reg, "jobs");
        b.push("high", 2);
        b.push("high", 3);
        EXPECT_EQ(value(reg, R"(agentkit_queue_depth{queue="jobs",class="high"})"), 3);
    }
    EXPECT_EQ(value(reg, R"(agentkit_queue_depth{queue="jobs",class="high"})"), 1);
    // Re-attaching under another name moves the waiting items.
    a.attach_metrics(reg, "jobs_v2");
    EXPECT_EQ(value(reg, R"(agentkit_queue_depth{queue="jobs",class="high"})"), 0);
    EXPECT_EQ(value(reg, R"(agentkit_queue_depth{queue="jobs_v2",class="high"})"), 1);
}

TEST(QueueMetrics, LaneAndClassQueuesShareTheQueueFamilies) {
    obs::metric_registry reg;
    scripted_executor ex;
    rt::lane_queue<scripted_executor> lanes(ex);
    rt::latency_class_queue<int> classes;
    lanes.attach_metrics(reg);
    classes.attach_metrics(reg);
    (void)lanes.submit("s", [] {});
    classes.push("background", 1);
    const auto text = obs::to_prometheus_text(reg);
    EXPECT_EQ(agentkit_test::lines_starting(text, "# TYPE agentkit_queue_depth gauge").size(), 1u);
    EXPECT_EQ(agentkit_test::lines_starting(text, "# TYPE agentkit_queue_wait_seconds histogram").size(), 1u);
    EXPECT_EQ(sample(text, R"(agentkit_queue_depth{queue="lanes",class=""})"), 1);
    EXPECT_EQ(sample(text, R"(agentkit_queue_depth{queue="priority",class="background"})"), 1);
    ex.run_all();
}

TEST(QueueMetrics, PromtoolAcceptsTheQueueFamilies) {
    obs::metric_registry reg;
    agentkit::manual_clock clock;
    scripted_executor ex;
    manual_lanes lanes(ex, {}, clock);
    rt::latency_class_queue<int, agentkit::manual_clock> classes({}, clock);
    lanes.attach_metrics(reg);
    classes.attach_metrics(reg);
    (void)lanes.submit("s", [] {});
    classes.push("normal", 1);
    clock.advance(3ms);
    ex.run_all();
    (void)classes.try_pop();
    AGENTKIT_EXPECT_PROMTOOL_ACCEPTS(reg);
}

}  // namespace metrics_queues_test
