// Property tests: every eviction policy, with entry and byte capacity and with TTL, against a simple
// reference model (std::list + std::map, written for clarity, not speed) under seeded random operation
// sequences. After every operation the hit/miss answer and the full set of cached keys must agree.
#include <agentkit/cache/cache.hpp>

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <iterator>
#include <list>
#include <map>
#include <optional>
#include <random>
#include <set>
#include <string>
#include <vector>

namespace cache_reference_models_test {

namespace ac = agentkit::cache;

struct entry {
    int key;
    int value;
    std::size_t weight;
    std::int64_t deadline;  // manual-clock ns; INT64_MAX = never
    std::int64_t ttl;
};

// Reference LRU / FIFO with weights and lazy TTL, the semantics cache<> documents.
class reference_queue {
public:
    reference_queue(std::size_t max, bool reorder_on_hit, bool update_age = false)
        : max_(max), reorder_(reorder_on_hit), update_age_(update_age) {}
    std::optional<int> get(int key, std::int64_t now) {
        auto it = find(key);
        if (it == q_.end()) return std::nullopt;
        if (it->deadline <= now) {
            weight_ -= it->weight;
            q_.erase(it);
            return std::nullopt;
        }
        if (update_age_ && it->ttl > 0) it->deadline = now + it->ttl;
        const int v = it->value;
        if (reorder_) q_.splice(q_.end(), q_, it);
        return v;
    }
    void put(int key, int value, std::size_t w, std::int64_t now, std::int64_t ttl) {
        const std::int64_t deadline = ttl > 0 ? now + ttl : INT64_MAX;
        if (w > max_) {  // skipped; an older value is dropped
            if (auto it = find(key); it != q_.end()) {
                weight_ -= it->weight;
                q_.erase(it);
            }
            return;
        }
        if (auto it = find(key); it != q_.end()) {
            weight_ = weight_ - it->weight + w;
            it->value = value;
            it->weight = w;
            it->deadline = deadline;
            it->ttl = ttl;
            if (reorder_) q_.splice(q_.end(), q_, it);
        } else {
            q_.push_back({key, value, w, deadline, ttl});
            weight_ += w;
        }
        while (weight_ > max_) {
            weight_ -= q_.front().weight;
            q_.pop_front();
        }
    }
    void invalidate(int key) {
        if (auto it = find(key); it != q_.end()) {
            weight_ -= it->weight;
            q_.erase(it);
        }
    }
    std::set<int> keys() const {
        std::set<int> s;
        for (const auto& e : q_) s.insert(e.key);
        return s;
    }

private:
    std::list<entry>::iterator find(int key) {
        return std::find_if(q_.begin(), q_.end(), [key](const entry& e) { return e.key == key; });
    }
    std::list<entry> q_;
    std::size_t max_, weight_ = 0;
    bool reorder_, update_age_;
};

// Reference SIEVE, straight from the paper's pseudo-code, on a std::list (front = oldest).
class reference_sieve {
public:
    explicit reference_sieve(std::size_t max) : max_(max) {}
    std::optional<int> get(int key, std::int64_t) {
        auto it = find(key);
        if (it == q_.end()) return std::nullopt;
        it->visited = true;
        return it->value;
    }
    void put(int key, int value, std::size_t, std::int64_t, std::int64_t) {
        if (auto it = find(key); it != q_.end()) {
            it->value = value;
            it->visited = true;
            return;
        }
        q_.push_back({key, value, false});
        if (q_.size() > max_) evict();
    }
    void invalidate(int key) {
        auto it = find(key);
        if (it == q_.end()) return;
        if (hand_ == it) hand_ = std::next(it);
        q_.erase(it);
    }
    std::set<int> keys() const {
        std::set<int> s;
        for (const auto& e : q_) s.insert(e.key);
        return s;
    }

private:
    struct item {
        int key, value;
        bool visited;
    };
    void evict() {
        auto o = hand_ == q_.end() ? q_.begin() : hand_;
        while (o->visited) {
            o->visited = false;
            if (++o == q_.end()) o = q_.begin();
        }
        hand_ = std::next(o);
        q_.erase(o);
    }
    std::list<item>::iterator find(int key) {
        return std::find_if(q_.begin(), q_.end(), [key](const item& e) { return e.key == key; });
    }
    std::list<item> q_;
    std::list<item>::iterator hand_ = q_.end();
    std::size_t max_;
};

// Reference W-TinyLFU: Caffeine's algorithm on three std::lists, sharing only the frequency sketch: the
// fixed window, the warm-up (no counting, no read reordering until the cache is half full) and the hill
// climber of Caffeine >= 2.7 (climb(), increaseWindow(), decreaseWindow(), demoteFromMainProtected()).
class reference_wtinylfu {
public:
    // seed: the cache's sketch_seed; it re-mixes the sketch's hashing and starts the tie-break sequence.
    reference_wtinylfu(std::size_t max, bool warm_up = true, bool adaptive = false, std::uint32_t seed = 0)
        : sketch_(max), max_(max), counting_(!warm_up), adaptive_(adaptive), rng_((0x9e3779b9u ^ seed) | 1u) {
        sketch_.set_seed(seed);
        window_max_ = max - static_cast<std::size_t>(0.99 * static_cast<double>(max));
        protected_max_ = static_cast<std::size_t>(0.8 * static_cast<double>(max - window_max_));
        step_ = -0.0625 * static_cast<double>(max);
    }
    std::optional<int> get(int key, std::int64_t) {
        auto [q, it] = find(key);
        if (!q) return std::nullopt;
        const int v = it->second;
        if (!counting_) return v;
        sketch_.increment(hash(key));
        ++hits_;
        if (q == &window_ || q == &protected_) {
            q->splice(q->end(), *q, it);
        } else if (protected_max_ == 0) {
            probation_.splice(probation_.end(), probation_, it);
        } else {
            protected_.splice(protected_.end(), probation_, it);
            while (protected_.size() > protected_max_ && std::prev(protected_.end()) != protected_.begin())
                probation_.splice(probation_.end(), protected_, protected_.begin());
        }
        return v;
    }
    void put(int key, int value, std::size_t, std::int64_t, std::int64_t) {
        if (auto [q, it] = find(key); q) {
            it->second = value;
            get(key, 0);
            return;
        }
        if (size() >= max_ / 2) counting_ = true;  // Caffeine's AddTask: weight before the entry >= max / 2
        if (counting_) sketch_.increment(hash(key));
        ++misses_;
        window_.push_back({key, value});
        std::size_t candidates = 0;
        while (window_.size() > window_max_) {
            probation_.splice(probation_.end(), window_, window_.begin());
            ++candidates;
        }
        // evictFromMain with at most the pairs the cache overflowed by
        while (size() > max_) {
            if (candidates > 0 && !probation_.empty() && probation_.size() > 1) {
                --candidates;
                auto cand = std::prev(probation_.end());
                auto vict = probation_.begin();
                if (admit(hash(cand->first), hash(vict->first)))
                    probation_.erase(vict);
                else
                    probation_.erase(cand);
            } else if (!probation_.empty()) {
                probation_.erase(candidates > 0 ? std::prev(probation_.end()) : probation_.begin());
                if (candidates > 0) --candidates;
            } else if (!protected_.empty()) {
                protected_.erase(protected_.begin());
            } else {
                window_.erase(window_.begin());
            }
        }
        if (adaptive_) climb();
    }
    void invalidate(int key) {
        if (auto [q, it] = find(key); q) q->erase(it);
    }
    std::set<int> keys() const {
        std::set<int> s;
        for (auto* q : {&window_, &probation_, &protected_})
            for (const auto& e : *q) s.insert(e.first);
        return s;
    }
    std::size_t window_max() const { return window_max_; }

private:
    using list = std::list<std::pair<int, int>>;
    static std::uint32_t hash(int key) { return static_cast<std::uint32_t>(ac::key_hasher<int>{}(key) >> 32); }
    bool admit(std::uint32_t c, std::uint32_t v) {
        const unsigned vf = sketch_.frequency(v), cf = sketch_.frequency(c);
        if (cf > vf) return true;
        if (cf <= 5) return false;
        rng_ ^= rng_ << 13;
        rng_ ^= rng_ >> 17;
        rng_ ^= rng_ << 5;
        return (rng_ & 127u) == 0;
    }
    void climb() {
        if (!counting_) {
            hits_ = misses_ = 0;
            return;
        }
        if (hits_ + misses_ < sketch_.sample_size()) return;
        const double rate = static_cast<double>(hits_) / static_cast<double>(hits_ + misses_);
        const double change = rate - previous_rate_;
        const double amount = change >= 0 ? step_ : -step_;
        step_ = std::abs(change) >= 0.05 ? 0.0625 * static_cast<double>(max_) * (amount >= 0 ? 1 : -1) : 0.98 * amount;
        previous_rate_ = rate;
        hits_ = misses_ = 0;
        demote();
        const auto adjustment = static_cast<long long>(amount);
        if (adjustment > 0 && protected_max_ > 0) {  // increaseWindow
            std::size_t quota = std::min(static_cast<std::size_t>(adjustment), protected_max_);
            protected_max_ -= quota;
            window_max_ += quota;
            demote();
            for (; quota > 0 && !(probation_.empty() && protected_.empty()); --quota) {
                list& from = probation_.empty() ? protected_ : probation_;
                window_.splice(window_.end(), from, from.begin());
            }
            protected_max_ += quota;
            window_max_ -= quota;
        } else if (adjustment < 0 && window_max_ > 1) {  // decreaseWindow
            std::size_t quota = std::min(static_cast<std::size_t>(-adjustment), window_max_ - 1);
            protected_max_ += quota;
            window_max_ -= quota;
            for (; quota > 0 && !window_.empty(); --quota)
                probation_.splice(probation_.end(), window_, window_.begin());
            protected_max_ -= quota;
            window_max_ += quota;
        }
    }
    void demote() {
        while (protected_.size() > protected_max_) probation_.splice(probation_.end(), protected_, protected_.begin());
    }
    std::size_t size() const { return window_.size() + probation_.size() + protected_.size(); }
    std::pair<list*, list::iterator> find(int key) {
        for (auto* q : {&window_, &probation_, &protected_}) {
            auto it = std::find_if(q->begin(), q->end(), [key](const auto& e) { return e.first == key; });
            if (it != q->end()) return {q, it};
        }
        return {nullptr, {}};
    }
    ac::frequency_sketch sketch_;
    list window_, probation_, protected_;
    std::size_t max_, window_max_, protected_max_;
    bool counting_, adaptive_;
    std::size_t hits_ = 0, misses_ = 0;
    double previous_rate_ = 0, step_ = 0;
    std::uint32_t rng_;
};

struct int_weight {
    std::size_t operator()(int key, int value) const { return 1 + static_cast<std::size_t>((key ^ value) & 7); }
};

// Runs `ops` random operations on both and compares after each. Keys are drawn from a skewed
// distribution so that hits, re-references, promotions and evictions all happen often.
template <class Cache, class Model>
void check_against(Cache& c, Model& m, std::uint64_t seed, int ops, int key_space,
                   agentkit::manual_clock* clock = nullptr, bool weighted = false, bool with_ttl = false) {
    std::mt19937_64 rng(seed);
    std::geometric_distribution<int> skew(4.0 / key_space);
    auto key = [&] { return std::min(skew(rng), key_space - 1); };
    for (int op = 0; op < ops; ++op) {
        const auto r = rng() % 100;
        const std::int64_t now = clock ? clock->now().time_since_epoch().count() : 0;
        if (r < 55) {
            const int k = key();
            const auto got = c.get(k);
            const auto want = m.get(k, now);
            ASSERT_EQ(got, want) << "op " << op << " get " << k;
            if (!got) {  // a simulator's miss: insert
                c.put(k, k * 7);
                m.put(k, k * 7, weighted ? int_weight{}(k, k * 7) : 1, now, 0);
            }
        } else if (r < 85) {
            const int k = key();
            const int v = static_cast<int>(rng() % 1000);
            if (with_ttl && r < 70) {
                const std::int64_t ttl = 1 + static_cast<std::int64_t>(rng() % 50);
                if constexpr (requires { c.put(k, v, std::chrono::nanoseconds(ttl)); })
                    c.put(k, v, std::chrono::nanoseconds(ttl));
                m.put(k, v, weighted ? int_weight{}(k, v) : 1, now, ttl);
            } else {
                c.put(k, v);
                m.put(k, v, weighted ? int_weight{}(k, v) : 1, now, 0);
            }
        } else if (r < 92) {
            const int k = key();
            c.invalidate(k);
            m.invalidate(k);
        } else if (clock) {
            clock->advance(std::chrono::nanoseconds(rng() % 20));
        }
        if (op % 7 == 0 || op == ops - 1) {
            std::set<int> have;
            c.for_each([&](int k, int) { have.insert(k); });
            if (clock) {  // expired-but-not-yet-dropped entries are invisible; compare what get() would see
                std::set<int> live;
                for (int k : have)
                    if (c.contains(k)) live.insert(k);
                std::set<int> model_live;
                for (int k : m.keys())
                    if (c.contains(k)) model_live.insert(k);
                ASSERT_EQ(live, model_live) << "op " << op;
            } else {
                ASSERT_EQ(have, m.keys()) << "op " << op;
            }
        }
    }
}

TEST(RefModelLru, MatchesReferenceModel) {
    for (std::uint64_t seed = 1; seed <= 20; ++seed) {
        const std::size_t cap = 1 + seed * 3;
        ac::cache<int, int, ac::lru> c({.max_size = cap});
        reference_queue m(cap, true);
        check_against(c, m, seed, 3000, 200);
    }
}

TEST(RefModelFifo, MatchesReferenceModel) {
    for (std::uint64_t seed = 1; seed <= 20; ++seed) {
        const std::size_t cap = 1 + seed * 3;
        ac::cache<int, int, ac::fifo> c({.max_size = cap});
        reference_queue m(cap, false);
        // FIFO does not reorder on put of an existing key either: the reference splices only on reorder.
        check_against(c, m, seed, 3000, 200);
    }
}

TEST(RefModelSieve, MatchesReferenceModel) {
    for (std::uint64_t seed = 1; seed <= 20; ++seed) {
        const std::size_t cap = 1 + seed * 3;
        ac::cache<int, int, ac::sieve> c({.max_size = cap});
        reference_sieve m(cap);
        check_against(c, m, seed, 3000, 200);
    }
}

TEST(RefModelWTinyLfu, MatchesReferenceModel) {
    for (std::uint64_t seed = 1; seed <= 20; ++seed) {
        for (bool warm_up : {true, false}) {
            const std::size_t cap = 1 + seed * 7;
            const auto sketch_seed =
                static_cast<std::uint32_t>(seed % 3 == 0 ? 0 : seed * 0x9e3779b1u);  // 0 = hash as is
            ac::cache<int, int, ac::w_tinylfu> c(
                {.max_size = cap, .eviction = {.warm_up = warm_up, .sketch_seed = sketch_seed}});
            reference_wtinylfu m(cap, warm_up, false, sketch_seed);
            check_against(c, m, seed, 4000, 400);
        }
    }
}

// The hill climber moves the window: small caches and long runs so that many sample periods (10 x
// capacity requests) pass, and the window really grows and shrinks (checked on the model).
TEST(RefModelWTinyLfu, AdaptiveWindowMatchesReferenceModel) {
    std::size_t grew = 0;
    for (std::uint64_t seed = 1; seed <= 12; ++seed) {
        const std::size_t cap = 16 + seed * 5;
        ac::cache<int, int, ac::w_tinylfu> c(
            {.max_size = cap, .eviction = {.adaptive_window = true, .sketch_seed = 0}});
        reference_wtinylfu m(cap, true, true);
        const std::size_t initial = m.window_max();
        check_against(c, m, seed, 6000, static_cast<int>(cap) * 4);
        if (m.window_max() != initial) ++grew;
    }
    EXPECT_GT(grew, 0u) << "the climber never moved the window: the test does not exercise it";
}

TEST(RefModelLruByBytes, MatchesReferenceModel) {
    for (std::uint64_t seed = 1; seed <= 20; ++seed) {
        const std::size_t cap = 5 + seed * 9;
        ac::cache<int, int, ac::lru, ac::no_expiry, ac::max_bytes<int_weight>> c({.max_size = cap});
        reference_queue m(cap, true);
        check_against(c, m, seed, 3000, 200, nullptr, true);
    }
}

TEST(RefModelLruWithTtl, MatchesReferenceModel) {
    for (std::uint64_t seed = 1; seed <= 20; ++seed) {
        for (bool update_age : {false, true}) {
            const std::size_t cap = 1 + seed * 3;
            agentkit::manual_clock clock;
            ac::cache<int, int, ac::lru, ac::ttl<agentkit::manual_clock>> c(
                {.max_size = cap,
                 .expiry = {.ttl = std::chrono::nanoseconds(seed % 3 == 0 ? 0 : 40),
                            .update_age_on_get = update_age,
                            .clock = clock}});
            reference_queue m(cap, true, update_age);
            // The model gets the cache-wide default ttl through put(..., ttl) when the test puts without one.
            struct with_default {
                reference_queue& m;
                std::int64_t ttl;
                std::optional<int> get(int k, std::int64_t now) { return m.get(k, now); }
                void put(int k, int v, std::size_t w, std::int64_t now, std::int64_t t) {
                    m.put(k, v, w, now, t ? t : ttl);
                }
                void invalidate(int k) { m.invalidate(k); }
                std::set<int> keys() const { return m.keys(); }
            } model{m, seed % 3 == 0 ? 0 : 40};
            check_against(c, model, seed, 3000, 200, &clock, false, true);
        }
    }
}

}  // namespace cache_reference_models_test
