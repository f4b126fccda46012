#pragma once
// retry<Backoff, Classifier>: calls an operation until it succeeds, the classifier says the failure is not
// worth retrying, max_attempts calls were made, the (overall) deadline would pass, or the retry budget is
// spent. Waits follow the backoff policy, lengthened to the server's Retry-After when it asks for more,
// and never longer than max_delay.
//
//   retry<exponential_backoff<full_jitter>> r;                    // the seeds' defaults: 3 attempts, 1 s, x2, 30 s
//   outcome<std::string> o = r.execute([&](const attempt<>& a) { return call_provider(a.deadline); },
//                                      thread_sleeper{});
//
// The synchronous form takes a sleeper (a test passes one that advances a manual clock); async_retry.hpp
// runs the same decisions on Boost.Asio timers. decide() is the whole policy, allocation-free, so it can be
// used by any other driver too.
#include <agentkit/core/clock.hpp>
#include <agentkit/core/error.hpp>
#include <agentkit/core/random_seed.hpp>
#include <agentkit/core/sleep.hpp>
#include <agentkit/resilience/backoff_policy.hpp>
#include <agentkit/resilience/classifier.hpp>
#include <agentkit/resilience/deadline.hpp>
#include <agentkit/resilience/failure.hpp>
#include <agentkit/resilience/retry_budget.hpp>

#include <chrono>
#include <concepts>
#include <cstdint>
#include <random>
#include <type_traits>
#include <utility>

namespace agentkit::resilience {

enum class give_up_reason {
    none,                  // still retrying
    not_retryable,         // the classifier said stop
    attempts_exhausted,    // max_attempts calls made
    deadline,              // the next attempt could not start before the deadline
    budget_exhausted,      // the retry budget refused
    retry_after_too_long,  // the server asked for a wait longer than max_delay
    cancelled,             // the caller cancelled (async form)
};

inline const char* to_string(give_up_reason r) noexcept {
    switch (r) {
        case give_up_reason::none: return "none";
        case give_up_reason::not_retryable: return "not retryable";
        case give_up_reason::attempts_exhausted: return "attempts exhausted";
        case give_up_reason::deadline: return "deadline";
        case give_up_reason::budget_exhausted: return "retry budget exhausted";
        case give_up_reason::retry_after_too_long: return "Retry-After longer than max delay";
        case give_up_reason::cancelled: return "cancelled";
    }
    return "unknown";
}

// What to do with a Retry-After longer than max_delay: give up (the caller may fall back elsewhere),
// wait max_delay anyway, or ignore the header and use the backoff (what OpenAI's client does).
enum class long_retry_after { give_up, clamp, ignore };

struct retry_config {
    std::uint32_t max_attempts = 3;              // all calls, the first included (seeds: maxAttempts)
    std::chrono::milliseconds max_delay{30000};  // no single wait is longer (seeds: maxDelayMs)
    std::chrono::milliseconds timeout{0};        // overall deadline for all attempts and waits; 0 = none
    bool honor_retry_after = true;               // wait at least what the server's Retry-After says
    long_retry_after on_long_retry_after = long_retry_after::give_up;
    std::uint64_t seed = 0;  // jitter's random seed; 0 = a fresh one per retry object
};

struct retry_decision {
    bool retry = false;
    std::chrono::nanoseconds delay{0};
    give_up_reason reason = give_up_reason::none;
};

// What the operation is told about the attempt it makes: its number (1-based) and the deadline it must
// respect (pass it down, e.g. as the request timeout).
template <clock_policy Clock = steady_clock>
struct attempt {
    std::uint32_t number;
    resilience::deadline<Clock> deadline;
};

// Per-attempt hooks for metrics. A hooks type implements any subset of these members:
//   on_attempt(std::uint32_t n)                            before each call
//   on_retry(std::uint32_t n, nanoseconds delay, const failure&)   call n failed, retrying after delay
//   on_give_up(give_up_reason, const failure&)             the last failure is returned
//   on_success(std::uint32_t n)                            call n succeeded
struct no_hooks {};

namespace detail {
template <class H>
void hook_attempt(H& h, std::uint32_t n) {
    if constexpr (requires { h.on_attempt(n); }) h.on_attempt(n);
}
template <class H>
void hook_retry(H& h, std::uint32_t n, std::chrono::nanoseconds d, const failure& f) {
    if constexpr (requires { h.on_retry(n, d, f); }) h.on_retry(n, d, f);
}
template <class H>
void hook_give_up(H& h, give_up_reason r, const failure& f) {
    if constexpr (requires { h.on_give_up(r, f); }) h.on_give_up(r, f);
}
template <class H>
void hook_success(H& h, std::uint32_t n) {
    if constexpr (requires { h.on_success(n); }) h.on_success(n);
}
inline std::uint64_t seed_or_random(std::uint64_t seed) noexcept { return seed != 0 ? seed : fresh_seed(); }
}  // namespace detail

// Blocks the calling thread (core/sleep.hpp): for programs without an event loop. Tests pass a sleeper that
// moves a manual_clock instead.
using agentkit::thread_sleeper;

template <class Backoff, class Classifier = default_classifier, class Clock = steady_clock>
class retry {
    static_assert(backoff_policy<Backoff>,
                  "agentkit::resilience::retry<Backoff, Classifier, Clock>: Backoff is not a backoff policy (needs "
                  "delay(attempt, previous, random) -> std::chrono::nanoseconds)");
    static_assert(
        retry_classifier<Classifier>,
        "agentkit::resilience::retry<Backoff, Classifier, Clock>: Classifier is not a retry classifier (needs "
        "classify(const failure&) -> verdict)");
    static_assert(clock_policy<Clock>,
                  "agentkit::resilience::retry<Backoff, Classifier, Clock>: Clock is not a clock policy (needs now())");

public:
    using config = retry_config;
    using backoff_type = Backoff;
    using classifier_type = Classifier;
    using clock_type = Clock;
    using time_point = typename Clock::time_point;
    using budget_type = retry_budget<Clock>;

