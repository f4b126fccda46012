#pragma once
// lane_queue: serializes work per key (a session id) on a shared executor. Tasks of one lane run one at a
// time, in submission order; different lanes run in parallel on the executor's threads.
//   - max_depth (gateway.laneQueue.maxDepth, 10): requests one lane may hold, the running one included;
//     one more is rejected at once with errc::capacity_exceeded naming "max_depth" (never dropped).
//   - request_timeout (gateway.laneQueue.requestTimeoutMs, 30000 ms): a task that waited longer than this
//     before starting is not run; it completes with errc::timeout naming "request_timeout". Expired tasks
//     are also swept out of every lane - completed and freed, their lanes erased when left empty - at most
//     once per request_timeout, on the next submit or executor job (or at once by sweep_expired()), so a
//     stalled executor does not keep them until their turn.
//   - A lane exists only while it holds work: the last task out erases it, so memory follows the number
//     of busy sessions, not the number of sessions ever seen.
//   - max_lanes (100000): busy lanes the queue may hold at once; a task for a new key beyond it is rejected
//     with errc::capacity_exceeded naming "lane_queue.max_lanes" (keys with a lane are unaffected).
//   - Metrics: attach_metrics(registry, instance = "lanes") reports agentkit_queue_depth (tasks waiting) and
//     agentkit_queue_wait_seconds (enqueue to start) as {queue="<instance>", class=""} (queue_metrics.hpp).
//   - Shutdown: shutdown(drain) refuses new work and waits until every queued task ran (or timed out);
//     shutdown(cancel) refuses new work, completes every waiting task with errc::cancelled and waits only
//     for the tasks already running. The destructor drains. The executor must outlive the queue.
// Scheduling: lanes with work wait in a FIFO of ready lanes; at most max_parallel_lanes executor jobs
// (default: the executor's size() when it has one) take lanes from it, run at most max_tasks_per_turn
// tasks of one lane, put the lane back at the tail if it has more, and go on with the next ready lane. So a
// burst over many sessions costs a few executor submissions, not one per task, and one busy session cannot
// hold a worker while others wait. One mutex guards the lane table; task bodies run outside it.
#include <agentkit/core/clock.hpp>
#include <agentkit/core/error.hpp>
#include <agentkit/core/hash.hpp>
#include <agentkit/runtime/queue_metrics.hpp>

#include <chrono>
#include <concepts>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <exception>
#include <functional>
#include <future>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <type_traits>
#include <unordered_map>
#include <utility>

namespace agentkit::runtime {

// An executor takes a nullary job and runs it once, on some thread (runtime::thread_pool has this shape;
// for Asio, a two-line adapter whose submit() calls asio::post). The returned value, if any, is ignored.
// An optional size() gives the default of max_parallel_lanes.
template <class E>
concept lane_executor = requires(E& e, std::function<void()> job) {
    e.submit(std::move(job));
};

// How a task left the queue: it ran, it waited past request_timeout, or shutdown(cancel) removed it.
enum class lane_outcome : std::uint8_t { run, timed_out, cancelled };

enum class shutdown_mode : std::uint8_t { drain, cancel };

template <class Executor, clock_policy Clock = steady_clock>
class lane_queue {
    static_assert(lane_executor<Executor>,
                  "lane_queue<Executor>: Executor needs submit(std::function<void()>) (e.g. runtime::thread_pool)");

public:
    using clock_type = Clock;
    using time_point = typename Clock::time_point;

    struct config {
        std::size_t max_depth = 10;                        // gateway.laneQueue.maxDepth
        std::chrono::milliseconds request_timeout{30000};  // gateway.laneQueue.requestTimeoutMs
        std::size_t max_tasks_per_turn = 16;               // fairness: tasks of one lane per turn
        std::size_t max_parallel_lanes = 0;  // executor jobs at once; 0: executor.size() if any, else unbounded
        // Busy lanes (sessions with queued or running work) held at once. Far above the sessions a
        // process serves concurrently, yet it caps the table (~150 bytes per lane plus its tasks, about
        // 15 MB plus tasks) when a stalled executor meets a flood of distinct keys.
        std::size_t max_lanes = 100000;
    };

