#pragma once
// Writing JSON with RapidJSON's writer: compact (writer) or indented (pretty_writer) into a string_buffer,
// with string_view helpers for strings, keys and verbatim values. Code that should not pull in RapidJSON
// writes its strings with json/escape.hpp instead.
#include <agentkit/json/document.hpp>

#include <rapidjson/prettywriter.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <string>
#include <string_view>

namespace agentkit::json {

using string_buffer = rapidjson::StringBuffer;
using writer = rapidjson::Writer<string_buffer>;
using pretty_writer = rapidjson::PrettyWriter<string_buffer>;

template <class Writer>
void write_string(Writer& w, std::string_view s) {
    w.String(s.data(), static_cast<rapidjson::SizeType>(s.size()));
}
template <class Writer>
void write_key(Writer& w, std::string_view s) {
    w.Key(s.data(), static_cast<rapidjson::SizeType>(s.size()));
}

// Writes `text`, which must hold one JSON value, verbatim (tool schemas, tool-call arguments).
template <class Writer>
void write_raw(Writer& w, std::string_view text) {
    w.RawValue(text.data(), text.size(), rapidjson::kObjectType);
}

// Serialises a value to a compact string.
inline std::string to_string(const value& v) {
    string_buffer sb;
    writer w(sb);
    v.Accept(w);
    return {sb.GetString(), sb.GetSize()};
}

}  // namespace agentkit::json
