#pragma once
// w_tinylfu: Window TinyLFU, the policy of Caffeine (Einziger, Friedman & Manes, ACM ToS 2017).
//   window    (window_percent = 1% of max_size): an LRU every new entry enters, so bursts get a chance;
//   probation + protected (the main space, protected = 80% of it): a segmented LRU; a probation hit
//              is promoted to protected, protected overflow is demoted back to probation;
//   admission: an entry leaving the window (the candidate) only displaces the probation LRU entry (the
//              victim) if the frequency sketch says it is more popular; ties go to the victim, except that
//              a candidate with an estimate above 5 wins 1 time in 128 (Caffeine's guard against a
//              hash-flooding attacker pinning a victim).
// This is the static configuration (Caffeine >= 2.6 also adapts the window by hill climbing).
#include <agentkit/cache/cache_fwd.hpp>
#include <agentkit/cache/frequency_sketch.hpp>
#include <agentkit/cache/node_list.hpp>

#include <cstdint>

namespace agentkit::cache {

struct w_tinylfu {
    template <class K, class V>
    using cache_type = cache<K, V, w_tinylfu>;
    struct config {
        double window_percent = 1.0;      // share of max_size for the admission window (Caffeine: 1%)
        double protected_percent = 80.0;  // share of the main space for the protected segment (Caffeine: 80%)
    };

    class state {
        enum : std::uint8_t { window = 0, probation = 1, protect = 2 };

    public:
        state(const config& c, std::size_t max_size) : sketch_(max_size) {
            const double main_share = 1.0 - c.window_percent / 100.0;
            window_max_ = max_size - static_cast<std::size_t>(main_share * static_cast<double>(max_size));
            protected_max_ = static_cast<std::size_t>(c.protected_percent / 100.0 * static_cast<double>(max_size - window_max_));
        }

        template <class Ns> void on_insert(Ns& ns, std::uint32_t i) noexcept {
            sketch_.increment(ns[i].hash);
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
        }
        template <class Ns> void on_hit(Ns& ns, std::uint32_t i) noexcept {
            sketch_.increment(ns[i].hash);
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
                    while (protected_.weight > protected_max_ && protected_.head != i) {
                        const std::uint32_t j = protected_.head;
                        const std::size_t wj = ns[j].weight.get();
                        protected_.unlink(ns, j, wj);
                        ns[j].flag = probation;
                        probation_.push_back(ns, j, wj);
                    }
                }
            }
        }
        template <class Ns> void on_erase(Ns& ns, std::uint32_t i) noexcept { queue(ns[i].flag).unlink(ns, i, ns[i].weight.get()); }
        template <class Ns> void on_reweigh(Ns& ns, std::uint32_t i, std::size_t before, std::size_t after) noexcept {
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
        }
        void clear() noexcept {
            window_ = probation_ = protected_ = {};
            candidates_ = 0;
            sketch_.clear();
        }
        const frequency_sketch& sketch() const noexcept { return sketch_; }

    private:
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
        frequency_sketch sketch_;
        std::uint32_t rng_ = 0x9e3779b9u;
    };
};

}  // namespace agentkit::cache