    struct stats {
        std::size_t queued = 0;         // waiting, not yet started, all lanes
        std::size_t running_lanes = 0;  // lanes being run by an executor job right now
        std::size_t jobs = 0;           // executor jobs of this queue submitted or running
        std::size_t lanes = 0;          // lanes currently held (each has work)
        std::uint64_t submitted = 0;    // accepted
        std::uint64_t completed = 0;    // ran (whether the body threw or not)
        std::uint64_t rejected = 0;     // refused by max_depth or after shutdown
        std::uint64_t timed_out = 0;    // waited past request_timeout
        std::uint64_t cancelled = 0;    // removed by shutdown(cancel)
    };

    explicit lane_queue(Executor& executor, config cfg = {}, Clock clock = {})
        : executor_(executor), cfg_(cfg), clock_(std::move(clock)) {
        if (cfg_.max_depth == 0) throw_invalid_field("max_depth", "must be at least 1");
        if (cfg_.request_timeout.count() <= 0) throw_invalid_field("request_timeout", "must be positive");
        if (cfg_.max_tasks_per_turn == 0) throw_invalid_field("max_tasks_per_turn", "must be at least 1");
        if (cfg_.max_lanes == 0) throw_invalid_field("lane_queue.max_lanes", "must be at least 1");
        last_sweep_ = clock_.now();
        job_limit_ = cfg_.max_parallel_lanes;
        if (job_limit_ == 0) {
            if constexpr (requires { executor.size(); }) job_limit_ = static_cast<std::size_t>(executor.size());
            if (job_limit_ == 0) job_limit_ = static_cast<std::size_t>(-1);
        }
    }
    lane_queue(const lane_queue&) = delete;
    lane_queue& operator=(const lane_queue&) = delete;
    ~lane_queue() { shutdown(shutdown_mode::drain); }

    // Queues f() on lane `key`; the future holds its result, its exception, or an agentkit::error with
    // errc::timeout ("request_timeout") / errc::cancelled. Throws agentkit::error with
    // errc::capacity_exceeded ("max_depth") when the lane is full or ("lane_queue.max_lanes") when the key
    // has no lane and max_lanes lanes are busy, errc::cancelled after shutdown.
    template <class F>
    auto submit(std::string_view key, F&& f) -> std::future<std::invoke_result_t<std::decay_t<F>>> {
        using R = std::invoke_result_t<std::decay_t<F>>;
        auto t = std::make_unique<future_task<std::decay_t<F>, R>>(std::forward<F>(f));
        auto result = t->promise.get_future();
        enqueue(key, std::move(t));
        return result;
    }

    // Lighter form, no future: once accepted, f(lane_outcome) is called exactly once — with run when it
    // is its turn (do the work then), or with timed_out / cancelled. Same rejections as submit() (a
    // rejected f is never called). If f throws, the exception is swallowed (count it yourself if needed).
    // If the executor refuses the queue's job, waiting callbacks get cancelled and the exception propagates.
    template <class F>
    requires std::invocable < std::decay_t<F>
    &, lane_outcome > void post(std::string_view key, F&& f) {
        enqueue(key, std::make_unique<callback_task<std::decay_t<F>>>(std::forward<F>(f)));
    }

    // Refuses new work, then drains or cancels as described above; returns when no task of this queue runs
    // or waits. Idempotent. Must not be called from inside a task of this queue.
    void shutdown(shutdown_mode mode = shutdown_mode::drain) {
        task_list cancelled_tasks;
        std::unique_lock lock(mutex_);
        stopping_ = true;
        if (mode == shutdown_mode::cancel) {
            for (auto& [k, l] : lanes_) {
                stats_.cancelled += l.waiting;
                stats_.queued -= l.waiting;
                l.waiting = 0;
                cancelled_tasks.append(l.tasks);
            }
            publish_depth();
        }
        lock.unlock();
        cancelled_tasks.complete_all(lane_outcome::cancelled);
        lock.lock();
        idle_.wait(lock, [this] { return lanes_.empty() && jobs_ == 0; });
    }

    // Completes (errc::timeout / lane_outcome::timed_out) and frees every waiting task past request_timeout
    // now, erasing the lanes left empty; returns how many. The queue also does this by itself, at most once
    // per request_timeout; call it from a timer to bound how long expired tasks are held when idle.
    std::size_t sweep_expired() {
        task_list swept;
        std::size_t count = 0;
        {
            std::lock_guard lock(mutex_);
            count = sweep(clock_.now(), swept);
        }
        swept.complete_all(lane_outcome::timed_out);
        return count;
    }

