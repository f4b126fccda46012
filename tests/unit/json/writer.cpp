// The RapidJSON writer helpers: strings and keys from string_views (embedded NULs kept), raw values verbatim,
// compact and indented output.
#include <agentkit/json/document.hpp>
#include <agentkit/json/writer.hpp>

#include <gtest/gtest.h>

#include <string>

// Everything in one namespace named after the file (the layer may be built as one unity executable).
namespace json_writer_test {

namespace json = agentkit::json;
using namespace std::string_literals;

TEST(JsonWriter, WritesStringsKeysAndRawValues) {
    json::string_buffer sb;
    json::writer w(sb);
    w.StartObject();
    json::write_key(w, "k\"1");
    json::write_string(w, "a\0b"s);
    json::write_key(w, "schema");
    json::write_raw(w, R"({"type":"object"})");
    w.EndObject();
    EXPECT_EQ(std::string(sb.GetString(), sb.GetSize()), R"({"k\"1":"a\u0000b","schema":{"type":"object"}})");
}

TEST(JsonWriter, PrettyWriterIndents) {
    json::string_buffer sb;
    json::pretty_writer w(sb);
    w.SetIndent(' ', 2);
    w.StartObject();
    json::write_key(w, "a");
    w.Uint(1);
    w.EndObject();
    EXPECT_EQ(std::string(sb.GetString(), sb.GetSize()), "{\n  \"a\": 1\n}");
}

TEST(JsonWriter, ToStringIsCompactAndReparses) {
    const auto d = json::parse(R"( { "a" : [ 1 , 2.5 , "x" ] , "b" : null } )", "body");
    const std::string text = json::to_string(d);
    EXPECT_EQ(text, R"({"a":[1,2.5,"x"],"b":null})");
    EXPECT_EQ(json::to_string(json::parse(text, "again")), text);
}

}  // namespace json_writer_test
