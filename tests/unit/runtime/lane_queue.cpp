// runtime::lane_queue: per-lane order, parallel lanes, max_depth, request_timeout, reclamation, shutdown.
#include <agentkit/runtime/lane_queue.hpp>
#include <agentkit/runtime/thread_pool.hpp>

#include <gtest/gtest.h>

#include <agentkit_test/error_of.hpp>
#include <agentkit_test/numbered.hpp>
#include <agentkit_test/scripted_executor.hpp>

#include <atomic>
#include <chrono>
#include <deque>
#include <functional>
#include <future>
#include <latch>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace lane_queue_test {

namespace rt = agentkit::runtime;
using namespace std::chrono_literals;

using agentkit_test::scripted_executor;

using manual_lanes = rt::lane_queue<scripted_executor, agentkit::manual_clock>;

// The error a future ends in.
template <class Fut>
agentkit::error error_of(Fut& f) {
    return agentkit_test::error_of([&] { f.get(); });
}

TEST(LaneQueueOrder, EachLaneRunsInSubmissionOrderOneAtATime) {
    for (std::size_t workers : {2u, 3u, 4u}) {
        rt::thread_pool pool(workers);
        constexpr int lanes = 8, per_lane = 200;
        std::vector<std::vector<int>> seen(lanes);
        std::vector<std::atomic<int>> in_flight(lanes);
        std::atomic<int> overlaps{0};
        {
            rt::lane_queue<rt::thread_pool> q(
                pool, {.max_depth = per_lane, .request_timeout = 60s, .max_tasks_per_turn = 16});
            auto produce = [&](int first) {
                for (int i = 0; i < per_lane; ++i)
                    for (int l = first; l < lanes; l += 2)
                        q.post("session-" + std::to_string(l), [&, l, i](rt::lane_outcome o) {
                            if (o != rt::lane_outcome::run) return;
                            if (in_flight[static_cast<std::size_t>(l)].fetch_add(1) != 0) overlaps.fetch_add(1);
                            seen[static_cast<std::size_t>(l)].push_back(
                                i);  // unsynchronized on purpose: lanes serialize
                            in_flight[static_cast<std::size_t>(l)].fetch_sub(1);
                        });
            };
            std::thread a(produce, 0), b(produce, 1);
            a.join();
            b.join();
            q.shutdown(rt::shutdown_mode::drain);
            EXPECT_EQ(q.statistics().completed, static_cast<std::uint64_t>(lanes * per_lane));
        }
        EXPECT_EQ(overlaps.load(), 0) << workers << " workers";
        for (const auto& s : seen) {
            ASSERT_EQ(s.size(), static_cast<std::size_t>(per_lane));
            for (int i = 0; i < per_lane; ++i) EXPECT_EQ(s[static_cast<std::size_t>(i)], i);
        }
    }
}

TEST(LaneQueueOrder, ConcurrentProducersOnOneLaneKeepTheirOwnOrder) {
    rt::thread_pool pool(4);
    constexpr int producers = 3, each = 300;
    std::vector<std::pair<int, int>> seen;  // (producer, sequence), appended only by the lane's tasks
    std::atomic<int> in_flight{0}, overlaps{0};
    {
        rt::lane_queue<rt::thread_pool> q(pool, {.max_depth = producers * each, .request_timeout = 60s});
        std::vector<std::thread> threads;
        for (int p = 0; p < producers; ++p)
            threads.emplace_back([&, p] {
                for (int i = 0; i < each; ++i)
                    q.post("shared", [&, p, i](rt::lane_outcome) {
                        if (in_flight.fetch_add(1) != 0) overlaps.fetch_add(1);
                        seen.emplace_back(p, i);
                        in_flight.fetch_sub(1);
                    });
            });
        for (auto& t : threads) t.join();
    }  // the destructor drains
    EXPECT_EQ(overlaps.load(), 0);
    ASSERT_EQ(seen.size(), static_cast<std::size_t>(producers * each));
    std::vector<int> next(producers, 0);
    for (const auto& [p, i] : seen) EXPECT_EQ(i, next[static_cast<std::size_t>(p)]++);
}

