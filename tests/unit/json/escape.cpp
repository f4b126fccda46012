// Hand-written JSON strings: what is escaped and how, what invalid UTF-8 becomes, and that the result reads
// back through the parser as the same text.
#include <agentkit/json/document.hpp>
#include <agentkit/json/escape.hpp>

#include <gtest/gtest.h>

#include <string>
#include <string_view>

// Everything in one namespace named after the file (the layer may be built as one unity executable).
namespace json_escape_test {

namespace json = agentkit::json;

std::string as_json(std::string_view s, json::invalid_utf8 invalid = json::invalid_utf8::escape_bytes) {
    std::string out;
    json::append_string(out, s, invalid);
    return out;
}

TEST(JsonEscape, EscapesQuotesBackslashesAndControlBytes) {
    EXPECT_EQ(as_json(""), R"("")");
    EXPECT_EQ(as_json("plain text"), R"("plain text")");
    EXPECT_EQ(as_json("say \"hi\" \\ tab\there\r\n"), R"("say \"hi\" \\ tab\there\r\n")");
    EXPECT_EQ(as_json(std::string_view("\x01\x1f\0\b\f\x7f", 6)),
              R"("\u0001\u001f\u0000\u0008\u000c)"
              "\x7f\"");
}

TEST(JsonEscape, AppendsToWhatIsThere) {
    std::string out = "{\"a\":";
    json::append_string(out, "x");
    out += '}';
    EXPECT_EQ(out, R"({"a":"x"})");
}

TEST(JsonEscape, ValidUtf8PassesThrough) {
    EXPECT_EQ(as_json("caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80"), "\"caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80\"");
}

TEST(JsonEscape, InvalidUtf8IsEscapedByteByByteOrPassedThrough) {
    // One invalid byte makes the whole string read as Latin-1: its valid sequences are escaped too.
    EXPECT_EQ(as_json("bad \xff caf\xc3\xa9"), R"("bad \u00ff caf\u00c3\u00a9")");
    EXPECT_EQ(as_json("bad \xff caf\xc3\xa9", json::invalid_utf8::pass_through), "\"bad \xff caf\xc3\xa9\"");
}

TEST(JsonEscape, ReadsBackAsTheSameText) {
    // Built by append: g++ 12 at -O3 misreads "literal" + std::string as an oversized memcpy.
    std::string text = "q\"b\\s/n\nr\rt\tc\x01\x1f";
    text.push_back('\0');
    text.append("caf\xc3\xa9");
    std::string doc = "[";
    doc.append(as_json(text)).append("]");
    const auto d = json::parse(doc, "escaped");
    EXPECT_EQ(json::as_string_view(d[0]), text);
}

}  // namespace json_escape_test