    // Number of tasks a lane holds, the running one included (0 when the lane does not exist).
    std::size_t depth(std::string_view key) const {
        std::lock_guard lock(mutex_);
        auto it = lanes_.find(key);
        return it == lanes_.end() ? 0 : it->second.waiting + (it->second.executing ? 1 : 0);
    }

    stats statistics() const {
        std::lock_guard lock(mutex_);
        stats s = stats_;
        s.lanes = lanes_.size();
        s.jobs = jobs_;
        return s;
    }

    // Buckets of the lane table: it grows with the peak number of busy lanes, never with keys ever seen,
    // and shrinks back when the queue becomes idle.
    std::size_t table_buckets() const {
        std::lock_guard lock(mutex_);
        return lanes_.bucket_count();
    }

    const config& configuration() const noexcept { return cfg_; }

    // Reports the tasks waiting (agentkit_queue_depth) and each started task's wait from submission
    // (agentkit_queue_wait_seconds) as {queue="<instance>", class=""}; queues attached under one instance
    // add into the same series. Attaching again moves the queue to the new series. `registry` must outlive
    // the queue. Until this is called the queue pays one null-pointer test per change.
    template <observe::registry Registry>
    void attach_metrics(Registry& registry, std::string_view instance = "lanes") {
        const queue_series s = queue_series_in(registry, instance, "");
        std::lock_guard lock(mutex_);
        if (series_.depth) series_.depth->sub(static_cast<double>(published_depth_));
        published_depth_ = 0;
        series_ = s;
        publish_depth();
    }

private:
    struct task {
        virtual ~task() = default;
        virtual void complete(lane_outcome) noexcept = 0;
        time_point enqueued{};
        std::unique_ptr<task> next;
    };

    template <class F, class R>
    struct future_task final : task {
        explicit future_task(F&& f) : fn(std::move(f)) {}
        explicit future_task(const F& f) : fn(f) {}
        void complete(lane_outcome o) noexcept override {
            try {
                if (o == lane_outcome::run) {
                    if constexpr (std::is_void_v<R>) {
                        fn();
                        promise.set_value();
                    } else {
                        promise.set_value(fn());
                    }
                } else if (o == lane_outcome::timed_out) {
                    promise.set_exception(std::make_exception_ptr(
                        error(errc::timeout, "waited longer than the lane's request timeout", "request_timeout")));
                } else {
                    promise.set_exception(
                        std::make_exception_ptr(error(errc::cancelled, "lane queue shut down before the task ran")));
                }
            } catch (...) {
                try {
                    promise.set_exception(std::current_exception());
                } catch (...) {  // promise already satisfied: nothing left to report to
                }
            }
        }
        F fn;
        std::promise<R> promise;
    };

    template <class F>
    struct callback_task final : task {
        explicit callback_task(F&& f) : fn(std::move(f)) {}
        explicit callback_task(const F& f) : fn(f) {}
        void complete(lane_outcome o) noexcept override {
            try {
                fn(o);
            } catch (...) {}
        }
        F fn;
    };

    // Singly linked FIFO of tasks: a lane costs two pointers, no per-lane buffer.
    struct task_list {
        std::unique_ptr<task> head;
        task* tail = nullptr;
        void push(std::unique_ptr<task> t) {
            task* raw = t.get();
            if (tail)
                tail->next = std::move(t);
            else
                head = std::move(t);
            tail = raw;
        }
        std::unique_ptr<task> pop() {
            auto t = std::move(head);
            if (t) {
                head = std::move(t->next);
                if (!head) tail = nullptr;
            }
            return t;
        }
        void append(task_list& other) {
            if (!other.head) return;
            task* other_tail = other.tail;
            push(std::move(other.head));
            tail = other_tail;
            other.tail = nullptr;
        }
        void complete_all(lane_outcome o) {
            while (auto t = pop()) t->complete(o);
        }
    };

    struct lane {
        task_list tasks;
        std::size_t waiting = 0;
        bool scheduled = false;      // in the ready FIFO or being run by a job
        bool executing = false;      // one of its tasks is running now (counts toward max_depth)
        void* ready_next = nullptr;  // next node in the ready FIFO
    };