TEST(LaneQueueOrder, DifferentLanesRunInParallel) {
    rt::thread_pool pool(2);
    rt::lane_queue<rt::thread_pool> q(pool);
    std::latch both(2);
    // Each task finishes only once the other one has started: they must run at the same time.
    auto a = q.submit("alice", [&] {
        both.arrive_and_wait();
        return 1;
    });
    auto b = q.submit("bob", [&] {
        both.arrive_and_wait();
        return 2;
    });
    EXPECT_EQ(a.get() + b.get(), 3);
}

TEST(LaneQueueOrder, ResultsAndExceptionsTravelThroughTheFuture) {
    scripted_executor ex;
    manual_lanes q(ex, {}, agentkit::manual_clock());
    auto ok = q.submit("s", [] { return std::string("done"); });
    auto bad = q.submit("s", []() -> int { throw std::runtime_error("tool failed"); });
    auto nothing = q.submit("s", [] {});
    ex.run_all();
    EXPECT_EQ(ok.get(), "done");
    EXPECT_THROW(bad.get(), std::runtime_error);
    EXPECT_NO_THROW(nothing.get());
}

TEST(LaneQueueOrder, BusyLaneYieldsItsWorkerAfterMaxTasksPerTurn) {
    scripted_executor ex;
    manual_lanes q(ex, {.max_depth = 100, .request_timeout = 30000ms, .max_tasks_per_turn = 4});
    std::vector<std::string> order;
    for (int i = 0; i < 6; ++i)
        q.post("busy", [&, i](rt::lane_outcome) { order.push_back("busy" + std::to_string(i)); });
    q.post("quiet", [&](rt::lane_outcome) { order.push_back("quiet"); });
    ex.run_all();
    const std::vector<std::string> expected{"busy0", "busy1", "busy2", "busy3", "quiet", "busy4", "busy5"};
    EXPECT_EQ(order, expected);
}

TEST(LaneQueueScheduling, ManyLanesShareAtMostMaxParallelLanesJobs) {
    scripted_executor ex;
    manual_lanes q(ex, {.max_depth = 10, .request_timeout = 30000ms, .max_tasks_per_turn = 2, .max_parallel_lanes = 2});
    std::vector<std::string> order;
    for (int round = 0; round < 3; ++round)
        for (int lane = 0; lane < 10; ++lane)
            q.post(agentkit_test::numbered("s", lane), [&, lane, round](rt::lane_outcome) {
                order.push_back(std::to_string(lane) + "." + std::to_string(round));
            });
    EXPECT_EQ(ex.pending(), 2u);  // 10 busy lanes, 2 executor jobs
    EXPECT_EQ(q.statistics().jobs, 2u);
    ex.run_all();
    ASSERT_EQ(order.size(), 30u);
    // Lanes are served round-robin, two tasks per turn, each lane in its own submission order.
    EXPECT_EQ(order[0], "0.0");
    EXPECT_EQ(order[1], "0.1");
    EXPECT_EQ(order[2], "1.0");
    for (int lane = 0; lane < 10; ++lane) {
        int next = 0;
        for (const auto& o : order)
            if (o.substr(0, o.find('.')) == std::to_string(lane)) {
                EXPECT_EQ(o, std::to_string(lane) + "." + std::to_string(next++));
            }
        EXPECT_EQ(next, 3);
    }
    auto st = q.statistics();
    EXPECT_EQ(st.jobs, 0u);
    EXPECT_EQ(st.lanes, 0u);
}

struct refusing_executor {
    void submit(std::function<void()>) { throw std::runtime_error("executor stopped"); }
};

