#pragma once
// w_tinylfu: Window TinyLFU, the policy of Caffeine (Einziger, Friedman & Manes, ACM ToS 2017).
//   window    (window_percent = 1% of max_size to start): an LRU every new entry enters, so bursts get a chance;
//   probation + protected (the main space, protected = 80% of it): a segmented LRU; a probation hit
//              is promoted to protected, protected overflow is demoted back to probation;
//   admission: an entry leaving the window (the candidate) only displaces the probation LRU entry (the
//              victim) if the frequency sketch says it is more popular; ties go to the victim, except that
//              a candidate with an estimate of 6 or more wins 1 time in 128 (Caffeine's guard against a
//              hash-flooding attacker pinning a victim).
//   warm-up:   as in Caffeine (its sketch is only allocated once the cache is half full, and until then
//              reads skip the policy), popularity counting and read reordering start when the cache is
//              half full, so the sketch describes the recent past rather than the cold start. On short
//              traces this is worth up to 3 points either way (docs/benchmarks.md); `warm_up = false`
//              counts from the first request. The sketch is allocated only then, one word per entry
//              (max_size entries, or the current entry count under a byte capacity), so constructing
//              even a 64 MB byte-weighted cache allocates nothing per byte.
//   decisions: with Caffeine 2.6's item hashes (simulator.hpp's caffeine_long_hash) this policy reaches
//              Caffeine's hit counts exactly (tests/integration/cache_caffeine_decisions.cpp).
//   sketch_seed: which items share sketch counters moves short traces by points either way. As Caffeine
//              does, each cache draws its own seed by default, so no one can choose keys that collide in
//              the sketch (hash flooding) and no single draw decides every deployment's hit ratio; the
//              seed also starts the 1-in-128 tie-break. A fixed seed makes a cache reproducible (tests,
//              the simulator: 0 keeps the key hash as is).
//   adaptive_window (Caffeine >= 2.7, `BoundedLocalCache.climb()`): every sample period (10 x max_size
//              requests, the sketch's reset period) a hill climber compares the hit rate with the previous
//              sample's and moves the window/main boundary by a step (6.25% of max_size, restarted when the
//              hit rate moves by 5 points or more, otherwise decayed by 0.98 per sample) in the direction
//              that helped. Off by default: the Caffeine we measure against (Debian's 2.6.2) has a fixed
//              window; the climber helps recency-heavy traces (orm-busy @ 1000 +12.7 points, OLTP, sprite)
//              and costs up to 4 points on frequency-heavy ones (cpp @ 50, web07, Zipf); docs/benchmarks.md.
#include <agentkit/cache/cache_fwd.hpp>
#include <agentkit/cache/frequency_sketch.hpp>
#include <agentkit/cache/node_list.hpp>
#include <agentkit/core/random_seed.hpp>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <new>
#include <optional>
#include <type_traits>

namespace agentkit::cache {

struct w_tinylfu {
    template <class K, class V>
    using cache_type = cache<K, V, w_tinylfu>;
    struct config {
        double window_percent = 1.0;      // share of max_size for the admission window (Caffeine: 1%)
        double protected_percent = 80.0;  // share of the main space for the protected segment (Caffeine: 80%)
        bool adaptive_window = false;     // hill-climb the window size (Caffeine >= 2.7); false = fixed window
        bool warm_up = true;              // count and reorder only once the cache is half full (Caffeine)
        std::optional<std::uint32_t>
            sketch_seed;  // none: a fresh random seed per cache (Caffeine); fixed: reproducible
    };

    class state {
        enum : std::uint8_t { window = 0, probation = 1, protect = 2 };

