#pragma once
// latency_class_queue<T>: a bounded priority queue whose priorities are latency classes (Caxton's
// message_processing.priority_queues): each class has a name, a latency budget (max_latency_ms) and its
// own bound (queue_size). Defaults are the seed's four classes:
//   critical 100 ms / 100, high 500 ms / 1000, normal 2000 ms / 5000, background 10000 ms / 10000.
//
// Dequeue rule (deterministic, no starvation):
//   1. If the head of any class has waited past its class's max_latency (it is overdue), the overdue head
//      with the EARLIEST deadline (enqueue time + max_latency) goes first, whatever its class.
//   2. Otherwise the head of the highest class (lowest index) goes first.
// Within a class order is FIFO. So while every class keeps its budget, order is strict class priority; a
// lower class that would otherwise starve becomes overdue after its own max_latency and then competes by
// deadline, which a stream of newer higher-class items cannot beat forever (their deadlines keep moving).
// Guarantee: once an item is overdue, no item with a later deadline is served before it.
//
// A full class rejects: push() throws agentkit::error(errc::capacity_exceeded) naming
// "priority_queues.<name>.queue_size"; try_push() returns false. Thread-safe (one mutex); pop_wait()
// blocks until an item arrives or close() is called.
//
// Metrics: attach_metrics(registry, instance = "priority") reports each class's waiting items
// (agentkit_queue_depth) and the wait of each popped item (agentkit_queue_wait_seconds) as
// {queue="<instance>", class="<name>"} (queue_metrics.hpp).
#include <agentkit/core/clock.hpp>
#include <agentkit/core/error.hpp>
#include <agentkit/runtime/queue_metrics.hpp>

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace agentkit::runtime {

struct latency_class {
    std::string name;
    std::chrono::milliseconds max_latency{2000};  // max_latency_ms
    std::size_t queue_size = 5000;                // queue_size
};

// The seed's classes, highest first.
inline std::vector<latency_class> default_latency_classes() {
    using std::chrono::milliseconds;
    return {{"critical", milliseconds(100), 100},
            {"high", milliseconds(500), 1000},
            {"normal", milliseconds(2000), 5000},
            {"background", milliseconds(10000), 10000}};
}

template <class T, clock_policy Clock = steady_clock>
class latency_class_queue {
public:
    using value_type = T;
    using time_point = typename Clock::time_point;
    using duration = typename Clock::duration;

    struct config {
        std::vector<latency_class> priorities = default_latency_classes();  // priority_queues.priorities
    };

    struct class_stats {
        std::string name;
        std::size_t waiting = 0;
        std::uint64_t pushed = 0;
        std::uint64_t popped = 0;
        std::uint64_t rejected = 0;
        std::uint64_t deadline_misses = 0;  // popped after waiting longer than max_latency
        duration max_wait{};                // longest wait observed at pop
    };

    struct popped_item {
        T value;
        std::size_t class_index;
        duration waited;
        bool missed_deadline;
    };

    explicit latency_class_queue(config cfg = {}, Clock clock = {}) : clock_(std::move(clock)) {
        if (cfg.priorities.empty()) throw_invalid_field("priority_queues.priorities", "needs at least one class");
        for (std::size_t i = 0; i < cfg.priorities.size(); ++i) {
            const auto& c = cfg.priorities[i];
            const std::string field = std::string("priority_queues.priorities[").append(std::to_string(i)).append("]");
            if (c.name.empty()) throw_invalid_field(field + ".name", "must not be empty");
            if (c.max_latency.count() <= 0) throw_invalid_field(field + ".max_latency_ms", "must be positive");
            if (c.queue_size == 0) throw_invalid_field(field + ".queue_size", "must be at least 1");
            for (std::size_t j = 0; j < i; ++j)
                if (cfg.priorities[j].name == c.name)
                    throw_invalid_field(field + ".name", "duplicate class '" + c.name + "'");
            classes_.push_back(lane{c, {}, {}});
            classes_.back().stats.name = c.name;
        }
    }

    latency_class_queue(const latency_class_queue&) = delete;
    latency_class_queue& operator=(const latency_class_queue&) = delete;
    // Items still queued leave the depth gauges with the queue.
    ~latency_class_queue() { bind(nullptr); }

    std::size_t class_count() const noexcept { return classes_.size(); }

    // Reports each class's depth and the waits of popped items as {queue="<instance>", class="<name>"};
    // queues attached under one instance add into the same series. Attaching again moves the queue to the
    // new series. `registry` must outlive the queue. Until this is called the queue pays one null-pointer
    // test per push and pop.
    template <observe::registry Registry>
    void attach_metrics(Registry& registry, std::string_view instance = "priority") {
        std::vector<queue_series> series;
        series.reserve(classes_.size());
        for (const auto& c : classes_) series.push_back(queue_series_in(registry, instance, c.cls.name));
        bind(&series);
    }

    // Index of the class called `name`; throws errc::not_found naming the field when there is none.
    std::size_t class_index(std::string_view name) const {
        for (std::size_t i = 0; i < classes_.size(); ++i)
            if (classes_[i].cls.name == name) return i;
        throw error(errc::not_found, std::string("no latency class '").append(name).append("'"),
                    "priority_queues.priorities");
    }

    bool try_push(std::size_t cls, T value) { return push_impl(cls, std::move(value), false); }
    void push(std::size_t cls, T value) { push_impl(cls, std::move(value), true); }
    void push(std::string_view cls, T value) { push_impl(class_index(cls), std::move(value), true); }

    // Takes the next item by the rule above, or nothing when every class is empty.
    std::optional<popped_item> try_pop() {
        std::lock_guard lock(mutex_);
        return pop_locked();
    }

    // Blocks until an item can be taken; nothing once close() was called and the queue is empty.
    std::optional<popped_item> pop_wait() {
        std::unique_lock lock(mutex_);
        ready_.wait(lock, [this] { return size_ > 0 || closed_; });
        return pop_locked();
    }

    // Refuses further pushes (they throw errc::cancelled / try_push returns false) and wakes waiters;
    // items already queued can still be popped.
    void close() {
        {
            std::lock_guard lock(mutex_);
            closed_ = true;
        }
        ready_.notify_all();
    }

    std::size_t size() const {
        std::lock_guard lock(mutex_);
        return size_;
    }

    std::vector<class_stats> statistics() const {
        std::lock_guard lock(mutex_);
        std::vector<class_stats> out;
        out.reserve(classes_.size());
        for (const auto& c : classes_) {
            out.push_back(c.stats);
            out.back().waiting = c.items.size();
        }
        return out;
    }

private:
    struct entry {
        T value;
        time_point enqueued;
    };
    // FIFO on a growable ring: after warm-up a push and a pop allocate nothing. It keeps the capacity of
    // its fullest moment, which queue_size bounds.
    class ring {
    public:
        bool empty() const noexcept { return count_ == 0; }
        std::size_t size() const noexcept { return count_; }
        entry& front() noexcept { return *slots_[head_]; }
        const entry& front() const noexcept { return *slots_[head_]; }
        void push_back(entry&& e) {
            if (count_ == slots_.size()) grow();
            slots_[(head_ + count_) % slots_.size()].emplace(std::move(e));
            ++count_;
        }
        void pop_front() noexcept {
            slots_[head_].reset();
            head_ = (head_ + 1) % slots_.size();
            --count_;
        }

    private:
        void grow() {
            std::vector<std::optional<entry>> bigger(slots_.empty() ? 16 : slots_.size() * 2);
            for (std::size_t i = 0; i < count_; ++i) bigger[i] = std::move(slots_[(head_ + i) % slots_.size()]);
            slots_ = std::move(bigger);
            head_ = 0;
        }
        std::vector<std::optional<entry>> slots_;
        std::size_t head_ = 0;
        std::size_t count_ = 0;
    };

    struct lane {
        latency_class cls;
        ring items;
        class_stats stats;
        queue_series series{};
    };

    // Moves every class to series[i] (nullptr: to none), taking its waiting items out of the old depth
    // gauge and into the new one.
    void bind(const std::vector<queue_series>* series) noexcept {
        std::lock_guard lock(mutex_);
        for (std::size_t i = 0; i < classes_.size(); ++i) {
            lane& c = classes_[i];
            const auto waiting = static_cast<double>(c.items.size());
            if (c.series.depth) c.series.depth->sub(waiting);
            c.series = series ? (*series)[i] : queue_series{};
            if (c.series.depth) c.series.depth->add(waiting);
        }
    }

    bool push_impl(std::size_t cls, T&& value, bool throwing) {
        {
            std::lock_guard lock(mutex_);
            if (cls >= classes_.size()) {
                if (!throwing) return false;
                throw error(errc::invalid_argument,
                            std::string("class index ").append(std::to_string(cls)).append(" out of range"),
                            "priority_queues.priorities");
            }
            lane& c = classes_[cls];
            if (closed_) {
                ++c.stats.rejected;
                if (!throwing) return false;
                throw error(errc::cancelled, "latency_class_queue is closed");
            }
            if (c.items.size() >= c.cls.queue_size) {
                ++c.stats.rejected;
                if (!throwing) return false;
                throw error(errc::capacity_exceeded,
                            "class '" + c.cls.name + "' already holds " + std::to_string(c.cls.queue_size) + " items",
                            "priority_queues." + c.cls.name + ".queue_size");
            }
            c.items.push_back(entry{std::move(value), clock_.now()});
            if (c.series.depth) c.series.depth->increment();
            ++c.stats.pushed;
            ++size_;
        }
        ready_.notify_one();
        return true;
    }

    std::optional<popped_item> pop_locked() {
        if (size_ == 0) return std::nullopt;
        const time_point now = clock_.now();
        std::size_t pick = classes_.size();
        std::size_t first_nonempty = classes_.size();
        time_point earliest_overdue{};
        for (std::size_t i = 0; i < classes_.size(); ++i) {
            const lane& c = classes_[i];
            if (c.items.empty()) continue;
            if (first_nonempty == classes_.size()) first_nonempty = i;
            const time_point deadline = c.items.front().enqueued + c.cls.max_latency;
            if (now > deadline && (pick == classes_.size() || deadline < earliest_overdue)) {
                pick = i;
                earliest_overdue = deadline;
            }
        }
        if (pick == classes_.size()) pick = first_nonempty;
        lane& c = classes_[pick];
        entry e = std::move(c.items.front());
        c.items.pop_front();
        --size_;
        const duration waited = now - e.enqueued;
        if (c.series.depth) {
            c.series.depth->decrement();
            c.series.wait->record(waited);
        }
        const bool missed = waited > c.cls.max_latency;
        ++c.stats.popped;
        if (missed) ++c.stats.deadline_misses;
        c.stats.max_wait = std::max(c.stats.max_wait, waited);
        return popped_item{std::move(e.value), pick, waited, missed};
    }

    Clock clock_;
    mutable std::mutex mutex_;
    std::condition_variable ready_;
    std::vector<lane> classes_;
    std::size_t size_ = 0;
    bool closed_ = false;
};

}  // namespace agentkit::runtime