TEST(LaneQueueScheduling, RefusingExecutorFailsTheTaskInsteadOfStrandingIt) {
    refusing_executor ex;
    rt::lane_queue<refusing_executor, agentkit::manual_clock> q(ex);
    std::vector<rt::lane_outcome> outcomes;
    EXPECT_THROW(q.post("s", [&](rt::lane_outcome o) { outcomes.push_back(o); }), std::runtime_error);
    EXPECT_EQ(outcomes, std::vector<rt::lane_outcome>{rt::lane_outcome::cancelled});
    auto st = q.statistics();
    EXPECT_EQ(st.lanes, 0u);
    EXPECT_EQ(st.jobs, 0u);
    EXPECT_EQ(st.cancelled, 1u);
}

TEST(LaneQueueDepth, RejectsBeyondMaxDepthNamingTheKnob) {
    scripted_executor ex;
    manual_lanes q(ex, {}, agentkit::manual_clock());  // seed default: max_depth 10
    std::vector<std::future<int>> accepted;
    for (int i = 0; i < 10; ++i) accepted.push_back(q.submit("s1", [i] { return i; }));
    EXPECT_EQ(q.depth("s1"), 10u);
    try {
        (void)q.submit("s1", [] { return -1; });
        ADD_FAILURE() << "the 11th request was accepted";
    } catch (const agentkit::error& e) {
        EXPECT_EQ(e.code(), agentkit::errc::capacity_exceeded);
        EXPECT_EQ(e.field(), "max_depth");
    }
    EXPECT_NO_THROW((void)q.submit("s2", [] { return 0; }));  // other sessions are unaffected
    auto st = q.statistics();
    EXPECT_EQ(st.rejected, 1u);
    EXPECT_EQ(st.queued, 11u);
    EXPECT_EQ(st.lanes, 2u);
    ex.run_all();
    for (int i = 0; i < 10; ++i) EXPECT_EQ(accepted[static_cast<std::size_t>(i)].get(), i);
}

TEST(LaneQueueDepth, RunningTaskCountsTowardDepth) {
    scripted_executor ex;
    manual_lanes q(ex, {.max_depth = 2, .request_timeout = 30000ms, .max_tasks_per_turn = 16});
    bool third_rejected = false;
    auto first = q.submit("s", [&] {
        // While this runs, one more fits (depth 2 = running + 1 waiting), a third does not.
        (void)q.submit("s", [] {});
        try {
            (void)q.submit("s", [] {});
        } catch (const agentkit::error& e) {
            third_rejected = e.field() == "max_depth";
        }
    });
    ex.run_all();
    first.get();
    EXPECT_TRUE(third_rejected);
    EXPECT_EQ(q.statistics().completed, 2u);
}

TEST(LaneQueueTimeout, TaskThatWaitedPastRequestTimeoutIsNotRun) {
    scripted_executor ex;
    agentkit::manual_clock clock;
    manual_lanes q(ex, {}, clock);  // seed default: request_timeout 30000 ms
    bool ran = false;
    auto late = q.submit("s", [&] { ran = true; });
    clock.advance(30001ms);
    ex.run_all();
    auto e = error_of(late);
    EXPECT_EQ(e.code(), agentkit::errc::timeout);
    EXPECT_EQ(e.field(), "request_timeout");
    EXPECT_FALSE(ran);
    EXPECT_EQ(q.statistics().timed_out, 1u);

    auto on_time = q.submit("s", [] { return 7; });  // exactly the timeout is still in time
    clock.advance(30000ms);
    ex.run_all();
    EXPECT_EQ(on_time.get(), 7);
}