    public:
        // The sketch is sized when counting starts (ensure_sketch), so constructing a big cache costs nothing.
        state(const config& c, std::size_t max_size)
            : max_(max_size), adaptive_(c.adaptive_window), warm_up_(c.warm_up), counting_(!c.warm_up) {
            const std::uint32_t seed = c.sketch_seed ? *c.sketch_seed : static_cast<std::uint32_t>(fresh_seed()) | 1u;
            sketch_.set_seed(seed);
            rng_ = (static_cast<std::uint32_t>(golden_gamma >> 32) ^ seed) | 1u;  // xorshift32 must not start at 0
            const double main_share = 1.0 - c.window_percent / 100.0;
            window_max_ = max_size - static_cast<std::size_t>(main_share * static_cast<double>(max_size));
            protected_max_ =
                static_cast<std::size_t>(c.protected_percent / 100.0 * static_cast<double>(max_size - window_max_));
            step_ = -step_percent * static_cast<double>(max_size);
        }

        template <class Ns>
        void on_insert(Ns& ns, std::uint32_t i) noexcept {
            ++entries_;
            // Caffeine's AddTask: the sketch starts once the weight before this entry is half the maximum.
            if (!counting_ && window_.weight + probation_.weight + protected_.weight >= max_ / 2) counting_ = true;
            if (counting_) {
                ensure_sketch(ns);
                sketch_.increment(ns[i].hash);
            }
            ++misses_in_sample_;
            candidates_ = 0;  // Caffeine's candidates are those this write moved (its maintenance runs per write)
            ns[i].flag = window;
            window_.push_back(ns, i, ns[i].weight.get());
            while (window_.weight > window_max_ && !window_.empty()) {  // window overflow goes to probation
                const std::uint32_t j = window_.head;
                const std::size_t w = ns[j].weight.get();
                window_.unlink(ns, j, w);
                ns[j].flag = probation;
                probation_.push_back(ns, j, w);
                ++candidates_;
            }
            // Caffeine climbs after its eviction pass; when nothing will be evicted, climb now.
            if (adaptive_ && window_.weight + probation_.weight + protected_.weight <= max_) climb(ns);
        }
        template <class Ns>
        void on_hit(Ns& ns, std::uint32_t i) noexcept {
            if (!counting_) return;  // warming up: Caffeine's reads skip the policy until its sketch exists
            sketch_.increment(ns[i].hash);
            ++hits_in_sample_;
            switch (ns[i].flag) {
                case window: window_.move_to_back(ns, i); break;
                case protect: protected_.move_to_back(ns, i); break;
                default: {
                    const std::size_t w = ns[i].weight.get();
                    if (w > protected_max_) {
                        probation_.move_to_back(ns, i);
                        break;
                    }
                    probation_.unlink(ns, i, w);
                    ns[i].flag = protect;
                    protected_.push_back(ns, i, w);
                    while (protected_.weight > protected_max_ && protected_.head != i) demote_oldest_protected(ns);
                }
            }
        }
        template <class Ns>
        void on_erase(Ns& ns, std::uint32_t i) noexcept {
            queue(ns[i].flag).unlink(ns, i, ns[i].weight.get());
            --entries_;
        }
        template <class Ns>
        void on_reweigh(Ns& ns, std::uint32_t i, std::size_t before, std::size_t after) noexcept {
            auto& q = queue(ns[i].flag);
            q.weight = q.weight - before + after;
        }

