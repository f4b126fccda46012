#include <agentkit/observe/log_linear_histogram.hpp>

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <limits>
#include <random>
#include <string>
#include <thread>
#include <vector>

namespace observe_log_linear_histogram_test {

namespace obs = agentkit::observe;
using namespace std::chrono_literals;

// The exact nearest-rank quantile the histogram approximates.
std::uint64_t exact_quantile(const std::vector<std::uint64_t>& sorted, double q) {
    const auto rank =
        std::max<std::uint64_t>(1, static_cast<std::uint64_t>(std::ceil(q * static_cast<double>(sorted.size()))));
    return sorted[rank - 1];
}

template <class Hist>
void expect_quantiles_within_bound(std::vector<std::uint64_t> values, const std::string& what) {
    Hist h;
    for (auto v : values) h.record(v);
    std::sort(values.begin(), values.end());
    const auto snap = h.snapshot();
    const double bound = Hist::layout.relative_error();
    ASSERT_EQ(snap.count(), values.size());
    EXPECT_EQ(snap.max_ticks(), values.back());
    for (double q : {0.0, 0.001, 0.01, 0.1, 0.25, 0.5, 0.75, 0.9, 0.95, 0.99, 0.999, 0.9999, 1.0}) {
        const double exact = static_cast<double>(exact_quantile(values, q));
        const double got = static_cast<double>(snap.quantile_ticks(q));
        EXPECT_LE(std::abs(got - exact), exact * bound + 1e-9)
            << what << " q=" << q << " exact=" << exact << " got=" << got;
    }
}

TEST(HistogramLayout, BucketsTileTheRangeWithBoundedWidth) {
    constexpr auto layout = obs::latency_histogram::layout;
    EXPECT_EQ(layout.bucket_count(), 37u * 64u);
    EXPECT_DOUBLE_EQ(layout.relative_error(), 1.0 / 128.0);
    for (std::size_t i = 0; i < layout.bucket_count(); ++i) {
        const auto lo = layout.lowest_in(i), hi = layout.highest_in(i);
        ASSERT_EQ(layout.index_of(lo), i);
        ASSERT_EQ(layout.index_of(hi), i);
        if (i + 1 < layout.bucket_count()) {
            ASSERT_EQ(layout.lowest_in(i + 1), hi + 1) << i;
        }
        if (hi > lo) {  // one-value buckets are exact; wider ones are at most 2^-m of their lower bound
            ASSERT_LE(static_cast<double>(hi - lo + 1) / static_cast<double>(lo), 1.0 / 64.0) << i;
        }
    }
    EXPECT_EQ(layout.highest_in(layout.bucket_count() - 1), layout.max_trackable());
    EXPECT_EQ(layout.index_of(layout.max_trackable() + 1), layout.bucket_count());
    EXPECT_EQ(layout.index_of(std::numeric_limits<std::uint64_t>::max()), layout.bucket_count());
}

TEST(HistogramLayout, SmallValuesAreExact) {
    obs::latency_histogram h;
    for (std::uint64_t v = 0; v < 128; ++v) h.record(v);
    const auto s = h.snapshot();
    EXPECT_EQ(s.quantile_ticks(0.0), 0u);
    EXPECT_EQ(s.quantile_ticks(0.5), 63u);
    EXPECT_EQ(s.quantile_ticks(1.0), 127u);
}

TEST(HistogramLayout, MemoryIsFixedAndInline) {
    EXPECT_LE(sizeof(obs::latency_histogram),
              (37u * 64u + 1u) * 8u + 4u * 64u + 128u);  // counts + striped sum + scalars
    EXPECT_GE(sizeof(obs::latency_histogram), (37u * 64u + 1u) * 8u);
}

TEST(HistogramQuantiles, UniformDataWithinDocumentedBound) {
    std::mt19937_64 rng(1);
    std::uniform_int_distribution<std::uint64_t> d(0, 2'000'000'000);
    std::vector<std::uint64_t> v(100'000);
    for (auto& x : v) x = d(rng);
    expect_quantiles_within_bound<obs::latency_histogram>(v, "uniform");
}

TEST(HistogramQuantiles, LognormalLatenciesWithinDocumentedBound) {
    std::mt19937_64 rng(2);
    std::lognormal_distribution<double> d(std::log(50e6), 1.2);  // median 50 ms in ns, long right tail
    std::vector<std::uint64_t> v(100'000);
    for (auto& x : v) x = static_cast<std::uint64_t>(std::min(d(rng), 4e12));
    expect_quantiles_within_bound<obs::latency_histogram>(v, "lognormal");
}

TEST(HistogramQuantiles, ParetoHeavyTailWithinDocumentedBound) {
    std::mt19937_64 rng(3);
    std::uniform_real_distribution<double> u(0.0, 1.0);
    std::vector<std::uint64_t> v(100'000);
    for (auto& x : v)
        x = static_cast<std::uint64_t>(std::min(1e5 / std::pow(1.0 - u(rng), 1.0 / 1.1), 4e12));  // alpha 1.1
    expect_quantiles_within_bound<obs::latency_histogram>(v, "pareto");
    expect_quantiles_within_bound<obs::log_linear_histogram<7, 42>>(v, "pareto m=7");
    expect_quantiles_within_bound<obs::log_linear_histogram<3, 48>>(v, "pareto m=3");
}

TEST(HistogramQuantiles, SummaryMatchesQuantilesInOnePass) {
    obs::latency_histogram h;
    EXPECT_EQ(h.snapshot().summary().count, 0u);
    EXPECT_EQ(h.snapshot().summary().p99, 0.0);
    std::mt19937_64 rng(5);
    std::lognormal_distribution<double> d(std::log(50e6), 1.2);
    for (int i = 0; i < 10'000; ++i) h.record(static_cast<std::uint64_t>(d(rng)));
    h.record(std::uint64_t{1} << 45);  // one overflow: p99 must not reach it, max must
    const auto s = h.snapshot();
    const auto sum = s.summary();
    EXPECT_EQ(sum.count, s.count());
    EXPECT_EQ(sum.p50, s.quantile(0.5));
    EXPECT_EQ(sum.p95, s.quantile(0.95));
    EXPECT_EQ(sum.p99, s.quantile(0.99));
    EXPECT_EQ(sum.max, s.max());
    EXPECT_DOUBLE_EQ(sum.mean, s.mean());
    EXPECT_DOUBLE_EQ(sum.sum, s.sum());
}

TEST(HistogramQuantiles, FewSamplesAndEmpty) {
    obs::latency_histogram h;
    EXPECT_EQ(h.snapshot().quantile_ticks(0.99), 0u);
    EXPECT_TRUE(std::isnan(h.snapshot().mean()));
    h.record(1'000'000);
    const auto s = h.snapshot();
    EXPECT_EQ(s.quantile_ticks(0.0), s.quantile_ticks(1.0));
    EXPECT_NEAR(static_cast<double>(s.quantile_ticks(0.5)), 1e6, 1e6 / 128);
    EXPECT_DOUBLE_EQ(s.mean(), 1e-3);
    EXPECT_DOUBLE_EQ(s.sum(), 1e-3);
    EXPECT_DOUBLE_EQ(s.max(), 1e-3);
}

TEST(HistogramQuantiles, OutOfRangeQuantileNamesTheField) {
    obs::latency_histogram h;
    h.record(5);
    const auto s = h.snapshot();
    for (double q : {-0.1, 1.01, std::nan("")}) {
        try {
            (void)s.quantile(q);
            FAIL() << q;
        } catch (const agentkit::error& e) {
            EXPECT_EQ(e.field(), "quantile");
        }
    }
}

TEST(HistogramBadInput, NegativeAndNanAreCountedAsInvalidNotRecorded) {
    obs::latency_histogram h;
    h.observe(-1.0);
    h.observe(std::nan(""));
    h.observe(-std::numeric_limits<double>::infinity());
    h.record(-5ms);
    h.observe(0.25);
    const auto s = h.snapshot();
    EXPECT_EQ(s.invalid(), 4u);
    EXPECT_EQ(s.count(), 1u);
    EXPECT_DOUBLE_EQ(s.sum(), 0.25);
}

TEST(HistogramBadInput, HugeValuesGoToOverflowAndReportTheExactMax) {
    obs::latency_histogram h;
    for (int i = 0; i < 98; ++i) h.record(1000);
    h.record(std::uint64_t{1} << 50);
    h.observe(std::numeric_limits<double>::infinity());
    const auto s = h.snapshot();
    EXPECT_EQ(s.count(), 100u);
    EXPECT_EQ(s.overflow(), 2u);
    EXPECT_EQ(s.max_ticks(), std::numeric_limits<std::uint64_t>::max());
    EXPECT_NEAR(static_cast<double>(s.quantile_ticks(0.98)), 1000.0, 1000.0 / 128);
    // Overflowed values enter the sum as the largest trackable value, so the sum cannot wrap.
    EXPECT_EQ(s.sum_ticks(), 98u * 1000u + 2 * s.layout().max_trackable());
    EXPECT_EQ(s.quantile_ticks(0.99), std::numeric_limits<std::uint64_t>::max());
}

TEST(HistogramDurations, ConvertedToNanosecondTicks) {
    obs::latency_histogram h;
    h.record(3ms);
    h.record(std::chrono::duration<double>(0.5));
    h.record(250us);
    const auto s = h.snapshot();
    EXPECT_EQ(s.sum_ticks(), 3'000'000u + 500'000'000u + 250'000u);
    EXPECT_EQ(s.max_ticks(), 500'000'000u);
}

TEST(HistogramDurations, MicrosecondUnitScalesDurationsAndObservations) {
    obs::latency_histogram h(1e-6);  // ticks are microseconds, exposed in seconds
    h.record(3ms);
    h.observe(0.5);
    const auto s = h.snapshot();
    EXPECT_EQ(s.sum_ticks(), 3'000u + 500'000u);
    EXPECT_DOUBLE_EQ(s.sum(), 0.503);
    EXPECT_THROW(obs::latency_histogram(0.0), agentkit::error);
    EXPECT_THROW(obs::latency_histogram(-1.0), agentkit::error);
}

TEST(HistogramConcurrency, ExactCountsSumAndMaxUnderTwoToFourThreads) {
    for (int threads : {2, 3, 4}) {
        obs::latency_histogram h;
        std::vector<std::thread> ts;
        constexpr std::uint64_t per = 40'000;
        for (int t = 0; t < threads; ++t)
            ts.emplace_back([&h, t] {
                for (std::uint64_t i = 0; i < per; ++i) h.record(i * 1000 + static_cast<std::uint64_t>(t));
            });
        for (auto& t : ts) t.join();
        const auto s = h.snapshot();
        std::uint64_t sum = 0;
        for (int t = 0; t < threads; ++t) sum += per * (per - 1) / 2 * 1000 + per * static_cast<std::uint64_t>(t);
        EXPECT_EQ(s.count(), per * static_cast<std::uint64_t>(threads));
        EXPECT_EQ(s.sum_ticks(), sum);
        EXPECT_EQ(s.max_ticks(), (per - 1) * 1000 + static_cast<std::uint64_t>(threads - 1));
    }
}

TEST(HistogramMerge, MergedSnapshotsEqualOneHistogramOfAllValues) {
    obs::latency_histogram a, b, all;
    std::mt19937_64 rng(4);
    std::uniform_int_distribution<std::uint64_t> d(0, 1'000'000'000);
    for (int i = 0; i < 10'000; ++i) {
        const auto v = d(rng);
        (i % 3 ? a : b).record(v);
        all.record(v);
    }
    a.observe(-1);
    auto s = a.snapshot();
    s.merge(b.snapshot());
    const auto expected = all.snapshot();
    EXPECT_EQ(s.buckets(), expected.buckets());
    EXPECT_EQ(s.count(), expected.count());
    EXPECT_EQ(s.sum_ticks(), expected.sum_ticks());
    EXPECT_EQ(s.max_ticks(), expected.max_ticks());
    EXPECT_EQ(s.invalid(), 1u);
    for (double q : {0.5, 0.95, 0.99}) EXPECT_EQ(s.quantile_ticks(q), expected.quantile_ticks(q));

    b.merge(a.snapshot());
    EXPECT_EQ(b.snapshot().buckets(), expected.buckets());
}

TEST(HistogramMerge, DifferentLayoutsAreRefused) {
    obs::latency_histogram a;
    obs::log_linear_histogram<7, 42> b;
    auto s = a.snapshot();
    EXPECT_THROW(s.merge(b.snapshot()), agentkit::error);
    EXPECT_THROW(a.merge(b.snapshot()), agentkit::error);
    obs::latency_histogram micro(1e-6);
    EXPECT_THROW(a.merge(micro.snapshot()), agentkit::error);
}

TEST(HistogramReset, ZeroesEverything) {
    obs::latency_histogram h;
    h.record(10);
    h.observe(-1);
    h.reset();
    const auto s = h.snapshot();
    EXPECT_EQ(s.count(), 0u);
    EXPECT_EQ(s.sum_ticks(), 0u);
    EXPECT_EQ(s.max_ticks(), 0u);
    EXPECT_EQ(s.invalid(), 0u);
}

TEST(HistogramSnapshot, CountAtMostIsExactOnBucketEdges) {
    obs::latency_histogram h;
    for (std::uint64_t v = 0; v < 100'000; v += 7) h.record(v);
    const auto s = h.snapshot();
    const auto& layout = s.layout();
    for (std::size_t i : {std::size_t{0}, std::size_t{100}, std::size_t{500}, std::size_t{700}}) {
        const auto edge = layout.highest_in(i);
        EXPECT_EQ(s.count_at_most(edge), edge / 7 + 1) << edge;
    }
    // Off an edge, only the straddling bucket may be left out.
    const std::uint64_t bound = 50'000;
    const auto below = s.count_at_most(bound);
    EXPECT_LE(below, bound / 7 + 1);
    EXPECT_GE(below, static_cast<std::uint64_t>(bound * (1 - 1.0 / 64)) / 7);
}

}  // namespace observe_log_linear_histogram_test