    using lane_map = string_map<lane>;
    using node = typename lane_map::value_type;
    static constexpr std::size_t shrink_buckets = 1024;

    bool expired(const task& t, time_point now) const { return now - t.enqueued > cfg_.request_timeout; }

    void enqueue(std::string_view key, std::unique_ptr<task> t) {
        task_list expired_tasks;
        bool start_job = false;
        std::unique_lock lock(mutex_);
        // A refusal first settles what the sweep removed (outside the mutex), then throws.
        auto refuse = [&](error e) {
            ++stats_.rejected;
            publish_depth();
            lock.unlock();
            expired_tasks.complete_all(lane_outcome::timed_out);
            throw std::move(e);
        };
        if (stopping_) refuse(error(errc::cancelled, "lane queue is shut down"));
        t->enqueued = clock_.now();
        if (sweep_due(t->enqueued)) sweep(t->enqueued, expired_tasks);
        auto it = lanes_.find(key);
        if (it == lanes_.end()) {
            if (lanes_.size() >= cfg_.max_lanes)
                refuse(error(errc::capacity_exceeded,
                             std::string("a new lane would exceed ")
                                 .append(std::to_string(cfg_.max_lanes))
                                 .append(" busy lanes"),
                             "lane_queue.max_lanes"));
            it = lanes_.emplace(std::string(key), lane{}).first;
        }
        node* n = &*it;  // pointers to unordered_map elements survive rehashing (iterators do not)
        lane& l = n->second;
        if (l.waiting + (l.executing ? 1 : 0) >= cfg_.max_depth) {
            // Tasks already past request_timeout will never run: settle them now so they do not hold the
            // lane full while a long task runs. At most max_depth are held, so removing one expired task
            // always makes room.
            while (l.tasks.head && expired(*l.tasks.head, t->enqueued)) {
                expired_tasks.push(l.tasks.pop());
                --l.waiting;
                --stats_.queued;
                ++stats_.timed_out;
            }
            if (l.waiting + (l.executing ? 1 : 0) >= cfg_.max_depth)
                refuse(error(errc::capacity_exceeded,
                             std::string("lane '")
                                 .append(key)
                                 .append("' already holds ")
                                 .append(std::to_string(cfg_.max_depth))
                                 .append(" requests"),
                             "max_depth"));
        }
        l.tasks.push(std::move(t));
        ++l.waiting;
        ++stats_.queued;
        ++stats_.submitted;
        if (!l.scheduled) {
            l.scheduled = true;
            push_ready(n);
            if (jobs_ < job_limit_) {
                ++jobs_;
                start_job = true;
            }
        }
        publish_depth();
        lock.unlock();
        expired_tasks.complete_all(lane_outcome::timed_out);
        if (start_job) submit_job();
    }

    bool sweep_due(time_point now) const { return now - last_sweep_ >= cfg_.request_timeout || now < last_sweep_; }

    // Mutex held. Moves every waiting task past request_timeout into `out` (the caller completes them
    // outside the mutex, which frees them) and erases the ready lanes left empty; a lane a job is running
    // is left to that job. Tasks of a lane are in submission order, so only its head needs looking at.
    std::size_t sweep(time_point now, task_list& out) {
        last_sweep_ = now;
        std::size_t count = 0;
        for (auto& entry : lanes_) {
            lane& l = entry.second;
            while (l.tasks.head && expired(*l.tasks.head, now)) {
                out.push(l.tasks.pop());
                --l.waiting;
                --stats_.queued;
                ++stats_.timed_out;
                ++count;
            }
        }
        node* prev = nullptr;
        for (node* n = ready_head_; n;) {
            node* next = static_cast<node*>(n->second.ready_next);
            if (n->second.tasks.head) {
                prev = n;
            } else {
                if (prev)
                    prev->second.ready_next = next;
                else
                    ready_head_ = next;
                if (ready_tail_ == n) ready_tail_ = prev;
                erase_lane(n);
            }
            n = next;
        }
        publish_depth();
        notify_if_idle();
        return count;
    }

    void push_ready(node* n) {
        n->second.ready_next = nullptr;
        if (ready_tail_)
            ready_tail_->second.ready_next = n;
        else
            ready_head_ = n;
        ready_tail_ = n;
    }
    node* pop_ready() {
        node* n = ready_head_;
        if (n) {
            ready_head_ = static_cast<node*>(n->second.ready_next);
            if (!ready_head_) ready_tail_ = nullptr;
        }
        return n;
    }