        // Caffeine's evictFromMain: pair the newest candidates (walking from the probation tail towards older)
        // with the oldest victims (from the probation head towards newer) and evict the less popular of each
        // pair; when probation runs dry, fall back to protected, then to the window.
        template <class Ns, class Over, class Evict>
        void evict(Ns& ns, Over over, Evict evict) {
            std::size_t candidates = candidates_;
            candidates_ = 0;
            std::uint8_t victim_queue = probation;
            std::uint32_t victim = probation_.head;
            std::uint32_t candidate = probation_.tail;
            while (over()) {
                if (candidates == 0) candidate = detail::nil;
                if (candidate == detail::nil && victim == detail::nil) {
                    if (victim_queue == probation) {
                        victim = protected_.head;
                        victim_queue = protect;
                        continue;
                    }
                    if (victim_queue == protect) {
                        victim = window_.head;
                        victim_queue = window;
                        continue;
                    }
                    break;
                }
                if (victim == detail::nil || candidate == victim) {
                    if (candidates > 0) --candidates;
                    const std::uint32_t e = candidate;
                    candidate = ns[e].prev;
                    if (victim == e) victim = ns[e].next;
                    evict(e);
                    continue;
                }
                if (candidate == detail::nil) {
                    const std::uint32_t e = victim;
                    victim = ns[e].next;
                    evict(e);
                    continue;
                }
                --candidates;
                if (admit(ns[candidate].hash, ns[victim].hash)) {
                    const std::uint32_t e = victim;
                    victim = ns[e].next;
                    evict(e);
                    candidate = ns[candidate].prev;
                } else {
                    const std::uint32_t e = candidate;
                    candidate = ns[e].prev;
                    evict(e);
                }
            }
            candidates_ = 0;
            if (adaptive_) climb(ns);
        }
        void clear() noexcept {
            window_ = probation_ = protected_ = {};
            candidates_ = 0;
            entries_ = 0;
            hits_in_sample_ = misses_in_sample_ = 0;
            counting_ = !warm_up_;
            sketch_.clear();
        }
        const frequency_sketch& sketch() const noexcept { return sketch_; }
        // The current window and protected limits (they move when adaptive_window is on).
        std::size_t window_max() const noexcept { return window_max_; }
        std::size_t protected_max() const noexcept { return protected_max_; }

    private:
        static constexpr double restart_threshold = 0.05;  // Caffeine's HILL_CLIMBER_RESTART_THRESHOLD
        static constexpr double step_percent = 0.0625;     // HILL_CLIMBER_STEP_PERCENT
        static constexpr double step_decay = 0.98;         // HILL_CLIMBER_STEP_DECAY_RATE
        static constexpr int transfer_limit = 1000;        // QUEUE_TRANSFER_THRESHOLD

        // Caffeine's ensureCapacity(isWeighted ? entry count : maximum): an entry-counted cache gets one
        // sketch word per entry once; a byte-weighted one grows with its entry count (each growth restarts
        // the counts), so max_size in bytes never sizes anything.
        // Out of memory while growing keeps the smaller table: estimates get coarser, the cache stays correct.
        template <class Ns>
        void ensure_sketch(Ns& ns) noexcept {
            using weight_type = std::remove_cvref_t<decltype(ns[0].weight)>;
            try {
                if constexpr (std::is_empty_v<weight_type>) {
                    if (!sketch_.initialized()) sketch_.ensure_capacity(max_);
                } else {
                    sketch_.ensure_capacity(entries_);
                }
            } catch (const std::bad_alloc&) {}
        }

