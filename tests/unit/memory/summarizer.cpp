#include <agentkit/memory/summarizer.hpp>

#include <gtest/gtest.h>

using namespace agentkit;
using namespace agentkit::memory;

TEST(ExtractiveSummarizer, LatestStatementOfASubjectWins) {
    const std::vector<message> msgs{
        message::user("hello there. The budget of Apollo is AB-1000."), message::assistant("noted, will do."),
        message::user("Update: the budget of Apollo is now CD-2000. The owner of Io is Kim.")};
    const auto s = extractive_summarizer<>{}(msgs, 200);
    EXPECT_NE(s.find("CD-2000"), std::string::npos);
    EXPECT_EQ(s.find("AB-1000"), std::string::npos);
    EXPECT_NE(s.find("owner of Io"), std::string::npos);
    EXPECT_TRUE(s.starts_with(summary_header));
}

TEST(ExtractiveSummarizer, StaysWithinBudgetAndPrefersFacts) {
    std::vector<message> msgs;
    for (int i = 0; i < 50; ++i)
        msgs.push_back(message::user("some chatter about nothing in particular today " + std::to_string(i) + "x."));
    msgs.push_back(message::user("The deadline of Lyra is 2026-05-01."));
    const auto s = extractive_summarizer<>{}(msgs, 40);
    EXPECT_LE(text::chars_per_token<4>{}.count(s), 40u);
    EXPECT_NE(s.find("2026-05-01"), std::string::npos);
    EXPECT_TRUE(extractive_summarizer<>{}(std::vector<message>{}, 10).empty());
}

TEST(ExtractiveSummarizer, SplitsSentences) {
    const auto parts = extractive_summarizer<>::split_sentences("One. Two! v1.2 stays whole? yes\nnext line");
    ASSERT_EQ(parts.size(), 5u);
    EXPECT_EQ(parts[2], "v1.2 stays whole?");
}
