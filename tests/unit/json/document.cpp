// The bounded parser against hostile input: deep nesting, embedded NULs, trailing garbage and numbers past a
// double give typed errors, never a crash (stack overflow), a silently truncated document or an exception of
// another type; numbers are classified as RapidJSON classifies them.
#include <agentkit/json/document.hpp>
#include <agentkit/json/writer.hpp>

#include <agentkit_test/repeat.hpp>
#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <string_view>

// Everything in one namespace named after the file (the layer may be built as one unity executable).
namespace json_document_test {

using namespace agentkit;

namespace {
using agentkit_test::repeat;

void expect_too_deep(std::string_view text) {
    try {
        (void)json::parse(text, "response body");
        FAIL() << "expected capacity_exceeded";
    } catch (const error& e) {
        EXPECT_EQ(e.code(), errc::capacity_exceeded);
        EXPECT_EQ(e.field(), "json.max_depth");
        EXPECT_NE(std::string(e.what()).find("response body"), std::string::npos) << e.what();
        EXPECT_NE(std::string(e.what()).find(std::to_string(json::default_max_depth)), std::string::npos) << e.what();
    }
    EXPECT_FALSE(json::is_valid(text));
}
}  // namespace

TEST(JsonDocument, DeepArraysFailWithATypedError) {
    expect_too_deep(std::string(200 * 1024, '['));
    expect_too_deep(std::string(10 * 1024 * 1024, '['));
}

TEST(JsonDocument, DeepObjectsFailWithATypedError) {
    expect_too_deep(repeat(R"({"a":)", 200 * 1024));
    expect_too_deep(repeat(R"({"a":)", 10 * 1024 * 1024));
    expect_too_deep(repeat(R"({"a":[)", 200 * 1024));
}

TEST(JsonDocument, DeepButClosedDocumentsFailToo) {
    const std::size_t n = json::default_max_depth + 1;
    expect_too_deep(std::string(n, '[') + std::string(n, ']'));
}

TEST(JsonDocument, NestingUpToTheLimitParses) {
    const std::size_t n = json::default_max_depth;
    const std::string text = std::string(n, '[') + std::string(n, ']');
    const auto d = json::parse(text, "body");
    EXPECT_TRUE(d.IsArray());
    EXPECT_EQ(json::to_string(d), text);
    EXPECT_TRUE(json::is_valid(text));
}

TEST(JsonDocument, DepthLimitIsAKnob) {
    const json::parse_limits shallow{.max_depth = 2};
    EXPECT_NO_THROW((void)json::parse(R"({"a":[1]})", "body", shallow));
    EXPECT_TRUE(json::is_valid(R"({"a":[1]})", shallow));
    try {
        (void)json::parse(R"({"a":[[1]]})", "body", shallow);
        FAIL();
    } catch (const error& e) {
        EXPECT_EQ(e.code(), errc::capacity_exceeded);
        EXPECT_EQ(e.field(), "json.max_depth");
        EXPECT_NE(std::string(e.what()).find("2 levels"), std::string::npos) << e.what();
    }
    EXPECT_FALSE(json::is_valid(R"({"a":[[1]]})", shallow));
}

TEST(JsonDocument, DocumentSizeIsBounded) {
    const json::parse_limits tiny{.max_bytes = 8};
    EXPECT_NO_THROW((void)json::parse("[1,2,3]", "body", tiny));
    try {
        (void)json::parse("[1,2,3,4,5]", "body", tiny);
        FAIL();
    } catch (const error& e) {
        EXPECT_EQ(e.code(), errc::capacity_exceeded);
        EXPECT_EQ(e.field(), "json.max_bytes");
    }
    EXPECT_FALSE(json::is_valid("[1,2,3,4,5]", tiny));
}

TEST(JsonDocument, NulFollowedByGarbageIsRejected) {
    using namespace std::string_literals;
    const std::string text = "{\"a\":1}\0garbage"s;
    try {
        (void)json::parse(text, "response body");
        FAIL() << "a NUL must not end the document";
    } catch (const error& e) {
        EXPECT_EQ(e.code(), errc::parse_error);
        EXPECT_EQ(e.field(), "response body");
        EXPECT_NE(std::string(e.what()).find("byte 7"), std::string::npos) << e.what();
    }
    EXPECT_FALSE(json::is_valid(text));
    EXPECT_FALSE(json::is_valid("{\"a\":1}\0"s));
    EXPECT_FALSE(json::is_valid("{\"a\":\"x\0y\"}"s));
    EXPECT_FALSE(json::is_valid("\0{\"a\":1}"s));
}

TEST(JsonDocument, TrailingGarbageIsRejected) {
    EXPECT_THROW((void)json::parse(R"({"a":1} x)", "body"), error);
    EXPECT_THROW((void)json::parse(R"({"a":1}{"b":2})", "body"), error);
    EXPECT_NO_THROW((void)json::parse(" {\"a\":1} \r\n\t", "body"));
    EXPECT_THROW((void)json::parse("", "body"), error);
    EXPECT_TRUE(json::parse("\xEF\xBB\xBF{\"a\":1}", "body").IsObject());  // a UTF-8 BOM may lead, as RFC 8259 allows
}

TEST(JsonDocument, LongMantissaWithAHugeNegativeExponentParses) {
    const std::string n =
        "7777777770000000000000000885020000000000000000000000000085."
        "7777777777777777000000000000000000007E-0000000388";
    const auto d = json::parse(R"({"x":)" + n + "}", "response body");
    ASSERT_TRUE(d["x"].IsDouble());
    EXPECT_EQ(d["x"].GetDouble(), 0.0);  // about 7.8e-331: below the smallest subnormal
}

TEST(JsonDocument, NumbersAreClassifiedAsRapidJsonDoes) {
    const auto d = json::parse(R"([0, -5, 4294967295, 4294967296, -2147483649, 18446744073709551615,
                                  18446744073709551616, -9223372036854775809, 1.5, -0.0, 2e3, 1E-2])",
                               "numbers");
    EXPECT_TRUE(d[0].IsUint() && d[0].IsInt() && d[0].GetUint() == 0);
    EXPECT_TRUE(d[1].IsInt() && d[1].GetInt() == -5);
    EXPECT_TRUE(d[2].IsUint() && !d[2].IsInt() && d[2].GetUint() == 4294967295u);
    EXPECT_TRUE(d[3].IsUint64() && !d[3].IsUint() && d[3].GetUint64() == 4294967296u);
    EXPECT_TRUE(d[4].IsInt64() && !d[4].IsInt() && d[4].GetInt64() == -2147483649LL);
    EXPECT_TRUE(d[5].IsUint64() && d[5].GetUint64() == 18446744073709551615u);
    EXPECT_TRUE(d[6].IsDouble() && d[6].GetDouble() == 18446744073709551616.0);
    EXPECT_TRUE(d[7].IsDouble() && d[7].GetDouble() == -9223372036854775809.0);
    EXPECT_TRUE(d[8].IsDouble() && d[8].GetDouble() == 1.5);
    EXPECT_TRUE(d[9].IsDouble() && std::signbit(d[9].GetDouble()));
    EXPECT_TRUE(d[10].IsDouble() && d[10].GetDouble() == 2000.0);
    EXPECT_TRUE(d[11].IsDouble() && d[11].GetDouble() == 0.01);
}