TEST(LaneQueueTimeout, SlowTaskMakesTheOnesBehindItTimeOut) {
    scripted_executor ex;
    agentkit::manual_clock clock;
    manual_lanes q(ex, {}, clock);
    std::vector<rt::lane_outcome> outcomes;
    q.post("s", [&](rt::lane_outcome o) {
        outcomes.push_back(o);
        clock.advance(31s);  // the task itself takes 31 s
    });
    q.post("s", [&](rt::lane_outcome o) { outcomes.push_back(o); });
    q.post("other", [&](rt::lane_outcome o) { outcomes.push_back(o); });  // submitted at 0, started at 31 s
    ex.run_all();
    const std::vector<rt::lane_outcome> expected{rt::lane_outcome::run, rt::lane_outcome::timed_out,
                                                 rt::lane_outcome::timed_out};
    EXPECT_EQ(outcomes, expected);
}

TEST(LaneQueueTimeout, ExpiredWaitersDoNotHoldAFullLane) {
    scripted_executor ex;
    agentkit::manual_clock clock;
    manual_lanes q(ex, {.max_depth = 3, .request_timeout = 1000ms, .max_tasks_per_turn = 16}, clock);
    std::vector<std::future<void>> old;
    for (int i = 0; i < 3; ++i) old.push_back(q.submit("s", [] {}));
    clock.advance(1001ms);
    auto fresh = q.submit("s", [] {});  // accepted: the three waiters expired and are settled now
    for (auto& f : old) EXPECT_EQ(error_of(f).code(), agentkit::errc::timeout);
    ex.run_all();
    EXPECT_NO_THROW(fresh.get());
    auto st = q.statistics();
    EXPECT_EQ(st.timed_out, 3u);
    EXPECT_EQ(st.completed, 1u);
    EXPECT_EQ(st.rejected, 0u);
}

TEST(LaneQueueReclaim, IdleLanesAreErasedSoMemoryFollowsBusyLanesOnly) {
    scripted_executor ex;
    manual_lanes q(ex, {}, agentkit::manual_clock());
    q.post("warm-up", [](rt::lane_outcome) {});
    ex.run_all();
    const std::size_t buckets = q.table_buckets();
    for (int i = 0; i < 20000; ++i) {
        q.post("session-" + std::to_string(i), [](rt::lane_outcome) {});
        EXPECT_LE(q.statistics().lanes, 1u);
        ex.run_all();
    }
    auto st = q.statistics();
    EXPECT_EQ(st.lanes, 0u);
    EXPECT_EQ(st.running_lanes, 0u);
    EXPECT_EQ(st.queued, 0u);
    EXPECT_EQ(st.completed, 20001u);
    EXPECT_EQ(q.table_buckets(), buckets);  // 20000 keys seen, table never grew
}

TEST(LaneQueueReclaim, TableShrinksBackAfterABusyPeak) {
    scripted_executor ex;
    manual_lanes q(ex, {}, agentkit::manual_clock());
    for (int i = 0; i < 5000; ++i) q.post("peak-" + std::to_string(i), [](rt::lane_outcome) {});
    EXPECT_EQ(q.statistics().lanes, 5000u);
    EXPECT_GT(q.table_buckets(), 1024u);
    ex.run_all();
    EXPECT_EQ(q.statistics().lanes, 0u);
    EXPECT_LE(q.table_buckets(), 1024u);
}

TEST(LaneQueueReclaim, ManyLanesOnAThreadPoolAllReclaimed) {
    rt::thread_pool pool(2);
    rt::lane_queue<rt::thread_pool> q(pool);
    std::atomic<int> ran{0};
    for (int i = 0; i < 2000; ++i)
        q.post(agentkit_test::numbered("k", i % 500), [&](rt::lane_outcome o) {
            if (o == rt::lane_outcome::run) ran.fetch_add(1);
        });
    q.shutdown(rt::shutdown_mode::drain);
    EXPECT_EQ(ran.load(), 2000);
    EXPECT_EQ(q.statistics().lanes, 0u);
}

