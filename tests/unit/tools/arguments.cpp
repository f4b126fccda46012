#include <agentkit/tools/arguments.hpp>

#include <agentkit/core/error.hpp>

#include <gtest/gtest.h>

#include <cstdint>
#include <string>

using namespace agentkit;
using agentkit::tools::arguments;

namespace {
// The field an agentkit::error names, or "" when `f` does not throw one.
template <class F>
std::string error_field(F&& f) {
    try {
        f();
    } catch (const error& e) {
        return std::string(e.field());
    }
    return "";
}
template <class F>
errc error_code(F&& f) {
    try {
        f();
    } catch (const error& e) {
        return static_cast<errc>(e.code().value());
    }
    return errc{};
}
}  // namespace

TEST(ToolArguments, ReadsEachKindByName) {
    const arguments a(
        R"({"a":6,"b":7.5,"name":"caf\u00e9 \"x\"","on":true,"list":[1, 2],"obj":{"k":null},"none":null})");
    EXPECT_EQ(a.size(), 7u);
    EXPECT_DOUBLE_EQ(a.number("a"), 6.0);
    EXPECT_EQ(a.integer("a"), 6);
    EXPECT_DOUBLE_EQ(a.number("b"), 7.5);
    EXPECT_EQ(a.string("name"), "caf\xc3\xa9 \"x\"");
    EXPECT_TRUE(a.boolean("on"));
    EXPECT_EQ(a.json("list"), "[1,2]");
    EXPECT_EQ(a.json("obj"), R"({"k":null})");
    EXPECT_EQ(a.json("name"), R"("café \"x\"")");
    EXPECT_EQ(a.kind_of("none"), arguments::kind::null);
    EXPECT_EQ(a.kind_of("a"), arguments::kind::integer);
    EXPECT_EQ(a.kind_of("b"), arguments::kind::number);
    EXPECT_FALSE(a.kind_of("missing"));
}

TEST(ToolArguments, IntegersAreWholeNumbersThatFit) {
    const arguments a(R"({"big":9223372036854775807,"neg":-5,"float_whole":3.0,"exp":3e2,"half":3.5,"huge":1e30})");
    EXPECT_EQ(a.integer("big"), INT64_MAX);
    EXPECT_EQ(a.integer("neg"), -5);
    EXPECT_EQ(a.integer("float_whole"), 3);
    EXPECT_EQ(a.integer("exp"), 300);
    EXPECT_EQ(error_field([&] { (void)a.integer("half"); }), "half");
    EXPECT_EQ(error_field([&] { (void)a.integer("huge"); }), "huge");
    EXPECT_DOUBLE_EQ(a.number("huge"), 1e30);
}

TEST(ToolArguments, AMissingOrMistypedFieldIsAnErrorNamingIt) {
    const arguments a(R"({"a":"6","flag":1})");
    EXPECT_EQ(error_field([&] { (void)a.number("b"); }), "b");
    EXPECT_EQ(error_code([&] { (void)a.number("b"); }), errc::invalid_argument);
    EXPECT_EQ(error_field([&] { (void)a.number("a"); }), "a");
    EXPECT_EQ(error_field([&] { (void)a.boolean("flag"); }), "flag");
    EXPECT_EQ(error_field([&] { (void)a.string("flag"); }), "flag");
    EXPECT_EQ(a.number_or("b", 2.5), 2.5);
    EXPECT_EQ(a.string_or("c", "x"), "x");
    EXPECT_EQ(a.integer_or("c", 9), 9);
    EXPECT_TRUE(a.boolean_or("c", true));
}

TEST(ToolArguments, TextThatIsNotAnObjectIsAnErrorNamingArguments) {
    for (const char* text : {"", "[1]", "42", "{\"a\":", "{\"a\":1} x", "nul"}) {
        EXPECT_EQ(error_field([&] { arguments a(text); }), "arguments") << text;
    }
}

TEST(ToolArguments, LimitsAreTypedErrors) {
    arguments::limits small;
    small.max_bytes = 8;
    EXPECT_EQ(error_code([&] { arguments a(R"({"a":123456})", small); }), errc::capacity_exceeded);
    EXPECT_EQ(error_field([&] { arguments a(R"({"a":123456})", small); }), "arguments");
    std::string deep = "{\"a\":";
    for (int i = 0; i < 100; ++i) deep += '[';
    for (int i = 0; i < 100; ++i) deep += ']';
    deep += '}';
    EXPECT_EQ(error_code([&] { arguments a(deep); }), errc::capacity_exceeded);
    arguments::limits deeper;
    deeper.max_depth = 200;
    EXPECT_EQ(arguments(deep, deeper).kind_of("a"), arguments::kind::array);
}

TEST(ToolArguments, ARepeatedNameKeepsItsLastValue) {
    const arguments a(R"({"a":1,"a":2})");
    EXPECT_EQ(a.integer("a"), 2);
}
