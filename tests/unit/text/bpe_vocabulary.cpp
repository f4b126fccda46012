// The rank-file parser (errors name the file and line) and the merge, on synthetic vocabularies; the
// real cl100k_base / o200k_base files are exercised in bpe_encoding.cpp and bpe_exactness.cpp.
#include <agentkit/text/bpe_vocabulary.hpp>

#include <agentkit_test/base64.hpp>
#include <gtest/gtest.h>

#include <map>
#include <random>
#include <string>
#include <thread>
#include <vector>

namespace bpe_vocabulary_test {
using namespace agentkit::text;

using agentkit_test::base64;

// A byte-level vocabulary: all 256 bytes, then `extra` tokens in rank order.
std::string rank_file(const std::vector<std::string>& extra) {
    std::string f;
    unsigned r = 0;
    for (unsigned c = 0; c < 256; ++c)
        f += base64(std::string(1, static_cast<char>(c))) + " " + std::to_string(r++) + "\n";
    for (const auto& t : extra) f += base64(t) + " " + std::to_string(r++) + "\n";
    return f;
}

// tiktoken's _byte_pair_merge, written the obvious way.
std::vector<token_id> naive_merge(const bpe_vocabulary& v, std::string_view piece) {
    std::vector<std::size_t> starts;
    for (std::size_t i = 0; i <= piece.size(); ++i) starts.push_back(i);
    for (;;) {
        token_id best = bpe_vocabulary::no_rank;
        std::size_t at = 0;
        for (std::size_t k = 0; k + 2 < starts.size(); ++k) {
            const token_id r = v.rank(piece.substr(starts[k], starts[k + 2] - starts[k]));
            if (r < best) best = r, at = k;
        }
        if (best == bpe_vocabulary::no_rank) break;
        starts.erase(starts.begin() + static_cast<std::ptrdiff_t>(at) + 1);
    }
    std::vector<token_id> ids;
    for (std::size_t k = 0; k + 1 < starts.size(); ++k)
        ids.push_back(v.rank(piece.substr(starts[k], starts[k + 1] - starts[k])));
    return ids;
}

void expect_parse_error(const std::string& data, const std::string& needle) {
    try {
        (void)bpe_vocabulary::parse(data, "test.tiktoken");
        ADD_FAILURE() << "no error for: " << needle;
    } catch (const agentkit::error& e) {
        EXPECT_EQ(e.field(), "test.tiktoken");
        EXPECT_EQ(e.code(), agentkit::errc::parse_error);
        EXPECT_NE(std::string(e.what()).find(needle), std::string::npos) << e.what();
    }
}

TEST(BpeVocabulary, ParsesRanksAndDecodes) {
    const auto v = bpe_vocabulary::parse(rank_file({"ab", "abc", "a longer token than eight bytes"}), "x");
    EXPECT_EQ(v.size(), 259u);
    EXPECT_EQ(v.rank("ab"), 256u);
    EXPECT_EQ(v.rank("abc"), 257u);
    EXPECT_EQ(v.rank("a longer token than eight bytes"), 258u);
    EXPECT_EQ(v.rank("abd"), bpe_vocabulary::no_rank);
    EXPECT_EQ(v.bytes_of(257), "abc");
    EXPECT_EQ(v.bytes_of(9999), "");
    EXPECT_GT(v.resident_bytes(), 256u * 4);
}

TEST(BpeVocabulary, MalformedFilesNameFileAndLine) {
    const std::string good = rank_file({});
    expect_parse_error("", "empty");
    expect_parse_error(good + "YWI=\n", "line 257: expected");
    expect_parse_error(good + "Y!I= 256\n", "line 257: the token is not valid base64");
    expect_parse_error(good + "YWI 256\n", "not valid base64");
    expect_parse_error(good + "YWI= 25x\n", "not a decimal number");
    expect_parse_error(good + "YWI= 99999999999\n", "not a number below");
    expect_parse_error(good + "YWI= 5\n", "rank 5 appears twice");
    expect_parse_error(good + "YQ== 300\n", "a token appears twice");
    expect_parse_error(good.substr(good.find('\n') + 1), "byte 0 has no rank");
}

TEST(BpeVocabulary, MissingFileIsNotFoundNamingIt) {
    try {
        (void)bpe_vocabulary::load("/nonexistent/dir/cl100k_base.tiktoken");
        FAIL();
    } catch (const agentkit::error& e) {
        EXPECT_EQ(e.code(), agentkit::errc::not_found);
        EXPECT_EQ(e.field(), "/nonexistent/dir/cl100k_base.tiktoken");
    }
}

TEST(BpeVocabulary, MergeMatchesTiktokensAlgorithmShortAndLong) {
    // Many overlapping merges over a two-letter alphabet, so ties and re-ranking happen everywhere.
    std::mt19937 rng(7);
    std::vector<std::string> extra;
    std::map<std::string, int> seen;
    for (unsigned c = 0; c < 256; ++c) seen[std::string(1, static_cast<char>(c))] = 1;
    while (extra.size() < 300) {
        std::string t(2 + rng() % 7, 'a');
        for (auto& ch : t) ch = "ab"[rng() % 2];
        if (seen[t]++) continue;
        extra.push_back(t);
    }
    const auto v = bpe_vocabulary::parse(rank_file(extra), "synthetic");
    for (int round = 0; round < 300; ++round) {
        const std::size_t n = round < 200 ? 1 + rng() % 64 : 65 + rng() % 900;  // merge_small and merge_large
        std::string piece(n, 'a');
        for (auto& ch : piece) ch = "ab"[rng() % 2];
        std::vector<token_id> ids;
        std::size_t at = 0;
        v.encode_piece(reinterpret_cast<const unsigned char*>(piece.data()), n,
                       [&](token_id id, std::size_t b, std::size_t e) {
                           EXPECT_EQ(b, at);
                           at = e;
                           ids.push_back(id);
                       });
        EXPECT_EQ(at, n);
        EXPECT_EQ(ids, naive_merge(v, piece)) << piece;
        EXPECT_EQ(v.count_piece(reinterpret_cast<const unsigned char*>(piece.data()), n), ids.size());
    }
}

// The per-thread memo of recent pieces serves several vocabularies at once: the same piece, alternately
// through two vocabularies that merge it differently, always gets its own vocabulary's tokens (also a
// piece whose tokens do not fit in a memo entry, and pieces repeated so the memo is hit).
TEST(BpeVocabulary, MemoKeepsVocabulariesApartOnOneThread) {
    const auto a = bpe_vocabulary::parse(rank_file({"ab", "abab", "ababab"}), "a");
    const auto b = bpe_vocabulary::parse(rank_file({"ba", "aba", "bab"}), "b");
    const std::string pieces[] = {"ababab", "abababababab", "abcabcabcabcabcabcab", "xyz", "qwertyuiopasdfghjklz"};
    for (int round = 0; round < 3; ++round) {
        for (const auto& piece : pieces) {
            for (const bpe_vocabulary* v : {&a, &b}) {
                std::vector<token_id> ids;
                v->encode_piece(reinterpret_cast<const unsigned char*>(piece.data()), piece.size(),
                                [&](token_id id, std::size_t, std::size_t) { ids.push_back(id); });
                EXPECT_EQ(ids, naive_merge(*v, piece)) << piece;
                EXPECT_EQ(v->count_piece(reinterpret_cast<const unsigned char*>(piece.data()), piece.size()),
                          ids.size());
            }
        }
    }
}

// The memo starts small and grows with the work a thread does, up to the limit; its size never changes
// a result. Each run is on a new thread, whose memo starts empty.
TEST(BpeVocabulary, MemoGrowsWithTheWorkUpToItsLimitWithoutChangingResults) {
    const auto v = bpe_vocabulary::parse(rank_file({"ab", "cd", "abcd", "dcba", "bb"}), "v");
    std::mt19937 rng(7);
    std::vector<std::string> pieces;
    for (int i = 0; i < 30000; ++i) {
        std::string p(3 + rng() % 20, 'a');
        for (auto& c : p) c = static_cast<char>('a' + rng() % 4);
        pieces.push_back(std::move(p));
    }
    struct run_result {
        std::vector<std::size_t> counts;
        std::size_t bytes_before = 0, bytes_after = 0;
    };
    auto run = [&](unsigned limit_bits) {
        run_result r;
        std::thread([&] {
            bpe_vocabulary::set_memo_limit_bits(limit_bits);
            r.bytes_before = bpe_vocabulary::thread_memo_bytes();
            for (int round = 0; round < 2; ++round)
                for (const auto& p : pieces)
                    r.counts.push_back(v.count_piece(reinterpret_cast<const unsigned char*>(p.data()), p.size()));
            r.bytes_after = bpe_vocabulary::thread_memo_bytes();
        }).join();
        return r;
    };
    const run_result small = run(12), large = run(17);
    bpe_vocabulary::set_memo_limit_bits(17);  // the default, for the other tests
    EXPECT_EQ(small.bytes_before, 0u);
    EXPECT_LE(small.bytes_after, (std::size_t{1} << 12) * 32 + 1024);
    EXPECT_GT(large.bytes_after, small.bytes_after * 4);
    EXPECT_EQ(small.counts, large.counts);
    for (std::size_t i = 0; i < 500; ++i) EXPECT_EQ(small.counts[i], naive_merge(v, pieces[i]).size()) << pieces[i];
}

}  // namespace bpe_vocabulary_test