        // Caffeine's climb(): once per sample period, move the window/main boundary by the step.
        template <class Ns>
        void climb(Ns& ns) noexcept {
            if (!counting_) {  // no sketch yet in Caffeine: the sample starts when counting does
                hits_in_sample_ = misses_in_sample_ = 0;
                return;
            }
            const std::size_t requests = hits_in_sample_ + misses_in_sample_;
            if (requests < sketch_.sample_size()) return;
            const double hit_rate = static_cast<double>(hits_in_sample_) / static_cast<double>(requests);
            const double change = hit_rate - previous_hit_rate_;
            const double amount = change >= 0 ? step_ : -step_;
            step_ = (change >= restart_threshold || change <= -restart_threshold)
                ? step_percent * static_cast<double>(max_) * (amount >= 0 ? 1.0 : -1.0)
                : step_decay * amount;
            previous_hit_rate_ = hit_rate;
            hits_in_sample_ = misses_in_sample_ = 0;
            const auto adjustment = static_cast<long long>(amount);  // truncates toward zero, like Java's (long)
            demote_protected(ns);
            if (adjustment > 0)
                increase_window(ns, static_cast<std::size_t>(adjustment));
            else if (adjustment < 0)
                decrease_window(ns, static_cast<std::size_t>(-adjustment));
        }
        template <class Ns>
        void demote_protected(Ns& ns) noexcept {
            for (int n = 0; n < transfer_limit && protected_.weight > protected_max_ && !protected_.empty(); ++n)
                demote_oldest_protected(ns);
        }
        // The protected segment's oldest entry goes to the back of probation.
        template <class Ns>
        void demote_oldest_protected(Ns& ns) noexcept {
            const std::uint32_t j = protected_.head;
            const std::size_t w = ns[j].weight.get();
            protected_.unlink(ns, j, w);
            ns[j].flag = probation;
            probation_.push_back(ns, j, w);
        }
        // Grow the window by up to `quota` taken from the protected space, moving the oldest main entries in.
        template <class Ns>
        void increase_window(Ns& ns, std::size_t quota) noexcept {
            if (protected_max_ == 0) return;
            quota = std::min(quota, protected_max_);
            protected_max_ -= quota;
            window_max_ += quota;
            demote_protected(ns);
            for (int n = 0; n < transfer_limit; ++n) {
                std::uint32_t j = probation_.head;
                bool from_probation = true;
                if (j == detail::nil || quota < ns[j].weight.get()) {
                    j = protected_.head;
                    from_probation = false;
                }
                if (j == detail::nil) break;
                const std::size_t w = ns[j].weight.get();
                if (quota < w) break;
                quota -= w;
                // if/else rather than a conditional-operator lvalue: GCC 12 -O2 corrupted the lists with that
                if (from_probation)
                    probation_.unlink(ns, j, w);
                else
                    protected_.unlink(ns, j, w);
                ns[j].flag = window;
                window_.push_back(ns, j, w);
            }
            protected_max_ += quota;  // what could not be moved stays with main
            window_max_ -= quota;
        }
        // Shrink the window by up to `quota` (never below 1), moving its oldest entries to probation.
        template <class Ns>
        void decrease_window(Ns& ns, std::size_t quota) noexcept {
            if (window_max_ <= 1) return;
            quota = std::min(quota, window_max_ - 1);
            protected_max_ += quota;
            window_max_ -= quota;
            for (int n = 0; n < transfer_limit; ++n) {
                const std::uint32_t j = window_.head;
                if (j == detail::nil) break;
                const std::size_t w = ns[j].weight.get();
                if (quota < w) break;
                quota -= w;
                window_.unlink(ns, j, w);
                ns[j].flag = probation;
                probation_.push_back(ns, j, w);
            }
            protected_max_ -= quota;
            window_max_ += quota;
        }

        bool admit(std::uint32_t candidate_hash, std::uint32_t victim_hash) noexcept {
            const unsigned victim_freq = sketch_.frequency(victim_hash);
            const unsigned candidate_freq = sketch_.frequency(candidate_hash);
            if (candidate_freq > victim_freq) return true;
            if (candidate_freq <= 5) return false;
            rng_ ^= rng_ << 13;  // xorshift32: deterministic, no global state
            rng_ ^= rng_ >> 17;
            rng_ ^= rng_ << 5;
            return (rng_ & 127u) == 0;
        }
        detail::node_list& queue(std::uint8_t flag) noexcept {
            return flag == window ? window_ : flag == probation ? probation_ : protected_;
        }

        detail::node_list window_, probation_, protected_;
        std::size_t window_max_ = 0, protected_max_ = 0;
        std::size_t candidates_ = 0;
        std::size_t entries_ = 0;
        frequency_sketch sketch_;
        std::size_t max_ = 0;
        bool adaptive_ = false;
        bool warm_up_ = true;
        bool counting_ = false;
        std::size_t hits_in_sample_ = 0, misses_in_sample_ = 0;
        double previous_hit_rate_ = 0, step_ = 0;
        std::uint32_t rng_ = 1;  // set from the seed by the constructor
    };
};

}  // namespace agentkit::cache