TEST(JsonDocument, NumbersPastADoubleAreATypedError) {
    for (std::string_view text : {"1e400", "-1e309", "[0.00001e314]", "10e308", "123456789e999999999999999999"}) {
        try {
            (void)json::parse(text, "response body");
            ADD_FAILURE() << text;
        } catch (const error& e) {
            EXPECT_EQ(e.code(), errc::parse_error) << text;
            EXPECT_NE(std::string(e.what()).find("at byte"), std::string::npos) << e.what();
        }
        EXPECT_FALSE(json::is_valid(text));
    }
}

TEST(JsonDocument, NumbersBelowADoubleBecomeZero) {
    const auto d = json::parse("[1e-400, -1e-400, 0.0000e-99999999999999, 5e-324]", "numbers");
    EXPECT_EQ(d[0].GetDouble(), 0.0);
    EXPECT_TRUE(std::signbit(d[1].GetDouble()));
    EXPECT_EQ(d[2].GetDouble(), 0.0);
    EXPECT_GT(d[3].GetDouble(), 0.0);  // the smallest subnormal is kept
}

TEST(JsonDocument, TypedReadersNameTheField) {
    const auto d = json::parse(R"({"s":"x","n":7,"neg":-1,"nul":null,"o":{}})", "body");
    EXPECT_EQ(json::string_member(d, "s", "body.s"), "x");
    EXPECT_EQ(json::string_member(d, "absent", "body.absent"), std::nullopt);
    EXPECT_EQ(json::string_member(d, "nul", "body.nul"), std::nullopt);  // null reads as absent
    EXPECT_EQ(json::uint_member(d, "n", "body.n"), 7u);
    EXPECT_EQ(json::member(d["s"], "s"), nullptr);  // not an object
    try {
        (void)json::string_member(d, "n", "body.n");
        FAIL();
    } catch (const error& e) {
        EXPECT_EQ(e.code(), errc::parse_error);
        EXPECT_EQ(e.field(), "body.n");
    }
    try {
        (void)json::uint_member(d, "neg", "body.neg");
        FAIL();
    } catch (const error& e) {
        EXPECT_EQ(e.code(), errc::parse_error);
        EXPECT_EQ(e.field(), "body.neg");
    }
}

}  // namespace json_document_test