TEST(LaneQueueShutdown, CancelCompletesWaitersAndLetsTheRunningTaskFinish) {
    rt::thread_pool pool(2);
    rt::lane_queue<rt::thread_pool> q(pool);
    std::promise<void> gate;
    std::latch started(1);
    auto running = q.submit("s", [&, g = gate.get_future()]() mutable {
        started.count_down();
        g.wait();
        return 1;
    });
    auto waiting1 = q.submit("s", [] { return 2; });
    auto waiting2 = q.submit("s", [] { return 3; });
    started.wait();
    std::thread stopper([&] { q.shutdown(rt::shutdown_mode::cancel); });
    waiting1.wait();  // cancelled by shutdown while the first task still runs
    EXPECT_EQ(error_of(waiting1).code(), agentkit::errc::cancelled);
    EXPECT_EQ(error_of(waiting2).code(), agentkit::errc::cancelled);
    gate.set_value();
    stopper.join();
    EXPECT_EQ(running.get(), 1);
    try {
        (void)q.submit("s", [] { return 0; });
        ADD_FAILURE() << "accepted after shutdown";
    } catch (const agentkit::error& e) {
        EXPECT_EQ(e.code(), agentkit::errc::cancelled);
    }
    auto st = q.statistics();
    EXPECT_EQ(st.cancelled, 2u);
    EXPECT_EQ(st.lanes, 0u);
}

TEST(LaneQueueShutdown, DrainRunsEverythingQueuedAndRefusesNewWork) {
    rt::thread_pool pool(2);
    rt::lane_queue<rt::thread_pool> q(pool);
    std::promise<void> gate;
    std::latch started(1);
    std::atomic<int> ran{0};
    q.post("s", [&, g = gate.get_future()](rt::lane_outcome) mutable {
        started.count_down();
        g.wait();
        ran.fetch_add(1);
    });
    for (int i = 0; i < 5; ++i)
        q.post("s", [&](rt::lane_outcome o) { ran.fetch_add(o == rt::lane_outcome::run ? 1 : 100); });
    started.wait();
    std::thread stopper([&] { q.shutdown(rt::shutdown_mode::drain); });
    // Wait (without sleeping) until shutdown has begun: submissions start being refused.
    int extra = 0;
    for (;;) {
        try {
            q.post("other-" + std::to_string(extra),
                   [&](rt::lane_outcome o) { ran.fetch_add(o == rt::lane_outcome::run ? 1 : 100); });
            ++extra;
        } catch (const agentkit::error& e) {
            EXPECT_EQ(e.code(), agentkit::errc::cancelled);
            break;
        }
        std::this_thread::yield();
    }
    gate.set_value();
    stopper.join();
    EXPECT_EQ(ran.load(), 6 + extra);
    EXPECT_EQ(q.statistics().lanes, 0u);
}

TEST(LaneQueueConfig, RejectsNonsenseNamingTheField) {
    scripted_executor ex;
    auto field_of = [&](manual_lanes::config cfg) {
        try {
            manual_lanes q(ex, cfg);
        } catch (const agentkit::error& e) {
            return e.field();
        }
        return std::string("accepted");
    };
    EXPECT_EQ(field_of({.max_depth = 0}), "max_depth");
    EXPECT_EQ(field_of({.max_depth = 10, .request_timeout = 0ms}), "request_timeout");
    EXPECT_EQ(field_of({.max_depth = 10, .request_timeout = 10ms, .max_tasks_per_turn = 0}), "max_tasks_per_turn");
    EXPECT_EQ(field_of({.max_depth = 10,
                        .request_timeout = 10ms,
                        .max_tasks_per_turn = 1,
                        .max_parallel_lanes = 0,
                        .max_lanes = 0}),
              "lane_queue.max_lanes");
    manual_lanes::config defaults;
    EXPECT_EQ(defaults.max_depth, 10u);
    EXPECT_EQ(defaults.request_timeout, 30000ms);
    EXPECT_EQ(defaults.max_lanes, 100000u);
}

