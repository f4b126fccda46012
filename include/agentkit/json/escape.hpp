#pragma once
// JSON strings written by hand, without RapidJSON: for code that should not pull it in (observe/'s health
// body) and for writers that format their own lines (the CLI's JSON lines). The one hand-written JSON string
// escaper; RapidJSON's writer (json/writer.hpp) escapes the rest.
//   std::string out = "{\"message\":";
//   json::append_string(out, message);
//   out += '}';
// " and \ are escaped, \n \r \t by name, every other byte below 0x20 as \u00XX (lowercase hex); valid UTF-8
// is copied as it is.
#include <agentkit/core/utf8.hpp>

#include <cstddef>
#include <string>
#include <string_view>

namespace agentkit::json {

// What append_string does with a string that is not valid UTF-8.
enum class invalid_utf8 {
    // Every byte >= 0x80 of the string is written as \u00XX (its Latin-1 reading): the output is valid JSON
    // whatever the input, and no byte is lost.
    escape_bytes,
    // The bytes are copied as they are: for output read as byte ranges (chunk text next to its offsets),
    // where a rewritten byte would misplace them. The output is then not valid UTF-8 either.
    pass_through,
};

// Appends `s` to `out` as one quoted JSON string. Runs of bytes that need no escape (nearly all of a text)
// are appended whole.
inline void append_string(std::string& out, std::string_view s, invalid_utf8 invalid = invalid_utf8::escape_bytes) {
    static constexpr char hex[] = "0123456789abcdef";
    // Bytes from `copied_below` up are escaped: 0x80 when an invalid string is read as Latin-1, else none.
    const unsigned copied_below = invalid == invalid_utf8::escape_bytes && !utf8::is_valid(s) ? 0x80 : 0x100;
    out += '"';
    std::size_t run = 0;
    for (std::size_t i = 0; i < s.size(); ++i) {
        const auto c = static_cast<unsigned char>(s[i]);
        if (c >= 0x20 && c < copied_below && c != '"' && c != '\\') continue;
        out.append(s.data() + run, i - run);
        run = i + 1;
        switch (c) {
            case '"': out += "\\\""; break;
            case '\\': out += "\\\\"; break;
            case '\n': out += "\\n"; break;
            case '\r': out += "\\r"; break;
            case '\t': out += "\\t"; break;
            default:
                out += "\\u00";
                out += hex[c >> 4];
                out += hex[c & 15];
        }
    }
    out.append(s.data() + run, s.size() - run);
    out += '"';
}

}  // namespace agentkit::json
