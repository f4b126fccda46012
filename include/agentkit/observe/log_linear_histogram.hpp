#pragma once
// A latency histogram with bounded relative error, fixed memory and lock-free recording (HdrHistogram's
// log-linear layout). Values are unsigned integer ticks (nanoseconds by default). Below 2^(m+1) every value
// has its own bucket; above, each power of two [2^k, 2^(k+1)) is cut into 2^m equal buckets, so a bucket is
// never wider than 2^-m of its lower bound and its midpoint is within 2^-(m+1) of any value in it:
//     SubBucketBits m = 6 (default): 64 buckets per octave, quantiles within 0.78% (relative) of the exact value;
//     m = 7: 0.39%, twice the memory.
// MaxValueBits B bounds the range: values >= 2^B ticks (default 2^42 ns = 73 minutes) land in one overflow
// bucket, still counted, and a quantile that falls there reports the exact maximum recorded; such a value
// enters the sum as 2^B - 1, so the sum cannot wrap on +Inf.
// Memory: ((B - m + 1) * 2^m + 1) atomic 64-bit counts, allocated inline, never growing:
//     m = 6, B = 42: 2369 counts = 18.5 KiB per histogram.
// Bad input is explicit, never UB: a negative or NaN value (observe(double), a negative duration) is not
// recorded but counted in `invalid`; +Inf and huge values go to the overflow bucket.
// Recording is two relaxed atomic adds (the bucket; the sum, striped per thread so two cores do not share its
// cache line) and a max update only when the max grows. A snapshot reads
// the buckets one by one: taken while writers run, it may miss records made during the read, never invent one.
#include <agentkit/core/error.hpp>
#include <agentkit/observe/counter.hpp>

#include <algorithm>
#include <array>
#include <atomic>
#include <bit>
#include <chrono>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

namespace agentkit::observe {

// The bucket geometry, shared by live histograms and snapshots (so a snapshot needs no template).
struct log_linear_layout {
    unsigned sub_bucket_bits = 6;
    unsigned max_value_bits = 42;

    constexpr std::uint64_t sub_buckets() const noexcept { return std::uint64_t{1} << sub_bucket_bits; }
    // Regular buckets; the overflow bucket is index bucket_count().
    constexpr std::size_t bucket_count() const noexcept {
        return (max_value_bits - sub_bucket_bits + 1) * sub_buckets();
    }
    constexpr std::uint64_t max_trackable() const noexcept {
        return max_value_bits >= 64 ? std::numeric_limits<std::uint64_t>::max()
                                    : (std::uint64_t{1} << max_value_bits) - 1;
    }
    // The largest relative distance between a recorded value and the value a quantile reports for it.
    double relative_error() const noexcept { return std::ldexp(1.0, -static_cast<int>(sub_bucket_bits) - 1); }

    constexpr std::size_t index_of(std::uint64_t v) const noexcept {
        if (v > max_trackable()) return bucket_count();
        // v | 2^m puts the highest set bit at >= m, so values below 2^(m+1) get shift 0 and their own bucket.
        const unsigned msb = static_cast<unsigned>(std::bit_width(v | sub_buckets())) - 1;
        const unsigned shift = msb - sub_bucket_bits;
        return static_cast<std::size_t>(shift) * sub_buckets() + (v >> shift);
    }
    constexpr std::uint64_t lowest_in(std::size_t i) const noexcept {
        if (i < 2 * sub_buckets()) return i;
        const unsigned shift = static_cast<unsigned>(i / sub_buckets()) - 1;
        return (sub_buckets() + i % sub_buckets()) << shift;
    }
    constexpr std::uint64_t highest_in(std::size_t i) const noexcept {
        if (i < 2 * sub_buckets()) return i;
        const unsigned shift = static_cast<unsigned>(i / sub_buckets()) - 1;
        return lowest_in(i) + ((std::uint64_t{1} << shift) - 1);
    }
    // The value reported for a bucket: its midpoint (exact for the one-value buckets).
    constexpr std::uint64_t representative(std::size_t i) const noexcept {
        return lowest_in(i) + (highest_in(i) - lowest_in(i)) / 2;
    }
};

// A copy of a histogram at one moment: quantiles, mean, merge. Values are returned in ticks (`*_ticks`) or in
// the exposed unit (ticks * unit; seconds by default).
class histogram_snapshot {
public:
    histogram_snapshot() = default;
    histogram_snapshot(log_linear_layout layout, double unit)
        : layout_(layout), unit_(unit), buckets_(layout.bucket_count() + 1, 0) {}

