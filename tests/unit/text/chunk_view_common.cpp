// Chunk views are common ranges (begin and end have one type), so ranges::to and std algorithms take their
// iterators directly instead of wrapping them in ranges::common_iterator, which g++ 12 -O3 rejects under
// -Werror (-Wmaybe-uninitialized in range-v3's variant). The conversions here build in the release preset.
#include <agentkit/text/chunk_view.hpp>

#include <gtest/gtest.h>
#include <range/v3/range/concepts.hpp>
#include <range/v3/range/conversion.hpp>

#include <iterator>
#include <string>
#include <vector>

namespace chunk_view_common_test {

namespace tx = agentkit::text;

static_assert(ranges::common_range<tx::chunk_view<tx::recursive, tx::by_chars>>);
static_assert(ranges::common_range<tx::chunk_view<tx::markdown, tx::by_bytes>>);
static_assert(ranges::common_range<tx::chunk_view<tx::fixed_window, tx::by_utf16>>);
static_assert(ranges::forward_range<tx::chunk_view<tx::recursive, tx::by_chars>>);

std::string document() {
    std::string doc = "# Title\n\n";
    for (int i = 0; i < 40; ++i)
        doc.append("Paragraph ").append(std::to_string(i)).append(": some words, then more words to chunk.\n\n");
    return doc;
}

template <class Strategy, class Sizer>
void expect_same_chunks_every_way(const std::string& doc, const tx::chunk_config& cfg) {
    const tx::chunk_view<Strategy, Sizer> view(doc, cfg);
    std::vector<tx::chunk> looped;
    for (const auto& c : view) looped.push_back(c);
    ASSERT_GT(looped.size(), 1u);
    const auto converted = view | ranges::to<std::vector>();
    const std::vector<tx::chunk> from_iterators(view.begin(), view.end());
    ASSERT_EQ(converted.size(), looped.size());
    ASSERT_EQ(from_iterators.size(), looped.size());
    for (std::size_t i = 0; i < looped.size(); ++i) {
        EXPECT_EQ(converted[i].text, looped[i].text);
        EXPECT_EQ(converted[i].begin, looped[i].begin);
        EXPECT_EQ(from_iterators[i].end, looped[i].end);
    }
    EXPECT_EQ(static_cast<std::size_t>(std::distance(view.begin(), view.end())), looped.size());
}

TEST(ChunkViewCommon, ToVectorAndIteratorPairsMatchTheLoop) {
    const auto doc = document();
    const tx::chunk_config cfg{.max_chunk_size = 120, .chunk_overlap = 20, .min_chunk_size = 30};
    expect_same_chunks_every_way<tx::recursive, tx::by_chars>(doc, cfg);
    expect_same_chunks_every_way<tx::markdown, tx::by_bytes>(doc, cfg);
    expect_same_chunks_every_way<tx::fixed_window, tx::by_utf16>(doc, cfg);
}

TEST(ChunkViewCommon, EmptyDocumentBeginEqualsEnd) {
    const tx::chunk_view<> view("", tx::chunk_config{});
    EXPECT_TRUE(view.begin() == view.end());
    EXPECT_TRUE((view | ranges::to<std::vector>()).empty());
}

}  // namespace chunk_view_common_test