    void submit_job() {
        try {
            executor_.submit(std::function<void()>([this] { work(); }));
        } catch (...) {
            // The executor refused. If no other job of ours is left to serve the ready lanes, fail their
            // waiting tasks rather than strand them.
            task_list failed;
            {
                std::lock_guard lock(mutex_);
                --jobs_;
                if (jobs_ == 0)
                    while (node* n = pop_ready()) {
                        lane& l = n->second;
                        stats_.cancelled += l.waiting;
                        stats_.queued -= l.waiting;
                        l.waiting = 0;
                        failed.append(l.tasks);
                        erase_lane(n);
                    }
                publish_depth();
                notify_if_idle();
            }
            failed.complete_all(lane_outcome::cancelled);
            throw;
        }
    }

    // One executor job: takes ready lanes one after another, running up to max_tasks_per_turn tasks of
    // each; a lane with more work goes back to the tail, an empty one is erased; ends when none is ready.
    void work() {
        node* n = nullptr;
        for (;;) {
            task_list swept;
            bool done = false;
            {
                std::lock_guard lock(mutex_);
                if (n) {
                    --stats_.running_lanes;
                    if (n->second.tasks.head)
                        push_ready(n);
                    else
                        erase_lane(n);
                }
                if (const auto now = clock_.now(); sweep_due(now)) sweep(now, swept);
                n = pop_ready();
                if (n) {
                    ++stats_.running_lanes;
                } else if (!swept.head) {  // with swept tasks to settle, come back once more before ending
                    --jobs_;
                    notify_if_idle();
                    done = true;
                }
            }
            if (done) return;  // the queue may be gone now: touch nothing of it
            swept.complete_all(lane_outcome::timed_out);
            if (n) run_turn(n->second);
        }
    }

    void run_turn(lane& l) {
        for (std::size_t turn = 0; turn < cfg_.max_tasks_per_turn; ++turn) {
            std::unique_ptr<task> t;
            lane_outcome outcome = lane_outcome::run;
            {
                std::lock_guard lock(mutex_);
                l.executing = false;
                if (!l.tasks.head) return;
                t = l.tasks.pop();
                --l.waiting;
                --stats_.queued;
                const auto now = clock_.now();
                if (expired(*t, now)) {
                    outcome = lane_outcome::timed_out;
                    ++stats_.timed_out;
                } else {
                    ++stats_.completed;
                    l.executing = true;
                    if (series_.wait) series_.wait->record(now - t->enqueued);
                }
                publish_depth();
            }
            t->complete(outcome);
        }
        std::lock_guard lock(mutex_);
        l.executing = false;
    }

    // Mutex held. The lane is empty and out of the ready FIFO: reclaim it.
    void erase_lane(node* n) {
        lanes_.erase(lanes_.find(n->first));
        // The bucket array keeps the size of the busiest moment; give it back once no lane exists (no
        // node, hence no pointer, refers into the table now).
        if (lanes_.empty() && lanes_.bucket_count() > shrink_buckets) lanes_ = lane_map();
    }

    void notify_if_idle() {
        if (lanes_.empty() && jobs_ == 0) idle_.notify_all();
    }

    // Mutex held. Brings the depth gauge to stats_.queued by the difference from what this queue last
    // added, so queues sharing one series each add their own depth.
    void publish_depth() noexcept {
        if (!series_.depth || stats_.queued == published_depth_) return;
        series_.depth->add(static_cast<double>(stats_.queued) - static_cast<double>(published_depth_));
        published_depth_ = stats_.queued;
    }

    Executor& executor_;
    config cfg_;
    Clock clock_;
    mutable std::mutex mutex_;
    std::condition_variable idle_;
    lane_map lanes_;
    node* ready_head_ = nullptr;
    node* ready_tail_ = nullptr;
    std::size_t jobs_ = 0;
    std::size_t job_limit_ = 0;
    stats stats_;
    time_point last_sweep_{};
    bool stopping_ = false;
    queue_series series_{};
    std::size_t published_depth_ = 0;  // what this queue has added to series_.depth
};

}  // namespace agentkit::runtime
