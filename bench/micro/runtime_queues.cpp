// Runtime queues: lane_queue submit->run throughput (1 lane vs many lanes on 2 workers) and round-trip
// latency, against the bare thread_pool; latency_class_queue push+pop; batcher cost per item; memory per
// active lane and per queued task (bytes from a counting operator new), idle lanes cost nothing.
#include <agentkit/runtime/batcher.hpp>
#include <agentkit/runtime/lane_queue.hpp>
#include <agentkit/runtime/latency_class_queue.hpp>
#include <agentkit/runtime/thread_pool.hpp>

#include <agentkit_bench/allocation_counter.hpp>
#include <benchmark/benchmark.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdlib>
#include <deque>
#include <functional>
#include <future>
#include <mutex>
#include <new>
#include <string>
#include <vector>

namespace runtime_queues_bench {

namespace rt = agentkit::runtime;
using namespace std::chrono_literals;

// Waits (condition variable, no spinning) until `target` tasks reported done.
class countdown {
public:
    void reset(std::int64_t n) {
        std::lock_guard lock(m_);
        left_ = n;
    }
    void done() {
        std::lock_guard lock(m_);
        if (--left_ == 0) cv_.notify_all();
    }
    void wait() {
        std::unique_lock lock(m_);
        cv_.wait(lock, [this] { return left_ <= 0; });
    }

private:
    std::mutex m_;
    std::condition_variable cv_;
    std::int64_t left_ = 0;
};

constexpr int burst = 1000;

// Throughput: `burst` tasks spread round-robin over state.range(0) lanes, 2 workers, wait for all.
// Counter lat_us: mean time from post() to the start of the task, under that burst.
void BM_LaneQueueBurst(benchmark::State& state) {
    const int lanes = static_cast<int>(state.range(0));
    rt::thread_pool pool(2);
    rt::lane_queue<rt::thread_pool> q(pool,
                                      {.max_depth = 2 * burst, .request_timeout = 30000ms, .max_tasks_per_turn = 16});
    std::vector<std::string> keys;
    for (int i = 0; i < lanes; ++i) keys.push_back("session-" + std::to_string(i));
    countdown all;
    std::atomic<std::int64_t> wait_ns{0};
    for (auto _ : state) {
        all.reset(burst);
        for (int i = 0; i < burst; ++i) {
            const auto posted = std::chrono::steady_clock::now();
            q.post(keys[static_cast<std::size_t>(i % lanes)], [&, posted](rt::lane_outcome) {
                wait_ns.fetch_add((std::chrono::steady_clock::now() - posted).count(), std::memory_order_relaxed);
                all.done();
            });
        }
        all.wait();
    }
    const double tasks = static_cast<double>(state.iterations()) * burst;
    state.SetItemsProcessed(static_cast<std::int64_t>(tasks));
    state.counters["lat_us"] = static_cast<double>(wait_ns.load()) / tasks / 1000.0;
}
BENCHMARK(BM_LaneQueueBurst)->Arg(1)->Arg(64)->ArgName("lanes")->UseRealTime()->Unit(benchmark::kMicrosecond);

// The future-returning entry point on the same burst (64 lanes): one promise/future pair per task.
void BM_LaneQueueSubmitFutures(benchmark::State& state) {
    const int lanes = static_cast<int>(state.range(0));
    rt::thread_pool pool(2);
    rt::lane_queue<rt::thread_pool> q(pool,
                                      {.max_depth = 2 * burst, .request_timeout = 30000ms, .max_tasks_per_turn = 16});
    std::vector<std::string> keys;
    for (int i = 0; i < lanes; ++i) keys.push_back("session-" + std::to_string(i));
    std::vector<std::future<int>> results;
    results.reserve(burst);
    for (auto _ : state) {
        results.clear();
        for (int i = 0; i < burst; ++i)
            results.push_back(q.submit(keys[static_cast<std::size_t>(i % lanes)], [i] { return i; }));
        long sum = 0;
        for (auto& f : results) sum += f.get();
        benchmark::DoNotOptimize(sum);
    }
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()) * burst);
}
BENCHMARK(BM_LaneQueueSubmitFutures)->Arg(64)->ArgName("lanes")->UseRealTime()->Unit(benchmark::kMicrosecond);

