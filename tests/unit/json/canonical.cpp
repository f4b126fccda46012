// The canonical form: key order and whitespace do not matter, strings and numbers are kept verbatim, and
// anything that is not one JSON value is a parse_error naming the caller's field.
#include <agentkit/json/canonical.hpp>

#include <gtest/gtest.h>

#include <string>

// Everything in one namespace named after the file (the layer may be built as one unity executable).
namespace json_canonical_test {

namespace json = agentkit::json;

std::string canonical(std::string_view text) { return json::canonical(text, "arguments"); }

TEST(CanonicalJson, SortsKeysAndDropsWhitespace) {
    EXPECT_EQ(canonical(R"( { "b" : [1, 2, {"z":null,"a":true}], "a": "x y" } )"),
              R"({"a":"x y","b":[1,2,{"a":true,"z":null}]})");
    EXPECT_EQ(canonical("-0.5e+3"), "-0.5e+3");
    EXPECT_EQ(canonical(R"("\u00e9\n")"), R"("\u00e9\n")");
    EXPECT_EQ(canonical("{}"), "{}");
    for (const char* bad :
         {"", "{", "{\"a\":1,}", "[1 2]", "01", "1.", "\"\\x\"", "{\"a\":1,\"a\":2}", "tru", "\"a\nb\"", "1 2"}) {
        EXPECT_THROW(canonical(bad), agentkit::error) << bad;
    }
    EXPECT_THROW(canonical(std::string(200, '[') + std::string(200, ']')), agentkit::error);  // depth limit
}

TEST(CanonicalJson, IsAFixedPoint) {
    const std::string once = canonical(R"({"z": {"b": [ 1 , "\"" ], "a": null}, "a": -0.0})");
    EXPECT_EQ(once, R"({"a":-0.0,"z":{"a":null,"b":[1,"\""]}})");
    EXPECT_EQ(canonical(once), once);
}

TEST(CanonicalJson, ErrorsNameTheFieldAndTheByte) {
    try {
        (void)json::canonical(R"({"a":1,"a":2})", "tools[0].arguments");
        FAIL();
    } catch (const agentkit::error& e) {
        EXPECT_EQ(e.code(), agentkit::errc::parse_error);
        EXPECT_EQ(e.field(), "tools[0].arguments");
        EXPECT_NE(std::string(e.what()).find("duplicate object key"), std::string::npos) << e.what();
    }
    const std::size_t n = json::canonical_max_depth + 1;
    EXPECT_NO_THROW((void)canonical(std::string(n, '[') + std::string(n, ']')));
    try {
        (void)canonical(std::string(n + 1, '[') + std::string(n + 1, ']'));
        FAIL();
    } catch (const agentkit::error& e) {
        EXPECT_EQ(e.field(), "arguments");
        EXPECT_NE(std::string(e.what()).find("nesting deeper than 128 at byte 129"), std::string::npos) << e.what();
    }
}

}  // namespace json_canonical_test
