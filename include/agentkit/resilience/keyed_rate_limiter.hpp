#pragma once
// A rate limiter per key (client IP, API key, session) in a table of fixed size: memory is max_keys * 16
// bytes, allocated once, and cannot grow with hostile keys. The table is 8-way set-associative on a 64-bit
// hash of the key. A key whose state went idle (its bucket refilled) is equivalent to no entry, so its
// slot is reused without changing any answer. When every way of a set is busy, the entry closest to idle
// is evicted (counted in evictions()): that key restarts with a full burst; size max_keys for the number
// of keys active within one refill time so that it stays rare. Keys are hashed, not stored: two keys
// colliding on 64 bits (~n^2 / 2^65) share a limit.
// Keys are hashed with SipHash-1-3 under a secret key drawn per instance (core/keyed_hash.hpp): nobody outside
// the process can craft keys that share a set (evicting each other's state) or collide on 64 bits (sharing
// one limit), which an unkeyed hash such as std::hash would allow, whatever mixing followed it.
// Mutex: no_mutex (one strand owns it) or std::mutex.
#include <agentkit/core/clock.hpp>
#include <agentkit/core/error.hpp>
#include <agentkit/core/keyed_hash.hpp>
#include <agentkit/core/random_seed.hpp>
#include <agentkit/resilience/rate_limit_algorithm.hpp>
#include <agentkit/resilience/rate_limiter.hpp>
#include <agentkit/resilience/sync_policy.hpp>

#include <bit>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string_view>

namespace agentkit::resilience {

template <class Algorithm, class Clock = steady_clock, class Mutex = no_mutex>
class keyed_rate_limiter {
    static_assert(rate_limit_algorithm<Algorithm>,
                  "agentkit::resilience::keyed_rate_limiter<A, Clock, Mutex>: A is not a rate-limit algorithm (gcra, "
                  "token_bucket, or a type with empty, step(state, now, quantity, out), idle(state, now), limit())");
    static_assert(clock_policy<Clock>,
                  "agentkit::resilience::keyed_rate_limiter<A, Clock, Mutex>: Clock is not a clock policy");

public:
    struct config {
        std::size_t max_keys = 65536;  // rounded up to a power of two, at least 8
        std::uint64_t hash_seed = 0;   // 0 = a fresh secret per instance; fix one only for reproducible tests
    };
    static constexpr std::size_t ways = 8;

    explicit keyed_rate_limiter(Algorithm algorithm = {}, config cfg = {}, Clock clock = {})
        : algorithm_(algorithm),
          clock_(clock),
          seed_(cfg.hash_seed != 0 ? cfg.hash_seed : fresh_seed()),
          key_{seed_, cfg.hash_seed != 0 ? ~cfg.hash_seed : fresh_seed()} {
        if (cfg.max_keys == 0 || cfg.max_keys > (std::size_t{1} << 32))
            throw_invalid_field("rate_limit.max_keys", "must be within [1, 2^32]");
        const std::size_t slots = std::bit_ceil(cfg.max_keys < ways ? ways : cfg.max_keys);
        mask_ = slots / ways - 1;
        table_ = std::make_unique<entry[]>(slots);
        capacity_ = slots;
    }

    bool try_acquire(std::string_view key, std::int64_t quantity = 1) { return run(key, quantity, nullptr); }
    rate_limit_result check(std::string_view key, std::int64_t quantity = 1) {
        rate_limit_result r;
        run(key, quantity, &r);
        return r;
    }

    std::size_t capacity() const noexcept { return capacity_; }
    std::size_t memory_bytes() const noexcept { return capacity_ * sizeof(entry); }
    std::uint64_t evictions() const noexcept { return evictions_; }
    std::uint64_t seed() const noexcept { return seed_; }
    // Keys not idle right now (a full scan: for metrics, not the hot path).
    std::size_t active_keys() {
        std::lock_guard lock(mutex_);
        const auto now = detail::now_ns(clock_);
        std::size_t n = 0;
        for (std::size_t i = 0; i < capacity_; ++i)
            if (table_[i].hash != 0 && !algorithm_.idle(table_[i].state, now)) ++n;
        return n;
    }

private:
    struct entry {
        std::uint64_t hash = 0;  // 0 = free
        std::int64_t state = Algorithm::empty;
    };

    std::uint64_t hash_of(std::string_view key) const noexcept {
        const std::uint64_t h = siphash(key_, key);
        return h == 0 ? 1 : h;
    }

    bool run(std::string_view key, std::int64_t quantity, rate_limit_result* out) {
        const std::uint64_t h = hash_of(key);
        std::lock_guard lock(mutex_);
        const std::int64_t now = detail::now_ns(clock_);
        entry* set = &table_[(h & mask_) * ways];
        entry* slot = nullptr;
        entry* victim = nullptr;
        for (std::size_t w = 0; w < ways; ++w) {
            entry& e = set[w];
            if (e.hash == h) {
                slot = &e;
                break;
            }
            if (e.hash == 0 || algorithm_.idle(e.state, now)) {
                if (!victim || victim->hash != 0) victim = &e;  // prefer a free way, then an idle one
            } else if (!victim ||
                       (victim->hash != 0 && !algorithm_.idle(victim->state, now) && e.state < victim->state)) {
                victim = &e;  // otherwise the busy entry closest to idle
            }
        }
        if (!slot) {
            if (victim->hash != 0 && !algorithm_.idle(victim->state, now)) ++evictions_;
            victim->hash = h;
            victim->state = Algorithm::empty;
            slot = victim;
        }
        return algorithm_.step(slot->state, now, quantity, out);
    }

    Algorithm algorithm_;
    [[no_unique_address]] Clock clock_;
    std::unique_ptr<entry[]> table_;
    std::size_t mask_ = 0;
    std::size_t capacity_ = 0;
    std::uint64_t evictions_ = 0;
    std::uint64_t seed_;
    sip_key key_;
    [[no_unique_address]] Mutex mutex_;
};

}  // namespace agentkit::resilience
