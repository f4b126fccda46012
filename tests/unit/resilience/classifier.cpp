#include <agentkit/resilience/classifier.hpp>

#include <gtest/gtest.h>

#include <system_error>

namespace resilience_classifier_test {

using namespace agentkit;
using namespace agentkit::resilience;

TEST(Classifier, HttpStatuses) {
    const default_classifier c;
    EXPECT_EQ(c.classify(failure::from_http(429)), verdict::retry);
    for (int s : {500, 502, 503, 504, 529, 599}) EXPECT_EQ(c.classify(failure::from_http(s)), verdict::retry) << s;
    for (int s : {400, 401, 403, 404, 408, 409, 413, 422, 200, 302, 600, -1})
        EXPECT_EQ(c.classify(failure::from_http(s)), verdict::stop) << s;
}

TEST(Classifier, CustomStatusSetForProvidersThatRetryMore) {
    const default_classifier c(
        {.non_retryable_patterns = {}, .retryable_statuses = {408, 409, 429, 500, 502, 503, 504}});
    EXPECT_EQ(c.classify(failure::from_http(408)), verdict::retry);
    EXPECT_EQ(c.classify(failure::from_http(501)), verdict::stop);
    EXPECT_THROW(default_classifier({.non_retryable_patterns = {}, .retryable_statuses = {700}}), error);
    EXPECT_THROW(default_classifier({.non_retryable_patterns = {""}, .retryable_statuses = {}}), error);
}

TEST(Classifier, NonRetryablePatternsWinOverTheStatus) {
    const default_classifier c;
    EXPECT_EQ(c.classify(failure::from_http(500, "Incorrect API key provided (invalid_api_key)")), verdict::stop);
    EXPECT_EQ(c.classify(failure::from_http(503, "permission_denied: model")), verdict::stop);
    EXPECT_EQ(c.classify(failure::from_http(503, "overloaded")), verdict::retry);
    const default_classifier flynn(
        {.non_retryable_patterns = {"invalid_api_key", "permission_denied", "rate_limit_exceeded"}});
    EXPECT_EQ(flynn.classify(failure::from_http(429, "rate_limit_exceeded")), verdict::stop);
    EXPECT_EQ(c.classify(failure::from_http(429, "rate_limit_exceeded")), verdict::retry);
}

TEST(Classifier, ErrorCodes) {
    const default_classifier c;
    for (errc e : {errc::timeout, errc::unavailable, errc::rate_limited, errc::io_error})
        EXPECT_EQ(c.classify(failure::from_errc(e)), verdict::retry);
    for (errc e :
         {errc::invalid_argument, errc::parse_error, errc::not_found, errc::cancelled, errc::capacity_exceeded})
        EXPECT_EQ(c.classify(failure::from_errc(e)), verdict::stop);
    EXPECT_EQ(c.classify(failure::from_code(std::make_error_code(std::errc::connection_reset))), verdict::retry);
    EXPECT_EQ(c.classify(failure::from_code(std::make_error_code(std::errc::timed_out))), verdict::retry);
    EXPECT_EQ(c.classify(failure::from_code(std::error_code(ECONNREFUSED, std::system_category()))), verdict::retry);
    EXPECT_EQ(c.classify(failure::from_code(std::make_error_code(std::errc::permission_denied))), verdict::stop);
    EXPECT_EQ(c.classify(failure{}), verdict::stop);  // no code, no status: nothing says it is transient
}

}  // namespace resilience_classifier_test