    const log_linear_layout& layout() const noexcept { return layout_; }
    double unit() const noexcept { return unit_; }
    // Valid records, the overflow bucket included; invalid ones are not part of it.
    std::uint64_t count() const noexcept { return count_; }
    std::uint64_t sum_ticks() const noexcept { return sum_; }
    std::uint64_t max_ticks() const noexcept { return max_; }
    std::uint64_t overflow() const noexcept { return buckets_.empty() ? 0 : buckets_.back(); }
    std::uint64_t invalid() const noexcept { return invalid_; }
    double sum() const noexcept { return to_unit(sum_); }
    double max() const noexcept { return to_unit(max_); }
    double mean() const noexcept { return count_ ? sum() / static_cast<double>(count_) : std::nan(""); }
    const std::vector<std::uint64_t>& buckets() const noexcept { return buckets_; }

    // Nearest-rank quantile: the value of rank ceil(q * count) (at least 1) in sorted order, within
    // layout().relative_error() of the exact one (the exact maximum when it falls in the overflow bucket).
    // q outside [0, 1] or NaN -> agentkit::error naming "quantile"; an empty snapshot -> 0.
    std::uint64_t quantile_ticks(double q) const {
        if (!(q >= 0.0 && q <= 1.0)) throw_invalid_field("quantile", "must be within [0, 1]");
        if (count_ == 0) return 0;
        const auto rank = rank_of(q);
        std::uint64_t seen = 0;
        for (std::size_t i = 0; i + 1 < buckets_.size(); ++i) {
            seen += buckets_[i];
            if (seen >= rank) return std::min(layout_.representative(i), max_);
        }
        return max_;
    }
    double quantile(double q) const { return to_unit(quantile_ticks(q)); }

    // Ticks in the exposed unit. With unit = 1/N (1e-9, 1e-6, 1e-3) it divides by N, which is correctly
    // rounded: 30554000000 ns prints as 30.554 s, where multiplying by 1e-9 gives 30.554000000000002.
    double to_unit(std::uint64_t ticks) const noexcept {
        const double inverse = 1.0 / unit_;
        const double n = std::round(inverse);
        return n >= 1.0 && std::abs(inverse - n) <= 1e-9 * n ? static_cast<double>(ticks) / n
                                                             : static_cast<double>(ticks) * unit_;
    }

    // The seeds' latency figures in one pass over the buckets (p50 / p95 / p99 as quantile() would give them),
    // in the exposed unit; an empty snapshot gives zeros and a NaN mean.
    struct latency_summary {
        std::uint64_t count = 0;
        double sum = 0, mean = 0, p50 = 0, p95 = 0, p99 = 0, max = 0;
    };
    latency_summary summary() const {
        latency_summary r{count_, sum(), mean(), 0, 0, 0, max()};
        if (count_ == 0) return r;
        const std::uint64_t ranks[3] = {rank_of(0.5), rank_of(0.95), rank_of(0.99)};
        double* outs[3] = {&r.p50, &r.p95, &r.p99};
        // One walk, resumed for each rank: after the inner loop, bucket i - 1 is where rank k was reached.
        std::size_t i = 0;
        std::uint64_t seen = 0;
        for (std::size_t k = 0; k < 3; ++k) {
            while (seen < ranks[k] && i + 1 < buckets_.size()) seen += buckets_[i++];
            *outs[k] = seen >= ranks[k] ? to_unit(std::min(layout_.representative(i - 1), max_)) : to_unit(max_);
        }
        return r;
    }