    retry() : retry(retry_config{}) {}
    explicit retry(retry_config cfg, Backoff backoff = {}, Classifier classifier = {}, Clock clock = {},
                   budget_type* budget = nullptr)
        : cfg_(cfg),
          backoff_(std::move(backoff)),
          classifier_(std::move(classifier)),
          clock_(clock),
          budget_(budget),
          random_(detail::seed_or_random(cfg.seed)) {
        if (cfg_.max_attempts == 0) throw_invalid_field("retry.max_attempts", "must be at least 1 (1 = no retry)");
        if (cfg_.max_delay.count() < 0) throw_invalid_field("retry.max_delay", "must not be negative");
        if (cfg_.timeout.count() < 0) throw_invalid_field("retry.timeout", "must not be negative");
    }

    const retry_config& configuration() const noexcept { return cfg_; }
    const Backoff& backoff() const noexcept { return backoff_; }
    const Classifier& classifier() const noexcept { return classifier_; }
    const Clock& clock() const noexcept { return clock_; }
    std::mt19937_64& random() noexcept { return random_; }
    budget_type* budget() const noexcept { return budget_; }

    // The policy: after call number `calls_made` failed with `f`, retry or not, and after how long.
    // `previous` is the delay slept before the failed call (zero for the first). Allocation-free.
    template <std::uniform_random_bit_generator G>
    retry_decision decide(std::uint32_t calls_made, const failure& f, std::chrono::nanoseconds previous, G& random,
                          time_point now, const resilience::deadline<Clock>& dl) {
        if (classifier_.classify(f) == verdict::stop) return {false, {}, give_up_reason::not_retryable};
        if (calls_made >= cfg_.max_attempts) return {false, {}, give_up_reason::attempts_exhausted};
        const std::chrono::nanoseconds max_delay = cfg_.max_delay;
        std::chrono::nanoseconds d = backoff_.delay(calls_made, previous, random);
        if (cfg_.honor_retry_after && f.retry_after) {
            const bool too_long = *f.retry_after > max_delay;
            if (too_long && cfg_.on_long_retry_after == long_retry_after::give_up)
                return {false, {}, give_up_reason::retry_after_too_long};
            if (*f.retry_after > d && !(too_long && cfg_.on_long_retry_after == long_retry_after::ignore))
                d = *f.retry_after;
        }
        if (d > max_delay) d = max_delay;
        if (d < std::chrono::nanoseconds(0)) d = std::chrono::nanoseconds(0);
        if (!dl.is_never() && dl.remaining(now) <= d) return {false, {}, give_up_reason::deadline};
        if (budget_ && !budget_->try_withdraw()) return {false, {}, give_up_reason::budget_exhausted};
        return {true, d, give_up_reason::none};
    }
    retry_decision decide(std::uint32_t calls_made, const failure& f, std::chrono::nanoseconds previous) {
        return decide(calls_made, f, previous, random_, clock_.now(), resilience::deadline<Clock>::never());
    }