// Baseline: the same burst straight on the thread pool (no per-key ordering).
void BM_ThreadPoolBurst(benchmark::State& state) {
    rt::thread_pool pool(2);
    countdown all;
    for (auto _ : state) {
        all.reset(burst);
        for (int i = 0; i < burst; ++i) pool.submit([&] { all.done(); });
        all.wait();
    }
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()) * burst);
}
BENCHMARK(BM_ThreadPoolBurst)->UseRealTime()->Unit(benchmark::kMicrosecond);

// Latency with no load: one task posted, wait until it ran (submit -> run -> wake the caller).
void BM_LaneQueueRoundTrip(benchmark::State& state) {
    rt::thread_pool pool(2);
    rt::lane_queue<rt::thread_pool> q(pool);
    countdown one;
    for (auto _ : state) {
        one.reset(1);
        q.post("session", [&](rt::lane_outcome) { one.done(); });
        one.wait();
    }
}
BENCHMARK(BM_LaneQueueRoundTrip)->UseRealTime()->Unit(benchmark::kMicrosecond);

// Memory: lanes made busy with one queued task each on an executor that never runs them, so the
// bytes counted are the lane table entries, the key strings, the task nodes and the executor's job.
// Then every lane runs and is reclaimed; idle bytes = table buckets only.
class parked_executor {
public:
    void submit(std::function<void()> job) { jobs.push_back(std::move(job)); }
    std::deque<std::function<void()>> jobs;
};

void BM_LaneQueueMemory(benchmark::State& state) {
    const int lanes = static_cast<int>(state.range(0));
    std::vector<std::string> keys;
    for (int i = 0; i < lanes; ++i) keys.push_back("session-" + std::to_string(1000000 + i));  // 15 chars: SSO
    double per_lane = 0, per_extra_task = 0;
    std::size_t buckets_after = 0, lanes_after = 0;
    for (auto _ : state) {
        parked_executor ex;
        rt::lane_queue<parked_executor> q(ex);
        const auto before = agentkit_bench::allocated_bytes.load();
        for (const auto& k : keys) q.post(k, [](rt::lane_outcome) {});
        const auto one = agentkit_bench::allocated_bytes.load();
        for (const auto& k : keys) q.post(k, [](rt::lane_outcome) {});
        const auto two = agentkit_bench::allocated_bytes.load();
        per_lane = static_cast<double>(one - before) / lanes;
        per_extra_task = static_cast<double>(two - one) / lanes;
        while (!ex.jobs.empty()) {
            auto job = std::move(ex.jobs.front());
            ex.jobs.pop_front();
            job();
        }
        lanes_after = q.statistics().lanes;
        buckets_after = q.table_buckets();
    }
    state.counters["B/active_lane"] = per_lane;
    state.counters["B/queued_task"] = per_extra_task;
    state.counters["lanes_after"] = static_cast<double>(lanes_after);
    state.counters["table_B_after"] = static_cast<double>(buckets_after * sizeof(void*));
}
BENCHMARK(BM_LaneQueueMemory)->Arg(10000)->ArgName("lanes")->Iterations(3)->Unit(benchmark::kMillisecond);

// latency_class_queue: one push and one pop with a standing backlog spread over the four seed classes.
void BM_LatencyClassPushPop(benchmark::State& state) {
    rt::latency_class_queue<std::uint64_t> q;
    const auto backlog = static_cast<std::size_t>(state.range(0));
    for (std::size_t i = 0; i < backlog; ++i) q.push(1 + i % 3, i);
    std::uint64_t i = 0;
    const auto a0 = agentkit_bench::allocation_count.load();
    for (auto _ : state) {
        q.push(static_cast<std::size_t>(i & 3), i);
        benchmark::DoNotOptimize(q.try_pop());
        ++i;
    }
    state.counters["allocs/op"] =
        static_cast<double>(agentkit_bench::allocation_count.load() - a0) / static_cast<double>(state.iterations());
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}
BENCHMARK(BM_LatencyClassPushPop)->Arg(0)->Arg(1000)->ArgName("backlog");

// batcher: cost per item of add + sealing + taking batches of the seed's size (100).
void BM_BatcherPerItem(benchmark::State& state) {
    rt::batcher<std::uint64_t> b;
    std::uint64_t i = 0, taken = 0;
    for (auto _ : state) {
        b.add(i++);
        if ((i % 100) == 0)
            if (auto batch = b.try_take()) taken += batch->size();
    }
    benchmark::DoNotOptimize(taken);
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}
BENCHMARK(BM_BatcherPerItem);

}  // namespace runtime_queues_bench
