#pragma once
// batcher<T>: groups items into batches (Caxton's message_processing.batch_processing). A batch is sealed
// when it holds batch_size items (100) or when batch_timeout (50 ms) has passed since its FIRST item,
// whichever comes first. Sealed batches wait in a bounded queue of max_batches_queued (10) until a
// consumer takes them. Memory is bounded by (max_batches_queued + 1) * batch_size items: when the queue
// of sealed batches is full and the open batch is full too, add() rejects with errc::capacity_exceeded
// naming "max_batches_queued" (try_add() returns false) — the caller's backpressure signal; an item is
// never dropped silently. A timed-out open batch that cannot be sealed (queue full) stays open and is
// sealed as soon as a consumer makes room.
// Time only moves through the Clock policy: poll() seals a timed-out batch, try_take() polls first, and
// next_deadline() tells a driver when to poll next, so tests run on manual_clock without sleeping.
// close() flushes: the open batch is sealed whatever its size (even past max_batches_queued, so nothing is
// lost) and further adds are refused with errc::cancelled; the remaining batches can still be taken.
// Thread-safe (one mutex); take_wait() blocks for a batch on clocks whose time_point is steady_clock's.
#include <agentkit/core/clock.hpp>
#include <agentkit/core/error.hpp>

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <mutex>
#include <optional>
#include <type_traits>
#include <utility>
#include <vector>

namespace agentkit::runtime {

template <class T, clock_policy Clock = steady_clock>
class batcher {
public:
    using value_type = T;
    using batch = std::vector<T>;
    using time_point = typename Clock::time_point;

    struct config {
        std::size_t batch_size = 100;                 // batch_processing.batch_size
        std::chrono::milliseconds batch_timeout{50};  // batch_processing.batch_timeout ("50ms")
        std::size_t max_batches_queued = 10;          // batch_processing.max_batches_queued
    };

    struct stats {
        std::uint64_t added = 0;
        std::uint64_t rejected = 0;
        std::uint64_t sealed_full = 0;     // sealed because batch_size was reached
        std::uint64_t sealed_timeout = 0;  // sealed because batch_timeout passed
        std::uint64_t sealed_flush = 0;    // sealed by flush() / close()
        std::uint64_t taken = 0;
        std::size_t queued_batches = 0;
        std::size_t open_items = 0;
    };

    explicit batcher(config cfg = {}, Clock clock = {}) : cfg_(cfg), clock_(std::move(clock)) {
        if (cfg_.batch_size == 0) throw_invalid_field("batch_size", "must be at least 1");
        if (cfg_.batch_timeout.count() < 0) throw_invalid_field("batch_timeout", "must not be negative");
        if (cfg_.max_batches_queued == 0) throw_invalid_field("max_batches_queued", "must be at least 1");
        open_.reserve(cfg_.batch_size);
    }

    // Adds one item; false when full (see above) or closed.
    bool try_add(T item) { return add_impl(std::move(item), false); }
    // Adds one item; throws errc::capacity_exceeded ("max_batches_queued") or errc::cancelled (closed).
    void add(T item) { add_impl(std::move(item), true); }

    // Seals the open batch if its batch_timeout passed and there is room; true when it did.
    bool poll() {
        bool sealed;
        {
            std::lock_guard lock(mutex_);
            sealed = poll_locked(clock_.now());
        }
        if (sealed) ready_.notify_one();
        return sealed;
    }

    // When the open batch times out (nothing when there is no open batch).
    std::optional<time_point> next_deadline() const {
        std::lock_guard lock(mutex_);
        if (open_.empty()) return std::nullopt;
        return first_at_ + cfg_.batch_timeout;
    }

    // Polls, then takes the oldest sealed batch if any.
    std::optional<batch> try_take() {
        std::lock_guard lock(mutex_);
        poll_locked(clock_.now());
        return take_locked();
    }

    // Seals the open batch now, whatever its size (a no-op when it is empty).
    void flush() {
        {
            std::lock_guard lock(mutex_);
            if (!open_.empty()) seal_locked(stats_.sealed_flush);
        }
        ready_.notify_all();
    }

    // flush(), then refuse further adds; waiters wake and drain what is left.
    void close() {
        {
            std::lock_guard lock(mutex_);
            if (!open_.empty()) seal_locked(stats_.sealed_flush);
            closed_ = true;
        }
        ready_.notify_all();
    }

    // Blocks until a batch is sealed (by size, by timeout, or by close) and takes it; nothing once closed
    // and empty. Real-time waiting needs a clock on std::chrono::steady_clock's time line.
    std::optional<batch> take_wait() requires std::is_same_v<time_point, std::chrono::steady_clock::time_point> {
        std::unique_lock lock(mutex_);
        for (;;) {
            poll_locked(clock_.now());
            if (!sealed_.empty()) return take_locked();
            if (closed_) return std::nullopt;
            if (open_.empty())
                ready_.wait(lock);
            else
                ready_.wait_until(lock, first_at_ + cfg_.batch_timeout);
        }
    }

    stats statistics() const {
        std::lock_guard lock(mutex_);
        stats s = stats_;
        s.queued_batches = sealed_.size();
        s.open_items = open_.size();
        return s;
    }

    const config& configuration() const noexcept { return cfg_; }

private:
    bool add_impl(T&& item, bool throwing) {
        bool sealed = false;
        bool first = false;
        {
            std::lock_guard lock(mutex_);
            if (closed_) {
                ++stats_.rejected;
                if (!throwing) return false;
                throw error(errc::cancelled, "batcher is closed");
            }
            const time_point now = clock_.now();
            sealed = poll_locked(now);
            if (open_.size() >= cfg_.batch_size) {  // open batch full and the queue had no room to seal it
                ++stats_.rejected;
                if (!throwing) return false;
                throw error(errc::capacity_exceeded,
                            std::to_string(cfg_.max_batches_queued) + " batches already wait for a consumer",
                            "max_batches_queued");
            }
            if (open_.empty()) {
                first_at_ = now;
                first = true;
            }
            open_.push_back(std::move(item));
            ++stats_.added;
            if (open_.size() >= cfg_.batch_size && sealed_.size() < cfg_.max_batches_queued) {
                seal_locked(stats_.sealed_full);
                sealed = true;
            }
        }
        if (sealed || first) ready_.notify_one();  // a waiter may need to start its timeout
        return true;
    }

    // Seals a full or timed-out open batch when the sealed queue has room.
    bool poll_locked(time_point now) {
        if (open_.empty() || sealed_.size() >= cfg_.max_batches_queued) return false;
        if (open_.size() >= cfg_.batch_size) {
            seal_locked(stats_.sealed_full);
            return true;
        }
        if (now - first_at_ >= cfg_.batch_timeout) {
            seal_locked(stats_.sealed_timeout);
            return true;
        }
        return false;
    }

    void seal_locked(std::uint64_t& counter) {
        sealed_.push_back(std::move(open_));
        open_ = batch();
        open_.reserve(cfg_.batch_size);
        ++counter;
    }

    std::optional<batch> take_locked() {
        if (sealed_.empty()) return std::nullopt;
        batch b = std::move(sealed_.front());
        sealed_.pop_front();
        ++stats_.taken;
        // Room freed: a full or timed-out open batch waiting for it is sealed now.
        poll_locked(clock_.now());
        return b;
    }

    config cfg_;
    Clock clock_;
    mutable std::mutex mutex_;
    std::condition_variable ready_;
    batch open_;
    time_point first_at_{};
    std::deque<batch> sealed_;
    stats stats_;
    bool closed_ = false;
};

}  // namespace agentkit::runtime
