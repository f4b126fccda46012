#include <agentkit/resilience/retry_after.hpp>

#include <gtest/gtest.h>

#include <chrono>

namespace resilience_retry_after_test {

using namespace agentkit::resilience;
using namespace std::chrono;
using namespace std::chrono_literals;

// Sun, 06 Nov 1994 08:49:37 GMT, the RFC's example.
const sys_seconds rfc_example = sys_days(1994y / November / 6) + 8h + 49min + 37s;

TEST(RetryAfter, DelaySeconds) {
    const auto now = system_clock::now();
    EXPECT_EQ(parse_retry_after("120", now), nanoseconds(120s));
    EXPECT_EQ(parse_retry_after(" 0 ", now), nanoseconds(0));
    EXPECT_EQ(parse_retry_after("99999999999999999999999", now), nanoseconds(9'000'000'000s));  // saturates
    EXPECT_FALSE(parse_retry_after("-1", now));
    EXPECT_FALSE(parse_retry_after("1.5", now));
    EXPECT_FALSE(parse_retry_after("12abc", now));
    EXPECT_FALSE(parse_retry_after("", now));
}

TEST(RetryAfter, AllThreeHttpDateForms) {
    EXPECT_EQ(parse_http_date("Sun, 06 Nov 1994 08:49:37 GMT"), rfc_example);
    EXPECT_EQ(parse_http_date("Sunday, 06-Nov-94 08:49:37 GMT"), rfc_example);
    EXPECT_EQ(parse_http_date("Sun Nov  6 08:49:37 1994"), rfc_example);
    EXPECT_EQ(parse_http_date("Thu, 01 Jan 1970 00:00:00 GMT"), sys_seconds(0s));
    EXPECT_EQ(parse_http_date("Wednesday, 01-Mar-23 12:00:00 GMT"), sys_days(2023y / March / 1) + 12h);
}

TEST(RetryAfter, MalformedDatesAreRejected) {
    for (const char* bad :
         {"Sun, 06 Nov 1994 08:49:37 UTC", "Sun, 31 Feb 1994 08:49:37 GMT", "Sun, 06 Nov 1994 24:00:00 GMT",
          "Sun, 6 Nov 1994 08:49:37 GMT", "Xyz, 06 Nov 1994 08:49:37 GMT", "Sun, 06 Foo 1994 08:49:37 GMT",
          "Sun, 06 Nov 1994 08:49:37 GMT trailing", "Sun Nov  6 08:49:37", ",", "Sun, "})
        EXPECT_FALSE(parse_http_date(bad)) << bad;
}

TEST(RetryAfter, HttpDateIsMeasuredFromNow) {
    const system_clock::time_point now = rfc_example - 30s;
    EXPECT_EQ(parse_retry_after("Sun, 06 Nov 1994 08:49:37 GMT", now), nanoseconds(30s));
    EXPECT_EQ(parse_retry_after("Sun, 06 Nov 1994 08:49:37 GMT", rfc_example + 1h), nanoseconds(0));  // past: now
    EXPECT_FALSE(parse_retry_after("Sun, 06 Nov 1994 08:49:37", now));
}

// Four-digit years reach dates whose distance from now does not fit in int64 nanoseconds (found by fuzzing:
// the subtraction overflowed). Far past is "now", far future saturates like delay-seconds.
TEST(RetryAfter, DatesCenturiesAwayNeitherOverflowNorWrap) {
    const system_clock::time_point now = sys_seconds(1'700'000'000s) + 250ms;
    EXPECT_EQ(parse_retry_after("Sun Nov  6 08:49:37 0995", now), nanoseconds(0));
    EXPECT_EQ(parse_retry_after("Mon, 01 Jan 0001 00:00:00 GMT", now), nanoseconds(0));
    EXPECT_EQ(parse_retry_after("Fri, 31 Dec 9999 23:59:59 GMT", now), nanoseconds(9'000'000'000s));
    EXPECT_EQ(parse_retry_after("Tue, 14 Nov 2023 22:13:30 GMT", now), nanoseconds(9750ms));  // sub-second now kept
}

TEST(RetryAfter, OpenAIsRetryAfterMs) {
    EXPECT_EQ(parse_retry_after_ms("1500"), nanoseconds(1500ms));
    EXPECT_EQ(parse_retry_after_ms("12.5"), nanoseconds(12500us));
    EXPECT_EQ(parse_retry_after_ms("0.0001"), nanoseconds(100));
    EXPECT_FALSE(parse_retry_after_ms("."));
    EXPECT_FALSE(parse_retry_after_ms("1.2.3"));
    EXPECT_FALSE(parse_retry_after_ms("-5"));
}

}  // namespace resilience_retry_after_test
