#pragma once
// Synthetic Zipf workloads for hit-ratio evaluation: P(rank r) proportional to 1 / r^s over n keys, sampled
// exactly by inverse CDF (a binary search in the precomputed cumulative distribution, no rejection or
// approximation), with each rank hashed to a 64-bit key so that key order says nothing about popularity.
// Deterministic for a seed on every platform (own uniform from the raw 64-bit generator).
#include <agentkit/cache/hash.hpp>
#include <agentkit/core/error.hpp>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <random>
#include <vector>

namespace agentkit::cache {

class zipf_distribution {
public:
    zipf_distribution(std::uint64_t n, double s) {
        if (n == 0) throw_invalid_field("zipf.keys", "must be at least 1");
        if (!(s >= 0.0) || !std::isfinite(s)) throw_invalid_field("zipf.s", "must be a finite exponent >= 0");
        cdf_.resize(n);
        double sum = 0;
        for (std::uint64_t r = 0; r < n; ++r) {
            sum += 1.0 / std::pow(static_cast<double>(r + 1), s);
            cdf_[r] = sum;
        }
        for (auto& c : cdf_) c /= sum;
        cdf_.back() = 1.0;
    }
    // A rank in [0, n), 0 the most popular.
    template <class Rng>
    std::uint64_t operator()(Rng& rng) const {
        const double u = static_cast<double>(rng() >> 11) * 0x1.0p-53;  // uniform in [0, 1)
        return static_cast<std::uint64_t>(std::upper_bound(cdf_.begin(), cdf_.end(), u) - cdf_.begin());
    }
    std::uint64_t size() const noexcept { return cdf_.size(); }

private:
    std::vector<double> cdf_;
};

// The 64-bit key of a rank (what traces and caches see).
constexpr std::uint64_t zipf_key(std::uint64_t rank) noexcept { return mix64(rank + golden_gamma); }

inline std::vector<std::uint64_t> zipf_trace(std::uint64_t keys, double s, std::uint64_t requests,
                                             std::uint64_t seed = 42) {
    zipf_distribution zipf(keys, s);
    std::mt19937_64 rng(seed);
    std::vector<std::uint64_t> out;
    out.reserve(requests);
    for (std::uint64_t i = 0; i < requests; ++i) out.push_back(zipf_key(zipf(rng)));
    return out;
}

}  // namespace agentkit::cache