    // How many values are <= `ticks`, counting only buckets that lie wholly at or below it (exact when
    // `ticks` is a bucket's highest value; otherwise the straddling bucket, < 2^-m wide, is left out).
    std::uint64_t count_at_most(std::uint64_t ticks) const noexcept {
        std::uint64_t n = 0;
        for (std::size_t i = 0; i + 1 < buckets_.size(); ++i) {
            if (layout_.highest_in(i) > ticks) break;
            n += buckets_[i];
        }
        return n;
    }

    // count_at_most for many bounds in one pass over the buckets: `sorted_ticks` ascending, out[i] for each.
    void counts_at_most(const std::vector<std::uint64_t>& sorted_ticks, std::vector<std::uint64_t>& out) const {
        out.assign(sorted_ticks.size(), 0);
        const std::size_t regular = buckets_.empty() ? 0 : buckets_.size() - 1;
        std::uint64_t n = 0;
        std::size_t from = 0;
        for (std::size_t k = 0; k < sorted_ticks.size(); ++k) {
            // Buckets [0, end) lie wholly at or below the bound.
            const std::uint64_t t = sorted_ticks[k];
            std::size_t end = regular;
            if (t < layout_.max_trackable()) {
                const std::size_t i = layout_.index_of(t);
                end = layout_.highest_in(i) <= t ? i + 1 : i;
            }
            for (; from < end; ++from) n += buckets_[from];
            out[k] = n;
        }
    }

    // Adds another snapshot of the same layout (e.g. per-thread or per-instance histograms).
    void merge(const histogram_snapshot& other) {
        if (other.layout_.sub_bucket_bits != layout_.sub_bucket_bits ||
            other.layout_.max_value_bits != layout_.max_value_bits || other.unit_ != unit_)
            throw_invalid_field("histogram_snapshot.layout", "cannot merge histograms of different layouts or units");
        for (std::size_t i = 0; i < buckets_.size(); ++i) buckets_[i] += other.buckets_[i];
        count_ += other.count_;
        sum_ += other.sum_;
        max_ = std::max(max_, other.max_);
        invalid_ += other.invalid_;
    }

private:
    template <unsigned, unsigned>
    friend class log_linear_histogram;

    std::uint64_t rank_of(double q) const noexcept {
        return std::max<std::uint64_t>(1, static_cast<std::uint64_t>(std::ceil(q * static_cast<double>(count_))));
    }

    log_linear_layout layout_{};
    double unit_ = 1e-9;
    std::vector<std::uint64_t> buckets_;
    std::uint64_t count_ = 0, sum_ = 0, max_ = 0, invalid_ = 0;
};

template <unsigned SubBucketBits = 6, unsigned MaxValueBits = 42>
class log_linear_histogram {
    static_assert(SubBucketBits >= 1 && SubBucketBits <= 16, "log_linear_histogram: SubBucketBits must be in [1, 16]");
    static_assert(MaxValueBits > SubBucketBits && MaxValueBits <= 64,
                  "log_linear_histogram: MaxValueBits must be in (SubBucketBits, 64]");

public:
    static constexpr log_linear_layout layout{SubBucketBits, MaxValueBits};
    static constexpr std::size_t bucket_count = layout.bucket_count();

    // unit: what one tick is worth in the exposed unit. 1e-9: ticks are nanoseconds, shown in seconds.
    explicit log_linear_histogram(double unit = 1e-9) : unit_(unit) {
        if (!(unit > 0.0) || !std::isfinite(unit))
            throw_invalid_field("histogram.unit", "must be a positive finite number");
    }
    log_linear_histogram(const log_linear_histogram&) = delete;
    log_linear_histogram& operator=(const log_linear_histogram&) = delete;

    double unit() const noexcept { return unit_; }

    void record(std::uint64_t ticks) noexcept {
        counts_[layout.index_of(ticks)].fetch_add(1, std::memory_order_relaxed);
        // An overflowed value enters the sum as the largest trackable one, so +Inf cannot wrap the sum.
        sum_.increment(std::min(ticks, layout.max_trackable()));
        std::uint64_t cur = max_.load(std::memory_order_relaxed);
        while (ticks > cur && !max_.compare_exchange_weak(cur, ticks, std::memory_order_relaxed)) {}
    }

