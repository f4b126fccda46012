#pragma once
// Sessions policy (Flynn's `sessions` and `automation.sessionPruner` blocks): a session idle longer than
// ttl expires; beyond max_sessions the least recently active are evicted; a pruner runs both on an
// interval from an Asio timer and keeps counts of what it removed.
#include <agentkit/core/duration_text.hpp>
#include <agentkit/core/error.hpp>
#include <agentkit/storage/store_maintenance.hpp>
#include <agentkit/storage/records.hpp>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/steady_timer.hpp>

#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

namespace agentkit::storage {

struct session_config {
    std::chrono::milliseconds ttl = std::chrono::hours(24 * 7);  // ttl '7d'
    std::size_t max_sessions = 100;                              // maxSessions
    bool pruner_enabled = true;                                  // sessionPruner.enabled
    std::chrono::milliseconds interval = std::chrono::hours(1);  // sessionPruner.interval '1h'

    void validate() const {
        if (ttl.count() <= 0) throw_invalid_field("sessions.ttl", "must be positive");
        if (max_sessions == 0) throw_invalid_field("sessions.maxSessions", "must be at least 1");
        if (interval.count() <= 0) throw_invalid_field("automation.sessionPruner.interval", "must be positive");
    }
    // The seeds' tuning advice.
    static session_config memory_efficiency() { return {std::chrono::hours(24), 50, true, std::chrono::hours(1)}; }
    static session_config long_term_memory() { return {std::chrono::hours(24 * 30), 200, true, std::chrono::hours(1)}; }
};

// "7d", "1h", "30m", "45s", "250ms" -> milliseconds (core/duration_text.hpp).
using agentkit::parse_duration;

// Runs store.prune(ttl, max_sessions) every interval on the given executor. The store must outlive the
// pruner; stop() (or destruction) cancels the timer. Not thread-safe itself: use it from its executor.
template <store_maintenance Store>
class session_pruner {
public:
    using config = session_config;
    using on_prune = std::function<void(const prune_counts&)>;

    session_pruner(boost::asio::any_io_executor ex, Store& store, session_config cfg, on_prune callback = {})
        : state_(std::make_shared<state>(ex, store, cfg, std::move(callback))) {
        cfg.validate();
    }
    ~session_pruner() { stop(); }
    session_pruner(const session_pruner&) = delete;
    session_pruner& operator=(const session_pruner&) = delete;

    // Arms the timer: the first prune runs one interval from now.
    void start() {
        if (!state_->cfg.pruner_enabled || state_->running) return;
        state_->running = true;
        arm(state_);
    }
    void stop() {
        state_->running = false;
        state_->timer.cancel();
    }
    // One prune now (also what the timer runs).
    prune_counts run_once() { return prune(*state_); }

    const prune_counts& totals() const noexcept { return state_->totals; }
    std::size_t runs() const noexcept { return state_->runs; }
    bool running() const noexcept { return state_->running; }

private:
    struct state {
        state(boost::asio::any_io_executor ex, Store& s, session_config c, on_prune cb)
            : timer(ex), store(s), cfg(c), callback(std::move(cb)) {}
        boost::asio::steady_timer timer;
        Store& store;
        session_config cfg;
        on_prune callback;
        prune_counts totals{};
        std::size_t runs = 0;
        bool running = false;
    };
    static prune_counts prune(state& s) {
        const auto counts = s.store.prune(s.cfg.ttl, s.cfg.max_sessions);
        s.totals += counts;
        ++s.runs;
        if (s.callback) s.callback(counts);
        return counts;
    }
    static void arm(const std::shared_ptr<state>& s) {
        s->timer.expires_after(s->cfg.interval);
        s->timer.async_wait([weak = std::weak_ptr<state>(s)](const boost::system::error_code& ec) {
            auto self = weak.lock();
            if (ec || !self || !self->running) return;
            prune(*self);  // a prune that throws (database gone) propagates out of io_context::run
            if (self->running) arm(self);
        });
    }
    std::shared_ptr<state> state_;
};

}  // namespace agentkit::storage
