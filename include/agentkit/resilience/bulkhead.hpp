#pragma once
// A bulkhead: at most max_concurrent_calls calls in flight to one dependency (the seeds'
// <provider>_concurrent_requests), so one slow provider cannot take every connection and thread. A caller
// that finds it full either is refused at once (try_acquire) or waits in a FIFO queue of at most
// max_wait_queue callers for at most max_wait_duration_ms (async_acquire, on a timer: no thread blocks).
// A permit releases its slot when destroyed, handing it straight to the first waiter.
// Owned by one strand/io_context thread (not thread-safe).
#include <agentkit/core/error.hpp>
#include <agentkit/resilience/async_sleep.hpp>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <deque>
#include <utility>

namespace agentkit::resilience {

class bulkhead {
public:
    struct config {
        std::uint32_t max_concurrent_calls = 10;             // Victor: openai_concurrent_requests 10
        std::uint32_t max_wait_queue = 100;                  // callers allowed to wait; more are refused
        std::chrono::milliseconds max_wait_duration_ms{30000};  // the longest a caller waits (Victor: timeout 30 s)
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
        if (cfg_.max_wait_duration_ms.count() < 0) throw_invalid_field("bulkhead.max_wait_duration_ms", "must not be negative");
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

    asio::awaitable<permit> async_acquire() {
        if (in_flight_ < cfg_.max_concurrent_calls && waiters_.empty()) {
            ++in_flight_;
            co_return permit(this);
        }
        if (waiters_.size() >= cfg_.max_wait_queue || cfg_.max_wait_duration_ms.count() == 0) {
            ++rejected_;
            co_return permit();
        }
        asio::steady_timer timer(co_await asio::this_coro::executor);
        timer.expires_after(cfg_.max_wait_duration_ms);
        waiter w{&timer, false};
        waiters_.push_back(&w);
        try {
            boost::system::error_code ec;
            co_await timer.async_wait(asio::redirect_error(asio::use_awaitable, ec));
        } catch (const boost::system::system_error&) {
            // cancelled: handled below
        }
        if (w.granted) co_return permit(this);  // release() handed its slot to us
        waiters_.erase(std::find(waiters_.begin(), waiters_.end(), &w));
        ++rejected_;
        co_return permit();
    }

    std::uint32_t in_flight() const noexcept { return in_flight_; }
    std::size_t waiting() const noexcept { return waiters_.size(); }
    std::uint64_t rejected() const noexcept { return rejected_; }
    const config& settings() const noexcept { return cfg_; }

private:
    struct waiter {
        asio::steady_timer* timer;
        bool granted;
    };

    void release() noexcept {
        if (!waiters_.empty()) {  // the slot passes to the first waiter; in_flight_ is unchanged
            waiter* w = waiters_.front();
            waiters_.pop_front();
            w->granted = true;
            w->timer->cancel();
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
