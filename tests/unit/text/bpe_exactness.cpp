// Token-for-token exactness against tiktoken itself (@dqbd/tiktoken: its Rust core compiled to WASM) on
// the ~10 MB mixed corpus and 20,000 random strings over a palette of pre-tokenizer edge cases (the
// differential test), both produced by bench/peers/tokens/make-reference.mjs (scripts/bootstrap).
// Failed, never passed, when the reference is absent (see agentkit_test/peer_data.hpp).
#include <agentkit/text/bpe_encoding.hpp>

#include <agentkit_test/tiktoken_files.hpp>
#include <agentkit_test/token_reference.hpp>
#include <gtest/gtest.h>

#include <string>

namespace {
using namespace agentkit::text;

template <class P>
void check(const std::string& corpus, const std::string& ids, std::size_t min_bytes) {
    AGENTKIT_REQUIRE_BPE(P, enc);
    const auto docs = agentkit_test::read_reference(corpus, ids);
    if (docs.empty())
        AGENTKIT_MISSING_PEER() << "no reference ids in " << agentkit_test::data_dir()
                                << "/tokens (run scripts/bootstrap)";
    std::size_t bytes = 0, failures = 0;
    for (const auto& d : docs) {
        bytes += d.text.size();
        const auto ours = enc->encode_ordinary(d.text);
        if (ours != d.ids) {
            std::size_t k = 0;
            while (k < ours.size() && k < d.ids.size() && ours[k] == d.ids[k]) ++k;
            if (++failures <= 5)
                ADD_FAILURE() << P::name << ": " << d.kind << " document of " << d.text.size()
                              << " bytes differs at token " << k;
        }
        EXPECT_EQ(enc->count(d.text), d.ids.size()) << d.kind;
    }
    EXPECT_EQ(failures, 0u);
    EXPECT_GE(bytes, min_bytes);
}

TEST(BpeExactness, Cl100kCorpus) { check<cl100k>("corpus.bin", "cl100k_base.ids", 5u << 20); }
TEST(BpeExactness, O200kCorpus) { check<o200k>("corpus.bin", "o200k_base.ids", 5u << 20); }
TEST(BpeExactness, Cl100kRandomStrings) { check<cl100k>("random.bin", "random.cl100k_base.ids", 100'000); }
TEST(BpeExactness, O200kRandomStrings) { check<o200k>("random.bin", "random.o200k_base.ids", 100'000); }

}  // namespace