    // The deadline one execution runs under: the caller's, shortened by timeout.
    resilience::deadline<Clock> effective_deadline(time_point start,
                                                   const resilience::deadline<Clock>& dl) const noexcept {
        if (cfg_.timeout.count() == 0) return dl;
        return dl.child(start, cfg_.timeout);
    }

    // Runs op(const attempt<Clock>&) -> outcome<T> under the policy; sleep(nanoseconds) waits between calls.
    template <class Op, class Sleeper, class Hooks = no_hooks>
    requires std::invocable < Op&, const attempt<Clock>
    & > &&sleeper<Sleeper> auto execute(Op&& op, Sleeper&& sleep, Hooks&& hooks = {},
                                        resilience::deadline<Clock> dl = resilience::deadline<Clock>::never())
              -> std::invoke_result_t<Op&, const attempt<Clock>&> {
        using result = std::invoke_result_t<Op&, const attempt<Clock>&>;
        static_assert(
            is_outcome<result>::value,
            "agentkit::resilience::retry::execute: the operation must return agentkit::resilience::outcome<T>");
        if (cfg_.timeout.count() != 0) dl = effective_deadline(clock_.now(), dl);
        if (budget_) budget_->deposit();
        std::chrono::nanoseconds previous{0};
        for (std::uint32_t n = 1;; ++n) {
            if (!dl.is_never() && dl.expired(clock_.now())) {
                failure f = failure::from_errc(
                    errc::timeout, std::string("deadline passed before attempt ").append(std::to_string(n)));
                detail::hook_give_up(hooks, give_up_reason::deadline, f);
                return result(std::move(f));
            }
            detail::hook_attempt(hooks, n);
            result r = op(attempt<Clock>{n, dl});
            if (r.has_value()) {
                detail::hook_success(hooks, n);
                return r;
            }
            const retry_decision d = decide(n, r.error(), previous, random_, now_if(dl), dl);
            if (!d.retry) {
                detail::hook_give_up(hooks, d.reason, r.error());
                return r;
            }
            detail::hook_retry(hooks, n, d.delay, r.error());
            sleep(d.delay);
            previous = d.delay;
        }
    }

    // The clock is read only when a deadline needs it (a clock read costs more than a decision).
    time_point now_if(const resilience::deadline<Clock>& dl) const noexcept {
        return dl.is_never() ? time_point{} : clock_.now();
    }

private:
    retry_config cfg_;
    [[no_unique_address]] Backoff backoff_;
    Classifier classifier_;
    [[no_unique_address]] Clock clock_;
    budget_type* budget_;
    std::mt19937_64 random_;
};

}  // namespace agentkit::resilience
