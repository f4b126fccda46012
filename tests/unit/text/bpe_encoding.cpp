// The exact encodings on the real rank files: gpt-tokenizer's TestPlans.txt cases, special tokens,
// decode, boundaries, counting paths, invalid UTF-8, long pieces, vocabulary errors. Failed (not passed)
// when scripts/bootstrap has not fetched the rank files (see agentkit_test/peer_data.hpp).
#include <agentkit/text/bpe_encoding.hpp>
#include <agentkit/agent/slots.hpp>

#include <agentkit_test/temp_dir.hpp>
#include <agentkit_test/tiktoken_files.hpp>
#include <agentkit_test/token_reference.hpp>
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <vector>

namespace {
using namespace agentkit::text;

struct plan {
    std::string encoding, sample;
    std::vector<token_id> ids;
};
std::vector<plan> test_plans() {
    std::vector<plan> plans;
    const auto file = agentkit_test::read_file(agentkit_test::data_dir() + "/tiktoken/TestPlans.txt");
    if (!file) return plans;
    std::istringstream in(*file);
    std::string line;
    plan p;
    while (std::getline(in, line)) {
        if (line.rfind("EncodingName: ", 0) == 0)
            p.encoding = line.substr(14);
        else if (line.rfind("Sample: ", 0) == 0)
            p.sample = line.substr(8);
        else if (line.rfind("Encoded: [", 0) == 0) {
            p.ids.clear();
            std::string list = line.substr(10);
            for (char& c : list)
                if (c == ',' || c == ']') c = ' ';
            std::istringstream nums(list);
            for (token_id id; nums >> id;) p.ids.push_back(id);
            plans.push_back(p);
        }
    }
    return plans;
}

template <class P>
void check_plans() {
    AGENTKIT_REQUIRE_BPE(P, enc);
    const auto plans = test_plans();
    if (plans.empty()) AGENTKIT_MISSING_PEER() << "TestPlans.txt not found (run scripts/bootstrap)";
    std::size_t n = 0;
    for (const auto& p : plans) {
        if (p.encoding != P::name) continue;
        ++n;
        EXPECT_EQ(enc->encode(p.sample), p.ids) << p.sample;
        EXPECT_EQ(enc->count(p.sample), p.ids.size()) << p.sample;
        EXPECT_EQ(enc->decode(p.ids), p.sample);
    }
    EXPECT_GT(n, 50u);
}
TEST(BpeEncoding, GptTokenizerTestPlansCl100k) { check_plans<cl100k>(); }
TEST(BpeEncoding, GptTokenizerTestPlansO200k) { check_plans<o200k>(); }

TEST(BpeEncoding, KnownIdsAndVocabularySizes) {
    AGENTKIT_REQUIRE_BPE(cl100k, cl);
    AGENTKIT_REQUIRE_BPE(o200k, o2);
    EXPECT_EQ(cl->encode("hello world"), (std::vector<token_id>{15339, 1917}));
    EXPECT_EQ(o2->encode("hello world"), (std::vector<token_id>{24912, 2375}));
    EXPECT_EQ(cl->n_vocab(), 100261u);
    EXPECT_EQ(o2->n_vocab(), 200000u);
    EXPECT_GT(cl->resident_bytes(), 1'000'000u);
}

TEST(BpeEncoding, SpecialTokensFollowTiktoken) {
    AGENTKIT_REQUIRE_BPE(cl100k, enc);
    const std::string text = "a<|endoftext|>b";
    // Default: every special token is disallowed -> error naming the field.
    try {
        (void)enc->encode(text);
        FAIL();
    } catch (const agentkit::error& e) {
        EXPECT_EQ(e.field(), "text");
        EXPECT_NE(std::string(e.what()).find("<|endoftext|>"), std::string::npos);
    }
    EXPECT_EQ(enc->encode(text, special_tokens::all()), (std::vector<token_id>{64, 100257, 65}));
    EXPECT_EQ(enc->encode(text, special_tokens::only({"<|endoftext|>"})), (std::vector<token_id>{64, 100257, 65}));
    // Neither allowed nor disallowed: plain text, like encode_ordinary.
    const auto plain = enc->encode(text, special_tokens::none(), special_tokens::none());
    EXPECT_EQ(plain, enc->encode_ordinary(text));
    EXPECT_EQ(plain.size(), enc->count(text));
    EXPECT_GT(plain.size(), 3u);
    // Allowing one does not allow another.
    EXPECT_THROW((void)enc->encode("<|fim_prefix|>", special_tokens::only({"<|endoftext|>"})), agentkit::error);
    EXPECT_EQ(enc->decode(std::vector<token_id>{64, 100257, 100276}), "a<|endoftext|><|endofprompt|>");
    try {
        (void)enc->decode(std::vector<token_id>{64, 100261});
        FAIL();
    } catch (const agentkit::error& e) {
        EXPECT_EQ(e.field(), "tokens[1]");
    }
}

TEST(BpeEncoding, BoundariesCountsAndDecodeAgree) {
    AGENTKIT_REQUIRE_BPE(o200k, enc);
    const std::string text = "def f(x):\n    return x ** 2  # 中文 🧑🏽‍💻 naïve café's   \n\n\tend";
    std::vector<std::uint32_t> ends;
    enc->token_ends(text, ends);
    const auto ids = enc->encode_ordinary(text);
    ASSERT_EQ(ends.size(), ids.size());
    EXPECT_EQ(ends.back(), text.size());
    std::size_t begin = 0, k = 0;
    enc->for_each_token(text, [&](token_id id, std::size_t b, std::size_t e) {
        EXPECT_EQ(b, begin);
        EXPECT_EQ(id, ids[k]);
        EXPECT_EQ(enc->decode(std::vector<token_id>{id}), text.substr(b, e - b));
        begin = e;
        ++k;
    });
    EXPECT_EQ(enc->count(text), ids.size());
    EXPECT_EQ(enc->decode(ids), text);
}

TEST(BpeEncoding, InvalidUtf8NeverCrashesAndRoundTrips) {
    AGENTKIT_REQUIRE_BPE(cl100k, cl);
    AGENTKIT_REQUIRE_BPE(o200k, o2);
    std::mt19937 rng(1234);
    for (int round = 0; round < 300; ++round) {
        std::string s(rng() % 200, '\0');
        for (auto& c : s) c = static_cast<char>(rng() % 3 == 0 ? 0x80 + rng() % 128 : rng() % 256);
        const auto a = cl->encode_ordinary(s);
        EXPECT_EQ(cl->decode(a), s);
        EXPECT_EQ(cl->count(s), a.size());
        const auto b = o2->encode_ordinary(s);
        EXPECT_EQ(o2->decode(b), s);
        EXPECT_EQ(o2->count(s), b.size());
    }
    // A lone continuation byte is a symbol: it joins the punctuation run before it.
    EXPECT_EQ(cl->decode(cl->encode_ordinary("a\x80!b")), "a\x80!b");
}

TEST(BpeEncoding, AMegabyteWithoutSpacesIsLinearithmic) {
    AGENTKIT_REQUIRE_BPE(cl100k, enc);
    std::mt19937 rng(5);
    std::string letters(1 << 20, 'a');
    for (auto& c : letters) c = static_cast<char>('a' + rng() % 26);
    const auto ids = enc->encode_ordinary(letters);  // one piece of 1 MiB: the heap merge
    EXPECT_EQ(enc->decode(ids), letters);
    EXPECT_EQ(enc->count(letters), ids.size());
    EXPECT_GT(ids.size(), letters.size() / 8);
    const std::string same(1 << 16, 'x');  // equal ranks everywhere: leftmost-first ties
    const auto xs = enc->encode_ordinary(same);
    EXPECT_EQ(enc->decode(xs), same);
}

TEST(BpeEncoding, ParallelCountAndTallyEqualCount) {
    AGENTKIT_REQUIRE_BPE(cl100k, enc);
    std::string text;
    std::mt19937 rng(9);
    while (text.size() < (3u << 20))
        text += "Line " + std::to_string(rng()) + ": the quick brown fox's jump\n  indented {x: 1}\n";
    const std::size_t n = enc->count(text);
    EXPECT_EQ(enc->count_parallel(text, 4, 1 << 18), n);
    token_tally<cl100k> tally;
    for (std::size_t i = 0; i < text.size();) {
        const std::size_t step = 1 + rng() % 5000;
        tally.append(std::string_view(text).substr(i, step));
        i += step;
    }
    EXPECT_EQ(tally.total(), n);
}

TEST(BpeEncoding, PoliciesAreTokenCountersAndFillTheTokensSlot) {
    AGENTKIT_REQUIRE_BPE(cl100k, enc);
    AGENTKIT_REQUIRE_BPE(o200k, o2);
    EXPECT_EQ(count_tokens<cl100k>("hello world"), 2u);
    EXPECT_EQ(count_tokens<o200k>("hello world"), 2u);
    EXPECT_EQ(bpe_counter<cl100k>{}.count("hello world"), 2u);
    static_assert(agentkit::tokens_slot_policy<bpe_counter<o200k>> && agentkit::tokens_slot_policy<cl100k>);
    (void)enc;
    (void)o2;
}

TEST(BpeEncoding, MissingOrCorruptVocabularyNamesTheFile) {
    const agentkit_test::temp_dir scratch("agentkit-tiktoken");
    const auto& dir = scratch.path;
    try {
        (void)load_bpe_encoding<cl100k>(dir.string());
        FAIL();
    } catch (const agentkit::error& e) {
        EXPECT_EQ(e.code(), agentkit::errc::not_found);
        EXPECT_EQ(e.field(), (dir / "cl100k_base.tiktoken").string());
    }
    const auto real = agentkit_test::read_file(agentkit_test::data_dir() + "/tiktoken/cl100k_base.tiktoken");
    if (real) {  // truncated: parses, but has too few ranks
        std::ofstream(dir / "cl100k_base.tiktoken", std::ios::binary) << real->substr(0, real->size() / 2 - 7);
        try {
            (void)load_bpe_encoding<cl100k>(dir.string());
            FAIL();
        } catch (const agentkit::error& e) {
            EXPECT_EQ(e.field(), (dir / "cl100k_base.tiktoken").string());
            EXPECT_EQ(e.code(), agentkit::errc::parse_error);
        }
    }
}

TEST(BpeEncoding, TiktokenDirHonoursTheEnvironment) {
    ::setenv("AGENTKIT_TIKTOKEN_DIR", "/somewhere/tiktoken", 1);
    EXPECT_EQ(tiktoken_dir(), "/somewhere/tiktoken");
    ::unsetenv("AGENTKIT_TIKTOKEN_DIR");
    const char* old = std::getenv("AGENTKIT_DATA_DIR");
    const std::string saved = old ? old : "";
    ::setenv("AGENTKIT_DATA_DIR", "/data", 1);
    EXPECT_EQ(tiktoken_dir(), "/data/tiktoken");
    if (old)
        ::setenv("AGENTKIT_DATA_DIR", saved.c_str(), 1);
    else
        ::unsetenv("AGENTKIT_DATA_DIR");
}

}  // namespace