// Counts the live copies of a task body, to see that the queue frees what it drops.
struct counted {
    std::shared_ptr<std::atomic<long>> live;
    explicit counted(std::shared_ptr<std::atomic<long>> l) : live(std::move(l)) { ++*live; }
    counted(const counted& o) : live(o.live) { ++*live; }
    counted(counted&& o) noexcept : live(o.live) { ++*live; }
    counted& operator=(const counted&) = delete;
    ~counted() { --*live; }
};

TEST(LaneQueueLanes, DistinctKeysOnAStalledExecutorStopAtMaxLanes) {
    scripted_executor ex;  // never runs a job until the end: every lane stays busy
    manual_lanes q(ex, {}, agentkit::manual_clock());
    const std::size_t max_lanes = q.configuration().max_lanes;
    std::size_t accepted = 0, rejected = 0;
    std::string first_error_field;
    // Every key past max_lanes is refused (each refusal costs an exception, so the flood stops at 2.5x).
    const std::size_t keys = max_lanes * 5 / 2;
    for (std::size_t i = 0; i < keys; ++i) {
        try {
            q.post("session-" + std::to_string(i), [](rt::lane_outcome) {});
            ++accepted;
        } catch (const agentkit::error& e) {
            if (rejected++ == 0) {
                first_error_field = e.field();
                EXPECT_EQ(e.code(), agentkit::errc::capacity_exceeded);
                EXPECT_EQ(i, max_lanes);
            }
        }
    }
    EXPECT_EQ(accepted, max_lanes);
    EXPECT_EQ(rejected, keys - max_lanes);
    EXPECT_EQ(first_error_field, "lane_queue.max_lanes");
    auto st = q.statistics();
    EXPECT_EQ(st.lanes, max_lanes);
    EXPECT_EQ(st.queued, max_lanes);
    EXPECT_NO_THROW(q.post("session-0", [](rt::lane_outcome) {}));  // a busy lane still takes work
    ex.run_all();
    EXPECT_EQ(q.statistics().lanes, 0u);
    EXPECT_NO_THROW(q.post("fresh", [](rt::lane_outcome) {}));  // lanes freed: new keys are welcome again
    ex.run_all();
}

TEST(LaneQueueLanes, SmallMaxLanesCountsOnlyBusyLanes) {
    scripted_executor ex;
    manual_lanes q(ex,
                   {.max_depth = 10,
                    .request_timeout = 30000ms,
                    .max_tasks_per_turn = 16,
                    .max_parallel_lanes = 0,
                    .max_lanes = 2});
    q.post("a", [](rt::lane_outcome) {});
    q.post("b", [](rt::lane_outcome) {});
    EXPECT_THROW(q.post("c", [](rt::lane_outcome) {}), agentkit::error);
    EXPECT_NO_THROW(q.post("a", [](rt::lane_outcome) {}));
    ex.run_all();  // both lanes go idle and are reclaimed
    for (int i = 0; i < 100; ++i) {
        q.post(agentkit_test::numbered("k", i), [](rt::lane_outcome) {});
        ex.run_all();
    }
    EXPECT_EQ(q.statistics().rejected, 1u);
}

