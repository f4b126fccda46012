// The parts of bpe_vocabulary (text/detail/) on their own: base64 as rank files write it, the Bloom filter
// in front of the rank table (no false negatives), the rank table's duplicate detection, and the two merges
// agreeing on every piece both accept (each is otherwise reached only for its own piece lengths).
#include <agentkit/text/detail/base64.hpp>
#include <agentkit/text/detail/bloom_filter.hpp>
#include <agentkit/text/detail/bpe_merge.hpp>
#include <agentkit/text/detail/rank_file_parser.hpp>
#include <agentkit/text/detail/rank_table.hpp>
#include <agentkit/text/detail/short_token_ranks.hpp>

#include <agentkit_test/base64.hpp>
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <random>
#include <string>
#include <utility>
#include <vector>

// Everything in one namespace named after the file (the layer may be built as one unity executable).
namespace bpe_detail_test {
using namespace agentkit::text;
namespace detail = agentkit::text::detail;

std::string encode_base64(std::string_view in) { return agentkit_test::base64(in); }

TEST(BpeDetail, Base64DecodesWhatItEncodesAndRejectsTheMalformed) {
    std::mt19937 rng(3);
    for (std::size_t n = 1; n < 64; ++n) {
        std::string bytes(n, '\0');
        for (auto& c : bytes) c = static_cast<char>(rng());
        std::string out = "kept:";
        ASSERT_TRUE(detail::decode_base64(encode_base64(bytes), out)) << n;
        EXPECT_EQ(out, "kept:" + bytes);  // appends
    }
    for (const char* bad : {"", "QQ", "QQ=", "Q===", "QQ=A", "=QQQ", "QQ==QQ==", "QQ Q", "QQ-_", "QUJD\n"}) {
        std::string out;
        EXPECT_FALSE(detail::decode_base64(bad, out)) << bad;
    }
}

TEST(BpeDetail, BloomFilterHasNoFalseNegatives) {
    detail::blocked_bloom_filter f;
    f.reset(10'000);
    std::mt19937_64 rng(5);
    std::vector<std::uint64_t> in(10'000);
    for (auto& h : in) f.insert(h = rng());
    for (const auto h : in) EXPECT_TRUE(f.may_contain(h));
    std::size_t positives = 0;
    for (int i = 0; i < 100'000; ++i) positives += f.may_contain(rng());
    EXPECT_LT(positives, 20'000u);  // a filter, not a yes-man (~5 % expected at 8+ bits per item)
}

// A byte-level rank file: all 256 bytes, then `extra` in rank order.
std::string rank_file(const std::vector<std::string>& extra) {
    std::string f;
    unsigned r = 0;
    for (unsigned c = 0; c < 256; ++c)
        f += encode_base64(std::string(1, static_cast<char>(c))) + " " + std::to_string(r++) + "\n";
    for (const auto& t : extra) f += encode_base64(t) + " " + std::to_string(r++) + "\n";
    return f;
}

std::pair<detail::rank_table, detail::ranked_tokens> table_of(const std::string& file) {
    detail::ranked_tokens tokens = detail::parse_rank_file(file, "t", 4);
    detail::ranked_tokens kept{{}, {}, tokens.line_of_rank, tokens.count, tokens.max_token_len};
    detail::rank_table table;
    EXPECT_EQ(table.build(std::move(tokens.bytes), std::move(tokens.offsets), tokens.count, tokens.max_token_len),
              detail::no_rank);
    return {std::move(table), std::move(kept)};
}

TEST(BpeDetail, RankTableFindsEveryTokenAndReportsADuplicate) {
    const auto [table, tokens] = table_of(rank_file({"ab", "abc", "a token longer than eight bytes"}));
    EXPECT_EQ(table.size(), 259u);
    EXPECT_EQ(table.rank_limit(), 259u);
    for (token_id r = 0; r < table.rank_limit(); ++r) {
        const auto b = table.bytes_of(r);
        EXPECT_EQ(table.rank(reinterpret_cast<const unsigned char*>(b.data()), b.size()), r);
    }
    EXPECT_EQ(tokens.line_of_rank[258], 259u);

    detail::ranked_tokens twice = detail::parse_rank_file(rank_file({"xy", "zz", "xy"}), "t", 4);
    detail::rank_table dup;
    EXPECT_EQ(dup.build(std::move(twice.bytes), std::move(twice.offsets), twice.count, twice.max_token_len), 258u);
}

TEST(BpeDetail, BothMergesGiveTheSameTokensOnEveryPieceBothTake) {
    std::mt19937 rng(11);
    std::vector<std::string> extra;
    while (extra.size() < 300) {
        std::string t(2 + rng() % 7, 'a');
        for (auto& ch : t) ch = "abc"[rng() % 3];
        if (std::find(extra.begin(), extra.end(), t) == extra.end()) extra.push_back(t);
    }
    const auto [table, tokens] = table_of(rank_file(extra));
    detail::short_token_ranks shorts;
    shorts.build(table);
    for (int round = 0; round < 2000; ++round) {
        const std::size_t n = 1 + rng() % detail::small_piece;
        std::string piece(n, 'a');
        for (auto& ch : piece) ch = "abc"[rng() % 3];
        const auto* p = reinterpret_cast<const unsigned char*>(piece.data());
        std::vector<std::pair<token_id, std::size_t>> small, large;
        detail::merge_small(table, shorts, p, n,
                            [&](token_id id, std::size_t, std::size_t e) { small.emplace_back(id, e); });
        detail::merge_large(table, shorts, p, n,
                            [&](token_id id, std::size_t, std::size_t e) { large.emplace_back(id, e); });
        EXPECT_EQ(small, large) << piece;
        ASSERT_FALSE(small.empty());
        EXPECT_EQ(small.back().second, n);
    }
}

}  // namespace bpe_detail_test