    // A duration, converted to ticks with the histogram's unit, read as seconds per tick (the default
    // nanosecond ticks need no floating point). A negative duration is counted in `invalid`.
    template <class Rep, class Period>
    void record(std::chrono::duration<Rep, Period> d) noexcept {
        if constexpr (!std::chrono::treat_as_floating_point_v<Rep>) {
            if (unit_ == 1e-9) {
                const auto whole = std::chrono::duration_cast<std::chrono::nanoseconds>(d).count();
                if (whole < 0) {
                    invalid_.fetch_add(1, std::memory_order_relaxed);
                    return;
                }
                record(static_cast<std::uint64_t>(whole));
                return;
            }
        }
        observe(std::chrono::duration_cast<std::chrono::duration<double>>(d).count());
    }

    // A value in the exposed unit (seconds by default), as Prometheus clients take it.
    void observe(double value) noexcept {
        if (!(value >= 0.0)) {  // negative or NaN
            invalid_.fetch_add(1, std::memory_order_relaxed);
            return;
        }
        const double ticks = std::round(value / unit_);
        record(ticks >= 18446744073709551615.0 ? std::numeric_limits<std::uint64_t>::max()
                                               : static_cast<std::uint64_t>(ticks));
    }

    histogram_snapshot snapshot() const {
        histogram_snapshot s(layout, unit_);
        snapshot_into(s);
        return s;
    }
    // Refills `s` without allocating when it already has this layout (exposition reuses one buffer).
    void snapshot_into(histogram_snapshot& s) const {
        if (s.buckets_.size() != bucket_count + 1) s.buckets_.assign(bucket_count + 1, 0);
        s.layout_ = layout;
        s.unit_ = unit_;
        s.count_ = 0;
        for (std::size_t i = 0; i <= bucket_count; ++i) {
            s.buckets_[i] = counts_[i].load(std::memory_order_relaxed);
            s.count_ += s.buckets_[i];
        }
        s.sum_ = sum_.value();
        s.max_ = max_.load(std::memory_order_relaxed);
        s.invalid_ = invalid_.load(std::memory_order_relaxed);
    }

    // Adds a snapshot of the same layout into this histogram.
    void merge(const histogram_snapshot& other) {
        if (other.layout().sub_bucket_bits != SubBucketBits || other.layout().max_value_bits != MaxValueBits ||
            other.unit() != unit_)
            throw_invalid_field("histogram_snapshot.layout", "cannot merge histograms of different layouts or units");
        for (std::size_t i = 0; i <= bucket_count; ++i)
            counts_[i].fetch_add(other.buckets()[i], std::memory_order_relaxed);
        sum_.increment(other.sum_ticks());
        invalid_.fetch_add(other.invalid(), std::memory_order_relaxed);
        std::uint64_t cur = max_.load(std::memory_order_relaxed);
        while (other.max_ticks() > cur &&
               !max_.compare_exchange_weak(cur, other.max_ticks(), std::memory_order_relaxed)) {}
    }

    // Zeroes every count. Not atomic as a whole: records racing with reset may survive it.
    void reset() noexcept {
        for (auto& c : counts_) c.store(0, std::memory_order_relaxed);
        sum_.reset();
        max_.store(0, std::memory_order_relaxed);
        invalid_.store(0, std::memory_order_relaxed);
    }

private:
    double unit_;
    // Every record adds to the sum, so one shared word would bounce between cores; striped, it does not.
    striped_counter<4> sum_;
    std::atomic<std::uint64_t> max_{0};
    std::atomic<std::uint64_t> invalid_{0};
    std::array<std::atomic<std::uint64_t>, bucket_count + 1> counts_{};
};

// The default: 0.78% relative error, nanosecond ticks up to 73 minutes, 18.5 KiB.
using latency_histogram = log_linear_histogram<>;

}  // namespace agentkit::observe