TEST(LaneQueueTimeout, ExpiredTasksAreSweptAndFreedWhileTheExecutorIsStalled) {
    scripted_executor ex;
    agentkit::manual_clock clock;
    manual_lanes q(ex, {.max_depth = 10, .request_timeout = 1000ms, .max_tasks_per_turn = 16}, clock);
    auto live = std::make_shared<std::atomic<long>>(0);
    std::atomic<int> timed_out{0}, ran{0};
    auto body = [&, c = counted(live)](rt::lane_outcome o) {
        (o == rt::lane_outcome::run ? ran : timed_out).fetch_add(1);
    };
    for (int i = 0; i < 1000; ++i) q.post(agentkit_test::numbered("s", i % 100), body);
    std::vector<std::future<int>> futures;
    for (int i = 0; i < 50; ++i)
        futures.push_back(q.submit(agentkit_test::numbered("f", i), [c = counted(live)] { return 1; }));
    EXPECT_EQ(live->load(), 1 + 1000 + 50);  // `body` itself, 1000 posted copies, 50 submitted
    EXPECT_EQ(q.statistics().lanes, 150u);

    clock.advance(1001ms);
    q.post("new", body);  // the next submit sweeps: every expired task is completed and freed now
    EXPECT_EQ(timed_out.load(), 1000);
    EXPECT_EQ(ran.load(), 0);
    EXPECT_EQ(live->load(), 1 + 1);  // `body` and the new task: the expired ones are gone, not merely skipped
    for (auto& f : futures) EXPECT_EQ(error_of(f).code(), agentkit::errc::timeout);
    auto st = q.statistics();
    EXPECT_EQ(st.lanes, 1u);  // the lanes left empty were erased
    EXPECT_EQ(st.queued, 1u);
    EXPECT_EQ(st.timed_out, 1050u);

    // sweep_expired() does the same on demand.
    clock.advance(1001ms);
    EXPECT_EQ(q.sweep_expired(), 1u);
    EXPECT_EQ(live->load(), 1);
    EXPECT_EQ(q.statistics().lanes, 0u);
    ex.run_all();  // the stalled jobs find nothing left to do
    EXPECT_EQ(ran.load(), 0);
    EXPECT_EQ(q.statistics().jobs, 0u);
}

TEST(LaneQueueTimeout, SweepFreesRoomUnderMaxLanes) {
    scripted_executor ex;
    agentkit::manual_clock clock;
    manual_lanes q(
        ex,
        {.max_depth = 10, .request_timeout = 1000ms, .max_tasks_per_turn = 16, .max_parallel_lanes = 0, .max_lanes = 3},
        clock);
    std::vector<rt::lane_outcome> outcomes;
    for (const char* k : {"a", "b", "c"}) q.post(k, [&](rt::lane_outcome o) { outcomes.push_back(o); });
    EXPECT_THROW(q.post("d", [](rt::lane_outcome) {}), agentkit::error);
    clock.advance(1001ms);
    EXPECT_NO_THROW(q.post("d", [&](rt::lane_outcome o) { outcomes.push_back(o); }));  // the expired lanes went
    ex.run_all();
    const std::vector<rt::lane_outcome> expected{rt::lane_outcome::timed_out, rt::lane_outcome::timed_out,
                                                 rt::lane_outcome::timed_out, rt::lane_outcome::run};
    EXPECT_EQ(outcomes, expected);
}

TEST(LaneQueueTimeout, JobsSweepOtherLanesWhileTheyRun) {
    scripted_executor ex;
    agentkit::manual_clock clock;
    manual_lanes q(ex, {.max_depth = 10, .request_timeout = 1000ms, .max_tasks_per_turn = 1, .max_parallel_lanes = 1},
                   clock);
    auto live = std::make_shared<std::atomic<long>>(0);
    std::vector<std::string> order;
    q.post("slow", [&](rt::lane_outcome o) {
        order.push_back(o == rt::lane_outcome::run ? "slow" : "slow-timeout");
        clock.advance(1001ms);  // everything queued behind it expires
    });
    for (int i = 0; i < 20; ++i)
        q.post(agentkit_test::numbered("w", i), [&, c = counted(live)](rt::lane_outcome o) {
            if (o == rt::lane_outcome::run) order.push_back("ran");
        });
    EXPECT_EQ(live->load(), 20);
    ASSERT_TRUE(ex.run_one());  // the one job: runs "slow", then sweeps the 20 expired lanes in one go
    EXPECT_EQ(live->load(), 0);
    EXPECT_EQ(order, std::vector<std::string>{"slow"});
    auto st = q.statistics();
    EXPECT_EQ(st.lanes, 0u);
    EXPECT_EQ(st.timed_out, 20u);
    EXPECT_EQ(st.jobs, 0u);
}

}  // namespace lane_queue_test
