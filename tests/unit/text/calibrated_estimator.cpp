// The calibrated estimator: every kernel (scalar, SSE2, AVX2, each forced in turn) gives the scalar
// pass's features on random, structured and corpus inputs, whole and streamed; it streams, and its error
// against the exact counts meets the goals on the held-out half of the corpus (fails when the reference
// is absent; see agentkit_test/peer_data.hpp). chars/4 is measured beside it for comparison, not asserted.
#include <agentkit/text/calibrated_estimator.hpp>
#include <agentkit/text/chars_per_token.hpp>
#include <agentkit/agent/slots.hpp>

#include <agentkit_test/token_reference.hpp>
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <random>
#include <string>
#include <string_view>
#include <vector>

namespace calibrated_estimator_test {
using namespace agentkit::text;

// Every kernel this CPU runs (scalar always; SSE2 and AVX2 on x86-64), each forced in turn.
std::vector<simd_level> runnable_levels() {
    std::vector<simd_level> levels;
    for (auto level : {simd_level::scalar, simd_level::sse2, simd_level::avx2})
        if (simd_level_available(level)) levels.push_back(level);
    return levels;
}

byte_features reference_features(std::string_view s) {
    byte_features f;
    detail::classify_scalar(reinterpret_cast<const unsigned char*>(s.data()), s.size(), f);
    return f;
}

// Each kernel gives the scalar pass's features and carried flags for s, whole and in two parts cut
// at `cut` (streaming).
void expect_every_kernel_agrees(std::string_view s, std::size_t cut) {
    const byte_features want = reference_features(s);
    for (const simd_level level : runnable_levels()) {
        SCOPED_TRACE(to_string(level));
        byte_features whole;
        measure_features(s, whole, level);
        EXPECT_EQ(whole.n, want.n);
        EXPECT_EQ(whole.prev, want.prev);
        byte_features parts;
        measure_features(s.substr(0, cut), parts, level);
        measure_features(s.substr(cut), parts, level);
        EXPECT_EQ(parts.n, want.n);
        EXPECT_EQ(parts.prev, want.prev);
    }
}

std::string random_text(std::mt19937& rng, std::size_t n, unsigned palette_share_of_4) {
    static constexpr char palette[] =
        "aZzA0 9\n\r\t.{`@[\x7F\xC3\xA9\xE4\xB8\xAD\xE3\xE9\xEA\xF0\x9F\x98\x80\xF1\xF3\xFF\x80\xBF\xC0\xDF\xE0\xEF";
    std::string s(n, '\0');
    for (auto& c : s)
        c = static_cast<char>(rng() % 4 < palette_share_of_4 ? palette[rng() % (sizeof palette - 1)] : rng() % 256);
    return s;
}

TEST(CalibratedEstimatorKernels, TheDetectedLevelIsRunnableAndScalarAlwaysIs) {
    EXPECT_TRUE(simd_level_available(simd_level::scalar));
    EXPECT_TRUE(simd_level_available(detected_simd_level()));
#if defined(__x86_64__)
    EXPECT_TRUE(simd_level_available(simd_level::sse2));
#endif
#if defined(__AVX2__) && defined(__BMI2__)
    EXPECT_EQ(detected_simd_level(), simd_level::avx2);
#endif
    std::printf("[ kernels ] detected %s\n", to_string(detected_simd_level()));
}

TEST(CalibratedEstimatorKernels, AgreeAtEveryLengthAndSplit) {
    std::mt19937 rng(3);
    for (std::size_t n = 0; n < 300; ++n) {
        const std::string s = random_text(rng, n, 2);
        expect_every_kernel_agrees(s, n == 0 ? 0 : rng() % n);
    }
}

// Long inputs cross the kernels' chunks and periodic folds of their byte-lane counters (every 8128
// bytes with AVX2, 4080 with SSE2), in documents that are all ASCII (no lead-byte loop), ASCII with a
// few emoji (the lead-byte loop for some kilobytes only), mostly non-ASCII, and mixed.
TEST(CalibratedEstimatorKernels, AgreeOnLongInputs) {
    std::mt19937 rng(7);
    for (unsigned share : {4u, 3u, 0u}) {
        for (int round = 0; round < 3; ++round) {
            std::string s = random_text(rng, 8000 + rng() % 40000, share);
            if (round >= 1)  // all ASCII: the lead-byte loop is skipped for every chunk
                for (auto& c : s) c = static_cast<char>(static_cast<unsigned char>(c) & 0x7F);
            if (round == 2)  // ... but for the few kilobytes that get a non-ASCII character
                for (int k = 0; k < 4; ++k) s.replace(rng() % (s.size() - 4), 4, "\xF0\x9F\x98\x80");
            expect_every_kernel_agrees(s, rng() % s.size());
        }
    }
    // Runs that cross every 64-byte step and chunk boundary: one class for a long stretch, then another.
    for (const char* unit : {" ", "\n ", "a", "aB", "7", ".", "\xE4\xB8\xAD", "\xF0\x9F\x98\x80", "\t\r"}) {
        std::string s;
        while (s.size() < 20000) s += unit;
        s += "x";
        expect_every_kernel_agrees(s, 8129);
    }
}

// The first byte of a call joins the features carried from the previous call (AVX2 classifies it alone).
TEST(CalibratedEstimatorKernels, CarryTheFlagsOfThePreviousCallIntoTheFirstByte) {
    const std::string body(200, ' ');
    for (const char* before : {"a", "Zz", "9", ";", " ", "\n", "\xC3"}) {
        for (const char* first : {" ", "A", "a", "1", "!"}) {
            const std::string s = std::string(first) + body;
            const std::string all = before + s;
            const byte_features want = reference_features(all);
            for (const simd_level level : runnable_levels()) {
                byte_features f;
                measure_features(before, f, level);
                measure_features(s, f, level);
                EXPECT_EQ(f.n, want.n) << to_string(level) << " after '" << before << "' then '" << first << "'";
            }
        }
    }
}

// Sixteen 48 KB slices spread over the corpus (every kind of document; the whole 10 MB would take
// seconds in a Debug/ASan build).
TEST(CalibratedEstimatorKernels, AgreeOnTheCorpus) {
    const auto corpus = agentkit_test::read_file(agentkit_test::data_dir() + "/tokens/corpus.txt");
    if (!corpus) AGENTKIT_MISSING_PEER() << "no tokens/corpus.txt (run scripts/bootstrap)";
    const calibrated_estimator<o200k> est;
    constexpr std::size_t slices = 16, slice = 48 * 1024;
    for (std::size_t k = 0; k < slices; ++k) {
        const std::string_view s = std::string_view(*corpus).substr(corpus->size() / slices * k, slice);
        expect_every_kernel_agrees(s, s.size() / 3 + k);
        // And the public result, each kernel's estimate.
        const std::size_t want = est.finish(reference_features(s));
        for (const simd_level level : runnable_levels()) {
            byte_features f;
            measure_features(s, f, level);
            EXPECT_EQ(est.finish(f), want) << to_string(level);
        }
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
    if (docs.empty())
        AGENTKIT_MISSING_PEER() << "no reference ids in " << agentkit_test::data_dir()
                                << "/tokens (run scripts/bootstrap)";
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
    std::printf(
        "[ %s ] calibrated: aggregate %+.2f%%, MAE %.2f%% | chars/4: aggregate %+.2f%%, MAE %.2f%% (%zu held-out "
        "docs)\n",
        ids_file, 100 * aggregate, 100 * mae, 100 * (c4_sum - exact_sum) / exact_sum,
        100 * c4_abs_rel / static_cast<double>(n), n);
    EXPECT_LE(std::abs(aggregate), 0.02);
    EXPECT_LE(mae, 0.05);
}
TEST(CalibratedEstimator, MeetsTheErrorGoalsOnHeldOutDocumentsCl100k) { check_accuracy<cl100k>("cl100k_base.ids"); }
TEST(CalibratedEstimator, MeetsTheErrorGoalsOnHeldOutDocumentsO200k) { check_accuracy<o200k>("o200k_base.ids"); }

}  // namespace calibrated_estimator_test
