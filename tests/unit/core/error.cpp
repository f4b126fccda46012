#include <agentkit/core/error.hpp>

#include <gtest/gtest.h>

TEST(Error, NamesTheFieldAndCarriesTheCode) {
    try {
        agentkit::throw_invalid_field("cache.max_entries", "must be at least 1, got 0");
        FAIL() << "no throw";
    } catch (const agentkit::error& e) {
        EXPECT_STREQ(e.what(), "agentkit: cache.max_entries: must be at least 1, got 0");
        EXPECT_EQ(e.field(), "cache.max_entries");
        EXPECT_EQ(e.code(), agentkit::errc::invalid_argument);
        EXPECT_EQ(e.code().category().name(), std::string("agentkit"));
    }
}

TEST(Error, WithoutFieldReadsPlainly) {
    const agentkit::error e(agentkit::errc::timeout, "upstream did not answer in 30000 ms");
    EXPECT_STREQ(e.what(), "agentkit: upstream did not answer in 30000 ms");
    EXPECT_TRUE(e.field().empty());
    EXPECT_EQ(e.code().message(), "timed out");
}

TEST(Error, ErrcConvertsToErrorCode) {
    std::error_code ec = agentkit::errc::rate_limited;
    EXPECT_EQ(ec.message(), "rate limited");
    EXPECT_NE(ec, agentkit::errc::timeout);
}
