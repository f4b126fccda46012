#include <agentkit/observe/metric_name.hpp>

#include <gtest/gtest.h>

#include <string>

namespace observe_metric_name_test {

namespace obs = agentkit::observe;

TEST(MetricNameRules, AcceptsPrometheusNames) {
    for (const char* n :
         {"http_request_duration_seconds", "agent_execution_duration_seconds", "memory_operation_duration_seconds",
          "process_cpu_seconds_total", "a", "_x", ":recording:rule", "caxton_memory_search_latency_seconds", "A9_:z"})
        EXPECT_TRUE(obs::is_valid_metric_name(n)) << n;
    for (const char* n : {"", "9lives", "http-requests", "latency.seconds", "naïve", "a b", "a{b}"})
        EXPECT_FALSE(obs::is_valid_metric_name(n)) << n;
}

TEST(MetricNameRules, LabelNamesExcludeColonAndReservedPrefix) {
    for (const char* n : {"method", "status_code", "_private", "le", "quantile", "Route9"})
        EXPECT_TRUE(obs::is_valid_label_name(n)) << n;
    for (const char* n : {"", "__name__", "__x", "a:b", "1st", "ro-ute"})
        EXPECT_FALSE(obs::is_valid_label_name(n)) << n;
}

TEST(MetricNameErrors, NameTheField) {
    try {
        obs::validate_metric_name("http-requests", "registry.counter.name");
        FAIL() << "no error";
    } catch (const agentkit::error& e) {
        EXPECT_EQ(e.code(), agentkit::errc::invalid_argument);
        EXPECT_EQ(e.field(), "registry.counter.name");
        EXPECT_NE(std::string(e.what()).find("http-requests"), std::string::npos);
    }
    try {
        obs::validate_label_name("__name__", "m.labels[0]");
        FAIL() << "no error";
    } catch (const agentkit::error& e) {
        EXPECT_EQ(e.field(), "m.labels[0]");
    }
    EXPECT_THROW(obs::validate_label_value("\xff"), agentkit::error);
    EXPECT_NO_THROW(obs::validate_label_value("caf\xc3\xa9 \xf0\x9f\x98\x80"));
}

TEST(MetricNameUtf8, RejectsMalformedSequences) {
    EXPECT_TRUE(obs::is_valid_utf8(""));
    EXPECT_TRUE(obs::is_valid_utf8("plain"));
    EXPECT_TRUE(obs::is_valid_utf8("\xe2\x82\xac"));       // €
    EXPECT_FALSE(obs::is_valid_utf8("\xe2\x82"));          // truncated
    EXPECT_FALSE(obs::is_valid_utf8("\xc0\xaf"));          // overlong '/'
    EXPECT_FALSE(obs::is_valid_utf8("\xed\xa0\x80"));      // surrogate
    EXPECT_FALSE(obs::is_valid_utf8("\xf4\x90\x80\x80"));  // above U+10FFFF
    EXPECT_FALSE(obs::is_valid_utf8("\x80"));              // stray continuation
}

TEST(MetricNameEscaping, LabelValuesEscapeBackslashQuoteNewline) {
    std::string out;
    obs::append_escaped_label_value(out, "C:\\path \"quoted\"\nnext\ttab");
    EXPECT_EQ(out, "C:\\\\path \\\"quoted\\\"\\nnext\ttab");
    EXPECT_EQ(obs::unescape_label_value(out), "C:\\path \"quoted\"\nnext\ttab");
}

TEST(MetricNameEscaping, HelpEscapesBackslashAndNewlineOnly) {
    std::string out;
    obs::append_escaped_help(out, "a \"b\" \\ c\nd");
    EXPECT_EQ(out, "a \"b\" \\\\ c\\nd");
}

TEST(MetricNameEscaping, UnescapeRejectsBadEscapes) {
    EXPECT_THROW(obs::unescape_label_value("abc\\"), agentkit::error);
    try {
        obs::unescape_label_value("a\\tb");
        FAIL() << "no error";
    } catch (const agentkit::error& e) {
        EXPECT_EQ(e.code(), agentkit::errc::parse_error);
        EXPECT_EQ(e.field(), "label_value");
    }
}

}  // namespace observe_metric_name_test
