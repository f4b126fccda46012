// The calibrated estimator: SIMD and scalar classification agree, it streams, it allocates nothing, and
// its error against the exact counts meets the goals on the held-out half of the corpus (skipped when the
// reference is absent). chars/4 is measured beside it for comparison, not asserted.
#include <agentkit/text/calibrated_estimator.hpp>
#include <agentkit/text/chars_per_token.hpp>
#include <agentkit/agent/slots.hpp>

#include <agentkit_test/token_reference.hpp>
#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <string>

namespace calibrated_estimator_test {
using namespace agentkit::text;

TEST(CalibratedEstimator, SimdAndScalarPassesAgreeAtEveryLengthAndSplit) {
    std::mt19937 rng(3);
    for (int round = 0; round < 500; ++round) {
        std::string s(rng() % 300, '\0');
        static constexpr char palette[] = "aZ0 \n\t.{\xC3\xA9\xE4\xB8\xAD\xF0\x9F\x98\x80\xF3";
        for (auto& c : s) c = static_cast<char>(rng() % 2 ? palette[rng() % (sizeof palette - 1)] : rng() % 256);
        byte_features scalar;
        detail::classify_scalar(reinterpret_cast<const unsigned char*>(s.data()), s.size(), scalar);
        const byte_features simd = features_of(s);
        EXPECT_EQ(simd.n, scalar.n);
        EXPECT_EQ(simd.prev, scalar.prev);
        // Streaming in two parts gives the same features.
        const std::size_t cut = s.empty() ? 0 : rng() % s.size();
        byte_features parts;
        measure_features(std::string_view(s).substr(0, cut), parts);
        measure_features(std::string_view(s).substr(cut), parts);
        EXPECT_EQ(parts.n, scalar.n);
    }
}

// Long inputs cross the SIMD kernel's periodic fold of its byte-lane counters (every 8 KiB with AVX2).
TEST(CalibratedEstimator, SimdAndScalarPassesAgreeOnLongInputs) {
    std::mt19937 rng(7);
    for (int round = 0; round < 6; ++round) {
        std::string s(8000 + rng() % 40000, '\0');
        static constexpr char palette[] = "aZz0 \n\r\t.{\xC3\xA9\xE4\xB8\xAD\xF0\x9F\x98\x80\xF3\xFF";
        for (auto& c : s) c = static_cast<char>(rng() % 4 ? palette[rng() % (sizeof palette - 1)] : rng() % 256);
        byte_features scalar;
        detail::classify_scalar(reinterpret_cast<const unsigned char*>(s.data()), s.size(), scalar);
        const byte_features simd = features_of(s);
        EXPECT_EQ(simd.n, scalar.n);
        EXPECT_EQ(simd.prev, scalar.prev);
        const std::size_t cut = rng() % s.size();
        byte_features parts;
        measure_features(std::string_view(s).substr(0, cut), parts);
        measure_features(std::string_view(s).substr(cut), parts);
        EXPECT_EQ(parts.n, scalar.n);
    }
}

TEST(CalibratedEstimator, IsAStreamingCounterAndFillsTheTokensSlot) {
    const calibrated_estimator<o200k> est;
    EXPECT_EQ(est.count(""), 0u);
    EXPECT_GE(est.count("a"), 1u);
    const std::string text = "The quick brown fox jumps over the lazy dog.\nfn main() { println!(\"hi\"); }\n";
    token_tally<calibrated_estimator<o200k>> tally;
    for (char c : text) tally.append(std::string_view(&c, 1));
    EXPECT_EQ(tally.total(), est.count(text));
    EXPECT_EQ(count_tokens<calibrated_estimator<cl100k>>(text), calibrated_estimator<cl100k>{}.count(text));
    static_assert(agentkit::tokens_slot_policy<calibrated_estimator<cl100k>>);
    // chars_per_token streams exactly too.
    token_tally<chars_per_token<4>> c4;
    c4.append("abc");
    c4.append("de");
    EXPECT_EQ(c4.total(), 2u);
}

template <class E>
void check_accuracy(const char* ids_file) {
    const auto docs = agentkit_test::read_reference("corpus.bin", ids_file);
    if (docs.empty()) GTEST_SKIP() << "no reference ids (run scripts/bootstrap --peers)";
    const calibrated_estimator<E> est;
    double est_sum = 0, exact_sum = 0, abs_rel = 0, c4_abs_rel = 0, c4_sum = 0;
    std::size_t n = 0;
    for (std::size_t i = 1; i < docs.size(); i += 2) {  // odd documents: held out from the fit
        const auto& d = docs[i];
        if (d.text.size() < 1024) continue;
        const double exact = static_cast<double>(d.ids.size());
        const double e = static_cast<double>(est.count(d.text));
        const double c4 = static_cast<double>(chars_per_token<4>{}.count(d.text));
        est_sum += e, exact_sum += exact, c4_sum += c4;
        abs_rel += std::abs(e - exact) / exact;
        c4_abs_rel += std::abs(c4 - exact) / exact;
        ++n;
    }
    ASSERT_GT(n, 100u);
    const double aggregate = (est_sum - exact_sum) / exact_sum, mae = abs_rel / static_cast<double>(n);
    std::printf("[ %s ] calibrated: aggregate %+.2f%%, MAE %.2f%% | chars/4: aggregate %+.2f%%, MAE %.2f%% (%zu held-out docs)\n",
                ids_file, 100 * aggregate, 100 * mae, 100 * (c4_sum - exact_sum) / exact_sum, 100 * c4_abs_rel / static_cast<double>(n), n);
    EXPECT_LE(std::abs(aggregate), 0.02);
    EXPECT_LE(mae, 0.05);
}
TEST(CalibratedEstimator, MeetsTheErrorGoalsOnHeldOutDocumentsCl100k) { check_accuracy<cl100k>("cl100k_base.ids"); }
TEST(CalibratedEstimator, MeetsTheErrorGoalsOnHeldOutDocumentsO200k) { check_accuracy<o200k>("o200k_base.ids"); }

}  // namespace calibrated_estimator_test
