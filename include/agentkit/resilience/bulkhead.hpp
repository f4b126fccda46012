#pragma once
// A bulkhead: at most max_concurrent_calls calls in flight to one dependency (the seeds'
// <provider>_concurrent_requests), so one slow provider cannot take every connection and thread. A caller
// that finds it full either is refused at once (try_acquire) or waits in a FIFO queue of at most
// max_wait_queue callers for at most max_wait_duration (`co_await async_acquire(bulkhead)`, in
// resilience/async_acquire.hpp: on a timer, no thread blocks). A permit releases its slot when destroyed,
// handing it straight to the first waiter. Owned by one strand/io_context thread (not thread-safe).
// This header needs no Asio: the waiting lives with the timer, in async_acquire.hpp.
#include <agentkit/core/coroutine_frames.hpp>
#include <agentkit/core/error.hpp>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <deque>
#include <utility>

AGENTKIT_COROUTINES_BEGIN
namespace agentkit::resilience {

class bulkhead {
public:
    struct config {
        std::uint32_t max_concurrent_calls = 10;             // Victor: openai_concurrent_requests 10
        std::uint32_t max_wait_queue = 100;                  // callers allowed to wait; more are refused
        std::chrono::milliseconds max_wait_duration{30000};  // the longest a caller waits (Victor: timeout 30 s)
    };

    // A slot; empty when refused. Movable, releases on destruction.
    class permit {
    public:
        permit() = default;
        permit(permit&& o) noexcept : owner_(std::exchange(o.owner_, nullptr)) {}
        permit& operator=(permit&& o) noexcept {
            if (this != &o) {
                reset();
                owner_ = std::exchange(o.owner_, nullptr);
            }
            return *this;
        }
        ~permit() { reset(); }
        explicit operator bool() const noexcept { return owner_ != nullptr; }
        void reset() noexcept {
            if (owner_) std::exchange(owner_, nullptr)->release();
        }

    private:
        friend class bulkhead;
        explicit permit(bulkhead* owner) noexcept : owner_(owner) {}
        bulkhead* owner_ = nullptr;
    };

    bulkhead() : bulkhead(config{}) {}
    explicit bulkhead(config cfg) : cfg_(cfg) {
        if (cfg_.max_concurrent_calls == 0) throw_invalid_field("bulkhead.max_concurrent_calls", "must be at least 1");
        if (cfg_.max_wait_duration.count() < 0)
            throw_invalid_field("bulkhead.max_wait_duration", "must not be negative");
    }
    bulkhead(const bulkhead&) = delete;
    bulkhead& operator=(const bulkhead&) = delete;

    permit try_acquire() noexcept {
        if (in_flight_ < cfg_.max_concurrent_calls && waiters_.empty()) {
            ++in_flight_;
            return permit(this);
        }
        ++rejected_;
        return permit();
    }

    // The FIFO a caller waits in while the bulkhead is full. release() hands its slot to the first waiter:
    // it sets `granted`, then calls wake(context) (async_acquire cancels its timer there).
    struct waiter {
        void (*wake)(void* context) noexcept = nullptr;
        void* context = nullptr;
        bool granted = false;
    };

    // A slot at once; or, when full and the queue has room, `w` queued (an empty permit and queued = true:
    // wait for wake, then finish_wait); or refused (an empty permit, queued = false, counted in rejected()).
    permit acquire_or_queue(waiter& w, bool& queued) noexcept {
        queued = false;
        if (in_flight_ < cfg_.max_concurrent_calls && waiters_.empty()) {
            ++in_flight_;
            return permit(this);
        }
        if (waiters_.size() >= cfg_.max_wait_queue || cfg_.max_wait_duration.count() == 0) {
            ++rejected_;
            return permit();
        }
        waiters_.push_back(&w);
        queued = true;
        return permit();
    }

    // After a queued wait ended (woken, timed out or cancelled): the slot release() handed over, or an empty
    // permit, the waiter out of the queue and counted as rejected.
    permit finish_wait(waiter& w) noexcept {
        if (w.granted) return permit(this);
        if (const auto it = std::find(waiters_.begin(), waiters_.end(), &w); it != waiters_.end()) waiters_.erase(it);
        ++rejected_;
        return permit();
    }

    std::uint32_t in_flight() const noexcept { return in_flight_; }
    std::size_t waiting() const noexcept { return waiters_.size(); }
    std::uint64_t rejected() const noexcept { return rejected_; }
    const config& configuration() const noexcept { return cfg_; }

private:
    void release() noexcept {
        if (!waiters_.empty()) {  // the slot passes to the first waiter; in_flight_ is unchanged
            waiter* w = waiters_.front();
            waiters_.pop_front();
            w->granted = true;
            if (w->wake) w->wake(w->context);
            return;
        }
        --in_flight_;
    }

    config cfg_;
    std::uint32_t in_flight_ = 0;
    std::uint64_t rejected_ = 0;
    std::deque<waiter*> waiters_;
};

}  // namespace agentkit::resilience
AGENTKIT_COROUTINES_END
