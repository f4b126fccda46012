#pragma once
// printable: untrusted bytes made safe to show in an error message or on a terminal.
#include <agentkit/core/utf8.hpp>

#include <cstddef>
#include <string>
#include <string_view>

namespace agentkit {

// Untrusted bytes (a path, a line of a trace, a key name) as they may be shown in an error message or on a
// terminal: C0 controls, DEL, C1 controls (raw or UTF-8 encoded) and bytes that are not well-formed UTF-8
// become \xNN, so hostile input cannot drive the terminal. Printable ASCII and valid UTF-8 pass through.
inline std::string printable(std::string_view s) {
    static constexpr char hex[] = "0123456789abcdef";
    std::string out;
    out.reserve(s.size());
    auto escape = [&](unsigned char c) {
        out += "\\x";
        out += hex[c >> 4];
        out += hex[c & 15];
    };
    for (std::size_t i = 0; i < s.size();) {
        const auto c = static_cast<unsigned char>(s[i]);
        if (c < 0x80) {
            if (c < 0x20 || c == 0x7f)
                escape(c);
            else
                out += static_cast<char>(c);
            ++i;
            continue;
        }
        const utf8::code_point u = utf8::decode(s, i);
        const std::size_t n = u.length;
        if (n == 0 || (u.value >= 0x80 && u.value <= 0x9f)) {
            // Not UTF-8, or a C1 control: escape the lead byte (an encoded C1 control: both bytes).
            escape(c);
            if (n == 2) escape(static_cast<unsigned char>(s[i + 1])), ++i;
            ++i;
            continue;
        }
        out.append(s.substr(i, n));
        i += n;
    }
    return out;
}

}  // namespace agentkit
